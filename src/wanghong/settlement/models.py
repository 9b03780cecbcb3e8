"""The ledger's tables: accounts, transactions and their postings (signed fen, BIGINT).

The database keeps the ledger's promises itself (migration 0005): postings and transactions are append-only; a
transaction is written open, its postings added, then sealed, and sealing refuses one whose postings do not sum
to zero per currency; no posting joins a sealed transaction. Only sealed transactions count.

`collaboration_id` and `order_id` are plain integers, not foreign keys: the ledger outlives the rows it cites,
and a foreign key's ON DELETE action would be an UPDATE the append-only guard refuses.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from wanghong.accounts import models as _accounts  # noqa: F401  (users, who recorded a refund, complaint or invoice)
from wanghong.commerce.models import EXTERNAL_ID_LENGTH, REASON_LENGTH, Creator, Order, creators_of
from wanghong.domain import Role
from wanghong.kit import access
from wanghong.kit.access import Condition
from wanghong.kit.db.base import Base, Money, enum_column, utcnow
from wanghong.settlement.engine import Kind, OwnerKind, Purpose

if TYPE_CHECKING:
    from wanghong.accounts.principal import Principal


class LedgerAccount(Base):
    __tablename__ = "ledger_accounts"
    __table_args__ = (UniqueConstraint("owner_kind", "owner_id", "purpose", "currency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[OwnerKind] = mapped_column(enum_column(OwnerKind))
    owner_id: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[Purpose] = mapped_column(enum_column(Purpose))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerTransaction(Base):
    __tablename__ = "ledger_transactions"
    __table_args__ = (
        Index("ix_ledger_transactions_order", "order_id", "kind"),
        Index("ix_ledger_transactions_collaboration", "collaboration_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[Kind] = mapped_column(enum_column(Kind))
    memo: Mapped[str] = mapped_column(String(500), default="")
    collaboration_id: Mapped[int | None] = mapped_column(Integer)
    order_id: Mapped[int | None] = mapped_column(Integer)
    due_at: Mapped[datetime | None]
    sealed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerPosting(Base):
    __tablename__ = "ledger_postings"

    # BIGINT on PostgreSQL; SQLite's rowid alias must be spelled INTEGER, and its integers are 64-bit anyway.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)


class ComplaintCategory(StrEnum):
    QUALITY = "quality"  # 质量问题
    NOT_AS_DESCRIBED = "not_as_described"  # 货不对板 / 虚假宣传
    DELIVERY = "delivery"  # 物流与发货
    SERVICE = "service"  # 客服与售后
    OTHER = "other"


class OrderRefund(Base):
    """An order refunded to the consumer, once and in full. `within_window` is whether it came inside the
    no-reason return window (the commission is then reversed) or after it (the released commission is clawed
    back); the ledger's postings are keyed by the order, so the row and its money agree by construction."""

    __tablename__ = "order_refunds"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(String(REASON_LENGTH), default="")
    within_window: Mapped[bool] = mapped_column(Boolean)
    refunded_at: Mapped[datetime] = mapped_column(index=True)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrderComplaint(Base):
    """A consumer complaint (客诉) about an order, recorded by the brand or an operator."""

    __tablename__ = "order_complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    category: Mapped[ComplaintCategory] = mapped_column(enum_column(ComplaintCategory))
    detail: Mapped[str] = mapped_column(String(REASON_LENGTH), default="")
    filed_at: Mapped[datetime] = mapped_column(index=True)
    filed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StatementInvoice(Base):
    """The invoice (发票) issued against one owner's monthly statement: one per owner and month."""

    __tablename__ = "statement_invoices"
    __table_args__ = (
        UniqueConstraint("owner_kind", "owner_id", "month"),
        CheckConstraint("amount_fen >= 0", name="amount_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[OwnerKind] = mapped_column(enum_column(OwnerKind))
    owner_id: Mapped[int] = mapped_column(Integer)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM, Beijing calendar
    number: Mapped[str] = mapped_column(String(EXTERNAL_ID_LENGTH))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# Row scopes: a brand reads its own accounts, a creator theirs, an MCN its own and its roster's; a transaction or
# posting is visible when it touches a visible account. Reviewers see no money.


def _accounts_of(p: Principal) -> Condition:
    if p.role is Role.BRAND_MANAGER:
        return (LedgerAccount.owner_kind == OwnerKind.BRAND) & (LedgerAccount.owner_id == p.brand_id)
    if p.role in (Role.MCN_MANAGER, Role.CREATOR):
        creators = (LedgerAccount.owner_kind == OwnerKind.CREATOR) & LedgerAccount.owner_id.in_(
            select(Creator.id).where(creators_of(p))
        )
        if p.role is Role.MCN_MANAGER:
            return creators | ((LedgerAccount.owner_kind == OwnerKind.MCN) & (LedgerAccount.owner_id == p.mcn_id))
        return creators
    return false()


def _postings_of(p: Principal) -> Condition:
    return LedgerPosting.account_id.in_(select(LedgerAccount.id).where(_accounts_of(p)))


def _of_visible_orders(column: Any) -> access.Rule[Principal]:
    return lambda p: column.in_(select(Order.id).where(access.scope_condition(Order, p)))


def _invoices_of(p: Principal) -> Condition:
    owner = {
        Role.BRAND_MANAGER: (OwnerKind.BRAND, p.brand_id),
        Role.MCN_MANAGER: (OwnerKind.MCN, p.mcn_id),
        Role.CREATOR: (OwnerKind.CREATOR, p.creator_id),
    }.get(p.role)
    if owner is None or owner[1] is None:
        return false()
    return (StatementInvoice.owner_kind == owner[0]) & (StatementInvoice.owner_id == owner[1])


_SCOPES: dict[type[Base], access.Rule[Principal]] = {
    OrderRefund: _of_visible_orders(OrderRefund.order_id),
    OrderComplaint: _of_visible_orders(OrderComplaint.order_id),
    StatementInvoice: _invoices_of,
    LedgerAccount: _accounts_of,
    LedgerPosting: _postings_of,
    LedgerTransaction: lambda p: LedgerTransaction.id.in_(select(LedgerPosting.transaction_id).where(_postings_of(p))),
}
access.register_scopes(_SCOPES)
