"""选品中心 page: a brand picks a product, sets filters, sees ranked creators and proposes a collaboration.

Mount with `app.include_router(wanghong.matching.page.router)`.  Rendering is server-side from the same service
the API uses; the one-click proposal posts JSON to `POST /api/v1/collaborations` (the foundation's workflow),
authenticated by the session cookie.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

import numpy as np
import plotly.graph_objects as go
from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from wanghong.accounts.deps import signed_in
from wanghong.accounts.principal import Principal
from wanghong.analytics.metrics import METRICS
from wanghong.audience import composition
from wanghong.domain import Category, CollaborationMode, McnTier, Segment
from wanghong.fraud import scores as fraud_scores
from wanghong.kit.errors import InvalidInput, NotFound, ServiceError
from wanghong.kit.http import DbSession, WarmEngines
from wanghong.kit.i18n import FRAME
from wanghong.kit.pages import CHART_FONT, chart_html, language_of, page_router, render_page, sign_in, text_for
from wanghong.kit.problems import error_page
from wanghong.matching import service
from wanghong.matching.engine.vectors import PRICE_BAND_LABELS, PRICE_BANDS, PriceBand
from wanghong.workspace.screens import Filters, label_for

router = page_router(__file__)
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
            "quality_min": "最低观众质量分（只看优质流量）",
            "premium_only": "只看优质流量（≥ {low}）",
            "sort": "排序",
            "sort_score": "匹配分",
            "sort_quality": "观众质量",
            "quality": "观众质量",
            "not_scored": "未评分",
            "search": "匹配",
            "rank": "排名",
            "creator": "达人",
            "followers": "粉丝",
            "score": "匹配分",
            "gmv": f"{METRICS['predicted_gmv'].label('zh')} P10–P90",
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
            "pack": "定向人群包",
            "no_pack": "不定向",
            "targeted_note": "按人群包「{name}」定向：粉丝对该人群的 TGI 越高排名越靠前（匹配分 × TGI 的 95% 下界 ÷ "
            "max(100, 候选达人 TGI 中位数)，限 0.5–2 倍；样本不足或触达不超过噪声的达人不加权）。"
            "TGI 取自 {at} 的含噪发布，查看不消耗 ε。",
            "release_first": "到人群洞察发布一次规模",
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
            "quality_min": "Min audience quality (quality traffic only)",
            "premium_only": "Quality traffic only (≥ {low})",
            "sort": "Sort by",
            "sort_score": "Match score",
            "sort_quality": "Audience quality",
            "quality": "Audience quality",
            "not_scored": "Not scored",
            "search": "Match",
            "rank": "Rank",
            "creator": "Creator",
            "followers": "Followers",
            "score": "Score",
            "gmv": f"{METRICS['predicted_gmv'].label('en')} P10–P90",
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
            "pack": "Target crowd pack",
            "no_pack": "No targeting",
            "targeted_note": "Targeted at the pack “{name}”: creators whose fans over-index on it rank higher (score × "
            "TGI's 95% lower bound ÷ max(100, the candidates' median), within 0.5–2×; small samples and reach "
            "within the noise are not weighted). TGI from the noised release of {at}; looking spends no ε.",
            "release_first": "Release its size once in Audiences",
        },
    }
)


PRICE_BANDS_EN: dict[PriceBand, str] = {
    PriceBand.BUDGET: "Budget (< CNY 50)",
    PriceBand.MID: "Mid-range (CNY 50–200)",
    PriceBand.PREMIUM: "Premium (CNY 200–1,000)",
    PriceBand.LUXURY: "Luxury (≥ CNY 1,000)",
}


@cache
def _persona_layout() -> dict[str, Any]:
    """The persona charts' layout with plotly's template resolved, built once: building and validating a
    `go.Figure` per creator took 70 % of the page's time (ten charts, ~8 ms each)."""
    layout = {
        "height": 220,
        "margin": {"l": 80, "r": 10, "t": 10, "b": 30},
        "xaxis": {"tickformat": ".0%"},
        "font": {**CHART_FONT, "size": 11},
    }
    resolved: dict[str, Any] = go.Figure(layout=layout).to_dict()["layout"]
    return resolved


def persona_chart(persona: dict[str, dict[str, float]], label: Callable[[Any], str]) -> str:
    """Horizontal bars of the creator's audience segments (Plotly, JS loaded locally by the page)."""
    segments = persona.get("segments", {})
    bars = {
        "type": "bar",
        "orientation": "h",
        "x": [segments.get(s.value, 0.0) for s in Segment],
        "y": [label(s) for s in Segment],
    }
    return chart_html({"data": [bars], "layout": _persona_layout()})


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
    pack: str = "",
    quality_min: str = "",
    premium_only: bool = False,
    sort: str = "score",
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
        "packs": [],
        "targeting": None,
        "pack_error": None,
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
    targeting, status = _targeting(session, principal, pack, view)
    if chosen is not None:
        try:
            view["result"] = result = service.match_product(
                session,
                principal,
                chosen,
                service.MatchRequest(
                    # Targeting re-ranks a wider pool, so a creator the pack favours can climb into the first k.
                    k=min(200, max(3 * k, 60)) if targeting else k,
                    categories=tuple(filter(None, [category])),
                    followers_min=Filters.of(request).whole(followers_min, text["followers_min"]),
                    followers_max=Filters.of(request).whole(followers_max, text["followers_max"]),
                    mcn_tiers=tuple(filter(None, [mcn_tier])),
                    regions=tuple(r.strip() for r in region.split(",") if r.strip()),
                    price_bands=tuple(filter(None, [price_band])),
                    exclude_penalised=exclude,
                    available_only=available,
                    quality_min=fraud_scores.LOW_QUALITY
                    if premium_only
                    else Filters.of(request).whole(quality_min, text["quality_min"]),
                    sort=sort,
                ),
                runtime,
            )
            if targeting is not None:
                result["items"] = targeted(result["items"], targeting, k, by_quality=sort == "quality")
            view["charts"] = {
                item["creator_id"]: persona_chart(item["persona"], label) for item in result["items"][:CHARTED]
            }
        except NotFound as exc:
            # Another brand's product (or none): the error page, not this page around an empty result.
            return error_page(request, NotFound.status, exc.detail, principal)
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
        "pack": pack,
        "quality_min": quality_min,
        "premium_only": premium_only,
        "sort": sort,
    }
    view["options"] = {
        "categories": [(c.value, label(c)) for c in Category],
        "mcn_tiers": [
            *((t.value, label(t)) for t in McnTier),
            ("independent", text["independent"]),
        ],
        "price_bands": [(b.value, (PRICE_BANDS_EN if english else PRICE_BAND_LABELS)[b]) for b in PRICE_BANDS],
        "modes": [(m.value, label(m)) for m in CollaborationMode],
        "sorts": [("score", text["sort_score"]), ("quality", text["sort_quality"])],
        "low_quality": fraud_scores.LOW_QUALITY,
    }
    return render_page(request, "matching.html", principal, view, messages=MESSAGES, status_code=status)


def _targeting(
    session: Session, principal: Principal, pack: str, view: dict[str, Any]
) -> tuple[composition.Targeting | None, int]:
    """The brand's packs for the form, and the chosen one's TGI per creator (None when none is chosen, or it cannot
    be used yet: then the page says why and ranks as without a pack)."""
    view["packs"] = composition.brand_packs(session, principal)
    if not pack.strip():
        return None, 200
    try:
        found = composition.pack_targeting(session, principal, _int_or_none(pack, "pack") or 0)
    except ServiceError as exc:
        view["pack_error"] = exc.detail
        return None, exc.status if isinstance(exc, NotFound) else 200
    view["targeting"] = {
        "pack_id": found.pack_id,
        "name": dict(view["packs"]).get(found.pack_id, ""),
        "released_at": found.release.released_at,
    }
    return found, 200


def targeted(
    items: list[dict[str, Any]], targeting: composition.Targeting, k: int, by_quality: bool = False
) -> list[dict[str, Any]]:
    """The matched creators re-ranked by score × the pack's TGI weight (`audience.composition.target_weight`: the
    TGI's lower bound over the larger of 100 and the candidates' median, within 0.5–2×), those the release cannot
    speak for unweighted (a creator it kept no count for reaches too few members: 0 in the median)."""
    reaches = [targeting.of(item["creator_id"]) for item in items]
    weights = composition.target_weight(
        np.asarray([reach.tgi_low if reach else 0.0 for reach in reaches]),
        np.asarray([bool(reach and reach.reliable) for reach in reaches]),
    )
    for item, reach, weight in zip(items, reaches, weights.tolist(), strict=True):
        item["tgi"] = round(reach.tgi) if reach is not None else None
        item["tgi_reliable"] = reach is not None and reach.reliable
        item["targeted_score"] = round(item["score"] * weight, 4)

    def key(item: dict[str, Any]) -> tuple[float, ...]:
        quality = item.get("audience_quality")
        first = (-(quality if quality is not None else -1),) if by_quality else ()
        return (*first, -item["targeted_score"], item["rank"])

    ranked = sorted(items, key=key)[:k]
    for position, item in enumerate(ranked, start=1):
        item["rank"] = position
    return ranked


def _int_or_none(raw: str, name: str) -> int | None:
    if not raw.strip():
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(f"{name} must be a whole number, got '{raw}'") from None
