"""Request-scoped dependencies every capability's routes share: settings, warm engines, one transaction per request."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from wanghong.config import Settings
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


async def db_session(
    db: Annotated[Database, Depends(database)], warm: Annotated[Runtime, Depends(runtime)]
) -> AsyncIterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back when it raises.

    Opened on the event loop (a session connects only when first used) and ended in the threadpool (the commit
    may wait on the database): one thread hop fewer than a sync generator, which FastAPI enters and leaves there.
    """
    session = db.sessions()
    session.begin()
    bind(session, warm)
    try:
        yield session
    except BaseException:
        await run_in_threadpool(_end, session, commit=False)
        raise
    await run_in_threadpool(_end, session, commit=True)


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
