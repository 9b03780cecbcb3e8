"""The append-only audit trail every write goes through."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from wanghong.db.models import AuditEntry, Base

if TYPE_CHECKING:
    from wanghong.services.auth import Principal


def record(
    session: Session, actor: Principal | None, action: str, entity: Base, detail: dict[str, Any] | None = None
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
