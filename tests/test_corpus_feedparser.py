"""feedparser's own ~2,100 test feeds served over loopback through fetch → parse → store, once each.

What is checked is ours, not feedparser's expectations: no crash, a clear error for each file that
is not a usable feed, and no stored field carrying a control character or an escape sequence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytest
from feedserver import FeedServer, Request, respond

from monitor.config import FeedConfig, Limits, Settings
from monitor.ingest.poller import ParserPool, Poller
from monitor.models import Event, ForceEntry, Incident, Item, ZoneEntry
from monitor.pipeline import NoChange, Pipeline
from monitor.store import Store
from monitor.text import is_clean

REPO = Path(__file__).parents[1]
# ../shared beside the checkout (as CI lays it out); a git worktree may sit one level deeper
CORPUS = next(
    (c for c in (d / "shared" / "corpora" / "feedparser-tests" for d in REPO.parents) if c.is_dir()),
    REPO.parent / "shared" / "corpora" / "feedparser-tests",
)
_HEADER = re.compile(rb"^\s*Header:\s*([A-Za-z-]+)\s*:\s*(.*?)\s*$", re.MULTILINE)
_CRASH = ("internal error", "the feed could not be parsed", "the parser process died")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS} (../shared beside the checkout)"
    ),
]


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".xml", ".json"))


def headers_of(body: bytes) -> list[tuple[str, str]]:
    """The ``Header: Name: value`` lines of a corpus file's leading comment, to serve with it."""
    end = body.find(b"-->")
    head = body[: end if end != -1 else 2000]
    return [(n.decode("latin-1"), v.decode("latin-1")) for n, v in _HEADER.findall(head)]


class NoRules:
    def classify(self, item: Item) -> list[Event]:
        return []


class EmptyPicture:
    def apply(self, events: Sequence[Event], *, now: datetime) -> NoChange:
        return NoChange()

    def incidents(self) -> list[Incident]:
        return []

    def forces(self) -> list[ForceEntry]:
        return []

    def zones(self) -> list[ZoneEntry]:
        return []


def serve_file(body: bytes, headers: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    async def serve(_request: Request, writer) -> None:  # type: ignore[no-untyped-def]
        await respond(writer, 200, body, headers)

    return serve


@pytest.mark.timeout(120)
async def test_every_corpus_file_goes_through_without_a_crash(server: FeedServer, store: Store) -> None:
    files = corpus_files()
    assert len(files) > 2000
    feeds = []
    for path in files:
        rel = path.relative_to(CORPUS).as_posix()
        body = path.read_bytes()
        server.route(f"/{rel}", serve_file(body, headers_of(body)))
        feeds.append(FeedConfig(name=rel, url=server.url(f"/{rel}"), interval=60))
    settings = Settings(feeds=tuple(feeds), concurrency=32, per_host=32, limits=Limits(timeout_s=60))
    poller = Poller(settings, parser=ParserPool(workers=2, small=0))
    pipe = Pipeline(
        settings, store, engine=NoRules(), picture=EmptyPicture(), poller=poller, handle_signals=False
    )
    report = await pipe.run([], once=True)
    assert report is not None

    states = store.feed_states()
    assert len(states) == len(files)
    errors = {name: s.last_error for name, s in states.items() if s.last_error}
    crashes = {n: e for n, e in errors.items() if e.startswith(_CRASH)}
    assert crashes == {}
    for name, error in errors.items():
        assert is_clean(error) and len(error) > 8, (name, error)

    items = store.items()
    usable = len(files) - len(errors)
    carried = len(items) + sum(len(i.sources) for i in items)  # distinct items + syndicated copies
    print(f"\n{len(files)} files: {usable} usable feeds, {len(items)} distinct items ({carried} with copies)")
    assert usable > 1800 and len(items) > 50
    dirty = [
        (i.key, field, value)
        for i in items
        for field in ("id", "title", "summary", "link", "published_raw")
        if (value := getattr(i, field)) is not None and not is_clean(value)
    ]
    assert dirty == []
    assert all(s.moved_to is None for s in states.values())

    # the sanitiser corpus carries scripts and event handlers: none may survive as markup
    sanitize_items = [i for i in items if i.feed.startswith("wellformed/sanitize/")]
    assert sanitize_items
    assert not [i.key for i in sanitize_items if re.search(r"<\s*script|onclick\s*=", i.summary, re.I)]

    kinds = Counter(e.split(":")[0] for e in errors.values())
    print(f"not usable: {dict(kinds)}")
