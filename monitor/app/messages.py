"""Messages that travel up: from the pipeline worker to the app, and from widgets to their screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from monitor.app.board import ReportLike


@dataclass
class ReportArrived(Message):
    """One pipeline cycle finished; everything it changed, in one batch."""

    report: ReportLike


@dataclass
class PipelineFailed(Message):
    """The pipeline worker stopped with an error; ``reason`` says what failed, in words."""

    reason: str


@dataclass
class PipelineWarning(Message):
    """Something went wrong in one part of a cycle (a feed, a rule, a sink); the pipeline goes on."""

    text: str


@dataclass
class MarksArrived(Message):
    """What the marks log says now (another process, or this one, acknowledged or muted)."""

    acknowledged: frozenset[str]
    muted: frozenset[str]
    edits: int
    """The app's own edits counted when these were read: older than the board's, they are dropped."""


@dataclass
class IncidentChosen(Message):
    """The person asked for the detail of an incident."""

    incident_id: str


@dataclass
class ForceChosen(Message):
    """The person asked for the evidence behind a contributor's status."""

    contributor: str


@dataclass
class ZoneChosen(Message):
    """The person asked for the incidents of one zone."""

    zone: str


@dataclass
class ConfigReloaded(Message):
    """feeds.yaml or a rules file changed on disk: reloaded (``problems`` empty), or refused."""

    source: str
    summary: str
    problems: str = ""
    """Every problem as ``file:line: key: message`` lines; the previous settings stay in force."""


@dataclass
class FeedChosen(Message):
    """The person asked for the detail of a feed."""

    name: str
