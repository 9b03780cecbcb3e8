"""Workspace pages: 营销活动 and 商品 for brands, 合作管理 for every party of a collaboration, 站内信, 资金 and
处罚与申诉. The forms and their show / step pattern are in `screens`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.commerce import schemas
from wanghong.domain import CampaignStatus, Category, CollaborationStatus
from wanghong.kit.http import DbSession, FormSession
from wanghong.kit.pages import language_of, page_router, set_inbox
from wanghong.workspace import notifications, service
from wanghong.workspace.screens import Screen, beijing_day, serve, show, step

router = page_router(__file__)
INBOX_PAGE = "/workspace/notifications"
set_inbox(INBOX_PAGE, "/api/v1/notifications/unread-count")

# --- 营销活动 ----------------------------------------------------------------------------------------------------

CAMPAIGNS = Screen(
    "/workspace/campaigns",
    "workspace_campaigns.html",
    lambda session, principal: {"lines": service.brand_campaigns(session, principal)},
    {"lines": []},
)


serve(router, CAMPAIGNS)


@router.post(CAMPAIGNS.path, response_class=HTMLResponse)
def create_campaign(
    request: Request,
    session: FormSession,
    name: Annotated[str, Form()],
    budget: Annotated[str, Form()] = "0",
    starts: Annotated[str, Form()] = "",
    ends: Annotated[str, Form()] = "",
) -> Response:
    def create(principal: Principal) -> object:
        data = schemas.CampaignIn.model_validate(
            {
                "name": name,
                "budget": budget or "0",
                "starts_at": beijing_day(starts, False),
                "ends_at": beijing_day(ends, True),
            }
        )
        return service.create_campaign(session, principal, data)

    return step(request, session, CAMPAIGNS, create)


@router.post(CAMPAIGNS.path + "/{campaign_id}/status", response_class=HTMLResponse)
def move_campaign(request: Request, session: FormSession, campaign_id: int, to: Annotated[str, Form()]) -> Response:
    return step(
        request, session, CAMPAIGNS, lambda p: service.move_campaign(session, p, campaign_id, CampaignStatus(to))
    )


# --- 商品 --------------------------------------------------------------------------------------------------------

PRODUCTS = Screen(
    "/workspace/products",
    "workspace_products.html",
    lambda session, principal: {"lines": service.brand_products(session, principal), "categories": list(Category)},
    {"lines": [], "categories": list(Category)},
)


serve(router, PRODUCTS)


@router.post(PRODUCTS.path, response_class=HTMLResponse)
def create_product(
    request: Request,
    session: FormSession,
    name: Annotated[str, Form()],
    category: Annotated[str, Form()],
    price: Annotated[str, Form()],
    description: Annotated[str, Form()] = "",
) -> Response:
    def create(principal: Principal) -> object:
        fields = {"name": name, "category": category, "price": price, "description": description}
        return service.create_product(session, principal, schemas.ProductIn.model_validate(fields))

    return step(request, session, PRODUCTS, create)


# --- 合作管理 ----------------------------------------------------------------------------------------------------


def _board(status: str = "", creator: int | None = None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        chosen = CollaborationStatus(status) if status else None
        lines, counts = service.collaboration_board(session, principal, chosen, creator)
        return {"lines": lines, "counts": counts, "states": list(CollaborationStatus), "chosen": chosen}

    empty: dict[str, Any] = {"lines": [], "counts": {}, "states": list(CollaborationStatus), "chosen": None}
    return Screen("/workspace/collaborations", "workspace_board.html", view, empty)


@router.get("/workspace/collaborations", response_class=HTMLResponse)
def board_page(request: Request, session: DbSession, status: str = "", creator: int | None = None) -> Response:
    return show(request, session, _board(status, creator))


@router.post("/workspace/collaborations/{collaboration_id}/transitions", response_class=HTMLResponse)
def take_step(
    request: Request,
    session: FormSession,
    collaboration_id: int,
    to: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
    content_url: Annotated[str, Form()] = "",
) -> Response:
    return step(
        request,
        session,
        _board(),
        lambda p: service.take_step(session, p, collaboration_id, CollaborationStatus(to), note, content_url),
    )


# --- 站内信 ------------------------------------------------------------------------------------------------------


def _inbox(language: str, cursor: str | None = None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        inbox = notifications.inbox(session, principal, limit=50, cursor=cursor)
        lines = [(n, notifications.wording(n, language)) for n in inbox.page.items]
        return {"lines": lines, "unread": inbox.unread, "next_cursor": inbox.page.next_cursor}

    return Screen(INBOX_PAGE, "workspace_inbox.html", view, {"lines": [], "unread": 0, "next_cursor": None})


@router.get(INBOX_PAGE, response_class=HTMLResponse)
def inbox_page(request: Request, session: DbSession, cursor: str | None = None) -> Response:
    return show(request, session, _inbox(language_of(request), cursor))


@router.post(f"{INBOX_PAGE}/read", response_class=HTMLResponse)
def mark_all_read(request: Request, session: FormSession) -> Response:
    return step(request, session, _inbox(language_of(request)), lambda p: notifications.mark_read(session, p))


# --- 资金 and 处罚与申诉 ------------------------------------------------------------------------------------------

MONEY = Screen(
    "/workspace/money",
    "workspace_money.html",
    lambda session, principal: {"money": service.money(session, principal)},
    {"money": None},
)
PENALTIES = Screen(
    "/workspace/penalties",
    "workspace_penalties.html",
    lambda session, principal: {"lines": service.penalties(session, principal)},
    {"lines": []},
)


serve(router, MONEY)
serve(router, PENALTIES)


@router.post(PENALTIES.path + "/{penalty_id}/appeal", response_class=HTMLResponse)
def appeal_penalty(
    request: Request, session: FormSession, penalty_id: int, reason: Annotated[str, Form()] = ""
) -> Response:
    return step(request, session, PENALTIES, lambda p: service.appeal_penalty(session, p, penalty_id, reason))
