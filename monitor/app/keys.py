"""The key bindings of every screen, in one place: the footer, the help screen, the command palette
and the README's key table all read them from here.

Each binding's ``description`` is the footer's short label and its ``tooltip`` the sentence the help
screen, the palette and the README show. The keys the widgets themselves answer (arrows, Tab, Enter)
are listed in ``MOVING`` so the help screen and the README can say what they do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textual.binding import Binding

PAGES = Binding.Group("Page", compact=True)


def key(
    keys: str,
    action: str,
    label: str,
    does: str,
    *,
    show: bool = True,
    group: Binding.Group | None = None,
    display: str | None = None,
    priority: bool = False,
) -> Binding:
    """One binding: ``label`` for the footer, ``does`` for help, palette and README."""
    return Binding(
        keys, action, label, show=show, tooltip=does, group=group, key_display=display, priority=priority
    )


APP_KEYS: list[Binding] = [
    key("question_mark,f1", "help", "Help", "this list of keys (Esc or ? closes it)"),
    key(
        "r",
        "poll_now",
        "Poll",
        "poll every feed now (except those waiting out a backoff or Retry-After)",
        show=False,
    ),
    key(
        "b",
        "toggle_bell",
        "Bell",
        "terminal bell on critical alerts, on or off (feeds.yaml: app.bell)",
        show=False,
    ),
    key("t", "toggle_theme", "Theme", "light or dark theme (remembered)", show=False),
    key("q", "quit", "Quit", "quit (on a detail screen: back)"),
]

MAIN_KEYS: list[Binding] = [
    key(
        "slash",
        "search",
        "Search",
        "search incidents: title, summary, zone, actors, countries; Enter keeps it, Esc clears",
    ),
    key("f", "filters", "Filter", "filters: category, severity, zone, time range, unacknowledged only"),
    key("u", "toggle_unacknowledged", "Unacked", "unacknowledged incidents only, on or off", show=False),
    key("a", "acknowledge", "Ack", "acknowledge the selected incident (again to undo); stored"),
    key(
        "A",
        "acknowledge_all",
        "Ack all",
        "acknowledge every incident the list shows (asks first); stored",
        show=False,
    ),
    key("m", "mute", "Mute", "mute the selected incident (again to undo); stored", show=False),
    key("o", "open_link", "Open", "open the selected report in the browser (http and https links only)"),
    key(
        "space",
        "toggle_pause",
        "Pause",
        "pause live updates (the top line counts what arrives), again to resume",
    ),
    key("n", "page(1)", "Next", "next page of incidents", group=PAGES),
    key("p", "page(-1)", "Prev", "previous page of incidents", group=PAGES),
    key("1", "panel('incidents')", "Incidents", "go to the incidents panel", show=False),
    key("2", "panel('zones')", "Zones", "go to the zones panel (the table under the map)", show=False),
    key("3", "panel('forces')", "Forces", "go to the forces panel", show=False),
    key("4", "panel('feeds')", "Feeds", "go to the feeds panel", show=False),
    key("escape", "clear_filters", "Clear", "clear search and filters", show=False),
]

DETAIL_KEYS: list[Binding] = [
    key("escape,q", "app.pop_screen", "Back", "back to the boards"),
    key("o", "open_link", "Open link", "open the selected report in the browser"),
]

INCIDENT_KEYS: list[Binding] = [
    key("a", "acknowledge", "Ack", "acknowledge this incident (again to undo); stored"),
    key("m", "mute", "Mute", "mute this incident (again to undo); stored"),
]

FEED_KEYS: list[Binding] = [
    key("escape,q", "app.pop_screen", "Back", "back to the boards"),
]

HELP_KEYS: list[Binding] = [
    key("escape,question_mark,f1,q", "close", "Close", "close this list"),
]

FILTER_KEYS: list[Binding] = [
    key("escape", "cancel", "Cancel", "close the filters dialog, changing nothing"),
]

CONFIRM_KEYS: list[Binding] = [
    key("y", "answer(True)", "Yes", "yes"),
    key("n,escape", "answer(False)", "No", "no"),
]


@dataclass(frozen=True)
class Row:
    """One line of the help screen and of the README's key table."""

    keys: str
    does: str


MOVING: tuple[Row, ...] = (
    Row("↑ ↓ PgUp PgDn", "move in the focused panel; on a detail screen, scroll"),
    Row("Tab, Shift+Tab", "next / previous panel (at 80×24 the zones table scrolls into view under the map)"),
    Row(
        "Enter",
        "on an incident: sources, matched rule with the evidence, entities, history; on a contributor: "
        "the reports behind each status change; on a zone: its incidents; on a feed: URL, status, "
        "last error in full, polls",
    ),
    Row("Ctrl+P", "command palette: every action by name"),
)

_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "escape": "Esc",
    "space": "Space",
    "enter": "Enter",
    "f1": "F1",
}


def key_names(binding: Binding) -> str:
    """The keys of a binding as a person types them: ``?, F1``."""
    if binding.key_display:
        return binding.key_display
    return ", ".join(_NAMES.get(k.strip(), k.strip()) for k in binding.key.split(","))


def rows(bindings: Iterable[Binding]) -> list[Row]:
    return [Row(key_names(b), b.tooltip) for b in bindings]


def sections() -> list[tuple[str, Sequence[Row]]]:
    """Every screen's keys, for the help screen, in the order a person meets them."""
    return [
        ("Moving around", MOVING),
        ("Boards", rows(MAIN_KEYS)),
        ("Everywhere", rows(APP_KEYS)),
        ("Incident and contributor detail", rows([*DETAIL_KEYS, *INCIDENT_KEYS])),
        ("Feed detail", rows(FEED_KEYS)),
        ("Dialogs", rows([*HELP_KEYS, *FILTER_KEYS, *CONFIRM_KEYS])),
    ]


README_WHERE = {
    "Moving around": "",
    "Boards": "boards",
    "Everywhere": "",
    "Incident and contributor detail": "detail",
    "Feed detail": "detail",
}


def readme_table() -> str:
    """The README's key table, built from the bindings (a test keeps the README equal to it)."""
    lines = ["| key | where | does |", "|-----|-------|------|"]
    for title, section in sections():
        if title not in README_WHERE:
            continue
        for row in section:
            line = f"| {row.keys} | {README_WHERE[title]} | {row.does} |"
            if line not in lines:
                lines.append(line)
    return "\n".join(lines)
