"""Tables of 达人广场: a brand's 收藏夹 (favourites) and each creator's 报价 (rate card)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wanghong.accounts.principal import Principal
from wanghong.commerce.models import creator_owned
from wanghong.kit import access
from wanghong.kit.db.base import Base, Money, utcnow


class Favourite(Base):
    """A creator a brand keeps in its 收藏夹; one row per (brand, creator), whoever of the brand saved it."""

    __tablename__ = "favourites"
    __table_args__ = (
        UniqueConstraint("brand_id", "creator_id"),
        Index("ix_favourites_brand", "brand_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RateCard(Base):
    """A creator's 报价: three short-video prices by length, and a livestream's 坑位费 plus commission rate.

    A price left empty (None) is one the creator does not quote; brands then ask in the proposal."""

    __tablename__ = "rate_cards"
    __table_args__ = (
        CheckConstraint(
            "(video_short IS NULL OR video_short >= 0) AND (video_medium IS NULL OR video_medium >= 0)"
            " AND (video_long IS NULL OR video_long >= 0) AND (live_slot_fee IS NULL OR live_slot_fee >= 0)",
            name="prices_not_negative",
        ),
        CheckConstraint(
            "live_commission_rate IS NULL OR (live_commission_rate >= 0 AND live_commission_rate <= 1)",
            name="commission_is_a_share",
        ),
    )

    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), primary_key=True)
    video_short: Mapped[Decimal | None] = mapped_column(Money)  # 1–20 s
    video_medium: Mapped[Decimal | None] = mapped_column(Money)  # 21–60 s
    video_long: Mapped[Decimal | None] = mapped_column(Money)  # over 60 s
    live_slot_fee: Mapped[Decimal | None] = mapped_column(Money)  # 坑位费
    live_commission_rate: Mapped[float | None] = mapped_column(Float)  # share of GMV in [0, 1]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# A brand reads and edits its own 收藏夹 only. A rate card is the creator's (and its MCN's) to read and change;
# brands read it through the marketplace's own views, which open every creator's marketplace profile to them.
def _own_brand(p: Principal) -> access.Condition:
    return Favourite.brand_id == p.brand_id


_SCOPES: dict[type[Base], access.Rule[Principal]] = {
    Favourite: access.by_role(brand_manager=_own_brand),
    RateCard: creator_owned(RateCard.creator_id),
}
access.register_scopes(_SCOPES)
