"""Command palette entries: every key binding active on the current screen, by what it does.

The palette reads the same bindings as the footer and the help screen (monitor.app.keys), so a key
and its palette entry cannot drift apart.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from monitor.app.keys import key_names


class ActionsProvider(Provider):
    """Every action available on the current screen, named by what it does, with its key."""

    def _available(self) -> list[tuple[str, str, str, DOMNode]]:
        """(what it does, key, action, namespace) of every binding of ours active on the screen."""
        found: dict[str, tuple[str, str, str, DOMNode]] = {}
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.tooltip or binding.action in found:
                continue  # a widget's own keys (arrows, Enter) carry no tooltip: help lists them
            does = binding.tooltip[:1].upper() + binding.tooltip[1:]
            found[binding.action] = (does, key_names(binding), binding.action, active.node)
        return list(found.values())

    def _run(self, action: str, node: DOMNode) -> None:
        self.app.call_later(self.app.run_action, action, node)

    async def discover(self) -> Hits:
        for does, keys, action, node in self._available():
            yield DiscoveryHit(does, partial(self._run, action, node), help=f"key: {keys}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for does, keys, action, node in self._available():
            score = matcher.match(does)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(does),
                    partial(self._run, action, node),
                    text=does,
                    help=f"key: {keys}",
                )
