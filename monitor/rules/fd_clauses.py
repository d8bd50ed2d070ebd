"""Force-deployment readings the shared guards do not make (GUIDELINE F2, F3, F9-F11, F13).

``extra_guard`` blocks a force trigger the shared guards let through: a host's order or deadline
for another state's forces to leave (F9), a withdrawal listed among a deal's other terms (F10),
forces named as already where they are (F11), and "withdrawing" from talks or being "ready to
fight" (F13). ``lifted`` undoes a shared guard whose word means something else next to a force
verb: "committed to deploy" is a pledge, not a denial (F2); "the end of the disengagement process"
reports it done, not halted (F1); "said his country could contribute" is the contributor's own offer
(F3). Both look only at one sentence's tokens.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.rules.extract import STATES
from monitor.rules.model import GuardName
from monitor.rules.terms import CLAUSE_BREAKS, TermList

_WITHDRAW = ("withdr", "leav", "left", "remov", "pull", "exit", "depart", "vacat", "evacuat", "repatriat")
_ORDER_VERBS = frozenset(
    {
        "ordered", "orders", "order", "ordering", "given", "gave", "giving", "give", "told", "tells",
        "instructed", "demanded", "asked", "requested", "called",
    }
)  # fmt: skip
_OWN = frozenset({"its", "his", "her", "their", "our", "own"})


def _states(toks: Sequence[str], a: int, b: int) -> set[str]:
    """The states (countries or their demonyms) the tokens [a, b) name."""
    out: set[str] = set()
    for k in range(a, b):
        tok = toks[k]
        name = STATES.get(tok)
        if name is None and k + 1 < b:
            name = STATES.get(f"{tok} {toks[k + 1]}")
        if name is not None:
            out.add(name)
    return out


def _foreign_ordered_out(toks: Sequence[str], lo: int, start: int) -> bool:
    """ "Yemen's council ordered UAE forces to leave", "Niger's junta ordered the US to withdraw its
    troops", "gave the US until September 15 to remove troops": one state orders or sets a deadline
    for another's forces to leave; the move is demanded, not made or pledged (GUIDELINE F9)."""
    if not toks[start].startswith(_WITHDRAW):
        return False
    k = start - 1
    if k > lo and toks[k] in ("be", "fully", "all", "completely"):
        k -= 1
    if k <= lo or toks[k] != "to":
        return False
    for j in range(k - 1, max(lo, k - 10) - 1, -1):
        if toks[j] in CLAUSE_BREAKS:
            return False
        if toks[j] in _ORDER_VERBS:
            ordered = _states(toks, j + 1, k)
            if not ordered or not _OWN.isdisjoint(toks[j + 1 : k]):
                return False  # "ordered his troops to withdraw": a commander's own forces (F1)
            orderer = _first_state(toks, lo, j)  # the subject's state, before any "with the UAE"
            return orderer is not None and orderer not in ordered
    return False


def _first_state(toks: Sequence[str], a: int, b: int) -> str | None:
    for k in range(a, b):
        found = _states(toks, k, min(b, k + 2))
        if found:
            one = _states(toks, k, k + 1)
            return next(iter(one or found))
    return None


# other terms of the same deal, listed with the withdrawal: "agreed to withdraw forces, coordinate
# patrols and ensure the flow of traffic", "will withdraw, reopen roads and exchange prisoners"
_DEAL_VERBS = frozenset(
    {
        "coordinate", "ensure", "reopen", "open", "exchange", "release", "disarm", "resume", "remove",
        "allow", "form", "establish", "set", "hold", "guarantee", "refrain", "demarcate", "carry",
    }
)  # fmt: skip
_DEAL_NOUNS = frozenset({"ceasefire", "truce", "armistice"})
_PAST_OR_DONE = frozenset({"began", "begun", "started", "completed", "has", "have", "had", "were", "was"})


def _deal_terms(toks: Sequence[str], lo: int, hi: int, start: int, end: int) -> bool:
    """A withdrawal that is one item of a deal's list: "the neighbours agreed to withdraw forces,
    coordinate patrols and ensure traffic", "agreed to order a ceasefire and troop pullback",
    "agreements were reached on a ceasefire and the withdrawal of forces" (GUIDELINE F10), unless
    the sentence reports the step begun or done."""
    if toks[start].startswith("agree") and any(t.startswith(_WITHDRAW) for t in toks[start:end]):
        start += 1  # "agreed to withdraw" as one trigger: the agreeing is its own
    elif not toks[start].startswith(_WITHDRAW):
        return False
    before = toks[max(lo, start - 20) : start]
    if not _PAST_OR_DONE.isdisjoint(toks[max(lo, start - 3) : start]):
        return False
    agreed = any(t.startswith("agree") for t in before) or "will" in toks[max(lo, start - 3) : start]
    if not agreed:
        return False
    # the deal's other terms after it, as a list: ", coordinate ...", "and ensure ..."
    for k in range(end, min(hi, end + 12)):
        if toks[k] in _DEAL_VERBS and toks[k - 1] in (",", "and"):
            return True
    # the truce itself named with it, in the same agreed list: "a ceasefire and troop pullback"
    truce = [p for p, t in enumerate(before) if t in _DEAL_NOUNS]
    return bool(truce) and "and" in before[truce[0] + 1 :]


_ALREADY = frozenset({"already", "still"})
_POSTED = frozenset({"deployed", "stationed", "positioned", "based", "station"})
_BE = frozenset({"is", "are", "was", "were", "been", "be"})
_FORCES = frozenset(
    {
        "troops", "forces", "soldiers", "peacekeepers", "contingent", "contingents", "units", "personnel",
        "carabinieri", "police", "officers", "element", "battalion", "brigade", "marines", "observers",
        "gendarmes", "guards", "fighters", "monitors", "servicemen", "sailors", "paratroopers", "engineers",
        "staff", "army", "military", "regiment", "regiments", "division", "divisions", "companies",
        "unit", "battalions", "brigades", "squadron",
    }
)  # fmt: skip


def _already_posted(toks: Sequence[str], lo: int, hi: int, start: int, end: int) -> bool:
    """ "The command element is already stationed in Vilnius", "carabinieri already deployed in
    Palestine are familiar with the territory": forces named as already where they are (F11)."""
    if toks[start] not in _POSTED or start - lo < 1 or toks[start - 1] not in _ALREADY:
        return False
    k = start - 2
    if k >= lo and toks[k] in _BE:
        return True  # "are already stationed", "has been already stationed"
    # "gendarmes already deployed on the island": the forces named by where they already are
    return k >= lo and toks[k] in _FORCES


_NOT_FORCES_AFTER = frozenset({"talks", "negotiations", "dialogue", "agreement", "deal", "treaty", "accord"})


def _withdrawn_from_talks(toks: Sequence[str], hi: int, start: int, end: int) -> bool:
    """ "The army has withdrawn from talks over a truce": leaving talks or a deal is no force moving
    (F13)."""
    if not toks[start].startswith(_WITHDRAW):
        return False
    for k in range(end, min(hi, end + 4)):
        if toks[k] in _NOT_FORCES_AFTER:
            return "from" in toks[end:k]
    return False


_ABSTRACT_AIMS = frozenset(
    {"stability", "security", "peace", "efforts", "confidence", "growth", "the", "a", "an", "its", "their"}
)


def _contributes_to_aim(toks: Sequence[str], hi: int, start: int, end: int) -> bool:
    """ "contributed to building confidence", "contributing to stability": helping an aim, not
    sending a contingent (F13)."""
    if not toks[start].startswith("contribut") or end + 1 >= hi or toks[end] != "to":
        return False
    nxt = toks[end + 1]
    return nxt.endswith("ing") or (nxt in _ABSTRACT_AIMS and nxt not in ("the", "a", "an", "its", "their"))


_VERB_BEFORE = frozenset({"to", "will", "would", "can", "could", "must", "should", "and", "shall"})
_COMBAT = frozenset({"fight", "confront", "defend", "repel", "resist", "retaliate", "respond", "attack"})
_DELIBERATE = frozenset({"discuss", "consider", "study", "examine", "talk", "review", "negotiate"})


def _ready_for_other(toks: Sequence[str], hi: int, start: int, end: int) -> GuardName | None:
    """ "The army is ready to fight until victory": readiness for combat is no offer of troops (F12);
    "willing to discuss the proposal to send a force": readiness to talk is no offer either (F8)."""
    if toks[start] not in ("ready", "willing", "prepared", "readiness", "willingness"):
        return None
    if (
        toks[start] == "ready"
        and end < hi
        and toks[end] in _FORCES
        and (start == 0 or toks[start - 1] not in _VERB_BEFORE)
    ):
        return "status_quo"  # "the Mission-Ready Battalion", "combat-ready troops": a name or a state
    if toks[start] == "readiness" and start > 0 and toks[start - 1] in ("operational", "combat", "battle"):
        return "status_quo"  # "to evaluate operational readiness": a state of the forces, no offer (F11)
    k = end
    if k < hi and toks[k] == "to":
        k += 1
    elif k + 1 < hi and toks[k] in ("to", "for") and toks[k + 1] == "to":
        k += 2
    if k >= hi:
        return None
    if toks[k] in _COMBAT:
        return "target"
    if toks[k] in _DELIBERATE:
        return "modality"
    return None


_POSTED_AT = frozenset({"in", "at", "there", "across", "along", "on", "inside", "near"})
_DEFINITE = frozenset({"the", "its", "their", "those", "these", "our", "his"})


def _posted_object(toks: Sequence[str], lo: int, hi: int, start: int, end: int) -> bool:
    """ "commended the troops deployed in the province", "fired at its troops stationed near the
    border": forces named, after a determiner, by where they are posted (F11/F12); "US troops
    deployed to Poland" still moves them."""
    if toks[start] not in ("deployed", "stationed", "positioned") or end >= hi or toks[end] not in _POSTED_AT:
        return False
    k = start - 1
    if k <= lo or toks[k] not in _FORCES:
        return False
    k -= 1
    if toks[k] in _HIT or (k > lo and toks[k - 1] in _HIT):
        return True  # "attacked Israeli troops stationed near the line": a target where it is (F12)
    if toks[k] not in _DEFINITE and k > lo and toks[k - 1] in _DEFINITE:
        k -= 1  # "the Kenyan troops stationed at the airport"
    return toks[k] in _DEFINITE and k > lo  # not the sentence's own subject: "The troops deployed in ..."


_SUBJECT_VERBS = frozenset(
    {
        "are", "is", "were", "was", "have", "has", "had", "remain", "remained", "complained", "said",
        "say", "told", "reported", "face", "faced", "came",
    }
)  # fmt: skip


def _posted_subject(toks: Sequence[str], hi: int, start: int, end: int) -> bool:
    """ "Kenyan officers stationed in Haiti have complained about pay": forces named by where they
    are posted, as the subject of a main verb of their own (F11); a headline "Kenyan officers
    deployed in Haiti" has no such verb and still reports the move."""
    if toks[start] not in _POSTED or start == 0 or toks[start - 1] not in _FORCES:
        return False
    if end >= hi or toks[end] not in _POSTED_AT:
        return False
    for k in range(end + 1, min(hi, end + 9)):
        if toks[k] in CLAUSE_BREAKS:
            return False
        if toks[k] in _SUBJECT_VERBS:
            return True
    return False


def _long_posted(toks: Sequence[str], start: int) -> bool:
    """ "Germany has long stationed troops in Lithuania": a standing posture (F11)."""
    return start >= 2 and toks[start - 1] == "long" and toks[start - 2] in ("has", "have", "had")


_HIT = frozenset(
    {"attacked", "ambushed", "targeted", "shelled", "killed", "wounded", "struck", "hit", "fired", "at", "on"}
)


_ENVOY_HEAD = frozenset({"delegation", "delegations", "team", "teams"})
_ENVOY_KIND = frozenset(
    {"senior", "level", "technical", "assessment", "ministerial", "negotiating", "planning", "inspection"}
)


def _delegation_sent(toks: Sequence[str], hi: int, end: int) -> bool:
    """ "sent a senior military team", "dispatched a high-level military delegation": officials sent
    to talk or assess, not a contingent (F13); "an advance team of peacekeepers" is not caught."""
    for k in range(end, min(hi, end + 6)):
        if toks[k] in CLAUSE_BREAKS:
            return False
        if toks[k] in _ENVOY_HEAD:
            return any(t in _ENVOY_KIND for t in toks[end:k])
    return False


_PLEDGE_WORDS = ("commit", "pledg", "promis")
_NOT_TROOPS_TO = frozenset(
    {
        "uphold", "respect", "abide", "observe", "honour", "honor", "work", "ensure", "cooperate",
        "support", "implement", "peace", "dialogue", "the", "a", "de", "maintain", "preserve",
    }
)  # fmt: skip
_TRUCE = frozenset({"ceasefire", "truce", "agreement", "deal", "accord", "process", "peace"})


def _pledge_of_conduct(toks: Sequence[str], hi: int, start: int, end: int) -> bool:
    """ "announced their commitment to uphold the recent ceasefire", "reiterated the commitment of
    the mission to work with the authorities": a pledge of conduct, not of troops (C7/F10)."""
    if not toks[start].startswith(_PLEDGE_WORDS):
        return False
    for k in range(end, min(hi, end + 6)):
        if toks[k] in CLAUSE_BREAKS:
            return False
        if toks[k] == "to" and k + 1 < hi:
            nxt = toks[k + 1]
            if nxt in _NOT_TROOPS_TO and nxt not in ("the", "a"):
                return True
            if nxt.endswith("ing") and not nxt.startswith(_MOVE_VERBS):
                return True  # "committed to defending the city"; "committed to sending troops" pledges
            return nxt in ("the", "a") and k + 2 < hi and toks[k + 2] in _TRUCE
    return False


_MANY = frozenset({"hundreds", "thousands", "more", "additional", "extra", "reinforcements", "tanks"})
_FORTIFY = ("reinforc", "fortif", "strengthen", "bolster")
_HELD = frozenset({"positions", "position", "defences", "defenses", "fortifications", "trenches", "lines"})
_TIES = frozenset({"partnership", "cooperation", "ties", "relations", "alliance", "links", "coordination"})


def _fortified_or_ties(toks: Sequence[str], hi: int, start: int, end: int) -> GuardName | None:
    """ "were reinforcing their positions and opened fire": fortifying a line is tactical (F12);
    "bolstered its military partnership": ties, not troops (F13)."""
    if not toks[start].startswith(_FORTIFY):
        return None
    after = toks[end : min(hi, end + 4)]
    if not _HELD.isdisjoint(after):
        rest = toks[end : min(hi, end + 9)]
        if "with" in rest and not (_FORCES | _MANY).isdisjoint(rest[rest.index("with") :]):
            return None  # "reinforced its positions with hundreds of fighters": more forces (F6)
        return "target"
    if not _TIES.isdisjoint(after):
        return "non_military"
    return None


_MOVE_NOUNS = frozenset(
    {
        "withdrawal", "pullout", "pullback", "departure", "drawdown", "deployment", "redeployment",
        "disengagement", "repatriation", "handover",
    }
)  # fmt: skip
# a timetable after the noun: "the withdrawal, scheduled for completion by June", "full withdrawal is
# expected to be completed by month's end", "their departure would be complete by Friday"
_TIMETABLE_AFTER = (
    ("scheduled", "for"), ("expected", "to", "be"), ("would", "be", "complete"), ("would", "be", "completed"),
    ("will", "be", "complete"), ("will", "be", "completed"), ("due", "to", "be"), ("set", "for"),
    ("to", "be", "completed"), ("is", "due"), ("planned", "for"), ("slated", "for"),
)  # fmt: skip
# a plan's future framing before the move: "it will be followed by the pullout", "the phases will
# see troops leave", "the plan entails a complete withdrawal"
_TIMETABLE_BEFORE = (
    ("will", "see"), ("would", "see"), ("will", "be", "followed", "by"), ("entails",), ("entail",),
    ("envisions",), ("foresees",), ("will", "involve"), ("would", "involve"),
)  # fmt: skip


def _has_seq(toks: Sequence[str], a: int, b: int, seqs: tuple[tuple[str, ...], ...]) -> bool:
    for k in range(a, b):
        for seq in seqs:
            if toks[k] == seq[0] and tuple(toks[k : k + len(seq)]) == seq and k + len(seq) <= b:
                return True
    return False


def _timetabled(toks: Sequence[str], lo: int, hi: int, start: int, end: int) -> bool:
    """A withdrawal or deployment given only with its timetable or as a plan's future step, not
    reported under way or done (GUIDELINE F10)."""
    if toks[start] in _MOVE_NOUNS:
        stop, commas = end, 0
        while stop < hi and stop - end < 12:
            if toks[stop] in CLAUSE_BREAKS:
                commas += 1
                if toks[stop] != "," or commas > 1:
                    break
            stop += 1
        if _has_seq(toks, end, stop, _TIMETABLE_AFTER):
            return True
    a = start
    while a > lo and start - a < 10 and toks[a - 1] not in (";", ":"):
        a -= 1
    return _has_seq(toks, a, start, _TIMETABLE_BEFORE)


_CONDITION_OPENERS = frozenset({"if", "unless", "once", "when", "should"})
_QUOTE_MARKS = frozenset({'"', "“", "”"})
_FUTURE = frozenset({"will", "would", "shall"})


def _condition_first(toks: Sequence[str], lo: int, start: int) -> bool:
    """ "If we withdraw the force, everyone leaves", "Once the barracks are completed, the brigade
    will be stationed in the south": a sentence that opens on a condition states what would follow
    it, not a move made (F8/F10); "when" and "once" only with a future main verb ("When the troops
    arrived, ..." reports one)."""
    k = lo
    while k < start and toks[k] in _QUOTE_MARKS:
        k += 1
    if k >= start or toks[k] not in _CONDITION_OPENERS:
        return False
    future = [j for j in range(max(lo, start - 4), start + 1) if toks[j] in _FUTURE]  # "will be stationed"
    if toks[k] in ("if", "unless", "should"):
        # "if asked, Indonesia will send troops": the contributor's conditional offer still counts (F3)
        return not future and _OFFERING.isdisjoint(toks[lo:start])
    # "once ..., the brigade will be stationed": the forces themselves are the future's subject
    return bool(future) and (toks[start - 1] == "be" or (future[0] > lo and toks[future[0] - 1] in _FORCES))


_OFFERING = frozenset({"ready", "willing", "prepared", "offer", "offered", "offers", "pledge", "pledged"})
_TIMED = frozenset({"scheduled", "expected", "due", "set", "planned", "slated", "poised"})


def _timed_infinitive(toks: Sequence[str], start: int) -> bool:
    """ "which is scheduled to replace the current mission", "set to replace": a move given by its
    timetable when the trigger phrase itself opens on the "to" (F10)."""
    return toks[start] == "to" and start > 0 and toks[start - 1] in _TIMED


_MONTHS = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december",
    }
)  # fmt: skip
_SEASONS = frozenset({"spring", "summer", "autumn", "fall", "winter", "year"})
_STAGES = frozenset({"stage", "phase"})


def _far_future(toks: Sequence[str], lo: int, hi: int, start: int, end: int) -> bool:
    """ "initial units will arrive next spring", "400 monitors will be deployed in the first stage",
    "will be stationed by the end of 2027": a future move timed months ahead or by a plan's stage is
    the plan's term (F10), unlike "will return on Sunday" (a move under way, F1)."""
    before = toks[max(lo, start - 4) : start]
    after = toks[end : min(hi, end + 2)]  # "monitors will be deployed": the noun before its future
    if _FUTURE.isdisjoint(before) and _FUTURE.isdisjoint(after):
        return False
    if (
        toks[lo] in ("before", "by")
        and lo + 1 < start
        and (toks[lo + 1] in _MONTHS or toks[lo + 1][:2] in ("19", "20"))
    ):
        return True  # "Before May 2024, the force will leave its bases": a deadline's timetable
    for k in range(end, min(hi, end + 12)):
        tok = toks[k]
        if tok in (";", ":"):
            return False
        nxt = toks[k + 1] if k + 1 < hi else ""
        if tok == "next" and nxt in _SEASONS:
            return True
        if tok in ("coming", "next") and nxt in ("months", "years"):
            return True
        if tok == "first" and nxt in _STAGES:
            return True
        if tok == "end" and k + 2 < hi and toks[k + 1] == "of" and toks[k + 2][:2] in ("19", "20"):
            return True
    return False


_STAGE_LABEL = frozenset({"first", "second", "third", "next", "final", "one", "two", "three"})


def _stage_label(toks: Sequence[str], lo: int, start: int) -> bool:
    """ "First stage: European troops stationed away from combat zones": a sentence labelled as a
    plan's stage lists that stage's terms (F10)."""
    head = toks[lo : min(start, lo + 4)]
    if ":" not in head:
        return False
    return not _STAGES.isdisjoint(head) and not _STAGE_LABEL.isdisjoint(head)


_HISTORY = (("years", "since"), ("decades", "since"))
_ORDINALS = frozenset({"second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"})
_RANKED = (
    ("among", "the", "largest"), ("among", "the", "biggest"), ("the", "only", "two"),
    ("the", "only", "three"), ("largest", "contributor"), ("largest", "contributors"),
    ("biggest", "contributor"), ("biggest", "contributors"),
)  # fmt: skip


def _record(toks: Sequence[str], lo: int, hi: int, start: int) -> bool:
    """A contributor's record, not a movement now (F11): "to mark 50 years since the arrival of the
    force", "the unit was the fourth sent by China", "are among the largest forces contributing to
    the mission", "the only two contingents deployed by the navy"."""
    if _has_seq(toks, max(lo, start - 6), start, _HISTORY):
        return True
    if start > lo and toks[start - 1] in _ORDINALS and toks[start] in ("sent", "deployed", "dispatched"):
        return True
    if _tally(toks, lo, hi, start):
        return True
    return _has_seq(toks, max(lo, start - 8), start, _RANKED)


_TALLY = (("cumulative",), ("cumulatively",), ("to", "date"), ("as", "of", "now"), ("rotational", "basis"))
_TOTAL = (("a", "total", "of"), ("in", "total"))


def _tally(toks: Sequence[str], lo: int, hi: int, start: int) -> bool:
    """ "the country has dispatched a total of 9,826 peacekeepers", "as of now, the navy has sent 131
    warships", "the cumulative number of members dispatched": a contributor's tally
    over the years, with its count, not a movement now (F11)."""
    around = (max(lo, start - 10), min(hi, start + 14))
    # "a total of" counts a record only with the perfect: "13 trucks had departed" is a movement
    perfect = not {"has", "have"}.isdisjoint(toks[max(lo, start - 3) : start])
    if not (_has_seq(toks, *around, _TALLY) or (perfect and _has_seq(toks, *around, _TOTAL))):
        return False
    return any(t[:1].isdigit() for t in toks[max(lo, start - 6) : min(hi, start + 10)])


_ABOUT = (
    ("centers", "on"),
    ("centres", "on"),
    ("focuses", "on"),
    ("deals", "with"),
    ("concerns",),
    ("covers",),
)
_DOCUMENTS = frozenset(
    {"document", "agreement", "deal", "accord", "memorandum", "plan", "roadmap", "framework", "protocol"}
)


def _document_about(toks: Sequence[str], lo: int, start: int) -> bool:
    """ "signed a joint document, which centers on the withdrawal of French troops": the move is
    what a document is about, its term (F10), not a move reported."""
    if toks[start] not in _MOVE_NOUNS:
        return False
    return _has_seq(toks, max(lo, start - 4), start, _ABOUT) and not _DOCUMENTS.isdisjoint(toks[lo:start])


_AIR_WEAPONS = frozenset(
    {"drones", "drone", "aircraft", "jets", "warplanes", "helicopters", "gunships", "bombers", "missiles"}
)
_STRIKE_AIMS = frozenset({"strike", "attack", "bomb", "hit", "target", "shell", "pound", "destroy"})


def _weapons_used(toks: Sequence[str], hi: int, start: int, end: int) -> bool:
    """ "the army had deployed drones to strike villages": aircraft put to use in a strike are
    force used, not forces moved (F12)."""
    if not toks[start].startswith(("deploy", "sent", "send", "us")):
        return False
    for k in range(end, min(hi, end + 4)):
        if toks[k] in _AIR_WEAPONS:
            for j in range(k + 1, min(hi, k + 6)):
                if toks[j] == "to" and j + 1 < hi and toks[j + 1] in _STRIKE_AIMS:
                    return True
                if (
                    toks[j] in ("against", "in")
                    and j + 1 < hi
                    and toks[j + 1].startswith(("strike", "attack", "raid"))
                ):
                    return True
            return k + 1 < hi and toks[k + 1] == "against"
    return False


_PLACE_NOUNS = frozenset(
    {
        "area", "areas", "territory", "territories", "line", "zone", "zones", "positions", "parts",
        "region", "neighbourhood", "neighborhood", "district", "locations", "lines",
    }
)  # fmt: skip
# words a relative clause on a place may hold between the place and the forces' verb
_DESCRIBING = frozenset(
    {
        "where", "which", "that", "from", "to", "into", "behind", "the", "its", "their", "our", "his",
        "her", "have", "has", "had", "previously", "already", "earlier", "recently", "been", "since",
        "troops", "forces", "army", "soldiers", "idf", "military", "israeli", "russian", "american",
        "us", "ukrainian", "indian", "pakistani", "thai", "cambodian",
    }
)  # fmt: skip
_WITHDREW = ("withdr", "retreat", "pulled", "evacuat")


def _place_described(toks: Sequence[str], lo: int, start: int) -> bool:
    """Whether the withdrawal at ``start`` only describes a place: "beyond the yellow line, the area
    our troops have withdrawn to", "killed in an area from which Israeli forces had previously
    withdrawn", "territory within the line where its troops withdrew under the truce" — the line
    or area the sentence's own act is placed in (GUIDELINE F11), not the withdrawal reported. The
    place noun, then only a relative clause's words (its forces and auxiliaries), then the verb."""
    if not toks[start].startswith(_WITHDREW):
        return False
    saw_force = False
    for k in range(start - 1, max(lo, start - 8) - 1, -1):
        tok = toks[k]
        if tok in _PLACE_NOUNS:
            return saw_force and k + 1 < start
        if tok not in _DESCRIBING:
            return False
        saw_force = saw_force or tok in ("troops", "forces", "army", "soldiers", "idf", "military")
    return False


_HABITUAL = frozenset(
    {
        "routinely",
        "regularly",
        "usually",
        "typically",
        "normally",
        "periodically",
        "customarily",
        "habitually",
    }
)


def _habitual(toks: Sequence[str], lo: int, start: int) -> bool:
    """ "EUFOR routinely deploys reserve forces for exercises", "peacekeepers usually deploy extra
    troops whenever an incident occurs": what a force does as a rule, no movement reported (F11)."""
    return any(t in _HABITUAL for t in toks[max(lo, start - 3) : start]) or "whenever" in toks[lo:start]


def extra_guard(
    guards: frozenset[GuardName], toks: Sequence[str], bounds: tuple[int, int], trigger: tuple[int, int]
) -> GuardName | None:
    """The force-deployment guard, among the rule's ``guards``, that blocks the trigger, or None."""
    lo, hi = bounds
    start, length = trigger
    end = start + length
    if "appeal" in guards and _foreign_ordered_out(toks, lo, start):
        return "appeal"
    if "agreement" in guards and _deal_terms(toks, lo, hi, start, end):
        return "agreement"
    if "status_quo" in guards and (_already_posted(toks, lo, hi, start, end) or _habitual(toks, lo, start)):
        return "status_quo"
    if "non_military" in guards and _withdrawn_from_talks(toks, hi, start, end):
        return "non_military"
    if "agreement" in guards and (
        _timetabled(toks, lo, hi, start, end)
        or _condition_first(toks, lo, start)
        or _timed_infinitive(toks, start)
        or _far_future(toks, lo, hi, start, end)
        or _stage_label(toks, lo, start)
        or _document_about(toks, lo, start)
    ):
        return "agreement"
    if "status_quo" in guards and _record(toks, lo, hi, start):
        return "status_quo"
    if "status_quo" in guards and _place_described(toks, lo, start):
        return "status_quo"
    if "modality" in guards and _future_per_media(toks, lo, hi, start):
        return "modality"
    if "status_quo" in guards and (
        _posted_object(toks, lo, hi, start, end)
        or _posted_subject(toks, hi, start, end)
        or _long_posted(toks, start)
    ):
        return "status_quo"
    if "non_military" in guards and (
        _delegation_sent(toks, hi, end) or _contributes_to_aim(toks, hi, start, end)
    ):
        return "non_military"
    if "modality" in guards and (
        _pledge_of_conduct(toks, hi, start, end)
        or (
            toks[start] in _MOVE_NOUNS
            and any(_pledge_of_conduct(toks, start, k, k + 1) for k in range(max(lo, start - 12), start))
        )
    ):
        return "modality"  # "pledged to cooperate on an orderly withdrawal": its object, not a move
    fortified = _fortified_or_ties(toks, hi, start, end)
    if fortified is not None and fortified in guards:
        return fortified
    if "target" in guards and _weapons_used(toks, hi, start, end):
        return "target"
    ready = _ready_for_other(toks, hi, start, end)
    if ready is not None and ready in guards:
        return ready
    return None


_MOVE_VERBS = ("deploy", "send", "station", "dispatch", "contribut", "provid", "withdr", "redeploy")
_COMMITTED = ("committed", "commits", "commit", "pledged")
_END_VERBS = ("end", "conclud")
_ENDED = frozenset({"end", "ended", "ending", "ends", "concluded", "conclusion", "completion", "completed"})
_PROCESS = frozenset({"disengagement", "withdrawal", "pullout", "pullback", "drawdown", "redeployment"})
_SAID_SELF = frozenset({"said", "says", "told", "announced", "stated", "declared", "confirmed"})
_SELF = frozenset({"it", "they", "we", "he", "she"})
_SELF_NOUN = frozenset({"country", "government", "nation", "army", "military", "forces"})
_OFFER_MODALS = frozenset({"could", "may", "might", "can"})
_COMMIT_MODALS = frozenset({"would", "will"})


def _committed_to_move(toks: Sequence[str], start: int) -> bool:
    """ "Germany committed to deploy a brigade": "committed to" a move is a pledge (F2), not the
    "committed to the ceasefire" of a denial (C7)."""
    return (
        start >= 2
        and toks[start - 1] == "to"
        and toks[start - 2].startswith(_COMMITTED)
        and toks[start].startswith(_MOVE_VERBS)
    )


def _end_of_process(toks: Sequence[str], lo: int, start: int) -> bool:
    """ "The end of the process of disengagement of French forces", "the forces have ended their
    disengagement process": a withdrawal reported complete (F1), not one halted (F7)."""
    if toks[start] not in _PROCESS:
        return False
    window = toks[max(lo, start - 6) : start]
    if "not" in window or "no" in window:
        return False
    return any(t in _ENDED for t in window)


_ENDS = frozenset({"end", "ended", "ending", "ends", "conclude", "concluded", "terminate", "terminated"})
_LINKS = frozenset({"and", "as", "while", "by"})  # "end the mission and/as ... bring the troops home"
_DENYING = frozenset({"no", "not", "never", "without", "refused", "refuses", "rejected", "against"})
_MISSION = frozenset(
    {"mission", "operation", "operations", "deployment", "presence", "mandate", "participation", "tour"}
)


def _end_of_mission(toks: Sequence[str], lo: int, start: int) -> bool:
    """ "decided to end its peacekeeping mission early and bring the troops home", "voted to end
    the operation and repatriate the troops": ending a mission is what withdraws its troops (F1/F2),
    not a halt of the withdrawal (F7)."""
    if not toks[start].startswith((*_WITHDRAW, "bring", "brought", "return", "hand")):
        return False
    for k in range(start - 1, max(lo, start - 12) - 1, -1):
        if toks[k] in _ENDS:
            obj = toks[k + 1 : k + 5]
            if not _DENYING.isdisjoint(toks[max(lo, k - 4) : k]) or not _DENYING.isdisjoint(obj):
                return False  # "has no intention to end the mission and bring the troops home"
            return not _MISSION.isdisjoint(obj) and not _LINKS.isdisjoint(toks[k + 1 : start])
    return False


def _own_offer(toks: Sequence[str], lo: int, start: int) -> bool:
    """ "Prabowo said his country could contribute up to 8,000 personnel", "officials said they may
    send 4,000 troops": the contributor's own statement of what it can send is an offer (F3), not
    others' speculation (F8): a verb of saying, the speaker's own state, a modal, then the verb."""
    if not toks[start].startswith((*_MOVE_VERBS, *_END_VERBS)) or start - lo < 3:
        return False
    modal = toks[start - 1]
    if modal not in _OFFER_MODALS and modal not in _COMMIT_MODALS:
        return False
    k = start - 2
    if toks[k] in _SELF:
        k -= 1
    elif toks[k] in _SELF_NOUN and k - 1 > lo and toks[k - 1] in ("his", "her", "its", "their", "our"):
        k -= 2
    elif modal in _COMMIT_MODALS and _states(toks, k, k + 1):
        k -= 1  # "Macron said France would withdraw its troops": the state's leader states its move (F2)
    else:
        return False
    if k >= lo and toks[k] == "that":
        k -= 1
    return k >= lo and toks[k] in _SAID_SELF


_ANNOUNCED = frozenset({"announced", "announcing", "announces", "confirmed", "confirming", "declared"})
_NP = frozenset(
    {
        "the", "its", "their", "more", "additional", "extra", "further", "all", "some", "remaining",
        "several", "thousand", "hundred", "first", "last", "us", "american", "british", "new",
    }
)  # fmt: skip


def _announced_move(toks: Sequence[str], lo: int, start: int) -> bool:
    """ "A spokesperson announced that the troops would withdraw", "told reporters several thousand
    more troops would head to the border", "after announcing 110 more troops would arrive": an
    authority announcing its forces' next move states a decision (F2), not a deal's term (F10)."""
    if start - lo < 3 or toks[start - 1] not in ("would", "will"):
        return False
    k = start - 2
    if toks[k] not in _FORCES and toks[k] not in _MOVERS_MORE:
        return False
    k -= 1
    while k > lo and start - k < 9 and (toks[k] in _NP or toks[k][:1].isdigit() or toks[k] in CLAUSE_BREAKS):
        k -= 1
    if toks[k] == "that":
        k -= 1
    return toks[k] in _ANNOUNCED or (toks[k] == "reporters" and k > lo and toks[k - 1] == "told")


_DECISION_NOUNS = frozenset({"plans", "plan", "decision", "intention"})
_TOLD_OF = frozenset({"notified", "informed", "briefed", "told"})
_PLAN_OWNER = frozenset({"its", "their", "the", "us", "u", "s", "american", "washington's", "a"})


def _announced_plans_to(toks: Sequence[str], lo: int, start: int) -> bool:
    """ "The United States has announced plans to scale back its presence", "allies were notified of
    US plans to cut the number of troops", "unveiled a decision to withdraw": a plan the contributor
    has made known is its decision (F2), not speculation about it (F8)."""
    if start - lo < 3 or toks[start - 1] != "to" or toks[start - 2] not in _DECISION_NOUNS:
        return False
    k = start - 3
    while k > lo and start - k < 7 and (toks[k] in _PLAN_OWNER or toks[k] in STATES):
        k -= 1
    if toks[k] in _ANNOUNCED or toks[k] in ("unveiled", "unveils", "approved", "approves"):
        return True
    return toks[k] in ("of", "about") and k > lo and toks[k - 1] in _TOLD_OF


_MOVERS_MORE = frozenset({"peacekeepers", "marines", "paratroopers", "sailors", "servicemen", "members"})
_PLAN_HEAD = frozenset({"plans", "announces", "orders", "unveils", "confirms"})
_PLAN_FILL = frozenset(
    {"full", "complete", "partial", "troop", "the", "a", "its", "total", "phased", "gradual"}
)


def _state_plans_move(toks: Sequence[str], lo: int, start: int) -> bool:
    """ "US plans full troop withdrawal from Afghanistan", "Britain announces phased pullout": a
    state announcing a withdrawal or deployment of its own, named by the noun (F2)."""
    if toks[start] not in _MOVE_NOUNS:
        return False
    k = start - 1
    while k > lo and start - k <= 3 and toks[k] in _PLAN_FILL:
        k -= 1
    return toks[k] in _PLAN_HEAD and k > lo and bool(_states(toks, k - 1, k))


def _status_before_clause(toks: Sequence[str], lo: int, start: int) -> bool:
    """ "saying some forces were still in the city and that additional manpower was being sent":
    the status word belongs to the clause before "that"; the trigger's own clause reports a
    movement (F6), so the presence guard does not reach it."""
    that = max((k for k in range(max(lo, start - 10), start) if toks[k] == "that"), default=-1)
    if that < 0 or that + 1 >= start or toks[that + 1] in _POSTED:
        return False
    return not _STATUS_WORDS.intersection(toks[that + 1 : start]) and bool(
        _STATUS_WORDS.intersection(toks[max(lo, start - 10) : that])
    )


def _still_being_moved(toks: Sequence[str], lo: int, start: int) -> bool:
    """ "armoured vehicles are currently being pulled back", "troops are still being withdrawn": a
    movement going on now (F1), not a presence that stays (F11)."""
    if start - lo < 2 or toks[start - 1] != "being" or not toks[start].startswith(_WITHDRAW + _ARRIVE):
        return False
    return any(t in ("currently", "still", "now") for t in toks[max(lo, start - 7) : start - 1])


_ARRIVE = ("deploy", "sent", "dispatch", "redeploy", "station", "mov", "brought", "airlift", "transferr")
_STATUS_WORDS = frozenset({"still", "remain", "remains", "remained", "currently", "existing", "already"})


_DECIDED = frozenset({"decided", "decides", "voted", "resolved", "ruled"})


def _decided_that(toks: Sequence[str], lo: int, start: int) -> bool:
    """ "The Council decided that the mission would consist of 5,650 personnel", "the cabinet
    decided the troops would leave in May": "would" reports the decision taken (F2/F4), when a
    verb of deciding governs it and no other modal word sits between."""
    window = toks[max(lo, start - 10) : start]
    if "would" not in window and "will" not in window:
        return False
    at = max(k for k, t in enumerate(window) if t in ("would", "will"))
    head = window[:at]
    return any(t in _DECIDED for t in head) and _SPECULATIVE.isdisjoint(window)


_SPECULATIVE = frozenset(
    {"could", "might", "may", "if", "whether", "unless", "expected", "likely", "possible"}
)


def future_move(toks: Sequence[str], start: int) -> bool:
    """ "Germany will begin deploying a brigade in early 2024", "committed to station a brigade in
    2022": a move stated as future or pledged is not a record of one, whatever year it names
    (the record reading of a dated movement is for moves told as done, F11)."""
    before = toks[max(0, start - 3) : start]
    return not _FUTURE.isdisjoint(before) or (start > 0 and toks[start - 1] == "to")


_MEDIA = frozenset(
    {
        "reports", "report", "media", "broadcaster", "newspaper", "news", "outlet", "outlets", "channel",
        "kan", "radio", "tv", "television", "daily", "press",
    }
)  # fmt: skip
_OFFICIAL = frozenset(
    {
        "spokesman", "spokesperson", "spokeswoman", "ministry", "minister", "official", "officials",
        "statement", "army", "military", "government", "president", "ambassador", "letter", "command",
    }
)  # fmt: skip
_FUTURE_MOVE = frozenset({"expected", "set", "will", "soon", "due", "poised"})


def _future_per_media(toks: Sequence[str], lo: int, hi: int, start: int) -> bool:
    """ "According to reports from Kan 11 News, Indonesia is set to deploy thousands of its soldiers",
    "troops are expected to deploy to southern Gaza ..., according to Israel's Kan public broadcaster":
    a future movement that only the media report, no official, is a claim about the contributor
    (GUIDELINE F8)."""
    if _FUTURE_MOVE.isdisjoint(toks[max(lo, start - 4) : start]):
        return False
    for k in range(lo, hi - 1):
        if toks[k] == "according" and toks[k + 1] == "to":
            source = toks[k + 2 : k + 9]
            return not _MEDIA.isdisjoint(source) and _OFFICIAL.isdisjoint(source)
    return False


def lifted(guard: GuardName, toks: Sequence[str], bounds: tuple[int, int], trigger: tuple[int, int]) -> bool:
    """Whether a shared guard's word has another sense next to this force trigger (see module)."""
    lo, _hi = bounds
    start, _length = trigger
    if guard in ("denial", "status_quo") and _committed_to_move(toks, start):
        return True
    if guard == "status_quo" and (
        _status_before_clause(toks, lo, start) or _still_being_moved(toks, lo, start)
    ):
        return True
    if guard in ("modality", "agreement") and (
        _announced_move(toks, lo, start)
        or _state_plans_move(toks, lo, start)
        or _announced_plans_to(toks, lo, start)
    ):
        return True
    if guard == "negation" and (_end_of_process(toks, lo, start) or _end_of_mission(toks, lo, start)):
        return True
    if guard in ("modality", "agreement") and _decided_that(toks, lo, start):
        return True
    if guard == "agreement" and _phase_begun(toks, lo, bounds[1]):
        return True
    if guard == "modality" and toks[lo] == "why":
        return True  # "Why is Germany stationing a brigade in Lithuania?": the question presupposes it
    return guard in ("modality", "agreement") and _own_offer(toks, lo, start)


_PHASES = frozenset({"phase", "stage"})
_BEGUN = frozenset({"began", "begun", "started", "commenced", "launched", "completed", "kicked"})


def _phase_begun(toks: Sequence[str], lo: int, hi: int) -> bool:
    """ "ATMIS has begun the second phase of its drawdown", "the second phase of its withdrawal started
    with the handover of the base": a phase reported begun is the movement under way (F1), not the
    phase a deal or plan lays down (F10)."""
    if any(t in _FUTURE for t in toks[lo:hi]):
        return False
    for k in range(lo, hi):
        if toks[k] in _PHASES and any(t in _BEGUN for t in toks[max(lo, k - 6) : min(hi, k + 7)]):
            return True
    return False


_SUBJECT_OPENERS = frozenset({"said", "says", "noted", "added", "stated", "that", "confirmed", "and"})
_SUBJECT_MODIFIERS = frozenset(
    {
        "the", "this", "that", "its", "their", "his", "her", "our", "a", "first", "partial", "full",
        "initial", "latest", "last", "complete", "whole", "entire", "phased", "gradual", "troop",
        "military", "such", "us", "un", "nato",
    }
)  # fmt: skip


def subject_told(
    toks: Sequence[str], trigger: tuple[int, int], groups: Sequence[TermList], near: int
) -> bool:
    """The ``subject`` context: the trigger noun opens its clause ("The withdrawal came days after",
    "Rutte said the deployment of North Korean troops was ...", "Their departure comes amid") after
    at most four determiners, adjectives or names, and each of the rule's groups occurs after it."""
    start, length = trigger
    k = start
    while k > 0 and start - k < 4 and (toks[k - 1] in _SUBJECT_MODIFIERS or _states(toks, k - 1, k)):
        k -= 1
    if k > 0 and toks[k - 1] not in CLAUSE_BREAKS and toks[k - 1] not in _SUBJECT_OPENERS:
        return False
    end = start + length
    stop = end
    # an aside between commas or a quotation mark does not end the clause: "The pullout from Niger,
    # which started in October, included 145 flights", 'The departure "was conducted in good order"'
    while stop < len(toks) and stop - end < near and (toks[stop] not in CLAUSE_BREAKS or toks[stop] in _SOFT):
        stop += 1
    return all(any(True for _ in g.find(toks, end, stop)) for g in groups)


_SOFT = frozenset({",", '"', "“", "”"})
