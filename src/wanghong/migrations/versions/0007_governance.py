"""governance: the RFC 9162 transparency log, captured by triggers on the records it proves

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Every INSERT, UPDATE (that changes something) and DELETE of a violation, penalty, appeal or originality claim,
and every sealing of a ledger transaction (with its postings), adds a *pending* entry to ``transparency_entries``
from a trigger, in the writer's own transaction: no write path (API, CLI, simulator bulk load, plain SQL) can
commit a record without its entry, and a rolled-back write leaves none. ``governance.transparency`` later gives
pending entries their gap-free leaf index and hashes under the ``transparency_state`` row lock.

The trigger snapshots the row as JSON: PostgreSQL's ``to_jsonb(row)``, SQLite's ``json_object`` over the
columns the table has at this revision (a later migration that adds a column to a captured table recreates its
SQLite triggers with :func:`capture_sqlite`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table → the record kind its entries carry ("<kind>.created" / ".updated" / ".deleted"); frozen at this revision.
CAPTURED = {
    "violations": "violation",
    "compliance_penalties": "penalty",
    "compliance_appeals": "appeal",
    "originality_claims": "originality_claim",
}
LEDGER = ("ledger_transactions", "ledger_transaction")  # append-only: logged once, when sealed
EMPTY_ROOT = bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")  # SHA-256("")

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "transparency_entries",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("record", sa.String(length=80), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("leaf_index", sa.BigInteger(), nullable=True),
        sa.Column("entry", sa.LargeBinary(), nullable=True),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transparency_entries")),
        sa.UniqueConstraint("entry_id", name=op.f("uq_transparency_entries_entry_id")),
        sa.UniqueConstraint("leaf_index", name=op.f("uq_transparency_entries_leaf_index")),
    )
    with op.batch_alter_table("transparency_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transparency_entries_record"), ["record"], unique=False)
        batch_op.create_index(
            "ix_transparency_entries_pending",
            ["id"],
            unique=False,
            sqlite_where=sa.text("leaf_index IS NULL"),
            postgresql_where=sa.text("leaf_index IS NULL"),
        )
    state = op.create_table(
        "transparency_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tree_size", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("compact_range", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_transparency_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transparency_state")),
    )
    op.bulk_insert(state, [{"id": 1, "tree_size": 0, "root_hash": EMPTY_ROOT, "compact_range": b""}])
    op.create_table(
        "transparency_tree_heads",
        sa.Column("tree_size", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("root_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("timestamp_ms", sa.BigInteger(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.LargeBinary(length=64), nullable=False),
        sa.PrimaryKeyConstraint("tree_size", name=op.f("pk_transparency_tree_heads")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _capture_postgresql()
    else:
        for table, kind in CAPTURED.items():
            capture_sqlite(table, kind)
        _capture_ledger_sqlite()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in (*CAPTURED, LEDGER[0]):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_transparency_write ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_transparency_update ON {table}")
        op.execute("DROP FUNCTION IF EXISTS transparency_capture()")
        op.execute("DROP FUNCTION IF EXISTS transparency_capture_ledger()")
    else:
        for table in (*CAPTURED, LEDGER[0]):
            for verb in ("created", "updated", "deleted", "sealed"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_transparency_{verb}")
    op.drop_table("transparency_tree_heads")
    op.drop_table("transparency_state")
    with op.batch_alter_table("transparency_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_transparency_entries_pending")
        batch_op.drop_index(batch_op.f("ix_transparency_entries_record"))
    op.drop_table("transparency_entries")


_PG_INSERT = (
    "INSERT INTO transparency_entries (entry_id, kind, record, content, recorded_at) "
    "VALUES (replace(gen_random_uuid()::text, '-', ''), {kind}, TG_TABLE_NAME || ':' || (snapshot->>'id'), "
    "snapshot::text, clock_timestamp())"
)


def _capture_postgresql() -> None:
    verb = "CASE TG_OP WHEN 'INSERT' THEN 'created' WHEN 'UPDATE' THEN 'updated' ELSE 'deleted' END"
    op.execute(
        f"""
        CREATE FUNCTION transparency_capture() RETURNS trigger AS $$
        DECLARE snapshot jsonb;
        BEGIN
            IF TG_OP = 'DELETE' THEN snapshot := to_jsonb(OLD); ELSE snapshot := to_jsonb(NEW); END IF;
            {_PG_INSERT.format(kind=f"TG_ARGV[0] || '.' || {verb}")};
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    # A sealed ledger transaction is proven with its legs: the postings and the accounts they move.
    op.execute(
        f"""
        CREATE FUNCTION transparency_capture_ledger() RETURNS trigger AS $$
        DECLARE snapshot jsonb;
        BEGIN
            snapshot := to_jsonb(NEW) || jsonb_build_object('postings', (
                SELECT coalesce(jsonb_agg(jsonb_build_object(
                    'id', p.id, 'amount', p.amount, 'owner_kind', a.owner_kind, 'owner_id', a.owner_id,
                    'purpose', a.purpose, 'currency', a.currency) ORDER BY p.id), '[]'::jsonb)
                FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
                WHERE p.transaction_id = NEW.id));
            {_PG_INSERT.format(kind=f"'{LEDGER[1]}.sealed'")};
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    for table, kind in CAPTURED.items():
        op.execute(
            f"CREATE TRIGGER {table}_transparency_write AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION transparency_capture('{kind}')"
        )
        op.execute(
            f"CREATE TRIGGER {table}_transparency_update AFTER UPDATE ON {table} "
            f"FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION transparency_capture('{kind}')"
        )
    op.execute(
        f"CREATE TRIGGER {LEDGER[0]}_transparency_update AFTER UPDATE OF sealed ON {LEDGER[0]} "
        "FOR EACH ROW WHEN (NEW.sealed AND NOT OLD.sealed) EXECUTE FUNCTION transparency_capture_ledger()"
    )


def _sqlite_snapshot(table: str, row: str) -> str:
    columns = sa.inspect(op.get_bind()).get_columns(table)
    parts = []
    for column in columns:
        value = f"{row}.{column['name']}"
        # A JSON column holds JSON text: embed it as JSON, not as a string.
        parts.append(f"'{column['name']}', " + (f"json({value})" if isinstance(column["type"], sa.JSON) else value))
    return f"json_object({', '.join(parts)})"


def _sqlite_insert(table: str, kind: str, row: str, content: str | None = None) -> str:
    return (
        "INSERT INTO transparency_entries (entry_id, kind, record, content, recorded_at) VALUES ("
        f"lower(hex(randomblob(16))), '{kind}', '{table}:' || {row}.id, {content or _sqlite_snapshot(table, row)}, "
        # SQLite keeps milliseconds; UTCDateTime reads six fractional digits.
        "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000');"
    )


def capture_sqlite(table: str, kind: str) -> None:
    """(Re)create the three SQLite capture triggers of ``table`` over its current columns."""
    columns = [c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)]
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    for verb in ("created", "updated", "deleted"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_transparency_{verb}")
    op.execute(
        f"CREATE TRIGGER {table}_transparency_created AFTER INSERT ON {table} "
        f"BEGIN {_sqlite_insert(table, f'{kind}.created', 'NEW')} END"
    )
    op.execute(
        f"CREATE TRIGGER {table}_transparency_updated AFTER UPDATE ON {table} WHEN {changed} "
        f"BEGIN {_sqlite_insert(table, f'{kind}.updated', 'NEW')} END"
    )
    op.execute(
        f"CREATE TRIGGER {table}_transparency_deleted AFTER DELETE ON {table} "
        f"BEGIN {_sqlite_insert(table, f'{kind}.deleted', 'OLD')} END"
    )


def _capture_ledger_sqlite() -> None:
    table, kind = LEDGER
    postings = (
        "(SELECT coalesce(json_group_array(json_object('id', p.id, 'amount', p.amount, 'owner_kind', a.owner_kind, "
        "'owner_id', a.owner_id, 'purpose', a.purpose, 'currency', a.currency)), json_array()) "
        "FROM (SELECT * FROM ledger_postings WHERE transaction_id = NEW.id ORDER BY id) p "
        "JOIN ledger_accounts a ON a.id = p.account_id)"
    )
    content = f"json_set({_sqlite_snapshot(table, 'NEW')}, '$.postings', json({postings}))"
    op.execute(
        f"CREATE TRIGGER {table}_transparency_sealed AFTER UPDATE OF sealed ON {table} "
        f"WHEN NEW.sealed AND NOT OLD.sealed BEGIN {_sqlite_insert(table, f'{kind}.sealed', 'NEW', content)} END"
    )
