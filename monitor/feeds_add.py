"""`situation-room feeds add URL`: fetch the feed once (the poller's own fetch and parse), name it
after its title, and append it to feeds.yaml as text, so every comment and line stays."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from monitor.config import Settings, load_settings, parse_settings
from monitor.errors import ConfigError, ConfigProblem, FetchError, MonitorError
from monitor.files import write_atomically
from monitor.ingest.fetch import Fetcher
from monitor.ingest.parse import parse_feed
from monitor.opml import MAX_NAME, OutlineFeed, append_feeds
from monitor.text import sanitize


async def feed_title(url: str, settings: Settings) -> str:
    """The feed's own title (sanitised), fetched under the configured limits; FetchError, in words,
    when the URL gives no usable feed."""
    fetcher = Fetcher(settings.limits, concurrency=1, per_host=1)
    try:
        fetched = await fetcher.fetch(url)
    finally:
        await fetcher.aclose()
    parsed = parse_feed(
        fetched.body,
        feed="new",
        fetched_at=datetime.now(UTC),
        max_items=settings.limits.max_items,
        content_type=fetched.content_type,
    )
    if not parsed.ok:
        raise FetchError(f"{url}: {parsed.error}")
    return sanitize(parsed.title, MAX_NAME)


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate = name[: MAX_NAME - len(suffix)] + suffix
        n += 1
    return candidate


def add_feed(url: str, config_path: Path, *, name: str | None = None, tier: str = "outlet") -> str:
    """Append the feed at ``url`` to feeds.yaml; return the name given to it.

    The feed is fetched first even with ``name`` given, so a URL that is no feed is refused before
    anything is written; the new file is validated before it replaces the old one.
    """
    exists = config_path.exists()
    settings = load_settings(config_path) if exists else Settings(source=str(config_path))
    url = url.strip()
    if any(f.url.strip().rstrip("/") == url.rstrip("/") for f in settings.feeds):
        raise ConfigError([ConfigProblem(str(config_path), None, "feeds", f"{url} is already listed")])
    if "://" not in url or not url.startswith(("http://", "https://")):
        raise ConfigError(
            [ConfigProblem("URL", None, "", f"{url!r}: only http and https feeds can be added")]
        )
    title = asyncio.run(feed_title(url, settings))
    chosen = sanitize(name, MAX_NAME) if name else title
    if not chosen:
        chosen = url.split("://", 1)[1].split("/", 1)[0].removeprefix("www.")
    chosen = _unique(chosen, {f.name.casefold() for f in settings.feeds})
    text = config_path.read_text(encoding="utf-8") if exists else ""
    note = f"added with `feeds add` on {datetime.now(UTC):%Y-%m-%d}"
    new_text = append_feeds(
        text, [OutlineFeed(name=chosen, url=url, tier=tier)], note=note, name=str(config_path)
    )
    parse_settings(new_text, str(config_path))  # never write a file that would not load
    try:
        config_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MonitorError(f"cannot write {config_path}: {exc.strerror}") from None
    write_atomically(config_path, new_text)
    return chosen
