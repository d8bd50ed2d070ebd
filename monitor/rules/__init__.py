"""The rules engine: YAML rules (default set + user files) → events, with guards and extraction."""

from monitor.rules.engine import RuleEngine
from monitor.rules.gazetteer import ZONES, Zone

__all__ = ["ZONES", "RuleEngine", "Zone"]
