"""The seen ledger and history chunks at scale: what dedupe reads, chunk caps, lazy open, the old format."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.models import FeedState, Item
from monitor.pipeline import Pipeline
from monitor.store import Batch, Store, StoreReader
from monitor.store.shards import Shards
from monitor.store.store import ITEM_CHUNK_DOCS

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def item(n: int, *, feed: str = "wire", content: str | None = None, sources: tuple[str, ...] = ()) -> Item:
    return Item(
        id=f"urn:{n}",
        feed=feed,
        title=f"Report {n}",
        summary="text",
        published=T0 - timedelta(minutes=n % 600),
        fetched_at=T0,
        content_hash=content or f"h{n}",
        sources=sources,
    )


def open_store(path: Path) -> Store:
    return Store.open(path, now=lambda: T0, warn=lambda m: pytest.fail(m))


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the history chunks read (parsed) from disk from now on."""
    read: list[str] = []
    original = Shards._read

    def spy(self: Shards, name: str) -> dict[str, list[dict[str, object]]]:
        read.append(f"{self.root.name}/{name}")
        return original(self, name)

    monkeypatch.setattr(Shards, "_read", spy)
    return read


def test_one_large_commit_keeps_the_chunk_cap(tmp_path: Path) -> None:
    n = ITEM_CHUNK_DOCS * 3 + 17
    with open_store(tmp_path) as store:
        store.commit(Batch(items=[item(i) for i in range(n)]))
    chunks = sorted((tmp_path / "items").glob("*.json"))
    sizes = [sum(len(t) for t in json.loads(p.read_text()).values()) for p in chunks]
    assert sizes == [ITEM_CHUNK_DOCS] * 3 + [17]
    assert len(list((tmp_path / "seen").glob("*.json"))) == 1  # one ledger file for the commit
    with open_store(tmp_path) as store:
        assert len(store.items()) == n
        assert store.item("wire\x1furn:3000") == item(3000)  # found in the chunk the ledger names
        assert StoreReader.open(tmp_path).items()[-1].id in {f"urn:{i}" for i in range(n)}


def test_a_warm_cycle_never_reads_the_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(tmp_path) as store:
        for start in range(0, 3000, 1000):
            store.commit(Batch(items=[item(i) for i in range(start, start + 1000)]))
    read = count_parses(monkeypatch)
    state = FeedState(url="http://127.0.0.1/", etag='"v1"', polls=7, not_modified=6)
    with open_store(tmp_path) as store:  # an all-304 cycle: feed states, no items
        store.commit(Batch(feed_states={"wire": state}))
    assert [r for r in read if r.startswith(("seen/", "items/"))] == []
    with open_store(tmp_path) as store:  # items committed before anything asked for the ledger
        assert store.feed_states()["wire"] == state
        store.commit(Batch(items=[item(5000)]))
        assert any(r.startswith("seen/") for r in read)  # read first: the new rows join it
        assert store.seen_hash("wire\x1furn:5000") == "h5000"
        assert store.seen_hash("wire\x1furn:2999") == "h2999"
        assert store.key_for_hash("h5") == "wire\x1furn:5"
        assert store.seen_hash("wire\x1furn:9999") is None


def test_a_wire_copy_of_a_stored_item_reads_no_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(tmp_path) as store:
        for start in range(0, 6000, 1000):  # several closed chunks
            store.commit(Batch(items=[item(i) for i in range(start, start + 1000)]))
    with open_store(tmp_path) as store:
        read = count_parses(monkeypatch)
        pipe = Pipeline.__new__(Pipeline)
        pipe.store = store
        results = [_result([item(i + 10_000, feed="outlet", content=f"h{i}") for i in range(0, 6000, 7)])]
        items, fresh, _, sources = pipe._dedupe(results)
        assert items == [] and fresh == []
        assert sources["wire\x1furn:7"] == ("outlet",)
        # the ledger is read (on first use), but not one history file for 858 copies of stored items
        assert [r for r in read if not r.startswith("seen/")] == []
        store.commit(Batch(sources=sources))
    with open_store(tmp_path) as store:
        assert store.item("wire\x1furn:7").sources == ("outlet",)  # type: ignore[union-attr]
        assert store.seen("wire\x1furn:7").sources == ("outlet",)  # type: ignore[union-attr]
        by_key = {i.key: i for i in store.items()}
        assert by_key["wire\x1furn:7"].sources == ("outlet",)
        assert by_key["wire\x1furn:8"].sources == ()
    reader = {i.key: i for i in StoreReader.open(tmp_path).items()}
    assert reader["wire\x1furn:14"].sources == ("outlet",)


def test_an_update_of_a_stored_item_keeps_its_sources_and_first_seen_time(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        store.commit(Batch(items=[item(1, sources=("outlet",))]))
    with open_store(tmp_path) as store:
        pipe = Pipeline.__new__(Pipeline)
        pipe.store = store
        undated = item(1, content="changed").model_copy(update={"published": T0})  # = fetched_at
        items, fresh, _, _ = pipe._dedupe([_result([undated])])
        assert [i.key for i in fresh] == ["wire\x1furn:1"]
        assert items[0].sources == ("outlet",)
        assert items[0].published == item(1).published


def test_open_parses_no_history_and_a_warm_commit_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(tmp_path) as store:
        for start in range(0, 4000, 1000):
            store.commit(Batch(items=[item(i) for i in range(start, start + 1000)]))
    opened: list[str] = []
    import monitor.store.shards as shards_module

    original = shards_module.open_db

    def spy(path: Path, **kwargs: object) -> object:
        opened.append(f"{path.parent.name}/{path.name}")
        return original(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(shards_module, "open_db", spy)
    with open_store(tmp_path) as store:
        seen = [o for o in opened if not o.startswith("seen/")]
        assert seen == []  # the ledger is read; no items, incidents or alerts chunk
        assert store.seen_hash("wire\x1furn:5") == "h5"
        store.commit(Batch(feed_states={}, items=[]))
        assert [o for o in opened if not o.startswith("seen/")] == []
        newest = sorted(p.name for p in (tmp_path / "items").glob("*.json"))[-1]
        store.commit(Batch(items=[item(9999)]))  # the first append opens the newest chunk, alone
        assert [o for o in opened if o.startswith("items/")] == [f"items/{newest}"]


def test_a_ledger_in_the_first_format_is_migrated_on_open(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        store.commit(Batch(items=[item(1, sources=("outlet",)), item(2)]))
        store.commit(Batch(items=[item(3)]))
    # Write the ledger as the first format had it: ["feed<U+001F>id", hash] rows.
    (ledger,) = (tmp_path / "seen").glob("*.json")
    data = json.loads(ledger.read_text())
    for doc in data["seen"].values():
        doc["r"] = [[f"{row[0]}\x1f{row[1]}", row[2]] for row in doc["r"]]
    ledger.write_text(json.dumps(data))
    assert "\\u001f" in ledger.read_text()

    with open_store(tmp_path) as store:
        assert store.seen_hash("wire\x1furn:1") == "h1"
        entry = store.seen("wire\x1furn:1")
        assert entry is not None and entry.sources == ("outlet",) and entry.published == item(1).published
        assert store.key_for_hash("h3") == "wire\x1furn:3"
    text = ledger.read_text()
    assert "\\u001f" not in text and "\x1f" not in text
    rows = [row for doc in json.loads(text)["seen"].values() for row in doc["r"]]
    assert rows[0][:3] == ["wire", "urn:1", "h1"] and rows[0][4] == ["outlet"]
    assert sorted(doc["c"] for doc in json.loads(text)["seen"].values()) == [1, 2]  # commits kept
    with open_store(tmp_path) as store:  # and it reads back the same
        assert store.seen("wire\x1furn:2").content_hash == "h2"  # type: ignore[union-attr]


def _result(items: list[Item]) -> object:
    from monitor.ingest.poller import PollResult
    from monitor.models import FeedState

    return PollResult(feed=items[0].feed, at=T0, state=FeedState(url="http://127.0.0.1/"), items=tuple(items))


def test_only_the_last_version_of_a_record_is_built_and_a_bad_one_falls_back() -> None:
    from monitor.store.records import by_item_key, latest_records

    good = [{"c": n, "r": item(1, content=f"v{n}").model_dump(mode="json")} for n in range(3)]
    other = {"c": 3, "r": item(2).model_dump(mode="json")}
    broken = {"c": 4, "r": {"feed": "wire", "id": "urn:1", "title": None}}
    warned: list[str] = []
    found = latest_records(Item, [*good, other, broken], by_item_key, "items", warned.append)
    assert sorted((i.id, i.content_hash) for i in found) == [("urn:1", "v2"), ("urn:2", "h2")]
    assert warned == ["skipped 1 stored items record(s) that could not be read"]
