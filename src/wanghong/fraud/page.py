"""反作弊 pages: the operator board (flagged orders, rings, low-quality creators, viewbot rooms; run the day's
scan) and, for brands, creators and MCNs, fraud-adjusted GMV beside the reported one. Also the audience-quality
section other rooms include on 达人详情 (`fraud_quality_section.html`, fed by `quality_section`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import plotly.graph_objects as go
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.analytics.metrics import METRICS, page_words
from wanghong.fraud import board, scores, service
from wanghong.kit.http import AppSettings, DbSession, FormSession
from wanghong.kit.i18n import LANGUAGES
from wanghong.kit.instants import BEIJING
from wanghong.kit.pages import CHART_FONT, chart_html, language_of, page_router
from wanghong.settlement.collaborations import policy_of
from wanghong.workspace.screens import MESSAGES, Screen, show, step

router = page_router(__file__)

FRAUD_PATH = "/workspace/fraud"

# The scores' words, and the figures named by their one definition (analytics.metrics).
_SHARED = MESSAGES.extend({lang: scores.WORDS.text(lang) for lang in LANGUAGES}).extend(
    page_words({"fr_reported_gmv": "gmv_all", "fr_flagged_gmv": "gmv_flagged", "fr_adjusted_gmv": "gmv_adjusted"})
)

TEXT = _SHARED.extend(
    {
        "zh": {
            "fraud_title": "反作弊",
            "fr_scan_day": "最近扫描",
            "fr_never": "尚未扫描",
            "fr_run": "运行今日扫描",
            "fr_run_hint": "扫描读取订单指纹、粉丝抽样与直播观看会话；"
            "同一天重跑会重算当天结果，不会重复冻结或重复建审核任务。",
            "fr_orders": "已评分订单",
            "fr_flagged": "疑似刷单订单",
            "fr_adjusted_note": f"{METRICS['gmv_adjusted'].zh} = {METRICS['gmv_all'].zh} − "
            "最近一次扫描标记为疑似刷单的订单金额；被标记订单仍列在下方，不隐藏。",
            "fr_rings": "刷单团伙",
            "fr_holds": "佣金冻结",
            "fr_low_quality": "低质量观众达人",
            "fr_rooms": "直播间真实观众估计",
            "fr_room": "直播间",
            "fr_reported_entries": "报告场观",
            "fr_real_entries": "估计真实场观",
            "fr_bot_share": "疑似机器人占比",
            "fr_peak": "最高在线（报告 / 真实）",
            "fr_bursts": "同步涌入",
            "fr_viewbot": "疑似刷量",
            "fr_chart_rooms": "各直播间报告场观与估计真实场观",
            "fr_chart_minutes": "刷量最重直播间逐分钟在线人数",
            "fr_minute": "开播后分钟",
            "fr_reported_concurrent": "报告在线",
            "fr_real_concurrent": "估计真实在线",
            "fr_ring": "团伙",
            "fr_buyers": "买家账号",
            "fr_ring_orders": "订单",
            "fr_creators": "涉及达人",
            "fr_top_score": "最高分",
            "fr_review": "审核任务",
            "fr_cleared": "复核放行",
            "fr_order": "订单",
            "fr_when": "下单时间",
            "fr_score": "刷单分",
            "fr_held": "佣金已冻结",
            "fr_pending_hold": "退货期内，放款后冻结",
            "fr_not_attributed": "非合作订单",
            "fr_by_creator": "按达人",
            "fr_older": "更早的订单",
            "fr_first": "最新",
        },
        "en": {
            "fraud_title": "Fraud",
            "fr_scan_day": "Latest scan",
            "fr_never": "never scanned",
            "fr_run": "Run today's scan",
            "fr_run_hint": "The scan reads order fingerprints, follower samples and livestream viewer sessions; "
            "rerunning a day rebuilds that day's results and holds or raises nothing twice.",
            "fr_orders": "Orders scored",
            "fr_flagged": "Flagged as fake",
            "fr_adjusted_note": f"{METRICS['gmv_adjusted'].en} = {METRICS['gmv_all'].en} − the orders the latest scan "
            "flagged as fake; flagged orders stay listed below, not hidden.",
            "fr_rings": "Fake-order rings",
            "fr_holds": "Commission holds",
            "fr_low_quality": "Creators with a low-quality audience",
            "fr_rooms": "Real viewers per livestream room",
            "fr_room": "Room",
            "fr_reported_entries": "Reported entries",
            "fr_real_entries": "Estimated real entries",
            "fr_bot_share": "Flagged as bots",
            "fr_peak": "Peak concurrent (reported / real)",
            "fr_bursts": "Entry bursts",
            "fr_viewbot": "viewbots",
            "fr_chart_rooms": "Reported and estimated real entries per room",
            "fr_chart_minutes": "Concurrent viewers per minute in the most botted room",
            "fr_minute": "Minute of the stream",
            "fr_reported_concurrent": "Reported concurrent",
            "fr_real_concurrent": "Estimated real concurrent",
            "fr_ring": "Ring",
            "fr_buyers": "Buyer accounts",
            "fr_ring_orders": "Orders",
            "fr_creators": "Creators",
            "fr_top_score": "Top score",
            "fr_review": "Review task",
            "fr_cleared": "cleared by review",
            "fr_order": "Order",
            "fr_when": "Ordered",
            "fr_score": "Fake-order score",
            "fr_held": "commission held",
            "fr_pending_hold": "in return window; held once released",
            "fr_not_attributed": "not a collaboration order",
            "fr_by_creator": "By creator",
            "fr_older": "Older orders",
            "fr_first": "Newest",
        },
    }
)

_LAYOUT: dict[str, Any] = {"font": CHART_FONT, "margin": {"l": 50, "r": 20, "t": 20, "b": 40}}


def _charts(rooms: list[Any], language: str) -> dict[str, str | None]:
    words = TEXT.text(language)
    data = board.room_chart_data(rooms)
    if not data["labels"]:
        return {"rooms": None, "minutes": None}
    bars = go.Figure()
    bars.add_trace(go.Bar(x=data["labels"], y=data["reported"], name=words["fr_reported_entries"]))
    bars.add_trace(go.Bar(x=data["labels"], y=data["real"], name=words["fr_real_entries"]))
    bars.update_layout(barmode="group", legend={"orientation": "h", "y": -0.2}, **_LAYOUT)
    minutes = None
    if data["worst"] is not None:
        line = go.Figure()
        line.add_trace(
            go.Scatter(x=data["minutes"], y=data["reported_concurrent"], name=words["fr_reported_concurrent"])
        )
        line.add_trace(go.Scatter(x=data["minutes"], y=data["real_concurrent"], name=words["fr_real_concurrent"]))
        line.update_layout(xaxis={"title": words["fr_minute"]}, legend={"orientation": "h", "y": -0.3}, **_LAYOUT)
        minutes = chart_html(line, height="300px")
    return {"rooms": chart_html(bars, height="300px"), "minutes": minutes}


def _screen(request: Request, cursor: str | None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        found = board.board(session, principal, cursor)
        return {
            "b": found,
            "charts": _charts(found.rooms, language_of(request)),
            "viewbot_share": board.VIEWBOT_ROOM_SHARE,
            "lang": language_of(request),
            "next_url": f"{FRAUD_PATH}?cursor={found.orders.next_cursor}" if found.orders.next_cursor else None,
            "first_url": FRAUD_PATH if cursor else None,
        }

    return Screen(FRAUD_PATH, "fraud_board.html", view, {"b": None}, TEXT)


@router.get(FRAUD_PATH, response_class=HTMLResponse)
def fraud_page(request: Request, session: DbSession, cursor: str | None = None) -> Response:
    return show(request, session, _screen(request, cursor))


@router.post(FRAUD_PATH + "/scan", response_class=HTMLResponse)
def run_scan(request: Request, session: FormSession, settings: AppSettings) -> Response:
    def scan(principal: Principal) -> object:
        return service.scan(session, principal, datetime.now(BEIJING).date(), policy_of(settings))

    return step(request, session, _screen(request, None), scan)
