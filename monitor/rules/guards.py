"""Guards: the words around a trigger that turn a keyword hit into a non-event (GUIDELINE C5–C10, F7–F13).

Guards live here, once, instead of in every rule. Each looks at the clause before the trigger (back to
the nearest comma, dash, "but"..., at most ``WINDOW`` tokens), some also a few tokens after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from monitor.models import EventStatus
from monitor.rules.extract import ACTORS, STATES
from monitor.rules.model import GuardName
from monitor.rules.terms import CLAUSE_BREAKS, TermList, term_list

WINDOW = 10

NEGATION = term_list(
    [
        "=no", "=not", "=never", "=none", "=nothing", "=without", "=nor", "=neither", "refuse", "refusal",
        "decline", "rule out", "=ruled out", "reject", "refrain", "halt", "stop", "freeze", "freezing",
        "no plans", "not contemplating", "=no longer", "unable", "=cancel", "=cancelled", "=canceled",
        "=ceased", "deny permission", "=end", "=ended", "=ending", "=absence of", "=lull", "=few nations",
        "=few countries", "=few states", "=no country", "=no nation", "=cessation of", "=unwilling",
        "=reluctant", "=reluctance", "=hesitant", "=prevented", "=prevents", "=preventing", "=barred from",
    ]
)  # fmt: skip
DENIAL = term_list(
    [
        "deny", "=denial", "=denials", "dismiss", "refute", "rebut", "downplay", "=baseless", "=false",
        "=fabricated", "=unfounded", "=lies", "=no evidence", "reject claims", "reject allegations",
        "reject accusations", "=insists", "=insisted", "adhered", "honored", "honoured", "respected",
        "committed to",
    ]
)  # fmt: skip
MODALITY = term_list(
    [
        "=could", "=may", "=might", "=would", "=should", "expect", "=expected", "=likely", "=possibly",
        "=possible", "=potential", "=potentially", "consider", "=considering", "mull", "weigh", "=eyed",
        "=eyes", "=eyeing", "plan", "=planning", "=planned", "=proposed", "=proposal", "front runner",
        "=candidates", "candidate", "hope", "=if", "=whether", "=any", "=dependent", "=unless",
        "=reports say", "=speculation", "=rumoured", "=rumored", "want", "=wants", "=aims", "=aim",
        "=seeking", "explore", "=envisaged", "=envisions", "=envisioned", "=discussed", "=discussing",
        "=debate", "=idea", "=prospect", "=options", "=option", "=talks", "=negotiating", "=due to",
        "=scheduled to", "=next month", "=next week", "=next year", "=in the coming", "=draft",
        "=questions on", "=questions about", "=questions remain", "=list of questions", "=seems", "=seem",
        "=seemed", "=appears to", "=appeared to", "=apparent", "=purported", "=so-called", "=unclear",
        "=uncertain", "=not clear", "=unknown", "=decision on", "=no decision",
        "=way to", "=ways to", "=looking for", "=attempt to", "=effort to", "=efforts to", "=bid to",
        "=open to", "=anticipated", "=reviewing", "=reviews sending", "=review sending",
        "=yet to decide", "=not been decided", "=nothing has been decided", "=contemplating",
        "=threatened to", "=threatens to", "=threatening to", "=threaten to",
    ]
)  # fmt: skip
APPEAL = term_list(
    [
        "call for", "call on", "urge", "demand", "appeal", "seek", "=sought", "ask", "request", "press for",
        "push for", "=pleaded", "=plea", "insist on", "=on condition that", "=on the condition that",
        "=condition for", "=a condition", "=the condition", "=one condition", "=conditions", "=must", "=need",
        "=needed to", "=needs", "=wants", "invite", "=invitation", "=is vital", "=is essential",
        "=is crucial", "=is necessary", "=like to see", "=hopes to see", "=hope to see", "=wish to see",
    ]
)  # fmt: skip
AGREEMENT = term_list(
    [
        "=were to", "=was to", "=is to", "=are to", "=would", "require", "=requiring", "stipulate",
        "=includes", "=include", "=including", "=once", "=provided for", "=provides for", "=envisages",
        "=under the plan", "=under the proposal", "=terms include", "=phase two", "=second phase",
        "=will have to", "=obliged", "=obligation", "=obligated", "=presupposes", "=key terms",
        "=outlines", "=measures that", "=before the force can",
    ]
)  # fmt: skip
# talks about a contribution are not the contribution (GUIDELINE F8), wherever they sit in the sentence
TALKS = term_list(
    [
        "=in talks", "=talks with", "=talks on", "=talks about", "=discussions with", "=discussions on",
        "=negotiating with", "=consultations with", "=discussing", "=discussed", "=conference", "=approached",
        "=spoken with", "=spoke with", "=speaking with", "=speaking to", "=talking to", "=spoken to",
        "=talked to", "=proposed that", "=suggested that", "=to work out", "=how and when", "=agreed to meet",
        "=to discuss", "=will discuss", "=would discuss",
    ]
)  # fmt: skip
# others' expectations about who will make up a force, anywhere before the trigger (GUIDELINE F8):
# "troops from X are expected to form the core of the force (ISF) to be deployed in Gaza"
SPECULATION = term_list(
    [
        "=expected to form", "=expected to make up", "=expected to contribute", "=expected to join",
        "=expected to lead", "=expected to provide", "=expected to send", "=expected to participate",
        "=likely to contribute", "=likely to join", "=likely to send", "=likely contributors",
        "=front runners", "=front-runners", "=tipped to", "=seen as likely", "=could form",
        "=expressed interest", "=most interest", "=interest in sending", "=interested in sending",
        "=closest to", "=leading candidates", "=among the candidates", "=should the plan", "=if the plan",
        "=preparing for the arrival", "=prepare for the arrival", "=prepares for the arrival",
        "=according to the plans", "=according to the plan", "=according to the proposal",
        "=according to the draft",
    ]
)  # fmt: skip
# a count of past contributions frames the whole sentence as a statistic (GUIDELINE F11)
STATISTIC = term_list(
    [
        "=over the past decade", "=over the past years", "=in the past decade", "=over the decades",
        "=over the years", "=to date", "=in total", "=all told", "=since its founding",
        "=in recent years", "=have since been", "=has since been", "=over the last", "=over the course of",
    ]
)  # fmt: skip
# a long-run tally named anywhere in the sentence: "has deployed peacekeepers ... for decades" (F11)
STATISTIC_ANYWHERE = term_list(
    [
        "=for decades", "=for many years", "=over the decades", "=for generations", "=in recent years",
        "=over the years", "=over the past decade", "=in the past decade", "=over the past years",
        "=is the number of", "=varies from", "=for a period that",
    ]
)  # fmt: skip
# framing that makes a whole sentence the terms of a deal or plan (GUIDELINE F10)
AGREEMENT_FRAME = term_list(
    [
        "require", "=requiring", "stipulate", "=under the plan", "=under the proposal", "=envisages",
        "=provides for", "=provide for", "=calls for", "=the deal would", "=the plan would",
        "=agreement include", "=agreement includes", "=deal include", "=deal includes", "=terms include",
        "=key clause", "=clause in", "=hours to", "=days to", "=weeks to",
    ]
)  # fmt: skip
# a sentence that names itself the terms of a deal, wherever it says so ("... is a key clause in ...")
TERMS_ANYWHERE = term_list(["=key clause", "=a clause of", "=is a condition", "=is a key condition"])
# a future step "as planned" is the plan's term until it is reported done (GUIDELINE F10)
AS_PLANNED = term_list(
    [
        "=as planned", "=as scheduled", "=according to plan", "=according to schedule", "=in accordance with",
        "=pursuant to", "=under the terms", "=under the deal", "=under the agreement", "=under the accord",
    ]
)  # fmt: skip
# "under the deal/terms" only marks a future step when the verb is not in the past tense
UNDER_DEAL = term_list(
    [
        "=under the deal", "=under the agreement", "=under the terms", "=under the ceasefire", "=first stage",
        "=second stage", "=third stage", "=next stage",
    ]
)  # fmt: skip
TARGET = term_list(
    [
        "attack", "=attacks on", "ambush", "=fired at", "=fired on", "=fire on", "=shot at", "=targeting",
        "=targeted", "=threat to", "=kill", "=killed", "=killing", "=wounded", "=wounding", "=against",
        "=captured", "=abducted", "=struck", "=hit",
    ]
)  # fmt: skip
HYPOTHETICAL = term_list(
    [
        "=any", "=further", "=if", "=would", "=could", "=may", "=might", "=will", "=should", "threaten",
        "=threatened", "warn", "=vowed", "=vows", "=risk", "=risks", "fear", "=history of", "=possible",
        "=in case", "=unless", "=prevent", "=avoid", "=deter", "=future", "=reserve the right",
        "=reserves the right", "=reserved the right", "=reserved their right", "=reserved its right",
        "=when attacked",
        # the terms of a truce: what it forbids is no act (C5)
        "=covering", "=mandates", "=prohibits", "=prohibiting", "=prohibit", "=bans", "=banning",
        "=forbids", "=forbidding", "=bars", "=barring",
        # a body set up for violations that may come: "a mechanism to investigate violations" (C8)
        "=to investigate", "=to monitor", "=to record", "=to report", "=to verify", "=to document",
    ]
)  # fmt: skip
INTERNAL = term_list(
    [
        "execute", "=executions", "=execution", "=extrajudicial", "collaborator", "=collaborating",
        "=collaboration", "=clan", "=clans", "=internal security", "=mass killings", "=mass killing",
        "=militia", "=militias", "=militiamen", "=popular forces", "=gangs", "=gang", "=vigilante",
        "=looting", "=infighting", "=factional", "=feud", "=feuds", "=family dispute", "=robbery",
        "=robbers", "=criminal gang", "=criminal gangs",
    ]
)  # fmt: skip
STATUS_QUO = term_list(
    [
        "remain", "=still", "=currently", "=continue to", "=continues to", "=existing", "=already deployed",
        "=maintain", "=maintained", "=stationed there", "=long-standing", "=are present", "=is present",
        "=kept", "=keeps", "=keeping", "=current batch", "=current contingent", "=current rotation",
        "=has had", "=have had", "=tended to", "=tend to", "=tends to", "=used to",
        "=already based", "=already present", "=presently",
    ]
)  # fmt: skip
NON_MILITARY = term_list(
    [
        "train", "=training", "=technical team", "=technical teams", "=search team", "=search teams",
        "=specialists", "=negotiators", "=negotiator", "=envoy", "=envoys", "=delegation", "=robots",
        "=robot",
        "=mine action", "=engineers team", "=rescue", "=medical team", "=doctors", "=aid workers", "=fans",
        "=sports", "=team", "=delegations", "=journalists", "=humanitarian workers", "=volunteers",
        "=diplomats", "=election observers", "=election monitors", "=electoral observers", "=poll observers",
        "=rights monitors", "=human rights observers",
    ]
)  # fmt: skip
BACKGROUND = term_list(
    [
        "=war that", "=conflict that", "=fighting that", "=offensive that", "=since the war", "=of war",
        "=during the war", "=before the ceasefire", "=before the truce", "=since october 2023",
        "=in the war", "=war has killed", "=war had killed", "=total", "=toll", "=october 7", "=7 october",
        "=oct 7", "=anniversary", "=years of fighting", "=months of fighting", "=years ago", "=in 2023",
        "=in 2024", "=since 2023", "=days of", "=weeks of", "=after five days", "=in the wake of",
        "=since fighting", "=since the fighting", "=during the fighting", "=occupied during",
        "=following intense", "=following heavy", "=following deadly", "=israel war", "=war in gaza",
        "=war on gaza", "=war has", "=conflict has", "=genocidal war", "=week of", "=destroyed in",
        "=damaged in", "=destroyed during", "=damaged during", "=in the aftermath", "=aftermath of",
        "=relief from", "=respite from", "=reprieve from", "=war began", "=war started", "=war erupted",
        "=war broke out",
    ]
)  # fmt: skip
# the war, not the truce, named as the act's time after it, in its clause (GUIDELINE C6)
BACKGROUND_AFTER = term_list(
    [
        "=since the war", "=since the start of the war", "=since the beginning of the war", "=during the war",
        "=in the war", "=of the war", "=throughout the war", "=over the course of the war",
        "=since october 2023", "=since 7 october", "=since october 7", "=in earlier", "=in previous",
        "=in past", "=in the previous", "=before the ceasefire", "=before the truce",
    ]
)  # fmt: skip
# an earlier attack named as the time of something else: "warships were deployed after the attack"
BACKGROUND_EVENT = term_list(
    [
        "=after the", "=following the", "=since the", "=in the aftermath of", "=in response to the",
        "=in retaliation for the", "=a day after the", "=days after the",
    ]
)  # fmt: skip
_PAST_EVENT = frozenset(
    {
        "attack",
        "attacks",
        "strike",
        "strikes",
        "shooting",
        "bombing",
        "bombings",
        "killing",
        "killings",
        "massacre",
    }
)
ATTRIBUTION: tuple[tuple[EventStatus, TermList], ...] = (
    ("denied", DENIAL),
    (
        "accused",
        term_list(["accuse", "=accusation", "=accusations", "alleg*", "condemn", "slam", "blame", "charge"]),
    ),
    ("claimed", term_list(["claim", "=claiming", "=according to"])),
)
PAST_TENSE_SUFFIXES = ("ed", "drew", "drawn", "sent", "began", "begun", "left", "struck", "shot")

_BEFORE: dict[GuardName, TermList] = {
    "negation": NEGATION,
    "denial": DENIAL,
    "modality": MODALITY,
    "appeal": APPEAL,
    "agreement": AGREEMENT,
    "hypothetical": HYPOTHETICAL,
    "status_quo": STATUS_QUO,
    "background": BACKGROUND,
}
# a fixed order (not the set's, which varies with hash seeds): a denial is reported as a denial even
# when the same clause also holds "any" or "no" ("denies any clash")
_ORDER: tuple[GuardName, ...] = (
    "denial",
    "negation",
    "appeal",
    "agreement",
    "modality",
    "hypothetical",
    "status_quo",
    "non_military",
    "internal",
    "background",
    "target",
)
_AROUND: dict[GuardName, TermList] = {"non_military": NON_MILITARY}
_SENTENCE: dict[GuardName, TermList] = {"internal": INTERNAL}


@lru_cache(maxsize=128)
def _plan(guards: frozenset[GuardName]) -> tuple[tuple[tuple[GuardName, str, TermList], ...], frozenset[str]]:
    """The term lists to test for a rule's guards, in _ORDER, and every clause-before key among them."""
    plan: list[tuple[GuardName, str, TermList]] = []
    for name in _ORDER:
        if name not in guards:
            continue
        for kind, table in (("before", _BEFORE), ("around", _AROUND), ("sentence", _SENTENCE)):
            terms = table.get(name)
            if terms is not None:
                assert not terms.prefixes, "the clause-before pre-check assumes whole-word guard terms"
                plan.append((name, kind, terms))
    keys = frozenset().union(*(t.keys for _, kind, t in plan if kind == "before"))
    return tuple(plan), keys


_SAYING = frozenset({"said", "says", "added", "claimed", "alleged", "insisted"})


class Scope(NamedTuple):
    """Token ranges a guard looks at for one trigger at ``start`` (length ``length``); a named
    tuple, made once per trigger and guard look-up, is cheaper to make than a frozen dataclass."""

    clause_start: int
    start: int
    end: int
    after_end: int


def scope(tokens: Sequence[str], lo: int, hi: int, start: int, length: int) -> Scope:
    """The clause before the trigger (bounded by clause punctuation and WINDOW) and 4 tokens after it."""
    i = start
    first = max(lo, start - WINDOW)
    before = tokens[first:start]
    if first >= 0 and CLAUSE_BREAKS.isdisjoint(before) and _SAYING.isdisjoint(before):
        i = first if first < start else start  # nothing ends the clause: the walk below goes all the way
    else:
        while i > lo and start - i < WINDOW and tokens[i - 1] not in CLAUSE_BREAKS:
            if tokens[i - 1] in _SAYING and i - 2 >= lo and tokens[i - 2] == "and":
                break  # "rejected the accusations and said Indian forces had violated it": a new statement
            i -= 1
    end = start + length
    j = end
    if j < hi and CLAUSE_BREAKS.isdisjoint(tokens[end : end + 4]):
        j = min(hi, end + 4)
    else:
        while j < hi and j - end < 4 and tokens[j] not in CLAUSE_BREAKS:
            j += 1
    return Scope(i, start, end, j)


def guard_hit(
    guards: frozenset[GuardName], tokens: Sequence[str], bounds: tuple[int, int], trigger: tuple[int, int]
) -> GuardName | None:
    """The first guard that blocks the trigger (start, length) within the sentence ``bounds``, or None."""
    lo, hi = bounds
    start, length = trigger
    sc = scope(tokens, lo, hi, start, length)
    plan, before_keys = _plan(guards)
    # one set test tells whether any clause-before guard can fire (the common case: none can)
    before = not before_keys.isdisjoint(tokens[sc.clause_start : sc.start])
    waived = _waived(tokens, lo, start) if before and tokens[start].startswith(_BREACH_WORDS) else ()
    for name, kind, terms in plan:
        if kind == "before":
            if name in waived:
                continue
            if before and terms.occurs(tokens, sc.clause_start, sc.start):
                if name == "denial" and _accuses_as_well(tokens, sc.clause_start, sc.start):
                    continue
                if name == "negation" and _counts_only(tokens, sc.clause_start, sc.start, terms):
                    continue
                if name in ("modality", "agreement") and (
                    _reported_commitment(tokens, sc.clause_start, sc.start, terms)
                    or _authority_statement(tokens, lo, sc.clause_start, sc.start, terms)
                    or (name == "agreement" and _named_is_to(tokens, sc.clause_start, sc.start, terms))
                ):
                    continue
                if name in ("modality", "hypothetical") and not _modal_besides(
                    tokens, sc.clause_start, sc.start, terms
                ):
                    continue
                if name == "status_quo" and (
                    _rest_of_contingent(tokens, sc.clause_start, sc.start, terms)
                    or _ongoing_move(tokens, sc.clause_start, sc.start, terms)
                ):
                    continue
                return name
        elif kind == "around":
            if terms.occurs(tokens, sc.clause_start, sc.after_end) and not _speaker_only(
                tokens, terms, (sc.clause_start, sc.after_end), sc.start
            ):
                return name
        elif terms.occurs(tokens, lo, hi):
            if name == "internal" and (
                _carried_out_only(tokens, lo, hi, terms) or _militia_at_war(tokens, lo, hi, terms)
            ):
                continue
            return name
    if "modality" in guards and (
        _talks_before(tokens, lo, sc.start) or SPECULATION.occurs(tokens, lo, sc.end)
    ):
        return "modality"
    if "modality" in guards and _gerund_subject(tokens, lo, hi, start, sc.end):
        return "modality"  # "sending in ground troops should not be ruled out": an idea weighed (F8)
    if "modality" in guards and _unnamed_force_future(tokens, lo, start):
        return "modality"  # "an international force will be deployed in Gaza": a plan, nobody's pledge
    if "status_quo" in guards and (
        STATISTIC.occurs(tokens, lo, sc.start)
        or _years_span(tokens, lo, sc.start)
        or STATISTIC_ANYWHERE.occurs(tokens, lo, hi)
    ):
        return "status_quo"  # "over the past decade, X has dispatched 5,641 troops": a statistic
    if "target" in guards and tokens[start] in _POSTED and _fires_after(tokens, start + length, hi):
        return "target"  # "warships deployed off the coast shelled the rebels": force used, not moved (F12)
    if (
        "appeal" in guards
        and APPEAL.occurs(tokens, _quoted_clause_start(tokens, lo, start), start)
        and not (tokens[start].startswith(_BREACH_WORDS) and "appeal" in _waived(tokens, lo, start))
    ):
        return "appeal"  # 'calls on Serbia "to withdraw its forces"': a quote does not end the demand
    if "modality" in guards and _modal_before_quote(tokens, lo, sc):
        return "modality"  # 'said the army should "pull back its troops first"': nor a modal's
    if sc.clause_start - lo >= 3 and tokens[sc.clause_start - 1] == ",":
        for name, terms in _ASIDE_GUARDS:
            if name in guards and _before_aside(tokens, lo, sc.clause_start, terms):
                return name  # "there are no plans, at this point, to deploy troops": an aside between
    if ("modality" in guards or "hypothetical" in guards) and "?" in tokens[sc.start : hi]:
        return "modality" if "modality" in guards else "hypothetical"  # a question asserts nothing
    if "non_military" in guards and _trains_police(tokens, sc.end, _clause_end(tokens, sc.end, hi)):
        return "non_military"  # "send 150 carabinieri to train the police": a training offer (F13)
    if "negation" in guards and _negated_after(tokens, sc):
        return "negation"
    if "negation" in guards and _none_of_subject(tokens, lo, start):
        return "negation"  # "None of the 2,000 troops deployed there had withdrawn" (F7)
    if "agreement" in guards and (
        AGREEMENT_FRAME.occurs(tokens, lo, sc.start) or TERMS_ANYWHERE.occurs(tokens, lo, hi)
    ):
        return "agreement"
    if "agreement" in guards and UNDER_DEAL.occurs(tokens, lo, sc.start) and not _past(tokens[start]):
        return "agreement"
    if "modality" in guards and sc.end < hi and tokens[sc.end] in _PLAN_NOUNS:
        return "modality"  # "a force drawdown plan", "the withdrawal timetable": a plan, not a move (F8/F10)
    if (
        "agreement" in guards
        and (not _past(tokens[start]) or tokens[start - 1] == "be")  # "will be deployed" is future
        and any(t in _FUTURE for t in tokens[max(lo, start - 3) : start])
        and AS_PLANNED.occurs(tokens, sc.end, hi)
    ):
        return "agreement"  # "the rest will return to China on December 15 as planned": a plan (F10)
    if "agreement" in guards and _forces_due_by(tokens, (lo, hi), sc):
        return "agreement"  # "all NATO combat troops will leave by December": a timetable's terms (F10)
    if "background" in guards and _event_named_as_time(tokens, lo, start):
        return "background"  # "deployed in the Arabian Sea after the attack": the attack is a time (C6/C9)
    if "background" in guards and _participle_of_background(tokens, lo, start):
        return "background"  # "the war began when militants attacked, killing 1,200": the same act (C6)
    if "background" in guards and BACKGROUND_AFTER.occurs(tokens, sc.end, _clause_end(tokens, sc.end, hi)):
        return "background"  # "killed in Gaza since the war began", "killed in earlier strikes" (C6)
    if "background" in guards and _not_an_act(tokens, lo, hi, start, sc.end):
        return "background"  # "the earthquake that struck", "after bombing ..., declared a ceasefire" (C5/C6)
    if "denial" in guards and _reports_denied(tokens, lo, start):
        return "denial"  # "dismissed the claims made by its media that Pakistani forces had violated" (C7)
    if "hypothetical" in guards and DENIED_AFTER.occurs(tokens, sc.end, min(hi, sc.end + 6)):
        return "denial"  # "reports of truce violations were fabricated", "claims of a breach baseless" (C7)
    if "hypothetical" in guards and RARE_AFTER.occurs(tokens, sc.end, min(hi, sc.end + 6)):
        return "negation"  # "violations of the truce have been rare": the truce holds (C10)
    if (
        "hypothetical" in guards
        and tokens[start] in _BREACH_NOUNS
        and any(t in _FUTURE_AFTER for t in tokens[sc.end : _clause_end(tokens, sc.end, min(hi, sc.end + 6))])
    ):
        return "hypothetical"  # "violations of the truce will be reported to the commission" (C8)
    if "hypothetical" in guards and _purpose(tokens, lo, start):
        return "hypothetical"  # "sending troops to fight alongside M23": a purpose, not an attack (C8)
    warned_from = _quoted_clause_start(tokens, lo, start) if "hypothetical" in guards else start
    if _WARNED.occurs(tokens, warned_from, start) and _modal_besides(tokens, warned_from, start, _WARNED):
        return "hypothetical"  # 'warned "of violations of the ceasefire"': a quote does not end the warning
    if "status_quo" in guards and _posted_subject(tokens, lo, hi, start, sc.end):
        return "status_quo"  # "Troops deployed in the area are on high alert": forces where they are (F11)
    if (
        "status_quo" in guards
        and tokens[start] in _POSTED
        and start > lo
        and tokens[start - 1] in ("is", "are")
        and (sc.end >= hi or tokens[sc.end] != "to")
    ):
        return "status_quo"  # "10,000 UN troops are stationed in Lebanon": where they are (F11)
    if (
        "status_quo" in guards
        and tokens[start] in _POSTED
        and tuple(tokens[max(lo, start - 2) : start]) == _PLUPERFECT
        and not any(tokens[j] in _SAID for j in range(lo, start - 2))
    ):
        # "the division had been deployed to northern Gaza": background (F11); after "said (that)"
        # the pluperfect is reported speech's shift of "have been deployed": news (F1)
        return "status_quo"
    if "status_quo" in guards and _past_record(tokens, lo, hi, sc):
        return "status_quo"  # "China first sent peacekeepers there in May 2006": the record (F11)
    return None


_FUTURE = frozenset({"will", "would", "shall", "to"})
_PLAN_NOUNS = frozenset({"plan", "plans", "proposal", "proposals", "timetable", "timeline", "scheme"})
_FORCE_NOUN = frozenset(
    {
        "troops",
        "forces",
        "soldiers",
        "peacekeepers",
        "contingent",
        "contingents",
        "units",
        "personnel",
        "army",
    }
)
_BARE_WITHDRAW = frozenset({"withdraw", "leave", "exit", "depart", "return"})
_DEADLINE = frozenset({"by", "until", "before", "within"})
_WITHDRAW_VERBS = ("withdr", "leav", "left", "pull", "exit", "depart", "return")


def _forces_due_by(tokens: Sequence[str], bounds: tuple[int, int], sc: Scope) -> bool:
    """ "The peacekeepers will gradually withdraw until a final departure date", "all troops will
    leave by December": the forces themselves are the subject of "will" and a deadline follows. No
    contributor states its decision; the sentence gives a plan's or mandate's timetable (GUIDELINE
    F10), unlike "Estonia will withdraw its contingent" (a named state commits, F2)."""
    lo, hi = bounds
    if not tokens[sc.start].startswith(_WITHDRAW_VERBS):
        return False
    k = sc.start - 1
    if k > lo and tokens[k].endswith("ly"):
        k -= 1  # "will gradually withdraw"
    if k > lo and tokens[k] == "be":
        k -= 1  # "all units will be withdrawn"
    if tokens[k] in _FORCE_NOUN and tokens[sc.start] in _BARE_WITHDRAW:
        # "after the last foreign troops withdraw by year-end": a bare verb with its deadline
        return any(tokens[j] in ("by", "until", "within") for j in range(sc.end, min(hi, sc.end + 4)))
    if k <= lo or tokens[k] != "will" or tokens[k - 1] not in _FORCE_NOUN:
        return False
    if any(tokens[j] in _SAID for j in range(lo, hi)):
        return False  # "troops will be withdrawn by the end of May, the official told AFP": stated (F2)
    for j in range(sc.end, hi):
        if tokens[j] in _DEADLINE:
            return True
        nxt = tokens[j + 1] if j + 1 < hi else ""
        if tokens[j] == "in" and (nxt in _MONTHS or (len(nxt) == 4 and nxt.isdigit())):
            return True  # "will be withdrawn ... in April"
    return False


_RECORD = term_list(
    [
        "=first sent", "=first deployed", "=first arrived", "=first dispatched", "=first landed",
        "=first stationed", "=were first", "=was first", "=initially deploying",
        "=initially deployed", "=twice", "=three times",
    ]
)  # fmt: skip


def _past_record(tokens: Sequence[str], lo: int, hi: int, sc: Scope) -> bool:
    """A contributor's record rather than a movement now (GUIDELINE F11): "first sent ... in 2006",
    "has deployed twice to Iraq", "have been stationed there since 2015", "In November 2007 and July
    2008, China sent ..."."""
    if _RECORD.occurs(tokens, lo, hi):
        return True
    for j in range(lo, hi - 1):
        nxt = tokens[j + 1]
        if tokens[j] == "since" and len(nxt) == 4 and nxt.isdigit():
            return True  # "since 2004": a standing contribution
    if _dated_aside(tokens, hi, sc):
        return True
    # a clause that opens on a month and year: "In November 2007 and July 2008, China sent ..."
    k = sc.clause_start
    return (
        k > lo + 3
        and tokens[k - 1] == ","
        and tokens[lo] == "in"
        and tokens[lo + 1] in _MONTHS
        and len(tokens[lo + 2]) == 4
        and tokens[lo + 2].isdigit()
    )


_ASIDE = frozenset({"who", "which"})


def _dated_aside(tokens: Sequence[str], hi: int, sc: Scope) -> bool:
    """ "Putin, who ordered troops into Ukraine in February 2022, ordered ...": a movement in a
    relative aside that names its year describes the subject's past, not news now (F11)."""
    k = sc.clause_start
    if k < 2 or tokens[k - 1] != "," or tokens[k] not in _ASIDE:
        return False
    end = _clause_end(tokens, sc.end, hi)
    return any(len(t) == 4 and t.isdigit() and t[:2] in ("19", "20") for t in tokens[sc.end : end])


_SPEECH = frozenset({"said", "says", "told", "announced", "stated", "confirmed", "noted", "added"})
_WITNESSING = frozenset({"observed", "saw", "witnessed", "watched", "filmed"})
_DURATION = frozenset({"years", "decades", "centuries"})
_SPAN_START = frozenset({"last", "past"})


def _speaker_only(tokens: Sequence[str], terms: TermList, span: tuple[int, int], start: int) -> bool:
    """ "The envoy said that the military's withdrawal has started": the non-military word is the
    speaker, before a verb of saying; the thing said is not its own deployment (GUIDELINE F13)."""
    hits = [p for p, _ in terms.find(tokens, *span)]
    # "told journalists that ...": the audience, not the actor
    hits = [
        p
        for p in hits
        if not _military_team(tokens, p)
        and not (p and tokens[p - 1] in ("told", "briefed"))
        # "Reuters journalists observed government forces deploying": the witnesses, not the actors
        and not (p + 1 < len(tokens) and tokens[p + 1] in _WITNESSING)
        # "police officers who are trained in crowd control": a skill of the force, not a training offer
        and not (tokens[p] == "trained" and p + 1 < len(tokens) and tokens[p + 1] in ("in", "for"))
    ]
    if not hits:
        return True  # only "a team of peacekeepers", "the peacekeeping team": military after all
    if any(p >= start for p in hits):
        return False
    last = max(hits)
    return any(tokens[k] in _SPEECH for k in range(last + 1, start))


_GERUNDS = frozenset(
    {"sending", "deploying", "dispatching", "stationing", "redeploying", "contributing", "committing"}
)
_GERUND_OPENERS = frozenset({"that", "therefore", "and", "thus", "so"})
_MODALS = frozenset({"will", "would", "should", "could", "may", "might", "must", "can"})


def _gerund_subject(tokens: Sequence[str], lo: int, hi: int, start: int, end: int) -> bool:
    """A movement verb as the subject of a modal: "Sending this frigate will be a turning point",
    "Macron said that sending in ground troops should not be ruled out". The sentence weighs the
    idea of a deployment (GUIDELINE F8); nobody is said to send anyone."""
    if tokens[start] not in _GERUNDS:
        return False
    if start > lo and tokens[start - 1] not in CLAUSE_BREAKS and tokens[start - 1] not in _GERUND_OPENERS:
        return False
    stop = _clause_end(tokens, end, hi)
    return any(tokens[k] in _MODALS for k in range(end, min(stop, end + 10)))


_INDEFINITE = frozenset({"a", "an"})
_FORCE_NOUNS = frozenset({"force", "mission"})
_FUTURE_BE = frozenset({"will", "would", "to", "could", "should", "might"})


def _unnamed_force_future(tokens: Sequence[str], lo: int, start: int) -> bool:
    """ "an international force will be deployed", "a stabilisation mission is to be sent": a force
    that no one has yet formed or pledged is the subject of a future passive (GUIDELINE F8/F10)."""
    if start - lo < 4 or tokens[start - 1] != "be" or tokens[start - 2] not in _FUTURE_BE:
        return False
    k = start - 3
    if tokens[k] == "is" and tokens[start - 2] == "to":
        k -= 1
    if tokens[k] not in _FORCE_NOUNS:
        return False
    return any(tokens[j] in _INDEFINITE for j in range(max(lo, k - 4), k))


_TEAM_OF = frozenset(
    {
        "military", "army", "observer", "observers", "monitoring", "navy", "naval", "combat", "soldiers",
        "troops", "advance", "forces", "officers", "marines", "commandos", "paratroopers",
    }
)  # fmt: skip


def _military_team(tokens: Sequence[str], at: int) -> bool:
    """ "A UN peacekeeping team", "the new team of peacekeepers": a team that is a military unit."""
    if tokens[at] != "team":
        return False
    # "a team of 140 Chinese peacekeepers", "a team of Kenyan special forces officers"
    near = [*tokens[max(0, at - 2) : at], *tokens[at + 1 : at + 5]]
    return any(t.startswith("peacekeep") or t in _TEAM_OF for t in near)


_MONTHS = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec",
    }
)  # fmt: skip


def _years_span(tokens: Sequence[str], lo: int, hi: int) -> bool:
    """ "in the last fifty years", "over the past two decades", "as of 2023" / "as of June": a
    long-run tally or a count at a date, not a movement (F11); "as of midday" is only a time."""
    for k in range(lo, hi - 2):
        if tokens[k] == "as" and tokens[k + 1] == "of":
            nxt = tokens[k + 2]
            if (len(nxt) == 4 and nxt.isdigit()) or nxt in _MONTHS:
                return True
    for k in range(max(lo, 1), hi - 2):
        if tokens[k] in _SPAN_START and tokens[k - 1] == "the" and tokens[k + 2] in _DURATION:
            return True
    return False


_PURPOSE_TRAIN = term_list(["=to train", "=to help train", "=for training", "=to mentor"])
_POLICE_TRAINED = frozenset({"police", "policemen", "policewomen", "gendarmerie", "gendarmes", "cadets"})


def _trains_police(tokens: Sequence[str], lo: int, hi: int) -> bool:
    """ "send 150 carabinieri to train the police", "officers to help train Gaza's police force": an
    offer to train a police force (GUIDELINE F13). Soldiers sent to train another army ("to help
    train the UAE's special forces", "instructors ... will train Nigerien troops") are moved all the
    same (F1, F2)."""
    return any(
        not _POLICE_TRAINED.isdisjoint(tokens[at : min(hi, at + n + 6)])
        for at, n in _PURPOSE_TRAIN.find(tokens, lo, hi)
    )


def _clause_end(tokens: Sequence[str], start: int, hi: int) -> int:
    j = start
    while j < hi and tokens[j] not in CLAUSE_BREAKS:
        j += 1
    return j


_NONE_SUBJECT = frozenset({"none", "neither", "nobody"})


def _none_of_subject(tokens: Sequence[str], lo: int, start: int) -> bool:
    """A sentence whose subject is "none of ..."/"neither of ...": its verb is negated however long
    the subject, as long as no clause break comes between (commas of an aside aside: "Neither Egypt
    nor Jordan, both close to the talks, will contribute soldiers")."""
    if tokens[lo] not in _NONE_SUBJECT:
        return False
    between = tokens[lo:start]
    if sum(t == "," for t in between) > 2:
        return False
    return not any(t in CLAUSE_BREAKS and t != "," for t in between)


_ASIDE_GUARDS: tuple[tuple[GuardName, TermList], ...] = (("negation", NEGATION), ("denial", DENIAL))
_ASIDE_MAX = 6  # tokens between two commas that make an aside ("at this point", "in a statement")


def _before_aside(tokens: Sequence[str], lo: int, clause: int, terms: TermList) -> bool:
    """The clause before the trigger begins after a short aside between commas; the words before the
    aside are the same clause: "there are no plans, at this point, to deploy troops", "Russia denied
    on Monday, in a statement, that it had moved troops" (F7)."""
    if clause - lo < 3 or tokens[clause - 1] != ",":
        return False
    j = clause - 2
    while j > lo and clause - j <= _ASIDE_MAX + 1 and tokens[j] not in CLAUSE_BREAKS:
        j -= 1
    if tokens[j] != "," or clause - j > _ASIDE_MAX + 1:
        return False
    k = j
    while k > lo and j - k < WINDOW and tokens[k - 1] not in CLAUSE_BREAKS:
        k -= 1
    return terms.occurs(tokens, k, j)


def _negated_after(tokens: Sequence[str], sc: Scope) -> bool:
    """ "sent no troops", "deployed none"."""
    return any(tokens[k] in ("no", "none", "nobody") for k in range(sc.end, min(sc.after_end, sc.end + 2)))


_ACCUSE_VERBS = term_list(["accuse", "blame", "condemn", "slam"])


def _accuses_as_well(tokens: Sequence[str], lo: int, hi: int) -> bool:
    """A denial that also accuses ("rejects the claims and accuses X of violating it") is an
    accusation; "dismissed allegations of violations" (a noun) stays a denial."""
    return _ACCUSE_VERBS.occurs(tokens, lo, hi)


_SAID = frozenset({"said", "says", "announced", "confirmed", "stated", "declared", "told", "pledged"})
_SELF = frozenset({"it", "they", "he", "she", "we"})
_SPEAKERS_OWN = frozenset({"his", "her", "its", "their", "our"})
_CONDITION = frozenset({"if", "unless", "provided", "once"})


def _reported_commitment(tokens: Sequence[str], lo: int, hi: int, terms: TermList) -> bool:
    """ "Morocco said it would commit 1,000 troops": "would" reports the speaker's own commitment
    (GUIDELINE F2), not a hypothetical, when it follows "said it/they" and nothing else is modal."""
    for i in range(lo, hi):
        if tokens[i] != "would" or i - lo < 2:
            continue
        if tokens[i - 1] not in _SELF and not (
            tokens[i - 1] in _FORCE_SUBJECT and tokens[i - 2] in _SPEAKERS_OWN
        ):
            continue  # "said it would", or the speaker's own forces: "Barak said his army would"
        # "said it would", "said on Wednesday that they would", "told CNN they would"
        for j in range(i - 2, max(lo, i - 7) - 1, -1):
            if tokens[j] in _SAID:
                conditional = not _CONDITION.isdisjoint(tokens[i + 1 : i + 12])  # "would withdraw only if"
                return not (conditional or terms.occurs(tokens, lo, j) or terms.occurs(tokens, i + 1, hi))
        return False
    return False


_AUTHORITY = frozenset(
    {
        "army",
        "military",
        "idf",
        "pentagon",
        "commander",
        "command",
        "ministry",
        "kremlin",
        "secretary",
        "chief",
    }
)
_AUDIENCE = frozenset({"reporters", "journalists", "media", "press", "state", "lawmakers", "parliament"})


def _talks_before(tokens: Sequence[str], lo: int, hi: int) -> bool:
    """Talks about a contribution before the trigger (F8); "speaking to reporters", "talking to the
    press" is how the statement was made, not talks with a contributor."""
    if not TALKS.occurs(tokens, lo, hi):
        return False  # the common case, from the sentence's kept matches
    for p, n in TALKS.find(tokens, lo, hi):
        k = p + n + 1 if p + n < hi and tokens[p + n] == "the" else p + n  # "talking to the press"
        if tokens[p] in ("speaking", "talking", "spoken", "talked") and k < hi and tokens[k] in _AUDIENCE:
            continue
        return True
    return False


_FORCE_SUBJECT = frozenset(
    {
        "army", "military", "troops", "forces", "soldiers", "idf", "contingent", "police", "battalions",
        "units", "marines", "peacekeepers", "administration",
    }
)  # fmt: skip


def _authority_statement(tokens: Sequence[str], lo: int, clause: int, hi: int, terms: TermList) -> bool:
    """ "Israeli army spokesperson X told reporters that the army would withdraw": a commanding
    authority states its own forces' next move (GUIDELINE F2), when the speaker before the verb of
    saying is military and the subject after it is the forces; nothing else in the clause is modal."""
    for i in range(max(clause, lo + 3), hi):
        if tokens[i] not in ("would", "will") or tokens[i - 1] not in _FORCE_SUBJECT:
            continue
        j = i - 2
        while j > i - 6 and j > lo and tokens[j] not in _SAID and tokens[j] not in CLAUSE_BREAKS:
            j -= 1  # "announced that coalition forces would", "said army troops and police would"
        if tokens[j] not in _SAID and not (tokens[j] == "reporters" and tokens[j - 1] == "told"):
            return False
        said_at = j if tokens[j] in _SAID else j - 1
        if not any(tokens[k] in _AUTHORITY for k in range(lo, said_at)):
            return False
        if not _CONDITION.isdisjoint(tokens[i + 1 : i + 12]):
            return False  # "would withdraw only if the attacks stopped": an offer on a condition (F3)
        return not (terms.occurs(tokens, clause, said_at) or terms.occurs(tokens, i + 1, hi))
    return False


_MONTH_BEFORE = frozenset(
    {"in", "since", "early", "late", "mid", "last", "until", "by", "of", "on", "from", "through", "this"}
)
_ESTIMATE_AFTER = frozenset({"total", "number", "reach", "comprise", "grow", "exceed"})
_PLAN_OWNED = frozenset({"announced", "disclosed", "unveiled", "prepared", "also", "finalised", "finalized"})
_CUT_VERBS = frozenset({"reduce", "remove", "cut", "leave", "return"})
_OWN = frozenset({"its", "their", "our"})
_STATE_SUBJECT = frozenset(STATES) | frozenset({"pentagon", "nato", "un"})
_NAMED_SUBJECT = _STATE_SUBJECT | frozenset(ACTORS)


def _named_is_to(tokens: Sequence[str], lo: int, start: int, terms: TermList) -> bool:
    """ "Britain is to send 500 more troops to Estonia": a named contributor "is to" move forces, its
    announced decision (F2); "Israeli troops are to withdraw" (the forces, under some deal) stays F10."""
    if start - lo < 3 or tokens[start - 1] != "to" or tokens[start - 2] not in ("is", "are"):
        return False
    one = tokens[start - 3]
    two = " ".join(tokens[max(lo, start - 4) : start - 2])
    if one not in _STATE_SUBJECT and two not in _STATE_SUBJECT:
        return False
    return not terms.occurs(tokens, lo, start - 3)


def _own_plan(tokens: Sequence[str], plans: int, verb: int) -> bool:
    """ "The United States plans to withdraw its remaining troops from Syria", "UNIFIL plans to
    withdraw most of its troops": a named contributor's plan for its own forces is its commitment
    (GUIDELINE F2); "the government plans to ...", or a plan for a force not its own, stays F8."""
    one = tokens[plans - 1]
    two = " ".join(tokens[max(0, plans - 2) : plans])
    if one not in _NAMED_SUBJECT and two not in _NAMED_SUBJECT:
        return False
    if any(t in _OWN for t in tokens[verb + 1 : verb + 5]):
        return True
    # "the U.S. plans to withdraw a third of the 36,000 American troops": its forces by their demonym
    state = STATES.get(two) or STATES.get(one)
    return state is not None and any(STATES.get(t) == state for t in tokens[verb + 1 : verb + 9])


_WHEN_WORDS = frozenset(
    {
        "on", "last", "this", "late", "early", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "today", "yesterday", "week", "month",
    }
)  # fmt: skip
_DEPLOY_BARE = frozenset({"deploy", "redeploy"})
_BE = frozenset({"is", "are", "was", "were"})
_MOVERS = frozenset(
    {
        "troops", "forces", "soldiers", "peacekeepers", "contingent", "contingents", "units", "personnel",
        "members", "marines", "observers", "battalion", "brigade", "officers", "police", "team",
    }
)  # fmt: skip
_MOVE_VERBS = frozenset({"send", "deploy", "withdraw", "contribute", "dispatch", "pull", "station"})
_LOGISTICS = frozenset({"arrive", "depart", "leave", "land", "fly", "return", "reach"})
_SAID_MORE = frozenset(
    {"added", "said", "says", "noted", "stated", "claimed", "alleged", "accused", "explained"}
)


_THREAT_CAUSE = frozenset({"by", "following", "after", "amid", "as"})


def _not_modal(tokens: Sequence[str], i: int) -> bool:
    """Modal-looking words that are not modal: the month ("in May", "May 12") and an expected size
    ("a battalion expected to total 750": the number is estimated, the arrival is reported)."""
    tok = tokens[i]
    if tok == "may":
        before = tokens[i - 1] if i else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        return before in _MONTH_BEFORE or after[:1].isdigit()
    if tok == "expected" and i + 1 < len(tokens) and tokens[i + 1][:1].isdigit():
        return True  # "the first of an expected 150 Guard troops began arriving": a size estimated
    if tok in ("expected", "due") and i + 2 < len(tokens) and tokens[i + 1] == "to":
        # "expected to total 750": the size is estimated; "due to arrive", "expected to land": the
        # timetable of a movement under way (GUIDELINE F1 in transit), not a maybe about who sends
        if tokens[i + 2] in _ESTIMATE_AFTER or tokens[i + 2] in _LOGISTICS:
            return True
        # "2,000 additional service members are expected to deploy to the border": the forces
        # themselves are the subject, their move is timed; "Indonesia is expected to deploy" stays F8
        # "troops expected to deploy this month will be stationed ...": the same, as a reduced relative
        return tokens[i + 2] in _DEPLOY_BARE and (
            (i >= 2 and tokens[i - 1] in _BE and tokens[i - 2] in _MOVERS)
            or (i >= 1 and tokens[i - 1] in _MOVERS)
        )
    if tok in ("plan", "plans") and i and i + 2 < len(tokens):
        # "Kazakhstan announced plans to send troops": the contributor's own announced plan (F2/F3);
        # a bare "the US plans to send" stays a plan (F8); "disclosed plans on Wednesday to send"
        j = i + 1
        while j < min(len(tokens) - 1, i + 4) and tokens[j] in _WHEN_WORDS:
            j += 1
        if tokens[j] != "to" or j + 1 >= len(tokens) or tokens[j + 1] not in _MOVE_VERBS | _CUT_VERBS:
            return False
        return (_plan_owned(tokens, i) and tokens[j + 1] in _MOVE_VERBS) or _own_plan(tokens, i, j + 1)
    if tok == "scheduled" and i + 2 < len(tokens) and tokens[i + 1] == "to":
        return tokens[i + 2] in _LOGISTICS  # "scheduled to arrive": a timetable, not a maybe
    if tok == "further":  # "the statement further added that ...": discourse, not "any further violations"
        return i + 1 < len(tokens) and tokens[i + 1] in _SAID_MORE
    if tok == "threatened":
        # "the truce is threatened as Hamas cites Israeli violations": the truce is at risk, the
        # violations are reported; "threatened to violate" stays a threat (C8)
        if i > 0 and tokens[i - 1] in _TRUCE_WORDS and i + 1 < len(tokens) and tokens[i + 1] in _THREAT_CAUSE:
            return True  # a headline's "Ukraine ceasefire threatened following shelling": the acts happened
        return i > 0 and tokens[i - 1] in _BE and (i + 1 >= len(tokens) or tokens[i + 1] != "to")
    return False


def _plan_owned(tokens: Sequence[str], i: int) -> bool:
    """ "announced plans", "announced on October 28 plans", "moved forward with plans": the plans at
    ``i`` are the speaker's own, announced or under way, not a plan others have for it (F2)."""
    k = i - 1
    while k > 0 and i - k <= 4 and (tokens[k] in _WHEN_WORDS or tokens[k] in _MONTHS or tokens[k].isdigit()):
        k -= 1
    return tokens[k] in _PLAN_OWNED or (k > 0 and tokens[k] == "with" and tokens[k - 1] in _PLAN_AHEAD)


_PLAN_AHEAD = frozenset({"forward", "ahead"})


_REPORT_NOUNS = frozenset(
    {"claims", "claim", "reports", "report", "allegations", "allegation", "accusations", "suggestions"}
)
_DISMISSING = ("dismiss", "rubbish", "slam", "reject", "refut", "deni", "deny", "rebut", "debunk")


def _reports_denied(tokens: Sequence[str], lo: int, start: int) -> bool:
    """ "The army dismissed the claims made by its own media that Pakistani forces had violated the
    ceasefire", "Army rubbishes media reports of ceasefire violation": the breach is what the
    reports say, and the reports are what a party dismisses (GUIDELINE C7). A dismissing verb, at
    most four words before the reports it governs, up to sixteen words before the breach."""
    for k in range(start - 1, max(lo, start - 16) - 1, -1):
        if tokens[k] in _REPORT_NOUNS:
            return any(tokens[j].startswith(_DISMISSING) for j in range(max(lo, k - 4), k))
        if tokens[k] in CLAUSE_BREAKS or tokens[k] in _SAYING or tokens[k].startswith("accus"):
            # "rejects the claims, accusing Israel of renewed strikes", "rejected India's accusations
            # and said Indian forces had violated the ceasefire": the party's own charge
            return False
    return False


_COMPARED = frozenset({"less", "fewer", "more"})


def _counts_only(tokens: Sequence[str], lo: int, hi: int, terms: TermList) -> bool:
    """ "No less than 242 breaches of the cessation of hostilities": every negation word in [lo, hi)
    is part of a count ("no less than", "not fewer than"), which reports the breaches (C2)."""
    return all(
        tokens[p] in ("no", "not")
        and p + 2 < len(tokens)
        and tokens[p + 1] in _COMPARED
        and tokens[p + 2] == "than"
        for p, _ in terms.find(tokens, lo, hi)
    )


def _modal_besides(tokens: Sequence[str], lo: int, hi: int, terms: TermList) -> bool:
    """Whether ``terms`` occur in [lo, hi) outside the words ``_not_modal`` excuses."""
    skip = [
        i
        for i in range(lo, hi)
        if tokens[i] in ("may", "expected", "due", "further", "scheduled", "plan", "plans", "threatened")
        and _not_modal(tokens, i)
    ]
    if not skip:
        return True
    edges = [lo, *[k for i in skip for k in (i, i + 1)], hi]
    return any(terms.occurs(tokens, a, b) for a, b in zip(edges[::2], edges[1::2], strict=True) if a < b)


def _rest_of_contingent(tokens: Sequence[str], lo: int, hi: int, terms: TermList) -> bool:
    """ "The remaining Beninese soldiers are due to arrive": "the remaining" names the rest of a
    contingent on the move (F1), not a presence that stays (F11); no other status word is there."""
    spots = [
        i
        for i in range(lo + 1, hi)
        if tokens[i] == "remaining" and tokens[i - 1] in ("the", "its", "their", "all")
    ]
    if not spots:
        return False
    edges = [lo, *[k for i in spots for k in (i, i + 1)], hi]
    return not any(terms.occurs(tokens, a, b) for a, b in zip(edges[::2], edges[1::2], strict=True) if a < b)


_CONTINUE = frozenset({"continue", "continues", "continued", "continuing"})
_ONGOING_VERBS = ("deploy", "send", "sent", "arriv", "withdr", "pull", "pour", "dispatch", "redeploy", "mov")


def _ongoing_move(tokens: Sequence[str], lo: int, hi: int, terms: TermList) -> bool:
    """ "Israel continues to deploy soldiers near the border", "troops continued to arrive": the
    movement itself goes on (F1/F6), unlike a presence that continues (F11); ``hi`` is the trigger,
    "continue to" is right before it and no other status word is in the clause."""
    if hi - lo < 2 or tokens[hi - 1] != "to" or tokens[hi - 2] not in _CONTINUE:
        return False
    if not tokens[hi].startswith(_ONGOING_VERBS):
        return False
    return not terms.occurs(tokens, lo, hi - 2)


def _event_named_as_time(tokens: Sequence[str], lo: int, start: int) -> bool:
    """The kinetic trigger is the noun of "after the attack", "following the strikes": a past event
    that dates another one, not an act reported here (C1 needs the act itself)."""
    if tokens[start] not in _PAST_EVENT:
        return False
    return any(p + n >= start - 1 for p, n in BACKGROUND_EVENT.find(tokens, max(lo, start - 6), start))


_MAIN_VERBS = frozenset(
    {"is", "are", "was", "were", "has", "have", "had", "remain", "remains", "remained", "came", "come"}
)


def _posted_subject(tokens: Sequence[str], lo: int, hi: int, start: int, end: int) -> bool:
    """ "Troops deployed in the area are on high alert", "soldiers stationed at the base came under
    fire": a posting participle after the forces, in a subject that a main verb of its own follows,
    names forces by where they are (F11/F12); "US troops deployed to Poland" (a headline) moves them."""
    if tokens[start] not in _POSTED or start == lo or tokens[start - 1] not in _FORCE_NOUN | {"marines"}:
        return False
    stop = _clause_end(tokens, end, hi)
    return any(tokens[k] in _MAIN_VERBS for k in range(end, min(stop, end + 8)))


_QUOTES = frozenset({'"', "“", "”"})
_POSTED = frozenset({"deployed", "stationed", "positioned"})
_PLUPERFECT = ("had", "been")
_FIRED = frozenset(
    {
        "shelled",
        "struck",
        "fired",
        "attacked",
        "bombed",
        "bombarded",
        "killed",
        "shot",
        "opened",
        "raided",
        "targeted",
    }
)


def _fires_after(tokens: Sequence[str], at: int, hi: int) -> bool:
    """Whether a past-tense act of force follows within six tokens of a posting participle."""
    return any(tokens[j] in _FIRED for j in range(at, min(hi, at + 6)))


_CARRIED_OUT = frozenset(
    {"strikes", "strike", "attacks", "attack", "drone", "airstrikes", "operations", "raids", "over"}
)


def _carried_out_only(tokens: Sequence[str], lo: int, hi: int, terms: TermList) -> bool:
    """ "executed over 900 drone strikes": "executed" means carried out; no other internal word counts."""
    spots = [
        i
        for i in range(lo, hi)
        if tokens[i].startswith("execut") and i + 1 < hi and tokens[i + 1] in _CARRIED_OUT
    ]
    if not spots:
        return False
    edges = [lo, *[k for i in spots for k in (i, i + 1)], hi]
    return not any(terms.occurs(tokens, a, b) for a, b in zip(edges[::2], edges[1::2], strict=True) if a < b)


def _modal_before_quote(tokens: Sequence[str], lo: int, sc: Scope) -> bool:
    """A modal right before an opening quotation mark that the trigger's clause begins after."""
    k = sc.clause_start
    if k - lo < 2 or tokens[k - 1] not in _QUOTES:
        return False
    qs = _quoted_clause_start(tokens, lo, sc.start)
    return qs < k - 1 and MODALITY.occurs(tokens, max(qs, k - 4), k - 1)


def _quoted_clause_start(tokens: Sequence[str], lo: int, start: int) -> int:
    """The clause before ``start`` as ``scope`` finds it, but reading through quotation marks."""
    i = start
    while i > lo and start - i < WINDOW and (tokens[i - 1] not in CLAUSE_BREAKS or tokens[i - 1] in _QUOTES):
        i -= 1
    return i


def _past(token: str) -> bool:
    return token.endswith(PAST_TENSE_SUFFIXES)


def target_use(tokens: Sequence[str], at: int, lo: int) -> bool:
    """Troops at ``at`` appear as a target or combatant ("attacks on its forces", "fired at troops")."""
    return TARGET.occurs(tokens, max(lo, at - 4), at)


def status_of(tokens: Sequence[str], lo: int, trigger: int) -> EventStatus:
    """Attribution of an unguarded statement: accused, claimed, else reported (denials are guarded)."""
    for status, terms in ATTRIBUTION[1:]:
        if terms.occurs(tokens, lo, trigger):
            return status
    return "reported"


_YEAR_BEFORE = frozenset({"in", "since", "of", "during", "early", "late", "mid", "until", "by", "from"})
_MONTH_NUMBER = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}  # fmt: skip
RECORD_AGE_DAYS = 300
"""A movement the sentence dates this long before the item was published is a record, not news (F11)."""


# words that open another clause, whose date is its own: "sending troops because ... since July 2011"
_SUBORDINATORS = frozenset(
    {"because", "since", "after", "when", "while", "following", "before", "until", "as", "which", "who"}
)


def _clause_bounds(tokens: Sequence[str], lo: int, hi: int, start: int, end: int) -> tuple[int, int]:
    """The trigger's own clause: back and on to clause punctuation or a subordinating word."""
    i = start
    while i > lo and tokens[i - 1] not in CLAUSE_BREAKS and tokens[i - 1] not in _SUBORDINATORS:
        i -= 1
    j = end
    while j < hi and tokens[j] not in CLAUSE_BREAKS and tokens[j] not in _SUBORDINATORS:
        j += 1
    return i, j


def _dates_in(tokens: Sequence[str], a: int, b: int) -> list[tuple[int, int]]:
    """(year, month) of each date the tokens [a, b) write: "in August 2020", "December 2003",
    "in 2003" (its December); a bare number is no year. ("Last year" is left alone: "with Jordan
    pulling out last year" still reports the pull-out that left the mission short.)"""
    out: list[tuple[int, int]] = []
    for k in range(a, b):
        tok = tokens[k]
        prev = tokens[k - 1] if k > a else ""
        if len(tok) == 4 and tok.isdigit() and tok[:2] in ("19", "20"):
            if prev in _MONTH_NUMBER:
                out.append((int(tok), _MONTH_NUMBER[prev]))
            elif prev in _YEAR_BEFORE:
                out.append((int(tok), 12))
    return out


def dated_long_before(
    tokens: Sequence[str], bounds: tuple[int, int], trigger: tuple[int, int], published: date
) -> bool:
    """Whether the trigger's clause (or a sentence-opening date phrase) dates the movement more than
    RECORD_AGE_DAYS before ``published``: "They were deployed to Darfur in August 2020" in a 2021
    report, "China joined the mission in December 2003" in 2008 (GUIDELINE F11)."""
    lo, hi = bounds
    start, length = trigger
    a, b = _clause_bounds(tokens, lo, hi, start, start + length)
    spans = [(a, b)]
    if tokens[lo] in ("in", "during", "by") and a > lo:
        spans.append((lo, _clause_end(tokens, lo, hi)))  # "In August 2020, 140 engineers were sent ..."
    for x, y in spans:
        for year, month in _dates_in(tokens, x, y):
            if year > published.year or (published - date(year, month, 28)).days <= RECORD_AGE_DAYS:
                continue
            return True
    return False


_BREACH_WORDS = ("violat", "breach")
_STOP = frozenset({"stop", "stops", "stopped", "stopping", "cease", "end", "halt"})
_EXISTING = frozenset(
    {"these", "those", "repeated", "continued", "continuing", "ongoing", "persistent", "flagrant", "blatant"}
)
_NEGATED = frozenset({"not", "no", "never", "denied", "denies", "deny", "rejected", "rejects", "dismissed"})
_ACCUSING = ("accus", "alleg", "blam", "charg")
_NOT_PRESUPPOSED: tuple[GuardName, ...] = ("negation", "appeal")
_ACCUSED_OF: tuple[GuardName, ...] = ("appeal", "hypothetical", "modality")


def _waived(tokens: Sequence[str], lo: int, start: int) -> tuple[GuardName, ...]:
    """Guards that do not apply to a violation word (GUIDELINE C2) because of what governs it or what
    it is said to be ("these", "repeated", "flagrant" violations exist):
    "called on both sides to stop violating the truce" presupposes the violations (no negation,
    no appeal); "accusing the other side of ... any conditions of the agreement and a continual
    violation of the ceasefire" is an accusation whatever its object says (no appeal, modal or
    hypothetical reading), unless the accusation itself is denied."""
    if start > lo and (tokens[start - 1] in _STOP or tokens[start - 1] in _EXISTING):
        return _NOT_PRESUPPOSED  # "to address these violations", "an end to the repeated breaches"
    if "investigate" in tokens[max(lo, start - 5) : start] and _NEGATED.isdisjoint(tokens[lo:start]):
        return _NOT_PRESUPPOSED  # "demands Azerbaijan investigate border ceasefire violations" (C2)
    for k in range(start - 1, max(lo, start - 20) - 1, -1):
        if tokens[k].startswith(_ACCUSING) and tokens[k] not in ("charge", "charges"):
            # the accusation must govern the violation ("accusing X of ... violation"), undenied
            if "of" in tokens[k + 1 : start] and _NEGATED.isdisjoint(tokens[max(lo, k - 4) : k]):
                return _ACCUSED_OF
            return ()
    return ()


_WARNED = term_list(["warn", "=threatened", "threaten", "fear"])
_HAZARDS = frozenset(
    {
        "earthquake", "earthquakes", "quake", "quakes", "tremor", "aftershock", "aftershocks", "storm",
        "storms", "cyclone", "typhoon", "hurricane", "flood", "floods", "tsunami", "lightning", "landslide",
    }
)  # fmt: skip
_HAZARD_VERBS = frozenset({"struck", "strike", "strikes", "striking", "hit", "hits", "hitting"})
_AFTER = frozenset({"after", "following"})
_DECLARED = frozenset(
    {"declared", "declares", "announced", "announces", "agreed", "agrees", "signed", "accepted", "reached"}
)
_TRUCE_WORDS = frozenset({"ceasefire", "truce", "armistice", "cessation", "pause", "moratorium"})
_FIGHTERS = frozenset(
    {
        "groups", "rebels", "forces", "militias", "fighters", "factions", "armies", "parties", "sides",
        "insurgents", "militants", "troops", "soldiers", "those", "men",
    }
)  # fmt: skip
_FIGHTING_OBJECT = frozenset({"the", "a", "an", "against", "for", "alongside", "in", "on", "with"})


def _not_an_act(tokens: Sequence[str], lo: int, hi: int, start: int, end: int) -> bool:
    """A kinetic word that reports no act of a truce party during the truce (C5, C6):
    a natural hazard that "struck" ("the earthquake that struck the country"); an act in an
    "after ..." phrase before the truce the sentence declares ("After bombing the country, the
    military has declared a ceasefire"); "fighting" naming who actors are ("armed groups fighting
    the junta"); fighting that dates a truce ("a ceasefire that has held since fighting escalated")."""
    tok = tokens[start]
    if tok in _HAZARD_VERBS and any(t in _HAZARDS for t in tokens[max(lo, start - 3) : start]):
        return True
    for j in range(end, min(hi, end + 8)):
        if tokens[j] in CLAUSE_BREAKS:
            break
        if (
            (tokens[j] in _BEFORE_WORDS or (tokens[j] == "up" and tokens[j - 1] == "run"))
            and any(t in _TRUCE_WORDS for t in tokens[j + 1 : j + 5])
            and _TRUCE_ENDS.isdisjoint(tokens[j + 1 : j + 7])
        ):
            # "fought for four days before agreeing to a ceasefire", "in the run-up to the truce";
            # not "shelled the town for days before the truce collapsed" (C1, then C3)
            return True
    if start > lo and tokens[start - 1] in ("earlier", "previous", "past", "prior", "former"):
        return True  # "people killed in earlier strikes": attacks before the truce (C6)
    if start - lo >= 2 and tokens[start - 1] in _SPANS and tokens[start - 2] in _COUNTS:
        return True  # "Israel's two-year bombardment", "the 12-day war's strikes": a campaign's whole span
    if start > lo and tokens[start - 1] == "since":
        return True
    if (
        tok == "fighting"
        and start > lo
        and tokens[start - 1] in _FIGHTERS
        and end < hi
        and tokens[end] in _FIGHTING_OBJECT
    ):
        return True
    afters = [k for k in range(max(lo, start - 4), start) if tokens[k] in _AFTER]
    if afters and any(
        tokens[j] in _DECLARED and any(t in _TRUCE_WORDS for t in tokens[j + 1 : j + 5])
        for j in range(end, hi - 1)
    ):
        return True  # "after bombing the town, the military declared a ceasefire"
    for k in afters:
        # "The ceasefire deal was announced after two years of fighting", "came into force after"
        declared_before = (k > lo and tokens[k - 1] in _DECLARED) or (
            k - 1 > lo and (tokens[k - 1] in _TOOK_EFFECT or tokens[k - 2] in _DECLARED)
        )
        if declared_before and any(t in _TRUCE_WORDS for t in tokens[lo : k - 1]):
            return True
    return False


_TRUCE_ENDS = frozenset(
    {"collapsed", "ended", "broke", "expired", "unravelled", "unraveled", "fell", "lapsed", "crumbled"}
)
_BEFORE_WORDS = frozenset({"before", "ahead", "prior", "preceding", "preceded"})
_SPANS = frozenset({"year", "years", "month", "months", "week", "weeks", "day"})
_COUNTS = frozenset(
    {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "many", "several"}
    | {str(n) for n in range(2, 60)}
)
_TOOK_EFFECT = frozenset(
    {"effect", "force", "declared", "announced", "agreed", "signed", "reached", "brokered"}
)


_MILITIA = frozenset({"militia", "militias", "militiamen"})
_STATE_SIDE = frozenset(
    {"army", "troops", "soldiers", "military", "coalition", "government", "forces", "airstrikes", "jets"}
)


def _militia_at_war(tokens: Sequence[str], lo: int, hi: int, terms: TermList) -> bool:
    """ "Houthi militias began shelling government forces": militias fighting a state's forces are a
    truce party at war (C1), not internal violence (C9), when militia is the only internal word."""
    found = [tokens[p] for p, _ in terms.find(tokens, lo, hi)]
    return bool(found) and _MILITIA.issuperset(found) and not _STATE_SIDE.isdisjoint(tokens[lo:hi])


_PURPOSE_VERBS = frozenset(
    {"fight", "attack", "strike", "shell", "bomb", "raid", "kill", "seize", "capture", "storm", "target"}
)
_UNDER_WAY = (
    "continu", "began", "begin", "start", "resum", "tried", "try", "trying", "attempt", "sought", "seek",
    "went", "proceed", "moved", "set", "used", "rushed", "ordered",
)  # fmt: skip


def _purpose(tokens: Sequence[str], lo: int, start: int) -> bool:
    """ "accusing Rwanda of sending troops to fight alongside M23": the bare verb after "to" is what
    someone is for, not an act reported (C8); "began to shell", "tried to storm" report one (C1)."""
    return (
        start - lo >= 2
        and tokens[start] in _PURPOSE_VERBS
        and tokens[start - 1] == "to"
        and not tokens[start - 2].startswith(_UNDER_WAY)
    )


def _participle_of_background(tokens: Sequence[str], lo: int, start: int) -> bool:
    """ ", killing about 1,200 people" after a clause whose act is background: the participle is that
    act's outcome and shares its time (C6)."""
    if start - lo < 3 or tokens[start - 1] != "," or not tokens[start].endswith("ing"):
        return False
    i = start - 1
    while i > lo and start - i < 2 * WINDOW and tokens[i - 1] not in CLAUSE_BREAKS:
        i -= 1
    return BACKGROUND.occurs(tokens, i, start - 1)


# what a violation word is said to be after it: denied (C7), rare (C10)
DENIED_AFTER = term_list(
    ["=fabricated", "=baseless", "=unfounded", "=groundless", "=untrue", "=false", "=lies", "=a lie"]
)
RARE_AFTER = term_list(
    ["=been rare", "=were rare", "=remain rare", "=remained rare", "=are rare", "=been few"]
)
_BREACH_NOUNS = frozenset({"violation", "violations", "breach", "breaches"})
_FUTURE_AFTER = frozenset({"will", "would", "shall"})
