"""Reading the transparency log back: inclusion and consistency proofs over the sealed tree (kept in memory per
database), and :func:`verify`, which recomputes every leaf and root against the state row and the signed heads."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import LargeBinary, select
from sqlalchemy import cast as cast_to
from sqlalchemy.orm import Session

from wanghong.governance.engine.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    MerkleTree,
    ProofError,
    compact_append,
    compact_root,
    leaf_hash,
)
from wanghong.governance.transparency_log import (
    ENTRIES,
    STATE,
    LogCorrupt,
    LogKey,
    TreeHead,
    TreeState,
    current_state,
    entry_bytes,
    pending_count,
    split_range,
    tree_heads,
)
from wanghong.kit.errors import InvalidInput, NotFound


@dataclass(frozen=True)
class Listed:
    entry_id: str
    leaf_index: int
    kind: str


def list_entries(session: Session, limit: int | None = None) -> list[Listed]:
    """Sealed entries in log order; with ``limit``, the latest ``limit`` of them (still in log order)."""
    e = ENTRIES.c
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
        e = ENTRIES.c
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
    e, st = ENTRIES.c, STATE.c
    rows = session.execute(
        select(e.entry_id, e.leaf_index, _binary(e.entry), st.tree_size, st.root_hash, st.compact_range)
        .join_from(ENTRIES, STATE, st.id == 1)
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
    state = TreeState(int(first.tree_size), bytes(first.root_hash), split_range(bytes(first.compact_range)))
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
    e = ENTRIES.c
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
