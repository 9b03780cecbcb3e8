"""达人广场 pages: search with 收藏 and compare, the 收藏夹, compare side by side, 达人详情, and 我的报价.

Built on `workspace.screens` like every workspace page: each GET shows a `Screen`, each form post takes a step and
goes back (to the search the reader came from, filters kept) with a 303. Errors a reader can cause from these
pages (too many to compare, a creator that is not there, a filter value the page does not offer) are worded in
the page's language.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from wanghong.accounts.deps import signed_in
from wanghong.accounts.principal import Principal
from wanghong.domain import Category, FollowerTier, McnTier, Segment
from wanghong.fraud import scores as fraud_scores
from wanghong.kit.errors import InvalidInput, ServiceError
from wanghong.kit.http import DbSession, FormSession
from wanghong.kit.pages import language_of, page_router, sign_in, text_for
from wanghong.marketplace import rate_card_page, service
from wanghong.marketplace.messages import MESSAGES, localised, market_screen, word_view, words_for
from wanghong.marketplace.schemas import INDEPENDENT, Sort
from wanghong.workspace.screens import Filters, Screen, page, refused, show

router = page_router(__file__)
LISTED = 20  # creators per page of the search and the 收藏夹

__all__ = ["MESSAGES", "router", "words_for"]


# --- 达人广场 ----------------------------------------------------------------------------------------------------

MARKET_PATH = "/workspace/creators"


def _options(request: Request) -> dict[str, Any]:
    word = words_for(language_of(request))
    return {
        "categories": [(c.value, word(c)) for c in Category],
        "follower_tiers": [(t.value, word(t)) for t in FollowerTier],
        "mcn_tiers": [(t.value, word(t)) for t in McnTier],
        "segments": [(s.value, word(s)) for s in Segment],
        "sorts": [s.value for s in Sort],
    }


def _query(request: Request, form: dict[str, str]) -> service.CreatorQuery:
    text, read = text_for(request, MESSAGES), Filters.of(request)

    def choice(name: str, kind: type[Any], label: str) -> Any:
        return read.choice(form.get(name, ""), kind, text[label])

    def number(name: str) -> int | None:
        return read.whole(form.get(name, ""), text[f"m_{name}"])

    mcn_tier = form.get("mcn_tier", "")
    if mcn_tier and mcn_tier != INDEPENDENT and mcn_tier not in {t.value for t in McnTier}:
        raise read.refuse(text["m_mcn_tier"])
    followers_min, followers_max = number("followers_min"), number("followers_max")
    if followers_min is not None and followers_max is not None and followers_min > followers_max:
        raise read.refuse(f"{text['m_followers_min']} > {text['m_followers_max']}")
    return service.CreatorQuery(
        keyword=form.get("keyword", "")[:64],
        category=choice("category", Category, "category"),
        region=form.get("region", "")[:32],
        followers_min=followers_min,
        followers_max=followers_max,
        follower_tier=choice("follower_tier", FollowerTier, "m_follower_tier"),
        mcn_tier=mcn_tier,
        segment=choice("segment", Segment, "m_segment"),
        sort=choice("sort", Sort, "m_sort") or Sort.FOLLOWERS,
    )


FILTERS = (
    "keyword",
    "category",
    "region",
    "followers_min",
    "followers_max",
    "follower_tier",
    "mcn_tier",
    "segment",
    "sort",
)


def _market(request: Request, form: dict[str, str], cursor: str | None) -> Screen:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")

    def view(session: Session, principal: Principal) -> dict[str, Any]:
        query = _query(request, form)
        found = localised(request, lambda: service.search_creators(session, principal, query, LISTED, cursor))
        kept = {k: v for k, v in form.items() if v}
        return word_view(
            request,
            {
                "rows": found.items,
                "next_url": f"{MARKET_PATH}?{urlencode(kept | {'cursor': found.next_cursor})}"
                if found.next_cursor
                else None,
                "first_url": f"{MARKET_PATH}?{urlencode(kept)}" if cursor else None,
                "form": form,
                "options": _options(request),
                "regions": localised(request, lambda: service.regions(session, principal)),
                "here": here,
            },
        )

    empty = word_view(
        request,
        {
            "rows": [],
            "next_url": None,
            "first_url": None,
            "form": form,
            "options": _options(request),
            "regions": [],
            "here": here,
        },
    )
    return market_screen(MARKET_PATH, "marketplace_creators.html", view, empty)


@router.get(MARKET_PATH, response_class=HTMLResponse)
def market_page(
    request: Request,
    session: DbSession,
    keyword: str = "",
    category: str = "",
    region: str = "",
    followers_min: str = "",
    followers_max: str = "",
    follower_tier: str = "",
    mcn_tier: str = "",
    segment: str = "",
    sort: str = "",
    cursor: str | None = None,
) -> Response:
    form = {
        "keyword": keyword,
        "category": category,
        "region": region,
        "followers_min": followers_min,
        "followers_max": followers_max,
        "follower_tier": follower_tier,
        "mcn_tier": mcn_tier,
        "segment": segment,
        "sort": sort,
    }
    return show(request, session, _market(request, form, cursor))


def _back(raw: str, default: str) -> str:
    """Where a form goes back to: a workspace page of this site only (never an address elsewhere)."""
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or not parts.path.startswith("/workspace/"):
        return default
    return parts.path + (f"?{parts.query}" if parts.query else "")


@router.post(MARKET_PATH + "/{creator_id}/favourite", response_class=HTMLResponse)
def toggle_favourite(
    request: Request,
    session: FormSession,
    creator_id: int,
    keep: Annotated[str, Form()] = "1",
    back: Annotated[str, Form()] = MARKET_PATH,
) -> Response:
    principal = signed_in(request, session)
    if principal is None:
        return sign_in()
    target = _back(back, MARKET_PATH)
    try:
        localised(request, lambda: service.toggle_favourite(session, principal, creator_id, keep == "1"))
    except (ServiceError, ValueError) as exc:
        error, status = refused(session, exc)
        screen = _market(request, {}, None)
        try:
            view = screen.view(session, principal)
        except ServiceError:
            view = screen.empty
        return page(request, principal, screen.template, view, error, status, MESSAGES)
    joiner = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{joiner}saved=1", status_code=303)


# --- 收藏夹 ------------------------------------------------------------------------------------------------------

FAVOURITES_PATH = "/workspace/favourites"


def _favourites(request: Request, cursor: str | None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        lines, next_cursor = localised(request, lambda: service.favourite_rows(session, principal, LISTED, cursor))
        return word_view(
            request,
            {
                "lines": lines,
                "next_url": f"{FAVOURITES_PATH}?{urlencode({'cursor': next_cursor})}" if next_cursor else None,
                "first_url": FAVOURITES_PATH if cursor else None,
            },
        )

    empty = word_view(request, {"lines": [], "next_url": None, "first_url": None})
    return market_screen(FAVOURITES_PATH, "marketplace_favourites.html", view, empty)


@router.get(FAVOURITES_PATH, response_class=HTMLResponse)
def favourites_page(request: Request, session: DbSession, cursor: str | None = None) -> Response:
    return show(request, session, _favourites(request, cursor))


# --- compare -----------------------------------------------------------------------------------------------------


def _compare(request: Request, raw_ids: list[str]) -> Screen:
    text = text_for(request, MESSAGES)

    def view(session: Session, principal: Principal) -> dict[str, Any]:
        try:
            ids = service.parse_ids(",".join(raw_ids))
        except InvalidInput:
            raise InvalidInput(text["m_bad_ids"]) from None
        if len(ids) > service.COMPARED:
            raise InvalidInput(text["m_too_many"].format(n=len(ids)))
        columns = localised(request, lambda: service.compare(session, principal, ids))
        return word_view(request, {"columns": columns})

    return market_screen(
        MARKET_PATH + "/compare", "marketplace_compare.html", view, word_view(request, {"columns": []})
    )


@router.get(MARKET_PATH + "/compare", response_class=HTMLResponse)
def compare_page(request: Request, session: DbSession, ids: Annotated[list[str] | None, Query()] = None) -> Response:
    return show(request, session, _compare(request, ids or []))


# --- 达人详情 ----------------------------------------------------------------------------------------------------


def _detail(request: Request, creator_id: int, cursor: str | None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        found = localised(request, lambda: service.detail(session, principal, creator_id, cursor))
        later = found.collaborations_cursor
        return word_view(
            request,
            {
                "d": found,
                "next_url": f"{MARKET_PATH}/{creator_id}?{urlencode({'cursor': later})}" if later else None,
                "first_url": f"{MARKET_PATH}/{creator_id}" if cursor else None,
                "here": f"{MARKET_PATH}/{creator_id}",
                "fraud_quality": fraud_scores.quality_section(session, creator_id, language_of(request)),
            },
        )

    empty = word_view(request, {"d": None, "next_url": None, "first_url": None, "here": MARKET_PATH})
    return market_screen(f"{MARKET_PATH}/{creator_id}", "marketplace_detail.html", view, empty)


@router.get(MARKET_PATH + "/{creator_id}", response_class=HTMLResponse)
def detail_page(request: Request, session: DbSession, creator_id: int, cursor: str | None = None) -> Response:
    return show(request, session, _detail(request, creator_id, cursor))


# 我的报价 lives in its own module; its routes are served with these.
router.include_router(rate_card_page.router)
