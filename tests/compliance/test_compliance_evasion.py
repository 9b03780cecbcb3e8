"""Held-out evasion set (tests/compliance/data/evasion_eval.jsonl, see make_evasion_set.py)."""

from __future__ import annotations

import json
from pathlib import Path

from wanghong.compliance.engine import ComplianceReviewer
from wanghong.domain import Verdict as VerdictKind

DATA = Path(__file__).resolve().parent / "data" / "evasion_eval.jsonl"


def test_planted_violations_are_caught_and_clean_talk_passes(reviewer: ComplianceReviewer) -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    verdicts = reviewer.review_many([r["text"] for r in rows])
    planted = caught = clean = false_alarms = 0
    misses = []
    for row, verdict in zip(rows, verdicts, strict=True):
        if row["label"] == "violation":
            planted += 1
            # Caught means: not passed, and a hit overlaps the planted span (not some unrelated word).
            if verdict.verdict is not VerdictKind.PASS and any(
                h.start < row["end"] and h.end > row["start"] for h in verdict.hits
            ):
                caught += 1
            else:
                misses.append(row["text"])
        else:
            clean += 1
            false_alarms += verdict.verdict is not VerdictKind.PASS
    assert planted >= 1000 and clean >= 300
    recall = caught / planted
    false_positive_rate = false_alarms / clean
    assert recall >= 0.98, (recall, misses[:20])
    assert false_positive_rate <= 0.02, false_positive_rate
