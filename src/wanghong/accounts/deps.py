"""Who is asking, for routes and pages: a bearer token, or the same opaque token in the session cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from wanghong.accounts.auth import PRINCIPALS, principal_for_token
from wanghong.accounts.principal import Principal
from wanghong.domain import Role
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Forbidden, Unauthorized
from wanghong.kit.http import database
from wanghong.kit.security import SESSION_COOKIE

__all__ = ["SESSION_COOKIE", "CurrentPrincipal", "principal", "signed_in"]

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
# A regulator (监管) reads across tenants and changes nothing: refused here, once, for every writing route, so that
# no route can forget it (methods that read are the only ones it passes).
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


async def principal(
    request: Request, db: Annotated[Database, Depends(database)], token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Principal:
    token = token or request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthorized("sign in first: POST /api/v1/auth/token, then send 'Authorization: Bearer <token>'")
    # A token seen a moment ago is answered from memory, on the event loop; only a look-up takes a thread.
    found = PRINCIPALS.get(db, token)
    if found is None:
        found = await run_in_threadpool(PRINCIPALS.look_up, db, token)
    if found.role is Role.REGULATOR and request.method not in _READS:
        raise Forbidden("监管账号只读，不能修改任何记录 / a regulator's account reads and changes nothing")
    return found


CurrentPrincipal = Annotated[Principal, Depends(principal)]


def signed_in(request: Request, session: Session, *roles: Role) -> Principal | None:
    """The principal behind the session cookie, or None when signed out or (given `roles`) not one of them."""
    try:
        principal = principal_for_token(session, request.cookies.get(SESSION_COOKIE) or "")
    except Unauthorized:
        return None
    return principal if not roles or principal.role in roles else None
