"""The attached view of a store another writer commits to, and the shared marks log."""

from __future__ import annotations

from pathlib import Path

from monitor.store import Batch, Store
from monitor.store.follow import AttachedStore
from monitor.store.marks import MARKS_LOG, replay
from tests.test_store import make_alert, make_incident, make_item, make_state


def test_poll_brings_each_new_commit_once(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.commit(
            Batch(feed_states={"wire": make_state(1)}, items=[make_item(1)], incidents=[make_incident(1)])
        )
        view = AttachedStore(tmp_path)
        assert [i.id for i in view.incidents()] == ["inc-1"]
        assert view.poll() is None  # nothing new
        store.commit(
            Batch(
                feed_states={"wire": make_state(2)},
                items=[make_item(2)],
                incidents=[make_incident(2)],
                alerts=[make_alert(2)],
            )
        )
        followed = view.poll()
        assert followed is not None
        assert [i.id for i in followed.incidents] == ["inc-2"]
        assert [a.id for a in followed.alerts] == ["alert-2"]
        assert [i.key for i in followed.items] == [make_item(2).key]
        assert followed.feeds["wire"].polls == 2
        assert view.poll() is None
        assert {i.id for i in view.incidents()} == {"inc-1", "inc-2"}
        assert view.item(make_item(1).key) == store.item(make_item(1).key)


def test_marks_from_the_view_and_the_writer_merge_the_last_word_deciding(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.commit(Batch(incidents=[make_incident(1), make_incident(2)]))
        view = AttachedStore(tmp_path)
        view.acknowledge(["inc-1", "inc-2"])  # while the writer holds the lock
        view.mute(["inc-2"])
        assert store.acknowledged() == {"inc-1", "inc-2"} and store.muted() == {"inc-2"}
        store.acknowledge(["inc-2"], on=False)  # the writer's word, later
        assert view.acknowledged() == {"inc-1"} == store.acknowledged()
    with Store.open(tmp_path) as store:  # survives a restart
        assert store.acknowledged() == {"inc-1"} and store.muted() == {"inc-2"}


def test_a_torn_last_line_of_the_marks_log_is_skipped_and_the_next_append_is_whole(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.acknowledge(["inc-1"])
        with open(tmp_path / MARKS_LOG, "ab") as fh:
            fh.write(b'{"k":"ack","i":["inc-9"')  # a crash mid-append
        assert store.acknowledged() == {"inc-1"}
        AttachedStore(tmp_path).mute(["inc-3"])
        assert store.muted() == {"inc-3"}
    marks = replay((tmp_path / MARKS_LOG).read_bytes())
    assert set(marks.acks) == {"inc-1"} and set(marks.mutes) == {"inc-3"}
