"""The statistical reading: features, scoring, how the engine consults it, the board, training."""

from __future__ import annotations

import gzip
import json
import math
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_picture_builders import settings

from monitor.models import Category, Item, is_statistical
from monitor.picture import Picture
from monitor.rules import RuleEngine
from monitor.rules.ngram import MODEL_PATH, NgramModel, features, shipped

WHEN = datetime(2026, 2, 10, 9, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent
CV, FD = Category.CEASEFIRE_VIOLATION, Category.FORCE_DEPLOYMENT


def tiny(weights: dict[str, dict[str, float]], bias: float = -3.0, threshold: float = 0.9) -> NgramModel:
    vocab = sorted({f for w in weights.values() for f in w})
    return NgramModel.from_dict(
        {
            "format": 1,
            "features": vocab,
            "heads": {
                cat: {"bias": bias, "threshold": threshold, "weights": [w.get(f, 0.0) for f in vocab]}
                for cat, w in weights.items()
            },
        }
    )


def item(title: str, summary: str = "") -> Item:
    return Item(
        id="1", feed="wire", title=title, summary=summary, published=WHEN, fetched_at=WHEN, content_hash="1"
    )


def test_features_are_words_and_adjacent_pairs_with_numbers_folded() -> None:
    got = features("Gunmen killed 7 near Rafah.")
    assert {"gunmen", "killed", "#", "near", "rafah", "gunmen killed", "killed #", "# near"} <= got
    assert "7" not in got and "." not in got and "gunmen near" not in got


def test_a_sentence_scores_bias_plus_the_weights_it_holds() -> None:
    model = tiny(
        {"ceasefire_violation": {"shelled": 2.0, "despite truce": 3.0, "match": -1.0}}, threshold=0.8
    )
    (reading,) = model.read_sentence("Tanks shelled homes despite truce.", [CV])
    assert reading.probability == pytest.approx(1 / (1 + math.exp(-(-3.0 + 2.0 + 3.0))))
    assert reading.cues == ("despite truce", "shelled")  # strongest first, only weights toward it
    assert model.fires("Tanks shelled homes despite truce.", [CV])  # p = 0.88 > 0.8
    assert not model.fires("Tanks shelled homes.", [CV])  # p = 0.27


def test_a_malformed_model_is_refused_with_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="format"):
        NgramModel.from_dict({"format": 99, "features": [], "heads": {}})
    with pytest.raises(ValueError, match="2 weights for 1 features"):
        NgramModel.from_dict(
            {
                "format": 1,
                "features": ["a"],
                "heads": {"ceasefire_violation": {"bias": 0, "threshold": 0.5, "weights": [1, 2]}},
            }
        )


def test_the_engine_asks_the_reading_only_where_no_rule_of_the_category_matched() -> None:
    model = tiny({"ceasefire_violation": {"tents": 6.0}, "force_deployment": {"tents": 6.0}})
    engine = RuleEngine(RuleEngine.load(statistical=False).rules, ngram=model)
    events = engine.classify(item("Residents saw smoke over tents in Khan Younis."))
    (ev,) = [e for e in events if e.category is CV]
    assert ev.rule == "ngram.ceasefire_violation" and is_statistical(ev.rule)
    assert ev.matched == "Residents saw smoke over tents in Khan Younis."
    assert ev.span == (0, len(ev.matched)) and ev.detail["cues"] == "tents"
    assert float(ev.detail["probability"]) > 0.9
    # a rule's guard saw this one (a denial): the reading never overrides it
    guarded = engine.classify(item("The army denied that fire on the tents violated the ceasefire."))
    assert not [e for e in guarded if e.category is CV]
    # a rule matched: the rule's event, not the reading's
    ruled = engine.classify(item("A drone strike on tents violated the ceasefire in Gaza, killing two."))
    assert [e.rule for e in ruled if e.category is CV] == ["cv.violation"]
    assert [e.rule for e in ruled if e.category is FD] == ["ngram.force_deployment"]  # no fd rule matched
    # the evidence is the sentence that scored, with its offsets in the item's text
    two = item("Talks resume in Cairo.", "Residents saw smoke over tents in Khan Younis.")
    (ev2,) = [e for e in engine.classify(two) if e.category is CV]
    assert (
        two.text[ev2.span[0] : ev2.span[1]] == ev2.matched == "Residents saw smoke over tents in Khan Younis."
    )  # type: ignore[index]


@pytest.mark.parametrize(
    ("title", "violation"),
    [
        ("Residents saw smoke over tents in Khan Younis.", True),  # Gaza, a truce in force that day
        ("Residents saw smoke over tents, a week into the ceasefire.", True),  # a truce named in force
        ("Residents saw smoke over tents in Ohio.", False),  # no truce anywhere (C6)
        ("Residents saw smoke over tents in Khan Younis in July 2024.", False),  # dated in the war (C6)
    ],
)
def test_the_readings_violation_needs_a_truce_in_force(title: str, violation: bool) -> None:
    engine = RuleEngine(
        RuleEngine.load(statistical=False).rules, ngram=tiny({"ceasefire_violation": {"tents": 6.0}})
    )
    assert bool([e for e in engine.classify(item(title)) if e.category is CV]) is violation


def test_an_engine_without_the_reading_never_makes_its_events() -> None:
    engine = RuleEngine.load(statistical=False)
    assert engine.ngram is None
    events = engine.classify(item("A quadcopter dropped a grenade on a tent east of the camp."))
    assert not any(is_statistical(e.rule) for e in events)


def test_the_readings_deployment_never_moves_the_forces_board() -> None:
    model = tiny({"force_deployment": {"egypt": 8.0}})
    engine = RuleEngine(RuleEngine.load(statistical=False).rules, ngram=model)
    events = engine.classify(item("Egypt and the stabilisation force: what comes next for Rafah"))
    assert [e.rule for e in events if e.category is FD] == ["ngram.force_deployment"]
    picture = Picture(settings(), now=lambda: WHEN)
    change = picture.apply(events, now=WHEN)
    assert picture.forces() == []
    assert not [a for a in change.alerts if a.kind == "force_change"]


def test_the_shipped_model_loads_and_says_what_it_was_trained_on() -> None:
    model = shipped()
    assert model is not None and set(model.categories()) == {CV, FD}
    assert int(model.meta["units"]) > 7000  # type: ignore[call-overload]
    assert 0.5 < model.threshold(CV) < 1 and 0.5 < model.threshold(FD) < 1
    assert RuleEngine.load().ngram is model


def test_the_shipped_model_is_what_one_command_trains_from_the_corpus(tmp_path: Path) -> None:
    dev = ROOT.parent / "shared" / "eval" / "dev.jsonl"
    if not dev.exists():
        pytest.skip("the shared dev set is not beside the checkout")
    out = tmp_path / "model.json.gz"
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "rules", "train",
         str(ROOT / "tests/data/real/tune.jsonl"), str(dev), "--out", str(out)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stderr
    fresh = json.loads(gzip.decompress(out.read_bytes()))
    ours = json.loads(gzip.decompress(MODEL_PATH.read_bytes()))
    assert fresh["features"] == ours["features"]
    for cat, head in ours["heads"].items():
        assert fresh["heads"][cat]["threshold"] == head["threshold"]
        assert fresh["heads"][cat]["bias"] == pytest.approx(head["bias"], abs=1e-3)
        assert (
            max(abs(a - b) for a, b in zip(fresh["heads"][cat]["weights"], head["weights"], strict=True))
            < 1e-3
        )


def test_training_refuses_bad_units_naming_file_and_line(tmp_path: Path) -> None:
    data = tmp_path / "units.jsonl"
    data.write_text(
        '{"text": "a", "ceasefire_violation": true, "force_deployment": false}\n{"text": "b"}\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "rules", "train", str(data), "--out", str(tmp_path / "m.json.gz")],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode != 0
    assert f"{data}:2: 'ceasefire_violation' must be true or false" in done.stderr
    assert not (tmp_path / "m.json.gz").exists()


def test_a_model_trained_by_the_command_reads_its_own_examples(tmp_path: Path) -> None:
    data = tmp_path / "units.jsonl"

    def unit(text: str, cv: bool, fd: bool) -> dict[str, object]:
        return {"text": text, "ceasefire_violation": cv, "force_deployment": fd}

    rows = [
        unit(f"Drone strike on {p} breaks the truce", True, False)
        for p in ("Rafah", "Jabalia", "Beit Hanoun")
    ]
    rows += [
        unit(f"Battalion of {n} troops lands in {p}", False, True)
        for n, p in (("300", "Juba"), ("5", "Goma"))
    ]
    rows += [
        unit(t, False, False)
        for t in (
            "Markets reopen in the capital",
            "Football final postponed",
            "Prices rise",
            "New school opens",
        )
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "m.json.gz"
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "rules", "train", str(data), "--out", str(out), "--c", "100"],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    model = NgramModel.read(out)
    assert model.meta["units"] == 9
    (cv,) = model.read_sentence("Drone strike on Deir al-Balah breaks the truce", [CV])
    (fd,) = model.read_sentence("Drone strike on Deir al-Balah breaks the truce", [FD])
    assert cv.probability > 0.5 > fd.probability
    assert "breaks" in " ".join(cv.cues) or "truce" in " ".join(cv.cues)


def test_classify_rules_only_leaves_the_reading_out(tmp_path: Path) -> None:
    # a real sentence (tune.jsonl) no rule reads: "will soon join" a border effort
    title = (
        "Troops from the 4th Infantry Division at Fort Carson, Colorado, will soon join the border effort."
    )
    line = json.dumps({"title": title, "published": "2019-02-04T00:00:00Z"})
    runs: dict[bool, list[dict[str, object]]] = {}
    for flag in ([], ["--rules-only"]):
        done = subprocess.run(
            [sys.executable, "-m", "monitor", "classify", *flag],
            input=line + "\n", capture_output=True, text=True, check=False, cwd=tmp_path,
            env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path)},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        runs[bool(flag)] = json.loads(done.stdout)["events"]
    (ev,) = runs[False]
    assert ev["rule"] == "ngram.force_deployment" and ev["matched"] == title
    assert ev["detail"]["cues"] and float(ev["detail"]["probability"]) > 0.9  # type: ignore[index]
    assert runs[True] == []


def test_the_incident_screen_says_a_reading_is_statistical_and_what_weighed() -> None:
    from monitor.app.screens.detail import evidence

    engine = RuleEngine(
        RuleEngine.load(statistical=False).rules, ngram=tiny({"ceasefire_violation": {"tents": 6.0}})
    )
    it = item("Residents saw smoke over tents in Khan Younis.")
    (ev,) = engine.classify(it)
    shown = evidence([ev], {it.key: it}).plain
    assert "rule ngram.ceasefire_violation" in shown
    assert "statistical reading, no rule matched" in shown and "cues tents" in shown
    ruled = RuleEngine.load(statistical=False).classify(item("Israeli tanks shelled homes in Khan Younis."))
    assert "statistical reading" not in evidence(ruled, {}).plain


def test_rules_only_travels_to_the_parser_processes_with_the_user_rules() -> None:
    from monitor.ingest.parse_job import classify_items
    from monitor.rules.loader import RULES_ONLY

    engine = RuleEngine.load(statistical=False)
    assert RULES_ONLY in (engine.user_rules or ()) and engine.ngram is None
    title = (
        "Troops from the 4th Infantry Division at Fort Carson, Colorado, will soon join the border effort."
    )
    it = Item(id="1", feed="wire", title=title, published=datetime(2019, 2, 4, tzinfo=UTC),
              fetched_at=WHEN, content_hash="1")  # fmt: skip
    ((off, _),) = classify_items(engine.user_rules or (), [it])
    ((on, _),) = classify_items(RuleEngine.load().user_rules or (), [it])
    assert off == [] and [e.rule for e in on] == ["ngram.force_deployment"]


def test_feeds_yaml_statistical_false_turns_the_reading_off_for_watch(tmp_path: Path) -> None:
    from monitor.config import load_settings
    from monitor.sinks.watch_run import RulesOnDemand

    (tmp_path / "feeds.yaml").write_text("statistical: false\nfeeds: []\n", encoding="utf-8")
    settings = load_settings(tmp_path / "feeds.yaml")
    assert settings.statistical is False
    rules = RulesOnDemand([], statistical=settings.statistical)
    before = rules.user_rules  # what a parser process is told before the engine is loaded
    assert rules.load().ngram is None and rules.user_rules == before
    assert RulesOnDemand([]).load().ngram is not None
