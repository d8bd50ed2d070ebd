"""The app's collector policy: bulk loads run without automatic collections and end frozen; the
app's own settings come back as they were."""

from __future__ import annotations

import gc
import sys
import threading

from monitor.app.heap import FULL_EVERY, SWITCH_S, bulk_load, screen_first


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
