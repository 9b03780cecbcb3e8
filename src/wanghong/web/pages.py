"""What every page module shares: templates, the reader's language, the signed-in principal, chart markup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from wanghong.api.deps import SESSION_COOKIE
from wanghong.domain import Role
from wanghong.services.auth import Principal, principal_for_token
from wanghong.services.errors import Unauthorized
from wanghong.web.i18n import DEFAULT_LANGUAGE, LANGUAGES, role_label, translator

TEMPLATES = Jinja2Templates(directory=Path(__file__).with_name("templates"))
CHART_FONT = {"family": "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"}


def language_of(request: Request) -> str:
    language = request.cookies.get("lang", DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def signed_in(request: Request, session: Session, *roles: Role) -> Principal | None:
    """The principal behind the session cookie, or None when signed out or (given `roles`) not one of them."""
    try:
        principal = principal_for_token(session, request.cookies.get(SESSION_COOKIE) or "")
    except Unauthorized:
        return None
    return principal if not roles or principal.role in roles else None


def chart_html(figure: go.Figure, height: str = "340px", div_id: str | None = None) -> str:
    """A chart's markup for a page that loads /static/plotly.min.js itself; its width follows the container."""
    return figure.to_html(
        include_plotlyjs=False,
        full_html=False,
        default_width="100%",
        default_height=height,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
    )


def render_page(
    request: Request, template: str, principal: Principal, context: dict[str, Any], status_code: int = 200
) -> Response:
    """A signed-in page: the header's language, account and role come with every template."""
    language = language_of(request)
    chrome = {
        "t": translator(language),
        "lang": language,
        "principal": principal,
        "role_label": role_label(principal.role.value, language),
    }
    return TEMPLATES.TemplateResponse(request, template, {**chrome, **context}, status_code=status_code)
