"""The one standing policy (governance.standing) on both backends: each state, expiry, copies, good standing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.fixtures.world import World

from wanghong.compliance.models import CompliancePenalty, Violation
from wanghong.domain import ClaimStatus, PenaltyKind, PenaltyStatus, Severity, ViolationStatus
from wanghong.governance.standing import (
    TRAFFIC_LIMIT_MULTIPLIER,
    WINDOW,
    Cause,
    Standing,
    exposure_multipliers,
    standing_of,
    standings,
    unmatchable_creator_ids,
    video_multipliers,
)
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database
from wanghong.originality.models import OriginalityClaim

NOW = utcnow()


def penalise(db: Database, creator: int, kind: PenaltyKind, days: int | None = None, **extra: object) -> int:
    with db.transaction() as s:
        ends = NOW + timedelta(days=days) if days is not None else None
        row = CompliancePenalty(creator_id=creator, kind=kind, reason="test", starts_at=NOW, ends_at=ends, **extra)
        s.add(row)
        s.flush()
        return row.id


def violate(db: Database, creator: int, severity: Severity, status: ViolationStatus) -> int:
    with db.transaction() as s:
        row = Violation(
            creator_id=creator,
            subject_type="video",
            category="absolute_claim",
            severity=severity,
            status=status,
            created_at=NOW,  # the clock the expectations below are read against
        )
        s.add(row)
        s.flush()
        return row.id


def confirm_copy(db: Database, world: World, accused: str = "creatorB1") -> int:
    with db.transaction() as s:
        row = OriginalityClaim(
            claimant_creator_id=world["creatorA1"],
            accused_creator_id=world[accused],
            original_video_id=world["videoA"],
            copy_video_id=world["videoB"],
            status=ClaimStatus.CONFIRMED,
            decided_at=NOW,
        )
        s.add(row)
        s.flush()
        return row.id


def test_good_standing_despite_warnings_and_open_minor_cases(db: Database, world: World) -> None:
    # The world gives A1 and B1 a warning and an open medium-severity violation: neither costs anything.
    with db.transaction() as s:
        for key in ("creatorA1", "creatorA2", "creatorB1"):
            standing = standing_of(s, world[key])
            assert (standing.state, standing.exposure, standing.reasons) == (Standing.GOOD, 1.0, ())
            assert standing.matchable
        ids = [world["creatorA1"], world["creatorA2"], world["creatorB1"]]
        assert standings(s, ids) == {} and exposure_multipliers(s, ids) == {}
        assert not set(ids) & unmatchable_creator_ids(s)
        assert standings(s, []) == {} and exposure_multipliers(s, []) == {}


def test_suspension_removes_the_creator_from_feed_and_matching(db: Database, world: World) -> None:
    creator = world["creatorA2"]
    penalty = penalise(db, creator, PenaltyKind.SUSPENSION, days=30)
    penalise(db, creator, PenaltyKind.TRAFFIC_LIMIT, days=7)
    with db.transaction() as s:
        standing = standing_of(s, creator)
        assert standing.state is Standing.SUSPENDED and standing.exposure == 0.0 and not standing.matchable
        assert standing.reasons[0].cause is Cause.SUSPENSION
        assert standing.reasons[0].ref == f"compliance_penalty:{penalty}"
        assert standing.reasons[0].until == NOW + timedelta(days=30)
        assert exposure_multipliers(s, [creator]) == {creator: 0.0}
        assert creator in unmatchable_creator_ids(s)


def test_traffic_limit_discounts_exposure_until_it_ends(db: Database, world: World) -> None:
    creator = world["creatorA2"]
    penalise(db, creator, PenaltyKind.TRAFFIC_LIMIT, days=7)
    with db.transaction() as s:
        standing = standing_of(s, creator)
        assert standing.state is Standing.LIMITED and standing.exposure == TRAFFIC_LIMIT_MULTIPLIER
        assert exposure_multipliers(s, [creator, world["creatorA1"]]) == {creator: TRAFFIC_LIMIT_MULTIPLIER}
        assert creator in unmatchable_creator_ids(s)
        # Past its end the penalty no longer counts, though nothing has marked it expired yet.
        later = NOW + timedelta(days=7, seconds=1)
        assert standing_of(s, creator, at=later).state is Standing.GOOD
        assert exposure_multipliers(s, [creator], at=later) == {}
        assert creator not in unmatchable_creator_ids(s, at=later)
        # Nor before it starts.
        assert standing_of(s, creator, at=NOW - timedelta(seconds=1)).state is Standing.GOOD


def test_lifted_and_expired_penalties_do_not_count(db: Database, world: World) -> None:
    creator = world["creatorA2"]
    penalise(db, creator, PenaltyKind.SUSPENSION, status=PenaltyStatus.LIFTED, lifted_at=NOW)
    penalise(db, creator, PenaltyKind.TRAFFIC_LIMIT, days=7, status=PenaltyStatus.EXPIRED)
    with db.transaction() as s:
        assert standing_of(s, creator).state is Standing.GOOD


def test_confirmed_copies_halve_exposure_for_the_window_and_zero_the_copy(db: Database, world: World) -> None:
    creator = world["creatorB1"]
    claim = confirm_copy(db, world)
    with db.transaction() as s:
        standing = standing_of(s, creator)
        assert standing.state is Standing.LIMITED and standing.exposure == pytest.approx(0.5)
        assert [(r.cause, r.ref) for r in standing.reasons] == [(Cause.CONFIRMED_COPY, f"originality_claim:{claim}")]
        assert video_multipliers(s, [world["videoB"], world["videoA"]]) == {world["videoB"]: 0.0, world["videoA"]: 1.0}
        assert standing_of(s, world["creatorA1"]).state is Standing.GOOD  # the claimant is untouched
    confirm_copy(db, world)
    penalise(db, creator, PenaltyKind.TRAFFIC_LIMIT, days=7)
    with db.transaction() as s:
        assert standing_of(s, creator).exposure == pytest.approx(0.25 * TRAFFIC_LIMIT_MULTIPLIER)
        assert standing_of(s, creator, at=NOW + WINDOW + timedelta(seconds=1)).state is Standing.GOOD
    for _ in range(4):
        confirm_copy(db, world)
    with db.transaction() as s:
        assert standing_of(s, creator, at=NOW + timedelta(days=8)).exposure == pytest.approx(0.1)  # the floor


def test_rejected_and_pending_claims_do_not_count(db: Database, world: World) -> None:
    with db.transaction() as s:
        for status in (ClaimStatus.PENDING, ClaimStatus.REJECTED):
            s.add(
                OriginalityClaim(
                    claimant_creator_id=world["creatorA1"],
                    accused_creator_id=world["creatorB1"],
                    original_video_id=world["videoA"],
                    copy_video_id=world["videoB"],
                    status=status,
                    decided_at=NOW,
                )
            )
    with db.transaction() as s:
        assert standing_of(s, world["creatorB1"]).state is Standing.GOOD
        assert video_multipliers(s, [world["videoB"]]) == {world["videoB"]: 1.0}


def test_recent_confirmed_violation_restricts_matching_but_not_the_feed(db: Database, world: World) -> None:
    creator = world["creatorA2"]
    violation = violate(db, creator, Severity.LOW, ViolationStatus.CONFIRMED)
    with db.transaction() as s:
        standing = standing_of(s, creator)
        assert standing.state is Standing.RESTRICTED and standing.exposure == 1.0 and not standing.matchable
        assert [(r.cause, r.ref) for r in standing.reasons] == [(Cause.CONFIRMED_VIOLATION, f"violation:{violation}")]
        assert exposure_multipliers(s, [creator]) == {}
        assert creator in unmatchable_creator_ids(s)
        # Outside the window it is history: the compliance policy no longer counts its points either.
        assert standing_of(s, creator, at=NOW + WINDOW + timedelta(minutes=1)).state is Standing.GOOD


@pytest.mark.parametrize("status", [ViolationStatus.OPEN, ViolationStatus.APPEALED])
def test_serious_case_under_review_restricts_until_decided(db: Database, world: World, status: ViolationStatus) -> None:
    creator = world["creatorA2"]
    violate(db, creator, Severity.HIGH, status)
    with db.transaction() as s:
        standing = standing_of(s, creator)
        assert standing.state is Standing.RESTRICTED
        assert standing.reasons[0].cause is Cause.SERIOUS_OPEN_VIOLATION and standing.reasons[0].until is None
        assert standing_of(s, creator, at=NOW + WINDOW * 3).state is Standing.RESTRICTED


def test_dismissed_violations_do_not_count(db: Database, world: World) -> None:
    creator = world["creatorA2"]
    violate(db, creator, Severity.HIGH, ViolationStatus.DISMISSED)
    with db.transaction() as s:
        assert standing_of(s, creator).state is Standing.GOOD


def test_the_strongest_state_wins_and_every_reason_is_kept(db: Database, world: World) -> None:
    creator = world["creatorB1"]
    violate(db, creator, Severity.MEDIUM, ViolationStatus.CONFIRMED)
    confirm_copy(db, world)
    with db.transaction() as s:
        standing = standing_of(s, creator)
        assert standing.state is Standing.LIMITED and standing.exposure == pytest.approx(0.5)
        assert {r.cause for r in standing.reasons} == {Cause.CONFIRMED_COPY, Cause.CONFIRMED_VIOLATION}
    penalise(db, creator, PenaltyKind.SUSPENSION, days=1)
    with db.transaction() as s:
        assert standings(s, [creator])[creator].state is Standing.SUSPENDED
        assert exposure_multipliers(s, [creator]) == {creator: 0.0}
