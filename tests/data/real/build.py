"""Build tune.jsonl, test.jsonl and holdout.jsonl from the annotated sources in src/*.txt.

    python tests/data/real/build.py

Each src file holds articles copied verbatim from public news pages. An article starts with
"@ URL | DATE | CONFLICT | STORY"; each unit line is "TYPE CVFD CLAUSES[:fd_kind] [nc] [bl] [#tag] | text"
(TYPE: h headline, d dek, s subheading, l lead, b body; CVFD: two digits, ceasefire_violation and
force_deployment; CLAUSES: the GUIDELINE.md clauses that decide the unit; nc: needs_context;
bl: borderline). The split is by STORY (one news event, which several outlets may carry), so no story
has units on both sides: a hash of the story key sends ~30% of stories to test.jsonl. A story key
starting with "!" belongs to the held-out part: its units go to holdout.jsonl only, never to tune or
test, and are written after the other two parts are settled, so adding them changes neither file.
A unit repeating a dev.jsonl sentence, or a sentence already kept, is dropped; holdout units are
checked against every tune and test unit as well as against each other.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV = Path("/work/shared/eval/dev.jsonl")
TYPES = {"h": "headline", "d": "dek", "s": "subheading", "l": "lead", "b": "body"}
CV_NEG = {"C5", "C6", "C7", "C8", "C9", "C10"}
FD_NEG = {f"F{i}" for i in range(7, 14)}
REASONS = {
    "C5": "cv: truce only declared, agreed, extended, proposed, negotiated or rejected (C5)",
    "C6": "cv: violence when no truce was in force (C6)",
    "C7": "cv: violation only as the object of a denial or rebuttal (C7)",
    "C8": "cv: hypothetical, conditional or future violation, threat or doubt (C8)",
    "C9": "cv: violence not between the truce parties (C9)",
    "C10": "cv: truce holding, monitored, metaphorical or declared not violated (C10)",
    "F7": "fd: negation or refusal (F7)",
    "F8": "fd: speculation, expectation, planning or third-party claim without commitment (F8)",
    "F9": "fd: appeal, demand or condition (F9)",
    "F10": "fd: agreement or plan terms describing a future deployment or withdrawal (F10)",
    "F11": "fd: existing presence, status quo or statistic (F11)",
    "F12": "fd: troops only as combatants or targets, tactical use of force (F12)",
    "F13": "fd: non-military deployment or troops (F13)",
}
CLAUSE = re.compile(r"C(?:[1-9]|10)|F(?:[1-9]|1[0-3])")
UNIT = re.compile(r"^([hdslb]) ([01])([01]) (\S+)((?: (?:nc|bl|#\w+))*) \| (.+)$")


def norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def parse(path: Path, seen: set[str], holdout: bool = False) -> list[dict[str, object]]:
    """The units of ``path`` whose story is (``holdout``) or is not held out; others are skipped."""
    rows: list[dict[str, object]] = []
    art: dict[str, str] | None = None
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@ "):
            parts = [p.strip() for p in line[2:].split("|")]
            if len(parts) != 4:
                sys.exit(f"{path.name}:{lineno}: article line needs URL | DATE | CONFLICT | STORY")
            art = dict(zip(("url", "date", "conflict", "story"), parts, strict=True))
            continue
        m = UNIT.match(line)
        if not m or art is None:
            sys.exit(f"{path.name}:{lineno}: not a unit line: {line[:60]}")
        kind, cv, fd, clauses_raw, flags, text = m.groups()
        if is_holdout(art["story"]) != holdout:
            continue
        fd_kind = None
        if ":" in clauses_raw:
            clauses_raw, fd_kind = clauses_raw.split(":", 1)
        clauses = [c for c in clauses_raw.split(",") if c != "-"]
        if any(not CLAUSE.fullmatch(c) for c in clauses):
            sys.exit(f"{path.name}:{lineno}: clauses must be C1-C10 / F1-F13 (or '-'): {clauses_raw}")
        key = norm(text)
        if key in seen:
            continue
        seen.add(key)
        neg = [c for c in clauses if (c in CV_NEG and cv == "0") or (c in FD_NEG and fd == "0")]
        tags = [f[1:] for f in flags.split() if f.startswith("#")]
        rows.append(
            {
                "id": f"{path.stem}.{lineno}",
                "text": text,
                "source": art["url"],
                "date": None if art["date"] == "-" else art["date"],
                "ceasefire_violation": cv == "1",
                "force_deployment": fd == "1",
                "other": tags or ["none"],
                "hard_negative_reason": "; ".join(REASONS[c] for c in neg) or None,
                "hard_negative_for": sorted({"cv" if c in CV_NEG else "fd" for c in neg}) or None,
                "clause": clauses,
                "text_type": TYPES[kind],
                "conflict": art["conflict"],
                "needs_context": "nc" in flags.split(),
                "fd_kind": fd_kind if fd == "1" else None,
                "notes": "borderline" if "bl" in flags.split() else None,
                "story": art["story"],
            }
        )
    return rows


def is_holdout(story: str) -> bool:
    """Stories marked "!" were collected after the test part stopped being fresh: they form the
    held-out part, which is measured and never studied."""
    return story.startswith("!")


def is_test(story: str) -> bool:
    """About 30% of stories, by hash; a story marked "+" (collected after the first test figure was
    taken) always goes to tune, so the test part stays what it was when first measured; a held-out
    story ("!") is never in test."""
    if story.startswith(("+", "!")):
        return False
    return int(hashlib.sha1(story.encode()).hexdigest(), 16) % 10 < 3


def main() -> None:
    seen: set[str] = set()
    if DEV.exists():
        seen |= {norm(json.loads(line)["text"]) for line in DEV.open(encoding="utf-8")}
    rows: list[dict[str, object]] = []
    sources = sorted((HERE / "src").glob("*.txt"))
    for path in sources:
        rows += parse(path, seen)
    # second pass: the held-out stories, deduplicated against dev, tune, test and each other
    holdout: list[dict[str, object]] = []
    for path in sources:
        holdout += parse(path, seen, holdout=True)
    tune = [r for r in rows if not is_test(str(r["story"]))]
    test = [r for r in rows if is_test(str(r["story"]))]
    for name, part in (("tune.jsonl", tune), ("test.jsonl", test), ("holdout.jsonl", holdout)):
        with (HERE / name).open("w", encoding="utf-8") as out:
            for r in part:
                out.write(json.dumps(r, ensure_ascii=False) + "\n")

    def stats(part: list[dict[str, object]]) -> str:
        cvp = sum(bool(r["ceasefire_violation"]) for r in part)
        fdp = sum(bool(r["force_deployment"]) for r in part)
        hn = sum(bool(r["hard_negative_reason"]) for r in part)
        hl = sum(r["text_type"] in ("headline", "lead", "dek") for r in part)
        arts = len({r["source"] for r in part})
        return f"{len(part)} units, {arts} pages, cv+ {cvp}, fd+ {fdp}, hard neg {hn}, headline/dek/lead {hl}"

    print("all  :", stats(rows))
    print("tune :", stats(tune))
    print("test :", stats(test))
    print("theatres:", sorted({str(r["conflict"]) for r in rows}))
    print("holdout:", stats(holdout))
    print("holdout theatres:", sorted({str(r["conflict"]) for r in holdout}))


if __name__ == "__main__":
    main()
