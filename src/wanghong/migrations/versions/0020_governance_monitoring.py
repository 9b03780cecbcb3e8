"""governance: subject documents and product monitoring

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01

商品监测's tables — price observations, livestream speech segments, findings — and the masked ID number a
creator submits with its real-name record. A trigger on ``products`` adds the product's own price to
``governance_price_observations`` when a product is inserted and whenever its price changes, in the writer's
transaction, so every write path (API, pages, bulk loads, plain SQL) leaves its price history.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import JSONType, UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_PG_CAPTURE = """
CREATE FUNCTION governance_price_capture() RETURNS trigger AS $$
BEGIN
    INSERT INTO governance_price_observations (product_id, fen, channel, observed_at)
    VALUES (NEW.id, round(NEW.price * 100)::bigint, 'self', clock_timestamp());
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""
# SQLite keeps milliseconds; UTCDateTime reads six fractional digits (as migration 0007's capture does).
_SQLITE_INSERT = (
    "INSERT INTO governance_price_observations (product_id, fen, channel, observed_at) VALUES "
    "(NEW.id, CAST(round(NEW.price * 100) AS INTEGER), 'self', strftime('%Y-%m-%d %H:%M:%f', 'now') || '000');"
)


def upgrade() -> None:
    with op.batch_alter_table("governance_subjects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id_number_masked", sa.String(length=32), nullable=True))
    op.create_table(
        "governance_price_observations",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("fen", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("observed_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint("fen >= 0", name=op.f("ck_governance_price_observations_fen_non_negative")),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_governance_price_observations_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_price_observations")),
        sa.UniqueConstraint("external_id", name=op.f("uq_governance_price_observations_external_id")),
    )
    with op.batch_alter_table("governance_price_observations", schema=None) as batch_op:
        batch_op.create_index("ix_governance_price_observations_product", ["product_id", "observed_at"], unique=False)
    op.create_table(
        "governance_speech_segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("livestream_id", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("said_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["creator_id"],
            ["creators.id"],
            name=op.f("fk_governance_speech_segments_creator_id_creators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["livestream_id"],
            ["livestream_sessions.id"],
            name=op.f("fk_governance_speech_segments_livestream_id_livestream_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_governance_speech_segments_product_id_products"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_speech_segments")),
        sa.UniqueConstraint("livestream_id", "seq", name="uq_governance_speech_segments_seq"),
    )
    with op.batch_alter_table("governance_speech_segments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_governance_speech_segments_creator_id"), ["creator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_governance_speech_segments_product_id"), ["product_id"], unique=False)
    op.create_table(
        "governance_monitoring_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "fake_discount",
                "price_claim",
                "listing_mismatch",
                name="findingkind_value",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=True),
        sa.Column("livestream_id", sa.Integer(), nullable=True),
        sa.Column("segment_id", sa.Integer(), nullable=True),
        sa.Column(
            "severity",
            sa.Enum(
                "low", "medium", "high", name="severity_value", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("claim", sa.String(length=200), nullable=False),
        sa.Column("listed", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", JSONType, nullable=False),
        sa.Column("review_task_id", sa.Integer(), nullable=True),
        sa.Column("detected_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_governance_monitoring_findings_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["creator_id"],
            ["creators.id"],
            name=op.f("fk_governance_monitoring_findings_creator_id_creators"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["livestream_id"],
            ["livestream_sessions.id"],
            name=op.f("fk_governance_monitoring_findings_livestream_id_livestream_sessions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_governance_monitoring_findings_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_task_id"],
            ["review_tasks.id"],
            name=op.f("fk_governance_monitoring_findings_review_task_id_review_tasks"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["governance_speech_segments.id"],
            name=op.f("fk_governance_monitoring_findings_segment_id_governance_speech_segments"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_monitoring_findings")),
        sa.UniqueConstraint("key", name=op.f("uq_governance_monitoring_findings_key")),
    )
    with op.batch_alter_table("governance_monitoring_findings", schema=None) as batch_op:
        batch_op.create_index("ix_governance_monitoring_findings_brand", ["brand_id", "id"], unique=False)
        batch_op.create_index("ix_governance_monitoring_findings_product", ["product_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_governance_monitoring_findings_creator_id"), ["creator_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_governance_monitoring_findings_review_task_id"), ["review_task_id"], unique=False
        )
    _capture_prices()


def _capture_prices() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_CAPTURE)
        op.execute(
            "CREATE TRIGGER products_price_insert AFTER INSERT ON products "
            "FOR EACH ROW EXECUTE FUNCTION governance_price_capture()"
        )
        op.execute(
            "CREATE TRIGGER products_price_update AFTER UPDATE OF price ON products "
            "FOR EACH ROW WHEN (OLD.price IS DISTINCT FROM NEW.price) EXECUTE FUNCTION governance_price_capture()"
        )
        # Products that existed before this revision start their history at their current price.
        op.execute(
            "INSERT INTO governance_price_observations (product_id, fen, channel, observed_at) "
            "SELECT id, round(price * 100)::bigint, 'self', created_at FROM products"
        )
        return
    op.execute(f"CREATE TRIGGER products_price_insert AFTER INSERT ON products BEGIN {_SQLITE_INSERT} END")
    op.execute(
        "CREATE TRIGGER products_price_update AFTER UPDATE OF price ON products "
        f"WHEN OLD.price IS NOT NEW.price BEGIN {_SQLITE_INSERT} END"
    )
    op.execute(
        "INSERT INTO governance_price_observations (product_id, fen, channel, observed_at) "
        "SELECT id, CAST(round(price * 100) AS INTEGER), 'self', created_at FROM products"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS products_price_insert ON products")
        op.execute("DROP TRIGGER IF EXISTS products_price_update ON products")
        op.execute("DROP FUNCTION IF EXISTS governance_price_capture()")
    else:
        op.execute("DROP TRIGGER IF EXISTS products_price_insert")
        op.execute("DROP TRIGGER IF EXISTS products_price_update")
    with op.batch_alter_table("governance_monitoring_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_monitoring_findings_review_task_id"))
        batch_op.drop_index(batch_op.f("ix_governance_monitoring_findings_creator_id"))
        batch_op.drop_index("ix_governance_monitoring_findings_product")
        batch_op.drop_index("ix_governance_monitoring_findings_brand")
    op.drop_table("governance_monitoring_findings")
    with op.batch_alter_table("governance_speech_segments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_speech_segments_product_id"))
        batch_op.drop_index(batch_op.f("ix_governance_speech_segments_creator_id"))
    op.drop_table("governance_speech_segments")
    with op.batch_alter_table("governance_price_observations", schema=None) as batch_op:
        batch_op.drop_index("ix_governance_price_observations_product")
    op.drop_table("governance_price_observations")
    with op.batch_alter_table("governance_subjects", schema=None) as batch_op:
        batch_op.drop_column("id_number_masked")
