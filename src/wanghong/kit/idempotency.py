"""Idempotency keys: a retried or double-submitted create makes one row, not two.

A client sends `Idempotency-Key: <any unique string>` with a POST. The first request with that key claims it and
records what it created; a repeat with the same key and the same body answers with that row again; the same key
with another body is a 409, because the client is confused about what it asked for. Keys are per account and per
route, so two users (or two routes) never collide.

The claim is an `INSERT … ON CONFLICT DO NOTHING` as the request's first write: on PostgreSQL a second request with
the key waits on the first one's uncommitted row and then finds it (or, if the first rolled back, claims it), and
SQLite serialises writers, so of N racing duplicates exactly one creates. No savepoint is needed, which pysqlite
would not honour.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from wanghong.kit.access import nobody, register_scopes
from wanghong.kit.db.base import Base, utcnow
from wanghong.kit.db.session import insert_new
from wanghong.kit.errors import Conflict

T = TypeVar("T")
HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("actor", "scope", "key", name="uq_idempotency_keys_actor_scope_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(128))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    request_sha256: Mapped[str] = mapped_column(String(64))
    # The id of the row the first request created; None only inside that request's own transaction.
    result_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def request_digest(request: Mapping[str, Any]) -> str:
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def once(
    session: Session,
    *,
    actor: str,
    scope: str,
    key: str,
    request: Mapping[str, Any],
    create: Callable[[], T],
    ident: Callable[[T], int],
    replay: Callable[[int], T],
) -> T:
    """`create()` the first time this (actor, scope, key) is seen; `replay(id)` of what it made ever after."""
    digest = request_digest(request)
    values = {"actor": actor, "scope": scope, "key": key, "request_sha256": digest, "result_id": None}
    claimed = insert_new(session, IdempotencyKey, values | {"created_at": utcnow()}, unique=["actor", "scope", "key"])
    if claimed is None:
        earlier = session.scalars(
            select(IdempotencyKey).where(
                IdempotencyKey.actor == actor, IdempotencyKey.scope == scope, IdempotencyKey.key == key
            )
        ).one()
        if earlier.request_sha256 != digest:
            raise Conflict(
                f"{HEADER} '{key}' was already used for a different request; send a new key for a new request"
            )
        if earlier.result_id is None:  # unreachable while claims commit with their results; guarded all the same
            raise Conflict(f"the request with {HEADER} '{key}' is still being processed; repeat it in a moment")
        return replay(earlier.result_id)
    result = create()
    entry = session.get(IdempotencyKey, claimed)
    assert entry is not None
    entry.result_id = ident(result)
    session.flush()
    return result


# The platform's own bookkeeping: no tenant reads it through the API.
register_scopes({IdempotencyKey: nobody})
