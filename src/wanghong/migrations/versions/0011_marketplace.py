"""marketplace: favourites (a brand's 收藏夹) and rate_cards (a creator's 报价)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "favourites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_favourites_brand_id_brands"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["creator_id"], ["creators.id"], name=op.f("fk_favourites_creator_id_creators"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_favourites")),
        sa.UniqueConstraint("brand_id", "creator_id", name=op.f("uq_favourites_brand_id_creator_id")),
    )
    with op.batch_alter_table("favourites", schema=None) as batch_op:
        batch_op.create_index("ix_favourites_brand", ["brand_id", "id"])
        batch_op.create_index(batch_op.f("ix_favourites_creator_id"), ["creator_id"])
    op.create_table(
        "rate_cards",
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("video_short", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("video_medium", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("video_long", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("live_slot_fee", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("live_commission_rate", sa.Float(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "(video_short IS NULL OR video_short >= 0) AND (video_medium IS NULL OR video_medium >= 0)"
            " AND (video_long IS NULL OR video_long >= 0) AND (live_slot_fee IS NULL OR live_slot_fee >= 0)",
            name=op.f("ck_rate_cards_prices_not_negative"),
        ),
        sa.CheckConstraint(
            "live_commission_rate IS NULL OR (live_commission_rate >= 0 AND live_commission_rate <= 1)",
            name=op.f("ck_rate_cards_commission_is_a_share"),
        ),
        sa.ForeignKeyConstraint(
            ["creator_id"], ["creators.id"], name=op.f("fk_rate_cards_creator_id_creators"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_rate_cards_updated_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("creator_id", name=op.f("pk_rate_cards")),
    )


def downgrade() -> None:
    op.drop_table("rate_cards")
    op.drop_table("favourites")
