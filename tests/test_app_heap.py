"""The app's collector policy: bulk loads run without automatic collections and end frozen; the
app's own settings come back as they were."""

from __future__ import annotations

import gc
import sys
import threading
import weakref
from pathlib import Path

from monitor.app.heap import FULL_EVERY, SWITCH_S, Compactor, bulk_load, compact, screen_first


def test_a_bulk_load_pauses_the_collector_and_freezes_what_it_built() -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with bulk_load():
        assert not gc.isenabled()
        built = [{"n": n} for n in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen + len(built)
    watched = {id(o) for o in gc.get_objects()}  # every generation the collector scans
    assert not any(id(b) in watched for b in built)


def test_overlapping_bulk_loads_on_two_threads_turn_the_collector_back_on_once_both_end() -> None:
    first_in, second_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def other() -> None:
        first_in.wait()
        with bulk_load():
            pass
        seen.append(gc.isenabled())  # the first load is still running
        second_done.set()

    thread = threading.Thread(target=other)
    thread.start()
    with bulk_load():
        first_in.set()
        second_done.wait(10)
        seen.append(gc.isenabled())
    thread.join()
    assert seen == [False, False]
    assert gc.isenabled()


def test_a_bulk_load_leaves_a_collector_turned_off_by_someone_else_off() -> None:
    gc.disable()
    try:
        with bulk_load():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_bulk_load_that_raises_still_turns_the_collector_back_on() -> None:
    try:
        with bulk_load():
            raise ValueError("unreadable store")
    except ValueError:
        pass
    assert gc.isenabled()


def test_screen_first_shortens_the_switch_interval_and_spaces_full_collections_then_restores() -> None:
    switch, thresholds = sys.getswitchinterval(), gc.get_threshold()
    with screen_first():
        assert sys.getswitchinterval() <= SWITCH_S
        assert gc.get_threshold() == (thresholds[0], thresholds[1], max(thresholds[2], FULL_EVERY))
    assert sys.getswitchinterval() == switch
    assert gc.get_threshold() == thresholds


def _frozen_cycle() -> weakref.ref[object]:
    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # type: ignore[attr-defined]
    gc.freeze()  # alive when frozen, as a screen's message or a pipeline's task is
    return weakref.ref(a)


def test_a_compaction_frees_a_cycle_that_died_after_it_was_frozen() -> None:
    dead = _frozen_cycle()
    gc.collect()
    assert dead() is not None  # out of the collector's sight: settle and bulk_load leave it there
    assert compact() >= 2
    assert dead() is None
    assert gc.get_freeze_count() > 0  # what is alive is frozen again


def test_compaction_waits_for_its_interval_and_for_quiet_input() -> None:
    c = Compactor(last=0.0, every=600.0, idle=5.0)
    assert not c.due(now=599.0, last_input=0.0)  # too soon
    assert not c.due(now=700.0, last_input=698.0)  # someone is typing
    assert c.due(now=700.0, last_input=694.0)


async def test_the_app_compacts_only_after_a_quiet_spell(tmp_path: Path) -> None:
    from app_fixtures import NOW, demo_store

    from monitor.app.app import SituationRoom

    store = demo_store(tmp_path / "data")
    try:
        app = SituationRoom(store, now=lambda: NOW, opener=lambda url: False)
        async with app.run_test(size=(120, 40)) as pilot:
            app.compactor = Compactor(last=0.0, every=0.0, idle=0.5)
            await pilot.press("j")  # input just now: not idle
            assert not app.compact_if_idle()
            dead = _frozen_cycle()
            await pilot.pause(0.7)
            assert app.compact_if_idle()
            assert dead() is None
    finally:
        store.close()
