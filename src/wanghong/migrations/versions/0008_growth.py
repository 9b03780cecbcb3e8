"""growth: MCN grades and their history, growth programmes, enrolments

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIERS = ("S", "A", "B", "unrated")
_KINDS = ("course", "incentive")
_ASSIGNMENTS = ("randomised_treatment", "randomised_control", "self_enrolled")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "growth_mcn_grades",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mcn_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("grade", _enum(_TIERS, "grade_value"), nullable=False),
        sa.Column("previous_grade", _enum(_TIERS, "previous_grade_value"), nullable=True),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("overridden_grade", _enum(_TIERS, "overridden_grade_value"), nullable=True),
        sa.Column("override_reason", sa.String(length=500), nullable=True),
        sa.Column("overridden_by", sa.Integer(), nullable=True),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["mcn_id"], ["mcns.id"], name=op.f("fk_growth_mcn_grades_mcn_id_mcns")),
        sa.ForeignKeyConstraint(["overridden_by"], ["users.id"], name=op.f("fk_growth_mcn_grades_overridden_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_growth_mcn_grades")),
        sa.UniqueConstraint("mcn_id", "month", name=op.f("uq_growth_mcn_grades_mcn_id_month")),
    )
    with op.batch_alter_table("growth_mcn_grades", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_growth_mcn_grades_mcn_id"), ["mcn_id"], unique=False)

    op.create_table(
        "growth_programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", _enum(_KINDS, "programmekind_value"), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("budget", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("randomised_share", sa.Float(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_growth_programmes")),
        sa.UniqueConstraint("name", name=op.f("uq_growth_programmes_name")),
    )

    op.create_table(
        "growth_enrolments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("assignment", _enum(_ASSIGNMENTS, "assignment_value"), nullable=False),
        sa.Column("enrolled_at", UTCDateTime(), nullable=False),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.Column("paid", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.ForeignKeyConstraint(["creator_id"], ["creators.id"], name=op.f("fk_growth_enrolments_creator_id_creators")),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["growth_programmes.id"], name=op.f("fk_growth_enrolments_programme_id_growth_programmes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_growth_enrolments")),
        sa.UniqueConstraint("programme_id", "creator_id", name=op.f("uq_growth_enrolments_programme_id_creator_id")),
    )
    with op.batch_alter_table("growth_enrolments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_growth_enrolments_creator_id"), ["creator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_growth_enrolments_programme_id"), ["programme_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("growth_enrolments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_growth_enrolments_programme_id"))
        batch_op.drop_index(batch_op.f("ix_growth_enrolments_creator_id"))
    op.drop_table("growth_enrolments")
    op.drop_table("growth_programmes")
    with op.batch_alter_table("growth_mcn_grades", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_growth_mcn_grades_mcn_id"))
    op.drop_table("growth_mcn_grades")
