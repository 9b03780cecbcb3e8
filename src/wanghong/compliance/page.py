"""合规审核 review queue page: pending AI findings with their hits highlighted, a confirm/overturn form for each,
and the AI track's precision against reviewer decisions (by verdict, by category, over time).

For reviewers and administrators; anybody else is sent to the sign-in page. Decisions go through the same
service as ``POST /api/v1/review-tasks/{id}/decision``, so they create violations, penalties and training
examples exactly as the API does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import plotly.graph_objects as go
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from wanghong.accounts.deps import signed_in
from wanghong.accounts.principal import Principal
from wanghong.compliance.precision import PrecisionReport, precision_report
from wanghong.compliance.review import decide_review, review_queue
from wanghong.compliance.schemas import ReviewDecisionIn
from wanghong.domain import Role
from wanghong.kit.errors import ServiceError
from wanghong.kit.http import DbSession
from wanghong.kit.i18n import FRAME
from wanghong.kit.pages import CHART_FONT, add_templates, chart_html, render_page, sign_in, text_for

add_templates(Path(__file__).with_name("templates"))

router = APIRouter(include_in_schema=False)

PAGE_PATH = "/compliance/review"

MESSAGES = FRAME.extend(
    {
        "zh": {
            "page_title": "合规审核队列",
            "pending": "待审核",
            "precision_title": "AI 准确率（审核员确认数 / 已裁决数，0–1）",
            "precision_by_category": "AI 准确率（按违规类别，0–1）",
            "axis_day": "裁决日期（UTC）",
            "axis_precision": "准确率（0–1）",
            "axis_category": "违规类别",
            "no_decisions": "暂无已裁决任务",
            "empty_queue": "队列已清空",
            "subject": "对象",
            "ai": "AI 结论",
            "score": "分数",
            "priority": "优先级",
            "due": "截止",
            "library": "词库版本",
            "confirm": "确认违规",
            "overturn": "推翻（误报）",
            "note": "备注",
            "decided": "已提交裁决",
        },
        "en": {
            "page_title": "Compliance review queue",
            "pending": "Pending",
            "precision_title": "AI precision (confirmed / decided, 0–1)",
            "precision_by_category": "AI precision by violation category (0–1)",
            "axis_day": "Decision date (UTC)",
            "axis_precision": "Precision (0–1)",
            "axis_category": "Category",
            "no_decisions": "No decided tasks yet",
            "empty_queue": "The queue is empty",
            "subject": "Subject",
            "ai": "AI verdict",
            "score": "Score",
            "priority": "Priority",
            "due": "Due",
            "library": "Library version",
            "confirm": "Confirm violation",
            "overturn": "Overturn (false alarm)",
            "note": "Note",
            "decided": "Decision saved",
        },
    }
)

_LAYOUT = {
    "margin": {"l": 60, "r": 20, "t": 10, "b": 50},
    "height": 320,
    "legend": {"orientation": "h"},
    "font": CHART_FONT,
}


def _reviewer(request: Request, session: Session) -> Principal | None:
    return signed_in(request, session, Role.ADMIN, Role.REVIEWER)


def _html(figure: go.Figure) -> str:
    return chart_html(figure, height="320px")


def _charts(report: PrecisionReport, t: dict[str, str]) -> list[tuple[str, str]]:
    if not report.by_verdict:
        return []
    over_time = go.Figure()
    for verdict in sorted({r.key for _, r in report.by_day}):
        days = [(day, r) for day, r in report.by_day if r.key == verdict]
        over_time.add_trace(
            go.Scatter(
                x=[d for d, _ in days],
                y=[r.precision for _, r in days],
                customdata=[[r.confirmed, r.decided] for _, r in days],
                hovertemplate="%{x}: %{y:.2f} (%{customdata[0]}/%{customdata[1]})",
                mode="lines+markers",
                name=f"{verdict}",
            )
        )
    over_time.update_layout(
        xaxis_title=t["axis_day"], yaxis_title=t["axis_precision"], yaxis_range=[0, 1.05], **_LAYOUT
    )
    by_category = go.Figure(
        go.Bar(
            x=[r.key for r in report.by_category],
            y=[r.precision for r in report.by_category],
            text=[f"{r.confirmed}/{r.decided}" for r in report.by_category],
        )
    )
    by_category.update_layout(
        xaxis_title=t["axis_category"], yaxis_title=t["axis_precision"], yaxis_range=[0, 1.05], **_LAYOUT
    )
    return [(t["precision_title"], _html(over_time)), (t["precision_by_category"], _html(by_category))]


def _render(
    request: Request,
    session: Session,
    principal: Principal | None,
    *,
    error: str | None = None,
    decided: bool = False,
    status_code: int = 200,
) -> Response:
    """The page for `principal`; a reader its guard turned away (None) is sent to sign in."""
    if principal is None:
        return sign_in()
    report = precision_report(session, principal)
    return render_page(
        request,
        "compliance.html",
        principal,
        {
            "queue": review_queue(session, principal),
            "report": report,
            "charts": _charts(report, text_for(request, MESSAGES)),
            "error": error,
            "decided": decided,
        },
        messages=MESSAGES,
        status_code=status_code,
    )


@router.get(PAGE_PATH, response_class=HTMLResponse)
def review_page(request: Request, session: DbSession, decided: bool = False) -> Response:
    return _render(request, session, _reviewer(request, session), decided=decided)


@router.post(PAGE_PATH + "/{task_id}", response_class=HTMLResponse)
def decide(
    request: Request,
    session: DbSession,
    task_id: int,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    principal = _reviewer(request, session)
    if principal is None:
        return sign_in()
    try:
        ruling = ReviewDecisionIn.model_validate({"decision": decision, "note": note})
        decide_review(session, principal, task_id, ruling.decision, ruling.note)
    except ValueError:
        return _render(
            request,
            session,
            principal,
            error=f"decision must be uphold or dismiss (or confirmed / overturned), got {decision!r}",
            status_code=422,
        )
    except ServiceError as exc:
        return _render(request, session, principal, error=exc.detail, status_code=exc.status)
    return RedirectResponse(f"{PAGE_PATH}?decided=true", status_code=303)
