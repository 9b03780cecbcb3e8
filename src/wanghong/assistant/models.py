"""Assistant's tables: versioned product facts, the only thing the assistant may say about a product, and the
answers it gave in live rooms."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from wanghong.accounts import models as _accounts  # noqa: F401  (users, for created_by_id)
from wanghong.commerce.models import LivestreamSession
from wanghong.kit import access
from wanghong.kit.access import everyone
from wanghong.kit.db.base import Base, JSONType, utcnow

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


class LiveAnswer(Base):
    """One question a live room asked the assistant, and what the assistant said (or that it handed over).

    Kept as sent: the labelled text, the fact versions it cites and the implicit-label ``produce_id``, so a
    complaint about an answer can be traced to the facts it stood on."""

    __tablename__ = "assistant_live_answers"
    __table_args__ = (Index("ix_assistant_live_answers_room", "livestream_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    livestream_id: Mapped[int] = mapped_column(ForeignKey("livestream_sessions.id", ondelete="CASCADE"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    viewer_id: Mapped[int | None] = mapped_column(BigInteger)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    fact_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    abstained: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(32))
    produce_id: Mapped[str] = mapped_column(String(64))
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def _room_visible(p: Principal) -> access.Condition:
    return LiveAnswer.livestream_id.in_(
        select(LivestreamSession.id).where(access.scope_condition(LivestreamSession, p))
    )


# A room's answers are read with the livestream they were given in (its host, MCN, sponsor brand, operators).
access.register_scopes({LiveAnswer: _room_visible})
