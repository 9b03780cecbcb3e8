"""fair traffic settings and Gini snapshots

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

`traffic_settings` holds the operators' target Gini and per-tier minimum exposure shares in one row
(id 1) so every allocator worker applies the same knobs; `traffic_gini_snapshots` is the time series
of measured exposure Gini behind the operations dashboard chart.

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import JSONType, UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "traffic_gini_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("measured_gini", sa.Float(), nullable=False),
        sa.Column("target_gini", sa.Float(), nullable=False),
        sa.Column("requests", sa.BigInteger(), nullable=False),
        sa.Column("n_creators", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_traffic_gini_snapshots")),
    )
    with op.batch_alter_table("traffic_gini_snapshots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_traffic_gini_snapshots_at"), ["at"], unique=False)

    op.create_table(
        "traffic_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_gini", sa.Float(), nullable=False),
        sa.Column("min_tier_share", JSONType, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_traffic_settings_single_row")),
        sa.CheckConstraint(
            "target_gini >= 0 AND target_gini <= 1", name=op.f("ck_traffic_settings_target_gini_unit_interval")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_traffic_settings_updated_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_traffic_settings")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("traffic_settings")
    with op.batch_alter_table("traffic_gini_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_traffic_gini_snapshots_at"))
    op.drop_table("traffic_gini_snapshots")
