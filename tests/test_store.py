"""The store on real files: round trips, retention, pending alerts per sink, and what a commit touches."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.errors import StoreError, StoreLockedError
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
from monitor.store import Batch, Store, read_feed_states

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


class Clock:
    """A settable clock for the store's ``now``."""

    def __init__(self, at: datetime = T0) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def make_item(n: int, *, feed: str = "wire", at: datetime = T0, text: str = "") -> Item:
    return Item(
        id=f"urn:item:{n}",
        feed=feed,
        title=f"Shelling reported near crossing {n}",
        summary=text or f"Report number {n} — ‘quoted’ text, العربية, עברית.",
        link=f"https://example.org/{n}",
        published=at - timedelta(minutes=5),
        published_raw="Fri, 20 Nov 2026 09:25:00 GMT",
        fetched_at=at,
        content_hash=f"hash-{n}-{text}",
        sources=("other",),
    )


def make_event(item: Item) -> Event:
    return Event(
        item_key=item.key,
        feed=item.feed,
        category=Category.FORCE_DEPLOYMENT,
        severity=Severity.MEDIUM,
        rule="force.pledge",
        status="claimed",
        matched=item.title,
        span=(0, 10),
        entities=Entities(countries=("Indonesia",), zones=("rafah",), troops=2000, troops_qualifier="up to"),
        detail={"stage": "pledged", "where": "inside Gaza"},
        published=item.published,
        title=item.title,
        link=item.link,
    )


def make_incident(n: int, *, last_seen: datetime = T0, title: str = "") -> Incident:
    ref = SourceRef(
        feed="wire", tier="wire", item_key=f"wire\x1furn:item:{n}", title="t", published=last_seen
    )
    return Incident(
        id=f"inc-{n}",
        category=Category.CEASEFIRE_VIOLATION,
        severity=Severity.HIGH,
        status="corroborated",
        title=title or f"Incident {n}",
        zone="khan_younis",
        actors=("IDF",),
        first_seen=last_seen - timedelta(hours=2),
        last_seen=last_seen,
        sources=(ref, ref.model_copy(update={"feed": "outlet", "party": "Israel"})),
        casualties=3,
        casualties_by="wire",
        rules=("violation.strike",),
        event_keys=(f"wire\x1furn:item:{n}|violation.strike",),
    )


def make_alert(n: int, *, ts: datetime = T0) -> Alert:
    return Alert(
        id=f"alert-{n}",
        ts=ts,
        kind="new",
        category=Category.CEASEFIRE_VIOLATION,
        severity=Severity.CRITICAL,
        title=f"Alert {n}",
        incident=f"inc-{n}",
        sources=2,
        entities=Entities(zones=("rafah",)),
    )


def make_state(polls: int = 1, *, at: datetime = T0) -> FeedState:
    return FeedState(
        url="https://example.org/feed.xml",
        etag='W/"abc"',
        last_modified="Fri, 20 Nov 2026 09:00:00 GMT",
        last_status=200,
        last_attempt=at,
        last_success=at,
        polls=polls,
        mean_gap_s=412.5,
    )


def full_batch(n: int, *, at: datetime = T0, items: int = 3) -> Batch:
    new = [make_item(n * 100 + j, at=at) for j in range(items)]
    return Batch(
        feed_states={"wire": make_state(n, at=at)},
        items=new,
        events=[make_event(i) for i in new],
        incidents=[make_incident(n, last_seen=at)],
        forces=[ForceEntry(contributor="Indonesia", status="pledged", troops=2000, last_change=at)],
        zones=[ZoneEntry(zone="rafah", count_24h=n, last_incident=f"inc-{n}", last_incident_at=at)],
        alerts=[make_alert(n, ts=at)],
        sinks=("watch",),
    )


@pytest.fixture
def warnings_seen() -> list[str]:
    return []


@pytest.fixture
def open_store(tmp_path: Path, warnings_seen: list[str]) -> Iterator[Callable[..., Store]]:
    opened: list[Store] = []

    def _open(clock: Callable[[], datetime] | None = None, **kwargs: object) -> Store:
        store = Store.open(tmp_path / "data", now=clock or Clock(), warn=warnings_seen.append, **kwargs)
        opened.append(store)
        return store

    yield _open
    for store in opened:
        store.close()
    assert warnings_seen == []  # nothing here should alarm the user


def test_every_record_type_survives_commit_close_reopen(open_store: Callable[..., Store]) -> None:
    batch = full_batch(1)
    store = open_store()
    store.commit(batch)
    store.acknowledge(["inc-1"])
    store.mute(["inc-9"])
    store.close()

    store = open_store()
    assert store.commits == 1
    assert store.feed_states() == batch.feed_states
    assert store.items() == sorted(batch.items, key=lambda i: i.published)
    assert store.item(batch.items[1].key) == batch.items[1]
    assert store.events() == batch.events
    assert store.incidents() == batch.incidents
    assert store.forces() == batch.forces
    assert store.zones() == batch.zones
    assert store.alerts() == batch.alerts
    assert store.pending_alerts("watch") == batch.alerts
    assert store.acknowledged() == {"inc-1"}
    assert store.muted() == {"inc-9"}
    for item in batch.items:
        assert store.seen_hash(item.key) == item.content_hash
        assert store.key_for_hash(item.content_hash) == item.key


def test_an_empty_data_dir_reads_as_an_empty_store(open_store: Callable[..., Store], tmp_path: Path) -> None:
    assert read_feed_states(tmp_path / "nothing-here") == {}
    assert not (tmp_path / "nothing-here").exists()
    store = open_store()
    assert (store.commits, store.feed_states(), store.items(), store.pending_alerts("watch")) == (
        0,
        {},
        [],
        [],
    )
    assert store.item("wire\x1fnope") is None
    assert store.seen_hash("wire\x1fnope") is None


def test_read_feed_states_reads_without_the_lock(open_store: Callable[..., Store], tmp_path: Path) -> None:
    store = open_store()
    store.commit(Batch(feed_states={"wire": make_state(4), "ngo": make_state(2)}))
    # the writer still holds the lock; the reader neither needs it nor writes anything
    before = sorted(p.name for p in (tmp_path / "data").iterdir())
    states = read_feed_states(tmp_path / "data")
    assert {name: s.polls for name, s in states.items()} == {"wire": 4, "ngo": 2}
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == before


def test_upserts_keep_the_latest_version(open_store: Callable[..., Store]) -> None:
    clock = Clock()
    store = open_store(clock)
    first = make_item(1, text="first version")
    store.commit(Batch(items=[first], incidents=[make_incident(1, title="old")]))
    clock.at = T0 + timedelta(days=1)  # the update lands in another day's chunk
    updated = first.model_copy(update={"summary": "second version", "content_hash": "hash-2nd"})
    store.commit(
        Batch(
            items=[updated],
            incidents=[make_incident(1, last_seen=clock.at, title="new")],
            forces=[ForceEntry(contributor="Egypt", status="offered", last_change=clock.at)],
        )
    )
    store.commit(Batch(forces=[ForceEntry(contributor="Egypt", status="deployed", last_change=clock.at)]))
    store.close()

    store = open_store(clock)
    assert store.items() == [updated]
    assert store.item(first.key) == updated
    assert store.seen_hash(first.key) == "hash-2nd"
    assert store.key_for_hash("hash-2nd") == first.key
    assert [(i.id, i.title) for i in store.incidents()] == [("inc-1", "new")]
    assert store.incidents(since=T0 + timedelta(hours=12))[0].title == "new"
    assert [(f.contributor, f.status) for f in store.forces()] == [("Egypt", "deployed")]


def test_since_filters_by_each_records_own_time(open_store: Callable[..., Store]) -> None:
    clock = Clock()
    store = open_store(clock)
    for day in range(4):
        clock.at = T0 + timedelta(days=day)
        store.commit(full_batch(day + 1, at=clock.at, items=1))
    since = T0 + timedelta(days=2)
    assert [a.id for a in store.alerts(since=since)] == ["alert-3", "alert-4"]
    assert [i.id for i in store.incidents(since=since)] == ["inc-3", "inc-4"]
    assert len(store.items(since=since - timedelta(minutes=5))) == 2
    assert len(store.events(since=since - timedelta(minutes=5))) == 2
    assert len(store.items()) == 4


def test_incidents_since_builds_only_those_in_range_and_returns_what_filtering_all_gives(
    open_store: Callable[..., Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    # One commit (one day chunk) holding incidents from ten days: the chunk's day cannot rule any
    # out, so those last seen before ``since`` are told apart in their JSON and never built.
    clock = Clock(T0 + timedelta(days=10))
    store = open_store(clock)
    stored = [make_incident(n, last_seen=T0 + timedelta(hours=6 * n)) for n in range(40)]
    store.commit(Batch(incidents=stored))
    # a later version moves inc-2 into the range, and one of inc-30 out of it
    store.commit(
        Batch(
            incidents=[
                make_incident(2, last_seen=T0 + timedelta(days=9, hours=23), title="moved on"),
                make_incident(30, last_seen=T0, title="dated back"),
            ]
        )
    )
    everything = store.incidents()
    built: list[object] = []
    validate = Incident.model_validate

    def counting(obj: object, *args: object, **kwargs: object) -> Incident:
        built.append(obj)
        return validate(obj, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Incident, "model_validate", counting)
    for since in (T0 + timedelta(days=7), T0 + timedelta(hours=6 * 35), T0 - timedelta(days=1)):
        built.clear()
        found = store.incidents(since=since)
        assert found == [i for i in everything if i.last_seen >= since]
        assert len(built) == len(found)
    assert [i.id for i in store.incidents(since=T0 + timedelta(days=8, hours=18))] == [
        "inc-35",
        "inc-36",
        "inc-37",
        "inc-38",
        "inc-39",
        "inc-2",
    ]


def test_retention_drops_whole_old_shards(
    open_store: Callable[..., Store], tmp_path: Path, warnings_seen: list[str]
) -> None:
    clock = Clock(T0 - timedelta(days=40))
    store = open_store(clock, retention_days=30)
    store.commit(full_batch(1, at=clock.at))
    old_key = store.items()[0].key
    store.acknowledge(["inc-1"])
    clock.at = T0 - timedelta(days=20)
    store.commit(full_batch(2, at=clock.at))
    clock.at = T0 - timedelta(days=1)
    store.commit(Batch(items=[make_item(900, at=clock.at)]))
    store.close()
    # 19 days after the newest record: expiry waits for a record of this date (this commit's).
    assert len(warnings_seen) == 1 and "19 days after the newest record" in warnings_seen.pop()
    old_day = (T0 - timedelta(days=40)).date().isoformat()
    assert list((tmp_path / "data" / "items").glob(f"{old_day}.*"))  # within retention until now

    clock.at = T0
    store = open_store(clock, retention_days=30)
    data = tmp_path / "data"
    for family in ("items", "incidents", "alerts"):
        names = [p.name for p in (data / family).iterdir()]
        assert not [n for n in names if n.startswith(old_day)], family
        assert [n for n in names if n.startswith((T0 - timedelta(days=20)).date().isoformat())], family
    assert [a.id for a in store.alerts()] == ["alert-2"]
    assert [i.id for i in store.incidents()] == ["inc-2"]
    # A pending alert is owed to its sink: retention never takes it away, however old.
    assert store.pending_alerts("watch") == [
        make_alert(1, ts=T0 - timedelta(days=40)),
        make_alert(2, ts=T0 - timedelta(days=20)),
    ]
    assert store.acknowledged() == set()
    assert len(store.items()) == 4
    # the seen ledger outlives history, so an old item still in a feed is not news again
    assert store.seen_hash(old_key) is not None
    assert store.item(old_key) is None
    clock.at = T0 + timedelta(days=24)
    store.commit(Batch(items=[make_item(901, at=clock.at)]))
    store.close()
    assert len(warnings_seen) == 1 and "25 days after the newest record" in warnings_seen.pop()

    clock.at = T0 + timedelta(days=25)
    store = open_store(clock, retention_days=30)
    assert store.seen_hash(old_key) is None
    assert [i.key for i in store.items()] == [make_item(900, at=T0).key, make_item(901, at=T0).key]


def test_pending_alerts_are_kept_per_sink(open_store: Callable[..., Store], tmp_path: Path) -> None:
    store = open_store()
    alerts = [make_alert(n, ts=T0 + timedelta(minutes=n)) for n in range(1, 4)]
    store.commit(Batch(alerts=alerts, sinks=("watch", "exec")))
    store.commit(Batch(alerts=[make_alert(9)], sinks=()))  # no durable sink: history only
    store.mark_emitted("watch", ["alert-1", "alert-2", "alert-unknown"])
    store.mark_emitted("exec", ["alert-2"])
    assert [a.id for a in store.pending_alerts("watch")] == ["alert-3"]
    assert [a.id for a in store.pending_alerts("exec")] == ["alert-1", "alert-3"]
    store.close()

    store = open_store()
    assert [a.id for a in store.pending_alerts("watch")] == ["alert-3"]
    assert [a.id for a in store.pending_alerts("exec")] == ["alert-1", "alert-3"]
    assert store.pending_alerts("app") == []
    store.mark_emitted("watch", ["alert-3"])
    store.mark_emitted("exec", ["alert-1", "alert-3"])
    assert store.pending_alerts("exec") == []
    assert [a.id for a in store.alerts()] == ["alert-9", "alert-1", "alert-2", "alert-3"] or len(
        store.alerts()
    ) == 4
    store.close()  # marks go to the journal at once and into state.json at the next state write
    state = (tmp_path / "data" / "state.json").read_text()
    assert "alert-1" not in state  # delivered everywhere: nothing left in the hot file
    assert (tmp_path / "data" / "emitted.journal").read_bytes() == b""  # folded in


def test_acknowledge_and_mute_can_be_taken_back(open_store: Callable[..., Store]) -> None:
    store = open_store()
    store.acknowledge(["a", "b"])
    store.mute(["c"])
    store.acknowledge(["a"], on=False)
    store.mute(["c"], on=False)
    store.close()
    store = open_store()
    assert (store.acknowledged(), store.muted()) == ({"b"}, set())


def _snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_ino, p.stat().st_mtime_ns, p.stat().st_size)
        for p in root.rglob("*")
        if p.is_file()
    }


def _changed(before: dict[str, tuple[int, int, int]], after: dict[str, tuple[int, int, int]]) -> set[str]:
    return {name for name, sig in after.items() if before.get(name) != sig}


def test_a_commit_rewrites_only_the_state_file_and_the_chunks_it_appends_to(
    open_store: Callable[..., Store], tmp_path: Path
) -> None:
    clock = Clock(T0 - timedelta(days=3))
    store = open_store(clock)
    for n in range(1, 25):  # three days of history, several chunks a day
        clock.at = T0 - timedelta(days=3) + timedelta(hours=3 * n)
        store.commit(full_batch(n, at=clock.at, items=200))
    data = tmp_path / "data"
    assert len(list((data / "items").glob("*.json"))) >= 5
    before = _snapshot(data)

    store.commit(
        Batch(
            feed_states={"wire": make_state(99)},
            items=[make_item(9999, at=clock.at)],
            alerts=[make_alert(99)],
        )
    )
    newest = {family: sorted((data / family).glob("*.json"))[-1].name for family in ("items", "alerts")}
    written = {
        "state.json",
        f"items/{newest['items']}",
        f"seen/{newest['items']}",
        f"alerts/{newest['alerts']}",
    }
    # each rewritten file keeps its previous version as .bak (a chunk new in this commit has none)
    assert _changed(before, _snapshot(data)) == written | {
        f"{name}.bak" for name in written if name in before
    }

    before = _snapshot(data)
    store.mark_emitted("watch", ["alert-24"])
    # appended (the mark, and the delivered-id ledger), state.json untouched
    assert _changed(before, _snapshot(data)) == {"emitted.journal", "delivered.ids"}
    store.acknowledge(["inc-24"])
    # an acknowledgement is an append to the marks log (shared with attached apps), never a state write
    assert _changed(before, _snapshot(data)) == {
        "emitted.journal",
        "delivered.ids",
        "marks.log",
        "marks.lock",
    }
    before = _snapshot(data)
    store.commit(Batch())  # nothing new, but the mark is folded into state.json (and the journal's)
    assert _changed(before, _snapshot(data)) == {
        "state.json",
        "state.json.bak",
        "emitted.journal",
        "marks.log",
    }
    assert (data / "emitted.journal").stat().st_size == 0
    assert store.acknowledged() == {"inc-24"}


def test_history_chunks_stay_bounded_as_history_grows(
    open_store: Callable[..., Store], tmp_path: Path
) -> None:
    store = open_store()
    for n in range(1, 31):
        store.commit(Batch(items=[make_item(n * 1000 + j) for j in range(200)]))
    chunks = sorted((tmp_path / "data" / "items").glob("*.json"))
    assert len(chunks) >= 4
    sizes = [p.stat().st_size for p in chunks]
    assert max(sizes) < 2 * min(sizes[:-1])  # full chunks are alike; none grows with the total
    backed_up = sorted(p.name for p in (tmp_path / "data" / "items").glob("*.json.bak"))
    assert backed_up == [f"{p.name}.bak" for p in chunks[-2:]]  # closed chunks are never written again
    assert len(store.items()) == 6000


def test_a_failed_write_leaves_the_last_commit_and_the_store_usable(
    open_store: Callable[..., Store], tmp_path: Path
) -> None:
    store = open_store()
    store.commit(full_batch(1))
    chunk = sorted((tmp_path / "data" / "items").glob("*.json"))[-1]
    blocker = chunk.with_name(f".{chunk.name}.{os.getpid()}.tmp")
    blocker.mkdir()  # the temp file cannot be created: the write fails like a full disk would
    with pytest.raises(StoreError, match="could not save"):
        store.commit(full_batch(2))
    assert store.commits == 1
    assert store.feed_states()["wire"].polls == 1
    assert [a.id for a in store.alerts()] == ["alert-1"]
    blocker.rmdir()
    store.commit(full_batch(3))
    store.close()

    store = open_store()
    assert store.commits == 2
    assert [a.id for a in store.alerts()] == ["alert-1", "alert-3"]
    assert {i.id for i in store.items()} == {f"urn:item:{n}" for n in (100, 101, 102, 300, 301, 302)}


def test_a_second_open_in_the_same_process_is_refused(
    open_store: Callable[..., Store], tmp_path: Path
) -> None:
    open_store()
    with pytest.raises(StoreLockedError) as info:
        Store.open(tmp_path / "data")
    assert info.value.pid == os.getpid()
    assert "--data-dir" in str(info.value)


def test_a_closed_store_refuses_writes_and_closes_twice(
    open_store: Callable[..., Store], tmp_path: Path
) -> None:
    store = open_store()
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.commit(Batch())
    assert not (tmp_path / "data" / "store.pid").exists()
    Store.open(tmp_path / "data").close()  # the lock was released


def test_a_warm_cycle_writes_only_what_changed(open_store: Callable[..., Store], tmp_path: Path) -> None:
    store = open_store()
    store.commit(full_batch(1))
    store.commit(Batch(feed_states={"rss": make_state(1), "wire": make_state(1)}))
    data = tmp_path / "data"
    before = _snapshot(data)
    # Feed states handed back as they are (feeds not due, or the store's own records): no write.
    store.commit(Batch(feed_states=store.feed_states()))
    store.commit(Batch(feed_states={"wire": make_state(1)}, forces=[], zones=[]))
    assert _changed(before, _snapshot(data)) == set()
    assert store.commits == 2
    # An all-304 cycle changes bookkeeping: state.json is written once, history is not touched.
    polled = make_state(2, at=T0 + timedelta(minutes=5))
    store.commit(Batch(feed_states={"rss": make_state(1), "wire": polled}))
    assert _changed(before, _snapshot(data)) == {"state.json", "state.json.bak"}
    assert store.commits == 3
    store.close()
    assert open_store().feed_states() == {"rss": make_state(1), "wire": polled}
