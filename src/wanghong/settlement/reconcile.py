"""Reconciliation, three ways: orders ↔ ledger ↔ payouts; each disagreement is listed.

**Orders ↔ ledger.** An order is attributed to a collaboration through its livestream (`orders.livestream_id` →
`livestream_sessions.collaboration_id`). Every attributed order whose commission is at least a fen must have a
commission hold keyed by the order, of exactly that commission, for that collaboration's creator; it is then
released or reversed at most once, for the amount held. A refund decides which: refunded inside the return window,
the commission must be reversed and never released; refunded after it, the release must be clawed back in full;
never refunded, there is neither a reversal nor a clawback.

**Ledger ↔ payouts.** A payout moves a creator's receivable to the same creator's paid account; no creator is paid
more than was credited to them (a clawback after a payout may leave the creator owing, which is not an overdraft);
and no batch pays money before it fell due — by each batch's value date, everything paid to a creator so far is
covered by credits due by then.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from wanghong.commerce.models import Order
from wanghong.settlement.collaborations import attributed_orders
from wanghong.settlement.engine import Kind, OwnerKind, Purpose, commission_fen, to_fen
from wanghong.settlement.models import LedgerAccount, LedgerPosting, LedgerTransaction, OrderRefund

_A = cast(Table, LedgerAccount.__table__).c
_P = cast(Table, LedgerPosting.__table__).c
_T = cast(Table, LedgerTransaction.__table__).c
_COMMISSION = (Kind.COMMISSION_HOLD, Kind.COMMISSION_RELEASE, Kind.COMMISSION_REVERSAL)
CLAWBACK = ":commission:clawback"  # the key suffix of a clawback (a correction keyed by its order)


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
    returned: int = 0  # what it gave back to a brand's budget (a reversal or a clawback)
    clawback: bool = False


def reconcile(session: Session) -> Reconciliation:
    result = Reconciliation()
    commissions = _commissions(session)
    by_order: dict[int | None, list[_Commission]] = defaultdict(list)
    for c in commissions:
        by_order[c.order_id].append(c)
    # The orders the ledger must answer for, attributed as the posting of commissions attributes them.
    attributed = session.execute(attributed_orders().add_columns(OrderRefund.within_window).order_by(Order.id)).all()
    seen: set[int] = set()
    for order_id, amount, _, collaboration_id, _, creator_id, _, rate, _, within_window in attributed:
        result.orders += 1
        seen.add(order_id)
        expected = commission_fen(to_fen(amount), rate)
        postings = by_order[order_id]
        result.discrepancies += _check_order(order_id, collaboration_id, creator_id, expected, postings)
        result.discrepancies += _check_refund(order_id, within_window, postings)
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
    commission_or_clawback = _T.kind.in_([k.value for k in _COMMISSION]) | (
        (_T.kind == Kind.CORRECTION.value) & _T.key.like(f"%{CLAWBACK}")
    )
    rows = session.execute(
        select(_T.id, _T.kind, _T.key, _T.order_id, _T.collaboration_id)
        .where(_T.sealed.is_(True), commission_or_clawback)
        .order_by(_T.id)
    ).all()
    found = {
        row.id: _Commission(
            row.id, Kind(row.kind), row.order_id, row.collaboration_id, clawback=row.key.endswith(CLAWBACK)
        )
        for row in rows
    }
    if not found:
        return []
    returned = session.execute(
        select(_P.transaction_id, func.sum(_P.amount))
        .join_from(cast(Table, LedgerPosting.__table__), cast(Table, LedgerAccount.__table__), _A.id == _P.account_id)
        .where(
            _P.transaction_id.in_(list(found)),
            _P.amount > 0,
            _A.owner_kind == OwnerKind.BRAND.value,
            _A.purpose == Purpose.BUDGET.value,
        )
        .group_by(_P.transaction_id)
    ).all()
    for transaction_id, total in returned:
        found[transaction_id].returned = int(total)
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


def _check_refund(order_id: int, within_window: bool | None, postings: list[_Commission]) -> list[Discrepancy]:
    """Orders ↔ refunds ↔ ledger: the refund (or its absence) and the commission's outcome agree."""
    if not any(c.kind is Kind.COMMISSION_HOLD for c in postings):
        return []  # nothing was held (a commission under a fen): a refund moves no commission
    release = next((c for c in postings if c.kind is Kind.COMMISSION_RELEASE), None)
    reversal = next((c for c in postings if c.kind is Kind.COMMISSION_REVERSAL), None)
    clawback = next((c for c in postings if c.clawback), None)
    out: list[Discrepancy] = []

    def add(kind: str, detail: str, c: _Commission | None, **amounts: int) -> None:
        out.append(
            Discrepancy(kind, detail, order_id=order_id, transaction_id=c.transaction_id if c else None, **amounts)
        )

    if within_window is None:
        for c in (reversal, clawback):
            if c is not None:
                add("refund_missing", f"{'clawback' if c.clawback else 'reversal'} of an order never refunded", c)
    elif within_window:
        if release is not None:
            add("refund_released", "order refunded inside its return window, yet its commission was released", release)
        if reversal is None:
            add("refund_not_reversed", "order refunded inside its return window has no commission reversal", None)
    elif release is not None:
        released = -release.pending
        if clawback is None:
            add(
                "refund_not_clawed_back",
                "order refunded after its window: its released commission was not clawed back",
                release,
                expected_fen=released,
                actual_fen=0,
            )
        elif clawback.returned != released:
            add(
                "clawback_amount",
                "clawback differs from the commission released",
                clawback,
                expected_fen=released,
                actual_fen=clawback.returned,
            )
    return out


def _check_order(
    order_id: int, collaboration_id: int, creator_id: int, expected: int, postings: list[_Commission]
) -> list[Discrepancy]:
    out: list[Discrepancy] = []
    postings = [c for c in postings if not c.clawback]  # a clawback undoes a release; _check_refund judges it
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
    out += _check_receivables(session)
    return out


def _check_receivables(session: Session) -> list[Discrepancy]:
    """Per creator: never paid beyond what was credited (clawbacks aside), never paid before it fell due."""
    a_table, p_table, t_table = (cast(Table, m.__table__) for m in (LedgerAccount, LedgerPosting, LedgerTransaction))
    rows = session.execute(
        select(_A.owner_id, _P.amount, _T.id, _T.kind, _T.key, _T.due_at, _T.created_at)
        .join_from(p_table, a_table, _A.id == _P.account_id)
        .join(t_table, _T.id == _P.transaction_id)
        .where(_T.sealed.is_(True), _A.owner_kind == OwnerKind.CREATOR.value, _A.purpose == Purpose.RECEIVABLE.value)
        .order_by(_A.owner_id, _T.id)
    ).all()
    credited: dict[int, int] = defaultdict(int)  # everything but clawbacks
    credits: dict[int, list[tuple[Any, int]]] = defaultdict(list)
    payments: dict[int, list[tuple[Any, int, int]]] = defaultdict(list)
    for creator_id, amount, transaction_id, kind, key, due_at, created_at in rows:
        if not key.endswith(CLAWBACK):
            credited[creator_id] += amount
        if Kind(kind) is Kind.PAYOUT:
            payments[creator_id].append((due_at or created_at, -amount, transaction_id))
        elif amount > 0:
            credits[creator_id].append((due_at or created_at, amount))
    out: list[Discrepancy] = []
    for creator_id, total in sorted(credited.items()):
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
    overdrawn = {d.creator_id for d in out}
    for creator_id, paid in sorted(payments.items()):
        if creator_id in overdrawn:
            continue  # paid beyond every credit: premature by construction, already listed once
        so_far = 0
        for value_date, fen, transaction_id in sorted(paid, key=lambda x: (x[0], x[2])):
            so_far += fen
            due = sum(c for at, c in credits[creator_id] if at <= value_date)
            if so_far > due:
                out.append(
                    Discrepancy(
                        "payout_premature",
                        "payout paid money before it fell due (more than the credits due by its value date)",
                        transaction_id=transaction_id,
                        creator_id=creator_id,
                        expected_fen=due,
                        actual_fen=so_far,
                    )
                )
                break  # one line per creator: later batches inherit the same excess
    return out
