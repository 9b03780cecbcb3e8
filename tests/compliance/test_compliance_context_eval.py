"""Quality on outside-like material (tests/compliance/data/README.md), through the reviewer the CLI uses.

Thresholds sit just under the figures measured after the last change to the rules, so a regression fails; the
issue's goals (recall ≥ 0.95 at FPR ≤ 0.03, block-only recall ≥ 0.85) are printed by ``evaluate.py`` and met on
every set here. The honest held-out figures are the first ones in data/README.md (outside_heldout2: recall 0.667 at
FPR 0.102 before the rules were fixed on it); these thresholds guard the fixes, they do not measure generalisation.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wanghong.compliance.engine import ComplianceReviewer

DATA = Path(__file__).resolve().parent / "data"


def _rates(reviewer: ComplianceReviewer, name: str, split: str | None = None) -> tuple[float, float, float]:
    rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if split is None or r["split"] == split]
    verdicts = [v.verdict.value for v in reviewer.review_many([r["text"] for r in rows])]
    violations = [v for r, v in zip(rows, verdicts, strict=True) if r["label"] == "violation"]
    clean = [v for r, v in zip(rows, verdicts, strict=True) if r["label"] == "clean"]
    gold_block = [v for r, v in zip(rows, verdicts, strict=True) if r["gold"] == "block"]
    recall = sum(v != "pass" for v in violations) / len(violations)
    false_positive_rate = sum(v != "pass" for v in clean) / len(clean) if clean else 0.0
    return recall, false_positive_rate, sum(v == "block" for v in gold_block) / len(gold_block)


@pytest.mark.parametrize(
    ("name", "split", "min_recall", "max_fpr", "min_block"),
    [
        ("outside_eval.jsonl", None, 0.98, 0.03, 0.95),  # development set: its errors shaped the rules
        ("outside_heldout.jsonl", None, 0.97, 0.02, 0.95),  # written afterwards; its first figures: README.md
        ("outside_heldout2.jsonl", None, 0.97, 0.02, 0.92),  # second round, seller wording; 0.667 recall at first
        ("real_cases.jsonl", "heldout", 0.95, 0.0, 0.9),  # copy quoted in published penalty cases
    ],
)
def test_outside_material_is_caught_without_flagging_lawful_wording(
    reviewer: ComplianceReviewer, name: str, split: str | None, min_recall: float, max_fpr: float, min_block: float
) -> None:
    recall, false_positive_rate, block_recall = _rates(reviewer, name, split)
    assert recall >= min_recall, recall
    assert false_positive_rate <= max_fpr, false_positive_rate
    assert block_recall >= min_block, block_recall
