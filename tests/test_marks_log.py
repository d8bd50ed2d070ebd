"""marks.log followed live (only the appended bytes are read) and compacted by the store's writer
(folded into state.json, rewritten atomically under marks.lock) without losing a line."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.store import Batch, Store
from monitor.store.follow import AttachedStore
from monitor.store.marks import MARKS_LOG, MarksLog, replay
from tests.test_store import make_incident, make_state

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_a_follower_reads_only_what_was_appended_and_waits_for_a_whole_line(tmp_path: Path) -> None:
    writer, reader = MarksLog(tmp_path), MarksLog(tmp_path)
    writer.append("ack", ["inc-1"], on=True, now=NOW)
    v1 = reader.refresh()
    assert set(reader.read().acks) == {"inc-1"}
    assert reader.refresh() == v1  # nothing new: the same version, nothing read
    read_before, size_before = reader.bytes_read, (tmp_path / MARKS_LOG).stat().st_size
    writer.append("mute", ["inc-2"], on=True, now=NOW)
    assert reader.refresh() > v1
    assert reader.bytes_read - read_before == (tmp_path / MARKS_LOG).stat().st_size - size_before
    assert set(reader.read().mutes) == {"inc-2"}
    # a line still being written (no newline yet) is left for the next look...
    line = b'{"k":"ack","i":["inc-3"],"on":true,"at":"2026-11-20T12:00:00+00:00"}'
    with open(tmp_path / MARKS_LOG, "ab") as fh:
        fh.write(line[:20])
    v2 = reader.refresh()
    assert "inc-3" not in reader.read().acks
    with open(tmp_path / MARKS_LOG, "ab") as fh:
        fh.write(line[20:] + b"\n")
    assert reader.refresh() > v2
    assert set(reader.read().acks) == {"inc-1", "inc-3"}
    # ...and a torn one (its writer died) is skipped once the next append starts a line of its own
    with open(tmp_path / MARKS_LOG, "ab") as fh:
        fh.write(b'{"k":"ack","i":["inc-9"')
    reader.refresh()
    writer.append("ack", ["inc-4"], on=True, now=NOW)
    reader.refresh()
    assert set(reader.read().acks) == {"inc-1", "inc-3", "inc-4"}
    assert reader.read().acks == replay((tmp_path / MARKS_LOG).read_bytes()).acks


def test_a_follower_notices_a_new_generation_even_in_the_same_inode_and_size(tmp_path: Path) -> None:
    writer, reader = MarksLog(tmp_path), MarksLog(tmp_path)
    writer.append("ack", ["inc-1"], on=True, now=NOW)
    reader.refresh()
    path = tmp_path / MARKS_LOG
    raw = path.read_bytes()
    header, rest = raw.split(b"\n", 1)
    other = rest.replace(b"inc-1", b"inc-7")
    new_header = header[:-3] + (b"00" if header[-3:-1] != b"00" else b"11") + header[-1:]
    inode = path.stat().st_ino
    time.sleep(0.01)
    with open(path, "r+b") as fh:  # rewritten in place: the inode and the size stay
        fh.write(new_header + b"\n" + other)
    assert path.stat().st_ino == inode and len(path.read_bytes()) == len(raw)
    reader.refresh()
    assert set(reader.read().acks) == {"inc-7"}  # read whole again, not from its old offset


def test_the_writer_folds_marks_into_state_and_compacts_the_log(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.commit(Batch(incidents=[make_incident(n) for n in range(1, 4)]))
        view, other = AttachedStore(tmp_path), AttachedStore(tmp_path)
        view.acknowledge(["inc-1", "inc-2"])
        other.mute(["inc-3"])
        view.acknowledge(["inc-2"], on=False)
        assert other.acknowledged() == {"inc-1"}  # `other` now holds an offset into this file
        inode = (tmp_path / MARKS_LOG).stat().st_ino
        store.commit(Batch(feed_states={"wire": make_state(1)}))
        log = (tmp_path / MARKS_LOG).read_bytes()
        assert (tmp_path / MARKS_LOG).stat().st_ino != inode  # replaced, atomically
        assert log.count(b"\n") == 1 and log.startswith(b'{"gen":')  # only its header: all folded
        state = (tmp_path / "state.json").read_text(encoding="utf-8")
        assert "inc-1" in state and "inc-3" in state and '"inc-2"' not in state
        for seen in (store, view, other, AttachedStore(tmp_path)):
            assert seen.acknowledged() == {"inc-1"} and seen.muted() == {"inc-3"}
        # a mark after the compaction reaches a follower whose offset was into the old file
        view.mute(["inc-3"], on=False)
        assert other.muted() == set() == store.muted()
        store.commit(Batch(feed_states={"wire": make_state(2)}))
        assert store.acknowledged() == {"inc-1"} and store.muted() == set()
    with Store.open(tmp_path) as store:  # and all of it survives the restart
        assert store.acknowledged() == {"inc-1"} and store.muted() == set()


def test_lines_appended_after_the_fold_survive_the_compaction(tmp_path: Path) -> None:
    log, appender = MarksLog(tmp_path), MarksLog(tmp_path)
    appender.append("ack", ["inc-1"], on=True, now=NOW)
    fold = log.fold_point()
    appender.append("ack", ["inc-2"], on=True, now=NOW)  # between the fold and the rewrite
    (tmp_path / MARKS_LOG).chmod(0o660)  # shared with the viewers' group, say
    assert log.compact(fold)
    assert (tmp_path / MARKS_LOG).stat().st_mode & 0o777 == 0o660  # the new file keeps the mode
    kept = replay((tmp_path / MARKS_LOG).read_bytes())
    assert set(kept.acks) == {"inc-2"}  # inc-1 is the state's now; inc-2 not yet
    assert not log.compact(fold)  # the file folded is gone: nothing is cut twice


APPENDER = textwrap.dedent(
    """
    import sys
    import time
    from datetime import UTC, datetime
    from pathlib import Path
    from monitor.store.marks import MarksLog

    log = MarksLog(Path(sys.argv[1]))
    for n in range(int(sys.argv[2])):
        log.append("ack", [f"inc-x{n}"], on=True, now=datetime.now(UTC))
        print(n, flush=True)
        time.sleep(0.003)  # paced, so that many commits (and compactions) fall between appends
    """
)


@pytest.mark.slow
def test_a_mark_appended_by_another_process_while_commits_compact_is_never_lost(tmp_path: Path) -> None:
    count = 150
    generations: set[bytes] = set()
    with Store.open(tmp_path) as store:
        store.commit(Batch(incidents=[make_incident(1)]))
        with subprocess.Popen(
            [sys.executable, "-c", APPENDER, str(tmp_path), str(count)],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        ) as proc:
            assert proc.stdout is not None
            assert proc.stdout.readline()  # appending has begun
            n = 1
            while proc.poll() is None:
                n += 1
                store.commit(Batch(feed_states={"wire": make_state(n)}))  # each one folds and compacts
                with contextlib.suppress(FileNotFoundError):
                    generations.add((tmp_path / MARKS_LOG).read_bytes().split(b"\n", 1)[0])
            proc.stdout.read()
            assert proc.wait(timeout=60) == 0
        expected = {f"inc-x{n}" for n in range(count)}
        assert store.acknowledged() == expected
        # the log really was rewritten while the other process appended (a new generation each
        # time: the file system hands the same few inodes out again, so they would not tell)
        assert len(generations) > 3
        store.commit(Batch(feed_states={"wire": make_state(n + 1)}))
        assert (tmp_path / MARKS_LOG).read_bytes().count(b"\n") == 1  # all folded at the end
    with Store.open(tmp_path) as store:
        assert store.acknowledged() == expected
    assert AttachedStore(tmp_path).acknowledged() == expected
