"""The rules engine: YAML rules (default set + user files) → events, with guards and extraction.

The names below are loaded on first use: the picture imports only the gazetteer, and a run that
classifies nothing (every feed unchanged) should not import the engine for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from monitor.rules.engine import RuleEngine
    from monitor.rules.gazetteer import ZONES, Zone

__all__ = ["ZONES", "RuleEngine", "Zone"]


def __getattr__(name: str) -> Any:
    if name == "RuleEngine":
        from monitor.rules.engine import RuleEngine

        return RuleEngine
    if name in ("ZONES", "Zone"):
        from monitor.rules import gazetteer

        return getattr(gazetteer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
