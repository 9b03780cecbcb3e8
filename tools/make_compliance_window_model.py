"""Fit the compliance window classifier on the labelled sets and write its arrays (issue #20).

    PYTHONPATH=src .venv/bin/python tools/make_compliance_window_model.py

Reads ``tests/compliance/data`` (the outside sets, the evasion set) and the shipped claims, chooses the threshold
by leave-one-set-out (see ``engine/window_classifier.py``) and writes
``src/wanghong/compliance/engine/data/window_model.npz``; ``tests/compliance/test_compliance_window_model.py`` checks
that the arrays equal a fresh fit on the current files. Rerun after any of those files changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from wanghong.compliance.engine import ComplianceReviewer
from wanghong.compliance.engine.reviewer import sentence_spans
from wanghong.compliance.engine.window_classifier import WindowClassifier, fit_window_classifier

ROOT = Path(__file__).parents[1]
SETS = ROOT / "tests/compliance/data"
TARGET = ROOT / "src/wanghong/compliance/engine/data/window_model.npz"


def fresh_fit() -> WindowClassifier:
    """The model the shipped arrays must equal: rules are the reviewer without any window classifier."""
    rules = ComplianceReviewer().with_window(None)

    def rules_pass(texts: Sequence[str]) -> list[bool]:
        return [v.verdict.value == "pass" for v in rules.review_many(texts)]

    return fit_window_classifier(rules.scanner.normalizer.fold, SETS, rules_pass, sentence_spans)


if __name__ == "__main__":
    model = fresh_fit()
    model.save(TARGET)
    print(f"wrote {TARGET.relative_to(ROOT)}: threshold {model.threshold:.4f}, trained on {model.trained_on[:12]}")
