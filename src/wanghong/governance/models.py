"""Governance's tables: the RFC 9162 transparency log (存证日志) — its entries, its state and its signed heads —,
直播主体 records with their documents and history, and 商品监测 (price observations, livestream speech, findings).

Log entries are written by database triggers (migration 0007) on the tables whose records the log proves, in the
writer's own transaction, so no write path can skip them; ``governance.transparency`` seals them into the tree.
A product's own price history is captured the same way (migration 0020): every insert of a product and every
change of its price adds an observation, whichever path wrote it (API, page, bulk load, plain SQL).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
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
    Select,
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

from wanghong.commerce.models import Creator, Product, creator_owned

# Imported for the table findings point at: without it in the metadata a flush cannot order inserts.
from wanghong.compliance import models as _compliance  # noqa: F401  (review_tasks)
from wanghong.domain import Role, Severity
from wanghong.governance.engine.subjects import DocumentKind, SubjectKind, SubjectState
from wanghong.kit import access
from wanghong.kit.access import by_role, everyone
from wanghong.kit.db.base import Base, JSONType, TimestampMixin, enum_column, utcnow

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
    # The ID number a creator submitted, masked (330106********1234): enough for an operator to compare with the
    # document, not enough to be an identity leak. The full number is checked on submission and never stored.
    id_number_masked: Mapped[str | None] = mapped_column(String(32))
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
    return enum_column(SubjectState, name=name)


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


# ------------------------------------------------------------------------------------------------- 商品监测


class FindingKind(StrEnum):
    """What 商品监测 found: a price pushed up before a cut, a price claim the prices deny, speech the listing denies."""

    FAKE_DISCOUNT = "fake_discount"  # 先涨后降 / 虚构原价 on the price history
    PRICE_CLAIM = "price_claim"  # 全网最低, 历史最低, 原价…, N折 said and false
    LISTING_MISMATCH = "listing_mismatch"  # 口播与商品信息不符 (fabric, origin, net content, certification)


class PriceObservation(Base):
    """One observed price of a product: its own listed price (channel ``self``, written by the trigger on every
    price change), or the price another shop or platform was seen selling it at (for 全网最低), recorded by an
    operator or the ingest account. Sales are not copied here: the orders table is the record of what sold at what."""

    __tablename__ = "governance_price_observations"
    __table_args__ = (
        Index("ix_governance_price_observations_product", "product_id", "observed_at"),
        CheckConstraint("fen >= 0", name="fen_non_negative"),
    )

    id: Mapped[int] = mapped_column(_BIG_ID, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    fen: Mapped[int] = mapped_column(BigInteger)
    channel: Mapped[str] = mapped_column(String(64), default="self")
    observed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # An outside observation's own id, so a retried batch records it once; NULL for the trigger's rows.
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)


class SpeechSegment(Base):
    """A stretch of a livestream's speech as transcribed, kept for 商品监测; stored once per (livestream, seq)."""

    __tablename__ = "governance_speech_segments"
    __table_args__ = (UniqueConstraint("livestream_id", "seq", name="uq_governance_speech_segments_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    livestream_id: Mapped[int] = mapped_column(ForeignKey("livestream_sessions.id", ondelete="CASCADE"))
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    # The product on sale while it was said: the livestream's collaboration's product, or the one the sender names.
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    said_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MonitoringFinding(Base):
    """One 商品监测 finding on a product, kept once (``key`` names what was judged) and, past the threshold, sent
    to a reviewer; its review task's decision is its outcome (confirmed, dismissed)."""

    __tablename__ = "governance_monitoring_findings"
    __table_args__ = (
        Index("ix_governance_monitoring_findings_product", "product_id", "id"),
        Index("ix_governance_monitoring_findings_brand", "brand_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[FindingKind] = mapped_column(enum_column(FindingKind))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("creators.id", ondelete="SET NULL"), index=True)
    livestream_id: Mapped[int | None] = mapped_column(ForeignKey("livestream_sessions.id", ondelete="SET NULL"))
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("governance_speech_segments.id", ondelete="SET NULL"))
    severity: Mapped[Severity] = mapped_column(enum_column(Severity))
    claim: Mapped[str] = mapped_column(String(200))  # the words said, or the price pattern seen
    listed: Mapped[str] = mapped_column(String(200), default="")  # what the listing or the prices say instead
    reason: Mapped[str] = mapped_column(Text)  # Chinese / English
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    review_task_id: Mapped[int | None] = mapped_column(ForeignKey("review_tasks.id", ondelete="SET NULL"), index=True)
    detected_at: Mapped[datetime] = mapped_column(default=utcnow)


def _brand_products(p: Principal) -> Select[int]:
    return select(Product.id).where(Product.brand_id == p.brand_id)


# A brand reads the findings on its own products and the speech about them; a creator (and its MCN) what was said
# in its own rooms; reviewers and the regulator read all; prices are what every shopper sees anyway.
access.register_scopes(
    {
        PriceObservation: everyone,
        SpeechSegment: by_role(
            reviewer=everyone,
            regulator=everyone,
            brand_manager=lambda p: SpeechSegment.product_id.in_(_brand_products(p)),
            otherwise=creator_owned(SpeechSegment.creator_id),
        ),
        MonitoringFinding: by_role(
            reviewer=everyone,
            regulator=everyone,
            brand_manager=lambda p: MonitoringFinding.brand_id == p.brand_id,
            otherwise=creator_owned(MonitoringFinding.creator_id),
        ),
    }
)
