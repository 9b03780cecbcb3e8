"""fraud: the signals the platform records (order fingerprints, follower samples, viewer sessions) and the stored
scores of each day's scan (creator quality, order scores, rings, room estimates)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import JSONType, UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fraud_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("creators", sa.Integer(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("flagged_orders", sa.Integer(), nullable=False),
        sa.Column("rooms", sa.Integer(), nullable=False),
        sa.Column("rings", sa.Integer(), nullable=False),
        sa.Column("holds", sa.Integer(), nullable=False),
        sa.Column("review_tasks", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fraud_scans")),
        sa.UniqueConstraint("day", name=op.f("uq_fraud_scans_day")),
    )
    op.create_table(
        "fraud_rings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("buyers", sa.Integer(), nullable=False),
        sa.Column("creator_ids", JSONType, nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("top_score", sa.Float(), nullable=False),
        sa.Column("review_task_id", sa.Integer(), nullable=True),
        sa.Column("cleared", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scan_id"], ["fraud_scans.id"], name=op.f("fk_fraud_rings_scan_id_fraud_scans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fraud_rings")),
        sa.UniqueConstraint("scan_id", "number", name=op.f("uq_fraud_rings_scan_id_number")),
    )
    with op.batch_alter_table("fraud_rings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fraud_rings_scan_id"), ["scan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fraud_rings_signature"), ["signature"], unique=False)

    op.create_table(
        "follower_samples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("sampled_at", UTCDateTime(), nullable=False),
        sa.Column("followers", sa.Integer(), nullable=False),
        sa.Column("following", sa.Integer(), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("has_avatar", sa.Boolean(), nullable=False),
        sa.Column("is_private", sa.Boolean(), nullable=False),
        sa.Column("bio_length", sa.Integer(), nullable=False),
        sa.Column("username_length", sa.Integer(), nullable=False),
        sa.Column("username_digits", sa.Integer(), nullable=False),
        sa.Column("planted", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["creator_id"], ["creators.id"], name=op.f("fk_follower_samples_creator_id_creators"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follower_samples")),
    )
    with op.batch_alter_table("follower_samples", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follower_samples_creator_id"), ["creator_id"], unique=False)

    op.create_table(
        "fraud_creator_quality",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("real_share", sa.Float(), nullable=False),
        sa.Column("mass_follower_share", sa.Float(), nullable=False),
        sa.Column("engagement_z", sa.Float(), nullable=True),
        sa.Column("template_comment_share", sa.Float(), nullable=True),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("reasons", JSONType, nullable=False),
        sa.ForeignKeyConstraint(
            ["creator_id"],
            ["creators.id"],
            name=op.f("fk_fraud_creator_quality_creator_id_creators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scan_id"],
            ["fraud_scans.id"],
            name=op.f("fk_fraud_creator_quality_scan_id_fraud_scans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fraud_creator_quality")),
        sa.UniqueConstraint("scan_id", "creator_id", name=op.f("uq_fraud_creator_quality_scan_id_creator_id")),
    )
    with op.batch_alter_table("fraud_creator_quality", schema=None) as batch_op:
        batch_op.create_index("ix_fraud_creator_quality_creator", ["creator_id"], unique=False)

    op.create_table(
        "fraud_room_estimates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("livestream_id", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("flagged_sessions", sa.Integer(), nullable=False),
        sa.Column("estimated_real_entries", sa.Float(), nullable=False),
        sa.Column("peak_reported_concurrent", sa.Float(), nullable=False),
        sa.Column("peak_real_concurrent", sa.Float(), nullable=False),
        sa.Column("bursts", sa.Integer(), nullable=False),
        sa.Column("minutes", JSONType, nullable=False),
        sa.ForeignKeyConstraint(
            ["creator_id"],
            ["creators.id"],
            name=op.f("fk_fraud_room_estimates_creator_id_creators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["livestream_id"],
            ["livestream_sessions.id"],
            name=op.f("fk_fraud_room_estimates_livestream_id_livestream_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scan_id"],
            ["fraud_scans.id"],
            name=op.f("fk_fraud_room_estimates_scan_id_fraud_scans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fraud_room_estimates")),
        sa.UniqueConstraint("scan_id", "livestream_id", name=op.f("uq_fraud_room_estimates_scan_id_livestream_id")),
    )
    with op.batch_alter_table("fraud_room_estimates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fraud_room_estimates_livestream_id"), ["livestream_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fraud_room_estimates_scan_id"), ["scan_id"], unique=False)

    op.create_table(
        "viewer_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("livestream_id", sa.Integer(), nullable=False),
        sa.Column("viewer_key", sa.String(length=64), nullable=False),
        sa.Column("enter_s", sa.Float(), nullable=False),
        sa.Column("leave_s", sa.Float(), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=False),
        sa.Column("planted", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["livestream_id"],
            ["livestream_sessions.id"],
            name=op.f("fk_viewer_sessions_livestream_id_livestream_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_viewer_sessions")),
    )
    with op.batch_alter_table("viewer_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_viewer_sessions_livestream_id"), ["livestream_id"], unique=False)

    op.create_table(
        "fraud_order_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("ring_number", sa.Integer(), nullable=True),
        sa.Column("buyer_score", sa.Float(), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("cleared", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_fraud_order_scores_order_id_orders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["scan_id"], ["fraud_scans.id"], name=op.f("fk_fraud_order_scores_scan_id_fraud_scans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fraud_order_scores")),
        sa.UniqueConstraint("scan_id", "order_id", name=op.f("uq_fraud_order_scores_scan_id_order_id")),
    )
    with op.batch_alter_table("fraud_order_scores", schema=None) as batch_op:
        batch_op.create_index("ix_fraud_order_scores_flagged", ["scan_id", "flagged"], unique=False)
        batch_op.create_index("ix_fraud_order_scores_order", ["order_id"], unique=False)

    op.create_table(
        "order_fingerprints",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("device_hash", sa.String(length=64), nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("payment_hash", sa.String(length=64), nullable=False),
        sa.Column("planted", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_fingerprints_order_id_orders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_order_fingerprints")),
    )


def downgrade() -> None:
    op.drop_table("order_fingerprints")
    op.drop_table("fraud_order_scores")
    op.drop_table("viewer_sessions")
    op.drop_table("fraud_room_estimates")
    op.drop_table("fraud_creator_quality")
    op.drop_table("follower_samples")
    op.drop_table("fraud_rings")
    op.drop_table("fraud_scans")
