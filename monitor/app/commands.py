"""Command palette entries for every action of the app and its screens."""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen


class Command(NamedTuple):
    name: str
    help: str
    action: str
    screen: str | None  # class name of the screen it needs; None: the app's own


COMMANDS: tuple[Command, ...] = (
    Command(
        "Show incident detail",
        "Sources, matched rule and evidence, entities and history of the selected incident",
        "show_incident",
        "MainScreen",
    ),
    Command(
        "Show contributor evidence",
        "The reports behind each status change of the selected contributor",
        "show_force",
        "MainScreen",
    ),
    Command("Search incidents", "Type to filter incidents by title, zone or actor", "search", "MainScreen"),
    Command(
        "Filter incidents", "Category, severity, zone, time range, unacknowledged", "filters", "MainScreen"
    ),
    Command(
        "Toggle unacknowledged only",
        "Show only incidents not yet acknowledged",
        "toggle_unacknowledged",
        "MainScreen",
    ),
    Command("Clear filters", "Show every incident again", "clear_filters", "MainScreen"),
    Command(
        "Acknowledge incident", "Mark the selected incident as seen (stored)", "acknowledge", "MainScreen"
    ),
    Command("Mute incident", "Silence alerts about the selected incident (stored)", "mute", "MainScreen"),
    Command("Open link", "Open the selected report in the web browser", "open_link", "MainScreen"),
    Command("Next page", "The next page of incidents", "page(1)", "MainScreen"),
    Command("Previous page", "The previous page of incidents", "page(-1)", "MainScreen"),
    Command(
        "Acknowledge this incident", "Mark this incident as seen (stored)", "acknowledge", "IncidentScreen"
    ),
    Command("Mute this incident", "Silence alerts about this incident (stored)", "mute", "IncidentScreen"),
    Command("Open source link", "Open the selected source in the web browser", "open_link", "IncidentScreen"),
    Command("Open evidence link", "Open the selected report in the web browser", "open_link", "ForceScreen"),
    Command("Back", "Return to the boards", "app.pop_screen", "IncidentScreen"),
    Command("Back", "Return to the boards", "app.pop_screen", "ForceScreen"),
    Command(
        "Toggle light/dark theme", "Switch between the light and the dark theme", "app.toggle_theme", None
    ),
    Command("Quit", "Leave situation-room", "app.quit", None),
)


class ActionsProvider(Provider):
    """Every action available on the current screen, by name."""

    def _available(self) -> list[Command]:
        kind = type(self.screen).__name__
        return [c for c in COMMANDS if c.screen is None or c.screen == kind]

    def _run(self, action: str, screen: Screen[object]) -> None:
        self.app.call_later(self.app.run_action, action, screen)

    async def discover(self) -> Hits:
        for command in self._available():
            yield DiscoveryHit(
                command.name, partial(self._run, command.action, self.screen), help=command.help
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._available():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.name),
                    partial(self._run, command.action, self.screen),
                    text=command.name,
                    help=command.help,
                )
