"""The ledger's pure core: fen, largest-remainder splits, the legs of each posting kind, the in-memory book."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from wanghong.settlement.engine import (
    AccountRef,
    Book,
    CommissionState,
    Draft,
    KeyConflict,
    Kind,
    LedgerError,
    Leg,
    MoneyError,
    OwnerKind,
    Parties,
    Purpose,
    Terms,
    Unbalanced,
    budget_freeze,
    budget_unfreeze,
    canonical,
    commission_action,
    commission_fen,
    commission_hold,
    commission_release,
    commission_reversal,
    correction,
    fee_release,
    imbalance,
    payout_batch,
    payout_due,
    portion,
    split,
    to_fen,
    to_yuan,
)

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)
WITH_MCN = Parties(collaboration_id=7, brand_id=3, creator_id=11, mcn_id=5)
NO_MCN = Parties(collaboration_id=8, brand_id=3, creator_id=12)
TERMS = Terms.of("0.05", "0.20")


def legs_by_purpose(draft: Draft) -> dict[tuple[OwnerKind, Purpose], int]:
    return {(leg.account.owner_kind, leg.account.purpose): leg.amount for leg in draft.legs}


def test_yuan_to_fen_is_exact_and_refuses_fractions_of_a_fen() -> None:
    assert to_fen(Decimal("8000.00")) == 800_000
    assert to_fen("0.01") == 1
    assert to_fen(3) == 300
    assert to_yuan(123_456) == Decimal("1234.56")
    with pytest.raises(MoneyError):
        to_fen(Decimal("0.005"))


def test_largest_remainder_split_loses_nothing_and_breaks_ties_to_the_earlier_part() -> None:
    assert split(100, [1, 1, 1]) == [34, 33, 33]
    assert split(-100, [1, 1, 1]) == [-34, -33, -33]  # a reversal mirrors its original
    assert split(5, [Fraction(1, 2), Fraction(1, 2)]) == [3, 2]
    assert split(10, [Decimal("0.7"), Decimal("0.3")]) == [7, 3]
    assert split(1, [1, 0, 1]) == [1, 0, 0]
    assert split(0, [1, 2]) == [0, 0]
    # Remainders rank by size before position: 7 × (0.45, 0.35, 0.2) = 3.15, 2.45, 1.4 → 3, 2, 1 + 1 to the 2nd.
    assert split(7, ["0.45", "0.35", "0.2"]) == [3, 3, 1]


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1]])
def test_split_refuses_weights_it_cannot_use(weights: list[int]) -> None:
    with pytest.raises(MoneyError):
        split(100, weights)


def test_portion_reads_float_rates_as_their_decimal_and_refuses_rates_outside_the_unit() -> None:
    assert portion(1_000, 0.1) == 100  # not 99 from 0.1's binary expansion
    assert portion(999, Fraction(1, 2)) == 500  # tie at the half goes to the portion (the earlier part)
    assert portion(999, 0) == 0 and portion(999, 1) == 999
    assert commission_fen(19_999, 0.2) == 4_000
    with pytest.raises(MoneyError):
        portion(100, 1.5)


def test_budget_freeze_moves_the_fee_from_budget_to_frozen() -> None:
    draft = budget_freeze(WITH_MCN, 800_000)
    assert draft.key == "collab:7:freeze" and draft.kind is Kind.BUDGET_FREEZE and draft.collaboration_id == 7
    assert legs_by_purpose(draft) == {
        (OwnerKind.BRAND, Purpose.BUDGET): -800_000,
        (OwnerKind.BRAND, Purpose.FROZEN): 800_000,
    }
    assert canonical(budget_unfreeze(WITH_MCN, 800_000).legs) == canonical(
        Leg(g.account, -g.amount) for g in draft.legs
    )


def test_fee_release_takes_the_service_fee_then_the_mcn_share_of_the_rest() -> None:
    draft = fee_release(WITH_MCN, 800_000, TERMS)
    assert draft.key == "collab:7:release:settled"
    assert legs_by_purpose(draft) == {
        (OwnerKind.BRAND, Purpose.FROZEN): -800_000,
        (OwnerKind.PLATFORM, Purpose.SERVICE_FEE): 40_000,
        (OwnerKind.MCN, Purpose.SHARE): 152_000,
        (OwnerKind.CREATOR, Purpose.RECEIVABLE): 608_000,
    }
    mcn_leg = next(leg for leg in draft.legs if leg.account.owner_kind is OwnerKind.MCN)
    assert mcn_leg.account.owner_id == 5


def test_fee_release_without_mcn_or_fee_has_no_empty_legs() -> None:
    draft = fee_release(NO_MCN, 1_001, Terms.of(0), stage="approved")
    assert draft.key == "collab:8:release:approved"
    assert legs_by_purpose(draft) == {
        (OwnerKind.BRAND, Purpose.FROZEN): -1_001,
        (OwnerKind.CREATOR, Purpose.RECEIVABLE): 1_001,
    }


def test_a_release_in_parts_pays_what_a_release_at_once_pays_to_within_a_fen_per_part() -> None:
    whole = legs_by_purpose(fee_release(WITH_MCN, 333_333, TERMS))
    parts = [
        legs_by_purpose(fee_release(WITH_MCN, amount, TERMS, stage))
        for amount, stage in ((111_111, "a"), (222_222, "b"))
    ]
    for account, amount in whole.items():
        assert abs(sum(p.get(account, 0) for p in parts) - amount) <= 2


def test_commission_holds_then_releases_or_reverses_the_same_amount() -> None:
    hold = commission_hold(WITH_MCN, order_id=42, order_amount=19_999, commission_rate=0.2)
    assert hold is not None and hold.order_id == 42 and hold.key == "order:42:commission:hold"
    assert legs_by_purpose(hold) == {
        (OwnerKind.BRAND, Purpose.BUDGET): -4_000,
        (OwnerKind.CREATOR, Purpose.COMMISSION_PENDING): 4_000,
    }
    release = commission_release(WITH_MCN, 42, 4_000, TERMS)
    reversal = commission_reversal(WITH_MCN, 42, 4_000)
    assert legs_by_purpose(release)[(OwnerKind.CREATOR, Purpose.COMMISSION_PENDING)] == -4_000
    assert legs_by_purpose(reversal) == {
        (OwnerKind.CREATOR, Purpose.COMMISSION_PENDING): -4_000,
        (OwnerKind.BRAND, Purpose.BUDGET): 4_000,
    }
    assert commission_hold(WITH_MCN, 43, order_amount=4, commission_rate=0.1) is None  # rounds to nothing


def test_the_return_window_decides_hold_release_or_reversal() -> None:
    window_end = T0 + timedelta(hours=48)
    assert commission_action(T0, None, T0 + timedelta(hours=47)) is CommissionState.PENDING
    assert commission_action(T0, None, window_end) is CommissionState.RELEASED
    assert commission_action(T0, T0 + timedelta(hours=3), T0 + timedelta(hours=4)) is CommissionState.REVERSED
    # A refund after the window is a refund, not a return: the commission stays released.
    assert (
        commission_action(T0, window_end + timedelta(hours=1), window_end + timedelta(days=1))
        is CommissionState.RELEASED
    )
    # A refund that has not happened yet by `now` changes nothing yet.
    assert commission_action(T0, T0 + timedelta(hours=5), T0 + timedelta(hours=1)) is CommissionState.PENDING


def test_payout_batches_are_due_t_plus_7_and_name_each_creator_once() -> None:
    due = payout_due(T0)
    assert due == T0 + timedelta(days=7)
    batch = payout_batch("2026-11-08", [(11, 608_000), (12, 1_001)], due)
    assert batch.key == "payout:2026-11-08" and batch.due_at == due and len(batch.legs) == 4
    assert imbalance(batch.legs) == {}
    with pytest.raises(LedgerError):
        payout_batch("dup", [(11, 1), (11, 2)], due)


def test_drafts_refuse_unbalanced_empty_zero_and_boolean_legs() -> None:
    a = AccountRef(OwnerKind.BRAND, 1, Purpose.BUDGET)
    b = AccountRef(OwnerKind.BRAND, 1, Purpose.FROZEN)
    usd = AccountRef(OwnerKind.BRAND, 1, Purpose.BUDGET, "USD")
    with pytest.raises(Unbalanced):
        Draft("k", Kind.CORRECTION, (Leg(a, -100), Leg(b, 99)))
    with pytest.raises(Unbalanced):  # zero in total, but not in each currency
        Draft("k", Kind.CORRECTION, (Leg(a, -100), Leg(usd, 100)))
    for legs in ((Leg(a, 0), Leg(b, 0)), (Leg(a, -1),), (Leg(a, True), Leg(b, -1))):
        with pytest.raises(LedgerError):
            Draft("k", Kind.CORRECTION, legs)  # type: ignore[arg-type]
    with pytest.raises(LedgerError):
        Draft("", Kind.CORRECTION, (Leg(a, -1), Leg(b, 1)))
    Draft("k", Kind.CORRECTION, (Leg(a, -1), Leg(b, 1), Leg(usd, 5), Leg(usd, -5)))


def test_the_book_is_idempotent_by_key_and_a_correction_undoes_a_posting() -> None:
    book = Book()
    freeze = budget_freeze(WITH_MCN, 800_000)
    for _ in range(10):
        book.post(freeze)
    assert book.postings == 2 and len(book.transactions) == 1
    assert book.balance(AccountRef(OwnerKind.BRAND, 3, Purpose.FROZEN)) == 800_000
    with pytest.raises(KeyConflict):
        book.post(Draft(freeze.key, freeze.kind, tuple(Leg(g.account, g.amount * 2) for g in freeze.legs)))
    _, replayed = book.post(correction(freeze, "collab:7:freeze:correction"))
    assert not replayed
    assert book.balance(AccountRef(OwnerKind.BRAND, 3, Purpose.FROZEN)) == 0
    assert book.trial_balance() == {"CNY": 0} and book.imbalance_fen() == 0
