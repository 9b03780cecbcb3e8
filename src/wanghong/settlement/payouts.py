"""打款 / payouts: one batch a day pays every creator what has fallen due (T+`payout_days` after it was earned),
and the payout report says how much of what was due was paid by its due date, and who is waiting.

What is due to a creator is what its receivable was credited by transactions due by then, less what payouts have
already drawn from it, never more than the receivable holds (a reversal or a correction may have taken some back).
Paying is idempotent by construction: what a batch pays is no longer owed, so a second run pays only what fell due
since; two runs at once compute the same batch under the same key (the day, then ``day.2``, ``day.3`` …), and the
ledger writes it once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.kit.audit import record
from wanghong.kit.db.base import utcnow
from wanghong.kit.instants import BEIJING
from wanghong.settlement import ledger
from wanghong.settlement.engine import Kind, OwnerKind, Purpose, payout_batch
from wanghong.settlement.engine.punctuality import Earning, Payment, Punctuality, punctuality
from wanghong.settlement.models import LedgerAccount, LedgerPosting, LedgerTransaction

PAYOUT_RUN = "payout_batch.run"


@dataclass(frozen=True)
class CreatorPayouts:
    creator_id: int
    earnings: list[Earning]
    payments: list[Payment]
    receivable_fen: int


@dataclass(frozen=True)
class BatchResult:
    batch: str
    paid: dict[int, int]  # creator id → fen
    replayed: bool


@dataclass(frozen=True)
class PayoutLine:
    creator_id: int
    judged: Punctuality


@dataclass(frozen=True)
class PayoutReport:
    as_of: datetime
    due_fen: int
    on_time_fen: int
    late_paid_fen: int
    overdue_fen: int
    lines: list[PayoutLine]  # creators with anything due, most overdue first

    @property
    def on_time_share(self) -> float | None:
        return self.on_time_fen / self.due_fen if self.due_fen else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "due_fen": self.due_fen,
            "on_time_fen": self.on_time_fen,
            "late_paid_fen": self.late_paid_fen,
            "overdue_fen": self.overdue_fen,
            "on_time_share": self.on_time_share,
            "late": [
                {
                    "creator_id": line.creator_id,
                    "overdue_fen": line.judged.overdue_fen,
                    "late_paid_fen": line.judged.late_paid_fen,
                    "oldest_overdue": line.judged.oldest_overdue.isoformat() if line.judged.oldest_overdue else None,
                }
                for line in self.lines
                if line.judged.overdue_fen or line.judged.late_paid_fen
            ],
        }


def _creator_receivables(session: Session, creator_ids: Collection[int] | None) -> dict[int, CreatorPayouts]:
    """Every creator's receivable movements from sealed transactions: credits (earnings, with due dates) and the
    payouts that drew it down."""
    rows = session.execute(
        select(
            LedgerAccount.owner_id,
            LedgerPosting.amount,
            LedgerTransaction.kind,
            LedgerTransaction.due_at,
            LedgerTransaction.created_at,
        )
        .join(LedgerPosting, LedgerPosting.account_id == LedgerAccount.id)
        .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
        .where(
            LedgerTransaction.sealed.is_(True),
            LedgerAccount.owner_kind == OwnerKind.CREATOR,
            LedgerAccount.purpose == Purpose.RECEIVABLE,
            *([LedgerAccount.owner_id.in_(creator_ids)] if creator_ids is not None else []),
        )
    ).all()
    earnings: dict[int, list[Earning]] = defaultdict(list)
    payments: dict[int, list[Payment]] = defaultdict(list)
    balance: dict[int, int] = defaultdict(int)
    for creator_id, amount, kind, due_at, created_at in rows:
        balance[creator_id] += amount
        if amount > 0:
            earnings[creator_id].append(Earning(due_at or created_at, amount))
        elif Kind(kind) is Kind.PAYOUT:
            # A batch's value date is the instant it paid as of (its due_at), now unless the operator named one.
            payments[creator_id].append(Payment(due_at or created_at, -amount))
    return {
        creator_id: CreatorPayouts(creator_id, earnings[creator_id], payments[creator_id], balance[creator_id])
        for creator_id in balance
    }


def due_now(session: Session, as_of: datetime, creator_ids: Collection[int] | None = None) -> dict[int, int]:
    """Fen each creator (of `creator_ids`, or all) is owed by `as_of`: earned and due, not yet paid, and still in
    the receivable."""
    owed: dict[int, int] = {}
    for creator in _creator_receivables(session, creator_ids).values():
        earned_due = sum(e.fen for e in creator.earnings if e.due_at <= as_of)
        paid = sum(p.fen for p in creator.payments)
        amount = min(creator.receivable_fen, earned_due - paid)
        if amount > 0:
            owed[creator.creator_id] = amount
    return owed


def run_batch(
    session: Session,
    principal: Principal,
    as_of: datetime | None = None,
    creator_ids: Collection[int] | None = None,
) -> BatchResult:
    """Pay everything due by `as_of` (now by default) to `creator_ids` (or every creator) in one batch keyed by
    its Beijing day; admins only."""
    require_role(principal, action="running payouts")
    instant = as_of or utcnow()
    day = instant.astimezone(BEIJING).date().isoformat()
    earlier = session.scalars(
        select(LedgerTransaction.key).where(
            LedgerTransaction.kind == Kind.PAYOUT, LedgerTransaction.key.like(f"payout:{day}%")
        )
    ).all()
    batch = day if not earlier else f"{day}.{len(earlier) + 1}"
    owed = due_now(session, instant, creator_ids)
    if not owed:
        return BatchResult(batch, {}, replayed=False)
    draft = payout_batch(batch, sorted(owed.items()), due_at=instant)
    [posted] = ledger.post_many(session, [draft])
    if posted.replayed:
        return BatchResult(batch, {}, replayed=True)
    transaction = session.get(LedgerTransaction, posted.id)
    assert transaction is not None
    record(
        session, principal, PAYOUT_RUN, transaction, {"batch": batch, "creators": len(owed), "fen": sum(owed.values())}
    )
    return BatchResult(batch, owed, replayed=False)


def report(session: Session, as_of: datetime | None = None, creator_ids: Collection[int] | None = None) -> PayoutReport:
    """How much of what fell due by `as_of` was paid by its due date, late, or not at all, per creator."""
    instant = as_of or utcnow()
    lines = [
        PayoutLine(c.creator_id, punctuality(c.earnings, c.payments, instant))
        for c in _creator_receivables(session, creator_ids).values()
    ]
    lines = [line for line in lines if line.judged.due_fen]
    lines.sort(key=lambda line: (-line.judged.overdue_fen, -line.judged.late_paid_fen, line.creator_id))
    return PayoutReport(
        instant,
        sum(line.judged.due_fen for line in lines),
        sum(line.judged.on_time_fen for line in lines),
        sum(line.judged.late_paid_fen for line in lines),
        sum(line.judged.overdue_fen for line in lines),
        lines,
    )
