"""Which alerts ``watch`` writes: category, minimum severity, zone, country and the first-run cut-off."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from monitor.models import UNLOCATED, Alert, Category, Severity

_SEPARATORS = re.compile(r"[\s_\-]+")


def name_key(name: str) -> str:
    """A name folded for matching: case-insensitive, spaces, hyphens and underscores alike."""
    return _SEPARATORS.sub(" ", name.casefold()).strip()


@dataclass(frozen=True)
class AlertFilter:
    """An alert passes when it matches every criterion given (an empty criterion matches all).

    ``categories``: the alert's category is one of them (alerts without a category — force and zone
    changes — pass only when their kind's category is listed: force_change → force_deployment,
    zone_change → safe_zone). ``min_severity``: at least that severe. ``zones`` / ``countries``: the
    alert names at least one of them. ``not_before``: published (else raised) at or after that time.
    """

    categories: frozenset[Category] = frozenset()
    min_severity: Severity | None = None
    zones: frozenset[str] = field(default_factory=frozenset)
    countries: frozenset[str] = field(default_factory=frozenset)
    not_before: datetime | None = None

    @classmethod
    def build(
        cls,
        *,
        categories: Iterable[Category] = (),
        min_severity: Severity | None = None,
        zones: Iterable[str] = (),
        countries: Iterable[str] = (),
        not_before: datetime | None = None,
    ) -> AlertFilter:
        return cls(
            categories=frozenset(categories),
            min_severity=min_severity,
            zones=frozenset(name_key(z) for z in zones),
            countries=frozenset(name_key(c) for c in countries),
            not_before=not_before,
        )

    def rejects(self, alert: Alert) -> str | None:
        """Why ``alert`` is filtered out, or None when it passes."""
        if self.categories and _category_of(alert) not in self.categories:
            return "category"
        if self.min_severity is not None and alert.severity.rank < self.min_severity.rank:
            return "severity"
        if self.zones:
            zones = {name_key(z) for z in alert.entities.zones} or {UNLOCATED}
            if not zones & self.zones:
                return "zone"
        if self.countries and not {name_key(c) for c in alert.entities.countries} & self.countries:
            return "country"
        if self.not_before is not None:
            when = alert.published or alert.ts
            if when < self.not_before:
                return "older than --since"
        return None


def _category_of(alert: Alert) -> Category | None:
    if alert.category is not None:
        return alert.category
    if alert.kind == "force_change":
        return Category.FORCE_DEPLOYMENT
    if alert.kind == "zone_change":
        return Category.SAFE_ZONE
    return None


PASS_ALL = AlertFilter()
"""The filter that lets every alert through."""


class RejectsAlerts(Protocol):
    """What a sink asks of its filter."""

    def rejects(self, alert: Alert) -> str | None: ...


@dataclass(frozen=True)
class AllOf:
    """Passes an alert that every one of ``filters`` passes (watch's own filter, then a target's)."""

    filters: Sequence[RejectsAlerts]

    def rejects(self, alert: Alert) -> str | None:
        for one in self.filters:
            why = one.rejects(alert)
            if why is not None:
                return why
        return None
