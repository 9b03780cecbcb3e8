"""The window classifier (issue #20): its shipped arrays are a fresh fit on the current sets, and the reviewer uses
it only as a second opinion on text the rules pass."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from wanghong.compliance.engine import ComplianceReviewer, MatchKind
from wanghong.compliance.engine.classifier import load_claims
from wanghong.compliance.engine.reviewer import sentence_spans
from wanghong.compliance.engine.window_classifier import (
    WHOLE_UP_TO,
    WindowClassifier,
    fit_window_classifier,
    load_training,
    window_texts,
)
from wanghong.domain import Verdict as VerdictKind

SETS = Path(__file__).parent / "data"
REBUILD = "run PYTHONPATH=src .venv/bin/python tools/make_compliance_window_model.py"


@pytest.fixture(scope="module")
def rules(reviewer: ComplianceReviewer) -> ComplianceReviewer:
    return reviewer.with_window(None)


@pytest.fixture(scope="module")
def fresh(rules: ComplianceReviewer) -> WindowClassifier:
    def rules_pass(texts: Sequence[str]) -> list[bool]:
        return [v.verdict is VerdictKind.PASS for v in rules.review_many(texts)]

    return fit_window_classifier(rules.scanner.normalizer.fold, SETS, rules_pass, sentence_spans)


def test_shipped_arrays_were_fitted_on_the_current_sets(reviewer: ComplianceReviewer) -> None:
    assert reviewer.window is not None
    assert reviewer.window.trained_on == load_training(SETS).digest, f"a training set changed: {REBUILD}"


def test_shipped_model_equals_a_fresh_fit(reviewer: ComplianceReviewer, fresh: WindowClassifier) -> None:
    shipped = reviewer.window
    assert shipped is not None
    assert shipped.threshold == pytest.approx(fresh.threshold, rel=1e-6), REBUILD
    texts = [row.text for row in load_claims()[::7]] + ["这款净水器过滤掉百分之百的细菌", "今天下单明天发货", ""]
    np.testing.assert_allclose(
        shipped.model.probabilities(texts), fresh.model.probabilities(texts), rtol=1e-5, atol=1e-6
    )


def test_saved_arrays_round_trip(fresh: WindowClassifier, reviewer: ComplianceReviewer) -> None:
    buffer = io.BytesIO()
    fresh.save(buffer)
    buffer.seek(0)
    loaded = WindowClassifier.load(buffer, reviewer.scanner.normalizer.fold)
    assert (loaded.threshold, loaded.trained_on) == (fresh.threshold, fresh.trained_on)
    texts = ["这款面霜用完皱纹全没了", "质量很好"]
    np.testing.assert_array_equal(loaded.model.probabilities(texts), fresh.model.probabilities(texts))


def test_a_text_the_rules_pass_goes_to_review_on_the_model(
    reviewer: ComplianceReviewer, rules: ComplianceReviewer
) -> None:
    text = "这款净水器过滤掉百分之百的细菌"  # no rule matches; the wording of labelled 虚假宣传 does
    assert rules.review(text).verdict is VerdictKind.PASS
    result = reviewer.review(text)
    assert result.verdict is VerdictKind.REVIEW and result.score >= 0.5
    (hit,) = [h for h in result.hits if h.entry_id == "WINDOW"]
    assert hit.match is MatchKind.MODEL and (hit.start, hit.end) == (0, len(text))


def test_the_model_never_changes_a_rule_verdict(reviewer: ComplianceReviewer, rules: ComplianceReviewer) -> None:
    rows = [json.loads(line) for line in (SETS / "outside_heldout4.jsonl").read_text(encoding="utf-8").splitlines()]
    texts = [r["text"] for r in rows]
    for before, after in zip(rules.review_many(texts), reviewer.review_many(texts), strict=True):
        if before.verdict is not VerdictKind.PASS:
            assert after == before
        else:
            assert after.verdict in (VerdictKind.PASS, VerdictKind.REVIEW)  # a model finding never blocks


def test_long_text_is_read_by_windows_and_the_hit_names_the_window(reviewer: ComplianceReviewer) -> None:
    flagged = "这款净水器过滤掉百分之百的细菌"
    text = "家人们晚上好，今天给大家带来几款厨房好物。" * 3 + flagged + "。" + "喜欢的点点关注。" * 3
    assert len(text) > WHOLE_UP_TO
    result = reviewer.review(text)
    window_hits = [h for h in result.hits if h.entry_id == "WINDOW"]
    assert result.verdict is VerdictKind.REVIEW and len(window_hits) == 1
    assert flagged in window_hits[0].matched_text and len(window_hits[0].matched_text) <= 60


def test_window_texts_short_whole_long_by_sentences() -> None:
    assert window_texts("全网第一。真的", sentence_spans) == [(0, 7)]
    long = "啊" * 200
    assert window_texts(long, sentence_spans) == sentence_spans(long)
    text = "家人们。" + "这款锅不粘好清洗。" * 4
    assert window_texts(text, sentence_spans) == [s for s in sentence_spans(text) if s != (0, 3)]  # 家人们 too short


def test_fragments_are_not_judged(reviewer: ComplianceReviewer) -> None:
    assert window_texts("家人们", sentence_spans) == []
    assert reviewer.review("家人们").verdict is VerdictKind.PASS


@pytest.mark.parametrize(("name", "most"), [("claims", 0.003), ("evasion", 0.0)])
def test_clean_rows_of_the_other_sets_stay_clean(reviewer: ComplianceReviewer, name: str, most: float) -> None:
    if name == "claims":
        texts = [c.text for c in load_claims() if c.label == "clean"]
    else:
        lines = (SETS / "evasion_eval.jsonl").read_text(encoding="utf-8").splitlines()
        texts = [row["text"] for row in map(json.loads, lines) if row["label"] == "clean"]
    flagged = sum(v.verdict is not VerdictKind.PASS for v in reviewer.review_many(texts))
    assert flagged / len(texts) <= most, flagged


def test_no_model_means_no_window_classifier() -> None:
    assert ComplianceReviewer(use_model=False).window is None


def test_clones_keep_the_window_classifier(reviewer: ComplianceReviewer) -> None:
    edited = reviewer.library.remove_entry(reviewer.library.entries[0].id)
    assert reviewer.with_library(edited).window is reviewer.window
    assert reviewer.with_classifier(reviewer.classifier).window is reviewer.window
    assert reviewer.with_classifier(None).window is None  # lexicon only


def test_scan_loads_the_window_model_without_scikit_learn() -> None:
    probe = (
        "import sys; from wanghong.compliance.engine import ComplianceReviewer; "
        "r = ComplianceReviewer(); v = r.review('这款净水器过滤掉百分之百的细菌'); "
        "print(v.verdict, r.window is not None, 'sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["review", "True", "False"]
