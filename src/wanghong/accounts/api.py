"""Accounts over HTTP: sign-in (OAuth2 password flow) for API clients, who is signed in, and new accounts."""

from __future__ import annotations

from datetime import timedelta
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from wanghong.accounts import users
from wanghong.accounts.auth import authenticate, issue_token
from wanghong.accounts.deps import CurrentPrincipal
from wanghong.accounts.models import User
from wanghong.accounts.schemas import TokenOut, UserIn, UserOut
from wanghong.kit.http import AppSettings, DbSession

router = APIRouter()
AUTH: list[str | Enum] = ["auth 认证"]


@router.post("/auth/token", response_model=TokenOut, tags=AUTH, summary="登录取令牌 / Sign in for a bearer token")
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], session: DbSession, settings: AppSettings) -> TokenOut:
    user = authenticate(session, form.username, form.password)
    ttl = timedelta(hours=settings.token_ttl_hours)
    return TokenOut(access_token=issue_token(session, user, ttl), expires_in=int(ttl.total_seconds()))


@router.get("/auth/me", response_model=UserOut, tags=AUTH, summary="当前用户 / Who am I")
def me(principal: CurrentPrincipal, session: DbSession) -> User:
    user = session.get(User, principal.user_id)
    assert user is not None
    return user


@router.post("/users", response_model=UserOut, status_code=201, tags=["users 用户"], summary="新建账号 / Create user")
def create_user(data: UserIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return users.create_account(session, principal, data)
