"""selection: distribution listings, sample requests, livestream carts, content submissions

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import JSONType, UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "selection_listings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("commission_rate", sa.Float(), nullable=False),
        sa.Column("sample_policy", _enum("samplepolicy_value", "none", "free", "return"), nullable=False),
        sa.Column("sample_note", sa.String(length=500), nullable=False),
        sa.Column("status", _enum("listingstatus_value", "open", "closed"), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _fk("selection_listings", "brand_id", "brands"),
        _fk("selection_listings", "product_id", "products"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selection_listings")),
        sa.UniqueConstraint("product_id", name=op.f("uq_selection_listings_product_id")),
    )
    op.create_index(op.f("ix_selection_listings_brand_id"), "selection_listings", ["brand_id"])
    op.create_index("ix_selection_listings_status", "selection_listings", ["status", "id"])

    op.create_table(
        "selection_sample_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("status", _enum("samplestatus_value", "pending", "approved", "declined"), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _fk("selection_sample_requests", "brand_id", "brands"),
        _fk("selection_sample_requests", "creator_id", "creators"),
        _fk("selection_sample_requests", "listing_id", "selection_listings"),
        _fk("selection_sample_requests", "product_id", "products"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selection_sample_requests")),
    )
    op.create_index("ix_selection_sample_requests_brand", "selection_sample_requests", ["brand_id", "status", "id"])
    op.create_index(op.f("ix_selection_sample_requests_creator_id"), "selection_sample_requests", ["creator_id"])
    op.create_index(op.f("ix_selection_sample_requests_listing_id"), "selection_sample_requests", ["listing_id"])

    op.create_table(
        "selection_cart_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("livestream_id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("commission_rate", sa.Float(), nullable=False),
        sa.Column("price", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        _fk("selection_cart_items", "brand_id", "brands"),
        _fk("selection_cart_items", "creator_id", "creators"),
        _fk("selection_cart_items", "listing_id", "selection_listings"),
        _fk("selection_cart_items", "livestream_id", "livestream_sessions"),
        _fk("selection_cart_items", "product_id", "products"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selection_cart_items")),
        sa.UniqueConstraint(
            "livestream_id", "listing_id", name=op.f("uq_selection_cart_items_livestream_id_listing_id")
        ),
    )
    op.create_index(op.f("ix_selection_cart_items_brand_id"), "selection_cart_items", ["brand_id"])
    op.create_index(op.f("ix_selection_cart_items_creator_id"), "selection_cart_items", ["creator_id"])
    op.create_index(op.f("ix_selection_cart_items_listing_id"), "selection_cart_items", ["listing_id"])

    op.create_table(
        "selection_content_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collaboration_id", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("script", sa.Text(), nullable=False),
        sa.Column("video_url", sa.String(length=500), nullable=False),
        sa.Column("verdict", _enum("verdict_value", "pass", "review", "block"), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("hits", JSONType, nullable=False),
        sa.Column("submitted_by", sa.Integer(), nullable=True),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        _fk("selection_content_versions", "collaboration_id", "collaborations"),
        _fk("selection_content_versions", "creator_id", "creators"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selection_content_versions")),
        sa.UniqueConstraint(
            "collaboration_id", "number", name=op.f("uq_selection_content_versions_collaboration_id_number")
        ),
    )


def downgrade() -> None:
    op.drop_table("selection_content_versions")
    op.drop_table("selection_cart_items")
    op.drop_table("selection_sample_requests")
    op.drop_table("selection_listings")
