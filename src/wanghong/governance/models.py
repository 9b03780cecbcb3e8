"""Governance's tables: the RFC 9162 transparency log (存证日志) — its entries, its state and its signed heads.

Entries are written by database triggers (migration 0007) on the tables whose records the log proves, in the
writer's own transaction, so no write path can skip them; ``governance.transparency`` seals them into the tree.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    select,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wanghong.commerce.models import Creator
from wanghong.domain import Role
from wanghong.governance.engine.subjects import DocumentKind, SubjectKind, SubjectState
from wanghong.kit import access
from wanghong.kit.access import by_role, everyone
from wanghong.kit.db.base import Base, TimestampMixin, enum_column, utcnow

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
    TransparencyEntry: by_role(reviewer=everyone, regulator=everyone),
    TransparencyState: by_role(reviewer=everyone, regulator=everyone),
    TransparencyTreeHead: everyone,  # tree heads are meant to be published
}
access.register_scopes(_SCOPES)


# ------------------------------------------------------------------------------------------------- 直播主体


class GovernanceSubject(TimestampMixin, Base):
    """One 直播主体 (a brand, an MCN or a creator) and where its verification stands.

    ``org_id`` is the id in the kind's own table (brands, mcns, creators). A brand or MCN is on record with its
    统一社会信用代码 and documents; a creator with its real-name status and birth date. ``state`` is the operator's
    decision (engine.subjects.SubjectState); what the documents allow at an instant is computed, never stored.
    """

    __tablename__ = "governance_subjects"
    __table_args__ = (
        UniqueConstraint("kind", "org_id", name="uq_governance_subjects_kind_org"),
        Index("ix_governance_subjects_state_expires", "state", "expires_on"),
        CheckConstraint(
            "(kind = 'brand' AND brand_id = org_id AND mcn_id IS NULL AND creator_id IS NULL)"
            " OR (kind = 'mcn' AND mcn_id = org_id AND brand_id IS NULL AND creator_id IS NULL)"
            " OR (kind = 'creator' AND creator_id = org_id AND brand_id IS NULL AND mcn_id IS NULL)",
            name="org_matches_kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SubjectKind] = mapped_column(enum_column(SubjectKind))
    org_id: Mapped[int] = mapped_column(Integer)
    # The same id again under the kind's own foreign key, so that deleting the organisation deletes its record
    # (an id the database hands out again must not inherit another organisation's verification).
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    mcn_id: Mapped[int | None] = mapped_column(ForeignKey("mcns.id", ondelete="CASCADE"))
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"))
    state: Mapped[SubjectState] = mapped_column(enum_column(SubjectState), default=SubjectState.UNVERIFIED)
    legal_name: Mapped[str] = mapped_column(String(200), default="")
    uscc: Mapped[str | None] = mapped_column(String(18))
    categories: Mapped[list[str]] = mapped_column(default=list)  # restricted categories it asks to sell in
    real_name_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    birth_date: Mapped[date | None] = mapped_column(Date)
    guardian_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    id_valid_until: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)  # first Beijing day the verification no longer holds
    reason: Mapped[str] = mapped_column(String(500), default="")  # the latest decision's reason
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    documents: Mapped[list[SubjectDocument]] = relationship(
        back_populates="subject", order_by="SubjectDocument.id", cascade="all, delete-orphan"
    )


@event.listens_for(GovernanceSubject, "before_insert")
def _link_organisation(_mapper: Any, _connection: Any, row: GovernanceSubject) -> None:
    kind = SubjectKind(row.kind)
    row.brand_id = row.org_id if kind is SubjectKind.BRAND else None
    row.mcn_id = row.org_id if kind is SubjectKind.MCN else None
    row.creator_id = row.org_id if kind is SubjectKind.CREATOR else None


class SubjectDocument(Base):
    """A business licence or category qualification on record for an organisation, with its term."""

    __tablename__ = "governance_subject_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("governance_subjects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind))
    number: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)  # None: 长期
    holder_uscc: Mapped[str | None] = mapped_column(String(18))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    subject: Mapped[GovernanceSubject] = relationship(back_populates="documents")


def _state_column(name: str) -> Enum:
    """A state column under its own CHECK name: two columns of one enum in a table cannot share theirs."""
    return Enum(
        SubjectState,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        name=name,
    )


class SubjectEvent(Base):
    """One step in a subject's history: who moved it from which state to which, why, and its log entry."""

    __tablename__ = "governance_subject_events"
    __table_args__ = (Index("ix_governance_subject_events_subject", "subject_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("governance_subjects.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[SubjectState] = mapped_column(_state_column("from_state_value"))
    to_state: Mapped[SubjectState] = mapped_column(_state_column("to_state_value"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    entry_id: Mapped[str] = mapped_column(String(32), default="")  # its transparency log entry


def _own_subjects(p: Principal) -> access.Condition:
    s = GovernanceSubject
    if p.role is Role.BRAND_MANAGER:
        return (s.kind == SubjectKind.BRAND) & (s.org_id == p.brand_id)
    if p.role is Role.MCN_MANAGER:
        roster = select(Creator.id).where(Creator.mcn_id == p.mcn_id)
        return ((s.kind == SubjectKind.MCN) & (s.org_id == p.mcn_id)) | (
            (s.kind == SubjectKind.CREATOR) & s.org_id.in_(roster)
        )
    if p.role is Role.CREATOR:
        return (s.kind == SubjectKind.CREATOR) & (s.org_id == p.creator_id)
    if p.role is Role.REGULATOR:
        return true()
    return false()


def _of_own_subjects(column: Any) -> access.Rule[Principal]:
    return lambda p: column.in_(select(GovernanceSubject.id).where(_own_subjects(p)))


# A tenant reads its own subject record (and an MCN its creators'); the regulator reads every tenant's; operators
# (admins) see everything anyway. Writes are the operator's (governance.subjects checks the role).
access.register_scopes(
    {
        GovernanceSubject: _own_subjects,
        SubjectDocument: _of_own_subjects(SubjectDocument.subject_id),
        SubjectEvent: _of_own_subjects(SubjectEvent.subject_id),
    }
)
