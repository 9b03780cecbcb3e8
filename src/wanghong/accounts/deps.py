"""Who is asking, for routes and pages: a bearer token, or the same opaque token in the session cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from wanghong.accounts.auth import PRINCIPALS
from wanghong.accounts.principal import Principal
from wanghong.domain import Role
from wanghong.kit.cache import adopt_versions, data_versions
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Forbidden, Unauthorized
from wanghong.kit.http import DbSession, database, on_loop
from wanghong.kit.security import SESSION_COOKIE

__all__ = ["SESSION_COOKIE", "CurrentPrincipal", "principal", "signed_in"]

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
# A regulator (监管) reads across tenants and changes nothing: refused here, once, for every writing route, so that
# no route can forget it (methods that read are the only ones it passes).
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


async def principal(
    request: Request,
    session: DbSession,
    db: Annotated[Database, Depends(database)],
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> Principal:
    token = token or request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthorized("sign in first: POST /api/v1/auth/token, then send 'Authorization: Bearer <token>'")
    # On the event loop, over a connection of its own (`on_loop`): a token seen before costs one query of the
    # table counters, less than a thread hop, and a read's response cache then reuses those counters.
    with on_loop(db).sessions() as apart, apart.begin():
        found = PRINCIPALS.principal(apart, token)
        versions = data_versions(apart)
    if versions is not None and request.method in _READS:
        # A write's own answer must follow its own changes: its transaction reads the counters itself.
        adopt_versions(session, versions)
    if found.role is Role.REGULATOR and request.method not in _READS:
        raise Forbidden("监管账号只读，不能修改任何记录 / a regulator's account reads and changes nothing")
    return found


# Function scope, like the session it reads in (FastAPI refuses a request-scoped dependency on a function-scoped one).
CurrentPrincipal = Annotated[Principal, Depends(principal, scope="function")]


def signed_in(request: Request, session: Session, *roles: Role) -> Principal | None:
    """The principal behind the session cookie, or None when signed out or (given `roles`) not one of them."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        principal = PRINCIPALS.principal(session, token)
    except Unauthorized:
        return None
    return principal if not roles or principal.role in roles else None
