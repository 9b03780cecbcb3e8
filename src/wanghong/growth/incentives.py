"""光合计划 cash incentives through the ledger: a programme's budget set aside, and each eligible creator's reward paid
into their receivable (the day's payout batch then pays it out like any other earning).

Money moves only as balanced, idempotent ledger transactions (`settlement.ledger`), keyed by what they are about:

* opening a funded incentive programme sets its budget aside: ``incentive:<programme>:fund``, the platform's budget
  account → the platform's frozen account (the platform commits money the way a brand freezes a campaign's budget);
* a reward: ``incentive:<programme>:enrolment:<enrolment>``, the platform's frozen account → the creator's
  receivable, due at once (an incentive has no return window).

Eligibility: enrolled and not in the control arm of an A/B roll-out, and at least ``target_follows`` new follows
within the programme's months. The budget can never be exceeded, even by two operators paying at once: a reward
first claims its enrolment (``paid IS NULL``) and then the money (``paid_total + reward <= budget``), both by
conditional updates, so the second payer of a creator finds it paid and a reward beyond the budget finds no row.
Every reward is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.models import ViewerEvent
from wanghong.domain import ViewerAction
from wanghong.growth.models import Assignment, Enrolment, Programme, ProgrammeKind
from wanghong.kit import audit
from wanghong.kit.db.base import utcnow
from wanghong.kit.errors import InvalidInput, NotFound
from wanghong.settlement import ledger
from wanghong.settlement.engine import PLATFORM_ID, AccountRef, Kind, Leg, OwnerKind, Purpose, to_fen

PLATFORM_BUDGET = AccountRef(OwnerKind.PLATFORM, PLATFORM_ID, Purpose.BUDGET)
PLATFORM_FROZEN = AccountRef(OwnerKind.PLATFORM, PLATFORM_ID, Purpose.FROZEN)


def fund(session: Session, programme: Programme) -> ledger.Posted | None:
    """Set a funded incentive programme's budget aside in the ledger (a replay when it was already)."""
    if programme.kind is not ProgrammeKind.INCENTIVE or not programme.budget:
        return None
    fen = to_fen(programme.budget)
    return ledger.post(
        session,
        key=f"incentive:{programme.id}:fund",
        kind=Kind.BUDGET_FREEZE,
        legs=[Leg(PLATFORM_BUDGET, -fen), Leg(PLATFORM_FROZEN, fen)],
        memo=f"光合计划预算 / incentive budget: {programme.name}"[:200],
    )


def window(programme: Programme) -> tuple[datetime, datetime]:
    """The programme's months as a half-open UTC interval: the follows that count towards its target."""
    start = programme.starts_on
    index = start.year * 12 + start.month - 1 + programme.months
    end = date(index // 12, index % 12 + 1, min(start.day, 28))
    return datetime(start.year, start.month, start.day, tzinfo=UTC), datetime(end.year, end.month, end.day, tzinfo=UTC)


@dataclass(frozen=True)
class Standing:
    """Where a programme's money stands: set aside, paid, what is left, and how many creators are still owed."""

    budget: Decimal
    paid: Decimal
    left: Decimal
    eligible_unpaid: int


def eligible_unpaid(session: Session, programme: Programme) -> list[Enrolment]:
    """Enrolments that earned the reward and have not been paid, oldest enrolment first."""
    if programme.target_follows is None:
        return []
    start, end = window(programme)
    follows = (
        select(ViewerEvent.creator_id, func.count().label("n"))
        .where(
            ViewerEvent.action == ViewerAction.FOLLOW, ViewerEvent.occurred_at >= start, ViewerEvent.occurred_at < end
        )
        .group_by(ViewerEvent.creator_id)
        .subquery()
    )
    query = select(Enrolment).where(
        Enrolment.programme_id == programme.id,
        Enrolment.paid.is_(None),
        Enrolment.assignment != Assignment.RANDOMISED_CONTROL,
    )
    if programme.target_follows > 0:
        query = query.join(follows, follows.c.creator_id == Enrolment.creator_id).where(
            follows.c.n >= programme.target_follows
        )
    return list(session.scalars(query.order_by(Enrolment.id)))


def standing(session: Session, programme: Programme) -> Standing | None:
    if programme.kind is not ProgrammeKind.INCENTIVE or programme.budget is None:
        return None
    paid = programme.paid_total or Decimal("0")
    return Standing(programme.budget, paid, programme.budget - paid, len(eligible_unpaid(session, programme)))


@dataclass(frozen=True)
class PayoutRun:
    programme_id: int
    paid: int  # creators paid by this run
    amount: Decimal  # yuan paid by this run
    unfunded: int  # eligible creators the budget could not cover
    paid_total: Decimal  # yuan paid by the programme so far
    budget_left: Decimal


def pay_rewards(session: Session, principal: Principal, programme_id: int) -> PayoutRun:
    """Pay every eligible, unpaid creator their reward while the budget lasts; a re-run pays only the new ones."""
    require_role(principal, action="paying 光合计划 incentives")
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFound(f"programme {programme_id} not found")
    if programme.kind is not ProgrammeKind.INCENTIVE:
        raise InvalidInput("only a 光合计划 cash incentive pays rewards; this programme is a course")
    if programme.budget is None or programme.reward is None or programme.target_follows is None:
        raise InvalidInput("this incentive has no budget, reward or follow target set, so it pays nothing")
    fund(session, programme)
    reward, fen = programme.reward, to_fen(programme.reward)
    paid = unfunded = 0
    for enrolment in eligible_unpaid(session, programme):
        claimed = session.execute(
            update(Enrolment)
            .where(Enrolment.id == enrolment.id, Enrolment.paid.is_(None))
            .values(paid=reward)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue  # another payer got there first
        funded = session.execute(
            update(Programme)
            .where(Programme.id == programme.id, Programme.paid_total + reward <= Programme.budget)
            .values(paid_total=Programme.paid_total + reward)
            .execution_options(synchronize_session=False)
        )
        if funded.rowcount != 1:  # type: ignore[attr-defined]
            # The budget cannot cover this reward: give the claim back, so a top-up could pay it later.
            session.execute(
                update(Enrolment)
                .where(Enrolment.id == enrolment.id)
                .values(paid=None)
                .execution_options(synchronize_session=False)
            )
            unfunded += 1
            continue
        posted = ledger.post(
            session,
            key=f"incentive:{programme.id}:enrolment:{enrolment.id}",
            kind=Kind.FEE_RELEASE,
            legs=[
                Leg(PLATFORM_FROZEN, -fen),
                Leg(AccountRef(OwnerKind.CREATOR, enrolment.creator_id, Purpose.RECEIVABLE), fen),
            ],
            memo=f"光合计划奖励 / incentive reward: {programme.name}"[:200],
            due_at=utcnow(),
        )
        session.refresh(enrolment)
        audit.record(
            session,
            principal,
            "programme.incentive_paid",
            enrolment,
            {"programme_id": programme.id, "amount": str(reward), "ledger_transaction": posted.id},
        )
        paid += 1
    session.refresh(programme)
    return PayoutRun(
        programme.id, paid, reward * paid, unfunded, programme.paid_total, programme.budget - programme.paid_total
    )
