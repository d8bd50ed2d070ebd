"""The help screen: every screen's keys, built from the same bindings as the footer and the palette."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from monitor.app.keys import HELP_KEYS, sections
from monitor.app.safe import content


class HelpScreen(ModalScreen[None]):
    """Every binding of the app, scrollable at once; Esc, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = list(HELP_KEYS)

    def __init__(self, config: Path | None = None, prefs: Path | None = None) -> None:
        super().__init__()
        self.config = config
        self.prefs = prefs

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            where = (
                f"Settings: {self.config} (reloaded when it or its rules files change)"
                if self.config
                else "Settings: the demo's own"
            )
            yield Static(content(where, "dim"), id="help-where")
            if self.prefs:  # a line of its own: plain text loses line breaks when sanitised
                yield Static(content(f"Theme remembered in: {self.prefs}", "dim"), id="help-prefs")
            for title, section in sections():
                yield Static(Content.styled(title, "bold underline"), classes="help-title")
                for row in section:
                    with Horizontal(classes="help-row"):
                        yield Static(Content.styled(row.keys, "bold"), classes="help-keys")
                        yield Static(Content(row.does), classes="help-does")
        yield Footer()

    def on_mount(self) -> None:
        scroll = self.query_one("#help", VerticalScroll)
        scroll.border_title = "Keys"
        scroll.border_subtitle = "Esc or ? to close"
        scroll.focus()

    def action_close(self) -> None:
        self.dismiss(None)
