"""agency: signing requests and revenue splits

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agency_signings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("sign", "release", name="signingkind_value", native_enum=False, length=32, create_constraint=True),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "confirmed",
                "declined",
                "withdrawn",
                name="signingstatus_value",
                native_enum=False,
                length=32,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("mcn_id", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("share_rate", sa.Float(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("decision_note", sa.String(length=500), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("starts_at", UTCDateTime(), nullable=True),
        sa.Column("ends_at", UTCDateTime(), nullable=True),
        sa.Column("released_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("share_rate >= 0 AND share_rate <= 1", name=op.f("ck_agency_signings_share_rate_unit")),
        sa.CheckConstraint(
            "term_months >= 1 AND term_months <= 120", name=op.f("ck_agency_signings_term_months_range")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["agency_signings.id"],
            name=op.f("fk_agency_signings_contract_id_agency_signings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["creator_id"], ["creators.id"], name=op.f("fk_agency_signings_creator_id_creators"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["mcn_id"], ["mcns.id"], name=op.f("fk_agency_signings_mcn_id_mcns"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_agency_signings_requested_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_signings")),
    )
    with op.batch_alter_table("agency_signings", schema=None) as batch_op:
        batch_op.create_index("ix_agency_signings_creator_status", ["creator_id", "status"])
        batch_op.create_index("ix_agency_signings_mcn_status", ["mcn_id", "status"])


def downgrade() -> None:
    op.drop_table("agency_signings")
