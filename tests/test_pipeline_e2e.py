"""End to end: loopback feeds → fetch → parse → rules (stand-in, then real) → Picture and Store → sink."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from feedserver import FeedServer
from standin_rules import WordRules

from monitor.config import FeedConfig, Limits, Settings
from monitor.ingest.poller import ParserPool, Poller
from monitor.models import Category, Entities
from monitor.picture import Picture
from monitor.pipeline import CycleReport, Pipeline
from monitor.store import Store

SHELLING_RULES = WordRules("shelling", entities=Entities(places=("Khan Younis",), zones=("Khan Younis",)))
"""Every item about shelling is a ceasefire violation in Khan Younis."""


class Recorder:
    name = "rec"
    durable = True

    def __init__(self, store: Store) -> None:
        self.store = store
        self.reports: list[CycleReport] = []
        self.pending: list[set[str]] = []

    async def deliver(self, report: CycleReport) -> None:
        self.reports.append(report)
        self.pending.append({a.id for a in self.store.pending_alerts(self.name)})


def rss(guid: str, title: str, when: datetime) -> bytes:
    return (
        f'<rss version="2.0"><channel><title>T</title><item><title>{title}</title><guid>{guid}</guid>'
        f"<link>https://news.example/{guid}</link><pubDate>{format_datetime(when, usegmt=True)}</pubDate>"
        "</item></channel></rss>"
    ).encode()


async def test_two_outlets_one_incident_stored_before_the_sink_sees_it(
    server: FeedServer, store: Store
) -> None:
    now = datetime.now(UTC)
    cfg = Settings(
        feeds=(
            FeedConfig(
                name="alpha", url=server.feed("/a", rss("a1", "Shelling reported in Khan Younis", now))
            ),
            FeedConfig(
                name="beta",
                url=server.feed("/b", rss("b1", "Residents describe overnight shelling in Khan Younis", now)),
            ),
            FeedConfig(name="gamma", url=server.feed("/c", rss("c1", "Aid convoy reaches the north", now))),
        ),
        limits=Limits(timeout_s=5),
    )
    picture = Picture(cfg)
    poller = Poller(cfg, parser=ParserPool(workers=0))
    pipe = Pipeline(cfg, store, engine=SHELLING_RULES, picture=picture, poller=poller, handle_signals=False)
    sink = Recorder(store)
    report = await pipe.run([sink], once=True)
    assert report is not None

    assert len(store.items()) == 3
    assert sorted(e.feed for e in store.events()) == ["alpha", "beta"]
    stored = {i.id: i for i in store.incidents()}
    assert stored and set(stored) == {i.id for i in report.incidents}
    assert {s.feed for inc in stored.values() for s in inc.sources} == {"alpha", "beta"}
    alerts = {a.id for a in report.alerts}
    assert alerts and sink.pending == [alerts]  # committed, pending for the sink, before it saw them

    # a restart restores the picture from the store and polls conditionally: nothing new, no new alert
    again = Pipeline(
        cfg,
        store,
        engine=SHELLING_RULES,
        picture=Picture.restore(cfg, store),
        poller=Poller(cfg, states=store.feed_states(), parser=ParserPool(workers=0)),
        handle_signals=False,
    )
    second = await again.run([], once=True)
    assert second is not None and second.items == () and second.alerts == ()
    snap = again.snapshot()
    assert {i.id for i in snap.incidents} == set(stored)
    assert all(s.last_success and s.last_success > now - timedelta(minutes=5) for s in snap.feeds.values())


async def test_real_rules_real_picture_real_store(server: FeedServer, store: Store) -> None:
    from monitor.rules import RuleEngine

    now = datetime.now(UTC)
    cfg = Settings(
        feeds=(
            FeedConfig(
                name="wire",
                url=server.feed(
                    "/w", rss("w1", "Israeli tank fire kills two in Khan Younis despite ceasefire", now)
                ),
                tier="wire",
            ),
            FeedConfig(
                name="outlet",
                url=server.feed(
                    "/o", rss("o1", "Indonesia pledges 2,000 troops for Gaza stabilisation force", now)
                ),
            ),
            FeedConfig(name="quiet", url=server.feed("/q", rss("q1", "Aid convoy reaches the north", now))),
        ),
        limits=Limits(timeout_s=5),
    )
    pipe = Pipeline(
        cfg,
        store,
        engine=RuleEngine.load(),
        picture=Picture.restore(cfg, store),
        poller=Poller(cfg, parser=ParserPool(workers=0)),
        handle_signals=False,
    )
    sink = Recorder(store)
    report = await pipe.run([sink], once=True)
    assert report is not None
    assert {e.category for e in store.events()} == {Category.CEASEFIRE_VIOLATION, Category.FORCE_DEPLOYMENT}
    assert [i.zone for i in store.incidents() if i.category is Category.CEASEFIRE_VIOLATION] == [
        "Khan Younis"
    ]
    forces = {f.contributor: f for f in store.forces()}
    assert forces["Indonesia"].status == "pledged" and forces["Indonesia"].troops == 2000
    assert sink.pending == [{a.id for a in report.alerts}] and report.alerts
