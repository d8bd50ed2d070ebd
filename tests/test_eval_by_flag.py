"""eval_rules.py --by-flag: aggregates with the doubtful units set apart, and recall per theatre."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "eval_rules.py"


def _row(text: str, cv: bool, conflict: str, notes: str = "", nc: bool = False) -> dict[str, object]:
    return {
        "id": text[:10],
        "text": text,
        "date": "2025-11-20",
        "ceasefire_violation": cv,
        "force_deployment": False,
        "other": [],
        "hard_negative_reason": None,
        "clause": ["C1"] if cv else ["C5"],
        "text_type": "body",
        "conflict": conflict,
        "notes": notes,
        "needs_context": nc,
    }


def test_by_flag_sets_borderline_and_context_units_apart(tmp_path: Path) -> None:
    rows = [
        # found: an explicit breach
        _row("Israel accused Hamas of violating the ceasefire in Gaza on Thursday.", True, "gaza"),
        # a positive no rule can see (its label rests on context), marked borderline and needs_context
        _row("The village was quiet until noon.", True, "nowhere", notes="borderline: context", nc=True),
        # a negative
        _row("The two sides agreed a ceasefire on Sunday.", False, "gaza"),
    ]
    data = tmp_path / "flags.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(SCRIPT), str(data), "--by-flag"], capture_output=True, text=True, check=True
    ).stdout
    cv = out.split("engine, by annotation flag:")[1].split("force_deployment:")[0]
    assert "all units          P 1.00  R 0.50  F1 0.67  (2 positives)" in cv
    assert "not borderline     P 1.00  R 1.00  F1 1.00  (1 positives)" in cv
    assert "neither            P 1.00  R 1.00  F1 1.00  (1 positives)" in cv
    assert "recall by theatre: gaza 1/1, nowhere 0/1" in cv
    # aggregates only: no unit's text is printed
    assert "quiet until noon" not in out
