"""Pages of 选品广场: 商品上架 for brands, the catalog for creators and MCNs, 申样与购物车 for both sides, and a
collaboration's content versions with the 预检 step before a creator confirms a submission."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Creator
from wanghong.domain import Category, Role
from wanghong.kit import access, idempotency
from wanghong.kit.db.base import utcnow
from wanghong.kit.errors import InvalidInput
from wanghong.kit.http import DbSession, FormSession
from wanghong.kit.instants import BEIJING
from wanghong.kit.pages import page_router, text_for
from wanghong.selection import precheck, service
from wanghong.selection.messages import SELECTION
from wanghong.selection.models import SamplePolicy, SampleStatus
from wanghong.selection.schemas import (
    CartItemIn,
    ContentCheckIn,
    ContentIn,
    ListingIn,
    ListingUpdate,
    MarketSort,
    SampleDecisionIn,
    SampleIn,
)
from wanghong.workspace.screens import Filters, Screen, preview, show, step

router = page_router(__file__)
PER_PAGE = 20


# --- 商品上架 (brand) -------------------------------------------------------------------------------------------

LISTINGS_PATH = "/workspace/selection/listings"


def _commission(request: Request, typed: str) -> float | None:
    return Filters.of(request).percent(typed, text_for(request, SELECTION)["commission"])


def _listings(cursor: str | None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        lines, following = service.brand_listings(session, principal, limit=PER_PAGE, cursor=cursor)
        return {"lines": lines, "policies": list(SamplePolicy)} | _pager(LISTINGS_PATH, {}, cursor, following)

    empty = {"lines": [], "policies": list(SamplePolicy)} | _pager(LISTINGS_PATH, {}, None, None)
    return Screen(LISTINGS_PATH, "selection_listings.html", view, empty, SELECTION)


def _pager(path: str, kept: dict[str, str], cursor: str | None, following: str | None) -> dict[str, str | None]:
    """Links to the next (older) page and back to the newest, keeping the table's filters."""
    return {
        "next_url": f"{path}?{urlencode(kept | {'cursor': following})}" if following else None,
        "first_url": (f"{path}?{urlencode(kept)}" if kept else path) if cursor else None,
    }


LISTINGS = _listings(None)


@router.get(LISTINGS_PATH, response_class=HTMLResponse)
def listings_page(request: Request, session: DbSession, cursor: str | None = None) -> Response:
    return show(request, session, _listings(cursor))


@router.post(LISTINGS.path, response_class=HTMLResponse)
def open_listing(
    request: Request,
    session: FormSession,
    product_id: Annotated[int, Form()],
    commission: Annotated[str, Form()],
    sample_policy: Annotated[str, Form()] = "none",
    sample_note: Annotated[str, Form()] = "",
) -> Response:
    def act(principal: Principal) -> object:
        fields = {
            "product_id": product_id,
            "commission_rate": _commission(request, commission),
            "sample_policy": sample_policy,
            "sample_note": sample_note,
        }
        return service.open_listing(session, principal, ListingIn.model_validate(fields))

    return step(request, session, LISTINGS, act)


@router.post(LISTINGS.path + "/{listing_id}", response_class=HTMLResponse)
def change_listing(
    request: Request,
    session: FormSession,
    listing_id: int,
    commission: Annotated[str, Form()] = "",
    sample_policy: Annotated[str, Form()] = "",
    sample_note: Annotated[str | None, Form()] = None,
    status: Annotated[str, Form()] = "",
) -> Response:
    def act(principal: Principal) -> object:
        fields: dict[str, Any] = {
            "commission_rate": _commission(request, commission),
            "sample_policy": sample_policy or None,
        }
        if sample_note is not None:
            fields["sample_note"] = sample_note
        if status:
            fields["status"] = status
        update = ListingUpdate.model_validate({k: v for k, v in fields.items() if v is not None})
        return service.change_listing(session, principal, listing_id, update)

    return step(request, session, LISTINGS, act)


# --- 选品广场 (creator, MCN) ------------------------------------------------------------------------------------


def _market(request: Request | None, number: int, filters: dict[str, str]) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        query = _market_query(request, filters)
        found = service.market(session, principal, query, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
        listing_ids = [o.listing.id for o in found.offers]
        roster = (
            list(session.scalars(access.visible_rows(Creator, principal).order_by(Creator.display_name)))
            if principal.role is Role.MCN_MANAGER
            else []
        )
        return {
            "market": found,
            "page_number": number,
            "pages": max(1, -(-found.total // PER_PAGE)),
            "requested": service.my_samples_by_listing(session, principal, listing_ids),
            "livestreams": service.cart_livestreams(session, principal),
            "roster": roster,
            "form_key": uuid.uuid4().hex,
        } | _market_form(filters)

    empty: dict[str, Any] = {
        "market": service.Market([], 0, 0, None),
        "page_number": 1,
        "pages": 1,
        "requested": {},
        "livestreams": [],
        "roster": [],
        "form_key": "",
    } | _market_form(filters)
    return Screen("/workspace/selection", "selection_market.html", view, empty, SELECTION)


def _market_form(filters: dict[str, str]) -> dict[str, Any]:
    return {"filters": filters, "categories": list(Category), "sorts": list(MarketSort)}


def _market_query(request: Request | None, filters: dict[str, str]) -> service.MarketQuery:
    if request is None:  # the page a refused sample request goes back to: the catalog unfiltered
        return service.MarketQuery()
    read, text = Filters.of(request), text_for(request, SELECTION)
    category = read.choice(filters.get("category", ""), Category, text["category"])
    return service.MarketQuery(
        filters.get("q", "")[:100],
        category.value if category else "",
        read.percent(filters.get("min_commission", ""), text["sel_min_pct"]),
        read.percent(filters.get("max_commission", ""), text["sel_max_pct"]),
        read.choice(filters.get("sort", ""), MarketSort, text["sel_sort"]) or MarketSort.NEWEST,
    )


@router.get("/workspace/selection", response_class=HTMLResponse)
def market_page(
    request: Request,
    session: DbSession,
    q: str = "",
    category: str = "",
    min_commission: str = "",
    max_commission: str = "",
    sort: str = "newest",
    page: int = 1,
) -> Response:
    filters = {
        "q": q,
        "category": category,
        "min_commission": min_commission,
        "max_commission": max_commission,
        "sort": sort or MarketSort.NEWEST.value,
    }
    return show(request, session, _market(request, max(page, 1), filters))


_MARKET_BACK = _market(None, 1, {"sort": MarketSort.NEWEST.value})
SAMPLE_FORM = "page POST /workspace/selection/samples"


@router.post("/workspace/selection/{listing_id}/samples", response_class=HTMLResponse)
def request_sample(
    request: Request,
    session: FormSession,
    listing_id: int,
    address: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
    creator_id: Annotated[str, Form()] = "",
    request_key: Annotated[str, Form(max_length=idempotency.MAX_KEY_LENGTH)] = "",
) -> Response:
    def act(principal: Principal) -> object:
        fields = {
            "listing_id": listing_id,
            "address": address,
            "note": note,
            "creator_id": int(creator_id) if creator_id else None,
        }
        data = SampleIn.model_validate(fields)
        # The form's key: a double click's second post finds the first one's request and goes back as it did.
        return service.request_sample_once(session, principal, data, request_key or None, scope=SAMPLE_FORM)

    return step(request, session, _MARKET_BACK, act)


@router.post("/workspace/selection/{listing_id}/cart", response_class=HTMLResponse)
def add_to_cart(
    request: Request, session: FormSession, listing_id: int, livestream_id: Annotated[int, Form()]
) -> Response:
    def act(principal: Principal) -> object:
        data = CartItemIn(livestream_id=livestream_id, listing_id=listing_id)
        return service.add_to_cart(session, principal, data)

    return step(request, session, SAMPLES, act)


# --- 申样与购物车 ------------------------------------------------------------------------------------------------


SAMPLES_PATH = "/workspace/samples"


def _samples(status: SampleStatus | None, cursor: str | None) -> Screen:
    kept = {"status": status.value} if status is not None else {}
    shared: dict[str, Any] = {"pending": SampleStatus.PENDING, "statuses": list(SampleStatus), "status": status}

    def view(session: Session, principal: Principal) -> dict[str, Any]:
        creator_side = principal.role in service.CREATOR_SIDE
        livestreams = service.cart_livestreams(session, principal) if creator_side else []
        lines, following = service.sample_lines(session, principal, status=status, limit=PER_PAGE, cursor=cursor)
        return (
            shared
            | {
                "lines": lines,
                "creator_side": creator_side,
                "livestreams": livestreams,
                "carts": service.carts(session, principal, [s.id for s in livestreams]),
                "now": utcnow(),
            }
            | _pager(SAMPLES_PATH, kept, cursor, following)
        )

    empty = shared | {"lines": [], "creator_side": False, "livestreams": [], "carts": {}, "now": utcnow()}
    return Screen(
        SAMPLES_PATH, "selection_samples.html", view, empty | _pager(SAMPLES_PATH, kept, None, None), SELECTION
    )


SAMPLES = _samples(None, None)


@router.get(SAMPLES_PATH, response_class=HTMLResponse)
def samples_page(request: Request, session: DbSession, status: str = "", cursor: str | None = None) -> Response:
    try:
        chosen = Filters.of(request).choice(status, SampleStatus, text_for(request, SELECTION)["sel_sample_status"])
    except InvalidInput:
        chosen = None  # a tab the page does not offer: all requests, as the unfiltered page shows them
    return show(request, session, _samples(chosen, cursor))


@router.post(SAMPLES.path + "/{request_id}/decision", response_class=HTMLResponse)
def decide_sample(
    request: Request,
    session: FormSession,
    request_id: int,
    decision: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    def act(principal: Principal) -> object:
        data = SampleDecisionIn.model_validate({"decision": decision, "reason": reason})
        return service.decide_sample(session, principal, request_id, data)

    return step(request, session, SAMPLES, act)


@router.post(SAMPLES.path + "/cart/{item_id}/remove", response_class=HTMLResponse)
def remove_from_cart(request: Request, session: FormSession, item_id: int) -> Response:
    return step(request, session, SAMPLES, lambda p: service.remove_from_cart(session, p, item_id))


@router.post(SAMPLES.path + "/livestreams", response_class=HTMLResponse)
def schedule_livestream(
    request: Request, session: FormSession, title: Annotated[str, Form()], starts: Annotated[str, Form()]
) -> Response:
    def act(principal: Principal) -> object:
        # The form's datetime-local is read as 北京时间, as every time on the pages is shown.
        when = datetime.strptime(starts.strip(), "%Y-%m-%dT%H:%M").replace(tzinfo=BEIJING)
        return service.schedule_livestream(session, principal, title.strip()[:300], when)

    return step(request, session, SAMPLES, act)


# --- 内容版本与预检 -----------------------------------------------------------------------------------------------


def _content(collaboration_id: int) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        return {"screen": service.content_screen(session, principal, collaboration_id), "draft": None, "scan": None}

    path = f"/workspace/collaborations/{collaboration_id}/content"
    return Screen(path, "selection_content.html", view, {"screen": None, "draft": None, "scan": None}, SELECTION)


@router.get("/workspace/collaborations/{collaboration_id}/content", response_class=HTMLResponse)
def content_page(request: Request, session: DbSession, collaboration_id: int) -> Response:
    return show(request, session, _content(collaboration_id))


def _typed_content(
    title: Annotated[str, Form()], video_url: Annotated[str, Form()], script: Annotated[str, Form()] = ""
) -> dict[str, str]:
    """The content form as typed: the 预检 and the confirm step read the same three fields."""
    return {"title": title, "script": script, "video_url": video_url}


TypedContent = Annotated[dict[str, str], Depends(_typed_content)]


@router.post("/workspace/collaborations/{collaboration_id}/content/check", response_class=HTMLResponse)
def check_content(request: Request, session: FormSession, collaboration_id: int, draft: TypedContent) -> Response:
    """预检: scan what the creator typed and show it back with the findings and a confirm button; nothing is kept."""

    def scan(principal: Principal) -> dict[str, Any]:
        # The link is checked here too, so the confirm step does not fail on what the pre-check already saw.
        ContentIn.model_validate(draft | {"collaboration_id": collaboration_id})
        checked = ContentCheckIn.model_validate({"title": draft["title"], "script": draft["script"]})
        return {"scan": precheck.scan(checked.title, checked.script)}

    return preview(request, session, _content(collaboration_id), scan, kept={"draft": draft})


@router.post("/workspace/collaborations/{collaboration_id}/content", response_class=HTMLResponse)
def submit_content(request: Request, session: FormSession, collaboration_id: int, draft: TypedContent) -> Response:
    def act(principal: Principal) -> object:
        fields = draft | {"collaboration_id": collaboration_id}
        return service.submit_content(session, principal, ContentIn.model_validate(fields))

    return step(request, session, _content(collaboration_id), act)
