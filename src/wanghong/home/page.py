"""Each role's home page: the figures that matter to it, charts drawn by Plotly served from this server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from wanghong.accounts.deps import signed_in
from wanghong.analytics.metrics import METRICS
from wanghong.domain import Role
from wanghong.home import service as dashboards
from wanghong.kit import formats
from wanghong.kit.http import DbSession
from wanghong.kit.i18n import FRAME
from wanghong.kit.pages import CHART_FONT, chart_html, language_of, page_router, render_page, sign_in, text_for
from wanghong.workspace.screens import label_for

# Headline, chart and table keys name what `home.service` builds; the nav keys the workspaces in ROLE_LINKS.
MESSAGES = FRAME.extend(
    {
        "zh": {
            "welcome": "欢迎",
            "creators": "达人数",
            "mcns": "MCN 机构数",
            "brands": "品牌数",
            # Livestream orders only, as 指标说明 defines it: the boards' GMV counts every order (issue 14).
            "gmv": METRICS["gmv_livestream"].zh,
            "campaigns": "营销活动",
            "products": "商品",
            "collaborations": "合作",
            "pending_reviews": "待审核",
            "followers": "粉丝数",
            "tier": "层级",
            "chart_creators_by_tier": "达人粉丝层级分布",
            "chart_gmv_by_day": f"每日{METRICS['gmv_livestream'].zh}",
            "chart_pending_by_verdict": "待审核任务（按 AI 结论）",
            "chart_collaborations_by_status": "合作状态分布",
            "chart_fan_segments": "粉丝人群构成",
            "table_review_queue": "审核队列",
            "table_campaigns": "我的营销活动",
            "table_creators": "旗下达人（按粉丝数）",
            "no_data": "暂无数据",
            "nav_analytics": "经营分析",
            "nav_matching": "选品中心",
            "nav_campaigns": "营销活动",
            "nav_products": "商品管理",
            "nav_board": "合作管理",
            "nav_money": "资金",
            "nav_penalties": "处罚与申诉",
            "nav_review": "审核队列",
            "nav_traffic": "流量分发",
            "col_handle": "账号",
            "col_followers": "粉丝数",
            "col_follower_tier": "层级",
            "col_name": "名称",
            "col_status": "状态",
            "col_budget": "预算（元）",
            "col_text": "内容",
            "col_ai_verdict": "AI 结论",
            "col_ai_score": "AI 分数",
            "col_priority": "优先级",
            "standing_restricted": "受限达人（不推荐给品牌）",
            "standing_limited": "限流达人",
            "standing_suspended": "停播达人",
            "nav_regulator": "监管看板",
            "nav_export": "导出治理记录（JSON）",
            "hint_regulator": "各类主体状态、达人信用分布、最近处罚、即将到期的认证与存证日志",
            "hint_export": "所有租户的主体、违规、处罚、申诉与存证记录，机器可读",
            "hint_api_docs": "只读接口说明：监管账号可调用所有查询接口",
            "read_only": "监管账号只读：可查看所有租户的治理记录，不能修改任何记录。",
        },
        "en": {
            "welcome": "Welcome",
            "creators": "Creators",
            "mcns": "MCN agencies",
            "brands": "Brands",
            "gmv": METRICS["gmv_livestream"].en,
            "campaigns": "Campaigns",
            "products": "Products",
            "collaborations": "Collaborations",
            "pending_reviews": "Pending reviews",
            "followers": "Followers",
            "tier": "Tier",
            "chart_creators_by_tier": "Creators by follower tier",
            "chart_gmv_by_day": f"{METRICS['gmv_livestream'].en} per day",
            "chart_pending_by_verdict": "Pending review tasks by AI verdict",
            "chart_collaborations_by_status": "Collaborations by status",
            "chart_fan_segments": "Audience segments",
            "table_review_queue": "Review queue",
            "table_campaigns": "My campaigns",
            "table_creators": "My creators (by followers)",
            "no_data": "No data yet",
            "nav_analytics": "Analytics",
            "nav_matching": "Matching",
            "nav_campaigns": "Campaigns",
            "nav_products": "Products",
            "nav_board": "Collaborations",
            "nav_money": "Money",
            "nav_penalties": "Penalties",
            "nav_review": "Review queue",
            "nav_traffic": "Traffic",
            "col_handle": "Handle",
            "col_followers": "Followers",
            "col_follower_tier": "Tier",
            "col_name": "Name",
            "col_status": "Status",
            "col_budget": "Budget (CNY)",
            "col_text": "Text",
            "col_ai_verdict": "AI verdict",
            "col_ai_score": "AI score",
            "col_priority": "Priority",
            "standing_restricted": "Restricted creators (not offered to brands)",
            "standing_limited": "Traffic-limited creators",
            "standing_suspended": "Creators suspended from live",
            "nav_regulator": "Regulator board",
            "nav_export": "Export governance records (JSON)",
            "hint_regulator": "Subjects by state, creators by standing, recent penalties, expiring verifications, "
            "the transparency log",
            "hint_export": "Every tenant's subjects, violations, penalties, appeals and log entries, machine-readable",
            "hint_api_docs": "The read-only API: a regulator may call every query",
            "read_only": "A regulator's account reads every tenant's governance records and changes nothing.",
        },
    }
)

router = page_router(__file__)

# The workspaces each role reaches from its home page: (message key, path).
ROLE_LINKS: dict[str, tuple[tuple[str, str], ...]] = {
    "admin": (
        ("nav_analytics", "/analytics/platform"),
        ("nav_traffic", "/operations/traffic"),
        ("nav_review", "/compliance/review"),
        ("nav_matching", "/matching"),
        ("nav_board", "/workspace/collaborations"),
    ),
    "reviewer": (("nav_review", "/compliance/review"),),
    "brand_manager": (
        ("nav_campaigns", "/workspace/campaigns"),
        ("nav_products", "/workspace/products"),
        ("nav_matching", "/matching"),
        ("nav_board", "/workspace/collaborations"),
        ("nav_money", "/workspace/money"),
        ("nav_analytics", "/analytics"),
    ),
    "mcn_manager": (
        ("nav_board", "/workspace/collaborations"),
        ("nav_money", "/workspace/money"),
        ("nav_penalties", "/workspace/penalties"),
        ("nav_analytics", "/analytics"),
    ),
    "creator": (
        ("nav_board", "/workspace/collaborations"),
        ("nav_money", "/workspace/money"),
        ("nav_penalties", "/workspace/penalties"),
        ("nav_analytics", "/analytics"),
    ),
    # Everything a regulator may open reads and writes nothing; each card says what it holds.
    "regulator": (
        ("nav_regulator", "/workspace/regulator"),
        ("nav_export", "/api/v1/governance/export?limit=200"),
        ("api_docs", "/api/v1/docs"),
    ),
}
# What a card holds, for roles whose home is a set of places to look rather than figures of their own.
LINK_HINTS = {
    "nav_regulator": "hint_regulator",
    "nav_export": "hint_export",
    "api_docs": "hint_api_docs",
}


def _sayer(language: str) -> Callable[[Any], Any]:
    """How a figure of the board reads in `language`: codes by their label, money in 元 with 万/亿."""
    label = label_for(language)

    def say(value: Any) -> Any:
        if isinstance(value, dashboards.Code):
            return label(str(value))
        if isinstance(value, Decimal):
            return formats.yuan(value, language)
        return value

    return say


def _worded(series: dashboards.Series, say: Callable[[Any], Any], language: str) -> dashboards.Series:
    unit = series.unit[language == "en"]
    return replace(series, labels=[say(label) for label in series.labels], unit=(unit, unit))


def _figure(series: dashboards.Series) -> str:
    if series.kind == "pie":
        trace: go.BaseTraceType = go.Pie(labels=series.labels, values=series.values, hole=0.4)
    elif series.kind == "line":
        trace = go.Scatter(x=series.labels, y=series.values, mode="lines+markers")
    else:
        trace = go.Bar(x=series.labels, y=series.values)
    figure = go.Figure(trace)
    figure.update_layout(
        yaxis_title=series.unit[0] if series.kind != "pie" else None,
        margin={"l": 50, "r": 20, "t": 10, "b": 40},
        height=340,
        font=CHART_FONT,
    )
    return chart_html(figure)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: DbSession) -> Response:
    principal = signed_in(request, session)
    if principal is None:
        return sign_in()
    t = text_for(request, MESSAGES)
    language = language_of(request)
    say = _sayer(language)
    board = dashboards.build(session, principal)
    board.headline = {key: say(value) for key, value in board.headline.items()}
    board.table_rows = [[say(cell) for cell in row] for row in board.table_rows]
    charts = [
        (
            f"{t[s.title_key]} ({s.unit[1]})" if language == "en" else f"{t[s.title_key]}（{s.unit[0]}）",
            _figure(_worded(s, say, language)),
        )
        for s in board.charts
        if s.values
    ]
    return render_page(
        request,
        "home.html",
        principal,
        {
            "board": board,
            "charts": charts,
            "links": ROLE_LINKS[principal.role.value],
            "hints": LINK_HINTS,
            # The regulator's home says so at the top: it is shown nothing it could change.
            "read_only": principal.role is Role.REGULATOR,
        },
        messages=MESSAGES,
    )
