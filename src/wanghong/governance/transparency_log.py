"""The transparency log's writer: capture of pending entries, sealing them into the Merkle tree, and signed tree
heads. The log's format, and what each step guarantees, are described in `wanghong.governance.transparency`, the
module every caller imports."""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import time
import uuid
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Engine, Table, bindparam, event, func, insert, inspect, select, text, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from wanghong.config import Settings
from wanghong.governance.engine.merkle import (
    HASH_SIZE,
    compact_append,
    compact_root,
    leaf_hash,
)
from wanghong.governance.models import TransparencyEntry, TransparencyState, TransparencyTreeHead
from wanghong.kit.db.base import utcnow
from wanghong.kit.errors import Conflict, InvalidInput

ENTRY_VERSION = 1
# Tables whose writes the migration's triggers capture: a session that wrote one seals at commit.
CAPTURED_TABLES = frozenset(
    {"violations", "compliance_penalties", "compliance_appeals", "originality_claims", "ledger_transactions"}
)
DEFAULT_KEY_PATH = Path(Settings().transparency_key_path)

ENTRIES = cast(Table, TransparencyEntry.__table__)
STATE = cast(Table, TransparencyState.__table__)
_HEADS = cast(Table, TransparencyTreeHead.__table__)
_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
_MARK = "transparency.wrote_captured"
_INSERT = insert(ENTRIES)


class LogCorrupt(Conflict):
    """The stored log does not add up: proofs are refused until ``wanghong evidence verify`` is clean."""


# ---------------------------------------------------------------------------------------------------- leaf data


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_bytes(entry_id: str, kind: str, record: str, content: str, recorded_at: datetime) -> bytes:
    """The leaf data of an entry: what follows 0x00 in its leaf hash (the module docstring shows the format)."""
    body = {
        "content_sha256": hashlib.sha256(content.encode("utf-8")).hexdigest(),
        "entry_id": entry_id,
        "kind": kind,
        "record": record,
        "recorded_at": format_time(recorded_at),
        "v": ENTRY_VERSION,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("ascii")


def canonical_content(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def append(session: Session, kind: str, record: str, content: dict[str, Any]) -> str:
    """Add a pending entry in the caller's transaction (sealed at its commit); returns its entry id."""
    return append_many(session, [(kind, record, content)])[0]


def append_many(session: Session, items: Sequence[tuple[str, str, dict[str, Any]]]) -> list[str]:
    """Add pending entries (kind, record, content) with one statement; returns their entry ids, in order."""
    for kind, _record, _content in items:
        if not _NAME.fullmatch(kind):
            raise InvalidInput(f"kind {kind!r} must be dotted lower-case names, e.g. subject_verification.created")
    now = utcnow()
    rows: list[dict[str, Any]] = [
        {
            "entry_id": uuid.uuid4().hex,
            "kind": kind,
            "record": record,
            "content": canonical_content(content),
            "recorded_at": now,
        }
        for kind, record, content in items
    ]
    if rows:
        session.execute(_INSERT, rows)
        session.info[_MARK] = True
    return [row["entry_id"] for row in rows]


# ------------------------------------------------------------------------------------------------------ sealing


@dataclass(frozen=True)
class TreeState:
    tree_size: int
    root_hash: bytes
    compact_range: tuple[bytes, ...]


def split_range(blob: bytes) -> tuple[bytes, ...]:
    return tuple(blob[i : i + HASH_SIZE] for i in range(0, len(blob), HASH_SIZE))


def _lock_state(session: Session, *, wait: bool) -> TreeState | None:
    """The state row, locked for the rest of the transaction; None when another sealer holds it and not ``wait``."""
    columns = (STATE.c.tree_size, STATE.c.root_hash, STATE.c.compact_range)
    if session.get_bind().dialect.name == "sqlite":
        # Writing first takes SQLite's one write lock before reading, so the state read is the latest one.
        query: Any = update(STATE).where(STATE.c.id == 1).values(tree_size=STATE.c.tree_size).returning(*columns)
    else:
        query = select(*columns).where(STATE.c.id == 1).with_for_update(skip_locked=not wait)
    row = session.execute(query).first()
    if row is None:
        if wait:
            raise LogCorrupt("透明日志缺少状态行 / the transparency log's state row is missing")
        return None
    return TreeState(int(row.tree_size), bytes(row.root_hash), split_range(bytes(row.compact_range)))


def seal(session: Session, *, wait: bool = True) -> int:
    """Give every pending entry its leaf, in arrival order, in the caller's transaction; returns how many.

    Without ``wait``, returns 0 at once when another transaction is sealing (PostgreSQL)."""
    state = _lock_state(session, wait=wait)
    if state is None:
        return 0
    e = ENTRIES.c
    pending = session.execute(
        select(e.id, e.entry_id, e.kind, e.record, e.content, e.recorded_at)
        .where(e.leaf_index.is_(None))
        .order_by(e.id)
    ).all()
    if not pending:
        return 0
    rows: list[tuple[int, int, bytes, bytes]] = []
    hashes = []
    for offset, row in enumerate(pending):
        data = entry_bytes(row.entry_id, row.kind, row.record, row.content, row.recorded_at)
        digest = leaf_hash(data)
        hashes.append(digest)
        rows.append((row.id, state.tree_size + offset, data, digest))
    compact, size = compact_append(state.compact_range, state.tree_size, hashes)
    _write_leaves(session, rows)
    session.execute(
        update(STATE)
        .where(STATE.c.id == 1)
        .values(tree_size=size, root_hash=compact_root(compact), compact_range=b"".join(compact))
    )
    return len(rows)


_PG_SEAL = text(
    # One statement for the whole batch, its four columns as arrays: far cheaper than an UPDATE per row.
    "UPDATE transparency_entries AS t SET leaf_index = s.leaf_index, entry = s.entry, leaf_hash = s.leaf_hash "
    "FROM unnest(CAST(:ids AS bigint[]), CAST(:indexes AS bigint[]), CAST(:entries AS bytea[]), "
    "CAST(:hashes AS bytea[])) AS s(id, leaf_index, entry, leaf_hash) WHERE t.id = s.id"
)


def _write_leaves(session: Session, rows: list[tuple[int, int, bytes, bytes]]) -> None:
    if session.get_bind().dialect.name == "postgresql":
        ids, indexes, entries, hashes = (list(column) for column in zip(*rows, strict=True))
        session.execute(_PG_SEAL, {"ids": ids, "indexes": indexes, "entries": entries, "hashes": hashes})
        return
    e = ENTRIES.c
    session.execute(
        update(ENTRIES)
        .where(e.id == bindparam("_id"))
        .values(leaf_index=bindparam("leaf_index"), entry=bindparam("entry"), leaf_hash=bindparam("leaf_hash")),
        [{"_id": i, "leaf_index": n, "entry": d, "leaf_hash": h} for i, n, d, h in rows],
        execution_options={"synchronize_session": False},
    )


def current_state(session: Session) -> TreeState:
    row = session.execute(select(STATE.c.tree_size, STATE.c.root_hash, STATE.c.compact_range)).first()
    if row is None:
        raise LogCorrupt("透明日志缺少状态行 / the transparency log's state row is missing")
    return TreeState(int(row.tree_size), bytes(row.root_hash), split_range(bytes(row.compact_range)))


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).where(ENTRIES.c.leaf_index.is_(None))) or 0)


@event.listens_for(Session, "after_flush")
def _mark_flushed(session: Session, _flush: UOWTransaction) -> None:
    for instance in (*session.new, *session.dirty, *session.deleted):
        table = getattr(type(instance), "__tablename__", None)
        if table in CAPTURED_TABLES:
            session.info[_MARK] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _mark_executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in CAPTURED_TABLES:
            state.session.info[_MARK] = True


_LOGGED_ENGINES: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def _has_log(session: Session) -> bool:
    """Whether the database has the log's tables (a database migrated below 0007 has no triggers either)."""
    engine = session.get_bind().engine
    known = _LOGGED_ENGINES.get(engine)
    if known is None:
        known = _LOGGED_ENGINES[engine] = inspect(session.connection()).has_table(STATE.name)
    return known


@event.listens_for(Session, "before_commit")
def _seal_on_commit(session: Session) -> None:
    if not session.info.pop(_MARK, None):
        return
    session.flush()  # the last flush of the commit would otherwise come after this hook
    session.info.pop(_MARK, None)
    if _has_log(session):
        seal(session, wait=False)


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop(_MARK, None)


# ---------------------------------------------------------------------------------------------- signed heads


def tree_head_data(tree_size: int, root_hash: bytes, timestamp_ms: int) -> bytes:
    """RFC 9162 §4.10 TreeHeadDataV2 in TLS presentation: the bytes an STH signs."""
    return struct.pack(">QQB", timestamp_ms, tree_size, len(root_hash)) + root_hash + b"\x00\x00"


@dataclass(frozen=True)
class LogKey:
    """The log's Ed25519 key. Kept outside the database, so that rewriting the database cannot re-sign it."""

    private: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> LogKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def load_or_create(cls, path: Path = DEFAULT_KEY_PATH) -> LogKey:
        if path.exists():
            loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(loaded, Ed25519PrivateKey):
                raise InvalidInput(f"{path} 不是 Ed25519 私钥 / is not an Ed25519 private key")
            return cls(loaded)
        key = cls.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = key.private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
        return key

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def key_id(self) -> str:
        return key_id_of(self.public)


def key_id_of(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class TreeHead:
    tree_size: int
    root_hash: bytes
    timestamp_ms: int
    key_id: str
    signature: bytes

    def signed_by(self, public: Ed25519PublicKey) -> bool:
        try:
            public.verify(self.signature, tree_head_data(self.tree_size, self.root_hash, self.timestamp_ms))
        except InvalidSignature:
            return False
        return self.key_id == key_id_of(public)

    def to_json(self) -> dict[str, Any]:
        return {
            "tree_size": self.tree_size,
            "root_hash": self.root_hash.hex(),
            "timestamp": self.timestamp_ms,
            "key_id": self.key_id,
            "signature": self.signature.hex(),
        }


def sign_head(session: Session, key: LogKey) -> TreeHead:
    """Seal what is pending and sign the tree head at the new size (the stored one when the size is signed)."""
    seal(session)
    state = current_state(session)
    existing = session.get(TransparencyTreeHead, state.tree_size)
    if existing is not None:
        return _head(existing)
    timestamp_ms = time.time_ns() // 1_000_000
    signature = key.private.sign(tree_head_data(state.tree_size, state.root_hash, timestamp_ms))
    head = TreeHead(state.tree_size, state.root_hash, timestamp_ms, key.key_id, signature)
    session.execute(
        insert(_HEADS).values(
            tree_size=head.tree_size,
            root_hash=head.root_hash,
            timestamp_ms=head.timestamp_ms,
            key_id=head.key_id,
            signature=head.signature,
        )
    )
    return head


def _head(row: TransparencyTreeHead) -> TreeHead:
    return TreeHead(row.tree_size, bytes(row.root_hash), row.timestamp_ms, row.key_id, bytes(row.signature))


def tree_heads(session: Session) -> list[TreeHead]:
    return [
        _head(row) for row in session.scalars(select(TransparencyTreeHead).order_by(TransparencyTreeHead.tree_size))
    ]
