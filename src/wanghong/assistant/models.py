"""Assistant's tables: versioned product facts, the only thing the assistant may say about a product."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wanghong.accounts import models as _accounts  # noqa: F401  (users, for created_by_id)
from wanghong.commerce import models as _commerce  # noqa: F401  (products, for product_id)
from wanghong.kit import access
from wanghong.kit.access import everyone
from wanghong.kit.db.base import Base, utcnow

if TYPE_CHECKING:
    from wanghong.accounts.principal import Principal


class ProductFact(Base):
    """One version of one fact about a product (``key`` names the fact across versions: "price", "shipping", …).

    An edit adds the next version and clears ``current`` on the previous one; old versions stay, so an answer
    that cited ``fact_id`` can always be traced to the words it was grounded on. Retiring a fact clears
    ``current`` without a successor.
    """

    __tablename__ = "assistant_product_facts"
    __table_args__ = (
        UniqueConstraint("product_id", "key", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("length(text) > 0", name="text_not_empty"),
        Index("ix_assistant_product_facts_current", "product_id", "current"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def fact_id(self) -> str:
        """The id the assistant cites: product, key and version, so a citation names the exact words."""
        return f"p{self.product_id}.{self.key}.v{self.version}"


# Row scopes: facts are what the product page and the live room say to every viewer, so everyone reads them;
# writing goes through assistant.facts, which lets a brand manager edit only products it can see.
_SCOPES: dict[type[Base], access.Rule[Principal]] = {ProductFact: everyone}
access.register_scopes(_SCOPES)
