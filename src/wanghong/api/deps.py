"""Request-scoped dependencies: the database session and who is asking."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from wanghong.config import Settings
from wanghong.db.session import Database
from wanghong.services.auth import Principal, principal_for_token
from wanghong.services.errors import Unauthorized

SESSION_COOKIE = "wanghong_session"

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def settings(request: Request) -> Settings:
    value: Settings = request.app.state.settings
    return value


def db_session(db: Annotated[Database, Depends(database)]) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back when it raises."""
    with db.transaction() as session:
        yield session


DbSession = Annotated[Session, Depends(db_session, scope="function")]


def principal(
    request: Request, db: Annotated[Database, Depends(database)], token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Principal:
    token = token or request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthorized("sign in first: POST /api/v1/auth/token, then send 'Authorization: Bearer <token>'")
    with db.transaction() as session:
        return principal_for_token(session, token)


CurrentPrincipal = Annotated[Principal, Depends(principal)]
AppSettings = Annotated[Settings, Depends(settings)]
