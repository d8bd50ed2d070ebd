"""Acceptance: the demo scenario replayed through the real pipeline (loopback server, rules, picture,
store) leaves the boards an analyst expects. Runs the replay at high speed."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from monitor.ingest.demo import DemoServer
from monitor.models import Alert, Category, ForceEntry, Incident, ZoneEntry, utcnow
from monitor.picture import Picture
from monitor.pipeline import CycleReport, Pipeline
from monitor.sinks.export import render_markdown, take_snapshot
from monitor.store import Store

rules = pytest.importorskip("monitor.rules", reason="the rules engine is not part of this build yet")

SPEED = 15.0
PARTY_OUTLET = "Gaza Affairs Bulletin (demo)"


@dataclass
class Replayed:
    forces: dict[str, ForceEntry]
    incidents: list[Incident]
    zones: dict[str, ZoneEntry]
    alerts: list[Alert]
    sitrep: str


@dataclass
class CountCycles:
    """A sink that only counts the cycles it is given."""

    name: str = ""
    durable: bool = False
    cycles: list[CycleReport] = field(default_factory=list)

    async def deliver(self, report: CycleReport) -> None:
        self.cycles.append(report)


async def replay(data: Path) -> Replayed:
    async with DemoServer(speed=SPEED) as server:
        settings = server.settings()
        with Store.open(data) as store:
            pipeline = Pipeline(
                settings,
                store,
                engine=rules.RuleEngine.load(),
                picture=Picture.restore(settings, store),
                interval_override=server.poll_interval,
                handle_signals=False,
            )
            stop = asyncio.Event()
            sink = CountCycles()

            async def stop_after_the_last_release() -> None:
                while not server.finished():
                    await asyncio.sleep(0.1)
                seen = len(sink.cycles)
                # every feed polled at least twice after the last snapshot went out
                while len(sink.cycles) < seen + 3:
                    await asyncio.sleep(server.poll_interval)
                await asyncio.sleep(4 * server.poll_interval + 1)
                stop.set()

            stopper = asyncio.create_task(stop_after_the_last_release())
            await asyncio.wait_for(pipeline.run([sink], stop=stop), timeout=server.duration_s + 60)
            await stopper
            snapshot = take_snapshot(store, settings, now=utcnow())
            return Replayed(
                forces={f.contributor: f for f in store.forces()},
                incidents=store.incidents(),
                zones={z.zone: z for z in store.zones()},
                alerts=store.alerts(),
                sitrep=render_markdown(snapshot),
            )


def of(replayed: Replayed, category: Category, zone: str) -> list[Incident]:
    return [i for i in replayed.incidents if i.category is category and i.zone == zone]


def check_united_states_up_to_200_in_support_outside_gaza_with_two_dozen_in_the_region(
    replayed: Replayed,
) -> None:
    us = replayed.forces["United States"]
    assert us.status not in ("declined", "withdrawn", "withdrawing")
    assert (us.troops, us.troops_qualifier) == (200, "up to")
    assert us.where == "outside Gaza"
    assert (us.present, us.present_qualifier, us.present_where) == (24, "about", "in the region")
    assert us.value_evidence["troops"] in {r.item_key for r in us.evidence}


def check_united_states_in_support_roles(replayed: Replayed) -> None:
    assert replayed.forces["United States"].role == "support"


def check_five_countries_were_in_talks_and_moved_as_the_stories_say(replayed: Replayed) -> None:
    talks = {"Indonesia", "United Arab Emirates", "Egypt", "Qatar", "Azerbaijan"}
    reached = {
        a.entities.countries[0]
        for a in replayed.alerts
        if a.kind == "force_change" and a.status == "in_talks"
    }
    assert talks <= reached
    board = {name: replayed.forces[name].status for name in talks}
    assert board == {
        "Indonesia": "pledged",  # 1,200 offered, raised to a pledge of 2,000
        "United Arab Emirates": "in_talks",
        "Egypt": "in_talks",  # police training only: not a troop offer
        "Qatar": "in_talks",
        "Azerbaijan": "declined",
    }
    assert replayed.forces["Indonesia"].troops == 2000


def check_the_execution_of_seven_men_in_gaza_city_is_one_reprisal_incident(replayed: Replayed) -> None:
    (execution,) = [i for i in of(replayed, Category.REPRISAL, "Gaza City") if "seven" in i.title.lower()]
    feeds = {s.feed for s in execution.sources}
    assert len(feeds) >= 3 and PARTY_OUTLET in feeds
    assert execution.status == "corroborated"


def check_clashes_are_ceasefire_violations_each_with_its_source_count(replayed: Replayed) -> None:
    clashes = {
        zone: [i for i in of(replayed, Category.CEASEFIRE_VIOLATION, zone) if i.source_count >= 2]
        for zone in ("Khan Younis", "Rafah", "Gaza City")
    }
    for zone, found in clashes.items():
        assert found, f"no corroborated clash in {zone}"
    (khan_younis,) = clashes["Khan Younis"]
    assert khan_younis.source_count == 3 and khan_younis.casualties == 5
    rafah = max(clashes["Rafah"], key=lambda i: i.first_seen)
    assert rafah.status == "disputed"  # the party-run outlet denies it
    # the first day's shooting in Rafah stays a separate incident
    assert len(of(replayed, Category.CEASEFIRE_VIOLATION, "Rafah")) >= 2
    for clash in (khan_younis, rafah, *clashes["Gaza City"]):
        assert f"{clash.source_count} sources" in replayed.sitrep


def check_civilian_safe_zones_are_proposed(replayed: Replayed) -> None:
    for zone in ("Khan Younis", "Deir al-Balah"):
        assert replayed.zones[zone].status == "safe_zone_proposed"
    assert any(a.kind == "zone_change" and a.status == "safe_zone_proposed" for a in replayed.alerts)


def check_the_sitrep_carries_the_boards(replayed: Replayed) -> None:
    assert "| United States |" in replayed.sitrep
    assert "### Gaza City" in replayed.sitrep
    assert "safe zone proposed" in replayed.sitrep


def check_denials_reprisals_and_ordnance_are_what_they_are(replayed: Replayed) -> None:
    # a denial about Shujaiya puts no one "in talks"; it disputes the Shujaiya clash
    assert not {"Israel", "Palestine"} & set(replayed.forces)
    shujaiya = [i for i in of(replayed, Category.CEASEFIRE_VIOLATION, "Gaza City") if i.place == "Shujaiya"]
    assert shujaiya and all(i.status == "disputed" for i in shujaiya)
    # the execution (C9) and the unexploded shell (no truce party acted) are not violations
    titles = " ".join(
        i.title.lower() for i in replayed.incidents if i.category is Category.CEASEFIRE_VIOLATION
    )
    assert "execute" not in titles and "unexploded" not in titles
    (lahiya,) = [i for i in replayed.incidents if i.category is Category.UXO and "Lahiya" in i.title]
    assert lahiya.zone == "North Gaza"


CHECKS = [
    check_united_states_up_to_200_in_support_outside_gaza_with_two_dozen_in_the_region,
    check_united_states_in_support_roles,
    check_five_countries_were_in_talks_and_moved_as_the_stories_say,
    check_the_execution_of_seven_men_in_gaza_city_is_one_reprisal_incident,
    check_clashes_are_ceasefire_violations_each_with_its_source_count,
    check_civilian_safe_zones_are_proposed,
    check_the_sitrep_carries_the_boards,
    check_denials_reprisals_and_ordnance_are_what_they_are,
]


@pytest.mark.slow
async def test_demo_scenario_boards(tmp_path: Path) -> None:
    """One replay (it takes seconds), every expectation checked, every failure reported."""
    replayed = await replay(tmp_path / "data")
    failures: dict[str, str] = {}
    for check in CHECKS:
        try:
            check(replayed)
        except AssertionError as exc:
            failures[check.__name__] = str(exc)
    assert not failures, "\n".join(f"{name}: {why}" for name, why in failures.items())
