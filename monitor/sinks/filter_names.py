"""Zone and country names for ``watch`` filters, checked against the gazetteer before a run starts.

A filter that names nothing the rules can ever produce would match no alert and, since filtered
alerts are marked handled, eat them all; so an unknown name is a usage error that names the nearest
known ones. Any spelling the gazetteer knows is accepted ("khan yunis", "jabaliya"), and a zone
includes the zones inside it ("Khan Younis" holds al-Mawasi; "Gaza Strip" holds every Gaza zone).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from monitor.sinks.alert_filter import name_key

SUGGESTIONS = 3
NEAR = 60
"""Least similarity (rapidfuzz ratio, 0-100) for a known name to be offered as meant."""


class UnknownName(ValueError):
    """A filter name the gazetteer does not know; ``nearest`` are the closest known names."""

    def __init__(self, what: str, name: str, nearest: tuple[str, ...], known: tuple[str, ...] = ()) -> None:
        self.what, self.name, self.nearest = what, name, nearest
        if nearest:
            hint = f"; did you mean {', '.join(nearest)}?"
        else:
            hint = f" (known: {', '.join(sorted(known, key=str.casefold))})"
        super().__init__(f"unknown {what} {name!r}{hint}")


@dataclass(frozen=True)
class Names:
    """Known spellings (folded with ``name_key``) → the canonical name an alert carries."""

    what: str
    spellings: Mapping[str, str]
    canonical: tuple[str, ...]

    def resolve(self, name: str) -> str:
        """The canonical name for ``name``; UnknownName (with the nearest names) when there is none."""
        found = self.spellings.get(name_key(name))
        if found is not None:
            return found
        raise UnknownName(self.what, name, self.nearest(name), self.canonical)

    def nearest(self, name: str) -> tuple[str, ...]:
        from rapidfuzz import fuzz, process, utils

        matches = process.extract(
            name_key(name),
            list(self.spellings),
            scorer=fuzz.ratio,
            processor=utils.default_process,
            score_cutoff=NEAR,
            limit=None,
        )
        out: dict[str, None] = {}
        for spelling, _score, _ in matches:  # best first; a name spelt several ways counts once
            out.setdefault(self.spellings[spelling])
        return tuple(out)[:SUGGESTIONS]


def zone_names() -> Names:
    from monitor.rules.gazetteer import PLACES, ZONES

    spellings = {name_key(alias): zone for alias, zone in PLACES.items()}
    spellings.update((name_key(zone), zone) for zone in ZONES)
    return Names("zone", spellings, tuple(ZONES))


def country_names() -> Names:
    from monitor.rules.extract import _COUNTRY_ABBREV, COUNTRIES

    spellings = {name_key(alias): country for alias, country in COUNTRIES.items()}
    spellings.update((name_key(abbrev), country) for abbrev, country in _COUNTRY_ABBREV.items())
    canonical = tuple(dict.fromkeys([*COUNTRIES.values(), *_COUNTRY_ABBREV.values()]))
    spellings.update((name_key(country), country) for country in canonical)
    return Names("country", spellings, canonical)


def resolve_zones(names: Iterable[str]) -> tuple[str, ...]:
    """Canonical zones for ``names``, each with the zones inside it; UnknownName for the first unknown."""
    names = tuple(names)
    if not names:
        return ()  # no filter: nothing to resolve, and no gazetteer to load (a run with no filter)
    from monitor.rules.gazetteer import ZONES

    known = zone_names()
    children: dict[str, list[str]] = {}
    for info in ZONES.values():
        if info.parent:
            children.setdefault(info.parent, []).append(info.name)
    out: dict[str, None] = {}
    for name in names:
        todo = [known.resolve(name)]
        while todo:
            zone = todo.pop()
            if zone not in out:
                out[zone] = None
                todo.extend(children.get(zone, ()))
    return tuple(out)


def resolve_countries(names: Iterable[str]) -> tuple[str, ...]:
    """Canonical countries for ``names``; UnknownName for the first unknown one."""
    names = tuple(names)
    if not names:
        return ()
    known = country_names()
    return tuple(dict.fromkeys(known.resolve(name) for name in names))
