"""live room: assistant answers and room risk

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import JSONType, UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "live_rooms",
        sa.Column("livestream_id", sa.Integer(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("transcripts", sa.Integer(), nullable=False),
        sa.Column("comments", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("peak", sa.Float(), nullable=False),
        sa.Column("components", JSONType, nullable=False),
        sa.Column("above", JSONType, nullable=False),
        sa.Column("scored_at", UTCDateTime(), nullable=True),
        sa.Column("scored_messages", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.CheckConstraint("score >= 0 AND score <= 100", name=op.f("ck_live_rooms_score_range")),
        sa.ForeignKeyConstraint(
            ["livestream_id"],
            ["livestream_sessions.id"],
            name=op.f("fk_live_rooms_livestream_id_livestream_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("livestream_id", name=op.f("pk_live_rooms")),
    )
    op.create_table(
        "live_risk_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("livestream_id", sa.Integer(), nullable=False),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("compliance", sa.Float(), nullable=False),
        sa.Column("fraud", sa.Float(), nullable=False),
        sa.Column("originality", sa.Float(), nullable=False),
        sa.Column("crossed", sa.String(length=16), nullable=False),
        sa.Column("review_task_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["livestream_id"],
            ["livestream_sessions.id"],
            name=op.f("fk_live_risk_points_livestream_id_livestream_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_task_id"],
            ["review_tasks.id"],
            name=op.f("fk_live_risk_points_review_task_id_review_tasks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_risk_points")),
    )
    with op.batch_alter_table("live_risk_points", schema=None) as batch_op:
        batch_op.create_index("ix_live_risk_points_room", ["livestream_id", "id"], unique=False)

    op.create_table(
        "live_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("livestream_id", sa.Integer(), nullable=False),
        sa.Column("viewer_id", sa.BigInteger(), nullable=False),
        sa.Column("entered_at", UTCDateTime(), nullable=False),
        sa.Column("left_at", UTCDateTime(), nullable=True),
        sa.Column("comment", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["livestream_id"],
            ["livestream_sessions.id"],
            name=op.f("fk_live_visits_livestream_id_livestream_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_visits")),
    )
    with op.batch_alter_table("live_visits", schema=None) as batch_op:
        batch_op.create_index("ix_live_visits_room_viewer", ["livestream_id", "viewer_id", "entered_at"], unique=False)

    op.create_table(
        "assistant_live_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("livestream_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("viewer_id", sa.BigInteger(), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("fact_ids", JSONType, nullable=False),
        sa.Column("abstained", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("produce_id", sa.String(length=64), nullable=False),
        sa.Column("asked_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asked_by_id"], ["users.id"], name=op.f("fk_assistant_live_answers_asked_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["livestream_id"],
            ["livestream_sessions.id"],
            name=op.f("fk_assistant_live_answers_livestream_id_livestream_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_assistant_live_answers_product_id_products"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_live_answers")),
    )
    with op.batch_alter_table("assistant_live_answers", schema=None) as batch_op:
        batch_op.create_index("ix_assistant_live_answers_room", ["livestream_id", "id"], unique=False)


def downgrade() -> None:
    for table, index in (
        ("assistant_live_answers", "ix_assistant_live_answers_room"),
        ("live_visits", "ix_live_visits_room_viewer"),
        ("live_risk_points", "ix_live_risk_points_room"),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index)
        op.drop_table(table)
    op.drop_table("live_rooms")
