"""合规审核 tables: violations, review tasks, library versions, AI scans, labelled examples, model runs,
policy, penalties, appeals, and the live rooms' risk (live rooms, their risk points and viewer visits)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

# Imported for the tables its foreign keys point at: without them in the metadata a flush cannot order inserts.
from wanghong.accounts import models as _accounts  # noqa: F401  (users)
from wanghong.commerce.models import LivestreamSession, creator_owned
from wanghong.domain import AppealStatus, PenaltyKind, PenaltyStatus, ReviewStatus, Severity, Verdict, ViolationStatus
from wanghong.kit import access
from wanghong.kit.access import by_role, everyone
from wanghong.kit.db.base import Base, JSONType, TimestampMixin, enum_column, utcnow

if TYPE_CHECKING:
    from wanghong.accounts.principal import Principal


class Violation(TimestampMixin, Base):
    __tablename__ = "violations"

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    category: Mapped[str] = mapped_column(String(64))
    severity: Mapped[Severity] = mapped_column(enum_column(Severity))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ViolationStatus] = mapped_column(enum_column(ViolationStatus), default=ViolationStatus.OPEN)


class ReviewTask(TimestampMixin, Base):
    """An item the AI track flagged, waiting for a person to confirm or overturn."""

    __tablename__ = "review_tasks"
    __table_args__ = (Index("ix_review_tasks_queue", "status", "priority", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("creators.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, default="")
    ai_verdict: Mapped[Verdict] = mapped_column(enum_column(Verdict))
    ai_score: Mapped[float] = mapped_column(Float, default=0.0)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime | None]
    status: Mapped[ReviewStatus] = mapped_column(enum_column(ReviewStatus), default=ReviewStatus.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")


class ComplianceLibraryVersion(Base):
    """One saved version of the violation library; the active library is the highest version."""

    __tablename__ = "compliance_library_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique, so two operators editing the same version at once cannot both win: the second gets a conflict.
    version: Mapped[int] = mapped_column(Integer, unique=True)
    body: Mapped[dict[str, Any]] = mapped_column()
    change_summary: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ComplianceScan(Base):
    """One AI verdict on one text, naming the library version and model generation that produced it."""

    __tablename__ = "compliance_scans"
    __table_args__ = (Index("ix_compliance_scans_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("creators.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    verdict: Mapped[Verdict] = mapped_column(enum_column(Verdict))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    category: Mapped[str] = mapped_column(String(32), default="")
    hits: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    library_version: Mapped[int] = mapped_column(Integer)
    model_generation: Mapped[int] = mapped_column(Integer, default=0)
    review_task_id: Mapped[int | None] = mapped_column(ForeignKey("review_tasks.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ComplianceExample(Base):
    """A text labelled by a reviewer's decision; the claim classifier trains on these at the next retrain."""

    __tablename__ = "compliance_examples"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_task_id: Mapped[int | None] = mapped_column(ForeignKey("review_tasks.id", ondelete="SET NULL"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(32), default="")
    decision: Mapped[ReviewStatus] = mapped_column(enum_column(ReviewStatus))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ComplianceModelRun(Base):
    """A retraining of the claim classifier; its id is the model generation every worker converges on."""

    __tablename__ = "compliance_model_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    examples: Mapped[int] = mapped_column(Integer, default=0)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CompliancePolicy(Base):
    """The penalty policy as data (one row, id 1), edited by administrators."""

    __tablename__ = "compliance_policy"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rules: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CompliancePenalty(Base):
    """A penalty on a creator's account, imposed by the policy when a violation is confirmed."""

    __tablename__ = "compliance_penalties"
    __table_args__ = (Index("ix_compliance_penalties_active", "status", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    violation_id: Mapped[int | None] = mapped_column(ForeignKey("violations.id", ondelete="SET NULL"))
    kind: Mapped[PenaltyKind] = mapped_column(enum_column(PenaltyKind))
    status: Mapped[PenaltyStatus] = mapped_column(enum_column(PenaltyStatus), default=PenaltyStatus.ACTIVE)
    points: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime | None]
    lifted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ComplianceAppeal(Base):
    """A creator's (or its MCN's) appeal against a penalty or a confirmed violation."""

    __tablename__ = "compliance_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    penalty_id: Mapped[int | None] = mapped_column(ForeignKey("compliance_penalties.id", ondelete="SET NULL"))
    violation_id: Mapped[int | None] = mapped_column(ForeignKey("violations.id", ondelete="SET NULL"))
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[AppealStatus] = mapped_column(enum_column(AppealStatus), default=AppealStatus.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LiveRoom(Base):
    """A livestream's running risk (see ``engine.live_risk``): message counts, the last score with its components,
    and the thresholds it is above. ``revision`` makes every change a conditional update, so two connections of
    one room cannot both raise the review task of one crossing."""

    __tablename__ = "live_rooms"
    __table_args__ = (CheckConstraint("score >= 0 AND score <= 100", name="score_range"),)

    livestream_id: Mapped[int] = mapped_column(
        ForeignKey("livestream_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    messages: Mapped[int] = mapped_column(Integer, default=0)
    transcripts: Mapped[int] = mapped_column(Integer, default=0)
    comments: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    peak: Mapped[float] = mapped_column(Float, default=0.0)
    components: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    above: Mapped[list[str]] = mapped_column(JSONType, default=list)  # thresholds crossed and not re-armed
    scored_at: Mapped[datetime | None]
    scored_messages: Mapped[int] = mapped_column(Integer, default=0)  # `messages` when last scored
    revision: Mapped[int] = mapped_column(Integer, default=0)


class LiveRiskPoint(Base):
    """One computed score of a room, kept for its line on the live page and for the review task it raised."""

    __tablename__ = "live_risk_points"
    __table_args__ = (Index("ix_live_risk_points_room", "livestream_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    livestream_id: Mapped[int] = mapped_column(ForeignKey("livestream_sessions.id", ondelete="CASCADE"))
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    score: Mapped[float] = mapped_column(Float)
    compliance: Mapped[float] = mapped_column(Float)
    fraud: Mapped[float] = mapped_column(Float)
    originality: Mapped[float] = mapped_column(Float)
    crossed: Mapped[str] = mapped_column(String(16), default="")  # the threshold this point crossed, if any
    review_task_id: Mapped[int | None] = mapped_column(ForeignKey("review_tasks.id", ondelete="SET NULL"))


class LiveVisit(Base):
    """A viewer's visit to a room (entry, exit, first comment): what the viewbot detector reads."""

    __tablename__ = "live_visits"
    __table_args__ = (Index("ix_live_visits_room_viewer", "livestream_id", "viewer_id", "entered_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    livestream_id: Mapped[int] = mapped_column(ForeignKey("livestream_sessions.id", ondelete="CASCADE"))
    viewer_id: Mapped[int] = mapped_column(BigInteger)  # as the socket takes it: up to 2⁶³ − 1
    entered_at: Mapped[datetime]
    left_at: Mapped[datetime | None]
    comment: Mapped[str] = mapped_column(String(200), default="")


def _live_visible(column: Any, p: Principal) -> access.Condition:
    """A room's rows are visible with the livestream they belong to."""
    return column.in_(select(LivestreamSession.id).where(access.scope_condition(LivestreamSession, p)))


# Row scopes (合规审核): reviewers see all of it; a creator its own violations, penalties, appeals and scans, an
# MCN its roster's. The library, its versions, labelled examples and model runs are the platform's own data.
_SCOPES: dict[type[Base], access.Rule[Principal]] = {
    Violation: by_role(reviewer=everyone, otherwise=creator_owned(Violation.creator_id)),
    ReviewTask: by_role(reviewer=everyone),
    ComplianceLibraryVersion: by_role(reviewer=everyone),
    ComplianceExample: by_role(reviewer=everyone),
    ComplianceModelRun: by_role(reviewer=everyone),
    CompliancePolicy: everyone,  # the rules every account is held to are public
    ComplianceScan: by_role(reviewer=everyone, otherwise=creator_owned(ComplianceScan.creator_id)),
    CompliancePenalty: by_role(reviewer=everyone, otherwise=creator_owned(CompliancePenalty.creator_id)),
    ComplianceAppeal: by_role(reviewer=everyone, otherwise=creator_owned(ComplianceAppeal.creator_id)),
    LiveRoom: by_role(reviewer=everyone, otherwise=lambda p: _live_visible(LiveRoom.livestream_id, p)),
    LiveRiskPoint: by_role(reviewer=everyone, otherwise=lambda p: _live_visible(LiveRiskPoint.livestream_id, p)),
    LiveVisit: by_role(reviewer=everyone, otherwise=lambda p: _live_visible(LiveVisit.livestream_id, p)),
}
access.register_scopes(_SCOPES)
