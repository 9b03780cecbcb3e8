"""Growth's tables: monthly MCN grades (星火计划 history), growth programmes and their enrolments.

A grade row is one agency's month: the published score, the grade the hysteresis gave, last month's grade, the
measured indicators it was computed from (so a grade can always be re-derived and explained), and, when an operator
overrode it, who and why (the reason is also written to the audit log by the service).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, Enum, Float, ForeignKey, Numeric, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column

from wanghong.commerce.models import creator_owned

# A grade appeal moves through the platform's one appeal vocabulary (the CHECK constraint is unchanged: same values,
# same name); growth's schemas and callers name it from here.
from wanghong.domain import AppealStatus as AppealStatus
from wanghong.domain import McnTier, Role
from wanghong.kit import access
from wanghong.kit.access import Condition
from wanghong.kit.db.base import Base, enum_column, utcnow

if TYPE_CHECKING:
    from wanghong.accounts.principal import Principal


class ProgrammeKind(StrEnum):
    COURSE = "course"  # 创作者学院
    INCENTIVE = "incentive"  # 光合计划


class Assignment(StrEnum):
    """How a creator came to be in a programme: the platform's randomised roll-out, or the creator's own choice."""

    RANDOMISED_TREATMENT = "randomised_treatment"
    RANDOMISED_CONTROL = "randomised_control"
    SELF_ENROLLED = "self_enrolled"


def _tier(column: str) -> Enum:
    """A grade column; each gets its own CHECK constraint name, since three share one table."""
    return enum_column(McnTier, name=f"{column}_value")


class McnGrade(Base):
    __tablename__ = "growth_mcn_grades"
    __table_args__ = (UniqueConstraint("mcn_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mcn_id: Mapped[int] = mapped_column(ForeignKey("mcns.id"), index=True)
    month: Mapped[date] = mapped_column(Date)  # the first day of the graded month
    score: Mapped[float] = mapped_column(Float)
    grade: Mapped[McnTier] = mapped_column(_tier("grade"))
    previous_grade: Mapped[McnTier | None] = mapped_column(_tier("previous_grade"))
    indicators: Mapped[dict[str, Any]] = mapped_column(JSON)
    overridden_grade: Mapped[McnTier | None] = mapped_column(_tier("overridden_grade"))
    override_reason: Mapped[str | None] = mapped_column(String(500))
    overridden_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class GradeAppeal(Base):
    """An agency's appeal against one month's grade; one per graded month, decided once by an operator."""

    __tablename__ = "growth_grade_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    grade_id: Mapped[int] = mapped_column(ForeignKey("growth_mcn_grades.id", ondelete="CASCADE"), unique=True)
    mcn_id: Mapped[int] = mapped_column(ForeignKey("mcns.id", ondelete="CASCADE"), index=True)
    requested_grade: Mapped[McnTier | None] = mapped_column(_tier("requested_grade"))
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[AppealStatus] = mapped_column(enum_column(AppealStatus), default=AppealStatus.PENDING)
    filed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(String(500), default="")


class Programme(Base):
    __tablename__ = "growth_programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[ProgrammeKind] = mapped_column(enum_column(ProgrammeKind))
    starts_on: Mapped[date] = mapped_column(Date)
    months: Mapped[int] = mapped_column(default=3)
    budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # yuan, cash incentives only
    randomised_share: Mapped[float | None] = mapped_column(Float)  # share of applicants the A/B roll-out treats
    # 光合计划: the cash a creator earns by reaching `target_follows` new follows within the programme's months,
    # and what has been paid so far; the conditional update on `paid_total` is what keeps payouts inside `budget`.
    reward: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    target_follows: Mapped[int | None]
    paid_total: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"), server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Enrolment(Base):
    __tablename__ = "growth_enrolments"
    __table_args__ = (UniqueConstraint("programme_id", "creator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("growth_programmes.id"), index=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id"), index=True)
    assignment: Mapped[Assignment] = mapped_column(enum_column(Assignment))
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    paid: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # yuan paid out (incentives)


# Row scopes: an MCN manager reads its own agency's grades and appeals; programmes are public to every signed-in
# role; an enrolment is visible to the creator and its MCN. Brands and reviewers see no grades history beyond the tier.


def _grades_of(p: Principal) -> Condition:
    return McnGrade.mcn_id == p.mcn_id if p.role is Role.MCN_MANAGER else false()


_SCOPES: dict[type[Base], access.Rule[Principal]] = {
    McnGrade: _grades_of,
    GradeAppeal: lambda p: GradeAppeal.mcn_id == p.mcn_id if p.role is Role.MCN_MANAGER else false(),
    Programme: lambda _: true(),
    Enrolment: creator_owned(Enrolment.creator_id),
}
access.register_scopes(_SCOPES)
