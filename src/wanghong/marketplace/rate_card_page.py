"""我的报价: the rate card a creator (or its MCN) quotes brands, prices in 元 and live commission in %."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from wanghong.accounts.deps import signed_in
from wanghong.accounts.principal import Principal
from wanghong.kit.errors import InvalidInput, NotFound, ServiceError
from wanghong.kit.http import DbSession, FormSession
from wanghong.kit.pages import page_router, sign_in, text_for
from wanghong.marketplace import service
from wanghong.marketplace.messages import MESSAGES, localised, market_screen, word_view
from wanghong.marketplace.schemas import RateCardIn
from wanghong.workspace.screens import Screen, page, refused, show

router = page_router(__file__)

RATE_CARD_PATH = "/workspace/rate-card"
PRICES = ("video_short", "video_medium", "video_long", "live_slot_fee")


def _rate_card(request: Request, creator_id: int | None, typed: dict[str, str] | None = None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        roster = localised(request, lambda: service.quoting_for(session, principal), "m_forbidden_card")
        chosen = next((c for c in roster if c.id == creator_id), roster[0] if roster else None)
        if creator_id is not None and (chosen is None or chosen.id != creator_id):
            raise NotFound(text_for(request, MESSAGES)["m_not_found"])
        card = service.rate_card(session, principal, chosen.id) if chosen else None
        values = typed or _card_form(card)
        return word_view(request, {"roster": roster, "chosen": chosen, "card": card, "values": values})

    empty = word_view(request, {"roster": [], "chosen": None, "card": None, "values": {}})
    return market_screen(RATE_CARD_PATH, "marketplace_rate_card.html", view, empty)


def _card_form(card: Any) -> dict[str, str]:
    if card is None:
        return {}
    values = {name: ("" if getattr(card, name) is None else f"{getattr(card, name):.2f}") for name in PRICES}
    rate = card.live_commission_rate
    values["live_commission"] = "" if rate is None else f"{rate * 100:g}"
    return values


def _card_input(request: Request, typed: dict[str, str]) -> RateCardIn:
    """The form's prices (元) and commission (%) as the API's rate card, each refusal in the page's language."""
    text = text_for(request, MESSAGES)
    values: dict[str, Any] = {}
    for name in PRICES:
        raw = typed.get(name, "").replace(",", "").replace("¥", "").strip()
        if not raw:
            values[name] = None
            continue
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise InvalidInput(text["m_bad_price"].format(field=text[f"m_{name}"])) from None
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise InvalidInput(text["m_bad_price"].format(field=text[f"m_{name}"]))
        values[name] = amount
    raw = typed.get("live_commission", "").replace("%", "").strip()
    if raw:
        try:
            share = float(raw) / 100
        except ValueError:
            raise InvalidInput(text["m_bad_commission"]) from None
        if not 0 <= share <= 1:
            raise InvalidInput(text["m_bad_commission"])
        values["live_commission_rate"] = share
    try:
        return RateCardIn.model_validate(values)
    except ValidationError as exc:
        raise InvalidInput(text["m_bad_price"].format(field=", ".join(str(e["loc"][0]) for e in exc.errors()))) from exc


@router.get(RATE_CARD_PATH, response_class=HTMLResponse)
def rate_card_page(request: Request, session: DbSession, creator_id: int | None = None) -> Response:
    return show(request, session, _rate_card(request, creator_id))


@router.post(RATE_CARD_PATH, response_class=HTMLResponse)
def save_rate_card(
    request: Request,
    session: FormSession,
    creator_id: Annotated[int, Form()],
    video_short: Annotated[str, Form()] = "",
    video_medium: Annotated[str, Form()] = "",
    video_long: Annotated[str, Form()] = "",
    live_slot_fee: Annotated[str, Form()] = "",
    live_commission: Annotated[str, Form()] = "",
) -> Response:
    principal = signed_in(request, session)
    if principal is None:
        return sign_in()
    typed = {
        "video_short": video_short,
        "video_medium": video_medium,
        "video_long": video_long,
        "live_slot_fee": live_slot_fee,
        "live_commission": live_commission,
    }
    try:
        data = _card_input(request, typed)
        localised(request, lambda: service.put_rate_card(session, principal, creator_id, data), "m_forbidden_card")
    except (ServiceError, ValueError) as exc:
        error, status = refused(session, exc)
        screen = _rate_card(request, creator_id, typed)
        try:
            view = screen.view(session, principal)
        except ServiceError:
            view = screen.empty
        return page(request, principal, screen.template, view, error, status, MESSAGES)
    return RedirectResponse(f"{RATE_CARD_PATH}?{urlencode({'creator_id': creator_id, 'saved': 1})}", status_code=303)
