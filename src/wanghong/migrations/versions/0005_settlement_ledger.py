"""settlement ledger: accounts, transactions, postings, with the database's own guarantees

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24

The ledger keeps its promises in the database, on SQLite and PostgreSQL alike, so not even code that bypasses
the application can break them:

- postings and transactions are append-only (UPDATE and DELETE refused); a correction is a new transaction;
- a transaction is inserted open (sealed false), its postings added, then sealed by the one UPDATE allowed,
  ``sealed`` false → true with nothing else changed; sealing refuses a transaction without postings or whose
  postings do not sum to zero in each currency;
- a posting cannot join a sealed transaction; on PostgreSQL its trigger takes a share lock on the transaction
  row, which the sealing UPDATE's row lock conflicts with, so a posting and a seal racing in two sessions
  cannot both commit unchecked;
- an account's owner, purpose and currency never change (a changed currency would unbalance sealed history).

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "ledger is append-only"
UNBALANCED = "ledger transaction does not balance"
SEALED = "ledger transaction is sealed"
EMPTY = "ledger transaction has no postings"

_OWNER_KINDS = ("brand", "creator", "mcn", "platform")
_PURPOSES = (
    "budget",
    "frozen",
    "commission_pending",
    "receivable",
    "paid",
    "share",
    "service_fee",
    "refunds",
)
_KINDS = (
    "budget_freeze",
    "budget_unfreeze",
    "fee_release",
    "commission_hold",
    "commission_release",
    "commission_reversal",
    "payout",
    "correction",
)
# Every column but `sealed`: the sealing UPDATE must leave them as they were.
_TRANSACTION_COLUMNS = ("id", "key", "kind", "memo", "collaboration_id", "order_id", "due_at", "created_at")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "ledger_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_kind", _enum(_OWNER_KINDS, "ownerkind_value"), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("purpose", _enum(_PURPOSES, "purpose_value"), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_accounts")),
        sa.UniqueConstraint(
            "owner_kind",
            "owner_id",
            "purpose",
            "currency",
            name=op.f("uq_ledger_accounts_owner_kind_owner_id_purpose_currency"),
        ),
    )
    op.create_table(
        "ledger_transactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", _enum(_KINDS, "kind_value"), nullable=False),
        sa.Column("memo", sa.String(length=500), nullable=False),
        sa.Column("collaboration_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("sealed", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_transactions")),
        sa.UniqueConstraint("key", name=op.f("uq_ledger_transactions_key")),
    )
    with op.batch_alter_table("ledger_transactions", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_transactions_order", ["order_id", "kind"], unique=False)
        batch_op.create_index("ix_ledger_transactions_collaboration", ["collaboration_id", "kind"], unique=False)

    op.create_table(
        "ledger_postings",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["ledger_accounts.id"], name=op.f("fk_ledger_postings_account_id_ledger_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_ledger_postings_transaction_id_ledger_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_postings")),
    )
    with op.batch_alter_table("ledger_postings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_postings_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_postings_transaction_id"), ["transaction_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        _guard_postgresql()
    else:
        _guard_sqlite()


# The sum check both dialects run when a transaction is sealed: a currency whose postings do not sum to zero.
_OFF_BALANCE = (
    "SELECT 1 FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id "
    "WHERE p.transaction_id = NEW.id GROUP BY a.currency HAVING SUM(p.amount) <> 0"
)
_HAS_POSTINGS = "SELECT 1 FROM ledger_postings WHERE transaction_id = NEW.id"


def _guard_postgresql() -> None:
    unchanged = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _TRANSACTION_COLUMNS)
    op.execute(
        f"""
        CREATE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        f"""
        CREATE FUNCTION ledger_transaction_guard() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                IF NEW.sealed THEN RAISE EXCEPTION '{APPEND_ONLY}: insert a transaction open, then seal it'; END IF;
                RETURN NEW;
            END IF;
            IF OLD.sealed OR NOT NEW.sealed OR NOT ({unchanged}) THEN
                RAISE EXCEPTION '{APPEND_ONLY}';
            END IF;
            IF NOT EXISTS ({_HAS_POSTINGS}) THEN RAISE EXCEPTION '{EMPTY}'; END IF;
            IF EXISTS ({_OFF_BALANCE}) THEN RAISE EXCEPTION '{UNBALANCED}'; END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        f"""
        CREATE FUNCTION ledger_posting_guard() RETURNS trigger AS $$
        BEGIN
            -- FOR SHARE waits for a concurrent seal to commit and then reads the sealed row.
            IF (SELECT sealed FROM ledger_transactions WHERE id = NEW.transaction_id FOR SHARE) THEN
                RAISE EXCEPTION '{SEALED}';
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER ledger_transactions_guard BEFORE INSERT OR UPDATE ON ledger_transactions "
        "FOR EACH ROW EXECUTE FUNCTION ledger_transaction_guard()"
    )
    op.execute(
        "CREATE TRIGGER ledger_postings_guard BEFORE INSERT ON ledger_postings "
        "FOR EACH ROW EXECUTE FUNCTION ledger_posting_guard()"
    )
    for table in ("ledger_transactions", "ledger_postings", "ledger_accounts"):
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
        )
    for table in ("ledger_postings", "ledger_accounts"):
        op.execute(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
        )
    # TRUNCATE skips row triggers; refuse it too.
    for table in ("ledger_transactions", "ledger_postings", "ledger_accounts"):
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()"
        )


def _guard_sqlite() -> None:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _TRANSACTION_COLUMNS)

    def trigger(name: str, when: str, condition: str, message: str) -> None:
        op.execute(f"CREATE TRIGGER {name} {when} WHEN {condition} BEGIN SELECT RAISE(ABORT, '{message}'); END")

    trigger("ledger_transactions_open", "BEFORE INSERT ON ledger_transactions", "NEW.sealed <> 0", APPEND_ONLY)
    trigger(
        "ledger_transactions_append_only",
        "BEFORE UPDATE ON ledger_transactions",
        f"OLD.sealed <> 0 OR NEW.sealed = 0 OR {changed}",
        APPEND_ONLY,
    )
    trigger(
        "ledger_transactions_not_empty",
        "BEFORE UPDATE ON ledger_transactions",
        f"NOT EXISTS ({_HAS_POSTINGS})",
        EMPTY,
    )
    trigger(
        "ledger_transactions_balanced",
        "BEFORE UPDATE ON ledger_transactions",
        f"EXISTS ({_OFF_BALANCE})",
        UNBALANCED,
    )
    trigger(
        "ledger_postings_open",
        "BEFORE INSERT ON ledger_postings",
        "(SELECT sealed FROM ledger_transactions WHERE id = NEW.transaction_id) <> 0",
        SEALED,
    )
    for table in ("ledger_transactions", "ledger_postings", "ledger_accounts"):
        trigger(f"{table}_no_delete", f"BEFORE DELETE ON {table}", "1", APPEND_ONLY)
    for table in ("ledger_postings", "ledger_accounts"):
        trigger(f"{table}_no_update", f"BEFORE UPDATE ON {table}", "1", APPEND_ONLY)


def downgrade() -> None:
    """Downgrade schema."""
    # Dropping a table drops its indexes and triggers (DROP fires no DELETE trigger); PostgreSQL's trigger
    # functions stand alone and go after.
    op.drop_table("ledger_postings")
    op.drop_table("ledger_transactions")
    op.drop_table("ledger_accounts")
    if op.get_bind().dialect.name == "postgresql":
        for function in ("ledger_refuse_change", "ledger_transaction_guard", "ledger_posting_guard"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
