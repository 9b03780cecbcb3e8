"""Sign-in: OAuth2 password flow for API clients."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from wanghong.accounts.auth import authenticate, issue_token
from wanghong.accounts.deps import CurrentPrincipal
from wanghong.accounts.models import User
from wanghong.commerce.schemas import UserOut
from wanghong.kit.http import AppSettings, DbSession

router = APIRouter(prefix="/auth", tags=["auth 认证"])


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


@router.post("/token", response_model=TokenOut, summary="登录取令牌 / Sign in for a bearer token")
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], session: DbSession, settings: AppSettings) -> TokenOut:
    user = authenticate(session, form.username, form.password)
    ttl = timedelta(hours=settings.token_ttl_hours)
    return TokenOut(access_token=issue_token(session, user, ttl), expires_in=int(ttl.total_seconds()))


@router.get("/me", response_model=UserOut, summary="当前用户 / Who am I")
def me(principal: CurrentPrincipal, session: DbSession) -> User:
    user = session.get(User, principal.user_id)
    assert user is not None
    return user
