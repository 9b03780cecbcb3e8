"""The two checks every round's probe sentences go through (issue #20): a claim is caught, a lawful use passes."""

from __future__ import annotations

from wanghong.compliance.engine import ComplianceReviewer
from wanghong.domain import Verdict as VerdictKind


def assert_caught(reviewer: ComplianceReviewer, text: str) -> None:
    """The shipped reviewer does not pass ``text`` (block or review)."""
    verdict = reviewer.review(text)
    assert verdict.verdict is not VerdictKind.PASS, (text, verdict.hits)


def assert_lawful(reviewer: ComplianceReviewer, text: str) -> None:
    """The rules pass ``text``: the window classifier is a second opinion, measured on the sets, not here."""
    verdict = reviewer.with_window(None).review(text)
    assert verdict.verdict is VerdictKind.PASS, (text, verdict.hits)
