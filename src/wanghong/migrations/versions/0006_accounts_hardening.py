"""accounts hardening: refused sign-ins, counted per account name and per client address

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

The login throttle counts failures here so that every server worker shares one count.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=128), nullable=False),
        sa.Column("failed_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("scope IN ('account', 'address')", name=op.f("ck_login_failures_scope_value")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index("ix_login_failures_scope_subject_failed_at", ["scope", "subject", "failed_at"])


def downgrade() -> None:
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failures_scope_subject_failed_at")
    op.drop_table("login_failures")
