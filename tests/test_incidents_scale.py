"""Incident clustering at scale: the candidate index and the kept sets change no outcome."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from monitor.config import FeedConfig, Settings
from monitor.models import Category, Entities, Event, Severity
from monitor.picture import Picture
from monitor.picture.incidents import IncidentBoard, _day, _fold, _located, _Open, _Report

T0 = datetime(2026, 11, 20, tzinfo=UTC)
FEEDS = [f"outlet{n}" for n in range(30)]
PLACES = ["Beit Lahia", "Jabalia", "Khan Younis", "Bani Suhaila", "Nuseirat", "Rafah"]
ZONES = ["North Gaza", "Khan Younis", "Rafah", "Gaza", ""]
ACTORS = ["Israeli military", "Hamas", "Islamic Jihad", ""]
WORDS = [
    "strike",
    "drone",
    "shelling",
    "gunfire",
    "killed",
    "wounded",
    "tank",
    "fire",
    "raid",
    "homes",
    "families",
]


def events(n: int, seed: int) -> list[Event]:
    """Reports of every kind of location: placed, zoned only, unlocated with or without actors."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        place = rng.choice([*PLACES, "", ""])
        zone = rng.choice(ZONES)
        actor = rng.choice(ACTORS)
        title = " ".join(rng.choice(WORDS) for _ in range(6)) + (f" in {place}" if place else "")
        out.append(
            Event(
                item_key=f"{rng.choice(FEEDS)}\x1f{i}",
                feed=rng.choice(FEEDS),
                category=rng.choice([Category.CEASEFIRE_VIOLATION, Category.REPRISAL]),
                severity=Severity.MEDIUM,
                rule="test",
                matched=title,
                entities=Entities(
                    places=(place,) if place else (),
                    zones=(zone,) if zone else (),
                    actors=(actor,) if actor else (),
                    casualties=rng.choice([None, 1, 3, 12]),
                ),
                published=T0 + timedelta(minutes=rng.randrange(4 * 24 * 60)),
                title=title,
            )
        )
    return sorted(out, key=lambda e: e.published)


class ByZoneOnly(IncidentBoard):
    """Candidates as the board found them before it indexed places and actors: every incident of
    the category and days in a related zone or unlocated, or (for an unlocated report) all of them."""

    def _candidates(self, report: _Report) -> set[str]:
        cat, at = report.category, report.event.published
        zones = {"unlocated"}.union(*(self._geo.related(z) for z in report.zones))
        ids: set[str] = set()
        for day in range(_day(at - self._window), _day(at + self._window) + 1):
            if not report.zones:
                ids |= self._by_day.get((cat, day), set())
                continue
            for zone in zones:
                ids |= self._by_zone.get((cat, zone, day), set())
        return ids


def settings() -> Settings:
    return Settings(feeds=tuple(FeedConfig(name=f, url=f"https://example.org/{f}") for f in FEEDS))


def test_the_place_and_actor_index_finds_what_the_zone_index_alone_found() -> None:
    for seed in (1, 2, 3):
        batch = events(600, seed)
        indexed, everything = Picture(settings()), Picture(settings())
        everything._incidents = ByZoneOnly(
            indexed._incidents._refs, window=timedelta(hours=36), geo=indexed.geography
        )
        for i in range(0, len(batch), 50):
            assert indexed.apply(batch[i : i + 50], now=T0) == everything.apply(batch[i : i + 50], now=T0)
        assert indexed.incidents() == everything.incidents()
        assert len(indexed.incidents()) < 500  # merging did happen


def test_the_kept_sets_equal_what_the_record_says_after_many_merges() -> None:
    picture = Picture(settings())
    picture.apply(events(800, 9), now=T0)
    board = picture._incidents
    merged = [s for s in board._all.values() if len(s.record.sources) > 3]
    assert merged
    for state in board._all.values():
        rec = state.record
        assert state.places == _fold(rec.places or ((rec.place,) if rec.place else ()))
        assert state.zones == set(_located((*rec.zones, rec.zone)))
        assert state.actors == _fold((*rec.actors, *rec.countries))
        assert state.feeds == {s.feed for s in rec.sources}
        assert state.keys == set(rec.event_keys)
        assert state.indexed == board._index_keys(state)
        fresh = _Open.of(rec, state.base, state.denied, state.texts)
        assert fresh.independent == state.independent
        assert fresh.independent_title == state.independent_title
