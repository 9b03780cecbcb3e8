"""光合计划 cash incentives through the ledger: the budget set aside at opening, rewards only for the eligible, never
beyond the budget (not even when two operators pay at once), each reward paid once, balanced and audited."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from tests.fixtures.world import World

from wanghong.accounts.models import User
from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Creator, ViewerEvent
from wanghong.domain import ViewerAction, follower_tier
from wanghong.growth import incentives, programmes
from wanghong.growth.models import Assignment, Enrolment, Programme
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Forbidden, InvalidInput
from wanghong.settlement import ledger
from wanghong.settlement.engine import AccountRef, OwnerKind, Purpose

START = datetime(2018, 10, 1, tzinfo=UTC)
_HANDLES = itertools.count()


def principal(s: object, world: World, user: str) -> Principal:
    row = s.scalars(select(User).where(User.username == f"{user}_{world.tag}")).one()  # type: ignore[attr-defined]
    return Principal.of(row)


def receivable(s: object, creator_id: int) -> int:
    return ledger.balance(s, AccountRef(OwnerKind.CREATOR, creator_id, Purpose.RECEIVABLE))  # type: ignore[arg-type]


def open_incentive(db: Database, world: World, name: str, budget: str, reward: str = "100") -> int:
    with db.transaction() as s:
        row = programmes.create_programme(
            s,
            principal(s, world, "admin"),
            f"{name} {world.tag}",
            "incentive",
            "2018-10-01",
            1,
            budget,
            "",
            reward,
            "3",
        )
        return row.id


def enrol_with_follows(
    db: Database, world: World, programme_id: int, follows: list[int], arm: Assignment = Assignment.SELF_ENROLLED
) -> list[int]:
    """One creator per entry, enrolled, with that many follows on the programme's first day (a negative count:
    that many follows a month after it ended, which do not count)."""
    ids = []
    with db.transaction() as s:
        for n in follows:
            creator = Creator(
                handle=f"gh{next(_HANDLES)}_{world.tag}",
                display_name="光合",
                followers=2_000,
                follower_tier=follower_tier(2_000),
            )
            s.add(creator)
            s.flush()
            s.add(Enrolment(programme_id=programme_id, creator_id=creator.id, assignment=arm))
            when = START + (timedelta(days=1) if n >= 0 else timedelta(days=62))
            for j in range(abs(n)):
                s.add(
                    ViewerEvent(
                        viewer_id=world["viewer"],
                        creator_id=creator.id,
                        action=ViewerAction.FOLLOW,
                        occurred_at=when + timedelta(minutes=j),
                    )
                )
            ids.append(creator.id)
    return ids


def test_rewards_go_to_the_eligible_within_the_budget_once(db: Database, world: World) -> None:
    programme_id = open_incentive(db, world, "光合计划 A", budget="250")
    with db.transaction() as s:
        fund = ledger.legs_by_key(s, [f"incentive:{programme_id}:fund"])[f"incentive:{programme_id}:fund"]
        assert sorted(leg.amount for leg in fund) == [-25_000, 25_000]
    reached = enrol_with_follows(db, world, programme_id, [3, 5, 4])
    short, late = enrol_with_follows(db, world, programme_id, [2, -5])
    (control,) = enrol_with_follows(db, world, programme_id, [9], Assignment.RANDOMISED_CONTROL)
    with db.transaction() as s:
        admin = principal(s, world, "admin")
        assert incentives.standing(s, s.get_one(Programme, programme_id)).eligible_unpaid == 3  # type: ignore[union-attr]
        run = incentives.pay_rewards(s, admin, programme_id)
    assert (run.paid, run.unfunded, run.amount, run.budget_left) == (2, 1, Decimal("200.00"), Decimal("50.00"))
    with db.transaction() as s:
        # Oldest enrolments first: the budget covered the first two who reached the target.
        assert [receivable(s, c) for c in reached] == [10_000, 10_000, 0]
        assert [receivable(s, c) for c in (short, late, control)] == [0, 0, 0]
        assert ledger.check(s).ok
        audited = s.scalar(
            select(func.count()).where(
                AuditEntry.action == "programme.incentive_paid", AuditEntry.actor_id == admin.user_id
            )
        )
        assert audited == 2
        again = incentives.pay_rewards(s, admin, programme_id)
        assert (again.paid, again.unfunded, again.paid_total) == (0, 1, Decimal("200.00"))
        assert [receivable(s, c) for c in reached] == [10_000, 10_000, 0]
        paid = s.scalars(select(Enrolment.paid).where(Enrolment.creator_id.in_(reached)).order_by(Enrolment.id)).all()
        assert paid == [Decimal("100.00"), Decimal("100.00"), None]


def test_terms_are_validated_and_only_an_operator_pays(db: Database, world: World) -> None:
    with db.transaction() as s:
        admin = principal(s, world, "admin")
        bad = [
            ("course", "100", "10", "3"),  # a course pays no reward
            ("incentive", "100", "200", "3"),  # reward beyond the whole budget
            ("incentive", "", "10", "3"),  # a reward without a budget
            ("incentive", "100", "10", ""),  # a reward without a target
            ("incentive", "100", "0.005", "3"),  # a third decimal is not a fen
            ("incentive", "100", "10", "-1"),
        ]
        for i, (kind, budget, reward, target) in enumerate(bad):
            with pytest.raises(InvalidInput):
                programmes.create_programme(
                    s, admin, f"bad{i} {world.tag}", kind, "2018-10-01", 1, budget, "", reward, target
                )
    programme_id = open_incentive(db, world, "光合计划 B", budget="100")
    with db.transaction() as s, pytest.raises(Forbidden):
        incentives.pay_rewards(s, principal(s, world, "creatorA1"), programme_id)


def test_two_operators_paying_at_once_never_exceed_the_budget(db: Database, world: World) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    programme_id = open_incentive(db, world, "光合计划 C", budget="300")
    creators = enrol_with_follows(db, world, programme_id, [3] * 5)

    def pay(_: int) -> int:
        with db.transaction() as s:
            return incentives.pay_rewards(s, principal(s, world, "admin"), programme_id).paid

    with ThreadPoolExecutor(2) as pool:
        paid = sum(pool.map(pay, [0, 1]))
    assert paid == 3
    with db.transaction() as s:
        assert sum(receivable(s, c) for c in creators) == 30_000
        assert s.get_one(Programme, programme_id).paid_total == Decimal("300.00")
        assert ledger.check(s).ok
