"""A schematic of the Gaza Strip: five governorates shaded by recent incidents, the yellow line,
and the crossings. Built from Content spans, so labels and counts never pass through markup."""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from monitor.models import ZoneEntry

# North to south; the strip runs from north-east to south-west, so each row starts one cell
# further left. (name, rows, short name)
GOVERNORATES: tuple[tuple[str, int, str], ...] = (
    ("North Gaza", 1, "N Gaza"),
    ("Gaza City", 2, "Gaza C"),
    ("Deir al-Balah", 1, "Deir B"),
    ("Khan Younis", 2, "Khan Y"),
    ("Rafah", 1, "Rafah"),
)
CROSSINGS = ("Erez", "Kerem Shalom", "Rafah crossing")
ALIASES = {
    "northern gaza": "North Gaza",
    "north gaza": "North Gaza",
    "gaza city": "Gaza City",
    "gaza": "Gaza City",
    "deir al-balah": "Deir al-Balah",
    "deir el-balah": "Deir al-Balah",
    "deir al balah": "Deir al-Balah",
    "khan younis": "Khan Younis",
    "khan yunis": "Khan Younis",
    "rafah": "Rafah",
    "erez": "Erez",
    "erez crossing": "Erez",
    "beit hanoun crossing": "Erez",
    "kerem shalom": "Kerem Shalom",
    "kerem shalom crossing": "Kerem Shalom",
    "rafah crossing": "Rafah crossing",
    "yellow line": "Yellow Line",
}
# Shading by incidents in the last 24 h: a glyph (readable without colour) and a colour.
SHADES: tuple[tuple[int, str, str], ...] = (
    (0, "·", "#5f8787"),
    (1, "░", "#af8700"),
    (3, "▒", "#ff8700"),
    (6, "▓", "#d75f00"),
    (10, "█", "#d70000"),
)
TREND_GLYPH = {"rising": "▲", "steady": " ", "falling": "▼"}
BAND = 6  # cells across the strip
YELLOW_LINE_AT = 4  # cells from the coast: east of it is the zone held by the army
YELLOW = "bold #ffd700"


def shade(count: int) -> tuple[str, str]:
    """Glyph and colour for ``count`` incidents."""
    glyph, colour = SHADES[0][1:]
    for floor, g, c in SHADES:
        if count >= floor:
            glyph, colour = g, c
    return glyph, colour


def by_map_name(zones: Mapping[str, ZoneEntry]) -> dict[str, ZoneEntry]:
    """Zone entries keyed by the map's names (gazetteer spellings vary)."""
    out: dict[str, ZoneEntry] = {}
    for name, entry in zones.items():
        key = ALIASES.get(name.casefold().strip())
        if key is not None and (key not in out or entry.count_24h > out[key].count_24h):
            out[key] = entry
    return out


class ZoneMap(Widget):
    """The strip, north at the top; the parent sets ``zones``."""

    DEFAULT_CSS = """
    ZoneMap { height: 10; width: 1fr; min-width: 24; }
    ZoneMap.-large { height: 17; }
    """

    zones: reactive[dict[str, ZoneEntry]] = reactive(dict, always_update=True)

    def render(self) -> Content:
        scale = 2 if self.has_class("-large") else 1
        return draw_map(by_map_name(self.zones), wide=self.size.width >= 38, scale=scale)


def draw_map(zones: Mapping[str, ZoneEntry], *, wide: bool, scale: int = 1) -> Content:
    """The map as lines of Content; ``scale`` 2 draws it twice as tall and half again as broad."""
    rows = sum(r for _, r, _ in GOVERNORATES) * scale
    band = BAND + 3 * (scale - 1)
    yellow_at = YELLOW_LINE_AT + 2 * (scale - 1)
    lines: list[Content] = [_crossing_line(zones, "Erez", indent=rows + band - 2, flag="▲ ")]
    row = 0
    for name, height, short in GOVERNORATES:
        entry = zones.get(name)
        count = entry.count_24h if entry else 0
        glyph, colour = shade(count)
        for part in range(height * scale):
            indent = rows - row
            row += 1
            west = glyph * yellow_at
            east = glyph * (band - yellow_at - 1)
            cells: list[str | tuple[str, str]] = [
                " " * indent,
                ("╱", "dim"),
                (west, colour),
                ("┊", YELLOW),
                (east, f"{colour} dim"),
                ("╱", "dim"),
            ]
            if part == 0:
                label = name if wide else short
                trend = TREND_GLYPH[entry.trend] if entry else " "
                week = f" {entry.count_7d:>3}/7d" if entry and wide else ""
                cells += [
                    " " * (rows - indent),
                    (f"{label:<13}" if wide else f"{label:<6}", "bold" if count else ""),
                    (f"{count:>3}", f"bold {colour}" if count else "dim"),
                    (trend, "bold #d75f00" if trend == "▲" else "#5f8700"),
                    (week, "dim"),
                ]
            lines.append(Content.assemble(*cells))
    south = Content.assemble(
        _crossing_line(zones, "Rafah crossing", indent=0, flag="■ ", label="Rafah"),
        "  ",
        _crossing_line(zones, "Kerem Shalom", indent=0, flag="■ "),
    )
    lines.append(south)
    line = zones.get("Yellow Line")
    near = f" {line.count_24h} " if line and line.count_24h else " "
    lines.append(
        Content.assemble(("┊", YELLOW), (" yellow line", "dim"), (near, "bold #d75f00"), " ", *_legend(wide)),
    )
    return Content("\n").join(lines)


def _crossing_line(
    zones: Mapping[str, ZoneEntry], name: str, *, indent: int, flag: str, label: str | None = None
) -> Content:
    entry = zones.get(name)
    busy = bool(entry and entry.count_24h)
    style = "bold #d75f00" if busy else "#5f87af"
    text = f"{flag}{label or name}" + (f" {entry.count_24h}" if entry and busy else "")
    return Content.assemble(" " * indent, (text, style))


def _legend(wide: bool) -> list[tuple[str, str]]:
    if not wide:
        return []
    out: list[tuple[str, str]] = []
    for floor, glyph, colour in SHADES:
        out += [(glyph, colour), (f"{floor}+ " if floor else "0 ", "dim")]
    return out
