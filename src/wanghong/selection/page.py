"""Pages of 选品广场: 商品上架 for brands, the catalog for creators and MCNs, 申样与购物车 for both sides, and a
collaboration's content versions with the 预检 step before a creator confirms a submission."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from wanghong.accounts.deps import signed_in
from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Creator
from wanghong.domain import Category, Role
from wanghong.kit import access
from wanghong.kit.db.base import utcnow
from wanghong.kit.errors import ServiceError
from wanghong.kit.http import DbSession, FormSession
from wanghong.kit.instants import BEIJING
from wanghong.kit.pages import add_templates, sign_in
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
from wanghong.workspace.screens import Screen, page, refused, show, step

add_templates(Path(__file__).with_name("templates"))
router = APIRouter(include_in_schema=False)
PER_PAGE = 20


def _rate(percent: str) -> float | None:
    """A commission typed as a percentage (20 or 20.5) as the rate the services keep (0.2, 0.205)."""
    raw = percent.strip().removesuffix("%")
    return round(float(raw) / 100, 4) if raw else None


# --- 商品上架 (brand) -------------------------------------------------------------------------------------------

LISTINGS = Screen(
    "/workspace/selection/listings",
    "selection_listings.html",
    lambda session, principal: {"lines": service.brand_listings(session, principal), "policies": list(SamplePolicy)},
    {"lines": [], "policies": list(SamplePolicy)},
    SELECTION,
)


@router.get(LISTINGS.path, response_class=HTMLResponse)
def listings_page(request: Request, session: DbSession) -> Response:
    return show(request, session, LISTINGS)


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
            "commission_rate": _rate(commission),
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
        fields: dict[str, Any] = {"commission_rate": _rate(commission), "sample_policy": sample_policy or None}
        if sample_note is not None:
            fields["sample_note"] = sample_note
        if status:
            fields["status"] = status
        update = ListingUpdate.model_validate({k: v for k, v in fields.items() if v is not None})
        return service.change_listing(session, principal, listing_id, update)

    return step(request, session, LISTINGS, act)


# --- 选品广场 (creator, MCN) ------------------------------------------------------------------------------------


def _market(query: service.MarketQuery, number: int, filters: dict[str, str]) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
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
        } | _market_form(filters)

    empty: dict[str, Any] = {
        "market": service.Market([], 0, 0, None),
        "page_number": 1,
        "pages": 1,
        "requested": {},
        "livestreams": [],
        "roster": [],
    } | _market_form(filters)
    return Screen("/workspace/selection", "selection_market.html", view, empty, SELECTION)


def _market_form(filters: dict[str, str]) -> dict[str, Any]:
    return {"filters": filters, "categories": list(Category), "sorts": list(MarketSort)}


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
    filters = {"q": q, "category": category, "min_commission": min_commission, "max_commission": max_commission}
    try:
        query = service.MarketQuery(
            q[:100], category, _rate(min_commission), _rate(max_commission), MarketSort(sort or "newest")
        )
    except ValueError:
        query = service.MarketQuery(q[:100], category)
    filters["sort"] = query.sort.value
    return show(request, session, _market(query, max(page, 1), filters))


_MARKET_BACK = _market(service.MarketQuery(), 1, {"sort": "newest"})


@router.post("/workspace/selection/{listing_id}/samples", response_class=HTMLResponse)
def request_sample(
    request: Request,
    session: FormSession,
    listing_id: int,
    address: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
    creator_id: Annotated[str, Form()] = "",
) -> Response:
    def act(principal: Principal) -> object:
        fields = {
            "listing_id": listing_id,
            "address": address,
            "note": note,
            "creator_id": int(creator_id) if creator_id else None,
        }
        return service.request_sample(session, principal, SampleIn.model_validate(fields))

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


def _samples_view(session: Session, principal: Principal) -> dict[str, Any]:
    creator_side = principal.role in service.CREATOR_SIDE
    livestreams = service.cart_livestreams(session, principal) if creator_side else []
    return {
        "lines": service.sample_lines(session, principal),
        "creator_side": creator_side,
        "livestreams": livestreams,
        "carts": service.carts(session, principal, [s.id for s in livestreams]),
        "pending": SampleStatus.PENDING,
        "now": utcnow(),
    }


SAMPLES = Screen(
    "/workspace/samples",
    "selection_samples.html",
    _samples_view,
    {
        "lines": [],
        "creator_side": False,
        "livestreams": [],
        "carts": {},
        "pending": SampleStatus.PENDING,
        "now": utcnow(),
    },
    SELECTION,
)


@router.get(SAMPLES.path, response_class=HTMLResponse)
def samples_page(request: Request, session: DbSession) -> Response:
    return show(request, session, SAMPLES)


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


@router.post("/workspace/collaborations/{collaboration_id}/content/check", response_class=HTMLResponse)
def check_content(
    request: Request,
    session: FormSession,
    collaboration_id: int,
    title: Annotated[str, Form()],
    video_url: Annotated[str, Form()],
    script: Annotated[str, Form()] = "",
) -> Response:
    """预检: scan what the creator typed and show it back with the findings and a confirm button; nothing is kept."""
    principal = signed_in(request, session)
    if principal is None:
        return sign_in()
    screen = _content(collaboration_id)
    draft = {"title": title, "script": script, "video_url": video_url}
    try:
        view = screen.view(session, principal)
        # The link is checked here too, so the confirm step does not fail on what the pre-check already saw.
        ContentIn.model_validate(draft | {"collaboration_id": collaboration_id})
        checked = ContentCheckIn.model_validate({"title": title, "script": script})
    except (ValidationError, ValueError, ServiceError) as exc:
        error, status = refused(session, exc)
        shown = screen.empty if status == 404 else screen.view(session, principal) | {"draft": draft}
        return page(request, principal, screen.template, shown, error, status, SELECTION)
    found = precheck.scan(checked.title, checked.script)
    return page(request, principal, screen.template, view | {"draft": draft, "scan": found}, messages=SELECTION)


@router.post("/workspace/collaborations/{collaboration_id}/content", response_class=HTMLResponse)
def submit_content(
    request: Request,
    session: FormSession,
    collaboration_id: int,
    title: Annotated[str, Form()],
    video_url: Annotated[str, Form()],
    script: Annotated[str, Form()] = "",
) -> Response:
    def act(principal: Principal) -> object:
        fields = {"collaboration_id": collaboration_id, "title": title, "script": script, "video_url": video_url}
        return service.submit_content(session, principal, ContentIn.model_validate(fields))

    return step(request, session, _content(collaboration_id), act)
