"""The append-only audit trail every write goes through."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import String, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from wanghong.kit.access import nobody, register_scopes
from wanghong.kit.db.base import Base, utcnow


class Actor(Protocol):
    """Whoever acts: an account's id, or None for the platform's own jobs."""

    @property
    def user_id(self) -> int: ...


class AuditEntry(Base):
    """Append-only: database triggers (see the initial migration) refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


def record(
    session: Session, actor: Actor | None, action: str, entity: Base, detail: dict[str, Any] | None = None
) -> None:
    identity = inspect(entity).identity
    session.add(
        AuditEntry(
            actor_id=actor.user_id if actor is not None else None,
            action=action,
            entity=entity.__tablename__,
            entity_id=",".join(str(part) for part in identity) if identity else "",
            detail=detail or {},
        )
    )


# The audit trail is the platform's own record: only a principal who sees everything reads it.
register_scopes({AuditEntry: nobody})
