"""The commerce loop's tables: MCNs, creators and personas, brands, products, campaigns, collaborations,
content, livestreams, viewers, orders and ingested event ids.

Enumerations are stored as strings with CHECK constraints rather than native enum types, so that the same
Alembic migrations run on SQLite and PostgreSQL and adding a value never needs an ALTER TYPE.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wanghong.domain import (
    CampaignStatus,
    CityTier,
    CollaborationMode,
    CollaborationStatus,
    FollowerTier,
    McnTier,
    Platform,
    VerificationStatus,
    ViewerAction,
)
from wanghong.kit.db.base import Base, Money, TimestampMixin, enum_column, utcnow


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


class IngestedEvent(Base):
    """The id of every ingested event, so a retried batch stores nothing twice."""

    __tablename__ = "ingested_events"

    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
