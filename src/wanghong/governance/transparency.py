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

The writer (capture, sealing, signed heads) is `transparency_log`; proofs and verification are
`transparency_proofs`. Callers import this module, which has both.
"""

from __future__ import annotations

from wanghong.governance.transparency_log import (
    CAPTURED_TABLES,
    DEFAULT_KEY_PATH,
    ENTRY_VERSION,
    LogCorrupt,
    LogKey,
    TreeHead,
    TreeState,
    append,
    append_many,
    canonical_content,
    current_state,
    entry_bytes,
    format_time,
    key_id_of,
    pending_count,
    seal,
    sign_head,
    tree_head_data,
    tree_heads,
)
from wanghong.governance.transparency_proofs import (
    Audit,
    Consistency,
    Inclusion,
    Listed,
    consistency,
    list_entries,
    prove,
    prove_many,
    public_key_at,
    trees,
    verify,
)

__all__ = [
    "CAPTURED_TABLES",
    "DEFAULT_KEY_PATH",
    "ENTRY_VERSION",
    "Audit",
    "Consistency",
    "Inclusion",
    "Listed",
    "LogCorrupt",
    "LogKey",
    "TreeHead",
    "TreeState",
    "append",
    "append_many",
    "canonical_content",
    "consistency",
    "current_state",
    "entry_bytes",
    "format_time",
    "key_id_of",
    "list_entries",
    "pending_count",
    "prove",
    "prove_many",
    "public_key_at",
    "seal",
    "sign_head",
    "tree_head_data",
    "tree_heads",
    "trees",
    "verify",
]
