"""Incidents from reports: events about one happening, from many outlets, merged into one record.

An event joins an open incident when all of these hold: the same category; published within the
window of the incident's first report; compatible locations (a shared place, else a shared zone,
else one side unlocated but a shared actor); and similar wording (rapidfuzz token-set ratio) above a
threshold that is stricter the less specific the shared location is. Among several candidates the
best score wins. Open incidents are indexed by (category, zone), so an event is compared only with
the few incidents that could be the same happening, never with the whole history.

Every category ends up somewhere an analyst looks. Happenings (violations, reprisals, strikes on
safe zones, unexploded ordnance, hostages' remains) are incidents. Force deployments and force
talks go to the forces board; a deployment with no contributor (an army moving its own tanks)
and diplomacy that is not about the force (talks on the truce itself) become incidents, as do
reconstruction reports ("rebuilding in areas cleared of Hamas"). Reconstruction and diplomacy
incidents are plans, not happenings: they stay at their rules' (low) severity whatever the
corroboration, and the zones board does not count them (``COUNTED``), so rebuilding never makes a
zone look more violent. A declared safe-zone status is the zones board's, not an incident.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from monitor.models import UNLOCATED, Category, Event, Incident, IncidentStatus, Severity, is_statistical
from monitor.picture.forces import contributors, stage_of
from monitor.picture.geo import Geography
from monitor.picture.refs import SourceRefs, digest, event_key

PLANS = frozenset({Category.RECONSTRUCTION, Category.DIPLOMACY})
"""Categories of plans and talk: incidents at their rules' severity, never raised."""
COUNTED: frozenset[Category] = frozenset(Category) - PLANS - {Category.FORCE_DEPLOYMENT}
"""Categories of the incidents the zones board counts: happenings on the ground."""
DECLARATIONS = frozenset({"safe_zone_proposed", "safe_zone_established", "proposed", "established"})
"""Safe-zone statuses that are declarations for the zones board, not happenings (a strike on a safe
zone or an evacuation order is both)."""

PLACE_SIMILARITY = 45.0
"""Wording similarity (0-100) needed when the reports share a named place."""
ZONE_SIMILARITY = 60.0
"""... when they share only a zone (a governorate, a crossing): many things happen in one zone."""
UNLOCATED_SIMILARITY = 75.0
"""... when one side names no location and only an actor links them."""
ACTOR_EASING = 7.5
"""... eased by this much for each further shared actor (at most two): more names in common, more alike."""
LATE_PENALTY = 20.0
"""Extra similarity needed by a report at the far end of the window (linear from SAME_SPELL on):
the same place a day and a half later is more likely a new happening than a follow-up."""
SAME_SPELL = timedelta(hours=6)
"""Reports within this time of the first one need no extra similarity."""
DENIAL_EASING = 15.0
"""A denial is worded against the claim it denies, so it needs less similarity to match it."""

KEEP_TEXTS = 4
"""Wordings kept per incident for comparison: the first report and the latest few."""
RETAIN = timedelta(days=8)
"""How long a closed incident stays in memory (the zones board counts seven days)."""

CORROBORATING_OUTLETS = 2
CASUALTY_FLOORS: tuple[tuple[int, Severity], ...] = (
    (50, Severity.CRITICAL),
    (10, Severity.HIGH),
    (1, Severity.MEDIUM),
)
"""Least severity of an incident with at least this many casualties."""

REASON_OUTLET = "new outlet"
REASON_CASUALTIES = "higher casualties"
REASON_STATUS = "status"

_STOPWORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "in",
        "on",
        "at",
        "of",
        "to",
        "and",
        "or",
        "for",
        "by",
        "with",
        "from",
        "as",
        "after",
        "before",
        "into",
        "over",
        "near",
        "during",
        "amid",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "which",
        "who",
        "says",
        "said",
        "say",
        "according",
        "reports",
        "reported",
        "report",
        "while",
        "than",
        "then",
        "also",
        "despite",
    )
)


def wording(text: str, drop: Iterable[str] = ()) -> str:
    """The words that say what happened, for comparing two reports: no stop words, no figures, and
    none of the names in ``drop`` (places are compared on their own, and would inflate the score)."""
    dropped = {w for name in drop for w in default_process(name).split()}
    words = default_process(text).split()
    return " ".join(w for w in words if w not in _STOPWORDS and w not in dropped and not w.isdigit())


def _fold(values: Iterable[str]) -> set[str]:
    return {v.casefold() for v in values if v}


def _located(zones: Iterable[str]) -> list[str]:
    return [z for z in zones if z and z != UNLOCATED]


def _union(old: tuple[str, ...], new: Iterable[str]) -> tuple[str, ...]:
    out = list(old)
    seen = _fold(old)
    for value in new:
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return tuple(out)


@dataclass(frozen=True)
class IncidentChange:
    """What one event did to an incident. ``reasons`` is empty for a change worth no alert."""

    incident: Incident
    created: bool
    reasons: tuple[str, ...]
    event: Event


@dataclass
class _Report:
    """What the matcher needs from one event."""

    event: Event
    category: Category
    denial: bool
    text: str
    places: set[str]
    zones: set[str]
    actors: set[str]

    @classmethod
    def of(cls, event: Event) -> _Report:
        ent = event.entities
        category = event.category
        denial = event.status == "denied"
        denies = event.detail.get("denies")
        if denial and denies in set(Category):
            # "X denies the violation" arrives as diplomacy naming the category it denies.
            category = Category(denies)
        return cls(
            event=event,
            category=category,
            denial=denial,
            text=wording(f"{event.title} {event.matched}", (*ent.places, *ent.zones)),
            places=_fold(ent.places),
            zones=set(_located(ent.zones)),
            actors=_fold((*ent.actors, *ent.countries)),
        )


def _extend(old: tuple[str, ...], seen: set[str], new: Iterable[str]) -> tuple[str, ...]:
    """``_union(old, new)`` given ``seen`` = ``_fold(old)``, which it keeps up to date: costs the new
    values, not the old ones."""
    added: list[str] = []
    for value in new:
        if value and (folded := value.casefold()) not in seen:
            seen.add(folded)
            added.append(value)
    return (*old, *added) if added else old


@dataclass
class _Open:
    """The working state of one incident beside its record, with the sets the matcher reads kept
    ready and updated on each merge (never rebuilt from the incident's sources)."""

    record: Incident
    base: Severity
    denied: bool
    texts: list[str] = field(default_factory=list)
    folded: dict[str, set[str]] = field(default_factory=dict)
    """``_fold`` of the record's actors, countries, rules, places and zones."""
    places: set[str] = field(default_factory=set)
    """Places (folded) the incident names: its ``places``, else its ``place``."""
    zones: set[str] = field(default_factory=set)
    """Its located zones (``zones`` and ``zone``)."""
    actors: set[str] = field(default_factory=set)
    """Actors and countries, folded."""
    feeds: set[str] = field(default_factory=set)
    independent: set[str] = field(default_factory=set)
    """Feeds of its sources not run by a party to the conflict."""
    keys: set[str] = field(default_factory=set)
    """Its event keys."""
    independent_title: str | None = None
    """The headline of its first independent source."""
    narrow: set[str] | None = None
    """``IncidentBoard._narrowest(zones)``, computed when first needed after the zones change."""
    indexed: set[tuple[str, tuple[object, ...]]] = field(default_factory=set)
    """The index entries it is filed under."""

    @classmethod
    def of(cls, record: Incident, base: Severity, denied: bool, texts: list[str]) -> _Open:
        state = cls(record=record, base=base, denied=denied, texts=texts)
        for name in ("actors", "countries", "rules", "places", "zones"):
            state.folded[name] = _fold(getattr(record, name))
        state.keys = set(record.event_keys)
        state.feeds = {s.feed for s in record.sources}
        state.independent = {s.feed for s in record.sources if s.party is None}
        state.independent_title = next((s.title for s in record.sources if s.party is None), None)
        state.derive()
        return state

    def derive(self) -> None:
        """Refresh the location and actor sets from the record (after its names grew)."""
        rec = self.record
        self.places = self.folded["places"] if rec.places else _fold((rec.place,) if rec.place else ())
        zones = set(_located((*rec.zones, rec.zone)))
        if zones != self.zones:
            self.zones = zones
            self.narrow = None
        self.actors = self.folded["actors"] | self.folded["countries"]

    def index_zones(self) -> list[str]:
        return sorted(self.zones) or [UNLOCATED]


class IncidentBoard:
    """Merges events into incidents, incrementally."""

    def __init__(self, refs: SourceRefs, *, window: timedelta, geo: Geography | None = None) -> None:
        self._refs = refs
        self._geo = geo or Geography()
        self._window = window
        self._all: dict[str, _Open] = {}
        # Incidents by the day of their first report: an event looks only at the days its window spans.
        self._by_zone: dict[tuple[Category, str, int], set[str]] = defaultdict(set)
        self._by_day: dict[tuple[Category, int], set[str]] = defaultdict(set)
        # ... and by the places and actors they name: a report can only join an incident that shares
        # a place, a related zone or an actor with it, so candidates come from these, not a scan.
        self._by_place: dict[tuple[Category, str, int], set[str]] = defaultdict(set)
        self._by_actor: dict[tuple[Category, str, int], set[str]] = defaultdict(set)
        self._maps: dict[str, dict[tuple[object, ...], set[str]]] = {
            "zone": self._by_zone,  # type: ignore[dict-item]
            "day": self._by_day,  # type: ignore[dict-item]
            "place": self._by_place,  # type: ignore[dict-item]
            "actor": self._by_actor,  # type: ignore[dict-item]
        }
        self._ancestors: dict[str, frozenset[str]] = {}
        self._related: dict[str, frozenset[str]] = {}
        self._seen: dict[str, str] = {}
        self._denials: dict[str, _Report] = {}
        """Denials held until the claim they deny arrives, by event key, oldest first."""
        self._horizon: datetime | None = None

    # --- state ------------------------------------------------------------------------------

    def load(self, incidents: Iterable[Incident]) -> None:
        """Take back incidents from the store (after a restart)."""
        for record in incidents:
            base = record.severity
            if record.status != "reported":
                base = list(Severity)[max(0, record.severity.rank - 1)]
            names = (*record.places, *record.zones, record.zone)
            titles = [s.title for s in record.sources[:KEEP_TEXTS]] or [record.title]
            texts = [wording(title, names) for title in titles]
            state = _Open.of(record, base, record.status == "disputed", texts)
            self._all[record.id] = state
            self._seen.update(dict.fromkeys(record.event_keys, record.id))
            self._index(state)
            self._advance(record.last_seen)

    def incidents(self) -> list[Incident]:
        """Every incident held (the last eight days), newest report first."""
        return sorted((s.record for s in self._all.values()), key=lambda i: i.last_seen, reverse=True)

    def get(self, incident_id: str) -> Incident | None:
        state = self._all.get(incident_id)
        return state.record if state else None

    def prune(self, now: datetime) -> None:
        """Forget incidents (and held denials) too old for the zones board."""
        if self._horizon is None:
            return
        horizon = min(self._horizon, now)
        for incident_id, state in list(self._all.items()):
            if state.record.last_seen < horizon - RETAIN:
                self._unindex(state)
                del self._all[incident_id]
                for event_id in state.record.event_keys:
                    self._seen.pop(event_id, None)
        self._denials = {k: d for k, d in self._denials.items() if d.event.published >= horizon - RETAIN}

    def _advance(self, published: datetime) -> None:
        if self._horizon is None or published > self._horizon:
            self._horizon = published

    def _index_keys(self, state: _Open) -> set[tuple[str, tuple[object, ...]]]:
        rec = state.record
        cat, day = rec.category, _day(rec.first_seen)
        keys: set[tuple[str, tuple[object, ...]]] = {("day", (cat, day))}
        keys.update(("zone", (cat, zone, day)) for zone in state.index_zones())
        keys.update(("place", (cat, place, day)) for place in state.places)
        keys.update(("actor", (cat, actor, day)) for actor in state.actors)
        return keys

    def _index(self, state: _Open) -> None:
        """File the incident under its (category, day) with its zones, places and actors; only the
        entries that changed since it was last filed are touched."""
        keys = self._index_keys(state)
        incident_id = state.record.id
        for kind, key in state.indexed - keys:
            self._drop(kind, key, incident_id)
        for kind, key in keys - state.indexed:
            self._maps[kind].setdefault(key, set()).add(incident_id)
        state.indexed = keys

    def _unindex(self, state: _Open) -> None:
        for kind, key in state.indexed:
            self._drop(kind, key, state.record.id)
        state.indexed = set()

    def _drop(self, kind: str, key: tuple[object, ...], incident_id: str) -> None:
        index = self._maps[kind]
        ids = index.get(key)
        if ids is not None:
            ids.discard(incident_id)
            if not ids:
                del index[key]

    def _ancestors_of(self, zone: str) -> frozenset[str]:
        found = self._ancestors.get(zone)
        if found is None:
            found = self._ancestors[zone] = frozenset(self._geo.ancestors(zone))
        return found

    def _related_to(self, zone: str) -> frozenset[str]:
        found = self._related.get(zone)
        if found is None:
            found = self._related[zone] = frozenset(self._geo.related(zone))
        return found

    # --- merging ----------------------------------------------------------------------------

    def _narrowest(self, zones: set[str]) -> set[str]:
        """The zones without those that contain another of them: once a report says Rafah, an
        earlier "in Gaza" no longer links the incident to everything else in the Strip."""
        return {z for z in zones if not any(z in self._ancestors_of(other) for other in zones)}

    def _nested(self, a: set[str], b: set[str]) -> bool:
        """Whether one set of zones only holds zones containing the other's (strictly)."""

        def within(inner: set[str], outer: set[str]) -> bool:
            return all(any(o in self._ancestors_of(i) for o in outer) for i in inner)

        return bool(a and b) and (within(a, b) or within(b, a))

    def _specificity(self, places: Iterable[str | None], zone: str) -> tuple[int, int, bool]:
        return (*self._geo.specificity(zone), any(places))

    def _best_place(self, places: Iterable[str]) -> str | None:
        """The most precise place named: a place that is not itself a zone (a district, a street)
        beats one that is, and among zones the more specific (Rafah over the yellow line)."""
        best: tuple[tuple[int, int], str] | None = None
        for place in places:
            zone = self._geo.find(place)
            rank = self._geo.specificity(zone) if zone else (99, 99)
            if best is None or rank > best[0]:
                best = (rank, place)
        return best[1] if best else None

    def _most_specific(self, zones: list[str]) -> list[str]:
        """The zones, most specific first (stable among equals)."""
        return sorted(zones, key=self._geo.specificity, reverse=True)

    def add(self, event: Event) -> IncidentChange | None:
        """Merge one event; None when it changes no incident (other category, replay, lone denial)."""
        report = _Report.of(event)
        if _forces_board_s(event):
            return None
        if (
            report.category is Category.SAFE_ZONE
            and event.detail.get("zone_status", "").lower() in DECLARATIONS
        ):
            return None
        key = event_key(event)
        if key in self._seen:
            # The same rule on the same item again: a replay, or the item updated in place
            # ("death toll rises to five"); only what changed is merged.
            state = self._all.get(self._seen[key])
            if state is None or report.denial:
                return None
            before = state.record
            change = self._merge(state, report, key)
            return change if state.record != before else None
        if key in self._denials:
            return None
        self._advance(event.published)
        if report.denial:
            return self._deny(report, key)
        target = self._best(report, easing=0.0)
        if target is None:
            return self._create(report, key)
        return self._merge(target, report, key)

    def _candidates(self, report: _Report) -> set[str]:
        """Incidents of the category first reported within the window that the report could join
        (``_score`` would not rule them out on location alone): those in a related zone, and those
        sharing a place or an actor with it where no zone links them (it or they unlocated)."""
        cat, at = report.category, report.event.published
        days = range(_day(at - self._window), _day(at + self._window) + 1)
        near: set[str] = set()
        for day in days:
            for place in report.places:
                near |= self._by_place.get((cat, place, day), set())
            for actor in report.actors:
                near |= self._by_actor.get((cat, actor, day), set())
        if not report.zones:
            return near
        zones = set().union(*(self._related_to(z) for z in report.zones))
        ids: set[str] = set()
        for day in days:
            for zone in zones:
                ids |= self._by_zone.get((cat, zone, day), set())
            unlocated = self._by_zone.get((cat, UNLOCATED, day))
            if unlocated:
                ids |= unlocated & near
        return ids

    def _best(self, report: _Report, *, easing: float) -> _Open | None:
        best: tuple[float, str] | None = None
        for incident_id in self._candidates(report):
            state = self._all[incident_id]
            score = self._score(state, report, easing)
            if score is not None and (best is None or (score, incident_id) > best):
                best = (score, incident_id)
        return self._all[best[1]] if best else None

    def _score(self, state: _Open, report: _Report, easing: float) -> float | None:
        """How well a report fits an incident, or None when it cannot be the same happening."""
        rec = state.record
        ev = report.event
        if rec.category != report.category or abs(ev.published - rec.first_seen) > self._window:
            return None
        if state.narrow is None:
            state.narrow = self._narrowest(state.zones)
        places, zones = state.places, state.narrow
        if report.places & places:
            need, bonus = PLACE_SIMILARITY, 20.0
        elif report.places and places and not self._nested(report.zones, zones):
            # Two places at the same precision: another place, another happening. ("Gaza" and
            # "Rafah" are not: one only contains the other.)
            return None
        elif report.zones and zones:
            if not any(self._related_to(z) & zones for z in report.zones):
                return None
            need, bonus = ZONE_SIMILARITY, 10.0
        else:
            shared = len(report.actors & state.actors)
            if not shared:
                return None
            need, bonus = UNLOCATED_SIMILARITY - ACTOR_EASING * min(2, shared - 1), 0.0
        late = abs(ev.published - rec.first_seen) - SAME_SPELL
        if late > timedelta(0) and self._window > SAME_SPELL:
            need += LATE_PENALTY * min(1.0, late / (self._window - SAME_SPELL))
        need -= easing
        if report.denial and bonus:
            # A party's denial names the category and the place, seldom the claim's words: any
            # incident of that category at that place or zone within the window is what it denies.
            need = 0.0
        similarity = max(
            (fuzz.token_set_ratio(report.text, text, score_cutoff=need) for text in state.texts),
            default=0.0,
        )
        return similarity + bonus if similarity >= need else None

    def _create(self, report: _Report, key: str) -> IncidentChange:
        ev = report.event
        ent = ev.entities
        zones = self._most_specific(_located(ent.zones))
        ref = self._refs.ref(ev)
        record = Incident(
            id=f"inc-{digest(key)[:12]}",
            category=ev.category,
            severity=ev.severity,
            status="reported",
            title=ev.title,
            zone=zones[0] if zones else UNLOCATED,
            place=self._best_place(ent.places),
            actors=_union((), ent.actors),
            countries=_union((), ent.countries),
            first_seen=ev.published,
            last_seen=ev.published,
            sources=(ref,),
            casualties=ent.casualties,
            casualties_by=ev.feed if ent.casualties is not None else None,
            rules=(ev.rule,),
            event_keys=(key,),
            places=_union((), ent.places),
            zones=tuple(zones),
        )
        state = _Open.of(record, ev.severity, False, [report.text])
        state.record = record.model_copy(update={"severity": _severity(state, record)})
        self._all[record.id] = state
        self._seen[key] = record.id
        self._index(state)
        for held, denial in list(self._denials.items()):
            if self._score(state, denial, DENIAL_EASING) is not None:
                del self._denials[held]
                self._apply_denial(state, denial, held)
        return IncidentChange(state.record, created=True, reasons=(), event=ev)

    def _merge(self, state: _Open, report: _Report, key: str) -> IncidentChange:
        ev = report.event
        ent = ev.entities
        rec = state.record
        reasons: list[str] = []
        sources = rec.sources
        if ev.feed not in state.feeds:
            ref = self._refs.ref(ev)
            sources = (*sources, ref)
            state.feeds.add(ev.feed)
            if ref.party is None:
                state.independent.add(ev.feed)
                if state.independent_title is None:
                    state.independent_title = ref.title
            reasons.append(REASON_OUTLET)
        casualties, casualties_by = rec.casualties, rec.casualties_by
        if ent.casualties is not None and (casualties is None or ent.casualties > casualties):
            casualties, casualties_by = ent.casualties, ev.feed
            reasons.append(REASON_CASUALTIES)
        zones = self._most_specific(_located(ent.zones))
        folded = state.folded
        update: dict[str, object] = {
            "sources": sources,
            "casualties": casualties,
            "casualties_by": casualties_by,
            "first_seen": min(rec.first_seen, ev.published),
            "last_seen": max(rec.last_seen, ev.published),
            "actors": _extend(rec.actors, folded["actors"], ent.actors),
            "countries": _extend(rec.countries, folded["countries"], ent.countries),
            "rules": _extend(rec.rules, folded["rules"], (ev.rule,)),
            "event_keys": rec.event_keys if key in state.keys else (*rec.event_keys, key),
            "places": _extend(rec.places, folded["places"], ent.places),
            "zones": _extend(rec.zones, folded["zones"], zones),
            "title": state.independent_title or rec.title,
        }
        state.keys.add(key)
        if zones and self._specificity(ent.places, zones[0]) > self._specificity(
            (rec.place,) if rec.place else (), rec.zone
        ):
            # Best location: the most specific zone, and a named place over none.
            update["zone"] = zones[0]
            update["place"] = self._best_place(ent.places)
        elif rec.place is None and ent.places and (not zones or zones[0] == rec.zone):
            update["place"] = self._best_place(ent.places)
        if ev.severity.rank > state.base.rank:
            state.base = ev.severity
        new = rec.model_copy(update=update)
        state.record = new
        state.derive()
        status = _status(state, new)
        if status != rec.status:
            reasons.append(REASON_STATUS)
        new = new.model_copy(update={"status": status})
        state.record = new.model_copy(update={"severity": _severity(state, new)})
        self._index(state)
        if report.text not in state.texts:
            state.texts = [state.texts[0], *state.texts[1:][-(KEEP_TEXTS - 2) :], report.text]
        self._seen[key] = rec.id
        return IncidentChange(state.record, created=False, reasons=tuple(reasons), event=ev)

    def _deny(self, report: _Report, key: str) -> IncidentChange | None:
        target = self._best(report, easing=DENIAL_EASING)
        if target is None:
            # The claim it denies may not have arrived yet; hold it for the window.
            self._denials[key] = report
            return None
        return self._apply_denial(target, report, key)

    def _apply_denial(self, state: _Open, report: _Report, key: str) -> IncidentChange:
        rec = state.record
        state.denied = True
        self._seen[key] = rec.id
        state.keys.add(key)
        state.record = rec.model_copy(
            update={
                "status": "disputed",
                "event_keys": (*rec.event_keys, key),
                "rules": _extend(rec.rules, state.folded["rules"], (report.event.rule,)),
            }
        )
        reasons = (REASON_STATUS,) if rec.status != "disputed" else ()
        return IncidentChange(state.record, created=False, reasons=reasons, event=report.event)


def _forces_board_s(event: Event) -> bool:
    """Whether the event is the forces board's alone: talk about the force (a diplomacy event with a
    ladder step, placed or not), or a deployment by a contributor. A deployment nobody contributes
    to (an army moving its own tanks) is a happening; talks about the truce itself are diplomacy."""
    if event.category is Category.DIPLOMACY:
        return stage_of(event) is not None
    if event.category is Category.FORCE_DEPLOYMENT:
        # the statistical reading's deployment never reaches the board: it stays a happening
        return bool(contributors(event)) and not is_statistical(event.rule)
    return False


def _day(at: datetime) -> int:
    return at.toordinal()


def _status(state: _Open, record: Incident) -> IncidentStatus:
    if state.denied:
        return "disputed"
    return "corroborated" if len(state.independent) >= CORROBORATING_OUTLETS else "reported"


def _severity(state: _Open, record: Incident) -> Severity:
    """Severity rises with corroboration and casualties, and never falls; a plan's stays as reported."""
    severity = state.base
    if record.category in PLANS:
        return max(severity, record.severity, key=lambda s: s.rank)
    if len(state.independent) >= CORROBORATING_OUTLETS:
        severity = severity.raised()
    for floor_count, floor in CASUALTY_FLOORS:
        if record.casualties is not None and record.casualties >= floor_count:
            severity = max(severity, floor, key=lambda s: s.rank)
            break
    return max(severity, record.severity, key=lambda s: s.rank)
