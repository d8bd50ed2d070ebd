"""App search over a large board: the folding search (case, accents, gazetteer spellings, word
forms) against the plain substring filter it replaced, measured in the same run.

    .venv/bin/python benchmarks/app_search.py            # --incidents 55000 --repeat 3

Each query is typed a letter at a time, as the search box filters on every keystroke; the figure
per keystroke is the time Board.view takes to filter all incidents. The first keystroke of the
first query also builds each incident's folded words (kept until the incident changes); p50 and
p99 are over the keystrokes after it. In the app that build runs on a worker thread when the
search box opens.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta

from monitor.app.board import Board, Filters, Snapshot
from monitor.models import Category, Incident, Severity, SourceRef

NOW = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)
ZONES = ("North Gaza", "Gaza City", "Deir al-Balah", "Khan Younis", "Rafah", "unlocated")
TITLES = (
    "Shelling reported near the yellow line east of Khan Yunis",
    "Drone strike on a vehicle in Gaza City, two killed",
    "Evacuation order issued for blocks in Rafah",
    "Unexploded shell found near a school in Deir el-Balah",
    "Talks on the stabilisation force resume in Cairo",
)
QUERIES = ("khan younis", "killed", "rafah evacuation", "deir al-balah", "hamas")


def incidents(count: int) -> list[Incident]:
    cats, sevs = list(Category), list(Severity)
    out = []
    for n in range(count):
        at = NOW - timedelta(seconds=30 * n)
        title = f"{TITLES[n % len(TITLES)]} ({n})"
        src = SourceRef(
            feed=f"feed-{n % 40}", tier="outlet", item_key=f"feed-{n % 40}\x1fi{n}", title=title, published=at
        )
        out.append(
            Incident(
                id=f"inc-{n:06d}",
                category=cats[n % len(cats)],
                severity=sevs[n % len(sevs)],
                status="reported",
                title=title,
                zone=ZONES[n % 6],
                actors=("Hamas", "IDF") if n % 3 == 0 else ("IDF",),
                countries=("Egypt",) if n % 5 == 0 else (),
                first_seen=at,
                last_seen=at,
                sources=(src,),
            )
        )
    return out


class SubstringBoard(Board):
    """The filter this search replaced: one casefolded substring over title, zone, place, actors."""

    def _passes(self, incident: Incident, filters: Filters, cutoff: datetime | None) -> bool:
        needle = filters.text.casefold()
        haystack = " ".join((incident.title, incident.zone, incident.place or "", *incident.actors))
        return needle in haystack.casefold()


def keystrokes(board: Board, repeat: int) -> tuple[list[float], list[int]]:
    times, found = [], []
    for _ in range(repeat):
        for query in QUERIES:
            for end in range(1, len(query) + 1):
                started = time.perf_counter()
                rows = board.view(Filters(text=query[:end]), NOW)
                times.append(time.perf_counter() - started)
            found.append(len(rows))
    return times, found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=55_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = incidents(args.incidents)
    print(f"{args.incidents:,} incidents; queries typed a letter at a time: {', '.join(QUERIES)}")
    print(f"{'approach':<22} {'first key':>10} {'key p50':>9} {'key p99':>9} {'found per query (last run)'}")
    for name, board in (("folding search", Board()), ("substring (before)", SubstringBoard())):
        board.apply(Snapshot(at=NOW, incidents=rows))
        times, found = keystrokes(board, args.repeat)
        q = statistics.quantiles(times[1:], n=100)
        last = found[-len(QUERIES) :]
        print(
            f"{name:<22} {times[0] * 1000:>8.0f} ms {q[49] * 1000:>6.1f} ms {q[98] * 1000:>6.1f} ms  {last}"
        )
    board = Board()
    board.apply(Snapshot(at=NOW, incidents=rows))
    started = time.perf_counter()
    board.add_summaries({}, board.search_index({}))
    built = time.perf_counter() - started
    print(f"building the folded words of every incident (the app does it on a worker thread): {built:.2f} s")


if __name__ == "__main__":
    main()
