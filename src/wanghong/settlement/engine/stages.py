"""Which postings a collaboration has had by the time it reaches a status, and what an attributed order owes.

A collaboration's money follows its workflow: its fee is frozen when the creator accepts (预算冻结), part of it is
released on approval and the rest on settlement (费用结算, split by `Terms`), and a fee still frozen goes back to
the budget when the collaboration is cancelled or rejected. The drafts are cumulative — a collaboration that is
settled has had its freeze and both releases — and keyed by the collaboration, so posting them again is a replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from fractions import Fraction

from wanghong.domain import CollaborationStatus
from wanghong.settlement.engine.legs import (
    DEFAULT_PAYOUT_DAYS,
    DEFAULT_RETURN_WINDOW,
    CommissionState,
    Draft,
    Parties,
    Terms,
    budget_freeze,
    commission_clawback,
    commission_fen,
    commission_hold,
    commission_outcomes,
    commission_release,
    commission_reversal,
    fee_release,
    payout_due,
)
from wanghong.settlement.engine.money import Rate, as_fraction, portion

DEFAULT_APPROVAL_RELEASE = Fraction(1, 2)  # half of the fee on approval, the rest on settlement

_FROZEN = frozenset(
    {
        CollaborationStatus.ACCEPTED,
        CollaborationStatus.CONTENT_SUBMITTED,
        CollaborationStatus.APPROVED,
        CollaborationStatus.LIVE,
        CollaborationStatus.SETTLED,
    }
)
_APPROVED = frozenset({CollaborationStatus.APPROVED, CollaborationStatus.LIVE, CollaborationStatus.SETTLED})
ENDED_BEFORE_MONEY_MOVED = frozenset({CollaborationStatus.CANCELLED, CollaborationStatus.REJECTED})


@dataclass(frozen=True)
class Policy:
    """Everything a collaboration's postings depend on besides its own figures (from `config.Settings`)."""

    terms: Terms = field(default_factory=Terms)
    approval_release: Fraction = DEFAULT_APPROVAL_RELEASE
    payout_days: int = DEFAULT_PAYOUT_DAYS
    return_window: timedelta = DEFAULT_RETURN_WINDOW

    @classmethod
    def of(
        cls,
        service_fee_rate: Rate,
        mcn_share_rate: Rate,
        approval_release: Rate = DEFAULT_APPROVAL_RELEASE,
        payout_days: int = DEFAULT_PAYOUT_DAYS,
        return_window: timedelta = DEFAULT_RETURN_WINDOW,
    ) -> Policy:
        release = as_fraction(approval_release)
        if not 0 <= release <= 1:
            raise ValueError(f"the share of a fee released on approval must lie in [0, 1], got {approval_release}")
        if payout_days < 0:
            raise ValueError(f"payout days must not be negative, got {payout_days}")
        return cls(Terms.of(service_fee_rate, mcn_share_rate), release, payout_days, return_window)


def fee_parts(fee: int, policy: Policy) -> tuple[int, int]:
    """(released on approval, released on settlement): together exactly the fee."""
    on_approval = portion(fee, policy.approval_release)
    return on_approval, fee - on_approval


def collaboration_drafts(
    p: Parties, status: CollaborationStatus, fee: int, policy: Policy, at: datetime | None = None
) -> list[Draft]:
    """The fee postings a collaboration in `status` has had (cumulatively), in posting order. A release carries
    its payout due date, T+`payout_days` from `at`. Cancelled or rejected collaborations get none here: what they
    still have frozen is read from the ledger and unfrozen (`budget_unfreeze`)."""
    if fee <= 0 or status not in _FROZEN:
        return []
    drafts = [budget_freeze(p, fee)]
    due = payout_due(at, policy.payout_days) if at is not None else None
    on_approval, on_settlement = fee_parts(fee, policy)
    if status in _APPROVED and on_approval:
        drafts.append(replace(fee_release(p, on_approval, policy.terms, "approved"), due_at=due))
    if status is CollaborationStatus.SETTLED and on_settlement:
        drafts.append(replace(fee_release(p, on_settlement, policy.terms, "settled"), due_at=due))
    return drafts


def commission_drafts(
    p: Parties,
    order_id: int,
    order_amount: int,
    commission_rate: Rate,
    ordered_at: datetime,
    now: datetime,
    policy: Policy,
    refunded_at: datetime | None = None,
) -> list[Draft]:
    """An attributed order's commission as of `now` (cumulatively, in posting order): held through the return
    window; reversed if the order was refunded inside it; released once it has passed; and clawed back when the
    order was refunded after that. Empty when the commission is under a fen."""
    hold = commission_hold(p, order_id, order_amount, commission_rate)
    if hold is None:
        return []
    drafts = [hold]
    commission = commission_fen(order_amount, commission_rate)
    for state in commission_outcomes(ordered_at, refunded_at, now, policy.return_window):
        if state is CommissionState.REVERSED:
            drafts.append(commission_reversal(p, order_id, commission))
        elif state is CommissionState.RELEASED:
            due = payout_due(ordered_at + policy.return_window, policy.payout_days)
            drafts.append(replace(commission_release(p, order_id, commission, policy.terms), due_at=due))
        else:
            drafts.append(commission_clawback(p, order_id, drafts[-1].legs))
    return drafts
