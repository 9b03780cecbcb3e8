"""达人广场 over the API: the market's creators (filtered, sorted, paged), rate cards and a brand's 收藏夹."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.domain import Category, FollowerTier, Segment
from wanghong.kit.http import DbSession
from wanghong.kit.listing import PageQuery
from wanghong.kit.paging import DEFAULT_PAGE_SIZE, PAGED, PageLimit, page_body, paged_route
from wanghong.kit.schemas import PathId
from wanghong.marketplace import service
from wanghong.marketplace.models import RateCard
from wanghong.marketplace.schemas import (
    FavouriteIn,
    FavouriteOut,
    FavouritePageOut,
    MarketPageOut,
    McnTierFilter,
    RateCardIn,
    RateCardOut,
    Sort,
)

router = APIRouter()
MARKET: list[str | Enum] = ["达人广场 / creator marketplace"]


def market_item(row: service.MarketRow) -> dict[str, Any]:
    c = row.creator
    return {
        "id": c.id,
        "handle": c.handle,
        "display_name": c.display_name,
        "platform": c.platform,
        "categories": list(c.categories or []),
        "region": c.region,
        "followers": c.followers,
        "follower_tier": c.follower_tier,
        "mcn_id": c.mcn_id,
        "mcn_name": row.mcn.name if row.mcn else None,
        "mcn_tier": row.mcn.tier if row.mcn else None,
        "gmv": row.gmv,
        "segments": row.segments,
        "rate_card": _card(c.id, row.rate_card) if row.rate_card else None,
        "favourite": row.favourite,
    }


def _card(creator_id: int, card: RateCard | None) -> dict[str, Any]:
    if card is None:
        return {"creator_id": creator_id, **dict.fromkeys(RateCardIn.model_fields), "updated_at": None}
    return RateCardOut.model_validate(card).model_dump()


@router.get(
    "/marketplace/creators",
    response_model=MarketPageOut,
    tags=MARKET,
    summary="达人广场 / Search the platform's creators",
    description="Brands and administrators. Every filter is optional; `segment` keeps creators with at least "
    f"{service.SEGMENT_SHARE_FLOOR:.0%} of their fans in that segment. Sorted largest first. " + PAGED,
)
def search_creators(
    session: DbSession,
    principal: CurrentPrincipal,
    keyword: Annotated[str, Query(max_length=64, description="part of the handle or the display name")] = "",
    category: Category | None = None,
    region: Annotated[str, Query(max_length=32)] = "",
    followers_min: Annotated[int | None, Query(ge=0)] = None,
    followers_max: Annotated[int | None, Query(ge=0)] = None,
    follower_tier: FollowerTier | None = None,
    mcn_tier: McnTierFilter | None = None,
    segment: Segment | None = None,
    sort: Sort = Sort.FOLLOWERS,
    limit: PageLimit = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> dict[str, Any]:
    query = service.CreatorQuery(
        keyword=keyword,
        category=category,
        region=region,
        followers_min=followers_min,
        followers_max=followers_max,
        follower_tier=follower_tier,
        mcn_tier=mcn_tier.value if mcn_tier else "",
        segment=segment,
        sort=sort,
    )
    page = service.search_creators(session, principal, query, limit, cursor)
    return page_body(page, market_item)


@router.get(
    "/creators/{ident}/rate-card",
    response_model=RateCardOut,
    tags=MARKET,
    summary="报价 / A creator's rate card (the creator, its MCN, administrators)",
    description="Brands read rate cards in the marketplace's creator rows. Prices never quoted are null.",
)
def get_rate_card(ident: PathId, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    return _card(ident, service.rate_card(session, principal, ident))


@router.put(
    "/creators/{ident}/rate-card",
    response_model=RateCardOut,
    tags=MARKET,
    summary="更新报价 / Replace a creator's rate card (the creator or its MCN)",
)
def put_rate_card(ident: PathId, data: RateCardIn, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    return _card(ident, service.put_rate_card(session, principal, ident, data))


@paged_route(router, "/favourites", FavouritePageOut, "收藏夹 / The brand's saved creators, latest first", tags=MARKET)
def list_favourites(session: DbSession, principal: CurrentPrincipal, page: PageQuery) -> dict[str, Any]:
    return page_body(service.favourites(session, principal, page.limit, page.cursor))


@router.post(
    "/favourites",
    response_model=FavouriteOut,
    status_code=201,
    tags=MARKET,
    summary="收藏达人 / Save a creator to the brand's 收藏夹 (409 if it is there already)",
)
def add_favourite(data: FavouriteIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return service.add_favourite(session, principal, data)


@router.delete(
    "/favourites/{ident}",
    status_code=204,
    response_class=Response,
    tags=MARKET,
    summary="取消收藏 / Remove a favourite",
)
def remove_favourite(ident: PathId, session: DbSession, principal: CurrentPrincipal) -> Response:
    service.remove_favourite(session, principal, ident)
    return Response(status_code=204)
