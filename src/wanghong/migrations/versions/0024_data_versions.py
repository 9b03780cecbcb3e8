"""data versions: one counter per table, moved by triggers in the writer's transaction (kit.cache)

Every table that exists at this revision gets a row in ``data_versions`` and triggers that add one to it when a
transaction that wrote the table commits, so every write path (API, pages, CLI, bulk loads, plain SQL) moves it
and a reader sees the new version exactly when it sees the write. The response cache reuses an answer only while
the versions of the tables it read are unchanged.

PostgreSQL: a statement-level trigger only notes the table in a transaction-local setting (no lock while the
transaction works); a deferred row-level constraint trigger, at commit, adds one to every noted table's counter in
name order. Writers of the same table wait on each other only for the commit itself, and never deadlock over the
counters: each takes them in the same order, after every other lock it holds. A statement that changed no row
moves nothing. TRUNCATE (no rows, no deferred event) moves its counter at once.

SQLite: a row-level trigger per operation (SQLite has no other kind, and writers are serialised anyway).

A table created by a later revision has no counter, and answers that read it are simply not cached; such a revision
adds its table with ``install(table)`` from this module's statements if it wants caching.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0024"
down_revision: str | Sequence[str] | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SKIP = {"alembic_version", "data_versions"}

_PG_FUNCTIONS = (
    """
CREATE FUNCTION data_versions_note() RETURNS trigger AS $$
DECLARE
    noted text := coalesce(current_setting('wanghong.written_tables', true), '');
BEGIN
    IF position(',' || TG_TABLE_NAME || ',' IN noted) = 0 THEN
        PERFORM set_config(
            'wanghong.written_tables', (CASE WHEN noted = '' THEN ',' ELSE noted END) || TG_TABLE_NAME || ',', true
        );
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE FUNCTION data_versions_commit() RETURNS trigger AS $$
DECLARE
    noted text := coalesce(current_setting('wanghong.written_tables', true), '');
    written text;
BEGIN
    IF noted = '' THEN
        RETURN NULL;  -- another row's event of this commit already moved every noted counter
    END IF;
    PERFORM set_config('wanghong.written_tables', '', true);
    FOR written IN SELECT t FROM unnest(string_to_array(btrim(noted, ','), ',')) AS t ORDER BY t LOOP
        UPDATE data_versions SET version = version + 1 WHERE table_name = written;
    END LOOP;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE FUNCTION data_versions_truncate() RETURNS trigger AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE table_name = TG_TABLE_NAME;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
)


def _pg_install(table: str) -> list[str]:
    return [
        f'CREATE TRIGGER "dvn_{table}" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION data_versions_note()",
        f'CREATE CONSTRAINT TRIGGER "dvc_{table}" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_versions_commit()",
        f'CREATE TRIGGER "dvt_{table}" AFTER TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION data_versions_truncate()",
    ]


def _sqlite_install(table: str) -> list[str]:
    bump = f"UPDATE data_versions SET version = version + 1 WHERE table_name = '{table}';"
    return [
        f'CREATE TRIGGER "dv_{operation.lower()}_{table}" AFTER {operation} ON "{table}" BEGIN {bump} END'
        for operation in ("INSERT", "UPDATE", "DELETE")
    ]


def install(table: str) -> None:
    """A counter for `table` and its triggers (for a later revision that adds a table)."""
    bind = op.get_bind()
    bind.execute(sa.text("INSERT INTO data_versions (table_name, version) VALUES (:t, 0)"), {"t": table})
    for statement in _pg_install(table) if bind.dialect.name == "postgresql" else _sqlite_install(table):
        op.execute(statement)


def upgrade() -> None:
    op.create_table(
        "data_versions",
        sa.Column("table_name", sa.String(length=128), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", name=op.f("pk_data_versions")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for function in _PG_FUNCTIONS:
            op.execute(function)
    for table in sorted(set(sa.inspect(bind).get_table_names()) - _SKIP):
        install(table)


def downgrade() -> None:
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    for table in sorted(set(sa.inspect(bind).get_table_names()) - _SKIP):
        if postgresql:
            for prefix in ("dvn", "dvc", "dvt"):
                op.execute(f'DROP TRIGGER IF EXISTS "{prefix}_{table}" ON "{table}"')
        else:
            for operation in ("insert", "update", "delete"):
                op.execute(f'DROP TRIGGER IF EXISTS "dv_{operation}_{table}"')
    if postgresql:
        for function in ("data_versions_note", "data_versions_commit", "data_versions_truncate"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.drop_table("data_versions")
