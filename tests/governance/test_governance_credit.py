"""信用分: deductions, the hold and linear recovery, a repeat offence restarting the clock, training, colours,
graded management — and the 绿色直播间 evaluation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from wanghong.governance.engine.credit import (
    FULL,
    HOLD,
    RECOVERY,
    CreditColour,
    Finding,
    FindingKind,
    Remedy,
    Severity,
    credit_score,
    management,
)
from wanghong.governance.engine.greenroom import CRITERIA, PASS_SHARE, RoomFacts, evaluate_room

T0 = datetime(2026, 6, 1, tzinfo=UTC)


def finding(days: float, kind: FindingKind = FindingKind.VIOLATION, severity: Severity = Severity.MEDIUM) -> Finding:
    return Finding(kind, severity, T0 + timedelta(days=days))


def test_a_clean_subject_is_green_at_full_marks() -> None:
    score = credit_score([], T0)
    assert score.score == FULL and score.colour is CreditColour.GREEN and score.recovers_from is None


def test_deductions_hold_then_recover_linearly() -> None:
    findings = [finding(0, FindingKind.PRICE_FRAUD), finding(0, FindingKind.LISTING_MISMATCH)]  # 10 + 6
    assert credit_score(findings, T0 + timedelta(days=1)).score == 84.0
    assert credit_score(findings, T0 + HOLD).score == 84.0
    assert credit_score(findings, T0 + HOLD + RECOVERY / 2).score == 92.0
    assert credit_score(findings, T0 + HOLD + RECOVERY).score == FULL
    assert credit_score(findings, T0 + timedelta(days=1)).recovers_from == T0 + HOLD


def test_a_repeat_offence_restarts_recovery_for_everything_outstanding() -> None:
    first = [finding(0, FindingKind.PRICE_FRAUD)]
    assert credit_score(first, T0 + HOLD + RECOVERY / 2).score == 95.0
    again = [*first, finding(135, severity=Severity.LOW)]  # 2 more points, on the day the first was half recovered
    score = credit_score(again, T0 + timedelta(days=136))
    assert score.score == 88.0 and score.colour is CreditColour.YELLOW


def test_colours_and_the_severe_override() -> None:
    yellow = [finding(0, FindingKind.PROHIBITED_GOODS, Severity.LOW), finding(0)]  # 10 + 5
    assert credit_score(yellow, T0 + timedelta(days=1)).colour is CreditColour.YELLOW
    red = [finding(0, FindingKind.PROHIBITED_GOODS), finding(0, FindingKind.PRICE_FRAUD, Severity.HIGH)]  # 35
    assert credit_score(red, T0 + timedelta(days=1)).colour is CreditColour.RED
    severe = [finding(0, severity=Severity.HIGH)]  # 12 points: 88 would be yellow, but it is severe and recent
    assert credit_score(severe, T0 + timedelta(days=10)).colour is CreditColour.RED
    assert credit_score(severe, T0 + timedelta(days=31)).colour is CreditColour.YELLOW
    assert credit_score([], T0, suspended=True).colour is CreditColour.RED


def test_the_score_never_goes_below_zero() -> None:
    many = [finding(i, FindingKind.PROHIBITED_GOODS, Severity.HIGH) for i in range(5)]
    assert credit_score(many, T0 + timedelta(days=5)).score == 0.0


def test_training_restores_points_once_per_hold() -> None:
    findings = [finding(0, FindingKind.PRICE_FRAUD)]  # 10
    at = T0 + timedelta(days=20)
    remedies = [Remedy(T0 + timedelta(days=5)), Remedy(T0 + timedelta(days=10))]
    score = credit_score(findings, at, remedies=remedies)
    assert score.restored == 5.0 and score.score == 95.0
    before = credit_score(findings, at, remedies=[Remedy(T0 - timedelta(days=1))])
    assert before.restored == 0.0  # training before the finding does not pre-pay it


def test_findings_after_the_instant_do_not_count() -> None:
    assert credit_score([finding(10)], T0).score == FULL


def test_graded_management_tightens_with_the_colour() -> None:
    green, yellow, red = (management(c) for c in CreditColour)
    assert green.review_sampling < yellow.review_sampling < red.review_sampling == 1.0
    assert not green.live_monitoring and yellow.live_monitoring and not red.may_promote


GOOD_ROOM = RoomFacts(
    subject_verified=True,
    licences_displayed=True,
    qualifications_in_force=True,
    minors_hosting=False,
    confirmed_violations=0,
    severe_violations=0,
    false_price_claims=0,
    listing_mismatches=0,
    prohibited_goods=0,
    ai_content_labelled=True,
    complaints=20,
    complaints_resolved_in_time=20,
    returns_honoured=True,
    credit_colour="green",
)


def test_a_good_room_is_green() -> None:
    verdict = evaluate_room(GOOD_ROOM)
    assert verdict.green and verdict.score == 1.0 and not verdict.failed
    assert verdict.reason.startswith("绿色直播间")


@pytest.mark.parametrize(
    "change",
    [{"subject_verified": False}, {"minors_hosting": True}, {"prohibited_goods": 1}, {"severe_violations": 1}],
)
def test_a_required_criterion_fails_the_room_whatever_the_score(change: dict[str, object]) -> None:
    verdict = evaluate_room(replace(GOOD_ROOM, **change))  # type: ignore[arg-type]
    assert not verdict.green and "必备项未满足" in verdict.reason and verdict.score == 1.0


def test_scored_criteria_add_up_to_the_pass_share() -> None:
    weak = replace(GOOD_ROOM, false_price_claims=1, listing_mismatches=2, complaints_resolved_in_time=10)
    verdict = evaluate_room(weak)
    assert not verdict.green and verdict.score < PASS_SHARE
    assert {c.code for c in verdict.failed} == {"price.honest", "goods.as_described", "service.complaints"}
    assert evaluate_room(replace(GOOD_ROOM, ai_content_labelled=False)).green  # one light criterion is not fatal


def test_every_criterion_names_its_basis() -> None:
    assert all(c.basis and " / " in c.title for c in CRITERIA)
    assert len({c.code for c in CRITERIA}) == len(CRITERIA)
