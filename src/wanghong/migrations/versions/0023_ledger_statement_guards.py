"""ledger guards once per statement on PostgreSQL: the seal's balance check, the posting guard, the log's capture

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02

Migration 0005 checked a sealing transaction's postings, and 0007 snapshotted them for the transparency log, in
row triggers: three queries per sealed transaction, each planned on its own (on a young table, a scan of every
account per row). Here, on PostgreSQL, the same rules run once per statement over its transition table:

- a transaction's row UPDATE is still refused row by row (a ``WHEN`` condition, no function call on the good
  path) unless it is exactly ``sealed`` false → true; an INSERT still refuses ``sealed`` true;
- after a sealing UPDATE, one query finds any newly sealed transaction without postings and one any currency
  whose postings do not sum to zero; either aborts the whole statement with 0005's messages;
- after an INSERT of postings, their transactions are locked ``FOR SHARE`` (as 0005's row trigger did: a
  concurrent seal's row lock conflicts with it, so a posting and a seal racing in two sessions cannot both
  commit unchecked) and any sealed one refuses the statement;
- after a sealing UPDATE, one INSERT … SELECT adds every newly sealed transaction's pending log entry, its
  content exactly 0007's (``to_jsonb`` of the row with its postings by id), in transaction-id order.

The guarantees are 0005's and 0007's, and their messages; SQLite keeps its row triggers, which cost it little.
``ledger_transactions`` gets fillfactor 50 so that the seal, which changes no indexed column, finds room for the
new row version on its page (a HOT update: its four indexes are not touched).
"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0023"
down_revision: str | Sequence[str] | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0005's messages, frozen here (the tests and callers match them).
APPEND_ONLY = "ledger is append-only"
UNBALANCED = "ledger transaction does not balance"
SEALED = "ledger transaction is sealed"
EMPTY = "ledger transaction has no postings"
# Every column of ledger_transactions but `sealed` (0005's list): the sealing UPDATE must leave them as they were.
_TRANSACTION_COLUMNS = ("id", "key", "kind", "memo", "collaboration_id", "order_id", "due_at", "created_at")
# The functions' queries look rows up by id, for each row of the statement's transition table (LATERAL, so each
# lookup is an index probe by construction). On tables autovacuum has not analysed yet (a young database, or one
# that grew fast) the planner believes they hold a few pages and scans them whole on every statement (measured:
# 15-18 ms a query at 7,000 transactions, growing with the ledger); these plans use the indexes whatever the
# statistics say.
_INDEX_LOOKUPS = "SET enable_seqscan = off"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    unchanged = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _TRANSACTION_COLUMNS)
    op.execute("DROP TRIGGER ledger_transactions_guard ON ledger_transactions")
    op.execute("DROP TRIGGER ledger_postings_guard ON ledger_postings")
    op.execute("DROP TRIGGER ledger_transactions_transparency_update ON ledger_transactions")

    # 0005's function still words the refusal of a sealed INSERT; the WHEN calls it only for such a row.
    op.execute(
        "CREATE TRIGGER ledger_transactions_open BEFORE INSERT ON ledger_transactions "
        "FOR EACH ROW WHEN (NEW.sealed) EXECUTE FUNCTION ledger_transaction_guard()"
    )
    op.execute(
        "CREATE TRIGGER ledger_transactions_seal_only BEFORE UPDATE ON ledger_transactions "
        f"FOR EACH ROW WHEN (OLD.sealed OR NOT NEW.sealed OR NOT ({unchanged})) "
        "EXECUTE FUNCTION ledger_refuse_change()"
    )
    # Every row of `sealed_now` went false → true: the row trigger above refused any other UPDATE.
    op.execute(
        f"""
        CREATE FUNCTION ledger_check_sealed() RETURNS trigger AS $$
        BEGIN
            IF EXISTS (
                SELECT 1 FROM sealed_now n CROSS JOIN LATERAL (
                    SELECT count(*) AS legs FROM ledger_postings p WHERE p.transaction_id = n.id
                ) counted
                WHERE counted.legs = 0
            ) THEN
                RAISE EXCEPTION '{EMPTY}';
            END IF;
            IF EXISTS (
                SELECT 1 FROM sealed_now n CROSS JOIN LATERAL (
                    SELECT a.currency FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
                    WHERE p.transaction_id = n.id GROUP BY a.currency HAVING SUM(p.amount) <> 0
                ) off_balance
            ) THEN
                RAISE EXCEPTION '{UNBALANCED}';
            END IF;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql {_INDEX_LOOKUPS}
        """
    )
    # Named to fire before the log's capture (statement triggers of one event fire in name order).
    op.execute(
        "CREATE TRIGGER ledger_transactions_balanced AFTER UPDATE ON ledger_transactions "
        "REFERENCING NEW TABLE AS sealed_now FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_sealed()"
    )
    op.execute(
        f"""
        CREATE FUNCTION ledger_check_postings_open() RETURNS trigger AS $$
        BEGIN
            -- Locked first, read after: FOR SHARE waits for a concurrent seal to commit, and the next query's
            -- snapshot then sees it sealed.
            PERFORM 1 FROM ledger_transactions t
            WHERE t.id = ANY(ARRAY(SELECT DISTINCT transaction_id FROM added)) FOR SHARE OF t;
            IF EXISTS (
                SELECT 1 FROM ledger_transactions t
                WHERE t.id = ANY(ARRAY(SELECT DISTINCT transaction_id FROM added)) AND t.sealed
            ) THEN
                RAISE EXCEPTION '{SEALED}';
            END IF;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql {_INDEX_LOOKUPS}
        """
    )
    op.execute(
        "CREATE TRIGGER ledger_postings_open AFTER INSERT ON ledger_postings "
        "REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_postings_open()"
    )
    # 0007's content, row for row: to_jsonb(the sealed row) with its postings (id order) and their accounts.
    op.execute(
        f"""
        CREATE FUNCTION transparency_capture_ledger_sealed() RETURNS trigger AS $$
        BEGIN
            INSERT INTO transparency_entries (entry_id, kind, record, content, recorded_at)
            SELECT replace(gen_random_uuid()::text, '-', ''), 'ledger_transaction.sealed',
                   TG_TABLE_NAME || ':' || n.id,
                   (to_jsonb(n) || jsonb_build_object('postings', coalesce(legs.postings, '[]'::jsonb)))::text,
                   clock_timestamp()
            FROM sealed_now n
            JOIN sealed_before o ON o.id = n.id
            CROSS JOIN LATERAL (
                SELECT jsonb_agg(jsonb_build_object(
                    'id', p.id, 'amount', p.amount, 'owner_kind', a.owner_kind, 'owner_id', a.owner_id,
                    'purpose', a.purpose, 'currency', a.currency) ORDER BY p.id) AS postings
                FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
                WHERE p.transaction_id = n.id
            ) legs
            WHERE n.sealed AND NOT o.sealed
            ORDER BY n.id;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql {_INDEX_LOOKUPS}
        """
    )
    op.execute(
        "CREATE TRIGGER ledger_transactions_transparency_sealed AFTER UPDATE ON ledger_transactions "
        "REFERENCING OLD TABLE AS sealed_before NEW TABLE AS sealed_now "
        "FOR EACH STATEMENT EXECUTE FUNCTION transparency_capture_ledger_sealed()"
    )
    # The application's seal: the same UPDATE anyone may run (the triggers above judge it), planned by the primary
    # key. A plain ``WHERE id = ANY(...)`` scans the whole table on every batch until autovacuum first analyses it
    # (the largest single cost of a batch at 7,000 transactions, and growing).
    op.execute(
        f"""
        CREATE FUNCTION ledger_seal(ids integer[]) RETURNS integer AS $$
        DECLARE sealed integer;
        BEGIN
            UPDATE ledger_transactions SET sealed = true WHERE id = ANY(ids);
            GET DIAGNOSTICS sealed = ROW_COUNT;
            RETURN sealed;
        END;
        $$ LANGUAGE plpgsql {_INDEX_LOOKUPS}
        """
    )
    # New pages only; the rows already stored keep their pages until they are rewritten.
    op.execute("ALTER TABLE ledger_transactions SET (fillfactor = 50)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE ledger_transactions RESET (fillfactor)")
    for trigger, table in (
        ("ledger_transactions_transparency_sealed", "ledger_transactions"),
        ("ledger_postings_open", "ledger_postings"),
        ("ledger_transactions_balanced", "ledger_transactions"),
        ("ledger_transactions_seal_only", "ledger_transactions"),
        ("ledger_transactions_open", "ledger_transactions"),
    ):
        op.execute(f"DROP TRIGGER {trigger} ON {table}")
    op.execute("DROP FUNCTION ledger_seal(integer[])")
    for function in ("transparency_capture_ledger_sealed", "ledger_check_postings_open", "ledger_check_sealed"):
        op.execute(f"DROP FUNCTION {function}()")
    # 0005's and 0007's row triggers, as they were (their functions were never dropped).
    op.execute(
        "CREATE TRIGGER ledger_transactions_guard BEFORE INSERT OR UPDATE ON ledger_transactions "
        "FOR EACH ROW EXECUTE FUNCTION ledger_transaction_guard()"
    )
    op.execute(
        "CREATE TRIGGER ledger_postings_guard BEFORE INSERT ON ledger_postings "
        "FOR EACH ROW EXECUTE FUNCTION ledger_posting_guard()"
    )
    op.execute(
        "CREATE TRIGGER ledger_transactions_transparency_update AFTER UPDATE OF sealed ON ledger_transactions "
        "FOR EACH ROW WHEN (NEW.sealed AND NOT OLD.sealed) EXECUTE FUNCTION transparency_capture_ledger()"
    )
