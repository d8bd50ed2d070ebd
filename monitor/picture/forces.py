"""The forces board: per contributor, where it stands on the ladder from talk to deployment.

Statuses only climb (discussed → in talks → offered → pledged → authorised → deploying → deployed);
they move down only on explicit evidence: withdrawing, withdrawn or declined, and never because of
a report older than the last change. A denied event never changes anything. Numbers keep their
qualifier ("up to 200"); personnel already on the ground are kept apart from declared numbers.
The parties to the conflict are never contributors: a report that names Israel or Palestine beside
force talk (an army denying an advance, a "Palestinian police" role) is not their joining the force.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import get_args

from monitor.models import FORCE_LADDER, Category, Event, ForceEntry, ForceStatus, SourceRef, is_statistical
from monitor.picture.refs import SourceRefs

FORCE_CATEGORIES = frozenset({Category.FORCE_DEPLOYMENT, Category.DIPLOMACY})
STATUSES: frozenset[str] = frozenset(get_args(ForceStatus))
ON_THE_GROUND: frozenset[ForceStatus] = frozenset({"deploying", "deployed"})
EXITS: frozenset[ForceStatus] = frozenset({"withdrawing", "withdrawn", "declined"})
_RANK = {status: i for i, status in enumerate(FORCE_LADDER)}
REOPEN_FROM: ForceStatus = "offered"
"""After declining or withdrawing, only the contributor's own offer (or more) puts it back."""
MAX_EVIDENCE = 12
GENERIC_ROLES = frozenset({"peacekeeping"})
"""Roles that name the force rather than a contributor's part in it: they never replace a specific
role (support, logistics, observers, ...) already on the board."""

PARTIES = frozenset({"Israel", "Palestine"})
"""Countries that are sides of the conflict the force is for, never contributors to it."""

INSIDE_GAZA = "inside Gaza"
OUTSIDE_GAZA = "outside Gaza"
_NOT_INSIDE = re.compile(
    r"\b(?:none|not|no|never|won't|will\s+not|without)\b[^.;:]{0,80}?\b(?:inside|in|into|enter)\s+"
    r"(?:the\s+)?(?:gaza|strip|enclave|territory)\b",
    re.IGNORECASE,
)
_ALREADY = re.compile(
    r"\b(?:already|have\s+arrived|has\s+arrived)\b[^.;]{0,80}?\bin\s+(?:(?:the\s+)?region|[A-Z][\w'-]+)"
    r"(?:\s+[A-Z][\w'-]+)?",
)
"""Personnel said to be already somewhere: a presence, not a declared number."""
_IN_PLACE = re.compile(r"\bin\s+((?:the\s+)?region|[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)$")
_OUTSIDE = re.compile(r"\boutside\s+(?:the\s+)?(?:gaza|strip|enclave|territory)\b", re.IGNORECASE)
_REFUSAL = re.compile(
    r"\b(?:ruled?|ruling)\s+out\b|\brefus(?:e|es|ed|ing)\b|\bdeclin(?:e|es|ed|ing)\b"
    r"|\b(?:will\s+not|won't|would\s+not|not\s+to)\s+(?:send|deploy|contribute|join)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ForceChange:
    """A changed board entry; ``previous`` is the status before, None for a new contributor."""

    entry: ForceEntry
    previous: ForceStatus | None
    event: Event

    @property
    def status_changed(self) -> bool:
        return self.previous != self.entry.status


def contributors(event: Event) -> tuple[str, ...]:
    """Who the event is about: detail "contributors" or "countries" (comma-separated), else its countries."""
    detail = event.detail
    named = detail.get("contributors") or detail.get("contributor") or detail.get("countries")
    names = [n.strip() for n in re.split(r"[,;]", named)] if named else event.entities.countries
    return tuple(dict.fromkeys(n for n in names if n and n not in PARTIES))


def stage_of(event: Event) -> ForceStatus | None:
    """The ladder step an event asserts, with the defences against negation described above."""
    stage = event.detail.get("stage")
    if stage is None and event.category is Category.FORCE_DEPLOYMENT:
        stage = "discussed"
    if stage not in STATUSES:
        return None
    status: ForceStatus = stage  # type: ignore[assignment]  # checked against the Literal's values
    if status not in EXITS and _REFUSAL.search(event.matched):
        return "declined"
    return status


def next_status(current: ForceEntry | None, stage: ForceStatus, event: Event) -> ForceStatus | None:
    """The status the event moves the entry to, or None to leave it."""
    if current is None:
        return stage
    now = current.status
    if stage == now:
        return None
    stale = event.published < current.last_change
    if stage in EXITS:
        if stale or (now == "withdrawn" and stage == "withdrawing"):
            return None
        return stage
    if now in EXITS:
        return stage if not stale and _RANK[stage] >= _RANK[REOPEN_FROM] else None
    return stage if _RANK[stage] > _RANK[now] else None


def where_of(event: Event) -> str | None:
    """Where the event puts the forces; never "inside Gaza" when the sentence negates it."""
    where = event.detail.get("where")
    if _NOT_INSIDE.search(event.matched) or (where == INSIDE_GAZA and _OUTSIDE.search(event.matched)):
        return OUTSIDE_GAZA
    return where or None


class ForceBoard:
    """Keeps one ForceEntry per contributor."""

    def __init__(self, refs: SourceRefs) -> None:
        self._refs = refs
        self._entries: dict[str, ForceEntry] = {}

    def load(self, entries: Iterable[ForceEntry]) -> None:
        for entry in entries:
            self._entries[entry.contributor] = entry

    def forces(self) -> list[ForceEntry]:
        """The board, furthest along the ladder first."""
        order = {s: i for i, s in enumerate((*FORCE_LADDER, "declined"))}
        return sorted(self._entries.values(), key=lambda e: (-order[e.status], e.contributor))

    def add(self, events: Sequence[Event]) -> list[ForceChange]:
        """Apply the force reports among ``events`` (in order), one item at a time."""
        by_item: dict[str, list[tuple[Event, ForceStatus]]] = {}
        for event in events:
            if (
                event.category not in FORCE_CATEGORIES
                or event.status == "denied"
                or is_statistical(event.rule)
            ):
                # the statistical reading names no commitment or movement: it never moves the board
                continue
            stage = stage_of(event)
            if stage is not None:
                by_item.setdefault(event.item_key, []).append((event, stage))
        changes = []
        for reports in by_item.values():
            committing = {c for ev, stage in reports if stage not in EXITS for c in contributors(ev)}
            for event, stage in reports:
                names = contributors(event)
                for contributor in names:
                    if stage == "declined" and contributor in committing:
                        # One report both committing and refusing refuses a place or a role
                        # ("but none inside Gaza"), not taking part.
                        continue
                    change = self._apply(contributor, stage, event, alone=len(names) == 1)
                    if change is not None:
                        changes.append(change)
        return changes

    def _apply(
        self, contributor: str, stage: ForceStatus, event: Event, *, alone: bool
    ) -> ForceChange | None:
        current = self._entries.get(contributor)
        ref = self._refs.ref(event)
        status = next_status(current, stage, event)
        if current is None:
            assert status is not None
            current = ForceEntry(contributor=contributor, status=status, last_change=event.published)
            previous: ForceStatus | None = None
        else:
            previous = current.status
        values: dict[str, object] = {}
        basis = dict(current.value_evidence)
        if status is not None:
            values.update(status=status, last_change=event.published)
            basis["status"] = ref.item_key
        if stage not in EXITS and alone:
            # Numbers, role and place of a sentence naming several countries belong to one of
            # them, and which one is guesswork: such a sentence moves statuses only.
            self._values(current=current, stage=stage, event=event, ref=ref, values=values, basis=basis)
        entry = current.model_copy(update={**values, "value_evidence": basis})
        if entry == current and previous is not None:
            return None
        entry = entry.model_copy(update={"evidence": _evidence(entry, ref)})
        self._entries[contributor] = entry
        return ForceChange(entry, previous, event)

    def _values(
        self,
        *,
        current: ForceEntry,
        stage: ForceStatus,
        event: Event,
        ref: SourceRef,
        values: dict[str, object],
        basis: dict[str, str],
    ) -> None:
        """Numbers, role and place from the event, each newer than the evidence it replaces."""
        ent = event.entities
        qualifier = ent.troops_qualifier or event.detail.get("qualifier") or None
        where = where_of(event)
        already = _ALREADY.search(event.matched)
        present = stage in ON_THE_GROUND or already is not None
        if already is not None and not event.detail.get("where"):
            where = _where_present(already.group(0))
        # Talk about a contributor is not its commitment: only its own offer (or more) declares numbers.
        declares = present or _RANK[stage] >= _RANK[REOPEN_FROM]
        fields: dict[str, object | None] = {
            ("present" if present else "troops"): ent.troops if declares else None,
            ("present_where" if present else "where"): where,
            "role": event.detail.get("role") or None,
        }
        # Personnel already on the ground are not the declared contingent: their role (setting up
        # a coordination HQ) never replaces its role, and the contingent's replaces theirs.
        role_from_present = basis.get("role") is not None and basis.get("role") == basis.get("present")
        for name, value in fields.items():
            if value is None:
                continue
            if name == "role" and present and current.role is not None and not role_from_present:
                continue
            replaces_present = name == "role" and not present and role_from_present
            if not (replaces_present or _newer(current, basis.get(name), event)):
                continue
            if name == "role" and value in GENERIC_ROLES and current.role not in (None, *GENERIC_ROLES):
                continue
            if getattr(current, name) != value:
                values[name] = value
                basis[name] = ref.item_key
                if name in ("troops", "present"):
                    values[f"{name}_qualifier"] = qualifier


def _where_present(phrase: str) -> str | None:
    match = _IN_PLACE.search(phrase)
    if match is None:
        return None
    place = match.group(1)
    return "in the region" if place.lower().endswith("region") else place


def _newer(entry: ForceEntry, item_key: str | None, event: Event) -> bool:
    """True when the event is not older than the evidence behind the current value."""
    if item_key is None:
        return True
    for ref in entry.evidence:
        if ref.item_key == item_key:
            return event.published >= ref.published
    return True


def _evidence(entry: ForceEntry, ref: SourceRef) -> tuple[SourceRef, ...]:
    """Evidence with the new report; keeps what backs a value, then the newest, up to a cap."""
    refs = {r.item_key: r for r in (*entry.evidence, ref)}
    needed = set(entry.value_evidence.values())
    keep = [r for r in refs.values() if r.item_key in needed]
    rest = sorted((r for r in refs.values() if r.item_key not in needed), key=lambda r: r.published)
    keep += rest[-max(0, MAX_EVIDENCE - len(keep)) :] if len(keep) < MAX_EVIDENCE else []
    return tuple(sorted(keep, key=lambda r: r.published))
