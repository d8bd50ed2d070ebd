"""``feeds check --probe``: fetch every feed once, through the real fetch and parse, and say in
words whether it answers with a feed. Nothing is stored and no conditional GET is sent, so the
answer is about the feed now, not about what a store remembers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from monitor.config import Settings
from monitor.ingest.poller import Poller, PollResult
from monitor.text import sanitize


@dataclass(frozen=True)
class ProbeAnswer:
    """One feed's answer: ``ok`` when it answered with a parseable feed (even an empty one)."""

    feed: str
    ok: bool | None
    """None for a disabled feed (not probed)."""
    words: str


def answer_words(result: PollResult) -> ProbeAnswer:
    """What one poll says about a feed, in plain words."""
    moved = (
        f"; moved permanently to {result.state.moved_to} (update feeds.yaml)" if result.state.moved_to else ""
    )
    if not result.ok:
        return ProbeAnswer(result.feed, False, f"does not answer with a feed: {result.error}{moved}")
    if not result.items:
        return ProbeAnswer(result.feed, True, f"answers with a feed, but it has no entries{moved}")
    newest = max(item.published for item in result.items)
    skipped = f", {len(result.notes)} entries skipped" if result.notes else ""
    when = f"newest {newest:%Y-%m-%d %H:%M} UTC"
    words = f"answers with a feed: {len(result.items)} entries{skipped}, {when}{moved}"
    return ProbeAnswer(result.feed, True, words)


async def probe(settings: Settings) -> list[ProbeAnswer]:
    """Every feed of ``settings`` in file order: each enabled one fetched and parsed once."""
    poller = Poller(settings)
    try:
        results = {r.feed: r for r in await poller.poll_all()}
    finally:
        await poller.aclose()
    out = []
    for feed in settings.feeds:
        result = results.get(feed.name)
        if result is None:
            out.append(ProbeAnswer(feed.name, None, "disabled: not probed"))
        else:
            out.append(answer_words(result))
    return out


def render_probe(answers: list[ProbeAnswer]) -> str:
    """One line per feed (``NAME  words``), then a count; every cell sanitised (hostile text)."""
    width = max((len(sanitize(a.feed)) for a in answers), default=0)
    lines = [f"{sanitize(a.feed).ljust(width)}  {sanitize(a.words)}" for a in answers]
    probed = [a for a in answers if a.ok is not None]
    good = sum(1 for a in probed if a.ok)
    lines.append(f"{good} of {len(probed)} probed feed(s) answer with a feed")
    return "\n".join(lines) + "\n"


def run_probe(settings: Settings) -> tuple[str, bool]:
    """(the report, whether every probed feed answered with a feed)."""
    answers = asyncio.run(probe(settings))
    return render_probe(answers), all(a.ok for a in answers if a.ok is not None)
