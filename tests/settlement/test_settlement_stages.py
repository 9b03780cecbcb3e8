"""The pure stages of a collaboration's money: which drafts each status has had, and an order's commission."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from wanghong.domain import CollaborationStatus as S
from wanghong.settlement.engine import (
    Book,
    Kind,
    Parties,
    Policy,
    collaboration_drafts,
    commission_drafts,
    fee_parts,
)

P = Parties(collaboration_id=7, brand_id=1, creator_id=2, mcn_id=3)
POLICY = Policy.of("0.05", "0.3", "0.5", 7)
T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "kinds"),
    [
        (S.PROPOSED, []),
        (S.ACCEPTED, [Kind.BUDGET_FREEZE]),
        (S.CONTENT_SUBMITTED, [Kind.BUDGET_FREEZE]),
        (S.APPROVED, [Kind.BUDGET_FREEZE, Kind.FEE_RELEASE]),
        (S.LIVE, [Kind.BUDGET_FREEZE, Kind.FEE_RELEASE]),
        (S.SETTLED, [Kind.BUDGET_FREEZE, Kind.FEE_RELEASE, Kind.FEE_RELEASE]),
        (S.CANCELLED, []),
        (S.REJECTED, []),
    ],
)
def test_each_status_has_had_its_postings(status: S, kinds: list[Kind]) -> None:
    assert [d.kind for d in collaboration_drafts(P, status, 800_000, POLICY, T0)] == kinds


def test_a_settled_fee_is_released_whole_and_nothing_stays_frozen() -> None:
    book = Book()
    for draft in collaboration_drafts(P, S.SETTLED, 800_001, POLICY, T0):
        book.post(draft)
        if draft.kind is Kind.FEE_RELEASE:
            assert draft.due_at == T0 + timedelta(days=7)  # T+7
    frozen = [a for a in book.balances if a.purpose.value == "frozen"]
    assert all(book.balance(a) == 0 for a in frozen)
    assert sum(v for a, v in book.balances.items() if a.owner_kind.value != "brand") == 800_001
    assert book.imbalance_fen() == 0 and not any(book.trial_balance().values())


def test_fee_parts_lose_no_fen() -> None:
    for fee in (0, 1, 3, 99_999, 800_000):
        for rate in ("0", "0.5", "1", "0.333"):
            first, rest = fee_parts(fee, Policy.of("0.05", "0.3", rate))
            assert first + rest == fee and first >= 0 and rest >= 0
    assert fee_parts(800_000, POLICY) == (400_000, 400_000)


def test_a_free_collaboration_posts_nothing() -> None:
    assert collaboration_drafts(P, S.SETTLED, 0, POLICY, T0) == []


def test_commission_is_held_through_the_window_then_released() -> None:
    inside = commission_drafts(P, 11, 19_999, 0.2, T0, T0 + timedelta(hours=47), POLICY)
    assert [d.kind for d in inside] == [Kind.COMMISSION_HOLD]
    after = commission_drafts(P, 11, 19_999, 0.2, T0, T0 + timedelta(hours=48), POLICY)
    assert [d.kind for d in after] == [Kind.COMMISSION_HOLD, Kind.COMMISSION_RELEASE]
    assert after[0] == inside[0]  # the same hold, so a later run replays it
    assert commission_drafts(P, 12, 1, 0.2, T0, T0, POLICY) == []  # under a fen: nothing to hold


def test_a_policy_refuses_impossible_settings() -> None:
    with pytest.raises(ValueError, match="approval"):
        Policy.of("0.05", "0.3", "1.5")
    with pytest.raises(ValueError, match="payout days"):
        Policy.of("0.05", "0.3", "0.5", -1)
    assert Policy.of(0.05, 0.3).terms.service_fee_rate == Fraction(1, 20)
