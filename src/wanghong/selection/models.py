"""Tables of 选品广场: distribution listings, sample requests (申样), livestream carts (购物车) and the versions of
content submitted on a collaboration, each with the compliance scan it was submitted with."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, select, text
from sqlalchemy.orm import Mapped, mapped_column

from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Collaboration, creator_owned
from wanghong.domain import Verdict
from wanghong.kit import access
from wanghong.kit.db.base import Base, JSONType, Money, TimestampMixin, enum_column, utcnow


class ListingStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class SamplePolicy(StrEnum):
    """What a creator gets when the brand approves a 申样."""

    NONE = "none"  # no samples: the creator sells from the product page alone
    FREE = "free"  # sent free of charge
    RETURN = "return"  # lent: the creator sends it back after the livestream


class SampleStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


# The states in which a request still stands; a declined one may be asked again.
OPEN_SAMPLE = "status IN ('pending', 'approved')"


class Listing(TimestampMixin, Base):
    """A product a brand opens to creators for distribution (精选联盟's 商品), at a commission rate."""

    __tablename__ = "selection_listings"
    __table_args__ = (Index("ix_selection_listings_status", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # One listing per product: changing terms or closing edits it, reopening reopens it.
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), unique=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    commission_rate: Mapped[float] = mapped_column(Float)
    sample_policy: Mapped[SamplePolicy] = mapped_column(enum_column(SamplePolicy), default=SamplePolicy.NONE)
    sample_note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[ListingStatus] = mapped_column(enum_column(ListingStatus), default=ListingStatus.OPEN)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SampleRequest(TimestampMixin, Base):
    """申样: a creator asks the brand for a sample of a listed product; the brand approves or declines."""

    __tablename__ = "selection_sample_requests"
    __table_args__ = (
        Index("ix_selection_sample_requests_brand", "brand_id", "status", "id"),
        # One open request (pending or approved) per creator and listing, whichever door the request came through:
        # two identical requests at once (a double click, a retried call) create one row and the other is refused.
        Index(
            "uq_selection_sample_requests_open",
            "listing_id",
            "creator_id",
            unique=True,
            sqlite_where=text(OPEN_SAMPLE),
            postgresql_where=text(OPEN_SAMPLE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("selection_listings.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    address: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(String(1000), default="")
    status: Mapped[SampleStatus] = mapped_column(enum_column(SampleStatus), default=SampleStatus.PENDING)
    reason: Mapped[str] = mapped_column(String(1000), default="")  # the brand's reason for declining
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CartItem(Base):
    """A listed product in a livestream's 购物车 (the products the creator will sell in that session)."""

    __tablename__ = "selection_cart_items"
    __table_args__ = (UniqueConstraint("livestream_id", "listing_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    livestream_id: Mapped[int] = mapped_column(ForeignKey("livestream_sessions.id", ondelete="CASCADE"))
    listing_id: Mapped[int] = mapped_column(ForeignKey("selection_listings.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    # The terms the creator sells at, fixed when the product went in (a later change of the listing applies to
    # the next session, not to one already prepared).
    commission_rate: Mapped[float] = mapped_column(Float)
    price: Mapped[Decimal] = mapped_column(Money)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContentVersion(Base):
    """One submission of a collaboration's content: every submission is a new version, scanned as submitted."""

    __tablename__ = "selection_content_versions"
    __table_args__ = (UniqueConstraint("collaboration_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(ForeignKey("collaborations.id", ondelete="CASCADE"))
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300), default="")
    script: Mapped[str] = mapped_column(Text, default="")
    video_url: Mapped[str] = mapped_column(String(500))
    # None: nothing to scan (a submission through the bare workflow step carries a link only).
    verdict: Mapped[Verdict | None] = mapped_column(enum_column(Verdict))
    score: Mapped[float | None] = mapped_column(Float)
    hits: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    submitted_by: Mapped[int | None]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)


def _visible_collaborations(p: Principal) -> access.Condition:
    return ContentVersion.collaboration_id.in_(select(Collaboration.id).where(access.scope_condition(Collaboration, p)))


_SCOPES: dict[type[Base], access.Rule[Principal]] = {
    # A brand manages its own listings; creators read open ones through the catalog (selection.service.market)
    # and point at them through a reference rule, without managing any.
    Listing: access.by_role(brand_manager=lambda p: Listing.brand_id == p.brand_id),
    SampleRequest: access.by_role(
        brand_manager=lambda p: SampleRequest.brand_id == p.brand_id,
        otherwise=creator_owned(SampleRequest.creator_id),
    ),
    CartItem: access.by_role(
        brand_manager=lambda p: CartItem.brand_id == p.brand_id,
        otherwise=creator_owned(CartItem.creator_id),
    ),
    ContentVersion: _visible_collaborations,
}
access.register_scopes(_SCOPES)
