"""`GET /api/v1/products/{id}/matches` — creators ranked for one of the brand's products (选品中心).

Mount under the /api/v1 prefix: `api.include_router(matching.router)`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.kit import cache
from wanghong.kit.db.base import INTEGER_MAX
from wanghong.kit.http import DbSession, WarmEngines
from wanghong.kit.schemas import PathId
from wanghong.matching import service
from wanghong.matching.engine import MAX_K

router = APIRouter(tags=["选品中心 / matching"])
# A ranking also moves with the clock (品牌优先合作权's first-look window, how recent a violation is), not only with
# the data: a stored answer is reused for at most this long, besides being unchanged in every table it read.
MATCHES_MAX_AGE_S = 5.0


def _split(values: list[str] | None) -> tuple[str, ...]:
    """Accept both repeated parameters (?region=a&region=b) and comma lists (?region=a,b)."""
    out: list[str] = []
    for value in values or []:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return tuple(out)


@router.get(
    "/products/{product_id}/matches",
    # The document keeps the shape it had; the route itself answers with the stored bytes (a Response).
    response_model=dict[str, Any],
    summary="达人匹配 / Creators matched to a product",
    description="Ranked creators whose fan persona fits the product, with persona overlaps and an expected GMV "
    "range (10th–90th percentile). Filters: category, followers_min/max, mcn_tier (S, A, B, unrated, "
    "independent), region, price_band (budget, mid, premium, luxury), exclude_penalised (default true), "
    "available, quality_min (只看优质流量: audience-quality score 0–100 from the latest fraud scan; creators not yet "
    "scored are left out). sort=quality ranks by audience quality, the match score breaking ties (unscored last); "
    "each item carries audience_quality (null where not scored). List filters take repeated or comma-separated "
    "values. The answer carries an `ETag`: send it back as `If-None-Match` and an unchanged ranking answers 304.",
)
async def product_matches(
    request: Request,
    product_id: PathId,
    session: DbSession,
    principal: CurrentPrincipal,
    runtime: WarmEngines,
    k: Annotated[int, Query(ge=1, le=MAX_K)] = 50,
    category: Annotated[list[str] | None, Query()] = None,
    followers_min: Annotated[int | None, Query(ge=0, le=INTEGER_MAX)] = None,
    followers_max: Annotated[int | None, Query(ge=0, le=INTEGER_MAX)] = None,
    mcn_tier: Annotated[list[str] | None, Query()] = None,
    region: Annotated[list[str] | None, Query()] = None,
    price_band: Annotated[list[str] | None, Query()] = None,
    exclude_penalised: bool = True,
    available: bool = False,
    quality_min: Annotated[int | None, Query(ge=0, le=100)] = None,
    sort: Annotated[Literal["score", "quality"], Query()] = "score",
) -> Response:
    asked = service.MatchRequest(
        k=k,
        categories=_split(category),
        followers_min=followers_min,
        followers_max=followers_max,
        mcn_tiers=_split(mcn_tier),
        regions=_split(region),
        price_bands=_split(price_band),
        exclude_penalised=exclude_penalised,
        available_only=available,
        quality_min=quality_min,
        sort=sort,
    )

    def render() -> bytes:
        return cache.json_bytes(service.match_product(session, principal, product_id, asked, runtime))

    key = ("matches", product_id, cache.scope_key(principal), asked)
    # Async: a stored ranking costs no thread hop; a miss ranks in the threadpool.
    body, etag = await runtime.get(cache.RESPONSES).answer_async(session, key, render, max_age=MATCHES_MAX_AGE_S)
    return cache.json_response(request, body, etag)
