from __future__ import annotations

import pytest

from wanghong.compliance.engine import ComplianceReviewer, MatchKind
from wanghong.compliance.engine.classifier import evaluate_held_out
from wanghong.compliance.engine.reviewer import MODEL_THRESHOLD, sentence_spans
from wanghong.domain import Verdict as VerdictKind


def test_classifier_generalises_to_held_out_template_groups(reviewer: ComplianceReviewer) -> None:
    report = evaluate_held_out(reviewer.scanner.normalizer.fold, MODEL_THRESHOLD)
    assert report.test_size > 200
    assert report.precision >= 0.9, report
    assert report.recall >= 0.95, report


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("这款面霜质地很清爽，油皮也能用", VerdictKind.PASS),
        ("吃了三天血糖就降下来了", VerdictKind.BLOCK),
        ("用完皱纹全没了", VerdictKind.REVIEW),
        ("全网最低价", VerdictKind.BLOCK),  # high-severity absolute term inside it
        ("加vx私聊下单", VerdictKind.BLOCK),
        ("出厂价直接给到大家", VerdictKind.REVIEW),  # low severity: a person checks the claim
        ("", VerdictKind.PASS),
    ],
)
def test_verdicts(reviewer: ComplianceReviewer, text: str, verdict: VerdictKind) -> None:
    result = reviewer.review(text)
    assert result.verdict is verdict, result
    assert 0.0 <= result.score <= 1.0
    assert result.library_version == reviewer.library.version


def test_model_finding_is_a_hit_on_the_sentence(reviewer: ComplianceReviewer) -> None:
    text = "家人们好。我妈喝了一个月，三高都下来了！赶紧拍"
    result = reviewer.review(text)
    model_hits = [h for h in result.hits if h.match is MatchKind.MODEL]
    assert len(model_hits) == 1
    assert "三高都下来了" in text[model_hits[0].start : model_hits[0].end]


def test_scores_order_by_risk(reviewer: ComplianceReviewer) -> None:
    clean, low, high = (reviewer.review(t).score for t in ("今天下单明天发货", "出厂价", "包治百病"))
    assert clean < 0.5 <= low < high


def test_sentence_windows_cover_long_unpunctuated_text() -> None:
    text = "啊" * 200
    spans = sentence_spans(text)
    assert spans[0][0] == 0 and spans[-1][1] == 200
    assert all(e - s <= 60 for s, e in spans)


def test_with_library_reuses_the_classifier(reviewer: ComplianceReviewer) -> None:
    edited = reviewer.library.remove_entry(reviewer.library.entries[0].id)
    clone = reviewer.with_library(edited)
    assert clone.classifier is reviewer.classifier
    assert clone.review("x").library_version == reviewer.library.version + 1
