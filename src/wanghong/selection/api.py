"""选品广场 over the API: listings (brands), the catalog (creators, MCNs), sample requests, livestream cart items
and content versions with their compliance pre-check."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.accounts.principal import require_role
from wanghong.domain import Role
from wanghong.kit import idempotency
from wanghong.kit.http import DbSession
from wanghong.kit.listing import PageQuery
from wanghong.kit.paging import (
    DEFAULT_PAGE_SIZE,
    PageLimit,
    decode_cursor,
    encode_cursor,
    page_body,
    page_schema,
    paged_route,
)
from wanghong.kit.schemas import PathId
from wanghong.selection import precheck, service
from wanghong.selection.models import CartItem, ContentVersion, Listing, ListingStatus, SampleRequest, SampleStatus
from wanghong.selection.schemas import (
    CartItemIn,
    CartItemOut,
    ContentCheckIn,
    ContentIn,
    ContentVersionOut,
    ListingIn,
    ListingOut,
    ListingUpdate,
    MarketSort,
    OfferPage,
    SampleDecisionIn,
    SampleIn,
    SampleOut,
    ScanOut,
)

router = APIRouter(prefix="/selection", tags=["选品广场 / selection"])

ListingPage = page_schema(ListingOut)
SamplePage = page_schema(SampleOut)
CartPage = page_schema(CartItemOut)
VersionPage = page_schema(ContentVersionOut)


# --- listings ---------------------------------------------------------------------------------------------------


@paged_route(router, "/listings", ListingPage, "商品上架 / The brand's listings")
def list_listings(
    session: DbSession, principal: CurrentPrincipal, page: PageQuery, status: ListingStatus | None = None
) -> dict[str, Any]:
    return page_body(service.listings_page(session, principal, page, status=status))


@router.post("/listings", response_model=ListingOut, status_code=201, summary="上架 / Open a product for distribution")
def open_listing(data: ListingIn, session: DbSession, principal: CurrentPrincipal) -> Listing:
    return service.open_listing(session, principal, data)


@router.patch(
    "/listings/{listing_id}",
    response_model=ListingOut,
    summary="修改或下架 / Change a listing's terms, close or reopen it",
)
def change_listing(listing_id: int, data: ListingUpdate, session: DbSession, principal: CurrentPrincipal) -> Listing:
    return service.change_listing(session, principal, listing_id, data)


@router.get(
    "/market",
    response_model=OfferPage,
    summary="选品广场 / Open listings a creator can sell",
    description="Filtered and sorted; pass `next_cursor` back as `cursor` until it is null.",
)
def browse(
    session: DbSession,
    principal: CurrentPrincipal,
    q: Annotated[str, Query(max_length=100, description="words in the product, its copy or the brand")] = "",
    category: Annotated[str, Query(max_length=32)] = "",
    min_commission: Annotated[float | None, Query(ge=0, le=1, description="lowest commission rate (0.2 = 20%)")] = None,
    max_commission: Annotated[float | None, Query(ge=0, le=1)] = None,
    sort: MarketSort = MarketSort.NEWEST,
    limit: PageLimit = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> dict[str, Any]:
    query = service.MarketQuery(q, category, min_commission, max_commission, sort)
    # The order is not the key, so the cursor carries the position of the next page.
    found = service.market(session, principal, query, limit=limit, offset=decode_cursor(cursor) if cursor else 0)
    items = [
        {
            "listing_id": o.listing.id,
            "product_id": o.product.id,
            "product": o.product.name,
            "description": o.product.description,
            "category": o.product.category,
            "price": o.product.price,
            "brand": o.brand,
            "commission_rate": o.listing.commission_rate,
            "commission_per_sale": o.per_sale,
            "sample_policy": o.listing.sample_policy,
            "sample_note": o.listing.sample_note,
            "listed_at": o.listing.created_at,
        }
        for o in found.offers
    ]
    following = encode_cursor(found.next_offset) if found.next_offset is not None else None
    return {"items": items, "next_cursor": following, "total": found.total}


# --- sample requests --------------------------------------------------------------------------------------------


@paged_route(router, "/samples", SamplePage, "申样 / Sample requests, newest first")
def list_samples(
    session: DbSession,
    principal: CurrentPrincipal,
    page: PageQuery,
    status: SampleStatus | None = None,
    listing_id: int | None = None,
) -> dict[str, Any]:
    return page_body(service.samples_page(session, principal, page, status=status, listing_id=listing_id))


@router.post(
    "/samples",
    response_model=SampleOut,
    status_code=201,
    summary="申样 / Request a sample of a listed product",
    description="One open request per creator and product: a second while one is pending or approved is a 409. "
    f"Send an `{idempotency.HEADER}` header to make retries safe: the same key with the same body answers with "
    "the request the first call created; the same key with another body is a 409.",
)
def request_sample(
    data: SampleIn,
    session: DbSession,
    principal: CurrentPrincipal,
    idempotency_key: Annotated[
        str | None, Header(alias=idempotency.HEADER, min_length=1, max_length=idempotency.MAX_KEY_LENGTH)
    ] = None,
) -> SampleRequest:
    return service.request_sample_once(session, principal, data, idempotency_key, scope="POST /selection/samples")


@router.post(
    "/samples/{request_id}/decision",
    response_model=SampleOut,
    summary="审核申样 / Approve or decline a sample request (once; a second decision is a 409)",
)
def decide_sample(
    request_id: PathId, data: SampleDecisionIn, session: DbSession, principal: CurrentPrincipal
) -> SampleRequest:
    return service.decide_sample(session, principal, request_id, data)


# --- cart items -------------------------------------------------------------------------------------------------


@paged_route(router, "/cart-items", CartPage, "购物车 / Products in livestream carts")
def list_cart_items(
    session: DbSession, principal: CurrentPrincipal, page: PageQuery, livestream_id: int | None = None
) -> dict[str, Any]:
    return page_body(service.cart_page(session, principal, page, livestream_id=livestream_id))


@router.post(
    "/cart-items",
    response_model=CartItemOut,
    status_code=201,
    summary="加入购物车 / Put a listed product in an upcoming or live session's cart",
)
def add_cart_item(data: CartItemIn, session: DbSession, principal: CurrentPrincipal) -> CartItem:
    return service.add_to_cart(session, principal, data)


@router.delete("/cart-items/{item_id}", status_code=204, summary="移出购物车 / Take a product out of a cart")
def remove_cart_item(item_id: int, session: DbSession, principal: CurrentPrincipal) -> Response:
    service.remove_from_cart(session, principal, item_id)
    return Response(status_code=204)


# --- content versions -------------------------------------------------------------------------------------------


@router.post(
    "/content-checks",
    response_model=ScanOut,
    summary="内容预检 / Scan a title and script before submitting them (nothing is stored)",
)
def check_content(data: ContentCheckIn, principal: CurrentPrincipal) -> dict[str, Any]:
    require_role(principal, Role.CREATOR, Role.MCN_MANAGER, action="pre-checking content")
    found = precheck.scan(data.title, data.script)
    return {"verdict": found.verdict, "score": found.score, "hits": found.hits}


@paged_route(
    router, "/content-versions", VersionPage, "内容版本 / Submitted content versions with their scans, newest first"
)
def list_versions(
    session: DbSession, principal: CurrentPrincipal, page: PageQuery, collaboration_id: int | None = None
) -> dict[str, Any]:
    return page_body(service.versions_page(session, principal, page, collaboration_id=collaboration_id))


@router.post(
    "/content-versions",
    response_model=ContentVersionOut,
    status_code=201,
    summary="提交内容 / Submit content (title, script, video link): scanned, kept as a new version, sent to the brand",
)
def submit_content(data: ContentIn, session: DbSession, principal: CurrentPrincipal) -> ContentVersion:
    return service.submit_content(session, principal, data)
