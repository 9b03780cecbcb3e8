"""audience: crowd packs, their releases and each brand's privacy budget

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import JSONType, UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audience_packs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("definition", JSONType, nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_audience_packs_brand_id_brands"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_audience_packs_created_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audience_packs")),
    )
    with op.batch_alter_table("audience_packs", schema=None) as batch_op:
        batch_op.create_index("ix_audience_packs_brand", ["brand_id", "id"])

    op.create_table(
        "audience_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "pack_size",
                "segment_sizes",
                "export",
                name="releasekind_value",
                native_enum=False,
                length=32,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("epsilon", sa.Float(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("released", JSONType, nullable=False),
        sa.Column("accuracy", sa.Float(), nullable=False),
        sa.Column("released_by", sa.Integer(), nullable=True),
        sa.Column("released_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("epsilon >= 0", name=op.f("ck_audience_releases_epsilon_non_negative")),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_audience_releases_brand_id_brands"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["pack_id"],
            ["audience_packs.id"],
            name=op.f("fk_audience_releases_pack_id_audience_packs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["released_by"], ["users.id"], name=op.f("fk_audience_releases_released_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audience_releases")),
    )
    with op.batch_alter_table("audience_releases", schema=None) as batch_op:
        batch_op.create_index("ix_audience_releases_brand_month", ["brand_id", "month"])
        batch_op.create_index("ix_audience_releases_pack", ["pack_id", "id"])

    op.create_table(
        "audience_budgets",
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("limit_micro", sa.BigInteger(), nullable=False),
        sa.Column("spent_micro", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "spent_micro >= 0 AND spent_micro <= limit_micro", name=op.f("ck_audience_budgets_within_limit")
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_audience_budgets_brand_id_brands"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("brand_id", "month", name=op.f("pk_audience_budgets")),
    )


def downgrade() -> None:
    op.drop_table("audience_budgets")
    op.drop_table("audience_releases")
    op.drop_table("audience_packs")
