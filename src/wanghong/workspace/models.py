"""Workspace tables: 站内信, the notifications each side of a collaboration gets when the other side acts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, and_
from sqlalchemy.orm import Mapped, mapped_column

from wanghong.accounts.principal import Principal
from wanghong.kit import access
from wanghong.kit.db.base import Base, JSONType, enum_column, utcnow


class Recipient(StrEnum):
    """Notifications go to a tenant: every account of that brand, MCN or creator reads the same inbox."""

    BRAND = "brand"
    MCN = "mcn"
    CREATOR = "creator"


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_recipient", "recipient_kind", "recipient_id", "created_at"),
        Index("ix_notifications_collaboration", "collaboration_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_kind: Mapped[Recipient] = mapped_column(enum_column(Recipient))
    recipient_id: Mapped[int]
    # What happened, as a key the inbox words in the reader's language, and the facts the wording needs.
    kind: Mapped[str] = mapped_column(String(48))
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    collaboration_id: Mapped[int | None] = mapped_column(ForeignKey("collaborations.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


def _addressed_to(kind: Recipient, attribute: str) -> access.Rule[Principal]:
    def condition(p: Principal) -> access.Condition:
        return and_(Notification.recipient_kind == kind, Notification.recipient_id == getattr(p, attribute))

    return condition


access.register_scopes(
    {
        Notification: access.by_role(
            brand_manager=_addressed_to(Recipient.BRAND, "brand_id"),
            mcn_manager=_addressed_to(Recipient.MCN, "mcn_id"),
            creator=_addressed_to(Recipient.CREATOR, "creator_id"),
        )
    }
)
