"""Reconciliation: orders ↔ commission postings, payouts ↔ receivables; each disagreement is listed.

An order is attributed to a collaboration through its livestream (`orders.livestream_id` →
`livestream_sessions.collaboration_id`). Every attributed order whose commission is at least a fen must have a
commission hold keyed by the order, of exactly that commission, for that collaboration's creator; it is then
released or reversed at most once, for the amount held. A payout moves a creator's receivable to the same
creator's paid account, and no creator is paid more than was credited to them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from wanghong.commerce.models import Collaboration, LivestreamSession, Order
from wanghong.settlement.engine import Kind, OwnerKind, Purpose, commission_fen, to_fen
from wanghong.settlement.models import LedgerAccount, LedgerPosting, LedgerTransaction

_A = cast(Table, LedgerAccount.__table__).c
_P = cast(Table, LedgerPosting.__table__).c
_T = cast(Table, LedgerTransaction.__table__).c
_COMMISSION = (Kind.COMMISSION_HOLD, Kind.COMMISSION_RELEASE, Kind.COMMISSION_REVERSAL)


@dataclass(frozen=True)
class Discrepancy:
    kind: str
    detail: str
    order_id: int | None = None
    transaction_id: int | None = None
    collaboration_id: int | None = None
    creator_id: int | None = None
    expected_fen: int | None = None
    actual_fen: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Reconciliation:
    orders: int = 0
    discrepancies: list[Discrepancy] = field(default_factory=list)


@dataclass
class _Commission:
    transaction_id: int
    kind: Kind
    order_id: int | None
    collaboration_id: int | None
    pending: int = 0  # what it moved into (+) or out of (−) a commission-pending account
    creator_id: int | None = None


def reconcile(session: Session) -> Reconciliation:
    result = Reconciliation()
    commissions = _commissions(session)
    by_order: dict[int | None, list[_Commission]] = defaultdict(list)
    for c in commissions:
        by_order[c.order_id].append(c)
    attributed = session.execute(
        select(Order.id, Order.amount, Collaboration.id, Collaboration.creator_id, Collaboration.commission_rate)
        .join(LivestreamSession, LivestreamSession.id == Order.livestream_id)
        .join(Collaboration, Collaboration.id == LivestreamSession.collaboration_id)
        .order_by(Order.id)
    ).all()
    seen: set[int] = set()
    for order_id, amount, collaboration_id, creator_id, rate in attributed:
        result.orders += 1
        seen.add(order_id)
        expected = commission_fen(to_fen(amount), rate)
        result.discrepancies += _check_order(order_id, collaboration_id, creator_id, expected, by_order[order_id])
    for c in commissions:
        if c.order_id not in seen:
            result.discrepancies.append(
                Discrepancy(
                    "orphan_commission",
                    "commission posting names no order attributed to a collaboration",
                    order_id=c.order_id,
                    transaction_id=c.transaction_id,
                )
            )
    result.discrepancies += _check_payouts(session)
    return result


def _commissions(session: Session) -> list[_Commission]:
    rows = session.execute(
        select(_T.id, _T.kind, _T.order_id, _T.collaboration_id)
        .where(_T.sealed.is_(True), _T.kind.in_([k.value for k in _COMMISSION]))
        .order_by(_T.id)
    ).all()
    found = {row.id: _Commission(row.id, Kind(row.kind), row.order_id, row.collaboration_id) for row in rows}
    if not found:
        return []
    pending = session.execute(
        select(_P.transaction_id, _A.owner_id, func.sum(_P.amount))
        .join_from(cast(Table, LedgerPosting.__table__), cast(Table, LedgerAccount.__table__), _A.id == _P.account_id)
        .join(cast(Table, LedgerTransaction.__table__), _T.id == _P.transaction_id)
        .where(
            _T.sealed.is_(True),
            _T.kind.in_([k.value for k in _COMMISSION]),
            _A.owner_kind == OwnerKind.CREATOR.value,
            _A.purpose == Purpose.COMMISSION_PENDING.value,
        )
        .group_by(_P.transaction_id, _A.owner_id)
    ).all()
    for transaction_id, creator_id, total in pending:
        c = found[transaction_id]
        c.pending += int(total)
        c.creator_id = creator_id
    return list(found.values())


def _check_order(
    order_id: int, collaboration_id: int, creator_id: int, expected: int, postings: list[_Commission]
) -> list[Discrepancy]:
    out: list[Discrepancy] = []
    holds = [c for c in postings if c.kind is Kind.COMMISSION_HOLD]
    outcomes = [c for c in postings if c.kind is not Kind.COMMISSION_HOLD]
    if not holds and expected > 0:
        out.append(
            Discrepancy(
                "missing_commission",
                "attributed order has no commission hold",
                order_id=order_id,
                collaboration_id=collaboration_id,
                creator_id=creator_id,
                expected_fen=expected,
                actual_fen=0,
            )
        )
    for c in postings:
        if c.collaboration_id != collaboration_id or c.creator_id != creator_id:
            out.append(
                Discrepancy(
                    "commission_party",
                    f"{c.kind.value} is for collaboration {c.collaboration_id} / creator {c.creator_id}; the order is"
                    f" attributed to collaboration {collaboration_id} / creator {creator_id}",
                    order_id=order_id,
                    transaction_id=c.transaction_id,
                    collaboration_id=collaboration_id,
                    creator_id=creator_id,
                )
            )
    for c in holds:
        if c.pending != expected:
            out.append(
                Discrepancy(
                    "commission_amount",
                    "commission held differs from the order's amount × the collaboration's commission rate",
                    order_id=order_id,
                    transaction_id=c.transaction_id,
                    collaboration_id=collaboration_id,
                    expected_fen=expected,
                    actual_fen=c.pending,
                )
            )
    held = sum(c.pending for c in holds)
    if outcomes and not holds:
        out.append(
            Discrepancy(
                "commission_unheld",
                "commission released or reversed without a hold",
                order_id=order_id,
                transaction_id=outcomes[0].transaction_id,
            )
        )
    if len(outcomes) > 1:
        out.append(
            Discrepancy(
                "commission_settled_twice",
                "commission both released and reversed (or settled twice)",
                order_id=order_id,
                transaction_id=outcomes[1].transaction_id,
            )
        )
    for c in outcomes[:1]:
        if holds and -c.pending != held:
            out.append(
                Discrepancy(
                    "commission_amount",
                    f"{c.kind.value} moves a different amount from the one held",
                    order_id=order_id,
                    transaction_id=c.transaction_id,
                    expected_fen=held,
                    actual_fen=-c.pending,
                )
            )
    return out


def _check_payouts(session: Session) -> list[Discrepancy]:
    out: list[Discrepancy] = []
    a_table, p_table, t_table = (cast(Table, m.__table__) for m in (LedgerAccount, LedgerPosting, LedgerTransaction))
    rows = session.execute(
        select(_T.id, _A.owner_kind, _A.owner_id, _A.purpose, _P.amount)
        .join_from(p_table, a_table, _A.id == _P.account_id)
        .join(t_table, _T.id == _P.transaction_id)
        .where(_T.sealed.is_(True), _T.kind == Kind.PAYOUT.value)
        .order_by(_T.id)
    ).all()
    per_payout: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for transaction_id, owner_kind, owner_id, purpose, amount in rows:
        shape_ok = owner_kind == OwnerKind.CREATOR.value and (
            (purpose == Purpose.RECEIVABLE.value and amount < 0) or (purpose == Purpose.PAID.value and amount > 0)
        )
        if not shape_ok:
            out.append(
                Discrepancy(
                    "payout_legs",
                    f"payout leg on {owner_kind}:{owner_id}:{purpose} ({amount} fen) is not receivable → paid",
                    transaction_id=transaction_id,
                )
            )
        elif owner_kind == OwnerKind.CREATOR.value:
            per_payout[transaction_id][owner_id] += amount
    for transaction_id, creators in per_payout.items():
        for creator_id, off in creators.items():
            if off != 0:
                out.append(
                    Discrepancy(
                        "payout_legs",
                        "payout pays a creator other than the one whose receivable it draws",
                        transaction_id=transaction_id,
                        creator_id=creator_id,
                        actual_fen=off,
                    )
                )
    receivables = session.execute(
        select(_A.owner_id, func.sum(_P.amount))
        .join_from(p_table, a_table, _A.id == _P.account_id)
        .join(t_table, _T.id == _P.transaction_id)
        .where(_T.sealed.is_(True), _A.owner_kind == OwnerKind.CREATOR.value, _A.purpose == Purpose.RECEIVABLE.value)
        .group_by(_A.owner_id)
        .order_by(_A.owner_id)
    ).all()
    for creator_id, total in receivables:
        if total < 0:
            out.append(
                Discrepancy(
                    "payout_overdraws",
                    "creator was paid more than their receivable was credited",
                    creator_id=creator_id,
                    expected_fen=0,
                    actual_fen=int(total),
                )
            )
    return out
