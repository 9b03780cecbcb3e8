"""星火计划 grading service over the platform's rows: the month's grade stored once, `mcns.tier` following it,
the operator's override (reason required, audited, 409 on a stale view) and an agency's appeal decided once."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.fixtures.databases import migrated_database
from tests.fixtures.world import World
from typer.testing import CliRunner

from wanghong.accounts.models import User
from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Creator, Mcn, McnTierChange, Order
from wanghong.domain import FollowerTier, McnTier
from wanghong.growth import grades, grading
from wanghong.growth.models import AppealStatus, GradeAppeal, McnGrade
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Conflict, InvalidInput, NotFound
from wanghong.settlement import refunds
from wanghong.settlement.refunds import ComplaintCategory

MARCH, APRIL, MAY = date(2018, 3, 1), date(2018, 4, 1), date(2018, 5, 1)  # months no other test grades or orders in


def principal(s: object, world: World, user: str) -> Principal:
    row = s.scalars(select(User).where(User.username == f"{user}_{world.tag}")).one()  # type: ignore[attr-defined]
    return Principal.of(row)


def sell(db: Database, world: World, creator: str, amount: str, day: datetime) -> None:
    with db.transaction() as s:
        s.add(Order(product_id=world["productA"], creator_id=world[creator], amount=Decimal(amount), ordered_at=day))


def agencies(world: World) -> list[int]:
    return [world["mcnA"], world["mcnB"]]


def test_a_month_is_graded_once_and_the_tier_follows(db: Database, world: World) -> None:
    sell(db, world, "creatorA1", "2500000.00", datetime(2018, 3, 10, 9, tzinfo=UTC))
    sell(db, world, "creatorB1", "900.00", datetime(2018, 3, 11, 9, tzinfo=UTC))
    with db.transaction() as s:
        run = grading.run_grading(s, MARCH, only=agencies(world))
    by_mcn = {a.mcn_id: a for a in run.agencies}
    assert set(by_mcn) == set(agencies(world))
    assert by_mcn[world["mcnA"]].score > by_mcn[world["mcnB"]].score  # more GMV, all else equal
    with db.transaction() as s:
        row = s.scalars(select(McnGrade).where(McnGrade.mcn_id == world["mcnA"], McnGrade.month == MARCH)).one()
        mcn = s.get_one(Mcn, world["mcnA"])
        assert mcn.tier is row.grade is by_mcn[world["mcnA"]].grade
        assert row.indicators["gmv"] == pytest.approx(2_500_000.0)
        assert row.indicators["roster"] == sorted([world["creatorA1"], world["creatorA2"]])
        assert row.previous_grade is None
        changes = s.scalar(select(func.count()).where(McnTierChange.mcn_id == world["mcnA"]))
    with db.transaction() as s:  # the re-run stores nothing twice
        again = grading.run_grading(s, MARCH, only=agencies(world))
        assert s.scalar(select(func.count()).where(McnGrade.mcn_id == world["mcnA"])) == 1
        assert s.scalar(select(func.count()).where(McnTierChange.mcn_id == world["mcnA"])) == changes
    assert [a.score for a in again.agencies] == [a.score for a in run.agencies]
    assert not any(a.tier_changed for a in again.agencies)

    with db.transaction() as s:  # April starts from March's grade (hysteresis) and keeps March's roster for retention
        april = {a.mcn_id: a for a in grading.run_grading(s, APRIL, only=agencies(world)).agencies}
        row = s.scalars(select(McnGrade).where(McnGrade.mcn_id == world["mcnA"], McnGrade.month == APRIL)).one()
    assert april[world["mcnA"]].previous is by_mcn[world["mcnA"]].effective
    assert row.indicators["retention"] == 1.0 and row.indicators["retention_basis"] == "2018-03"


def test_complaints_on_the_month_s_orders_count_against_the_agency(db: Database, world: World) -> None:
    for day in (3, 4):
        sell(db, world, "creatorA1", "100.00", datetime(2018, 5, day, 9, tzinfo=UTC))
    sell(db, world, "creatorB1", "100.00", datetime(2018, 5, 5, 9, tzinfo=UTC))
    with db.transaction() as s:
        complained = s.scalar(
            select(Order.id)
            .where(
                Order.creator_id == world["creatorA1"],
                Order.ordered_at >= datetime(2018, 5, 1, tzinfo=UTC),
                Order.ordered_at < datetime(2018, 6, 1, tzinfo=UTC),
            )
            .order_by(Order.id)
        )
        assert complained is not None
        refunds.file_complaint(s, principal(s, world, "admin"), complained, ComplaintCategory.QUALITY)
        grading.run_grading(s, MAY, only=agencies(world))
        rows = {
            r.mcn_id: r.indicators
            for r in s.scalars(select(McnGrade).where(McnGrade.month == MAY, McnGrade.mcn_id.in_(agencies(world))))
        }
    # One complained order of mcnA's two in May: 500 per 1,000 orders; mcnB's order drew none.
    assert rows[world["mcnA"]]["complaint_rate"] == pytest.approx(500.0) and rows[world["mcnA"]]["complaints_measured"]
    assert rows[world["mcnB"]]["complaint_rate"] == 0.0


def test_a_month_not_yet_over_is_refused(db: Database) -> None:
    with db.transaction() as s, pytest.raises(InvalidInput):
        grading.run_grading(s, grading.first_of(datetime.now(UTC).date()))


def test_override_needs_a_reason_is_audited_and_refuses_a_stale_view(db: Database, world: World) -> None:
    with db.transaction() as s:
        grading.run_grading(s, MARCH, only=agencies(world))
        row = s.scalars(select(McnGrade).where(McnGrade.mcn_id == world["mcnB"], McnGrade.month == MARCH)).one()
        grade_id, shown = row.id, grades.effective_grade(row)
    with db.transaction() as s:
        admin = principal(s, world, "admin")
        with pytest.raises(InvalidInput):
            grading.override(s, admin, grade_id, McnTier.S, "  ", shown)
    with db.transaction() as s:
        admin = principal(s, world, "admin")
        grading.override(s, admin, grade_id, McnTier.S, "头部品牌专项合作，数据延迟入账", shown)
    with db.transaction() as s:
        assert s.get_one(Mcn, world["mcnB"]).tier is McnTier.S
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "mcn_grade.override", AuditEntry.entity_id == str(grade_id))
        ).one()
        assert entry.detail["reason"] == "头部品牌专项合作，数据延迟入账" and entry.detail["to"] == "S"
        latest = s.scalars(
            select(McnTierChange).where(McnTierChange.mcn_id == world["mcnB"]).order_by(McnTierChange.id.desc())
        ).first()
        assert latest is not None and latest.tier is McnTier.S and "头部品牌" in latest.reason
    with db.transaction() as s, pytest.raises(Conflict):  # a second operator still looking at the old grade
        grading.override(s, principal(s, world, "admin"), grade_id, McnTier.A, "另一位运营的调整", shown)
    with db.transaction() as s:  # a re-run keeps the override
        grading.run_grading(s, MARCH, only=agencies(world))
        assert s.get_one(Mcn, world["mcnB"]).tier is McnTier.S


def test_an_agency_appeals_once_and_the_appeal_is_decided_once(db: Database, world: World) -> None:
    with db.transaction() as s:
        grading.run_grading(s, MARCH, only=agencies(world))
        row = s.scalars(select(McnGrade).where(McnGrade.mcn_id == world["mcnA"], McnGrade.month == MARCH)).one()
        grade_id, held = row.id, grades.effective_grade(row)
    wanted = McnTier.S if held is not McnTier.S else McnTier.A
    with db.transaction() as s:
        mcn_b = principal(s, world, "mcnB")
        with pytest.raises(NotFound):  # another agency's grade is not found
            grades.file_appeal(s, mcn_b, grade_id, "reason")
        with pytest.raises(InvalidInput):
            grades.file_appeal(s, principal(s, world, "mcnA"), grade_id, "")
    with db.transaction() as s:
        appeal = grades.file_appeal(s, principal(s, world, "mcnA"), grade_id, "三月有一场大促订单延迟入账", wanted)
        appeal_id = appeal.id
    with db.transaction() as s, pytest.raises(Conflict):
        grades.file_appeal(s, principal(s, world, "mcnA"), grade_id, "再次申诉")
    with db.transaction() as s:
        card = grades.card(s, s.get_one(Mcn, world["mcnA"]))
        assert not card.appealable and card.appeals[0].status is AppealStatus.PENDING
        assert card.explanation is not None and card.latest is not None and card.latest.id == grade_id

    def decide(accept: bool) -> str:
        try:
            with db.transaction() as s:
                note = "核实订单后上调" if accept else "数据无误"
                grading.decide_appeal(s, principal(s, world, "admin"), appeal_id, accept, note)
            return "won"
        except Conflict:
            return "409"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(decide, [True, False]))
    assert outcomes == ["409", "won"]
    with db.transaction() as s:
        appeal = s.get_one(GradeAppeal, appeal_id)
        tier = s.get_one(Mcn, world["mcnA"]).tier
        assert appeal.status in (AppealStatus.ACCEPTED, AppealStatus.REJECTED)
        assert tier is (wanted if appeal.status is AppealStatus.ACCEPTED else held)


def test_grade_command_grades_a_database_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wanghong.growth.cli import app

    with migrated_database("sqlite", tmp_path) as url:
        scratch = Database(url)
        with scratch.transaction() as s:
            mcn = Mcn(name="星河传媒")
            s.add(mcn)
            s.flush()
            s.add(
                Creator(
                    handle="xinghe1",
                    display_name="星河一号",
                    followers=50_000,
                    follower_tier=FollowerTier.MICRO,
                    mcn_id=mcn.id,
                )
            )
        scratch.dispose()
        monkeypatch.setenv("WANGHONG_DATABASE_URL", url)
        runner = CliRunner()
        bad = runner.invoke(app, ["grade", "--month", "2018/03"])
        assert bad.exit_code == 2 and "YYYY-MM" in bad.output
        first = runner.invoke(app, ["grade", "--month", "2017-01", "--json"])
        again = runner.invoke(app, ["grade", "--month", "2017-01", "--json"])
    assert first.exit_code == 0, first.output
    body, rerun = json.loads(first.stdout), json.loads(again.stdout)
    assert body["month"] == "2017-01" and set(body["counts"]) == {"S", "A", "B", "unrated"}
    (agency,) = body["agencies"]
    assert agency["name"] == "星河传媒" and agency["previous"] is None
    assert rerun["agencies"][0]["score"] == agency["score"] and not rerun["agencies"][0]["tier_changed"]
