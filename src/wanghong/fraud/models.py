"""Fraud's stored results: one scan per Beijing day, and what it found — audience quality per creator, 刷单 scores
per order, rings of fake orders, and per livestream room the real viewers estimated next to the reported ones.

The signals the scan reads (order fingerprints, follower samples, viewer sessions) are commerce's rows; only the
conclusions live here. A day's scan replaces its own rows when it is run again, so the tables hold one answer per
day and the latest scan is the one pages show.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from wanghong.commerce.models import Order, Product, creator_owned
from wanghong.domain import Role
from wanghong.kit import access
from wanghong.kit.access import Condition, by_role, everyone
from wanghong.kit.db.base import Base, JSONType, utcnow

if TYPE_CHECKING:
    from wanghong.accounts.principal import Principal

SIGNATURE_LENGTH = 64


class FraudScan(Base):
    __tablename__ = "fraud_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)  # Beijing calendar day the scan stands for
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    creators: Mapped[int] = mapped_column(Integer, default=0)
    orders: Mapped[int] = mapped_column(Integer, default=0)
    flagged_orders: Mapped[int] = mapped_column(Integer, default=0)
    rooms: Mapped[int] = mapped_column(Integer, default=0)
    rings: Mapped[int] = mapped_column(Integer, default=0)
    holds: Mapped[int] = mapped_column(Integer, default=0)  # commission holds posted by this scan (new ones)
    review_tasks: Mapped[int] = mapped_column(Integer, default=0)  # review tasks raised by this scan (new ones)


class CreatorQuality(Base):
    """Audience-quality score 0–100 of one creator in one scan, with the signals behind it."""

    __tablename__ = "fraud_creator_quality"
    __table_args__ = (
        UniqueConstraint("scan_id", "creator_id"),
        Index("ix_fraud_creator_quality_creator", "creator_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("fraud_scans.id", ondelete="CASCADE"))
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer)
    real_share: Mapped[float] = mapped_column(Float)
    mass_follower_share: Mapped[float] = mapped_column(Float)
    engagement_z: Mapped[float | None] = mapped_column(Float)
    template_comment_share: Mapped[float | None] = mapped_column(Float)
    sample_size: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[str]] = mapped_column(default=list)  # each "中文 / English"


class FraudRing(Base):
    """Buyers linked by the devices, addresses and payments their flagged orders share, in one scan."""

    __tablename__ = "fraud_rings"
    __table_args__ = (UniqueConstraint("scan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("fraud_scans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    # Hash of the ring's sorted buyer ids: the same ring found on another day keeps its review task.
    signature: Mapped[str] = mapped_column(String(SIGNATURE_LENGTH), index=True)
    orders: Mapped[int] = mapped_column(Integer)
    buyers: Mapped[int] = mapped_column(Integer)
    creator_ids: Mapped[list[int]] = mapped_column(JSONType, default=list)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    top_score: Mapped[float] = mapped_column(Float)
    review_task_id: Mapped[int | None]  # the compliance review task raised for it (compliance.models.ReviewTask)
    cleared: Mapped[bool] = mapped_column(Boolean, default=False)  # its review task was overturned


class OrderFraudScore(Base):
    """The 刷单 score of one order in one scan. Orders scoring below `fraud.service.STORE_FROM` are not stored:
    absent means scored and clean."""

    __tablename__ = "fraud_order_scores"
    __table_args__ = (
        UniqueConstraint("scan_id", "order_id"),
        Index("ix_fraud_order_scores_flagged", "scan_id", "flagged"),
        Index("ix_fraud_order_scores_order", "order_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("fraud_scans.id", ondelete="CASCADE"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    flagged: Mapped[bool] = mapped_column(Boolean)
    ring_number: Mapped[int | None] = mapped_column(Integer)
    buyer_score: Mapped[float] = mapped_column(Float, default=0.0)  # the largest score among the buyer's orders
    held: Mapped[bool] = mapped_column(Boolean, default=False)  # its commission is held in the ledger
    # Its ring's review task was overturned: not counted as fake (flagged is then false), its hold released.
    cleared: Mapped[bool] = mapped_column(Boolean, default=False)


class RoomEstimate(Base):
    """One livestream room in one scan: reported entries and concurrent viewers beside the estimated real ones."""

    __tablename__ = "fraud_room_estimates"
    __table_args__ = (UniqueConstraint("scan_id", "livestream_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("fraud_scans.id", ondelete="CASCADE"), index=True)
    livestream_id: Mapped[int] = mapped_column(ForeignKey("livestream_sessions.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"))
    sessions: Mapped[int] = mapped_column(Integer)
    flagged_sessions: Mapped[int] = mapped_column(Integer)
    estimated_real_entries: Mapped[float] = mapped_column(Float)
    peak_reported_concurrent: Mapped[float] = mapped_column(Float)
    peak_real_concurrent: Mapped[float] = mapped_column(Float)
    bursts: Mapped[int] = mapped_column(Integer)
    # [[minute, reported entries, estimated real entries, reported concurrent, real concurrent], …]
    minutes: Mapped[list[Any]] = mapped_column(JSONType, default=list)


# Row scopes. Audience quality is what brands choose creators by: everyone signed in reads it, like the creator's
# profile. Order scores are visible to the brand whose product was ordered and to the creator (or MCN) it was
# ordered through; rooms to the creator side. Rings and scans are the operators' (admins see everything).


def _visible_orders(p: Principal) -> Condition:
    if p.role is Role.BRAND_MANAGER:
        return OrderFraudScore.order_id.in_(
            select(Order.id).join(Product, Product.id == Order.product_id).where(Product.brand_id == p.brand_id)
        )
    return OrderFraudScore.order_id.in_(select(Order.id).where(creator_owned(Order.creator_id)(p)))


_SCOPES: dict[type[Base], access.Rule[Principal]] = {
    FraudScan: everyone,
    CreatorQuality: everyone,
    OrderFraudScore: _visible_orders,
    RoomEstimate: by_role(otherwise=creator_owned(RoomEstimate.creator_id)),
    FraudRing: by_role(),
}
access.register_scopes(_SCOPES)
