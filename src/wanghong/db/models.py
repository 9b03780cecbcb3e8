"""The platform's relational data model (SQLAlchemy 2, typed).

Every table the OLTP side needs lives here; analytics read the same data from Parquet later.
Enumerations are stored as strings with CHECK constraints rather than native enum types, so that the same
Alembic migrations run on SQLite and PostgreSQL and adding a value never needs an ALTER TYPE.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wanghong.db.base import Base, JSONType, utcnow
from wanghong.domain import (
    AppealStatus,
    CampaignStatus,
    CityTier,
    ClaimStatus,
    CollaborationMode,
    CollaborationStatus,
    FollowerTier,
    McnTier,
    PenaltyKind,
    PenaltyStatus,
    Platform,
    ReviewStatus,
    Role,
    Severity,
    Verdict,
    VerificationStatus,
    ViewerAction,
    ViolationStatus,
)

Money = Numeric(14, 2)


def enum_column(enum: type[StrEnum]) -> Enum:
    return Enum(
        enum,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        name=f"{enum.__name__.lower()}_value",
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Mcn(TimestampMixin, Base):
    __tablename__ = "mcns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    tier: Mapped[McnTier] = mapped_column(enum_column(McnTier), default=McnTier.UNRATED)

    tier_history: Mapped[list[McnTierChange]] = relationship(
        back_populates="mcn", order_by="McnTierChange.effective_at"
    )


class McnTierChange(Base):
    """Each S/A/B rating an MCN has held; the current one is mirrored on `mcns.tier`."""

    __tablename__ = "mcn_tier_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    mcn_id: Mapped[int] = mapped_column(ForeignKey("mcns.id", ondelete="CASCADE"), index=True)
    tier: Mapped[McnTier] = mapped_column(enum_column(McnTier))
    effective_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(String(500), default="")

    mcn: Mapped[Mcn] = relationship(back_populates="tier_history")


class Creator(TimestampMixin, Base):
    __tablename__ = "creators"
    __table_args__ = (
        UniqueConstraint("platform", "handle"),
        CheckConstraint("followers >= 0", name="followers_non_negative"),
        Index("ix_creators_tier_followers", "follower_tier", "followers"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(120))
    platform: Mapped[Platform] = mapped_column(enum_column(Platform), default=Platform.KUAISHOU)
    categories: Mapped[list[str]] = mapped_column(default=list)
    followers: Mapped[int] = mapped_column(Integer, default=0)
    follower_tier: Mapped[FollowerTier] = mapped_column(enum_column(FollowerTier))
    region: Mapped[str] = mapped_column(String(32), default="")
    city_tier: Mapped[CityTier] = mapped_column(enum_column(CityTier), default=CityTier.TIER3)
    mcn_id: Mapped[int | None] = mapped_column(ForeignKey("mcns.id", ondelete="SET NULL"), index=True)
    verification_status: Mapped[VerificationStatus] = mapped_column(
        enum_column(VerificationStatus), default=VerificationStatus.UNVERIFIED
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    persona: Mapped[FanPersona | None] = relationship(back_populates="creator", uselist=False)


class FanPersona(Base):
    """Who watches a creator: each field is a probability distribution over its vocabulary."""

    __tablename__ = "fan_personas"

    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), primary_key=True)
    gender: Mapped[dict[str, float]] = mapped_column(default=dict)
    age_bands: Mapped[dict[str, float]] = mapped_column(default=dict)
    city_tiers: Mapped[dict[str, float]] = mapped_column(default=dict)
    segments: Mapped[dict[str, float]] = mapped_column(default=dict)
    interests: Mapped[dict[str, float]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    creator: Mapped[Creator] = relationship(back_populates="persona")


class Brand(TimestampMixin, Base):
    __tablename__ = "brands"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    industry: Mapped[str] = mapped_column(String(32), default="")


class Product(TimestampMixin, Base):
    __tablename__ = "products"
    __table_args__ = (CheckConstraint("price >= 0", name="price_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32), index=True)
    price: Mapped[Decimal] = mapped_column(Money)
    description: Mapped[str] = mapped_column(Text, default="")
    target_persona: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Campaign(TimestampMixin, Base):
    __tablename__ = "campaigns"
    __table_args__ = (CheckConstraint("budget >= 0", name="budget_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    budget: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    status: Mapped[CampaignStatus] = mapped_column(enum_column(CampaignStatus), default=CampaignStatus.DRAFT)
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]


class Collaboration(TimestampMixin, Base):
    """One creator working on one campaign (optionally for one product); moves through a strict workflow."""

    __tablename__ = "collaborations"
    __table_args__ = (
        CheckConstraint("fee >= 0", name="fee_non_negative"),
        CheckConstraint("commission_rate >= 0 AND commission_rate <= 1", name="commission_rate_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"), index=True)
    mode: Mapped[CollaborationMode] = mapped_column(enum_column(CollaborationMode))
    fee: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    commission_rate: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[CollaborationStatus] = mapped_column(
        enum_column(CollaborationStatus), default=CollaborationStatus.PROPOSED, index=True
    )
    content_url: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship()
    creator: Mapped[Creator] = relationship()


class Video(Base):
    __tablename__ = "videos"
    __table_args__ = (Index("ix_videos_creator_published", "creator_id", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    script: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime]
    duration_s: Mapped[int] = mapped_column(Integer, default=0)
    views: Mapped[int] = mapped_column(Integer, default=0)
    likes: Mapped[int] = mapped_column(Integer, default=0)


class LivestreamSession(Base):
    __tablename__ = "livestream_sessions"
    __table_args__ = (Index("ix_livestreams_creator_started", "creator_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"))
    collaboration_id: Mapped[int | None] = mapped_column(
        ForeignKey("collaborations.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300), default="")
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    peak_viewers: Mapped[int] = mapped_column(Integer, default=0)
    unique_viewers: Mapped[int] = mapped_column(Integer, default=0)
    gmv: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    orders: Mapped[int] = mapped_column(Integer, default=0)
    tips: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))


class LivestreamMinuteStat(Base):
    __tablename__ = "livestream_minute_stats"
    __table_args__ = (UniqueConstraint("session_id", "minute_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("livestream_sessions.id", ondelete="CASCADE"))
    minute_at: Mapped[datetime]
    viewers: Mapped[int] = mapped_column(Integer, default=0)
    gmv: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    orders: Mapped[int] = mapped_column(Integer, default=0)
    tips: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    comments: Mapped[int] = mapped_column(Integer, default=0)


class Viewer(TimestampMixin, Base):
    """An audience member, pseudonymous: the platform keeps only persona attributes, never identity."""

    __tablename__ = "viewers"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    gender: Mapped[str] = mapped_column(String(16), default="")
    age_band: Mapped[str] = mapped_column(String(16), default="")
    city_tier: Mapped[str] = mapped_column(String(16), default="")
    segment: Mapped[str] = mapped_column(String(32), default="")


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("amount >= 0", name="amount_non_negative"),
        Index("ix_orders_creator_ordered", "creator_id", "ordered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("creators.id", ondelete="SET NULL"))
    livestream_id: Mapped[int | None] = mapped_column(
        ForeignKey("livestream_sessions.id", ondelete="SET NULL"), index=True
    )
    viewer_id: Mapped[int | None] = mapped_column(ForeignKey("viewers.id", ondelete="SET NULL"))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    amount: Mapped[Decimal] = mapped_column(Money)
    ordered_at: Mapped[datetime]


class ViewerEvent(Base):
    """A viewer's action on a creator's content: the behaviour stream audience insight learns from."""

    __tablename__ = "viewer_events"
    __table_args__ = (Index("ix_viewer_events_creator_at", "creator_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    viewer_id: Mapped[int] = mapped_column(ForeignKey("viewers.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"))
    video_id: Mapped[int | None] = mapped_column(ForeignKey("videos.id", ondelete="SET NULL"))
    livestream_id: Mapped[int | None] = mapped_column(ForeignKey("livestream_sessions.id", ondelete="SET NULL"))
    action: Mapped[ViewerAction] = mapped_column(enum_column(ViewerAction))
    value: Mapped[float] = mapped_column(Float, default=0.0)
    occurred_at: Mapped[datetime]


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


class User(TimestampMixin, Base):
    """An account. Tenancy hangs off the one organisation column that matches the role."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(role <> 'brand_manager' OR brand_id IS NOT NULL)"
            " AND (role <> 'mcn_manager' OR mcn_id IS NOT NULL)"
            " AND (role <> 'creator' OR creator_id IS NOT NULL)",
            name="tenant_matches_role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    mcn_id: Mapped[int | None] = mapped_column(ForeignKey("mcns.id", ondelete="CASCADE"))
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class ApiToken(TimestampMixin, Base):
    """A bearer token; only its SHA-256 is stored, so a database leak does not leak sessions."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship()


class IngestedEvent(Base):
    """The id of every ingested event, so a retried batch stores nothing twice."""

    __tablename__ = "ingested_events"

    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Append-only: database triggers (see the initial migration) refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class TrafficSettings(Base):
    """The operators' fair-traffic knobs (one row, id 1), read by every allocator worker."""

    __tablename__ = "traffic_settings"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("target_gini >= 0 AND target_gini <= 1", name="target_gini_unit_interval"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_gini: Mapped[float] = mapped_column(Float)
    # Follower tier value (FollowerTier) -> minimum share of windowed exposure.
    min_tier_share: Mapped[dict[str, float]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class TrafficGiniSnapshot(Base):
    """Measured exposure Gini over time, for the operators' chart (one row per snapshot per worker)."""

    __tablename__ = "traffic_gini_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    measured_gini: Mapped[float] = mapped_column(Float)
    target_gini: Mapped[float] = mapped_column(Float)
    requests: Mapped[int] = mapped_column(BigInteger)
    n_creators: Mapped[int] = mapped_column(Integer)
    worker: Mapped[str] = mapped_column(String(64), default="")


# -- compliance review (合规审核): library versions, AI scans, labelled examples, penalties, appeals ---------


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


class OriginalityClaim(Base):
    """A creator's claim (原创申诉) that another creator's video copies one of theirs.

    ``evidence`` holds what the originality engine found when the claim was filed (text similarity of
    titles and scripts, both publish times, the evidence-log entries that fix the fingerprints); a
    reviewer's decision confirms or rejects it, and a confirmed claim records a ``copied_content``
    violation against the accused creator.
    """

    __tablename__ = "originality_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    claimant_creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    accused_creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    original_video_id: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"))
    copy_video_id: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    similarity: Mapped[float] = mapped_column(Float, default=0.0)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[ClaimStatus] = mapped_column(enum_column(ClaimStatus), default=ClaimStatus.PENDING)
    violation_id: Mapped[int | None] = mapped_column(ForeignKey("violations.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
