"""Snapshots of the main screen on fixed demo data (frozen clock) at 80×24 and 120×40.

Regenerate after an intended change with ``pytest tests/test_app_snapshots.py --snapshot-update``
and look at the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from app_fixtures import NOW, demo_store

from monitor.app.app import SituationRoom


@pytest.fixture
def app(tmp_path: Path) -> Iterator[SituationRoom]:
    with demo_store(tmp_path / "data") as store:
        yield SituationRoom(store, now=lambda: NOW, opener=lambda url: None)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_main_screen(snap_compare: Callable[..., bool], app: SituationRoom, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size)


def test_incident_detail(snap_compare: Callable[..., bool], app: SituationRoom) -> None:
    assert snap_compare(app, press=["down", "enter"], terminal_size=(120, 40))
