"""Each role's home page: the figures that matter to it, charts drawn by Plotly served from this server."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from wanghong.accounts.deps import signed_in
from wanghong.home import service as dashboards
from wanghong.kit.http import DbSession
from wanghong.kit.i18n import translator
from wanghong.kit.pages import CHART_FONT, add_templates, chart_html, language_of, render_page

add_templates(Path(__file__).with_name("templates"))
router = APIRouter(include_in_schema=False)

# The workspaces each role reaches from its home page: (message key, path).
ROLE_LINKS: dict[str, tuple[tuple[str, str], ...]] = {
    "admin": (
        ("nav_analytics", "/analytics/platform"),
        ("nav_traffic", "/operations/traffic"),
        ("nav_review", "/compliance/review"),
        ("nav_matching", "/matching"),
    ),
    "reviewer": (("nav_review", "/compliance/review"),),
    "brand_manager": (("nav_matching", "/matching"), ("nav_analytics", "/analytics")),
    "mcn_manager": (("nav_analytics", "/analytics"),),
    "creator": (("nav_analytics", "/analytics"),),
}


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
