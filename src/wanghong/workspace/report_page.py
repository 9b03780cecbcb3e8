"""The post-campaign report page `/workspace/campaigns/{id}/report` for the campaign's brand (and admins)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.analytics.metrics import METRICS, page_words
from wanghong.kit.http import DbSession
from wanghong.kit.pages import CHART_FONT, chart_html, language_of, page_router
from wanghong.workspace import report
from wanghong.workspace.screens import MESSAGES, Screen, show

TEXT = MESSAGES.extend(
    page_words(
        {
            "rp_gmv": "gmv_attributed",
            "rp_orders": "orders",
            "rp_roi_col": "roi_campaign",
            "rp_series_gmv": "gmv_attributed",
            "rp_adjusted_gmv": "gmv_adjusted",
        }
    )
).extend(
    {
        "zh": {
            "report_title": "活动复盘",
            "rp_back": "返回营销活动",
            "rp_spend": "花费（费用 + 佣金）",
            "rp_fees": "已结算合作费",
            "rp_commissions": "佣金",
            "rp_committed": "冻结中费用",
            "rp_budget_used": "预算使用率",
            "rp_roi": f"{METRICS['roi_campaign'].label('zh', unit=True)}：{METRICS['gmv_attributed'].zh} ÷ 花费",
            "rp_by_status": "合作状态",
            "rp_creators": "达人成效",
            "rp_chart": f"各达人花费与{METRICS['gmv_attributed'].zh}（元）",
            "rp_state_col": "最新进展",
            "rp_note": "花费来自结算账本：已释放给达人的合作费，加上归因订单占用的佣金（退货冲回的已扣除）；"
            "冻结中费用为进行中合作已冻结、尚未结算的部分。GMV 与订单为归因到本活动合作直播的订单。",
            "rp_series_spend": "花费",
            "rp_flagged": "疑似刷单",
            "rp_flagged_orders": "笔",
            "rp_scan_on": "反作弊扫描日",
            "rp_not_scanned": f"尚未运行反作弊扫描：{METRICS['gmv_adjusted'].zh}暂同{METRICS['gmv_attributed'].zh}。",
        },
        "en": {
            "report_title": "Campaign report",
            "rp_back": "Back to campaigns",
            "rp_spend": "Spend (fees + commissions)",
            "rp_fees": "Fees released",
            "rp_commissions": "Commissions",
            "rp_committed": "Fees frozen",
            "rp_budget_used": "Budget used",
            "rp_roi": f"{METRICS['roi_campaign'].label('en', unit=True)}: {METRICS['gmv_attributed'].en} ÷ spend",
            "rp_by_status": "Collaborations by state",
            "rp_creators": "Results by creator",
            "rp_chart": f"Spend and {METRICS['gmv_attributed'].en} by creator (yuan)",
            "rp_state_col": "Latest state",
            "rp_note": "Spend comes from the settlement ledger: fees released to creators plus commissions taken on "
            "attributed orders (net of reversals for returns); fees frozen are held for collaborations still under "
            "way. GMV and orders are the orders attributed to this campaign's collaborations' livestreams.",
            "rp_series_spend": "Spend",
            "rp_flagged": "Suspected fake orders",
            "rp_flagged_orders": "flagged",
            "rp_scan_on": "Fraud scan of",
            "rp_not_scanned": f"No fraud scan has run yet: {METRICS['gmv_adjusted'].en} equals "
            f"{METRICS['gmv_attributed'].en} for now.",
        },
    }
)

router = page_router(__file__)
_YUAN = METRICS["gmv_attributed"]  # the chart's axis carries its unit
CHART_CREATORS = 12  # the chart shows the campaign's largest creators; the table lists them all


def chart(view: report.CampaignReport, language: str) -> str:
    text = TEXT.text(language)
    top = view.creators[:CHART_CREATORS]
    names = [r.creator for r in top]
    figure = go.Figure(
        [
            go.Bar(name=text["rp_series_spend"], x=names, y=[r.spend_fen / 100 for r in top]),
            go.Bar(name=text["rp_series_gmv"], x=names, y=[r.gmv_fen / 100 for r in top]),
        ]
    )
    figure.update_layout(
        barmode="group",
        height=320,
        margin={"l": 60, "r": 20, "t": 10, "b": 60},
        yaxis={"title": _YUAN.unit_en if language == "en" else _YUAN.unit_zh, "tickformat": ",.0f"},
        legend={"orientation": "h", "y": 1.1},
        font=CHART_FONT,
    )
    return chart_html(figure)


def _screen(campaign_id: int, language: str) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        result = report.campaign_report(session, principal, campaign_id)
        return {"report": result, "chart": chart(result, language) if result.creators else ""}

    path = f"/workspace/campaigns/{campaign_id}/report"
    return Screen(path, "workspace_report.html", view, {"report": None, "chart": ""}, TEXT)


@router.get("/workspace/campaigns/{campaign_id}/report", response_class=HTMLResponse)
def report_page(request: Request, session: DbSession, campaign_id: int) -> Response:
    return show(request, session, _screen(campaign_id, language_of(request)))
