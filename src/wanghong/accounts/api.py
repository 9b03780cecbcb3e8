"""Accounts over HTTP: sign-in (OAuth2 password flow) for API clients, sign-out, who is signed in, new accounts."""

from __future__ import annotations

from datetime import timedelta
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from wanghong.accounts import users
from wanghong.accounts.auth import issue_token, revoke_token
from wanghong.accounts.deps import SESSION_COOKIE, CurrentPrincipal, oauth2_scheme
from wanghong.accounts.models import User
from wanghong.accounts.schemas import TokenOut, TokensRevokedOut, UserIn, UserOut
from wanghong.accounts.throttle import TooManyAttempts, sign_in
from wanghong.kit.db.base import INTEGER_MAX
from wanghong.kit.http import AppSettings, DbSession
from wanghong.kit.problems import problem

router = APIRouter()
AUTH: list[str | Enum] = ["auth 认证"]
# Ids are INTEGER columns: a larger one names no row, and PostgreSQL would refuse to compare it.
UserId = Annotated[int | None, Query(ge=1, le=INTEGER_MAX, description="whose tokens (admin only; default: yours)")]


@router.post(
    "/auth/token",
    response_model=TokenOut,
    tags=AUTH,
    summary="登录取令牌 / Sign in for a bearer token",
    responses={429: {"description": "too many failed sign-ins for this account or address; see Retry-After"}},
)
def token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: DbSession,
    settings: AppSettings,
) -> Any:
    address = request.client.host if request.client else None
    try:
        user = sign_in(session, settings, form.username, form.password, address)
    except TooManyAttempts as exc:
        # Answered here rather than raised: the shared problem handler adds no headers, and this one needs one.
        refused = problem(exc.status, exc.title, exc.detail, **exc.extra)
        refused.headers.update(exc.headers)
        return refused
    ttl = timedelta(hours=settings.token_ttl_hours)
    return TokenOut(access_token=issue_token(session, user, ttl), expires_in=int(ttl.total_seconds()))


@router.post("/auth/revoke", status_code=204, tags=AUTH, summary="注销当前令牌 / Revoke the token of this request")
def revoke(
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    bearer: Annotated[str | None, Depends(oauth2_scheme)],
) -> Response:
    # `principal` has already checked the token; it is the same one, from the header or else the cookie.
    token = bearer or request.cookies.get(SESSION_COOKIE)
    if token:
        revoke_token(session, token)
    return Response(status_code=204)


@router.delete(
    "/auth/tokens",
    response_model=TokensRevokedOut,
    tags=AUTH,
    summary="注销账号的全部令牌 / Revoke every token of an account (yours; an admin names any with user_id)",
)
def revoke_all_tokens(session: DbSession, principal: CurrentPrincipal, user_id: UserId = None) -> TokensRevokedOut:
    return TokensRevokedOut(revoked=users.revoke_tokens(session, principal, user_id or principal.user_id))


@router.get("/auth/me", response_model=UserOut, tags=AUTH, summary="当前用户 / Who am I")
def me(principal: CurrentPrincipal, session: DbSession) -> User:
    user = session.get(User, principal.user_id)
    assert user is not None
    return user


@router.post("/users", response_model=UserOut, status_code=201, tags=["users 用户"], summary="新建账号 / Create user")
def create_user(data: UserIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return users.create_account(session, principal, data)
