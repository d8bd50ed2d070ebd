"""The lockless reader on real store files: what it shows while a writer holds the lock, and that it
never changes a file (damaged ones included)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from monitor.errors import NoStoreError
from monitor.store import Store, StoreReader, read_feed_states
from tests.test_store import T0, Clock, full_batch

Listing = dict[str, tuple[int, int, int]]


def listing(root: Path) -> Listing:
    """Every file and folder under ``root`` with its size, inode and modification time in ns."""
    out: Listing = {}
    for path in sorted(root.rglob("*")):
        st = path.stat()
        out[str(path.relative_to(root))] = (st.st_size, st.st_ino, st.st_mtime_ns)
    return out


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[Store]:
    """A store with two committed cycles, left open: it holds the single-writer lock."""
    store = Store.open(tmp_path / "data", now=Clock(), warn=_fail)
    store.commit(full_batch(1))
    store.commit(full_batch(2))
    yield store
    store.close()


def _fail(message: str) -> None:
    raise AssertionError(f"unexpected warning: {message}")


def test_the_reader_shows_what_the_writer_holds_without_the_lock(writer: Store) -> None:
    before = listing(writer.data_dir)
    reader = StoreReader.open(writer.data_dir, warn=_fail)
    assert reader.commits == writer.commits == 2
    assert reader.feed_states() == writer.feed_states()
    assert reader.forces() == writer.forces()
    assert reader.zones() == writer.zones()
    assert reader.items() == writer.items() and len(reader.items()) == 6
    assert reader.events() == writer.events()
    assert reader.incidents() == writer.incidents() and len(reader.incidents()) == 2
    assert reader.alerts() == writer.alerts()
    since = T0 - timedelta(minutes=1)
    assert reader.items(since=since) == writer.items(since=since) == []
    assert reader.incidents(since=since) == writer.incidents(since=since)
    assert listing(writer.data_dir) == before


def test_one_reader_shows_one_commit_however_many_follow(writer: Store) -> None:
    reader = StoreReader.open(writer.data_dir, warn=_fail)
    writer.commit(full_batch(3))
    assert {i.id for i in reader.incidents()} == {"inc-1", "inc-2"}  # not the third cycle's
    assert reader.zones()[0].count_24h == 2
    assert len(reader.alerts()) == 2
    fresh = StoreReader.open(writer.data_dir, warn=_fail)
    assert {i.id for i in fresh.incidents()} == {"inc-1", "inc-2", "inc-3"}
    assert fresh.zones()[0].count_24h == 3


def test_history_of_a_cycle_whose_state_was_not_written_is_not_shown(writer: Store, tmp_path: Path) -> None:
    # What a reader finds between a commit's history write and its state.json write.
    data = writer.data_dir
    committed_state = (data / "state.json").read_bytes()
    writer.commit(full_batch(3))
    (data / "state.json").write_bytes(committed_state)
    reader = StoreReader.open(data, warn=_fail)
    assert reader.commits == 2
    assert {i.id for i in reader.incidents()} == {"inc-1", "inc-2"}
    assert len(reader.items()) == len(reader.events()) == 6
    assert [a.id for a in reader.alerts()] == ["alert-1", "alert-2"]
    assert reader.feed_states()["wire"].polls == 2


def test_a_first_cycle_being_written_is_not_shown(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Store.open(data, now=Clock(), warn=_fail) as store:
        store.commit(full_batch(1))
        for name in ("state.json", "state.json.bak"):
            (data / name).unlink(missing_ok=True)
        # history on disk, no state.json yet, and a writer has the directory
        reader = StoreReader.open(data, warn=_fail)
        assert (reader.incidents(), reader.items(), reader.feed_states()) == ([], [], {})
    # no writer and no state: history counts as committed, as Store.open counts it
    assert [i.id for i in StoreReader.open(data, warn=_fail).incidents()] == ["inc-1"]


def test_a_damaged_file_is_read_from_its_backup_and_left_as_it_is(writer: Store) -> None:
    data = writer.data_dir
    writer.commit(full_batch(3))
    state = data / "state.json"
    state.write_bytes(state.read_bytes()[:40])
    chunk = next((data / "incidents").glob("*.json"))
    chunk.write_bytes(b"\x00" * 64)
    before = listing(data)
    told: list[str] = []
    reader = StoreReader.open(data, warn=told.append)
    assert reader.commits == 2  # the backup holds the state of the cycle before
    assert {i.id for i in reader.incidents()} == {"inc-1", "inc-2"}
    assert reader.feed_states()["wire"].polls == 2
    assert len(told) == 2
    assert "state.json is unreadable" in told[0] and "showing its backup state.json.bak" in told[0]
    assert f"{chunk.name} is unreadable" in told[1] and "showing its backup" in told[1]
    assert listing(data) == before  # nothing moved aside, restored or created


def test_a_damaged_file_without_backup_reads_as_empty_and_says_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Store.open(data, now=Clock(), warn=_fail) as store:
        store.commit(full_batch(1))
    (data / "state.json").write_bytes(b"{")
    before = listing(data)
    told: list[str] = []
    assert read_feed_states(data, warn=told.append) == {}
    assert "has no usable backup" in told[0]
    assert listing(data) == before


def test_expired_history_is_left_out_as_the_writer_would_drop_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    clock = Clock(T0 - timedelta(days=40))
    with Store.open(data, now=clock, retention_days=60, warn=_fail) as store:
        store.commit(full_batch(1, at=clock.at))
        clock.at = T0
        store.commit(full_batch(2, at=T0))
    reader = StoreReader.open(data, retention_days=30, now=lambda: T0, warn=_fail)
    assert [i.id for i in reader.incidents()] == ["inc-2"]
    assert [i.id for i in StoreReader.open(data, warn=_fail).incidents()] == ["inc-1", "inc-2"]


def test_a_chunk_dropped_while_reading_is_skipped_not_resurrected_from_its_backup(writer: Store) -> None:
    data = writer.data_dir
    reader = StoreReader.open(data, warn=_fail)
    for path in (data / "incidents").glob("*.json"):
        path.unlink()  # as retention deletes a chunk (its .bak goes a moment later)
    assert list((data / "incidents").glob("*.json.bak"))
    assert reader.incidents() == []


def test_no_store_is_a_clear_error_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(NoStoreError, match="no store in"):
        StoreReader.open(tmp_path / "nowhere")
    assert not (tmp_path / "nowhere").exists()
    (tmp_path / "empty").mkdir()
    with pytest.raises(NoStoreError, match="no store in"):
        StoreReader.open(tmp_path / "empty")
    assert list((tmp_path / "empty").iterdir()) == []
    assert read_feed_states(tmp_path / "empty") == {}


def test_a_copied_store_reads_the_same(writer: Store, tmp_path: Path) -> None:
    # A store copied while its writer ran (a backup job) reads like the original: no lock, no pid.
    copy = tmp_path / "copy"
    shutil.copytree(writer.data_dir, copy)
    (copy / "store.pid").unlink()
    assert StoreReader.open(copy, warn=_fail).incidents() == writer.incidents()
