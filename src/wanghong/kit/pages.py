"""What every page module shares: templates, the reader's language, chart markup, the signed-in page frame."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import plotly
import plotly.graph_objects as go
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader

from wanghong.kit.i18n import DEFAULT_LANGUAGE, FRAME, LANGUAGES, Messages, role_label

# One environment for every capability: each page module adds its own templates/ folder beside this base.
_TEMPLATE_FOLDERS: list[FileSystemLoader] = [FileSystemLoader(Path(__file__).with_name("templates"))]
_LOADER = ChoiceLoader(_TEMPLATE_FOLDERS)
TEMPLATES = Jinja2Templates(env=Environment(loader=_LOADER, autoescape=True))
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
CHART_FONT = {"family": "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"}


def add_templates(folder: Path) -> None:
    """Make a capability's templates/ folder visible to every page (names are unique across capabilities)."""
    loader = FileSystemLoader(folder)
    if all(existing.searchpath != loader.searchpath for existing in _TEMPLATE_FOLDERS):
        _TEMPLATE_FOLDERS.append(loader)


class _Reader(Protocol):
    """Whoever a signed-in page is shown to: the header names the account and its role."""

    @property
    def username(self) -> str: ...

    @property
    def role(self) -> Any: ...


def language_of(request: Request) -> str:
    language = request.cookies.get("lang", DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def text_for(request: Request, messages: Messages = FRAME) -> dict[str, str]:
    """The text a page's own code needs (chart titles, axes) in the reader's language; templates get it as `t`."""
    return messages.text(language_of(request))


def sign_in() -> Response:
    """Where every page sends a reader who is signed out or whose role may not open it."""
    return RedirectResponse("/login", status_code=303)


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
    request: Request,
    template: str,
    principal: _Reader | None,
    context: dict[str, Any],
    messages: Messages = FRAME,
    status_code: int = 200,
) -> Response:
    """A page in the frame: its text as `t` in the reader's language, and for a signed-in reader (None on the
    sign-in page) the account and role the header names."""
    language = language_of(request)
    chrome = {
        "t": messages.text(language),
        "lang": language,
        "principal": principal,
        "role_label": role_label(principal.role.value, language) if principal is not None else "",
    }
    return TEMPLATES.TemplateResponse(request, template, {**chrome, **context}, status_code=status_code)


# The frame's own routes: the chart library and the language switch every page's header links to.
router = APIRouter(include_in_schema=False)


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    # Served from the installed plotly package: the pages work offline and never reach a CDN.
    return FileResponse(
        PLOTLY_JS, media_type="application/javascript", headers={"Cache-Control": "public, max-age=86400"}
    )


@router.get("/lang/{language}")
def switch_language(language: str, request: Request) -> Response:
    response = RedirectResponse(request.headers.get("referer") or "/", status_code=303)
    if language in LANGUAGES:
        response.set_cookie("lang", language, max_age=365 * 24 * 3600, samesite="lax")
    return response
