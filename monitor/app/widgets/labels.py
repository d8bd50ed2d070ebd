"""Short labels and styles shared by the panels (severity colours, category names, times)."""

from __future__ import annotations

from datetime import datetime

from monitor.models import Category, Severity

SEVERITY_LABEL = {
    Severity.LOW: "low",
    Severity.MEDIUM: "med",
    Severity.HIGH: "HIGH",
    Severity.CRITICAL: "CRIT",
}
SEVERITY_STYLE = {
    Severity.LOW: "dim",
    Severity.MEDIUM: "#af8700",
    Severity.HIGH: "bold #d75f00",
    Severity.CRITICAL: "bold reverse #d70000",
}
CATEGORY_LABEL = {
    Category.CEASEFIRE_VIOLATION: "violation",
    Category.FORCE_DEPLOYMENT: "forces",
    Category.SAFE_ZONE: "safe zone",
    Category.REPRISAL: "reprisal",
    Category.HOSTAGE_REMAINS: "remains",
    Category.UXO: "UXO",
    Category.RECONSTRUCTION: "rebuild",
    Category.DIPLOMACY: "diplomacy",
}
STATUS_LABEL = {"reported": "reported", "corroborated": "corrob.", "disputed": "disputed"}


def short_time(at: datetime, now: datetime) -> str:
    """HH:MM for today (UTC); on another day, the day and month before the hour (12 characters)."""
    return at.strftime("%H:%M") if at.date() == now.date() else at.strftime("%d %b %H:%M")


def words(value: str | None) -> str:
    """A snake_case vocabulary value in words: in_talks → in talks."""
    return (value or "").replace("_", " ")
