"""直播间 (the live room) for the host's side: barrage as it arrives, the assistant's answers, the room's risk.

It lives with the assistant, not with compliance, because the arrows say so: the page shows the assistant's answers
and compliance's risk, and the assistant may use compliance (``compliance.live_room``) while compliance may not use
the assistant. The page's script joins the room over the live socket (``/api/v1/compliance/live/{id}``, this site's
cookie): barrage verdicts, answers and risk arrive there, and the host's assistant panel sends viewers' questions
there. The risk shown on load (gauge, line) and the answers table (newest first, paged) come from the database.

Senders (the host, its MCN, the ingest account) get the panel; others who may watch the room (its sponsor brand,
reviewers) see the same page without it.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.assistant import live
from wanghong.commerce.models import Creator, LivestreamSession
from wanghong.compliance import live_room
from wanghong.compliance.models import LiveRiskPoint
from wanghong.domain import Role
from wanghong.kit import access
from wanghong.kit.http import DbSession
from wanghong.kit.pages import page_router
from wanghong.kit.paging import DEFAULT_PAGE_SIZE
from wanghong.kit.schemas import INTEGER_MAX, PathId
from wanghong.workspace.screens import MESSAGES, Screen, show

router = page_router(__file__)
Before = Annotated[int | None, Query(ge=1, le=INTEGER_MAX)]

ANSWERS_PER_PAGE = 20
POINTS_SHOWN = 120
GAUGE_RADIUS = 90.0
LINE_WIDTH, LINE_HEIGHT = 600.0, 160.0

LIVE_MESSAGES = MESSAGES.extend(
    {
        "zh": {
            "live_rooms_title": "直播间",
            "live_room_title": "直播间",
            "live_started": "开播",
            "live_ended": "已下播",
            "live_on_air": "直播中",
            "live_host": "主播",
            "live_open": "进入直播间",
            "live_none": "还没有可进入的直播间。",
            "live_older": "更早的直播",
            "live_products": "本场商品",
            "live_facts": "事实条数",
            "live_no_facts": "暂无事实，助手会把问题交给主播",
            "live_edit_facts": "编辑事实",
            "live_barrage": "实时弹幕",
            "live_barrage_hint": "弹幕与口播经合规扫描后显示；观众的提问由 AI 助手按商品事实作答。",
            "live_answers": "AI 助手回答",
            "live_question": "观众问题",
            "live_answer": "回答",
            "live_cited": "依据",
            "live_handed_over": "交给主播",
            "live_ask": "代观众提问",
            "live_ask_hint": "把观众的问题发给助手；不选商品时，助手按问题所指的商品作答。",
            "live_any_product": "（按问题判断商品）",
            "live_send": "发送",
            "live_risk": "直播间风险分",
            "live_risk_line": "风险分走势",
            "live_risk_none": "本场还没有风险分：收到消息后每 10 条或 5 秒计算一次。",
            "live_component": "分项",
            "live_value": "分值",
            "live_figures": "依据",
            "live_compliance": "合规（口播与弹幕违规）",
            "live_fraud": "刷量（进场脉冲、秒进秒出、模板弹幕）",
            "live_originality": "原创（已确认的搬运）",
            "live_thresholds": "越过 60 分生成复核任务，越过 85 分为加急复核；每次越线只生成一次。",
            "live_review_task": "复核任务",
            "live_watch_only": "你可以查看本场，但只有主播、其 MCN 或平台接入账号可以发送内容。",
            "live_connected": "已连接直播间",
            "live_disconnected": "连接已断开",
            "live_viewer": "观众",
            "live_host_speech": "口播",
            "live_reason_no_fact": "无事实依据",
            "live_reason_which_product": "多件商品都能回答，请主播说明是哪件",
            "live_reason_not_compliant": "改写后仍不合规",
            "live_reason_ungrounded_number": "数字无事实依据",
            "live_peak": "本场峰值",
            "fig_points": "违规分",
            "fig_flagged_speech": "违规口播",
            "fig_flagged_comments": "违规弹幕",
            "fig_visits": "进场人次",
            "fig_bot_share": "疑似机器人",
            "fig_bursts": "进场脉冲",
            "fig_confirmed_copies": "确认搬运",
        },
        "en": {
            "live_rooms_title": "Live rooms",
            "live_room_title": "Live room",
            "live_started": "Started",
            "live_ended": "Ended",
            "live_on_air": "On air",
            "live_host": "Host",
            "live_open": "Enter the room",
            "live_none": "No live room to enter yet.",
            "live_older": "Older sessions",
            "live_products": "Products on sale",
            "live_facts": "Facts",
            "live_no_facts": "No facts yet: the assistant hands questions to the host",
            "live_edit_facts": "Edit facts",
            "live_barrage": "Live barrage",
            "live_barrage_hint": "Comments and speech show after the compliance scan; viewers' questions are answered "
            "by the AI assistant from the products' facts.",
            "live_answers": "AI assistant answers",
            "live_question": "Viewer's question",
            "live_answer": "Answer",
            "live_cited": "Based on",
            "live_handed_over": "Handed to the host",
            "live_ask": "Ask for a viewer",
            "live_ask_hint": "Send a viewer's question to the assistant; without a product, it answers about the "
            "product the question means.",
            "live_any_product": "(from the question)",
            "live_send": "Send",
            "live_risk": "Room risk score",
            "live_risk_line": "Risk over time",
            "live_risk_none": "No risk score yet: the room is scored every 10 messages or 5 seconds.",
            "live_component": "Component",
            "live_value": "Value",
            "live_figures": "From",
            "live_compliance": "Compliance (flagged speech and barrage)",
            "live_fraud": "Fraud (entry bursts, quick exits, template comments)",
            "live_originality": "Originality (confirmed copies)",
            "live_thresholds": "Crossing 60 opens a review task, crossing 85 an urgent one; once per crossing.",
            "live_review_task": "Review task",
            "live_watch_only": "You may watch this room; only its host, the host's MCN or the ingest account may "
            "send to it.",
            "live_connected": "Connected to the room",
            "live_disconnected": "Disconnected",
            "live_viewer": "Viewer",
            "live_host_speech": "Host",
            "live_reason_no_fact": "no fact supports an answer",
            "live_reason_which_product": "several products answer: the host says which",
            "live_reason_not_compliant": "still not compliant after rewriting",
            "live_reason_ungrounded_number": "a number no fact holds",
            "live_peak": "Peak this session",
            "fig_points": "points",
            "fig_flagged_speech": "flagged lines",
            "fig_flagged_comments": "flagged comments",
            "fig_visits": "visits",
            "fig_bot_share": "likely bots",
            "fig_bursts": "entry bursts",
            "fig_confirmed_copies": "confirmed copies",
        },
    }
)


def gauge_arc(score: float) -> str:
    """The SVG path of the gauge's filled arc: a half circle from the left (0) to the right (100)."""
    share = min(max(score, 0.0), 100.0) / 100.0
    angle = math.pi * (1.0 - share)
    x = 110.0 + GAUGE_RADIUS * math.cos(angle)
    y = 110.0 - GAUGE_RADIUS * math.sin(angle)
    return f"M 20 110 A {GAUGE_RADIUS:g} {GAUGE_RADIUS:g} 0 0 1 {x:.2f} {y:.2f}"


def risk_level(score: float) -> str:
    return "block" if score >= 85 else "review" if score >= 60 else "pass"


def line_points(points: list[LiveRiskPoint]) -> str:
    """SVG polyline points of the scores, oldest at the left; y grows downwards."""
    if not points:
        return ""
    step = LINE_WIDTH / max(len(points) - 1, 1)
    return " ".join(f"{i * step:.1f},{LINE_HEIGHT - p.score * LINE_HEIGHT / 100:.1f}" for i, p in enumerate(points))


def last_point(points: list[LiveRiskPoint]) -> tuple[float, float] | None:
    """Where the line ends (its newest score), marked so that a single score is visible too."""
    if not points:
        return None
    x = LINE_WIDTH if len(points) > 1 else 0.0
    return x, LINE_HEIGHT - points[-1].score * LINE_HEIGHT / 100


def _room_screen(livestream_id: int, before: int | None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        room = live_room.room_view(session, principal, livestream_id, points=POINTS_SHOWN)
        stream = room.live
        products = live.room_products(session, stream)
        answers = live.recent_answers(session, stream.id, limit=ANSWERS_PER_PAGE + 1, before=before)
        creator = session.get(Creator, stream.creator_id)
        score = room.room.score if room.room is not None else 0.0
        return {
            "live": stream,
            "host": creator.display_name if creator is not None else f"#{stream.creator_id}",
            "can_speak": stream.ended_at is None and live_room.feeds(session, principal, stream),
            "can_edit_facts": principal.role in (Role.BRAND_MANAGER,),
            "products": products,
            "answers": answers[:ANSWERS_PER_PAGE],
            "older_answers": answers[ANSWERS_PER_PAGE - 1][0].id if len(answers) > ANSWERS_PER_PAGE else None,
            "room": room.room,
            "score": score,
            "level": risk_level(score),
            "arc": gauge_arc(score),
            "line": line_points(room.points),
            "dot": last_point(room.points),
            "points": room.points,
            "latest_task": next((p.review_task_id for p in reversed(room.points) if p.review_task_id), None),
            "line_width": LINE_WIDTH,
            "line_height": LINE_HEIGHT,
        }

    empty: dict[str, Any] = {"live": None}
    return Screen(f"/workspace/live/{livestream_id}", "live_room.html", view, empty, LIVE_MESSAGES)


def _rooms_screen(before: int | None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        query = select(LivestreamSession, Creator.display_name).join(
            Creator, Creator.id == LivestreamSession.creator_id
        )
        if principal.role is not Role.REVIEWER:  # reviewers watch every room's talk (scanning.monitorable_livestream)
            query = query.where(access.scope_condition(LivestreamSession, principal))
        if before is not None:
            query = query.where(LivestreamSession.id < before)
        rows = session.execute(query.order_by(LivestreamSession.id.desc()).limit(DEFAULT_PAGE_SIZE + 1)).all()
        shown = rows[:DEFAULT_PAGE_SIZE]
        older = shown[-1][0].id if len(rows) > DEFAULT_PAGE_SIZE else None
        return {"rooms": shown, "older": older}

    return Screen("/workspace/live", "live_rooms.html", view, {"rooms": [], "older": None}, LIVE_MESSAGES)


@router.get("/workspace/live", response_class=HTMLResponse)
def rooms_page(request: Request, session: DbSession, before: Before = None) -> Response:
    return show(request, session, _rooms_screen(before))


@router.get("/workspace/live/{livestream_id}", response_class=HTMLResponse)
def room_page(request: Request, session: DbSession, livestream_id: PathId, before: Before = None) -> Response:
    return show(request, session, _room_screen(livestream_id, before))
