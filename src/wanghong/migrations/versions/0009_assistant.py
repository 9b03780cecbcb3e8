"""assistant: versioned product facts

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

`assistant_product_facts` holds every version of every fact a brand states about a product; the assistant
answers, and composes scripts and copy, from the current versions only and cites the version it used.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assistant_product_facts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_assistant_product_facts_version_positive")),
        sa.CheckConstraint("length(text) > 0", name=op.f("ck_assistant_product_facts_text_not_empty")),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_assistant_product_facts_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_assistant_product_facts_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_product_facts")),
        sa.UniqueConstraint(
            "product_id", "key", "version", name=op.f("uq_assistant_product_facts_product_id_key_version")
        ),
    )
    op.create_index("ix_assistant_product_facts_current", "assistant_product_facts", ["product_id", "current"])


def downgrade() -> None:
    op.drop_index("ix_assistant_product_facts_current", table_name="assistant_product_facts")
    op.drop_table("assistant_product_facts")
