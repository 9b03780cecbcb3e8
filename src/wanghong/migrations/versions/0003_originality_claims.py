"""originality claims

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

`originality_claims` (原创申诉): a creator's claim that another creator's video copies theirs, with the
engine's evidence at filing time and the reviewer's decision; a confirmed claim points at the
`copied_content` violation it created.

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import JSONType, UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "originality_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claimant_creator_id", sa.Integer(), nullable=False),
        sa.Column("accused_creator_id", sa.Integer(), nullable=False),
        sa.Column("original_video_id", sa.Integer(), nullable=False),
        sa.Column("copy_video_id", sa.Integer(), nullable=False),
        sa.Column("filed_by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("evidence", JSONType, nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "confirmed",
                "rejected",
                name="claimstatus_value",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("violation_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["accused_creator_id"],
            ["creators.id"],
            name=op.f("fk_originality_claims_accused_creator_id_creators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["claimant_creator_id"],
            ["creators.id"],
            name=op.f("fk_originality_claims_claimant_creator_id_creators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["copy_video_id"],
            ["videos.id"],
            name=op.f("fk_originality_claims_copy_video_id_videos"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_originality_claims_decided_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["filed_by_id"], ["users.id"], name=op.f("fk_originality_claims_filed_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["original_video_id"],
            ["videos.id"],
            name=op.f("fk_originality_claims_original_video_id_videos"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["violation_id"],
            ["violations.id"],
            name=op.f("fk_originality_claims_violation_id_violations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_originality_claims")),
    )
    with op.batch_alter_table("originality_claims", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_originality_claims_accused_creator_id"), ["accused_creator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_originality_claims_claimant_creator_id"), ["claimant_creator_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_originality_claims_copy_video_id"), ["copy_video_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("originality_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_originality_claims_copy_video_id"))
        batch_op.drop_index(batch_op.f("ix_originality_claims_claimant_creator_id"))
        batch_op.drop_index(batch_op.f("ix_originality_claims_accused_creator_id"))
    op.drop_table("originality_claims")
