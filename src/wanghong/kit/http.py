"""Request-scoped dependencies every capability's routes share: settings, warm engines, one transaction per request."""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from wanghong.config import Settings
from wanghong.kit.cache import wrote
from wanghong.kit.db.session import Database
from wanghong.kit.runtime import Runtime, bind


# These three are `async def` because they only read app state: FastAPI runs a plain `def` dependency in its
# threadpool, and each such hop cost more than the read (three of them on every request that opened a session).
async def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def settings(request: Request) -> Settings:
    value: Settings = request.app.state.settings
    return value


async def runtime(request: Request) -> Runtime:
    value: Runtime = request.app.state.runtime
    return value


_ON_LOOP: weakref.WeakKeyDictionary[Database, Database] = weakref.WeakKeyDictionary()


def on_loop(db: Database) -> Database:
    """A one-connection twin of `db` for the few short reads done on the event loop itself (the sign-in check).

    Never `db`'s own pool: a request's session holds its connection until its end, which the loop runs, so a loop
    waiting for `db`'s pool to free a connection would wait forever once every connection is held. The twin's one
    connection is taken and given back with no await in between, so the loop never waits for it."""
    if db.engine.url.get_backend_name() == "sqlite" and db.engine.url.database in (None, "", ":memory:"):
        return db  # a memory database exists only in its own connections (a pool per thread, which never waits)
    twin = _ON_LOOP.get(db)
    if twin is None:
        # Autocommit: its reads need no transaction of their own (each is one statement, and the counters come
        # before what they vouch for), which saves PostgreSQL a BEGIN and a COMMIT per request.
        twin = _ON_LOOP[db] = Database(db.url, pool_size=1, max_overflow=0, isolation_level="AUTOCOMMIT")
    return twin


async def db_session(
    db: Annotated[Database, Depends(database)], warm: Annotated[Runtime, Depends(runtime)]
) -> AsyncIterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back when it raises.

    Opened on the event loop (a session connects only when first used). A transaction that wrote is ended in the
    threadpool (its commit may wait on the disk or a lock); one that only read ends on the loop: releasing a
    read costs less than the thread hop (SQLite drops its read lock, PostgreSQL commits nothing to disk).
    """
    session = db.sessions()
    session.begin()
    bind(session, warm)
    try:
        yield session
    except BaseException:
        await _ended(session, commit=False)
        raise
    await _ended(session, commit=True)


async def _ended(session: Session, *, commit: bool) -> None:
    if wrote(session):
        await run_in_threadpool(_end, session, commit=commit)
    else:
        _end(session, commit=commit)


def _end(session: Session, *, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


DbSession = Annotated[Session, Depends(db_session, scope="function")]


def form_session(
    db: Annotated[Database, Depends(database)], warm: Annotated[Runtime, Depends(runtime)]
) -> Iterator[Session]:
    """One transaction per form post, which the page may roll back itself when the step it asked for is refused,
    and then go on reading to show the page again with the reason: what it reads after that commits nothing."""
    session = db.sessions()
    bind(session, warm)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


FormSession = Annotated[Session, Depends(form_session, scope="function")]
AppSettings = Annotated[Settings, Depends(settings)]
WarmEngines = Annotated[Runtime, Depends(runtime)]
