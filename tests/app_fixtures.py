"""Fixed demo data for the app tests and snapshots: real stores in tmp dirs, a frozen clock.

The titles include markup look-alikes and terminal escape sequences on purpose: records written
by any version of the store are displayed through the app's own sanitising and plain-text path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.models import (
    Alert,
    Category,
    Entities,
    Event,
    FeedState,
    ForceEntry,
    Incident,
    Item,
    Severity,
    SourceRef,
    ZoneEntry,
)
from monitor.store import Batch, Store

NOW = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)

HOSTILE_TITLES = (
    "[bold]x",
    "[/",
    "[/bold] y",
    "[link=https://evil.example]z",
    "[@click=app.quit]w",
    "[USD] aid pledge",
    "\x1b[31mred alert\x1b[0m in Rafah",
    "\x1b]0;pwned title\x07shelling reported",
    "\x1b]8;;https://evil.example\x1b\\click me\x1b]8;;\x1b\\ now",
)

FEEDS: dict[str, tuple[str, str | None]] = {
    "wire-a": ("wire", None),
    "outlet-b": ("outlet", None),
    "outlet-c": ("outlet", None),
    "ngo-d": ("ngo", None),
    "party-e": ("official", "party-e"),
}

_PLAIN_TITLES = (
    (
        "Shelling reported near the yellow line east of Khan Younis",
        Category.CEASEFIRE_VIOLATION,
        "Khan Younis",
    ),
    ("Drone strike on a vehicle in Gaza City, two killed", Category.CEASEFIRE_VIOLATION, "Gaza City"),
    ("Evacuation order issued for blocks in Rafah", Category.SAFE_ZONE, "Rafah"),
    ("Unexploded shell found near a school in Deir al-Balah", Category.UXO, "Deir al-Balah"),
    ("Talks on the stabilisation force resume in Cairo", Category.DIPLOMACY, "unlocated"),
    ("Gunfire at an aid queue in North Gaza", Category.CEASEFIRE_VIOLATION, "North Gaza"),
    ("Rubble clearance starts on the coastal road", Category.RECONSTRUCTION, "Gaza City"),
    ("Remains handed over at the Kerem Shalom crossing", Category.HOSTAGE_REMAINS, "Kerem Shalom"),
    ("Raid in Khan Younis after a rocket launch", Category.REPRISAL, "Khan Younis"),
    ("Contributor pledges engineers for the stabilisation force", Category.FORCE_DEPLOYMENT, "unlocated"),
)
_SEVERITIES = (Severity.HIGH, Severity.CRITICAL, Severity.MEDIUM, Severity.LOW, Severity.LOW)


def _source(feed: str, key: str, title: str, at: datetime, link: str | None) -> SourceRef:
    tier, party = FEEDS[feed]
    return SourceRef(feed=feed, tier=tier, party=party, item_key=key, title=title, link=link, published=at)  # type: ignore[arg-type]


def build_incidents(count: int = 24, now: datetime = NOW) -> list[Incident]:
    """``count`` incidents, one every 40 minutes back from ``now``; hostile titles mixed in."""
    incidents: list[Incident] = []
    feed_names = list(FEEDS)
    for n in range(count):
        if n % 4 == 3:
            title, category, zone = (
                HOSTILE_TITLES[(n // 4) % len(HOSTILE_TITLES)],
                Category.CEASEFIRE_VIOLATION,
                "Rafah",
            )
        else:
            title, category, zone = _PLAIN_TITLES[n % len(_PLAIN_TITLES)]
        at = now - timedelta(minutes=40 * n + 5)
        feeds = feed_names[: 1 + n % 3]
        sources = tuple(
            _source(
                f, f"{f}\x1fitem-{n}", title, at - timedelta(minutes=3 * k), f"https://{f}.example/news/{n}"
            )
            for k, f in enumerate(feeds)
        )
        incidents.append(
            Incident(
                id=f"inc-{n:05d}",
                category=category,
                severity=_SEVERITIES[n % len(_SEVERITIES)],
                status="corroborated" if len(feeds) > 1 else "reported",
                title=title,
                zone=zone,
                first_seen=at - timedelta(minutes=10),
                last_seen=at,
                sources=sources,
                rules=(f"{category.value}.basic",),
                event_keys=tuple(f"{s.item_key}|{category.value}.basic" for s in sources),
                casualties=2 if "killed" in title else None,
                casualties_by=feeds[0] if "killed" in title else None,
            )
        )
    return incidents


def build_items(incidents: Iterable[Incident]) -> list[Item]:
    items = []
    for inc in incidents:
        for s in inc.sources:
            feed, item_id = s.item_key.split("\x1f")
            items.append(
                Item(
                    id=item_id,
                    feed=feed,
                    title=s.title,
                    summary=f"Local sources said that {s.title.lower()} on the morning of the report.",
                    link=s.link,
                    published=s.published,
                    fetched_at=s.published,
                    content_hash=f"h-{s.item_key}",
                )
            )
    return items


def build_events(incidents: Iterable[Incident], items: Mapping[str, Item]) -> list[Event]:
    events = []
    for inc in incidents:
        for s in inc.sources:
            item = items[s.item_key]
            start = len(item.title) + 2
            events.append(
                Event(
                    item_key=s.item_key,
                    feed=s.feed,
                    category=inc.category,
                    severity=inc.severity,
                    rule=f"{inc.category.value}.basic",
                    matched=item.text[start : start + 13],
                    span=(start, start + 13),
                    entities=Entities(countries=("Egypt",), actors=("Hamas", "IDF"), zones=(inc.zone,)),
                    detail={"stage": "pledged"} if inc.category == Category.FORCE_DEPLOYMENT else {},
                    published=s.published,
                    title=s.title,
                    link=s.link,
                )
            )
    return events


def build_forces(now: datetime = NOW) -> list[ForceEntry]:
    def ev(feed: str, n: int, title: str, hours: float) -> SourceRef:
        return _source(
            feed, f"{feed}\x1fforce-{n}", title, now - timedelta(hours=hours), f"https://{feed}.example/f/{n}"
        )

    return [
        ForceEntry(
            contributor="Indonesia",
            status="pledged",
            troops=20000,
            troops_qualifier="up to",
            role="stabilisation",
            where="outside Gaza",
            last_change=now - timedelta(hours=5),
            evidence=(
                ev("wire-a", 1, "Jakarta in talks on force", 90),
                ev("outlet-b", 2, "Jakarta pledges troops", 5),
            ),
        ),
        ForceEntry(
            contributor="Azerbaijan",
            status="declined",
            role=None,
            where=None,
            last_change=now - timedelta(days=3),
            evidence=(ev("outlet-c", 3, "Baku will not send troops", 72),),
        ),
        ForceEntry(
            contributor="Egypt",
            status="in_talks",
            role="training police",
            where="outside Gaza",
            last_change=now - timedelta(days=1),
            evidence=(ev("wire-a", 4, "Cairo hosts force talks", 24),),
        ),
        ForceEntry(
            contributor="[bold]Italy",
            status="offered",
            troops=1200,
            troops_qualifier="about",
            role="engineers",
            where="inside Gaza",
            last_change=now - timedelta(hours=30),
        ),
    ]


def build_zones() -> list[ZoneEntry]:
    return [
        ZoneEntry(zone="North Gaza", count_24h=2, count_7d=9, status="evacuation_ordered", trend="rising"),
        ZoneEntry(zone="Gaza City", count_24h=5, count_7d=21, status="struck", trend="steady"),
        ZoneEntry(zone="Deir al-Balah", count_24h=0, count_7d=3, trend="falling"),
        ZoneEntry(zone="Khan Younis", count_24h=7, count_7d=30, status="struck", trend="rising"),
        ZoneEntry(zone="Rafah", count_24h=11, count_7d=40, status="safe_zone_proposed", trend="rising"),
        ZoneEntry(zone="Kerem Shalom", count_24h=1, count_7d=2),
        ZoneEntry(zone="unlocated", count_24h=3, count_7d=8),
    ]


def build_feeds(now: datetime = NOW) -> dict[str, FeedState]:
    ok = {"last_attempt": now - timedelta(minutes=2), "last_success": now - timedelta(minutes=2), "polls": 40}
    return {
        "wire-a": FeedState(url="https://wire-a.example/rss", items_seen=120, **ok),  # type: ignore[arg-type]
        "outlet-b": FeedState(url="https://outlet-b.example/rss", items_seen=80, **ok),  # type: ignore[arg-type]
        "outlet-c": FeedState(
            url="https://outlet-c.example/rss",
            last_attempt=now - timedelta(minutes=2),
            last_success=now - timedelta(hours=3),
            consecutive_failures=4,
            last_status=503,
            last_error="the server answered 503 Service Unavailable \x1b[2J[bold]",
            polls=40,
        ),
        "ngo-d": FeedState(
            url="https://ngo-d.example/rss",
            last_attempt=now - timedelta(minutes=2),
            last_success=now - timedelta(minutes=2),
            last_new_item=now - timedelta(days=3),
            mean_gap_s=3600,
            items_seen=30,
            polls=40,
        ),
        "party-e": FeedState(url="https://party-e.example/rss", gone=True, last_status=410, polls=9),
        "old-f": FeedState(
            url="http://old-f.example/rss", moved_to="https://new-f.example/rss", polls=3, last_status=301
        ),
    }


def build_alerts(incidents: list[Incident]) -> list[Alert]:
    return [
        Alert(
            id=f"al-{i.id}",
            ts=i.last_seen,
            kind="new" if n % 3 else "update",
            category=i.category,
            severity=i.severity,
            title=i.title,
            link=i.sources[0].link,
            incident=i.id,
            sources=i.source_count,
            status=i.status,
        )
        for n, i in enumerate(incidents[:10])
    ]


def demo_batch(count: int = 24) -> Batch:
    """Every fixture record in one batch, as one poll cycle would commit it."""
    incidents = build_incidents(count)
    items = {it.key: it for it in build_items(incidents)}
    return Batch(
        feed_states=build_feeds(),
        items=list(items.values()),
        events=build_events(incidents, items),
        incidents=incidents,
        forces=build_forces(),
        zones=build_zones(),
        alerts=build_alerts(incidents),
    )


def demo_store(data_dir: Path, count: int = 24, *, acknowledged: Iterable[str] = ()) -> Store:
    """A real store in ``data_dir`` holding the fixture records (the caller closes it)."""
    store = Store.open(data_dir, now=lambda: NOW)
    store.commit(demo_batch(count))
    if acknowledged:
        store.acknowledge(list(acknowledged))
    return store
