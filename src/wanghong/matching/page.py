"""选品中心 page: a brand picks a product, sets filters, sees ranked creators and proposes a collaboration.

Mount with `app.include_router(wanghong.matching.page.router)`.  Rendering is server-side from the same service
the API uses; the one-click proposal posts JSON to `POST /api/v1/collaborations` (the foundation's workflow),
authenticated by the session cookie.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import plotly.graph_objects as go
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from wanghong.accounts.deps import signed_in
from wanghong.domain import Category, CollaborationMode, McnTier, Segment
from wanghong.kit.errors import InvalidInput, ServiceError
from wanghong.kit.http import DbSession, WarmEngines
from wanghong.kit.i18n import FRAME
from wanghong.kit.pages import CHART_FONT, add_templates, chart_html, language_of, render_page, sign_in, text_for
from wanghong.matching import service
from wanghong.matching.engine.vectors import PRICE_BAND_LABELS, PRICE_BANDS, PriceBand
from wanghong.workspace.screens import label_for

add_templates(Path(__file__).with_name("templates"))

router = APIRouter(include_in_schema=False)
CHARTED = 10  # persona charts for the first creators only, to keep the page light

MESSAGES = FRAME.extend(
    {
        "zh": {
            "title": "选品中心 · 达人匹配",
            "product": "商品",
            "k": "数量",
            "category": "达人内容类目",
            "followers_min": "最少粉丝",
            "followers_max": "最多粉丝",
            "mcn_tier": "MCN 等级",
            "region": "地区",
            "price_band": "带货价格带",
            "exclude_penalised": "排除处罚中达人",
            "available": "仅看有档期",
            "search": "匹配",
            "rank": "排名",
            "creator": "达人",
            "followers": "粉丝",
            "score": "匹配分",
            "gmv": "预估 GMV (P10–P90)",
            "overlap": "人群重合",
            "propose": "发起合作",
            "campaign": "营销活动",
            "proposed": "已发起",
            "any": "不限",
            "no_products": "暂无商品",
            "no_results": "没有符合条件的达人",
            "plan": "检索策略",
            "ranker": "排序模型",
            "persona": "粉丝画像",
            "independent": "独立达人",
            "terms": "合作条款",
            "mode": "合作模式",
            "fee": "固定费用（元）",
            "commission": "佣金比例（%）",
            "brief": "合作说明 / brief",
            "no_campaigns": "没有进行中的营销活动：请先创建并启动一个活动",
        },
        "en": {
            "title": "Matching · creators for a product",
            "product": "Product",
            "k": "Results",
            "category": "Creator category",
            "followers_min": "Min followers",
            "followers_max": "Max followers",
            "mcn_tier": "MCN tier",
            "region": "Region",
            "price_band": "Price band",
            "exclude_penalised": "Exclude penalised",
            "available": "Available only",
            "search": "Match",
            "rank": "Rank",
            "creator": "Creator",
            "followers": "Followers",
            "score": "Score",
            "gmv": "Expected GMV (P10–P90)",
            "overlap": "Audience overlap",
            "propose": "Propose",
            "campaign": "Campaign",
            "proposed": "Proposed",
            "any": "Any",
            "no_products": "No products yet",
            "no_results": "No creator passes these filters",
            "plan": "Retrieval plan",
            "ranker": "Ranker",
            "persona": "Fan persona",
            "independent": "Independent",
            "terms": "Terms",
            "mode": "Mode",
            "fee": "Fixed fee (CNY)",
            "commission": "Commission (%)",
            "brief": "Brief",
            "no_campaigns": "No running campaign: create and launch one first",
        },
    }
)


PRICE_BANDS_EN: dict[PriceBand, str] = {
    PriceBand.BUDGET: "Budget (< CNY 50)",
    PriceBand.MID: "Mid-range (CNY 50–200)",
    PriceBand.PREMIUM: "Premium (CNY 200–1,000)",
    PriceBand.LUXURY: "Luxury (≥ CNY 1,000)",
}


def persona_chart(persona: dict[str, dict[str, float]], label: Callable[[Any], str]) -> str:
    """Horizontal bars of the creator's audience segments (Plotly, JS loaded locally by the page)."""
    segments = persona.get("segments", {})
    labels = [label(s) for s in Segment]
    figure = go.Figure(go.Bar(x=[segments.get(s.value, 0.0) for s in Segment], y=labels, orientation="h"))
    figure.update_layout(
        height=220,
        margin={"l": 80, "r": 10, "t": 10, "b": 30},
        xaxis={"tickformat": ".0%"},
        font={**CHART_FONT, "size": 11},
    )
    return chart_html(figure)


@router.get("/matching", response_class=HTMLResponse)
def matching_page(
    request: Request,
    session: DbSession,
    runtime: WarmEngines,
    product_id: int | None = None,
    k: Annotated[int, Query(ge=1, le=200)] = 20,
    category: str = "",
    followers_min: str = "",
    followers_max: str = "",
    mcn_tier: str = "",
    region: str = "",
    price_band: str = "",
    exclude_penalised: bool = False,
    available: bool = False,
    submitted: bool = False,
) -> Response:
    principal = signed_in(request, session)
    if principal is None:
        return sign_in()
    text = text_for(request, MESSAGES)
    english = language_of(request) == "en"
    label = label_for(language_of(request))
    view: dict[str, Any] = {
        "label": label,
        "error": None,
        "products": [],
        "campaigns": [],
        "result": None,
        "form": {},
        "options": {},
        "charts": {},
    }
    try:
        products = service.my_products(session, principal)
    except ServiceError as exc:
        return render_page(
            request, "matching.html", principal, view | {"error": exc.detail}, messages=MESSAGES, status_code=exc.status
        )
    chosen = product_id if product_id is not None else (products[0].id if products else None)
    # The form's checkbox is unchecked-by-absence; on first load penalised creators are excluded by default.
    exclude = exclude_penalised if submitted else True
    status = 200
    if chosen is not None:
        try:
            view["result"] = result = service.match_product(
                session,
                principal,
                chosen,
                service.MatchRequest(
                    k=k,
                    categories=tuple(filter(None, [category])),
                    followers_min=_int_or_none(followers_min, "followers_min"),
                    followers_max=_int_or_none(followers_max, "followers_max"),
                    mcn_tiers=tuple(filter(None, [mcn_tier])),
                    regions=tuple(r.strip() for r in region.split(",") if r.strip()),
                    price_bands=tuple(filter(None, [price_band])),
                    exclude_penalised=exclude,
                    available_only=available,
                ),
                runtime,
            )
            view["charts"] = {
                item["creator_id"]: persona_chart(item["persona"], label) for item in result["items"][:CHARTED]
            }
        except ServiceError as exc:
            view["error"], status = exc.detail, exc.status
    view["products"] = products
    view["campaigns"] = service.open_campaigns(session, principal)
    view["form"] = {
        "product_id": chosen,
        "k": k,
        "category": category,
        "followers_min": followers_min,
        "followers_max": followers_max,
        "mcn_tier": mcn_tier,
        "region": region,
        "price_band": price_band,
        "exclude_penalised": exclude,
        "available": available,
    }
    view["options"] = {
        "categories": [(c.value, label(c)) for c in Category],
        "mcn_tiers": [
            *((t.value, label(t)) for t in McnTier),
            ("independent", text["independent"]),
        ],
        "price_bands": [(b.value, (PRICE_BANDS_EN if english else PRICE_BAND_LABELS)[b]) for b in PRICE_BANDS],
        "modes": [(m.value, label(m)) for m in CollaborationMode],
    }
    return render_page(request, "matching.html", principal, view, messages=MESSAGES, status_code=status)


def _int_or_none(raw: str, name: str) -> int | None:
    if not raw.strip():
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(f"{name} must be a whole number, got '{raw}'") from None
