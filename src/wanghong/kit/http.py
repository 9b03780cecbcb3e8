"""Request-scoped dependencies every capability's routes share: settings, warm engines, one transaction per request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from wanghong.config import Settings
from wanghong.kit.db.session import Database
from wanghong.kit.runtime import Runtime, bind


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def settings(request: Request) -> Settings:
    value: Settings = request.app.state.settings
    return value


def runtime(request: Request) -> Runtime:
    value: Runtime = request.app.state.runtime
    return value


def db_session(
    db: Annotated[Database, Depends(database)], warm: Annotated[Runtime, Depends(runtime)]
) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back when it raises."""
    with db.transaction() as session:
        bind(session, warm)
        yield session


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
