"""指标说明 / the metric definitions page: every figure the platform shows, its formula and unit, estimates marked.
Readable by anyone signed in (a definition is no tenant's data)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from wanghong.accounts.deps import signed_in
from wanghong.analytics.metrics import METRICS
from wanghong.kit.http import DbSession
from wanghong.kit.i18n import FRAME
from wanghong.kit.pages import page_router, render_page, sign_in

MESSAGES = FRAME.extend(
    {
        "zh": {
            "metrics_title": "指标说明",
            "metric": "指标",
            "formula": "计算方式",
            "unit": "单位",
            "kind": "性质",
            "estimate": "估计值",
            "counted": "统计值",
            "metrics_note": "平台各页面、导出与接口中的数字均按此处的唯一定义计算；"
            "标为估计值的是模型预测或加噪发布的数字，不是记录的计数。",
        },
        "en": {
            "metrics_title": "Metric definitions",
            "metric": "Metric",
            "formula": "Formula",
            "unit": "Unit",
            "kind": "Kind",
            "estimate": "Estimate",
            "counted": "Counted",
            "metrics_note": "Every figure on the platform's pages, exports and API is computed by its one definition "
            "here; estimates are model forecasts or noised releases, not counts of records.",
        },
    }
)

router = page_router(__file__)


@router.get("/analytics/metrics", response_class=HTMLResponse)
def metrics_page(request: Request, session: DbSession) -> Response:
    principal = signed_in(request, session)
    if principal is None:
        return sign_in()
    return render_page(request, "analytics_metrics.html", principal, {"metrics": list(METRICS.values())}, MESSAGES)
