"""Governance's tables: the RFC 9162 transparency log (存证日志) — its entries, its state and its signed heads.

Entries are written by database triggers (migration 0007) on the tables whose records the log proves, in the
writer's own transaction, so no write path can skip them; ``governance.transparency`` seals them into the tree.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from wanghong.kit import access
from wanghong.kit.access import by_role, everyone
from wanghong.kit.db.base import Base

if TYPE_CHECKING:
    from wanghong.accounts.principal import Principal

_BIG_ID = BigInteger().with_variant(Integer(), "sqlite")  # SQLite's rowid alias must be spelled INTEGER


class TransparencyEntry(Base):
    """One logged fact: a record's content when it was created, changed or deleted.

    The capturing trigger fills ``entry_id``, ``kind``, ``record``, ``content`` (the row as JSON) and
    ``recorded_at``; the row is *pending* until sealing gives it ``leaf_index`` (gap-free, in arrival order),
    ``entry`` (the leaf data, see ``transparency.entry_bytes``) and ``leaf_hash`` = SHA-256(0x00 ‖ entry).
    """

    __tablename__ = "transparency_entries"
    __table_args__ = (
        Index(
            "ix_transparency_entries_pending",
            "id",
            sqlite_where=text("leaf_index IS NULL"),
            postgresql_where=text("leaf_index IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(_BIG_ID, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    record: Mapped[str] = mapped_column(String(80), index=True)
    content: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    leaf_index: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    entry: Mapped[bytes | None] = mapped_column(LargeBinary)
    leaf_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32))


class TransparencyState(Base):
    """The log's one row: the sealed tree's size, root and compact range; its row lock orders the sealers."""

    __tablename__ = "transparency_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tree_size: Mapped[int] = mapped_column(BigInteger)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    compact_range: Mapped[bytes] = mapped_column(LargeBinary)  # 32-byte subtree roots, largest first


class TransparencyTreeHead(Base):
    """A signed tree head: Ed25519 over RFC 9162's TreeHeadDataV2 (timestamp, tree_size, root_hash)."""

    __tablename__ = "transparency_tree_heads"

    tree_size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    timestamp_ms: Mapped[int] = mapped_column(BigInteger)
    key_id: Mapped[str] = mapped_column(String(64))  # hex SHA-256 of the raw Ed25519 public key
    signature: Mapped[bytes] = mapped_column(LargeBinary(64))


# Row scopes: the log proves records across tenants, so only the platform's reviewers read it through the app;
# an entry's content is a record some tenant may not see.
_SCOPES: dict[type[Base], access.Rule[Principal]] = {
    TransparencyEntry: by_role(reviewer=everyone),
    TransparencyState: by_role(reviewer=everyone),
    TransparencyTreeHead: everyone,  # tree heads are meant to be published
}
access.register_scopes(_SCOPES)
