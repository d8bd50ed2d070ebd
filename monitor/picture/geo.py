"""Zone geography for the picture: which zones exist, which contains which, and their centroids.

It comes from the rules package's gazetteer (``monitor.rules.gazetteer.ZONES``) when that is
installed; without it every zone stands alone and has no coordinates, and the picture still works.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass

from monitor.models import UNLOCATED

_KIND_RANK = {"safe_zone": 3, "crossing": 3, "governorate": 2, "line": 0, "theatre": 0, "unlocated": -1}


@dataclass(frozen=True, slots=True)
class ZoneInfo:
    """What the picture needs of one gazetteer zone."""

    name: str
    kind: str
    lat: float
    lon: float
    parent: str | None = None


class Geography:
    """Zones and their nesting (a governorate holds a safe zone and crossings; the Strip holds all)."""

    def __init__(self, zones: Iterable[ZoneInfo] = ()) -> None:
        self._zones = {z.name: z for z in zones}
        self._folded = {name.casefold(): name for name in self._zones}
        self._children: dict[str, set[str]] = {}
        for zone in self._zones.values():
            if zone.parent:
                self._children.setdefault(zone.parent, set()).add(zone.name)

    @classmethod
    def load(cls) -> Geography:
        """The gazetteer's zones, or an empty geography when the rules package has none."""
        try:
            module = importlib.import_module("monitor.rules.gazetteer")
        except ImportError:
            return cls()
        zones = getattr(module, "ZONES", {})
        return cls(
            ZoneInfo(
                name=str(z.name),
                kind=str(z.kind),
                lat=float(z.lat),
                lon=float(z.lon),
                parent=str(z.parent) if z.parent else None,
            )
            for z in zones.values()
        )

    def names(self) -> list[str]:
        return list(self._zones)

    def find(self, name: str) -> str | None:
        """The zone a name denotes, ignoring case ("yellow line" → "Yellow Line"), if any."""
        return self._folded.get(name.casefold())

    def get(self, zone: str) -> ZoneInfo | None:
        return self._zones.get(zone)

    def ancestors(self, zone: str) -> list[str]:
        out: list[str] = []
        parent = self._zones[zone].parent if zone in self._zones else None
        while parent and parent not in out:
            out.append(parent)
            parent = self._zones[parent].parent if parent in self._zones else None
        return out

    def descendants(self, zone: str) -> set[str]:
        out: set[str] = set()
        todo = [zone]
        while todo:
            for child in self._children.get(todo.pop(), ()):
                if child not in out:
                    out.add(child)
                    todo.append(child)
        return out

    def related(self, zone: str) -> set[str]:
        """The zone, the zones that contain it and the zones it contains: where the same happening
        may be reported at another precision ("in Gaza" and "in Rafah")."""
        return {zone, *self.ancestors(zone), *self.descendants(zone)}

    def depth(self, zone: str | None) -> int:
        """How specific a zone is: -1 unlocated, 0 a top-level zone, more for nested ones."""
        if not zone or zone == UNLOCATED:
            return -1
        return len(self.ancestors(zone))

    def specificity(self, zone: str | None) -> tuple[int, int]:
        """How precisely a zone locates a happening: nesting depth first, then its kind (a named
        safe zone or crossing is a spot, a governorate an area, a line or a theatre a stretch)."""
        info = self._zones.get(zone) if zone else None
        return self.depth(zone), _KIND_RANK.get(info.kind, 1) if info else 1

    def centroid(self, zone: str) -> tuple[float, float] | None:
        """(lat, lon) of a located zone, if the gazetteer has it."""
        info = self._zones.get(zone)
        if info is None or info.kind == "unlocated" or zone == UNLOCATED:
            return None
        return info.lat, info.lon
