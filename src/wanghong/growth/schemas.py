"""Request and response shapes of the growth API: 星火计划 grades, overrides and appeals; growth programmes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from wanghong.domain import McnTier
from wanghong.growth.models import AppealStatus, Assignment, ProgrammeKind
from wanghong.kit.schemas import Input, Output

Month = Field(pattern=r"^\d{4}-\d{2}$", description="a month, YYYY-MM")
Reason = Field(min_length=1, max_length=500)


class GradeOut(Output):
    id: int
    mcn_id: int
    month: date = Field(description="the first day of the graded month")
    score: float = Field(description="the published formula's score, 0–100")
    grade: McnTier = Field(description="what the formula and its hysteresis gave")
    previous_grade: McnTier | None = Field(description="last month's effective grade, the hysteresis' start")
    overridden_grade: McnTier | None
    override_reason: str | None
    effective: McnTier = Field(description="what the agency holds for the month: the override, else the grade")
    indicators: dict[str, float | int | bool | str | list[int] | None]


class GradingRunIn(Input):
    month: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}$", description="YYYY-MM; default last month")


class GradedAgencyOut(Output):
    mcn_id: int
    name: str
    score: float
    grade: McnTier
    previous: McnTier | None
    effective: McnTier
    tier_changed: bool


class GradingRunOut(Output):
    month: date
    counts: dict[str, int]
    agencies: list[GradedAgencyOut]


class OverrideIn(Input):
    tier: McnTier
    reason: str = Field(min_length=1, max_length=500, description="required; written to the audit log")
    seen: McnTier = Field(description="the grade the operator was looking at; another decision since is a 409")


class AppealIn(Input):
    reason: str = Field(min_length=1, max_length=500)
    requested_grade: McnTier | None = None


class AppealDecisionIn(Input):
    decision: Literal["accept", "reject"]
    tier: McnTier | None = Field(default=None, description="the grade on acceptance; default what was asked for")
    note: str = Field(default="", max_length=500, description="required when rejecting")


class AppealOut(Output):
    id: int
    grade_id: int
    mcn_id: int
    requested_grade: McnTier | None
    reason: str
    status: AppealStatus
    filed_at: datetime
    decided_at: datetime | None
    decision_note: str


class ProgrammeIn(Input):
    name: str = Field(min_length=1, max_length=120)
    kind: ProgrammeKind
    starts_on: date
    months: int = Field(default=3, ge=1, le=24)
    budget: str = Field(default="", max_length=20, description="yuan, cash incentives only")
    randomised_share: float | None = Field(
        default=None, gt=0, lt=1, description="A/B roll-out: the share of applicants the draw treats"
    )
    reward: str = Field(default="", max_length=20, description="yuan a creator earns on reaching the follow target")
    target_follows: int | None = Field(default=None, ge=0, description="new follows within the programme's months")


class ProgrammeOut(Output):
    id: int
    name: str
    kind: ProgrammeKind
    starts_on: date
    months: int
    budget: str | None
    randomised_share: float | None
    reward: str | None = None
    target_follows: int | None = None
    paid_total: str = Field(default="0.00", description="yuan paid out as rewards so far")


class PayoutRunOut(Output):
    programme_id: int
    paid: int = Field(description="creators this run paid")
    amount: str = Field(description="yuan this run paid")
    unfunded: int = Field(description="eligible creators the remaining budget could not cover")
    paid_total: str
    budget_left: str


class EnrolmentOut(Output):
    id: int
    programme_id: int
    creator_id: int
    assignment: Assignment
    enrolled_at: datetime


class EffectOut(Output):
    measurable: bool
    reason: str | None = None
    method: str | None = None
    estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    naive: float | None = Field(default=None, description="shown beside the estimate, never alone")
    treated: int | None = None
    compared: int | None = None
    refutations: dict[str, bool] = Field(default_factory=dict)
