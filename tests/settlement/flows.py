"""Random collaboration flows for the ledger's property tests: accept, approve, settle (or cancel), attributed
orders refunded inside their return window (the commission reversed) or after it (released, then clawed back,
before or after the payout), a payout, each posting replayed up to ten times."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction

from hypothesis import strategies as st

from wanghong.settlement.engine import (
    AccountRef,
    Draft,
    Kind,
    OwnerKind,
    Parties,
    Policy,
    Purpose,
    Terms,
    budget_freeze,
    budget_unfreeze,
    commission_drafts,
    fee_release,
    payout_batch,
    payout_due,
    portion,
)
from wanghong.settlement.engine.legs import DEFAULT_RETURN_WINDOW

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)
# Owner and collaboration ids of every flow come from one counter that starts somewhere random, so flows posted
# to a database the whole test session shares never meet each other's (or other tests') accounts.
_IDS = itertools.count(random.randrange(10**8, 10**9))


@dataclass(frozen=True)
class OrderPlan:
    amount: int
    rate: Fraction
    refund: str  # "none", "inside" (the return window), "after" it, or "after_payout" (after the window and the payout)


@dataclass(frozen=True)
class Flow:
    fee: int
    terms: Terms
    has_mcn: bool
    approval_part: Fraction
    cancelled: bool
    orders: tuple[OrderPlan, ...]
    payout_part: Fraction
    replays: int


rates = st.fractions(min_value=0, max_value=1, max_denominator=10_000)
flows = st.builds(
    Flow,
    fee=st.integers(min_value=0, max_value=10**9),
    terms=st.builds(Terms, rates, rates),
    has_mcn=st.booleans(),
    approval_part=rates,
    cancelled=st.booleans(),
    orders=st.lists(
        st.builds(
            OrderPlan,
            amount=st.integers(min_value=1, max_value=10**8),
            rate=st.fractions(min_value=0, max_value=Fraction(1, 2), max_denominator=1000),
            refund=st.sampled_from(["none", "inside", "after", "after_payout"]),
        ),
        max_size=4,
    ).map(tuple),
    payout_part=rates,
    replays=st.integers(min_value=1, max_value=10),
)


@dataclass(frozen=True)
class Expected:
    parties: Parties
    earned: int  # everything released: the fee (unless cancelled) plus released commissions
    paid: int
    platform_fee: int  # the platform's account is shared by every flow, so its part is read off the drafts
    clawed_after_payout: int = 0  # ≤ 0: a clawback after the payout leaves the creator owing (a negative receivable)


def drafts_of(flow: Flow) -> tuple[list[Draft], Expected]:
    """The transactions one flow posts, in order, and what its accounts must hold afterwards."""
    collaboration = next(_IDS)
    p = Parties(collaboration, next(_IDS), next(_IDS), next(_IDS) if flow.has_mcn else None)
    drafts: list[Draft] = []
    earned = 0
    clawed_after_payout = 0  # (negative) what clawbacks after the payout took from the receivable
    if flow.fee:
        drafts.append(budget_freeze(p, flow.fee))
        if flow.cancelled:
            drafts.append(budget_unfreeze(p, flow.fee))
        else:
            on_approval = portion(flow.fee, flow.approval_part)
            for amount, stage in ((on_approval, "approved"), (flow.fee - on_approval, "settled")):
                if amount:
                    drafts.append(fee_release(p, amount, flow.terms, stage))
            earned += flow.fee
    policy = Policy(terms=flow.terms)
    late: list[Draft] = []  # clawbacks of refunds that come after the payout
    refunded = {
        "none": None,
        "inside": T0 + DEFAULT_RETURN_WINDOW / 2,
        "after": T0 + DEFAULT_RETURN_WINDOW * 2,
        "after_payout": T0 + DEFAULT_RETURN_WINDOW * 2,
    }
    for order in flow.orders:
        order_id = next(_IDS)
        now = T0 + DEFAULT_RETURN_WINDOW * 3
        steps = commission_drafts(p, order_id, order.amount, order.rate, T0, now, policy, refunded[order.refund])
        if not steps:
            continue
        kinds = [d.kind for d in steps]
        held = steps[0].legs[1].amount
        if order.refund == "inside":
            assert kinds == [Kind.COMMISSION_HOLD, Kind.COMMISSION_REVERSAL]
        elif order.refund == "none":
            assert kinds == [Kind.COMMISSION_HOLD, Kind.COMMISSION_RELEASE]
            earned += held
        else:
            assert kinds == [Kind.COMMISSION_HOLD, Kind.COMMISSION_RELEASE, Kind.CORRECTION]
            if order.refund == "after_payout":
                late.append(steps.pop())
                clawed_after_payout += sum(
                    leg.amount for leg in late[-1].legs if leg.account == creator_account(p, Purpose.RECEIVABLE)
                )
        drafts += steps
    receivable = sum(
        leg.amount for d in drafts for leg in d.legs if leg.account == creator_account(p, Purpose.RECEIVABLE)
    )
    paid = portion(receivable, flow.payout_part)
    if paid:
        drafts.append(payout_batch(f"flow-{collaboration}", [(p.creator_id, paid)], payout_due(T0)))
    drafts += late
    platform = AccountRef(OwnerKind.PLATFORM, 0, Purpose.SERVICE_FEE)
    fee = sum(leg.amount for d in drafts for leg in d.legs if leg.account == platform)
    return drafts, Expected(p, earned, paid, fee, clawed_after_payout)


def creator_account(p: Parties, purpose: Purpose) -> AccountRef:
    return AccountRef(OwnerKind.CREATOR, p.creator_id, purpose)


def check_balances(balance: dict[AccountRef, int], expected: Expected) -> None:
    """What every flow must leave behind, whatever its figures."""
    p = expected.parties

    def of(kind: OwnerKind, owner: int | None, purpose: Purpose) -> int:
        return balance.get(AccountRef(kind, owner or 0, purpose), 0)

    assert of(OwnerKind.BRAND, p.brand_id, Purpose.FROZEN) == 0  # every frozen fen released or unfrozen
    assert of(OwnerKind.CREATOR, p.creator_id, Purpose.COMMISSION_PENDING) == 0  # every hold resolved
    assert of(OwnerKind.BRAND, p.brand_id, Purpose.BUDGET) == -expected.earned
    receivable = of(OwnerKind.CREATOR, p.creator_id, Purpose.RECEIVABLE)
    paid = of(OwnerKind.CREATOR, p.creator_id, Purpose.PAID)
    share = of(OwnerKind.MCN, p.mcn_id, Purpose.SHARE) if p.mcn_id is not None else 0
    # A clawback after the payout is the only thing that may leave the creator owing, and by no more than it took.
    assert receivable >= expected.clawed_after_payout and paid == expected.paid
    # No fen lost: what left the brand is exactly what the creator, the MCN and the platform's fee received.
    assert receivable + paid + share + expected.platform_fee == expected.earned
