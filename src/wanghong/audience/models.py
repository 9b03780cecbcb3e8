"""人群洞察's tables: each brand's crowd packs (人群包), every privacy release it was given, its monthly ε budget.

A pack row keeps the *definition* (segments and behaviours combined by union / intersection / exclusion), never a
member list: members are recomputed from the platform's behaviour rows whenever they are needed. What a brand was
told about a pack is in `audience_releases`, one row per release with the ε it cost. The budget row of a (brand,
month) is the one place that ε is summed; a release raises `spent_micro` with a conditional UPDATE, so two releases
at once cannot overspend, and the CHECK keeps even a faulty writer from passing the limit.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, CheckConstraint, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from wanghong.kit import access
from wanghong.kit.db.base import Base, JSONType, TimestampMixin, enum_column, utcnow

if TYPE_CHECKING:
    from wanghong.accounts.principal import Principal

PACK_NAME_LENGTH = 100
MONTH_LENGTH = 7  # 'YYYY-MM', the Beijing-time calendar month


class ReleaseKind(StrEnum):
    PACK_SIZE = "pack_size"  # a pack's noised size
    SEGMENT_SIZES = "segment_sizes"  # the noised size of every rule segment at once (the segment explorer)
    EXPORT = "export"  # hashed ids of a k-anonymous pack (no ε: its protection is k-anonymity)


class CrowdPack(TimestampMixin, Base):
    __tablename__ = "audience_packs"
    __table_args__ = (Index("ix_audience_packs_brand", "brand_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(PACK_NAME_LENGTH))
    # The validated `schemas.PackDefinition`, as JSON.
    definition: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PrivacyRelease(Base):
    __tablename__ = "audience_releases"
    __table_args__ = (
        CheckConstraint("epsilon >= 0", name="epsilon_non_negative"),
        Index("ix_audience_releases_brand_month", "brand_id", "month"),
        Index("ix_audience_releases_pack", "pack_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    pack_id: Mapped[int | None] = mapped_column(ForeignKey("audience_packs.id", ondelete="SET NULL"))
    kind: Mapped[ReleaseKind] = mapped_column(enum_column(ReleaseKind))
    epsilon: Mapped[float] = mapped_column(Float)
    month: Mapped[str] = mapped_column(String(MONTH_LENGTH))
    # What was released: noised counts by key (pack_size: {"size": n}; segment_sizes: one per segment), or for an
    # export how many hashed ids left and how many members were suppressed.
    released: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # ± this around each count holds the true count with 95% probability (0 for an export).
    accuracy: Mapped[float] = mapped_column(Float, default=0.0)
    released_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    released_at: Mapped[datetime] = mapped_column(default=utcnow)


class PrivacyBudget(Base):
    __tablename__ = "audience_budgets"
    __table_args__ = (CheckConstraint("spent_micro >= 0 AND spent_micro <= limit_micro", name="within_limit"),)

    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[str] = mapped_column(String(MONTH_LENGTH), primary_key=True)
    # Micro-ε, so that ten releases of 0.1 fill a budget of 1.0 exactly.
    limit_micro: Mapped[int] = mapped_column(BigInteger)
    spent_micro: Mapped[int] = mapped_column(BigInteger, default=0)


# Row scope: a brand reads its own packs, releases and budget; nobody else but the platform's administrators.


def _own_brand(column: Any) -> access.Rule[Principal]:
    def condition(p: Principal) -> access.Condition:
        return column == p.brand_id

    return condition


_SCOPES: dict[type[Base], access.Rule[Principal]] = {
    CrowdPack: access.by_role(brand_manager=_own_brand(CrowdPack.brand_id)),
    PrivacyRelease: access.by_role(brand_manager=_own_brand(PrivacyRelease.brand_id)),
    PrivacyBudget: access.by_role(brand_manager=_own_brand(PrivacyBudget.brand_id)),
}
access.register_scopes(_SCOPES)
