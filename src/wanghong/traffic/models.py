"""The operators' fair-traffic settings and the measured Gini over time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

# Imported for the tables its foreign keys point at: without them in the metadata a flush cannot order inserts.
from wanghong.accounts import models as _accounts  # noqa: F401  (users)
from wanghong.kit import access
from wanghong.kit.db.base import Base, utcnow


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


# Row scopes: fair-traffic settings and their measurements are the operators' (administrators') alone, as the
# service's role checks already say; the rule makes any read through `kit.access` agree.
access.register_scopes({TrafficSettings: access.nobody, TrafficGiniSnapshot: access.nobody})
