"""The board takes a report's few changed incidents into its sorted list and the filtered view in
place; what it then shows must equal what sorting and filtering everything again gives."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from app_fixtures import NOW, build_incidents

from monitor.app import board as board_module
from monitor.app.board import Board, Filters, Snapshot
from monitor.models import Category, Incident, Severity

FILTERS = [
    Filters(),
    Filters(unacknowledged=True),
    Filters(min_severity=Severity.HIGH),
    Filters(category=Category.CEASEFIRE_VIOLATION, zone="Rafah"),
    Filters(hours=6),
    Filters(text="rafah"),
]


def fresh_view(board: Board, filters: Filters) -> list[str]:
    """What a board that never patched anything shows for the same incidents and marks."""
    again = Board()
    again.apply(Snapshot(at=NOW, incidents=list(board.incidents.values())))
    again.set_marks(board.acknowledged, board.muted)
    again.summaries = dict(board.summaries)
    return [i.id for i in again.view(filters, NOW)]


def changed(rng: random.Random, incident: Incident, n: int) -> Incident:
    """Another version of ``incident``: a later (or, rarely, earlier) report, another severity."""
    shift = timedelta(minutes=rng.choice([-50, 1, 7, 90, 600]))
    return incident.model_copy(
        update={
            "last_seen": incident.last_seen + shift,
            "severity": rng.choice(list(Severity)),
            "title": incident.title if n % 3 else f"Rafah update {n}",
        }
    )


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: f.describe() or "none")
@pytest.mark.parametrize("seed", range(4))
def test_patched_lists_equal_a_full_sort_and_filter(filters: Filters, seed: int) -> None:
    rng = random.Random(seed)
    stored = build_incidents(300)
    board = Board()
    board.apply(Snapshot(at=NOW, incidents=stored))
    board.set_marks({i.id for i in stored[::7]}, set())
    assert [i.id for i in board.view(filters, NOW)] == fresh_view(board, filters)
    for cycle in range(12):
        known = list(board.incidents.values())
        report: list[Incident] = [changed(rng, rng.choice(known), n) for n in range(rng.randint(0, 20))]
        report += [
            new.model_copy(update={"id": f"new-{seed}-{cycle}-{n}"})
            for n, new in enumerate(build_incidents(rng.randint(0, 8), NOW + timedelta(hours=cycle - 6)))
        ]
        rng.shuffle(report)
        if report and rng.random() < 0.3:  # the same incident twice in one report
            report.append(changed(rng, report[0], cycle))
        before = board.ordered()
        board.apply(Snapshot(at=NOW, incidents=report))
        assert board.ordered() is before, "patched in place, not sorted again"
        assert [i.id for i in board.view(filters, NOW)] == fresh_view(board, filters)
        assert len(board.ordered()) == len(board.incidents)


def test_a_report_changing_more_than_the_patch_limit_sorts_everything_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(board_module, "PATCH_MAX", 5)
    stored = build_incidents(50)
    board = Board()
    board.apply(Snapshot(at=NOW, incidents=stored))
    before = board.ordered()
    moved = [i.model_copy(update={"last_seen": i.last_seen + timedelta(days=3)}) for i in stored[40:]]
    board.apply(Snapshot(at=NOW, incidents=moved))
    assert board.ordered() is not before
    assert [i.id for i in board.ordered()] == fresh_view(board, Filters())
    assert [i.id for i in board.ordered()[:10]] == [i.id for i in moved]


def test_new_incidents_from_a_report_reach_the_top_of_a_big_board() -> None:
    # The cycle's new incidents are newer than anything stored: they lead the list, and the board
    # counts them on top of the stored ones.
    stored = build_incidents(3000)
    board = Board()
    board.apply(Snapshot(at=NOW, incidents=stored))
    board.view(Filters(), NOW)
    new = [
        i.model_copy(update={"id": f"cycle-{n}"})
        for n, i in enumerate(build_incidents(30, NOW + timedelta(days=1)))
    ]
    board.apply(Snapshot(at=NOW, incidents=new))
    assert len(board.incidents) == 3030
    assert [i.id for i in board.view(Filters(), NOW)[:30]] == [i.id for i in new]


@pytest.mark.parametrize(
    "filters",
    [
        *FILTERS,
        Filters(hours=1),
        Filters(hours=24 * 7, unacknowledged=True, min_severity=Severity.MEDIUM),
        Filters(text="rafah", zone="Rafah", hours=12),
        Filters(category=Category.CEASEFIRE_VIOLATION, min_severity=Severity.CRITICAL),
    ],
    ids=lambda f: f.describe() or "none",
)
@pytest.mark.parametrize("acknowledged", [3, 500, 0], ids=["many-acked", "few-acked", "none-acked"])
def test_the_view_filters_as_testing_each_incident_does(filters: Filters, acknowledged: int) -> None:
    stored = build_incidents(1200)
    board = Board()
    board.apply(Snapshot(at=NOW, incidents=stored))
    # many: each row is tested; a few (three of 1,200): each is looked up and cut out
    board.set_marks({i.id for i in stored[::acknowledged]} if acknowledged else set(), {"inc-00001"})
    cutoff = NOW - timedelta(hours=filters.hours) if filters.hours is not None else None
    expected = [i.id for i in board.ordered() if board._passes(i, filters, cutoff)]
    assert [i.id for i in board.view(filters, NOW)] == expected
    assert 0 < len(expected) < len(stored) or not filters.active or filters == Filters(unacknowledged=True)
