"""Damaged store files at open: moved aside with a timestamp, restored from .bak, and the user told."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.models import FeedState, Item
from monitor.store import Batch, Store, read_feed_states

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def make_item(n: int, at: datetime = T0) -> Item:
    return Item(id=str(n), feed="wire", title=f"title {n}", published=at, fetched_at=at, content_hash=f"h{n}")


def truncate(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def nul_fill(raw: bytes) -> bytes:
    return b"\x00" * len(raw)


def extra_data(raw: bytes) -> bytes:
    return raw + b'{"_default": {}}'  # what an in-place writer leaves when the new text is shorter


def empty(raw: bytes) -> bytes:
    return b""


DAMAGE = {"truncated": truncate, "nul-filled": nul_fill, "extra-data": extra_data, "empty": empty}


def build(data: Path, clock: Callable[[], datetime] = lambda: T0) -> None:
    """Two commits, so every file touched by both has a .bak holding the first."""
    with Store.open(data, now=clock, warn=_fail) as store:
        store.commit(Batch(feed_states={"wire": FeedState(url="http://a", polls=1)}, items=[make_item(1)]))
        store.commit(Batch(feed_states={"wire": FeedState(url="http://a", polls=2)}, items=[make_item(2)]))


def _fail(message: str) -> None:
    raise AssertionError(f"unexpected warning: {message}")


def only(pattern: str, root: Path) -> Path:
    found = list(root.glob(pattern))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_state_file_is_kept_aside_and_restored_from_its_backup(tmp_path: Path, damage: str) -> None:
    data = tmp_path / "data"
    build(data)
    state = data / "state.json"
    damaged = DAMAGE[damage](state.read_bytes())
    state.write_bytes(damaged)

    told: list[str] = []
    with Store.open(data, now=lambda: T0, warn=told.append) as store:
        # the backup holds the first commit; the second commit's history is dropped to match it
        assert store.commits == 1
        assert store.feed_states()["wire"].polls == 1
        assert store.seen_hash("wire\x1f1") == "h1"
        assert store.seen_hash("wire\x1f2") is None
        store.commit(Batch(items=[make_item(3)]))
    aside = only("state.json.corrupt-*", data)
    assert aside.read_bytes() == damaged
    assert "state.json" in told[0] and "restored it from state.json.bak" in told[0]
    assert aside.name in told[0]
    with Store.open(data, now=lambda: T0, warn=_fail) as store:
        assert [i.id for i in store.items()] == ["1", "3"]


@pytest.mark.parametrize("damage", ["truncated", "nul-filled", "extra-data"])
@pytest.mark.parametrize("family", ["items", "seen"])
def test_a_damaged_current_chunk_is_restored_from_its_backup(
    tmp_path: Path, damage: str, family: str
) -> None:
    data = tmp_path / "data"
    build(data)
    chunk = only("*.json", data / family)
    damaged = DAMAGE[damage](chunk.read_bytes())
    chunk.write_bytes(damaged)

    told: list[str] = []
    with Store.open(data, now=lambda: T0, warn=told.append) as store:
        assert store.commits == 2
        assert store.seen_hash("wire\x1f1") == "h1"
        assert store.item("wire\x1f1") == make_item(1)
    assert only(f"{chunk.name}.corrupt-*", data / family).read_bytes() == damaged
    assert len(told) == 1 and f"restored it from {chunk.name}.bak" in told[0]


def test_an_old_chunk_is_recovered_when_it_is_first_read(tmp_path: Path) -> None:
    data = tmp_path / "data"
    clock = [T0 - timedelta(days=2)]
    with Store.open(data, now=lambda: clock[0], warn=_fail) as store:
        store.commit(Batch(items=[make_item(1, clock[0])]))
        store.commit(Batch(items=[make_item(2, clock[0])]))
        clock[0] = T0
        store.commit(Batch(items=[make_item(3)]))
    old = sorted((data / "items").glob("*.json"))[0]
    old.write_bytes(truncate(old.read_bytes()))

    told: list[str] = []
    with Store.open(data, now=lambda: clock[0], warn=told.append) as store:
        assert told == []  # old chunks are not read at open: opening stays fast however long the history
        assert [i.id for i in store.items()] == ["1", "3"]
    assert len(told) == 1 and "restored it from" in told[0]
    assert only(f"{old.name}.corrupt-*", data / "items")


def test_without_a_good_backup_the_file_is_kept_aside_and_the_user_warned_loudly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    build(data)
    state = data / "state.json"
    state.write_bytes(nul_fill(state.read_bytes()))
    (data / "state.json.bak").write_bytes(b"{")

    told: list[str] = []
    with Store.open(data, now=lambda: T0, warn=told.append) as store:
        assert store.feed_states() == {}  # lost, and said so
        assert store.commits == 2  # history is kept and counted as committed
        assert [i.id for i in store.items()] == ["1", "2"]
    assert len(told) == 1
    assert "WARNING" in told[0] and "no usable backup" in told[0] and "EMPTY" in told[0]
    assert only("state.json.corrupt-*", data).read_bytes().strip(b"\x00") == b""
    assert only("state.json.bak.corrupt-*", data).read_bytes() == b"{"


def test_the_reader_falls_back_to_the_backup_without_moving_anything(tmp_path: Path) -> None:
    data = tmp_path / "data"
    build(data)
    state = data / "state.json"
    state.write_bytes(truncate(state.read_bytes()))
    told: list[str] = []
    assert read_feed_states(data, warn=told.append)["wire"].polls == 1
    assert "showing its backup" in told[0]
    assert not list(data.glob("*.corrupt-*"))


def test_the_default_warning_goes_to_stderr(tmp_path: Path) -> None:
    data = tmp_path / "data"
    build(data)
    state = data / "state.json"
    state.write_bytes(extra_data(state.read_bytes()))
    code = "import sys; from monitor.store import Store; Store.open(sys.argv[1]).close(); print('opened')"
    done = subprocess.run(
        [sys.executable, "-c", code, str(data)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "opened\n"
    assert "Extra data" in done.stderr and "restored it from state.json.bak" in done.stderr
