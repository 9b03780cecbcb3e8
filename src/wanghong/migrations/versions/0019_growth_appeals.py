"""growth: appeals against a month's MCN grade (星火计划); 光合计划 incentive terms and the paid total

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIERS = ("S", "A", "B", "unrated")
_STATUSES = ("pending", "accepted", "rejected")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "growth_grade_appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grade_id", sa.Integer(), nullable=False),
        sa.Column("mcn_id", sa.Integer(), nullable=False),
        sa.Column("requested_grade", _enum(_TIERS, "requested_grade_value"), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("status", _enum(_STATUSES, "appealstatus_value"), nullable=False),
        sa.Column("filed_by", sa.Integer(), nullable=True),
        sa.Column("filed_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["grade_id"],
            ["growth_mcn_grades.id"],
            name=op.f("fk_growth_grade_appeals_grade_id_growth_mcn_grades"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mcn_id"], ["mcns.id"], name=op.f("fk_growth_grade_appeals_mcn_id_mcns"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["filed_by"], ["users.id"], name=op.f("fk_growth_grade_appeals_filed_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_growth_grade_appeals_decided_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_growth_grade_appeals")),
        sa.UniqueConstraint("grade_id", name=op.f("uq_growth_grade_appeals_grade_id")),
    )
    with op.batch_alter_table("growth_grade_appeals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_growth_grade_appeals_mcn_id"), ["mcn_id"], unique=False)
    with op.batch_alter_table("growth_programmes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reward", sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column("target_follows", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("paid_total", sa.Numeric(precision=14, scale=2), server_default="0", nullable=False)
        )


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35 has it): a batch copy would drop and re-create the table, which
    # the enrolments' foreign key to it refuses while they exist.
    for column in ("paid_total", "target_follows", "reward"):
        op.drop_column("growth_programmes", column)
    with op.batch_alter_table("growth_grade_appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_growth_grade_appeals_mcn_id"))
    op.drop_table("growth_grade_appeals")
