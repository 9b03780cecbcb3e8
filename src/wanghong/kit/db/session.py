"""Engines and sessions for the embedded default (SQLite) and production (PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Engine, TextClause, create_engine, event, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from wanghong.kit.db.base import Base

SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # The wait first: switching the journal mode takes a lock too, and without a timeout a connection opened
    # while another writes fails at once with "database is locked". A writer waits its turn rather than failing
    # while another request's transaction (an ingest batch, a scan) holds the one write lock SQLite has.
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # SQLite ignores foreign keys unless asked, and WAL lets the web server read while a writer works.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


class Database:
    """One engine and its session factory; the app, the CLI and tests each hold one."""

    def __init__(self, database_url: str, **engine_kwargs: Any) -> None:
        self.url = database_url
        self.engine = make_engine(database_url, **engine_kwargs)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits together or not at all."""
        with self.sessions.begin() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def insert_once(session: Session, row: Base) -> bool:
    """Insert `row` in a savepoint; False, and nothing written, when a constraint refuses it.

    A unique constraint, not a look-up beforehand, decides a race between two writers: the loser's savepoint rolls
    back and its transaction stays usable, so the caller answers as it sees fit (a 409, the winner's row, a skip).
    """
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    return True


def dialect_insert(session: Session, target: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT of the session's dialect, the one that knows ``ON CONFLICT``: PostgreSQL's or SQLite's (the
    project's two databases spell it alike)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(target)
    return sqlite.insert(target)


def insert_new(
    session: Session,
    model: type[Base],
    values: Mapping[str, Any],
    *,
    unique: Sequence[Any],
    where: ColumnElement[bool] | TextClause | None = None,
) -> int | None:
    """INSERT … ON CONFLICT (`unique`) DO NOTHING on SQLite and PostgreSQL alike: the new row's key (its first
    primary-key column), or None where a row already holds `unique` (another writer's, a concurrent one too).
    `where` names a partial unique index.

    Of two concurrent writers exactly one inserts, and unlike `insert_once`'s savepoint it holds as a transaction's
    first statement, which pysqlite does not wrap in a savepoint.
    """
    stmt = (
        dialect_insert(session, model).values(**values).on_conflict_do_nothing(index_elements=unique, index_where=where)
    )
    new_id: int | None = session.execute(stmt.returning(model.__mapper__.primary_key[0])).scalar_one_or_none()
    return new_id


def update_if(session: Session, row: Base, condition: ColumnElement[bool], values: Mapping[str, Any]) -> bool:
    """Write `values` to `row` only while `condition` (its status is still the one the decision was taken on) holds,
    checked by the database itself: of two writers who read the same state, exactly one moves it. `row` is
    refreshed either way; True when this writer moved it."""
    pk = type(row).__mapper__.primary_key[0]
    result = session.execute(
        update(type(row))
        .where(pk == getattr(row, str(pk.key)), condition)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.refresh(row)
    return cast("CursorResult[Any]", result).rowcount == 1
