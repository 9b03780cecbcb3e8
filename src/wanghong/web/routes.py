"""Server-rendered pages: sign-in and one home page per role, charts drawn by Plotly served from this server."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import plotly
import plotly.graph_objects as go
from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from wanghong.api.deps import SESSION_COOKIE, AppSettings, DbSession
from wanghong.services import dashboards
from wanghong.services.auth import authenticate, issue_token, revoke_token
from wanghong.services.errors import Unauthorized
from wanghong.web.i18n import LANGUAGES, ROLE_LINKS, translator
from wanghong.web.pages import CHART_FONT, TEMPLATES, chart_html, language_of, render_page, signed_in

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

router = APIRouter(include_in_schema=False)


def _figure(series: dashboards.Series) -> str:
    if series.kind == "pie":
        trace: go.BaseTraceType = go.Pie(labels=series.labels, values=series.values, hole=0.4)
    elif series.kind == "line":
        trace = go.Scatter(x=series.labels, y=series.values, mode="lines+markers")
    else:
        trace = go.Bar(x=series.labels, y=series.values)
    figure = go.Figure(trace)
    figure.update_layout(
        yaxis_title=series.unit if series.kind != "pie" else None,
        margin={"l": 50, "r": 20, "t": 10, "b": 40},
        height=340,
        font=CHART_FONT,
    )
    return chart_html(figure)


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    # Served from the installed plotly package: the pages work offline and never reach a CDN.
    return FileResponse(
        PLOTLY_JS, media_type="application/javascript", headers={"Cache-Control": "public, max-age=86400"}
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, error: str | None = None) -> Response:
    language = language_of(request)
    return TEMPLATES.TemplateResponse(
        request, "login.html", {"t": translator(language), "error": error, "lang": language}
    )


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
        language = language_of(request)
        return TEMPLATES.TemplateResponse(
            request, "login.html", {"t": translator(language), "error": exc.detail, "lang": language}, status_code=401
        )
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


@router.get("/lang/{language}")
def switch_language(language: str, request: Request) -> Response:
    response = RedirectResponse(request.headers.get("referer") or "/", status_code=303)
    if language in LANGUAGES:
        response.set_cookie("lang", language, max_age=365 * 24 * 3600, samesite="lax")
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: DbSession) -> Response:
    principal = signed_in(request, session)
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    language = language_of(request)
    t = translator(language)
    board = dashboards.build(session, principal)
    charts = [(f"{t[s.title_key]}（{s.unit}）", _figure(s)) for s in board.charts if s.values]
    return render_page(
        request,
        "home.html",
        principal,
        {
            "board": board,
            "charts": charts,
            "links": ROLE_LINKS[principal.role.value],
        },
    )
