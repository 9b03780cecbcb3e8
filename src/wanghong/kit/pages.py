"""What every page module shares: templates, the reader's language, chart markup, the signed-in page frame."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import plotly
import plotly.graph_objects as go
import plotly.io as pio
import swagger_ui_bundle
from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, pass_context
from markupsafe import Markup, escape

from wanghong.kit import formats, security
from wanghong.kit.i18n import DEFAULT_LANGUAGE, FRAME, LANGUAGES, Messages, role_label

# One environment for every capability: each page module adds its own templates/ folder beside this base.
_TEMPLATE_FOLDERS: list[FileSystemLoader] = [FileSystemLoader(Path(__file__).with_name("templates"))]
_LOADER = ChoiceLoader(_TEMPLATE_FOLDERS)
TEMPLATES = Jinja2Templates(env=Environment(loader=_LOADER, autoescape=True))


@pass_context
def _yuan_filter(context: Any, value: Any) -> str:
    return formats.yuan(value, context.get("lang", DEFAULT_LANGUAGE))


@pass_context
def _time_left_filter(context: Any, due: Any) -> str:
    return formats.time_left(due, context.get("lang", DEFAULT_LANGUAGE))


@pass_context
def _said_filter(context: Any, text: Any) -> str:
    return formats.in_language(str(text or ""), context.get("lang", DEFAULT_LANGUAGE))


TEMPLATES.env.filters.update(
    said=_said_filter, yuan=_yuan_filter, percent=formats.percent, beijing=formats.beijing, time_left=_time_left_filter
)
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
# Static scripts of the frame live beside its templates.
STATIC = Path(__file__).with_name("templates")
FRAME_SCRIPTS = frozenset({"charts", "inbox"})
# Swagger UI for /api/v1/docs, from the installed swagger-ui-bundle package: the docs work offline, no CDN.
SWAGGER_UI = Path(swagger_ui_bundle.swagger_ui_path)
SWAGGER_FILES = {"swagger-ui-bundle.js": "application/javascript", "swagger-ui.css": "text/css"}
CHART_FONT = {"family": "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"}


@dataclass(frozen=True)
class Inbox:
    """Where the header's inbox link points and where its unread count is read (a JSON `{"unread": n}`)."""

    href: str
    count_url: str


_INBOX: list[Inbox] = []


def set_inbox(href: str, count_url: str) -> None:
    """Give every signed-in page's header an inbox link with its unread count (the capability owning it calls this)."""
    _INBOX[:] = [Inbox(href, count_url)]


# Who reads a page that its route did not name, found from the request alone (the session cookie): the error pages
# of the exception handlers, which run after a route failed or before one was found. The accounts room installs it.
_READER: list[Callable[[Request], _Reader | None]] = []


def set_reader(find: Callable[[Request], _Reader | None]) -> None:
    """Tell the frame how to find the signed-in reader of a request (the capability owning accounts calls this)."""
    _READER[:] = [find]


def reader_of(request: Request) -> _Reader | None:
    """The signed-in reader of `request`, or None when nobody is signed in or no finder is installed."""
    return _READER[0](request) if _READER else None


def add_templates(folder: Path) -> None:
    """Make a capability's templates/ folder visible to every page (names are unique across capabilities)."""
    loader = FileSystemLoader(folder)
    if all(existing.searchpath != loader.searchpath for existing in _TEMPLATE_FOLDERS):
        _TEMPLATE_FOLDERS.append(loader)


def page_router(module_file: str) -> APIRouter:
    """A page module's router (kept out of the OpenAPI document), with the templates/ folder beside the module
    made visible: `router = page_router(__file__)`."""
    add_templates(Path(module_file).with_name("templates"))
    return APIRouter(include_in_schema=False)


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


def chart_html(figure: go.Figure | dict[str, Any], height: str = "340px", div_id: str | None = None) -> str:
    """A chart's markup for a page that loads /static/plotly.min.js itself; its width follows the container.

    The figure travels as data in the markup and /static/charts.js (loaded by the frame) draws it: an inline
    <script> per chart, as plotly writes it, would need the response's CSP nonce, which a chart does not know."""
    attributes = {
        "id": div_id or f"chart-{uuid.uuid4().hex}",
        "class": "plotly-graph-div",
        "style": "height:100%; width:100%;",
        "data-figure": pio.to_json(figure, validate=False),
        "data-config": json.dumps({"displaylogo": False, "responsive": True}),
    }
    inner = " ".join(f'{name}="{escape(value)}"' for name, value in attributes.items())
    return Markup(f'<div style="height:{escape(height)}; width:100%;"><div {inner}></div></div>')


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
        # Every template's own <script>/<style> blocks carry the nonce; every POST form repeats the token.
        "csp_nonce": security.csp_nonce(request),
        "csrf_token": security.csrf_token(request),
        "principal": principal,
        "role_label": role_label(principal.role.value, language) if principal is not None else "",
        "inbox": _INBOX[0] if _INBOX and principal is not None else None,
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


@router.get("/favicon.ico")
def favicon() -> Response:
    # Browsers ask for it on every page; "no content" keeps that out of the console as a 404.
    return Response(status_code=204)


@router.get("/static/{name}.js")
def frame_script(name: str) -> FileResponse:
    """The frame's own scripts: charts.js draws the charts, inbox.js fills the header's unread count."""
    if name not in FRAME_SCRIPTS:
        raise HTTPException(404, f"no script named {name!r}.js")
    return FileResponse(
        STATIC / f"{name}.js", media_type="application/javascript", headers={"Cache-Control": "public, max-age=3600"}
    )


@router.get("/static/swagger/{name}")
def swagger_asset(name: str) -> FileResponse:
    if name not in SWAGGER_FILES:
        raise HTTPException(404, f"no Swagger UI asset named {name!r}")
    return FileResponse(
        SWAGGER_UI / name, media_type=SWAGGER_FILES[name], headers={"Cache-Control": "public, max-age=86400"}
    )


def install_docs(app: FastAPI, docs_url: str) -> None:
    """Swagger UI at `docs_url` for `app`'s OpenAPI document, from local assets, its one script nonce-tagged."""

    @app.get(docs_url, include_in_schema=False)
    def swagger_docs(request: Request) -> HTMLResponse:
        nonce = security.csp_nonce(request)
        options = {"url": app.openapi_url, "dom_id": "#swagger-ui", "deepLinking": True}
        return HTMLResponse(
            f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{escape(app.title)} · Swagger UI</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script nonce="{nonce}">
  const options = {json.dumps(options)};
  window.ui = SwaggerUIBundle({{...options, presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"}});
</script></body></html>"""
        )


@router.get("/lang/{language}")
def switch_language(language: str, request: Request) -> Response:
    # Back to the page the switch was clicked on, never to an address on another site (no open redirect).
    response = RedirectResponse(security.local_referer(request), status_code=303)
    if language in LANGUAGES:
        response.set_cookie("lang", language, max_age=365 * 24 * 3600, **security.cookie_options(request))
    return response
