"""Builders shared by the picture tests: settings with feeds, events, and the report-bundle fixture."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from monitor.config import FeedConfig, Settings
from monitor.models import Category, Entities, Event, Severity

DATA = Path(__file__).parent / "data" / "picture"
T0 = datetime(2025, 11, 3, tzinfo=UTC)

FEEDS = (
    FeedConfig(name="reuters", url="https://example.org/reuters.xml", tier="wire"),
    FeedConfig(name="ap", url="https://example.org/ap.xml", tier="wire"),
    FeedConfig(name="bbc", url="https://example.org/bbc.xml", tier="outlet"),
    FeedConfig(name="aljazeera", url="https://example.org/aj.xml", tier="outlet"),
    FeedConfig(name="idf", url="https://example.org/idf.xml", tier="official", party="Israel"),
    FeedConfig(name="hamas-statements", url="https://example.org/h.xml", tier="official", party="Hamas"),
)


def settings(feeds: tuple[FeedConfig, ...] = FEEDS) -> Settings:
    return Settings(feeds=feeds)


def event(
    *,
    feed: str = "reuters",
    item: str = "1",
    category: Category = Category.CEASEFIRE_VIOLATION,
    severity: Severity = Severity.MEDIUM,
    status: str = "reported",
    title: str = "Israeli strike on car in Bani Suheila kills three",
    matched: str | None = None,
    hours: float = 0.0,
    places: tuple[str, ...] = (),
    zones: tuple[str, ...] = ("unlocated",),
    actors: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
    casualties: int | None = None,
    troops: int | None = None,
    troops_qualifier: str | None = None,
    detail: dict[str, str] | None = None,
    rule: str = "test-rule",
    link: str | None = None,
) -> Event:
    return Event.model_validate(
        {
            "item_key": f"{feed}\x1f{item}",
            "feed": feed,
            "category": category,
            "severity": severity,
            "rule": rule,
            "status": status,
            "matched": matched if matched is not None else title,
            "entities": Entities(
                countries=countries,
                actors=actors,
                places=places,
                zones=zones,
                casualties=casualties,
                troops=troops,
                troops_qualifier=troops_qualifier,
            ),
            "detail": detail or {},
            "published": T0 + timedelta(hours=hours),
            "title": title,
            "link": link or f"https://example.org/{feed}/{item}",
        }
    )


def load_bundles() -> tuple[Settings, list[tuple[str, Event]]]:
    """The report bundles: settings for their feeds and (gold label, event) pairs."""
    doc: dict[str, Any] = json.loads((DATA / "reports.json").read_text(encoding="utf-8"))
    feeds = tuple(
        FeedConfig(
            name=f["name"], url=f"https://example.org/{f['name']}.xml", tier=f["tier"], party=f.get("party")
        )
        for f in doc["feeds"]
    )
    base = datetime.fromisoformat(doc["base"])
    pairs = []
    for n, r in enumerate(doc["reports"]):
        ev = Event.model_validate(
            {
                "item_key": f"{r['feed']}\x1f{n}",
                "feed": r["feed"],
                "category": r["category"],
                "severity": r["severity"],
                "rule": f"{r['category']}-rule",
                "status": r["status"],
                "matched": r["matched"],
                "entities": {
                    "places": r["places"],
                    "zones": r["zones"],
                    "actors": r["actors"],
                    "countries": r["countries"],
                    "casualties": r["casualties"],
                },
                "published": base + timedelta(hours=r["hours"]),
                "title": r["title"],
                "link": f"https://example.org/{r['feed']}/{n}",
            }
        )
        pairs.append((r["gold"], ev))
    return Settings(feeds=feeds), pairs


def purity_completeness(gold: dict[str, str], found: dict[str, str]) -> tuple[float, float]:
    """Cluster purity and completeness (inverse purity) of ``found`` against ``gold`` (key → label)."""
    n = len(gold)

    def best_overlap(a: dict[str, str], b: dict[str, str]) -> int:
        groups: dict[str, list[str]] = {}
        for key, label in a.items():
            groups.setdefault(label, []).append(key)
        total = 0
        for keys in groups.values():
            counts: dict[str, int] = {}
            for key in keys:
                counts[b[key]] = counts.get(b[key], 0) + 1
            total += max(counts.values())
        return total

    return best_overlap(found, gold) / n, best_overlap(gold, found) / n


def test_purity_completeness_measure() -> None:
    gold = {"a": "1", "b": "1", "c": "2", "d": "2"}
    assert purity_completeness(gold, gold) == (1.0, 1.0)
    assert purity_completeness(gold, {"a": "x", "b": "x", "c": "x", "d": "x"}) == (0.5, 1.0)
    assert purity_completeness(gold, {"a": "1", "b": "2", "c": "3", "d": "4"}) == (1.0, 0.5)
