"""What a rule is: the YAML schema (validated strictly) and the compiled form the engine runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from monitor.models import Category, Severity
from monitor.rules.terms import TermList

GuardName = Literal[
    "negation",
    "denial",
    "modality",
    "appeal",
    "agreement",
    "target",
    "hypothetical",
    "internal",
    "status_quo",
    "non_military",
    "background",
]
"""Guards the engine applies around a rule's trigger; see monitor/rules/guards.py for what each catches."""

GUARDS: tuple[GuardName, ...] = GuardName.__args__  # type: ignore[attr-defined]

DEFAULT_GUARDS: dict[Category, tuple[GuardName, ...]] = {
    Category.CEASEFIRE_VIOLATION: ("negation", "denial", "hypothetical", "appeal", "internal", "background"),
    Category.FORCE_DEPLOYMENT: (
        "negation",
        "denial",
        "modality",
        "appeal",
        "agreement",
        "target",
        "status_quo",
        "non_military",
    ),
}
"""Guards a rule gets when it does not list its own (other categories: negation and denial)."""

Context = Literal["none", "truce", "truce_named", "headline", "subject"]
"""``truce``: the rule fires only when a truce is in force — named in the sentence as in force, or
known for the theatre the item is about on its publication date (GUIDELINE C6). ``truce_named``: only
when the sentence itself names a truce in force (not one called for, negotiated or metaphorical).
``headline``: only when the trigger opens a verbless unit ("Deployment of 500 Kenyan police to Haiti"):
a noun-only headline reports its event; in a sentence with a verb the verb says what became of it.
``subject``: only when the trigger noun is the subject of its clause (after at most a few determiners
or names) and the rule's words follow it: "The withdrawal came days after ...", "Their departure
comes amid ...": the clause tells the movement as an event, not as the object of a plan or demand."""


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


TermsSpec = Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]


class ExamplesSpec(_Strict):
    """Texts the rule must fire on, and texts it must not fire on (checked by ``rules test``)."""

    match: list[str] = []
    no_match: list[str] = []


class RuleSpec(_Strict):
    """One rule as written in YAML."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$", max_length=80)]
    """Unique id; a user rule with a default rule's id replaces it."""
    category: Category
    severity: Severity
    description: str = ""
    trigger: TermsSpec
    """The event word(s): any of these terms; guards look at the words around the trigger. Terms inflect
    ("deploy" also matches deployed, deploying); "word*" is a prefix; "=word" exact; "@name" a term set."""
    all: list[TermsSpec] = []
    """Each list must also match (any of its terms) within ``near`` tokens of the trigger."""
    any: list[Annotated[str, Field(min_length=1)]] = []
    """At least one of these must occur somewhere in the sentence."""
    none: list[Annotated[str, Field(min_length=1)]] = []
    """None of these may occur in the sentence."""
    near: Annotated[int, Field(ge=1, le=60)] = 10
    guards: list[GuardName] | None = None
    """Guards to apply; default: the category's guards (DEFAULT_GUARDS)."""
    context: Context = "none"
    detail: dict[str, str] = {}
    """Fixed detail values for events of this rule (force_deployment: stage "auto" lets the engine
    read the stage from the verb's tense and aspect)."""
    enabled: bool = True
    examples: ExamplesSpec = ExamplesSpec()


class RuleFileSpec(_Strict):
    """A whole rules file."""

    terms: dict[Annotated[str, Field(pattern=r"^[a-z0-9_]+$")], TermsSpec] = {}
    """Named synonym sets, used in rules as "@name" (default sets are visible to user files)."""
    rules: list[RuleSpec] = []
    disable: list[str] = []
    """Ids of (default) rules to switch off."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule ready to run."""

    id: str
    category: Category
    severity: Severity
    description: str
    trigger: TermList
    all: tuple[TermList, ...]
    any: TermList | None
    none: TermList | None
    near: int
    guards: frozenset[GuardName]
    context: Context
    detail: dict[str, str]
    match_examples: tuple[str, ...]
    no_match_examples: tuple[str, ...]
    source: str
    line: int | None
    spec: RuleSpec = field(repr=False, compare=False)

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source
