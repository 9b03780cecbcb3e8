"""MCN market concentration from the platform's orders, and the growth tables' round trip."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from tests.fixtures.world import World

from wanghong.commerce.models import Order
from wanghong.domain import McnTier
from wanghong.growth.market import monthly_concentration
from wanghong.growth.models import Assignment, Enrolment, McnGrade, Programme, ProgrammeKind
from wanghong.kit.db.session import Database

MONTH = date(2019, 2, 1)  # a month no other test writes orders in


def test_monthly_concentration_of_mcn_gmv(db: Database, world: World) -> None:
    with db.transaction() as s:
        for creator, product, amount in (("creatorA1", "productA", "300.00"), ("creatorB1", "productB", "100.00")):
            s.add(
                Order(
                    product_id=world[product],
                    creator_id=world[creator],
                    amount=Decimal(amount),
                    ordered_at=datetime(2019, 2, 14, 9, tzinfo=UTC),
                )
            )
    with db.transaction() as s:
        (feb,) = monthly_concentration(s, [MONTH])
    assert feb.gmv_by_mcn == {world["mcnA"]: Decimal("300.00"), world["mcnB"]: Decimal("100.00")}
    assert feb.concentration.cr5 == pytest.approx(1.0)
    assert feb.concentration.hhi == pytest.approx(75**2 + 25**2)


def test_grade_programme_and_enrolment_rows_round_trip(db: Database, world: World) -> None:
    with db.transaction() as s:
        programme = Programme(
            name=f"创作者学院 {world.tag}", kind=ProgrammeKind.COURSE, starts_on=MONTH, randomised_share=0.5
        )
        s.add(programme)
        s.flush()
        s.add(Enrolment(programme_id=programme.id, creator_id=world["creatorA2"], assignment=Assignment.SELF_ENROLLED))
        s.add(McnGrade(mcn_id=world["mcnA"], month=MONTH, score=71.5, grade=McnTier.A, indicators={"gmv": 3e6}))
    with db.transaction() as s:
        grade = s.query(McnGrade).filter_by(mcn_id=world["mcnA"], month=MONTH).one()
        assert (grade.grade, grade.previous_grade, grade.indicators["gmv"]) == (McnTier.A, None, 3e6)
        enrolment = s.query(Enrolment).filter_by(creator_id=world["creatorA2"]).one()
        assert enrolment.assignment is Assignment.SELF_ENROLLED and enrolment.completed_at is None
