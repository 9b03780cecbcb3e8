"""The checks every round's probe sentences go through (issue #20): a claim is caught, a lawful use passes.

A round's test file holds its sentences and names its tests; the ``*_test`` factories below write the parametrised
test each list goes through, so that every round reads ``test_look_alikes_pass = lawful_test(LAWFUL)`` rather than
another copy of the same three-line function."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from wanghong.compliance.engine import ComplianceReviewer, Scanner, ViolationLibrary
from wanghong.compliance.engine.context import ContextJudge, Reason
from wanghong.domain import Verdict as VerdictKind


def assert_caught(reviewer: ComplianceReviewer, text: str) -> None:
    """The shipped reviewer does not pass ``text`` (block or review)."""
    verdict = reviewer.review(text)
    assert verdict.verdict is not VerdictKind.PASS, (text, verdict.hits)


def assert_lawful(reviewer: ComplianceReviewer, text: str) -> None:
    """The rules pass ``text``: the window classifier is a second opinion, measured on the sets, not here."""
    verdict = reviewer.with_window(None).review(text)
    assert verdict.verdict is VerdictKind.PASS, (text, verdict.hits)


def assert_blocked_by(reviewer: ComplianceReviewer, text: str, entry_id: str) -> None:
    """The shipped reviewer blocks ``text``, and ``entry_id`` is among the hits."""
    verdict = reviewer.review(text)
    assert verdict.verdict is VerdictKind.BLOCK, (text, verdict.hits)
    assert entry_id in {hit.entry_id for hit in verdict.hits}, (text, verdict.hits)


def assert_reviewed_by(reviewer: ComplianceReviewer, text: str, entry_id: str) -> None:
    """The rules send ``text`` to review, ``entry_id`` among the hits (the window classifier never blocks, so the
    rules' verdict is the one a calibration test reads)."""
    verdict = reviewer.with_window(None).review(text)
    assert verdict.verdict is VerdictKind.REVIEW, (text, verdict.hits)
    assert entry_id in {hit.entry_id for hit in verdict.hits}, (text, verdict.hits)


def assert_entries_documented(library: ViolationLibrary, ids: set[str], *, with_examples: bool = True) -> None:
    """Each entry of ``ids`` is in ``library``, cites a statute in 《》 and explains itself in Chinese; a pattern entry
    also names its triggers and examples (``with_examples``)."""
    by_id = {entry.id: entry for entry in library.entries}
    assert ids <= set(by_id), ids - set(by_id)
    for entry_id in ids:
        entry = by_id[entry_id]
        assert "《" in entry.article and "》" in entry.article, entry_id
        assert len(entry.explanation) >= 20 and any("\u4e00" <= ch <= "\u9fff" for ch in entry.explanation), entry_id
        if with_examples:
            assert entry.triggers and entry.examples, entry_id


def assert_severities(library: ViolationLibrary, *, blocking: set[str], reviewing: set[str]) -> None:
    """The round's calibration: each of ``blocking`` blocks (high), each of ``reviewing`` goes to review (medium or
    low)."""
    by_id = {entry.id: entry for entry in library.entries}
    assert {by_id[i].severity.value for i in blocking} == {"high"}, blocking
    assert {by_id[i].severity.value for i in reviewing} <= {"medium", "low"}, reviewing


def hit_reasons(raw_scanner: Scanner, text: str) -> set[Reason | None]:
    """Why the context rules let each raw hit of ``text`` stand or not (None: a claim), read with the scanner's own
    per-character fold as the scanner reads them; ``text`` must have hits."""
    hits = raw_scanner.scan(text).hits
    assert hits, text
    judge = ContextJudge(raw_scanner.normalizer.fold_chars)
    return {judge.reason(text, hit, hits) for hit in hits}


Probe = Callable[..., None]


def lawful_test(texts: Sequence[str]) -> Probe:
    """A test that the rules pass each of ``texts`` (:func:`assert_lawful`)."""

    @pytest.mark.parametrize("text", texts)
    def test(reviewer: ComplianceReviewer, text: str) -> None:
        assert_lawful(reviewer, text)

    return test


def caught_test(texts: Sequence[str]) -> Probe:
    """A test that the shipped reviewer catches each of ``texts`` (:func:`assert_caught`)."""

    @pytest.mark.parametrize("text", texts)
    def test(reviewer: ComplianceReviewer, text: str) -> None:
        assert_caught(reviewer, text)

    return test


def blocked_test(cases: Sequence[tuple[str, str]]) -> Probe:
    """A test that each ``(text, entry_id)`` blocks with that entry among its hits (:func:`assert_blocked_by`)."""

    @pytest.mark.parametrize(("text", "entry_id"), cases)
    def test(reviewer: ComplianceReviewer, text: str, entry_id: str) -> None:
        assert_blocked_by(reviewer, text, entry_id)

    return test


def reviewed_test(cases: Sequence[tuple[str, str]]) -> Probe:
    """A test that the rules send each ``(text, entry_id)`` to review by that entry (:func:`assert_reviewed_by`)."""

    @pytest.mark.parametrize(("text", "entry_id"), cases)
    def test(reviewer: ComplianceReviewer, text: str, entry_id: str) -> None:
        assert_reviewed_by(reviewer, text, entry_id)

    return test


def caught_by_test(cases: Sequence[tuple[str, str]]) -> Probe:
    """A test that each ``(text, entry_id)`` is caught with that entry among its hits, whichever entry decides."""

    @pytest.mark.parametrize(("text", "entry_id"), cases)
    def test(reviewer: ComplianceReviewer, text: str, entry_id: str) -> None:
        assert_caught(reviewer, text)
        assert entry_id in {hit.entry_id for hit in reviewer.review(text).hits}, text

    return test
