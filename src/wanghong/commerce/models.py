"""The commerce loop's tables: MCNs, creators and personas, brands, products, campaigns, collaborations,
content, livestreams, viewers, orders and ingested event ids."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    false,
    select,
)
from sqlalchemy.orm import Mapped, QueryableAttribute, mapped_column, relationship

from wanghong.domain import (
    CampaignStatus,
    CityTier,
    CollaborationMode,
    CollaborationStatus,
    FollowerTier,
    McnTier,
    Platform,
    Role,
    VerificationStatus,
    ViewerAction,
)
from wanghong.kit import access
from wanghong.kit.access import Condition, by_role, nobody
from wanghong.kit.db.base import Base, Money, TimestampMixin, enum_column, utcnow

if TYPE_CHECKING:
    from wanghong.accounts.principal import Principal

# Column lengths, the one source the input schemas (commerce.schemas) bound their text by: a value the schema
# accepts always fits its column, on PostgreSQL (which refuses a longer one) as on SQLite (which would keep it).
NAME_LENGTH = 200
HANDLE_LENGTH = 64
SHORT_LABEL_LENGTH = 32  # region, industry, category
TITLE_LENGTH = 300
URL_LENGTH = 500
REASON_LENGTH = 500
EXTERNAL_ID_LENGTH = 64
EVENT_ID_LENGTH = 128


class Mcn(TimestampMixin, Base):
    __tablename__ = "mcns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
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
    reason: Mapped[str] = mapped_column(String(REASON_LENGTH), default="")

    mcn: Mapped[Mcn] = relationship(back_populates="tier_history")


class Creator(TimestampMixin, Base):
    __tablename__ = "creators"
    __table_args__ = (
        UniqueConstraint("platform", "handle"),
        CheckConstraint("followers >= 0", name="followers_non_negative"),
        Index("ix_creators_tier_followers", "follower_tier", "followers"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(HANDLE_LENGTH))
    display_name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    platform: Mapped[Platform] = mapped_column(enum_column(Platform), default=Platform.KUAISHOU)
    categories: Mapped[list[str]] = mapped_column(default=list)
    followers: Mapped[int] = mapped_column(Integer, default=0)
    follower_tier: Mapped[FollowerTier] = mapped_column(enum_column(FollowerTier))
    region: Mapped[str] = mapped_column(String(SHORT_LABEL_LENGTH), default="")
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
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    industry: Mapped[str] = mapped_column(String(SHORT_LABEL_LENGTH), default="")


class Product(TimestampMixin, Base):
    __tablename__ = "products"
    __table_args__ = (CheckConstraint("price >= 0", name="price_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    category: Mapped[str] = mapped_column(String(SHORT_LABEL_LENGTH), index=True)
    price: Mapped[Decimal] = mapped_column(Money)
    description: Mapped[str] = mapped_column(Text, default="")
    target_persona: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Campaign(TimestampMixin, Base):
    __tablename__ = "campaigns"
    __table_args__ = (CheckConstraint("budget >= 0", name="budget_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
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
    content_url: Mapped[str] = mapped_column(String(URL_LENGTH), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship()
    creator: Mapped[Creator] = relationship()


class Video(Base):
    __tablename__ = "videos"
    __table_args__ = (Index("ix_videos_creator_published", "creator_id", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
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
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH), default="")
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
    external_id: Mapped[str] = mapped_column(String(EXTERNAL_ID_LENGTH), unique=True)
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

    event_id: Mapped[str] = mapped_column(String(EVENT_ID_LENGTH), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


# What the platform records for fraud detection (issue 17): order fingerprints, sampled follower profiles and
# livestream viewer sessions. Identifiers are stored only as salted hashes. `planted` is the simulator's ground
# truth (NULL for live data); detectors never read it, the end-to-end measurement does.
FINGERPRINT_LENGTH = 64


class OrderFingerprint(Base):
    """The device, receiving address and payment instrument an order was placed with, each a salted hash."""

    __tablename__ = "order_fingerprints"

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    device_hash: Mapped[str] = mapped_column(String(FINGERPRINT_LENGTH))
    address_hash: Mapped[str] = mapped_column(String(FINGERPRINT_LENGTH))
    payment_hash: Mapped[str] = mapped_column(String(FINGERPRINT_LENGTH))
    planted: Mapped[str | None] = mapped_column(String(SHORT_LABEL_LENGTH))


class FollowerSample(Base):
    """One sampled follower's public profile counts (the `score-accounts` contract's fields)."""

    __tablename__ = "follower_samples"

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    sampled_at: Mapped[datetime]
    followers: Mapped[int] = mapped_column(Integer)
    following: Mapped[int] = mapped_column(Integer)
    posts: Mapped[int] = mapped_column(Integer)
    has_avatar: Mapped[bool]
    is_private: Mapped[bool]
    bio_length: Mapped[int] = mapped_column(Integer)
    username_length: Mapped[int] = mapped_column(Integer)
    username_digits: Mapped[int] = mapped_column(Integer)
    planted: Mapped[str | None] = mapped_column(String(SHORT_LABEL_LENGTH))


class ViewerSession(Base):
    """One viewer's stay in a livestream room: seconds from the stream's start, and the comment if any."""

    __tablename__ = "viewer_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    livestream_id: Mapped[int] = mapped_column(ForeignKey("livestream_sessions.id", ondelete="CASCADE"), index=True)
    viewer_key: Mapped[str] = mapped_column(String(FINGERPRINT_LENGTH))
    enter_s: Mapped[float] = mapped_column(Float)
    leave_s: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(String(REASON_LENGTH), default="")
    planted: Mapped[str | None] = mapped_column(String(SHORT_LABEL_LENGTH))


# Row scopes: who reads which commerce rows. `creators_of` and `creator_owned` are public because the tables of
# other capabilities that hang off a creator (violations, claims) are scoped the same way.


def creators_of(p: Principal) -> Condition:
    """The creators a principal speaks for: an MCN's roster, or a creator themself."""
    if p.role is Role.MCN_MANAGER:
        return Creator.mcn_id == p.mcn_id
    if p.role is Role.CREATOR:
        return Creator.id == p.creator_id
    return false()


def creator_owned(column: QueryableAttribute[Any]) -> access.Rule[Principal]:
    """Rows whose `column` names one of the creators the principal speaks for."""

    def condition(p: Principal) -> Condition:
        # Other roles speak for no creator; saying so directly spares the database an empty subquery.
        if p.role not in (Role.MCN_MANAGER, Role.CREATOR):
            return false()
        return column.in_(select(Creator.id).where(creators_of(p)))

    return condition


def _brand_campaign_ids(p: Principal) -> Select[int]:
    return select(Campaign.id).where(Campaign.brand_id == p.brand_id)


def _livestream_scope(p: Principal) -> Condition:
    if p.role is Role.BRAND_MANAGER:
        brand_collaborations = select(Collaboration.id).where(Collaboration.campaign_id.in_(_brand_campaign_ids(p)))
        return LivestreamSession.collaboration_id.in_(brand_collaborations)
    return creator_owned(LivestreamSession.creator_id)(p)


_SCOPES: dict[type[Base], access.Rule[Principal]] = {
    Mcn: by_role(mcn_manager=lambda p: Mcn.id == p.mcn_id),
    McnTierChange: by_role(mcn_manager=lambda p: McnTierChange.mcn_id == p.mcn_id),
    Creator: creators_of,
    FanPersona: creator_owned(FanPersona.creator_id),
    Brand: by_role(brand_manager=lambda p: Brand.id == p.brand_id),
    Product: by_role(brand_manager=lambda p: Product.brand_id == p.brand_id),
    Campaign: by_role(brand_manager=lambda p: Campaign.brand_id == p.brand_id),
    Collaboration: by_role(
        brand_manager=lambda p: Collaboration.campaign_id.in_(_brand_campaign_ids(p)),
        otherwise=creator_owned(Collaboration.creator_id),
    ),
    Video: creator_owned(Video.creator_id),
    LivestreamSession: _livestream_scope,
    LivestreamMinuteStat: lambda p: LivestreamMinuteStat.session_id.in_(
        select(LivestreamSession.id).where(_livestream_scope(p))
    ),
    Order: by_role(
        brand_manager=lambda p: Order.product_id.in_(select(Product.id).where(Product.brand_id == p.brand_id)),
        otherwise=creator_owned(Order.creator_id),
    ),
    ViewerEvent: creator_owned(ViewerEvent.creator_id),
    # Viewers are shared across tenants; a tenant reaches its audience through its own viewer events.
    Viewer: nobody,
}
access.register_scopes(_SCOPES)
# Fraud signals are the platform's own evidence: tenants see the scores built from them (fraud.scores), not them.
access.register_scopes({OrderFingerprint: nobody, FollowerSample: nobody, ViewerSession: nobody})
# A brand proposes a collaboration to a creator it found through matching, though the creator's profile is not the
# brand's data; and a published video is public, so a creator (or its MCN) may name another creator's video as the
# copy of theirs in an originality claim, without gaining read access to it.
access.register_reference(Creator, brand_manager=access.everyone)
access.register_reference(Video, creator=access.everyone, mcn_manager=access.everyone)
