"""settlement: refunds, complaints, statement invoices

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01

An order is refunded at most once (unique order id); its commission's reversal or clawback is a ledger
transaction keyed by the order, so no ledger table changes here (a clawback is a `correction`, a kind the ledger
already knows).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32, create_constraint=True)


def _users_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="SET NULL")


def upgrade() -> None:
    op.create_table(
        "order_refunds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("within_window", sa.Boolean(), nullable=False),
        sa.Column("refunded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_order_refunds_amount_non_negative")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_refunds_order_id_orders"), ondelete="CASCADE"
        ),
        _users_fk("order_refunds", "recorded_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_refunds")),
        sa.UniqueConstraint("order_id", name=op.f("uq_order_refunds_order_id")),
    )
    with op.batch_alter_table("order_refunds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_refunds_refunded_at"), ["refunded_at"], unique=False)

    op.create_table(
        "order_complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column(
            "category",
            _enum("complaintcategory_value", "quality", "not_as_described", "delivery", "service", "other"),
            nullable=False,
        ),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("filed_at", UTCDateTime(), nullable=False),
        sa.Column("filed_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_complaints_order_id_orders"), ondelete="CASCADE"
        ),
        _users_fk("order_complaints", "filed_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_complaints")),
    )
    with op.batch_alter_table("order_complaints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_complaints_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_complaints_filed_at"), ["filed_at"], unique=False)

    op.create_table(
        "statement_invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_kind", _enum("ownerkind_value", "brand", "creator", "mcn", "platform"), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("amount_fen >= 0", name=op.f("ck_statement_invoices_amount_non_negative")),
        _users_fk("statement_invoices", "recorded_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_invoices")),
        sa.UniqueConstraint(
            "owner_kind", "owner_id", "month", name=op.f("uq_statement_invoices_owner_kind_owner_id_month")
        ),
    )


def downgrade() -> None:
    op.drop_table("statement_invoices")
    op.drop_table("order_complaints")
    with op.batch_alter_table("order_refunds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_refunds_refunded_at"))
    op.drop_table("order_refunds")
