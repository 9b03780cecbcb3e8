"""合规审核 review queue page: pending AI findings with their hits highlighted, a confirm/overturn form for each,
and the AI track's precision against reviewer decisions (by verdict, by category, over time).

For reviewers and administrators; anybody else is sent to the sign-in page. Decisions go through the same
service as ``POST /api/v1/review-tasks/{id}/decision``, so they create violations, penalties and training
examples exactly as the API does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Annotated
from urllib.parse import urlencode

import plotly.graph_objects as go
from fastapi import Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.deps import signed_in
from wanghong.accounts.principal import Principal
from wanghong.commerce.models import NAME_LENGTH, Creator
from wanghong.compliance.appeals import decide_appeal, list_appeals
from wanghong.compliance.models import CompliancePenalty
from wanghong.compliance.precision import PrecisionReport, precision_report
from wanghong.compliance.review import decide_review, review_queue
from wanghong.compliance.schemas import AppealDecisionIn, ReviewDecisionIn
from wanghong.domain import AppealStatus, LabelledEnum, Role
from wanghong.domain import Verdict as VerdictKind
from wanghong.kit.errors import InvalidInput, ServiceError
from wanghong.kit.http import DbSession, FormSession
from wanghong.kit.i18n import FRAME
from wanghong.kit.listing import PageRequest
from wanghong.kit.pages import CHART_FONT, chart_html, language_of, page_router, render_page, sign_in, text_for

router = page_router(__file__)

PAGE_PATH = "/compliance/review"
# What the queue can hold: products' copy, videos' titles and scripts, live transcripts and comments.
# What a review task is about, as a reader names it: texts the scanner flagged, and the other detectors' findings.
SUBJECT_LABELS = {
    "product": ("商品文案", "Product copy"),
    "video": ("视频", "Video"),
    "live_transcript": ("直播口播", "Host's speech"),
    "live_comment": ("直播弹幕", "Barrage comment"),
    "live_room": ("直播间风险", "Live-room risk"),
    "fraud_ring": ("刷单团伙", "Fake-order ring"),
    "product_monitoring": ("商品监测", "Product monitoring"),
}
SUBJECT_TYPES = tuple(SUBJECT_LABELS)


def _label_for(language: str) -> Callable[[LabelledEnum], str]:
    """A verdict's or penalty's name in the reader's language, worded as `workspace.screens.label_for` words it
    (the workspace imports compliance, so compliance cannot import it back)."""
    if language == "en":
        return lambda member: member.value.replace("_", " ").capitalize()
    return lambda member: member.label


APPEALS_SHOWN = 50

MESSAGES = FRAME.extend(
    {
        "zh": {
            "page_title": "合规审核队列",
            "pending": "待审核",
            "precision_title": "AI 准确率（审核员确认数 / 已裁决数，0–1）",
            "precision_by_category": "AI 准确率（按违规类别，0–1）",
            "axis_day": "裁决日期（北京时间）",
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
            "filter_verdict": "AI 结论",
            "filter_subject": "对象类型",
            "filter_creator": "达人账号",
            "all": "全部",
            "apply": "筛选",
            "select": "选择",
            "batch": "批量裁决所选任务",
            "batch_confirm": "批量确认",
            "batch_overturn": "批量推翻",
            "appeals_title": "待处理申诉",
            "no_appeals": "暂无待处理申诉",
            "appeal_reason": "申诉理由",
            "penalty": "处罚",
            "creator": "达人",
            "filed": "提交时间",
            "uphold_appeal": "申诉成立（撤销处罚）",
            "dismiss_appeal": "驳回申诉",
            "no_selection": "请至少选择一个任务",
            "more_appeals": "更多申诉",
        },
        "en": {
            "page_title": "Compliance review queue",
            "pending": "Pending",
            "precision_title": "AI precision (confirmed / decided, 0–1)",
            "precision_by_category": "AI precision by violation category (0–1)",
            "axis_day": "Decision date (Beijing time)",
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
            "filter_verdict": "AI verdict",
            "filter_subject": "Subject type",
            "filter_creator": "Creator handle",
            "all": "All",
            "apply": "Filter",
            "select": "Select",
            "batch": "Decide the selected tasks",
            "batch_confirm": "Confirm all",
            "batch_overturn": "Overturn all",
            "appeals_title": "Pending appeals",
            "no_appeals": "No pending appeals",
            "appeal_reason": "Reason",
            "penalty": "Penalty",
            "creator": "Creator",
            "filed": "Filed",
            "uphold_appeal": "Uphold (lift the penalty)",
            "dismiss_appeal": "Dismiss",
            "no_selection": "select at least one task",
            "more_appeals": "More appeals",
        },
    }
)

_LAYOUT = {
    "margin": {"l": 60, "r": 20, "t": 10, "b": 50},
    "height": 320,
    "legend": {"orientation": "h"},
    "font": CHART_FONT,
}


@dataclass(frozen=True)
class QueueView:
    """The queue as the reviewer narrowed it (its filters and the page of appeals): every decision form posts it
    back, so that the redirect after a decision, and the page a refused one shows again, keep it."""

    verdict: str = ""
    subject: str = ""
    creator: str = ""
    appeal_cursor: str = ""

    def after_decision(self, anchor: str = "") -> str:
        """The queue's address as it was, saying that the decision was saved."""
        query = {name: value for name, value in asdict(self).items() if value} | {"decided": "true"}
        return f"{PAGE_PATH}?{urlencode(query)}{anchor}"


def _posted_view(
    verdict: Annotated[str, Form(max_length=32)] = "",
    subject: Annotated[str, Form(max_length=32)] = "",
    creator: Annotated[str, Form(max_length=NAME_LENGTH)] = "",
    appeal_cursor: Annotated[str, Form(max_length=500)] = "",
) -> QueueView:
    return QueueView(verdict, subject, creator, appeal_cursor)


PostedView = Annotated[QueueView, Depends(_posted_view)]


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
    verdict: str = "",
    subject: str = "",
    creator: str = "",
    appeal_cursor: str | None = None,
) -> Response:
    """The page for `principal`; a reader its guard turned away (None) is sent to sign in."""
    if principal is None:
        return sign_in()
    report = precision_report(session, principal)
    chosen = VerdictKind(verdict) if verdict in {v.value for v in VerdictKind} else None
    # One creator's cases (its handle, as the creator's pages show it): a queue of thousands is worked by creator
    # when a case comes back. An unknown handle narrows to no one (id 0 is never a creator's).
    handle = creator.strip().removeprefix("@")
    creator_id = (session.scalar(select(Creator.id).where(Creator.handle == handle)) or 0) if handle else None
    # Oldest first, as a queue is worked; the page links the next ones.
    appeal_page = list_appeals(
        session,
        principal,
        PageRequest(limit=APPEALS_SHOWN, cursor=appeal_cursor),
        status=AppealStatus.PENDING,
        creator_id=creator_id,
    )
    pending_appeals = appeal_page.items
    penalties = {
        p.id: p
        for p in session.scalars(
            select(CompliancePenalty).where(CompliancePenalty.id.in_([a.penalty_id for a in pending_appeals]))
        )
    }
    creators = dict(
        session.execute(
            select(Creator.id, Creator.display_name).where(Creator.id.in_([a.creator_id for a in pending_appeals]))
        ).all()
    )
    return render_page(
        request,
        "compliance.html",
        principal,
        {
            "queue": review_queue(
                session, principal, verdict=chosen, subject_type=subject or None, creator_id=creator_id
            ),
            "report": report,
            "charts": _charts(report, text_for(request, MESSAGES)),
            "error": error,
            "decided": decided,
            "filters": {
                "verdict": chosen.value if chosen else "",
                "subject": subject,
                "creator": handle,
                "appeal_cursor": appeal_cursor or "",
            },
            "verdicts": list(VerdictKind),
            "subjects": SUBJECT_TYPES,
            "subject_label": {code: names[language_of(request) == "en"] for code, names in SUBJECT_LABELS.items()},
            "label": _label_for(language_of(request)),
            "appeals": [(a, penalties.get(a.penalty_id or 0), creators.get(a.creator_id, "")) for a in pending_appeals],
            "appeals_next": appeal_page.next_cursor,
        },
        messages=MESSAGES,
        status_code=status_code,
    )


@router.get(PAGE_PATH, response_class=HTMLResponse)
def review_page(
    request: Request,
    session: DbSession,
    decided: bool = False,
    verdict: str = "",
    subject: str = "",
    creator: Annotated[str, Query(max_length=NAME_LENGTH)] = "",
    appeal_cursor: str | None = None,
) -> Response:
    principal = _reviewer(request, session)
    return _render(
        request,
        session,
        principal,
        decided=decided,
        verdict=verdict,
        subject=subject,
        creator=creator,
        appeal_cursor=appeal_cursor,
    )


def _refused(
    request: Request, session: Session, principal: Principal, view: QueueView, error: str, status_code: int
) -> Response:
    """The page again with the reason; what the refused decision wrote is undone first (a FormSession allows it)."""
    session.rollback()
    kept = asdict(view) | {"appeal_cursor": view.appeal_cursor or None}
    return _render(request, session, principal, error=error, status_code=status_code, **kept)


def _rule(
    request: Request,
    session: Session,
    view: QueueView,
    decide: Callable[[Principal], object],
    wrong_word: str,
    anchor: str = "",
) -> Response:
    """A reviewer's ruling from the queue: taken, then back to the queue as it was filtered; refused (a decision word
    the ruling does not know, which `wrong_word` explains, or the service's refusal), the queue again with the reason
    and nothing of the ruling kept."""
    principal = _reviewer(request, session)
    if principal is None:
        return sign_in()
    try:
        decide(principal)
    except ValueError:
        return _refused(request, session, principal, view, wrong_word, 422)
    except ServiceError as exc:
        return _refused(request, session, principal, view, exc.detail, exc.status)
    return RedirectResponse(view.after_decision(anchor), status_code=303)


# Declared before the per-task route, whose integer path parameter would otherwise claim "batch".
@router.post(PAGE_PATH + "/batch", response_class=HTMLResponse)
def decide_batch(
    request: Request,
    session: FormSession,
    view: PostedView,
    decision: Annotated[str, Form()],
    task_ids: Annotated[list[int] | None, Form()] = None,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Several tasks, one ruling: all of them are decided or, if one is refused, none."""

    def decide_all(principal: Principal) -> None:
        if not task_ids:
            raise InvalidInput(text_for(request, MESSAGES)["no_selection"])
        ruling = ReviewDecisionIn.model_validate({"decision": decision, "note": note})
        for task_id in task_ids:
            decide_review(session, principal, task_id, ruling.decision, ruling.note)

    return _rule(request, session, view, decide_all, f"decision must be uphold or dismiss, got {decision!r}")


@router.post(PAGE_PATH + "/{task_id}", response_class=HTMLResponse)
def decide(
    request: Request,
    session: FormSession,
    task_id: int,
    view: PostedView,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    def decide_one(principal: Principal) -> None:
        ruling = ReviewDecisionIn.model_validate({"decision": decision, "note": note})
        decide_review(session, principal, task_id, ruling.decision, ruling.note)

    wrong_word = f"decision must be uphold or dismiss (or confirmed / overturned), got {decision!r}"
    return _rule(request, session, view, decide_one, wrong_word)


@router.post("/compliance/appeals/{appeal_id}", response_class=HTMLResponse)
def decide_appeal_page(
    request: Request,
    session: FormSession,
    appeal_id: int,
    view: PostedView,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    def answer(principal: Principal) -> None:
        decide_appeal(
            session, principal, appeal_id, AppealDecisionIn.model_validate({"decision": decision, "note": note})
        )

    wrong_word = f"decision must be uphold or dismiss, got {decision!r}"
    return _rule(request, session, view, answer, wrong_word, "#appeals")
