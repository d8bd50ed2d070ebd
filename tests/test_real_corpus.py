"""The real-news corpus (tests/data/real): well-formed, labeled by clause, split by story."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

REAL = Path(__file__).parent / "data" / "real"
POSITIVE = {f"C{i}" for i in range(1, 5)} | {f"F{i}" for i in range(1, 7)}
FIELDS = {"id", "text", "source", "date", "ceasefire_violation", "force_deployment", "other", "clause",
          "hard_negative_reason", "hard_negative_for", "text_type", "conflict", "needs_context", "fd_kind",
          "notes", "story"}  # fmt: skip


def rows(name: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (REAL / name).read_text(encoding="utf-8").splitlines()]


def test_every_unit_has_a_source_a_label_and_the_clause_that_decides_it() -> None:
    for row in rows("tune.jsonl") + rows("test.jsonl") + rows("holdout.jsonl"):
        assert set(row) == FIELDS
        assert str(row["source"]).startswith(("http://", "https://"))
        clauses = row["clause"]
        assert isinstance(clauses, list), row["id"]
        if not clauses:
            # a unit no clause decides is a plain negative for both labels (no trigger, no reason)
            assert not row["ceasefire_violation"] and not row["force_deployment"], row["id"]
            assert not row["hard_negative_reason"], row["id"]
        for clause in clauses:
            label = "ceasefire_violation" if clause.startswith("C") else "force_deployment"
            if clause in POSITIVE:
                assert row[label] is True, (row["id"], clause)
        if row["force_deployment"]:
            assert row["fd_kind"], row["id"]


def test_split_by_story_and_by_page() -> None:
    tune, test = rows("tune.jsonl"), rows("test.jsonl")
    assert not {r["story"] for r in tune} & {r["story"] for r in test}
    assert not {r["source"] for r in tune} & {r["source"] for r in test}
    assert len(tune) + len(test) >= 600
    # the hashed split (stories marked "+" were added to tune after the first test figure)
    hashed = [r for r in tune if not str(r["story"]).startswith("+")]
    assert 0.25 < len(test) / (len(hashed) + len(test)) < 0.4
    assert not any(str(r["story"]).startswith("+") for r in test)


def test_eval_prints_a_confusion_by_clause() -> None:
    script = Path(__file__).parent.parent / "benchmarks" / "eval_rules.py"
    out = subprocess.run(
        [sys.executable, str(script), str(REAL / "tune.jsonl")], capture_output=True, text=True, check=True
    ).stdout
    assert "by deciding GUIDELINE clause" in out
    table = out.split("by deciding GUIDELINE clause:")[1]
    assert "C2 " in table and "F8 " in table


def _norm(text: object) -> str:
    return re.sub(r"\W+", " ", str(text).lower()).strip()


def test_holdout_shares_no_story_page_or_sentence_with_tune_and_test() -> None:
    seen, holdout = rows("tune.jsonl") + rows("test.jsonl"), rows("holdout.jsonl")
    assert all(str(r["story"]).startswith("!") for r in holdout)
    assert not any(str(r["story"]).startswith("!") for r in seen)
    assert not {r["story"] for r in holdout} & {r["story"] for r in seen}
    assert not {r["source"] for r in holdout} & {r["source"] for r in seen}
    texts = [_norm(r["text"]) for r in holdout]
    assert len(set(texts)) == len(texts)
    assert not set(texts) & {_norm(r["text"]) for r in seen}


def test_holdout_counts() -> None:
    holdout = rows("holdout.jsonl")
    assert len(holdout) >= 590
    assert len({r["source"] for r in holdout}) >= 90
    assert len({r["conflict"] for r in holdout}) >= 10
    assert sum(bool(r["ceasefire_violation"]) for r in holdout) >= 15
    assert sum(bool(r["force_deployment"]) for r in holdout) >= 240
    assert sum(bool(r["hard_negative_reason"]) for r in holdout) >= 340
    assert sum(r["text_type"] in ("headline", "dek", "lead") for r in holdout) >= 145
    # hard negatives for each label, not just one (b27 is a force-deployment part: few for cv)
    assert sum("cv" in (r["hard_negative_for"] or []) for r in holdout) >= 30
    assert sum("fd" in (r["hard_negative_for"] or []) for r in holdout) >= 300


def _build(where: Path) -> str:
    """Run a copy of build.py on a copy of the corpus in ``where``; what it prints."""
    shutil.copytree(REAL, where, ignore=shutil.ignore_patterns("*.jsonl"))
    return subprocess.run(
        [sys.executable, str(where / "build.py")], capture_output=True, text=True, check=True
    ).stdout


def test_the_committed_parts_are_what_build_writes(tmp_path: Path) -> None:
    _build(tmp_path / "real")
    for name in ("tune.jsonl", "test.jsonl", "holdout.jsonl"):
        assert (tmp_path / "real" / name).read_bytes() == (REAL / name).read_bytes(), name


def test_a_held_out_story_changes_neither_tune_nor_test(tmp_path: Path) -> None:
    where = tmp_path / "real"
    _build(where)
    before = {name: (where / name).read_bytes() for name in ("tune.jsonl", "test.jsonl")}
    # a key whose hash alone would send it to test, and a unit that repeats a tune sentence
    key = next(
        f"!probe-{i}"
        for i in range(100)
        if int(hashlib.sha1(f"!probe-{i}".encode()).hexdigest(), 16) % 10 < 3
    )
    repeated = str(rows("tune.jsonl")[0]["text"])
    (where / "src" / "b99.txt").write_text(
        f"@ https://example.org/probe | 2025-01-01 | probe | {key}\n"
        "h 01 F1:deploying | Probe troops arrive in Probeland, officials said.\n"
        f"b 00 F11 | {repeated}\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, str(where / "build.py")], capture_output=True, text=True, check=True
    ).stdout
    assert "holdout:" in out
    for name, data in before.items():
        assert (where / name).read_bytes() == data, name
    probe = [
        r for r in map(json.loads, (where / "holdout.jsonl").read_text().splitlines()) if r["story"] == key
    ]
    assert [r["text"] for r in probe] == ["Probe troops arrive in Probeland, officials said."]
