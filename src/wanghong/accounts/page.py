"""Sign-in and sign-out pages: the opaque bearer token travels in an HttpOnly cookie."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from wanghong.accounts.auth import authenticate, issue_token, revoke_token
from wanghong.accounts.deps import SESSION_COOKIE
from wanghong.kit.errors import Unauthorized
from wanghong.kit.http import AppSettings, DbSession
from wanghong.kit.pages import add_templates, render_page

add_templates(Path(__file__).with_name("templates"))
router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, error: str | None = None) -> Response:
    return render_page(request, "login.html", None, {"error": error})


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
) -> Response:
    try:
        user = authenticate(session, username, password)
    except Unauthorized as exc:
        return render_page(request, "login.html", None, {"error": exc.detail}, status_code=401)
    ttl = timedelta(hours=settings.token_ttl_hours)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE, issue_token(session, user, ttl), max_age=int(ttl.total_seconds()), httponly=True, samesite="lax"
    )
    return response


@router.post("/logout")
def logout(request: Request, session: DbSession) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        revoke_token(session, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
