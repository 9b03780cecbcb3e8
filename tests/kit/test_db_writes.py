"""The race-deciding writes of kit.db.session (insert_once, insert_new, update_if), on every configured database."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from wanghong.kit.db.session import Database, insert_new, insert_once, update_if
from wanghong.kit.idempotency import IdempotencyKey

# The database is shared by the session's tests: each test writes under a scope of its own.
SCOPE = f"POST /probe/{uuid.uuid4().hex}"


def _key(key: str = "k1", scope: str = SCOPE) -> dict[str, object]:
    return {"actor": "user:1", "scope": scope, "key": key, "request_sha256": "0" * 64, "result_id": None}


def _count(db: Database, scope: str = SCOPE) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).where(IdempotencyKey.scope == scope)) or 0


def test_insert_once_refuses_a_duplicate_and_keeps_the_transaction_usable(db: Database) -> None:
    with db.transaction() as s:
        assert insert_once(s, IdempotencyKey(**_key("once")))
        assert not insert_once(s, IdempotencyKey(**_key("once")))
        # The refused savepoint rolled back alone: the transaction goes on and commits the next row.
        assert insert_once(s, IdempotencyKey(**_key("once-2")))
    assert _count(db) == 2


def test_insert_new_answers_the_new_key_once_and_none_after(db: Database) -> None:
    unique = ["actor", "scope", "key"]
    scope = f"{SCOPE}/new"
    with db.transaction() as s:
        first = insert_new(s, IdempotencyKey, _key(scope=scope), unique=unique)
        assert first is not None
        assert s.get_one(IdempotencyKey, first).scope == scope
    with db.transaction() as s:
        assert insert_new(s, IdempotencyKey, _key(scope=scope), unique=unique) is None
        assert insert_new(s, IdempotencyKey, _key("k2", scope), unique=unique) not in (None, first)
    assert _count(db, scope) == 2


def test_update_if_moves_a_row_only_while_its_condition_holds(db: Database) -> None:
    with db.transaction() as s:
        row = IdempotencyKey(**_key(scope=f"{SCOPE}/update"))
        s.add(row)
        s.flush()
        assert update_if(s, row, IdempotencyKey.result_id.is_(None), {"result_id": 7})
        assert row.result_id == 7  # refreshed from the database
        # A second writer who read the same state finds it gone: nothing written, the row shows the winner's value.
        assert not update_if(s, row, IdempotencyKey.result_id.is_(None), {"result_id": 8})
        assert row.result_id == 7
