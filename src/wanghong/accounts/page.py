"""Sign-in and sign-out pages: the opaque bearer token travels in an HttpOnly cookie."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from wanghong.accounts.auth import issue_token, revoke_token
from wanghong.accounts.deps import SESSION_COOKIE, signed_in
from wanghong.accounts.principal import Principal
from wanghong.accounts.throttle import TooManyAttempts, retry_headers, sign_in
from wanghong.kit.errors import Unauthorized
from wanghong.kit.http import AppSettings, DbSession
from wanghong.kit.pages import page_router, render_page, set_reader
from wanghong.kit.security import cookie_options

router = page_router(__file__)


def cookie_reader(request: Request) -> Principal | None:
    """Whoever the session cookie names, for a page its route did not render (the error pages): read in a
    transaction of its own, since the failed request's was rolled back; a database that cannot answer leaves the
    header signed out rather than the error unshown."""
    db = getattr(request.app.state, "db", None)
    if db is None or not request.cookies.get(SESSION_COOKIE):
        return None
    try:
        with db.transaction() as session:
            return signed_in(request, session)
    except SQLAlchemyError:
        return None


set_reader(cookie_reader)


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
    address = request.client.host if request.client else None
    try:
        # The same throttled sign-in as POST /api/v1/auth/token: one count of failures for both doors.
        user = sign_in(session, settings, username, password, address)
    except (Unauthorized, TooManyAttempts) as exc:
        page = render_page(request, "login.html", None, {"error": exc.detail}, status_code=exc.status)
        page.headers.update(retry_headers(exc))
        return page
    ttl = timedelta(hours=settings.token_ttl_hours)
    response = RedirectResponse("/", status_code=303)
    # The form carried the CSRF token (kit/security.py): no other site can sign this browser in as someone else.
    response.set_cookie(
        SESSION_COOKIE,
        issue_token(session, user, ttl),
        max_age=int(ttl.total_seconds()),
        httponly=True,
        **cookie_options(request),
    )
    return response


@router.post("/logout")
def logout(request: Request, session: DbSession) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        revoke_token(session, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, httponly=True, **cookie_options(request))
    return response
