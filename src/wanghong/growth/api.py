"""Growth over the API: 星火计划 grades (run, read, override, appeal, decide) and growth programmes (open, enrol,
measure)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.accounts.principal import require_role
from wanghong.domain import Role
from wanghong.growth import grades, grading, incentives, programmes
from wanghong.growth.models import McnGrade
from wanghong.growth.schemas import (
    AppealDecisionIn,
    AppealIn,
    AppealOut,
    EffectOut,
    EnrolmentOut,
    GradeOut,
    GradingRunIn,
    GradingRunOut,
    OverrideIn,
    PayoutRunOut,
    ProgrammeIn,
    ProgrammeOut,
)
from wanghong.kit import access
from wanghong.kit.http import DbSession
from wanghong.kit.schemas import PathId

router = APIRouter(prefix="/growth", tags=["星火计划与创作者成长 / growth"])


def _grade(row: McnGrade) -> dict[str, Any]:
    return {
        **{c: getattr(row, c) for c in GradeOut.model_fields if hasattr(row, c)},
        "effective": grades.effective_grade(row),
    }


@router.get("/grades", response_model=list[GradeOut], summary="月度评级 / Grades (an agency: its own history)")
def list_grades(session: DbSession, principal: CurrentPrincipal, month: str | None = None) -> list[dict[str, Any]]:
    require_role(principal, Role.MCN_MANAGER, action="reading 星火计划 grades")
    query = select(McnGrade).where(access.scope_condition(McnGrade, principal))
    if month:
        query = query.where(McnGrade.month == grading.parse_month(month))
    rows = session.scalars(query.order_by(McnGrade.month.desc(), McnGrade.score.desc()).limit(grading.BOARD_ROWS))
    return [_grade(row) for row in rows]


@router.post("/grades:run", response_model=GradingRunOut, summary="运行评级 / Grade a finished month (idempotent)")
def run_grading(body: GradingRunIn, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    require_role(principal, action="running the 星火计划 grading")
    month = grading.parse_month(body.month) if body.month else grading.last_complete_month()
    run = grading.run_grading(session, month, principal)
    return {"month": run.month, "counts": run.counts(), "agencies": run.agencies}


@router.post("/grades/{grade_id}/override", response_model=GradeOut, summary="运营调整 / Override a grade")
def override(grade_id: PathId, body: OverrideIn, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    return _grade(grading.override(session, principal, grade_id, body.tier, body.reason, body.seen))


@router.post("/grades/{grade_id}/appeals", response_model=AppealOut, status_code=201, summary="申诉 / Appeal")
def appeal(grade_id: PathId, body: AppealIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return grades.file_appeal(session, principal, grade_id, body.reason, body.requested_grade)


@router.post("/appeals/{appeal_id}/decision", response_model=AppealOut, summary="处理申诉 / Decide an appeal")
def decide(appeal_id: PathId, body: AppealDecisionIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return grading.decide_appeal(session, principal, appeal_id, body.decision == "accept", body.note, body.tier)


@router.get("/programmes", response_model=list[ProgrammeOut], summary="成长项目 / Growth programmes")
def list_programmes(session: DbSession, principal: CurrentPrincipal) -> list[dict[str, Any]]:
    return [_programme(p) for p in programmes.programmes(session)]


@router.post("/programmes", response_model=ProgrammeOut, status_code=201, summary="新建项目 / Open a programme")
def create_programme(body: ProgrammeIn, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    share = "" if body.randomised_share is None else str(body.randomised_share * 100)
    target = "" if body.target_follows is None else str(body.target_follows)
    row = programmes.create_programme(
        session,
        principal,
        body.name,
        body.kind.value,
        body.starts_on.isoformat(),
        body.months,
        body.budget,
        share,
        body.reward,
        target,
    )
    return _programme(row)


@router.post(
    "/programmes/{programme_id}/rewards:pay",
    response_model=PayoutRunOut,
    summary="发放激励 / Pay the eligible creators' rewards (re-runs pay only the newly eligible)",
)
def pay_rewards(programme_id: PathId, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    run = incentives.pay_rewards(session, principal, programme_id)
    return {
        "programme_id": run.programme_id,
        "paid": run.paid,
        "amount": str(run.amount),
        "unfunded": run.unfunded,
        "paid_total": str(run.paid_total),
        "budget_left": str(run.budget_left),
    }


@router.post(
    "/programmes/{programme_id}/enrolments", response_model=EnrolmentOut, status_code=201, summary="报名 / Enrol"
)
def enrol(programme_id: PathId, session: DbSession, principal: CurrentPrincipal) -> Any:
    return programmes.enrol(session, principal, programme_id)


@router.get("/programmes/{programme_id}/effect", response_model=EffectOut, summary="项目效果 / Measured effect")
def effect(programme_id: PathId, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    result = programmes.measure_effect(session, programme_id)
    if isinstance(result, programmes.NotMeasurable):
        return {"measurable": False, "reason": result.reason}
    return {"measurable": True, **asdict(result)}


def _programme(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "kind": row.kind,
        "starts_on": row.starts_on,
        "months": row.months,
        "budget": None if row.budget is None else str(row.budget),
        "randomised_share": row.randomised_share,
        "reward": None if row.reward is None else str(row.reward),
        "target_follows": row.target_follows,
        "paid_total": str(row.paid_total or "0.00"),
    }
