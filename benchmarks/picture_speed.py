"""How fast the picture merges events into incidents, beside a baseline that compares every event
with every incident held (what the (category, zone, day) index avoids). Both run here, on the same
synthetic month of reports, so the ratio holds on any machine.

    python benchmarks/picture_speed.py [--events 20000] [--batch 50]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

from monitor.config import FeedConfig, Settings
from monitor.models import Category, Entities, Event, Severity
from monitor.picture import Picture
from monitor.picture.incidents import IncidentBoard, _Report

ZONES = ["North Gaza", "Gaza City", "Deir al-Balah", "Khan Younis", "Rafah", "al-Mawasi", "Yellow Line"]
VERBS = ["strike kills", "shelling wounds", "drone attack hits", "gunfire kills", "raid detains"]
CATEGORIES = [Category.CEASEFIRE_VIOLATION, Category.REPRISAL, Category.UXO, Category.HOSTAGE_REMAINS]
FEEDS = [f"outlet{n}" for n in range(24)]


def synthetic(n_events: int, seed: int = 7) -> list[Event]:
    """A month of reports: happenings in random zones and places, each reported by 1-6 outlets."""
    rng = random.Random(seed)
    start = datetime(2025, 11, 1, tzinfo=UTC)
    events: list[Event] = []
    happening = 0
    while len(events) < n_events:
        happening += 1
        zone = rng.choice(ZONES)
        place = f"{zone} district {rng.randrange(12)}"
        category = rng.choice(CATEGORIES)
        verb = rng.choice(VERBS)
        at = start + timedelta(minutes=rng.randrange(30 * 24 * 60))
        for k in range(rng.randint(1, 6)):
            feed = rng.choice(FEEDS)
            title = f"{verb.capitalize()} {rng.randint(1, 9)} in {place}, officials say (report {k})"
            events.append(
                Event(
                    item_key=f"{feed}\x1f{happening}-{k}",
                    feed=feed,
                    category=category,
                    severity=Severity.MEDIUM,
                    rule="bench",
                    matched=title,
                    entities=Entities(places=(place,), zones=(zone,), actors=("Israeli military",)),
                    published=at + timedelta(minutes=rng.randrange(600)),
                    title=title,
                )
            )
    events.sort(key=lambda e: e.published)
    return events[:n_events]


class EveryIncident(IncidentBoard):
    """The baseline: candidates are all incidents held, whatever their category, zone or day."""

    def _candidates(self, report: _Report) -> set[str]:
        return set(self._all)


def run(events: list[Event], batch: int, *, naive: bool) -> tuple[float, int]:
    settings = Settings(feeds=tuple(FeedConfig(name=f, url=f"https://example.org/{f}") for f in FEEDS))
    picture = Picture(settings)
    if naive:
        board = EveryIncident(picture._incidents._refs, window=timedelta(hours=36))
        picture._incidents = board
    started = time.perf_counter()
    for i in range(0, len(events), batch):
        chunk = events[i : i + batch]
        picture.apply(chunk, now=chunk[-1].published)
    return time.perf_counter() - started, len(picture.incidents())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=50, help="events per apply (one poll cycle)")
    args = parser.parse_args()
    events = synthetic(args.events)
    indexed, held = run(events, args.batch, naive=False)
    baseline_n = min(len(events), 5000)
    naive, _ = run(events[:baseline_n], args.batch, naive=True)
    indexed_small, _ = run(events[:baseline_n], args.batch, naive=False)
    print(
        f"picture: {len(events)} events in {indexed:.2f} s = {len(events) / indexed:,.0f} events/s "
        f"({held} incidents held at the end)"
    )
    print(
        f"on the first {baseline_n} events: indexed {baseline_n / indexed_small:,.0f} events/s, "
        f"baseline comparing with every incident {baseline_n / naive:,.0f} events/s "
        f"(x{naive / indexed_small:.1f})"
    )


if __name__ == "__main__":
    main()
