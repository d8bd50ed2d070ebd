"""Frozen records that flow through the pipeline: Item → Event → Incident / Force / Zone → Alert.

Every datetime is timezone-aware UTC. Records are pydantic models so the store and the sinks
serialise them with ``model_dump(mode="json")`` and read them back with ``model_validate``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


UTCDateTime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
"""A timezone-aware datetime, normalised to UTC on validation."""


def utcnow() -> datetime:
    """The current time in UTC (the one clock the core uses by default)."""
    return datetime.now(UTC)


class Record(BaseModel):
    """Base of every record: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# --- vocabularies ---------------------------------------------------------------------------

Tier = Literal["wire", "outlet", "official", "ngo", "osint"]
"""What kind of source a feed is: news agency, news outlet, government/UN body, NGO, open-source analysts."""


class Category(StrEnum):
    """What an event is about. The first two are the principal categories of GUIDELINE.md."""

    CEASEFIRE_VIOLATION = "ceasefire_violation"
    FORCE_DEPLOYMENT = "force_deployment"
    SAFE_ZONE = "safe_zone"
    REPRISAL = "reprisal"
    HOSTAGE_REMAINS = "hostage_remains"
    UXO = "uxo"
    RECONSTRUCTION = "reconstruction"
    DIPLOMACY = "diplomacy"


STATISTICAL_RULE_PREFIX = "ngram."
"""Rule ids of the statistical reading's events (``ngram.ceasefire_violation``, ...): the rules
engine's second opinion where no rule matched, which never moves the forces board."""


def is_statistical(rule: str) -> bool:
    """Whether an event's rule id is the statistical reading's."""
    return rule.startswith(STATISTICAL_RULE_PREFIX)


class Severity(StrEnum):
    """How urgent an event or incident is; compare with ``rank``."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def raised(self, steps: int = 1) -> Severity:
        """This severity moved up ``steps`` levels, capped at critical."""
        order = list(Severity)
        return order[min(len(order) - 1, self.rank + steps)]


_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}

EventStatus = Literal["reported", "claimed", "accused", "denied"]
"""Attribution of an event: stated as fact, claimed by a party, an accusation, or denied."""

IncidentStatus = Literal["reported", "corroborated", "disputed"]
"""reported (one outlet) → corroborated (two or more independent non-party outlets) → disputed."""

ForceStatus = Literal[
    "discussed",
    "in_talks",
    "offered",
    "pledged",
    "authorised",
    "deploying",
    "deployed",
    "withdrawing",
    "withdrawn",
    "declined",
]
"""The ladder a contributor climbs from talk to deployment (plus ``declined``), in order."""

FORCE_LADDER: tuple[ForceStatus, ...] = (
    "discussed",
    "in_talks",
    "offered",
    "pledged",
    "authorised",
    "deploying",
    "deployed",
    "withdrawing",
    "withdrawn",
)

ZoneStatus = Literal["none", "safe_zone_proposed", "safe_zone_established", "evacuation_ordered", "struck"]

AlertKind = Literal["new", "update", "force_change", "zone_change"]

UNLOCATED = "unlocated"
"""The zone of an event whose text names no known place."""


# --- ingest ---------------------------------------------------------------------------------


class Item(Record):
    """One feed entry after parsing and sanitising. Text fields are plain, safe text."""

    id: str = Field(description="Stable id: the raw GUID, else the link, else a hash of feed+title+date.")
    feed: str = Field(description="Name of the feed (from feeds.yaml) that first brought this item.")
    title: str = Field(description="Sanitised title, at most 500 characters.")
    summary: str = Field(default="", description="Sanitised plain-text summary, at most 5,000 characters.")
    link: str | None = Field(default=None, description="http/https link to the article, else None.")
    published: UTCDateTime = Field(description="Publication time; the first-seen time when missing or bad.")
    published_raw: str | None = Field(default=None, description="The date string as the feed gave it.")
    fetched_at: UTCDateTime = Field(description="When the item was fetched.")
    content_hash: str = Field(
        description="Hash of normalised title+summary; detects updates and syndication."
    )
    sources: tuple[str, ...] = Field(
        default=(), description="Other feeds that carried the same content (syndicated wire copy)."
    )

    @property
    def key(self) -> str:
        """Globally unique key: feed name and item id."""
        return f"{self.feed}\x1f{self.id}"

    @property
    def text(self) -> str:
        """Title and summary as one text, the unit the rules engine reads."""
        return f"{self.title}. {self.summary}" if self.summary else self.title


class FeedState(Record):
    """What the poller remembers about one feed between polls (and across restarts)."""

    url: str = Field(description="The URL polled (as configured).")
    etag: str | None = Field(default=None, description="ETag exactly as the server sent it.")
    last_modified: str | None = Field(default=None, description="Last-Modified exactly as sent.")
    body_hash: str | None = Field(
        default=None, description="Hash of the last body, for servers that ignore validators."
    )
    last_status: int | None = Field(default=None, description="Last HTTP status (0 for a network error).")
    last_attempt: UTCDateTime | None = None
    last_success: UTCDateTime | None = None
    consecutive_failures: int = 0
    last_error: str | None = Field(default=None, description="The last error, in plain words.")
    next_poll: UTCDateTime | None = Field(
        default=None, description="Earliest time of the next poll (backoff/Retry-After)."
    )
    polls: int = 0
    not_modified: int = Field(default=0, description="How many polls answered 304.")
    items_seen: int = 0
    last_new_item: UTCDateTime | None = None
    mean_gap_s: float | None = Field(default=None, description="Usual gap between new items, in seconds.")
    gone: bool = Field(default=False, description="The server answered 410; polling stopped.")
    moved_to: str | None = Field(default=None, description="Target of a permanent redirect (301/308).")
    parse_notes: tuple[str, ...] = Field(
        default=(),
        description="What the last parse of a new body skipped or repaired (duplicate ids, entries "
        "past max_items, malformed XML), summarised; kept while the body is unchanged.",
    )


# --- classification -------------------------------------------------------------------------


class Entities(Record):
    """What the extractors found in one text."""

    countries: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    zones: tuple[str, ...] = Field(default=(), description="Gazetteer zones; (UNLOCATED,) when none.")
    troops: int | None = None
    troops_qualifier: str | None = Field(
        default=None, description='"up to", "about", "at least", ... or None.'
    )
    casualties: int | None = None


class Event(Record):
    """One rule firing on one item: what happened, how sure, and what was extracted."""

    item_key: str
    feed: str
    category: Category
    severity: Severity
    rule: str = Field(description="Id of the rule that fired.")
    status: EventStatus = "reported"
    matched: str = Field(description="The evidence: the sentence (or clause) that matched.")
    span: tuple[int, int] | None = Field(default=None, description="Offsets of the evidence in Item.text.")
    entities: Entities = Entities()
    detail: dict[str, str] = Field(
        default_factory=dict,
        description="Category-specific facts, e.g. force_deployment: stage, role, where, qualifier.",
    )
    published: UTCDateTime
    title: str
    link: str | None = None


# --- the picture ----------------------------------------------------------------------------


class SourceRef(Record):
    """One outlet's report behind an incident or a board value."""

    feed: str
    tier: Tier
    party: str | None = Field(default=None, description="The conflict party that runs this feed, if any.")
    item_key: str
    title: str
    link: str | None = None
    published: UTCDateTime


class Incident(Record):
    """One happening, merged from every report about it."""

    id: str
    category: Category
    severity: Severity
    status: IncidentStatus
    title: str
    zone: str = UNLOCATED
    place: str | None = None
    actors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    first_seen: UTCDateTime
    last_seen: UTCDateTime
    sources: tuple[SourceRef, ...] = ()
    casualties: int | None = None
    casualties_by: str | None = Field(
        default=None, description="Feed that reported the highest casualty figure."
    )
    rules: tuple[str, ...] = ()
    event_keys: tuple[str, ...] = Field(default=(), description="item_key|rule of each merged event.")
    places: tuple[str, ...] = Field(default=(), description="Every place the merged reports name.")
    zones: tuple[str, ...] = Field(default=(), description="Every gazetteer zone the merged reports name.")

    @property
    def source_count(self) -> int:
        """Distinct outlets reporting this incident."""
        return len({s.feed for s in self.sources})


class ForceEntry(Record):
    """One contributor on the forces board."""

    contributor: str
    status: ForceStatus
    troops: int | None = None
    troops_qualifier: str | None = None
    role: str | None = None
    where: str | None = None
    last_change: UTCDateTime
    evidence: tuple[SourceRef, ...] = ()
    present: int | None = Field(default=None, description="Personnel reported already on the ground.")
    present_qualifier: str | None = Field(default=None, description='"about", "up to", ... for present.')
    present_where: str | None = Field(default=None, description="Where the present personnel are.")
    value_evidence: dict[str, str] = Field(
        default_factory=dict,
        description="Field name (status, troops, role, where, present) → item_key of the evidence behind it.",
    )


class ZoneEntry(Record):
    """One zone on the zones board."""

    zone: str
    count_24h: int = 0
    count_7d: int = 0
    last_incident: str | None = Field(default=None, description="Id of the most recent incident.")
    last_incident_at: UTCDateTime | None = None
    status: ZoneStatus = "none"
    trend: Literal["rising", "steady", "falling"] = "steady"
    status_at: UTCDateTime | None = Field(
        default=None, description="Publication time of the status evidence."
    )
    status_source: SourceRef | None = Field(default=None, description="The report behind the status.")


class Alert(Record):
    """Something a person should be told about; stored before any sink sees it."""

    id: str
    ts: UTCDateTime
    kind: AlertKind
    category: Category | None = None
    severity: Severity
    title: str
    link: str | None = None
    feed: str | None = None
    published: UTCDateTime | None = None
    rule: str | None = None
    incident: str | None = None
    sources: int = 0
    status: str | None = None
    entities: Entities = Entities()
