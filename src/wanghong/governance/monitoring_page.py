"""商品监测: findings, a product's price history and 绿色直播间; read-only for the regulator, a brand sees its own
products."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.governance import monitoring, rooms
from wanghong.governance.engine.pricing import PricePoint
from wanghong.governance.messages import TEXT, helpers
from wanghong.governance.models import FindingKind
from wanghong.kit.http import DbSession
from wanghong.kit.pages import language_of, page_router
from wanghong.workspace.screens import Screen, show

router = page_router(__file__)
MONITORING_PAGE = "/workspace/monitoring"


_CHART_W, _CHART_H, _PAD = 720, 220, 44


def price_chart(listed: list[PricePoint], sold: list[PricePoint], elsewhere: list[PricePoint]) -> dict[str, Any]:
    """The listed price as a step line, sales and other channels as dots: inline SVG coordinates, no script."""
    every = listed + sold + elsewhere
    if not every:
        return {}
    t0 = min(p.at for p in every).timestamp()
    t1 = max(max(p.at for p in every).timestamp(), t0 + 1)
    low, high = min(p.fen for p in every), max(p.fen for p in every)
    span = max(high - low, 1)
    levels = {p.fen for p in listed} | {low, high}

    def x(point: PricePoint) -> float:
        return round(_PAD + (point.at.timestamp() - t0) / (t1 - t0) * (_CHART_W - 2 * _PAD), 1)

    def y(fen: int) -> float:
        return round(_CHART_H - _PAD / 2 - (fen - low) / span * (_CHART_H - _PAD), 1)

    steps: list[str] = []
    for i, point in enumerate(listed):
        if i:
            steps.append(f"L{x(point)},{y(listed[i - 1].fen)}")
        steps.append(f"{'M' if not i else 'L'}{x(point)},{y(point.fen)}")
    if listed:
        steps.append(f"L{_CHART_W - _PAD},{y(listed[-1].fen)}")
    return {
        "width": _CHART_W,
        "height": _CHART_H,
        "path": " ".join(steps),
        "sold": [{"x": x(p), "y": y(p.fen), "fen": p.fen} for p in sold],
        "elsewhere": [{"x": x(p), "y": y(p.fen), "fen": p.fen, "channel": p.channel} for p in elsewhere],
        # Every listed price gets its gridline while they are few; otherwise the lowest and the highest.
        "ticks": [{"y": y(v), "fen": v} for v in sorted(levels if len(levels) <= 6 else {low, high})],
        "first": min(p.at for p in every),
        "last": max(p.at for p in every),
    }


def _monitoring_screen(language: str, kind: str, product_id: int | None, cursor: str | None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        chosen = FindingKind(kind) if kind else None
        page = monitoring.findings(session, principal, kind=chosen, cursor=cursor)
        chart, product = {}, None
        if product_id is not None:
            prices = monitoring.product_prices(session, principal, product_id)
            chart, product = price_chart(prices.listed, prices.sold, prices.elsewhere), prices.product
        platform = principal.role.value in ("admin", "reviewer", "regulator")
        found_rooms = rooms.rooms(session, principal)[0] if platform else []
        return base | {
            "lines": page.items,
            "next_cursor": page.next_cursor,
            "counts": monitoring.finding_counts(session, principal),
            "chart": chart,
            "product": product,
            "rooms": found_rooms,
            "platform": platform,
        }

    base: dict[str, Any] = {
        "kinds": list(FindingKind),
        "outcomes": list(monitoring.Outcome),
        "chosen": kind,
        "product_id": product_id,
        **helpers(language),
    }
    empty = base | {"lines": [], "counts": {}, "chart": {}, "product": None, "rooms": [], "platform": False}
    return Screen(MONITORING_PAGE, "governance_monitoring.html", view, empty, TEXT)


@router.get(MONITORING_PAGE, response_class=HTMLResponse)
def monitoring_page(
    request: Request, session: DbSession, kind: str = "", product: int | None = None, cursor: str | None = None
) -> Response:
    chosen = kind if kind in FindingKind._value2member_map_ else ""
    product_id = product if product is not None and 0 < product <= 2**31 - 1 else None
    return show(request, session, _monitoring_screen(language_of(request), chosen, product_id, cursor))
