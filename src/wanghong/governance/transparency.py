"""透明日志 / the transparency log: an RFC 9162 Merkle tree over the records the platform must be able to prove.

**Capture.** Triggers (migration 0007) add a *pending* entry for every write of a violation, penalty, appeal or
originality claim and every sealed ledger transaction, in the writer's transaction; :func:`append` adds one
directly (for records without a trigger). A pending entry already holds everything its leaf will say.

**Sealing** (:func:`seal`) turns pending entries into leaves under the ``transparency_state`` row lock: the next
gap-free ``leaf_index`` in arrival order, the leaf data (:func:`entry_bytes`), its hash, the new root. Importing
this module makes every SQLAlchemy session seal at commit when it wrote a captured table, inside that same
transaction; on PostgreSQL a writer that finds another one sealing skips rather than waits (``SKIP LOCKED``), and
its entries are sealed by the next sealer, so concurrent writers do not queue behind one lock held across their
commits. Anything still pending (a bulk load over a bare connection, a skipped writer at the end of a burst) is
sealed by the next commit that seals or by any ``wanghong evidence`` command.

**Leaf data** is canonical JSON — keys sorted, no spaces, ASCII only (``json.dumps(..., sort_keys=True,
separators=(",", ":"))``)::

    {"content_sha256":"<hex SHA-256 of the record's JSON snapshot>","entry_id":"<32 hex>",
     "kind":"violation.created","record":"violations:17","recorded_at":"2026-12-01T04:05:06.123456Z","v":1}

The snapshot itself stays in the entry's ``content`` column, so the log is the evidence, not a pointer to it.

**Tree heads.** :func:`sign_head` signs RFC 9162's ``TreeHeadDataV2`` (uint64 timestamp ms, uint64 tree_size,
opaque root_hash<32..255>, empty extensions) with Ed25519 and stores it; :func:`verify` recomputes every leaf
and root, and checks the tree against the state row and every stored head, so an altered, removed, inserted or
reordered entry fails — and with the key kept outside the database, so does a rewrite of the state row.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Engine, LargeBinary, Table, bindparam, event, func, insert, inspect, select, text, update
from sqlalchemy import cast as cast_to
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from wanghong.config import Settings
from wanghong.governance.engine.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    MerkleTree,
    ProofError,
    compact_append,
    compact_root,
    leaf_hash,
)
from wanghong.governance.models import TransparencyEntry, TransparencyState, TransparencyTreeHead
from wanghong.kit.db.base import utcnow
from wanghong.kit.errors import Conflict, InvalidInput, NotFound

ENTRY_VERSION = 1
# Tables whose writes the migration's triggers capture: a session that wrote one seals at commit.
CAPTURED_TABLES = frozenset(
    {"violations", "compliance_penalties", "compliance_appeals", "originality_claims", "ledger_transactions"}
)
DEFAULT_KEY_PATH = Path(Settings().transparency_key_path)

_ENTRIES = cast(Table, TransparencyEntry.__table__)
_STATE = cast(Table, TransparencyState.__table__)
_HEADS = cast(Table, TransparencyTreeHead.__table__)
_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
_MARK = "transparency.wrote_captured"
_INSERT = insert(_ENTRIES)


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


def _split_range(blob: bytes) -> tuple[bytes, ...]:
    return tuple(blob[i : i + HASH_SIZE] for i in range(0, len(blob), HASH_SIZE))


def _lock_state(session: Session, *, wait: bool) -> TreeState | None:
    """The state row, locked for the rest of the transaction; None when another sealer holds it and not ``wait``."""
    columns = (_STATE.c.tree_size, _STATE.c.root_hash, _STATE.c.compact_range)
    if session.get_bind().dialect.name == "sqlite":
        # Writing first takes SQLite's one write lock before reading, so the state read is the latest one.
        query: Any = update(_STATE).where(_STATE.c.id == 1).values(tree_size=_STATE.c.tree_size).returning(*columns)
    else:
        query = select(*columns).where(_STATE.c.id == 1).with_for_update(skip_locked=not wait)
    row = session.execute(query).first()
    if row is None:
        if wait:
            raise LogCorrupt("透明日志缺少状态行 / the transparency log's state row is missing")
        return None
    return TreeState(int(row.tree_size), bytes(row.root_hash), _split_range(bytes(row.compact_range)))


def seal(session: Session, *, wait: bool = True) -> int:
    """Give every pending entry its leaf, in arrival order, in the caller's transaction; returns how many.

    Without ``wait``, returns 0 at once when another transaction is sealing (PostgreSQL)."""
    state = _lock_state(session, wait=wait)
    if state is None:
        return 0
    e = _ENTRIES.c
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
        update(_STATE)
        .where(_STATE.c.id == 1)
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
    e = _ENTRIES.c
    session.execute(
        update(_ENTRIES)
        .where(e.id == bindparam("_id"))
        .values(leaf_index=bindparam("leaf_index"), entry=bindparam("entry"), leaf_hash=bindparam("leaf_hash")),
        [{"_id": i, "leaf_index": n, "entry": d, "leaf_hash": h} for i, n, d, h in rows],
        execution_options={"synchronize_session": False},
    )


def current_state(session: Session) -> TreeState:
    row = session.execute(select(_STATE.c.tree_size, _STATE.c.root_hash, _STATE.c.compact_range)).first()
    if row is None:
        raise LogCorrupt("透明日志缺少状态行 / the transparency log's state row is missing")
    return TreeState(int(row.tree_size), bytes(row.root_hash), _split_range(bytes(row.compact_range)))


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).where(_ENTRIES.c.leaf_index.is_(None))) or 0)


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
        known = _LOGGED_ENGINES[engine] = inspect(session.connection()).has_table(_STATE.name)
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


# ------------------------------------------------------------------------------------------------------- proofs


@dataclass(frozen=True)
class Listed:
    entry_id: str
    leaf_index: int
    kind: str


def list_entries(session: Session, limit: int | None = None) -> list[Listed]:
    """Sealed entries in log order; with ``limit``, the latest ``limit`` of them (still in log order)."""
    e = _ENTRIES.c
    query = select(e.entry_id, e.leaf_index, e.kind).where(e.leaf_index.is_not(None))
    if limit is not None:
        latest = query.order_by(e.leaf_index.desc()).limit(limit).subquery()
        query = select(latest.c.entry_id, latest.c.leaf_index, latest.c.kind)
        return [
            Listed(r.entry_id, int(r.leaf_index), r.kind) for r in session.execute(query.order_by(latest.c.leaf_index))
        ]
    return [Listed(r.entry_id, int(r.leaf_index), r.kind) for r in session.execute(query.order_by(e.leaf_index))]


class _TreeCache:
    """The sealed tree in memory, per database, extended with new leaves on each use and checked against the state
    row's root, so that proofs cost O(log² n) lookups instead of a pass over the log."""

    def __init__(self) -> None:
        self._trees: dict[str, MerkleTree] = {}
        self._lock = threading.Lock()

    def tree(self, session: Session, state: TreeState) -> MerkleTree:
        key = str(session.get_bind().engine.url)
        with self._lock:
            tree = self._trees.get(key)
            if tree is not None and tree.size == state.tree_size and tree.root() == state.root_hash:
                return tree  # nothing sealed since: no query at all
            if tree is None or tree.size > state.tree_size or not self._extend(session, tree, state):
                tree = MerkleTree()  # a fresh database under the same URL, or stored leaves rewritten
                if not self._extend(session, tree, state):
                    raise LogCorrupt(
                        "透明日志的叶子与状态行的根哈希不符 / the log's leaves do not hash to the recorded root: "
                        "run `wanghong evidence verify`"
                    )
            self._trees[key] = tree
            return tree

    @staticmethod
    def _extend(session: Session, tree: MerkleTree, state: TreeState) -> bool:
        e = _ENTRIES.c
        rows = session.execute(
            select(e.leaf_index, _binary(e.leaf_hash))
            .where(e.leaf_index >= tree.size, e.leaf_index < state.tree_size)
            .order_by(e.leaf_index)
        )
        for index, digest in rows:
            if index != tree.size or digest is None or len(digest) != HASH_SIZE:
                return False
            tree.append(bytes(digest))
        return tree.size == state.tree_size and tree.root() == state.root_hash

    def clear(self) -> None:
        with self._lock:
            self._trees.clear()


trees = _TreeCache()


@dataclass(frozen=True)
class Inclusion:
    entry_id: str
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    root_hash: bytes
    audit_path: list[bytes]
    entry: bytes


def prove(session: Session, entry_id: str) -> Inclusion:
    """The audit path of one sealed entry in the current sealed tree (seal first to include pending entries)."""
    return prove_many(session, [entry_id])[0]


def prove_many(session: Session, entry_ids: Sequence[str]) -> list[Inclusion]:
    """Audit paths of sealed entries, one query for all of them and the tree state; NotFound names the first
    unknown (or not yet sealed) id."""
    e, st = _ENTRIES.c, _STATE.c
    rows = session.execute(
        select(e.entry_id, e.leaf_index, _binary(e.entry), st.tree_size, st.root_hash, st.compact_range)
        .join_from(_ENTRIES, _STATE, st.id == 1)
        .where(e.entry_id.in_(set(entry_ids)))
    ).all()
    found = {row.entry_id: row for row in rows}
    for entry_id in entry_ids:
        if entry_id not in found:
            raise NotFound(f"没有这条存证 / no log entry {entry_id!r}")
        if found[entry_id].leaf_index is None:
            raise NotFound(f"存证 {entry_id} 尚未入树 / entry {entry_id} is not sealed yet")
    if not rows:
        return []
    first = rows[0]
    state = TreeState(int(first.tree_size), bytes(first.root_hash), _split_range(bytes(first.compact_range)))
    tree = trees.tree(session, state)
    out = []
    for entry_id in entry_ids:
        row = found[entry_id]
        index, data = int(row.leaf_index), row.entry
        digest = tree.leaf(index) if index < tree.size else None
        if data is None or leaf_hash(bytes(data)) != digest:
            raise LogCorrupt(f"存证 {entry_id} 的内容与其叶子哈希不符 / entry {entry_id} does not match its leaf hash")
        path = tree.inclusion_proof(index, state.tree_size)
        out.append(
            Inclusion(entry_id, index, state.tree_size, leaf_hash(bytes(data)), state.root_hash, path, bytes(data))
        )
    return out


@dataclass(frozen=True)
class Consistency:
    first_size: int
    second_size: int
    first_root: bytes
    second_root: bytes
    proof: list[bytes]


def consistency(session: Session, first: int, second: int) -> Consistency:
    """PROOF(first, D[second]) over the sealed tree; sizes outside 0 < first ≤ second ≤ size are InvalidInput."""
    state = current_state(session)
    if not 0 < first <= second <= state.tree_size:
        raise InvalidInput(
            f"树的大小须满足 0 < FIRST ≤ SECOND ≤ {state.tree_size} / sizes must satisfy "
            f"0 < first ≤ second ≤ {state.tree_size} (the log's size): got {first} and {second}"
        )
    tree = trees.tree(session, state)
    try:
        proof = tree.consistency_proof(first, second)
    except ProofError as error:
        raise InvalidInput(str(error)) from None
    return Consistency(first, second, tree.root(first), tree.root(second), proof)


# ------------------------------------------------------------------------------------------------------- verify


@dataclass
class Audit:
    """What :func:`verify` found: ``ok`` with no problems; each problem names the leaf or head at fault."""

    tree_size: int = 0
    checked: int = 0
    heads: int = 0
    pending: int = 0
    signatures_checked: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


_MAX_PROBLEMS = 20


def _binary(column: Any) -> Any:
    return cast_to(column, LargeBinary).label(column.name)


def _sealed_rows(session: Session) -> Iterator[Any]:
    e = _ENTRIES.c
    query = (
        # The casts keep a value rewritten with another type (SQLite stores anything anywhere) comparable.
        select(
            e.leaf_index, e.entry_id, e.kind, e.record, e.content, e.recorded_at, _binary(e.entry), _binary(e.leaf_hash)
        )
        .where(e.leaf_index.is_not(None))
        .order_by(e.leaf_index)
        .execution_options(yield_per=5000)
    )
    yield from session.execute(query)


def verify(session: Session, public: Ed25519PublicKey | None = None) -> Audit:
    """Recompute every leaf and root and check them against the state row and every stored signed tree head.

    Reads only. ``public`` (the log key's public half, from outside the database) also checks each head's
    signature; without it the heads are checked for consistency only."""
    audit = Audit(pending=pending_count(session), signatures_checked=public is not None)
    problems = audit.problems

    def problem(text: str) -> None:
        if len(problems) < _MAX_PROBLEMS:
            problems.append(text)

    state = current_state(session)
    heads = tree_heads(session)
    audit.tree_size, audit.heads = state.tree_size, len(heads)
    for head in heads:
        if public is not None and not head.signed_by(public):
            problem(f"树头 {head.tree_size} 的签名无效 / tree head {head.tree_size}: signature does not verify")
    due = {head.tree_size: head for head in heads}
    if 0 in due and due[0].root_hash != EMPTY_ROOT:
        problem("树头 0 的根哈希不是空树哈希 / tree head 0 does not carry the empty tree's hash")
    try:
        compact, size = _check_leaves(session, due, problem)
    except (AttributeError, TypeError, ValueError) as error:  # a value no longer of its column's type
        problem(f"日志无法读取 / the log cannot be read back: {error}")
        return audit
    audit.checked = size
    if size != state.tree_size:
        problem(
            f"日志有 {size} 个连续叶子，状态行记录 {state.tree_size} 个 / {size} contiguous leaves where the state "
            f"row records {state.tree_size}: entries were removed or the state rewritten"
        )
    elif compact_root(compact) != state.root_hash or tuple(compact) != state.compact_range:
        problem("叶子与状态行的根哈希不符 / the leaves do not hash to the state row's root")
    for head in heads:
        if head.tree_size > size:
            problem(
                f"签名树头 {head.tree_size} 超出日志的 {size} 个叶子 / signed tree head of size {head.tree_size} "
                f"beyond the {size} leaves left: trailing entries were removed"
            )
    return audit


def _check_leaves(
    session: Session, due: dict[int, TreeHead], problem: Callable[[str], None]
) -> tuple[list[bytes], int]:
    """Walk the sealed leaves in order: each one's data, hash and place, and the root at every signed size."""
    compact: list[bytes] = []
    size = 0
    for row in _sealed_rows(session):
        index = int(row.leaf_index)
        if index != size:
            problem(
                f"叶子 {size} 缺失或次序被改 / leaf {size} is missing or out of place (found leaf {index} next): "
                "an entry was removed, inserted or reordered"
            )
            break
        expected = entry_bytes(row.entry_id, row.kind, row.record, row.content, row.recorded_at)
        if row.entry is None or bytes(row.entry) != expected:
            problem(f"叶子 {index}（{row.entry_id}）的内容被改动 / leaf {index} ({row.entry_id}) was altered")
        digest = leaf_hash(expected)
        stored = leaf_hash(bytes(row.entry)) if row.entry is not None else None
        if row.leaf_hash is None or bytes(row.leaf_hash) != stored:
            problem(f"叶子 {index} 的哈希与其数据不符 / leaf {index}: stored leaf hash does not match its data")
        compact, size = compact_append(compact, size, [digest])
        signed = due.get(size)
        if signed is not None and compact_root(compact) != signed.root_hash:
            problem(
                f"前 {size} 个叶子与签名树头不一致 / the first {size} leaves do not hash to the signed tree head "
                f"of size {size}: an earlier entry was altered, removed or reordered"
            )
    return compact, size


def public_key_at(path: Path) -> Ed25519PublicKey | None:
    """The public half of the key file at ``path``, if there is one."""
    if not path.exists():
        return None
    return LogKey.load_or_create(path).public
