"""What the 反作弊 board shows: for operators the latest scan's flagged orders, rings, low-quality creators and
viewbot rooms; for a brand (or a creator, an MCN) the GMV of the orders it may see beside the fraud-adjusted GMV,
per creator, and its own flagged orders. Reads only; the scan writes (`fraud.service`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Creator, LivestreamSession, Order, Product
from wanghong.domain import Role
from wanghong.fraud import scores
from wanghong.fraud.models import CreatorQuality, FraudRing, FraudScan, OrderFraudScore, RoomEstimate
from wanghong.kit import access
from wanghong.kit.errors import Forbidden
from wanghong.kit.paging import Page, paginate

LOW_QUALITY = scores.LOW_QUALITY
VIEWBOT_ROOM_SHARE = 0.1  # a room is listed as a viewbot room when over a tenth of its sessions are flagged
LISTED = 50  # rows of rings, creators and rooms shown (worst first)
_ROLES = (Role.ADMIN, Role.BRAND_MANAGER, Role.CREATOR, Role.MCN_MANAGER)


@dataclass(frozen=True)
class FlaggedOrder:
    score: OrderFraudScore
    order: Order
    creator: str
    product: str


@dataclass(frozen=True)
class CreatorGmv(scores.FraudAdjusted):
    creator_id: int | None
    creator: str
    reported: Decimal
    flagged: Decimal


@dataclass(frozen=True)
class Board:
    operator: bool
    scan: FraudScan | None
    gmv: scores.AdjustedGmv
    by_creator: list[CreatorGmv]
    orders: Page[FlaggedOrder]
    rings: list[tuple[FraudRing, list[str]]] = field(default_factory=list)
    low_quality: list[tuple[CreatorQuality, str]] = field(default_factory=list)
    rooms: list[tuple[RoomEstimate, str]] = field(default_factory=list)
    low_quality_count: int = 0


def board(session: Session, principal: Principal, cursor: str | None = None, limit: int = 50) -> Board:
    if principal.role not in _ROLES:
        raise Forbidden(
            "反作弊看板仅限运营、品牌、达人与机构 / the fraud board is for operators, brands, creators and MCNs"
        )
    operator = principal.role is Role.ADMIN
    scan = scores.latest_scan(session)
    gmv = scores.adjusted_gmv(session, principal, scan)
    scan_id = scan.id if scan is not None else -1
    flagged_scores = access.visible_rows(OrderFraudScore, principal).where(
        OrderFraudScore.scan_id == scan_id, OrderFraudScore.flagged.is_(True)
    )
    page = paginate(session, flagged_scores, limit, cursor, newest_first=True)
    orders = _orders_of(session, page.items)
    result = Board(
        operator=operator,
        scan=scan,
        gmv=gmv,
        by_creator=[] if operator else _by_creator(session, principal, scan_id),
        orders=Page(orders, page.next_cursor),
        rooms=_rooms(session, principal, scan_id),
    )
    if not operator:
        return result
    names = _names(session)
    rings = session.scalars(
        select(FraudRing).where(FraudRing.scan_id == scan_id).order_by(FraudRing.amount_fen.desc()).limit(LISTED)
    ).all()
    low = session.scalars(
        select(CreatorQuality)
        .where(CreatorQuality.scan_id == scan_id, CreatorQuality.score < LOW_QUALITY)
        .order_by(CreatorQuality.score, CreatorQuality.creator_id)
        .limit(LISTED)
    ).all()
    low_count = session.scalar(
        select(func.count())
        .select_from(CreatorQuality)
        .where(CreatorQuality.scan_id == scan_id, CreatorQuality.score < LOW_QUALITY)
    )
    return Board(
        operator=True,
        scan=scan,
        gmv=gmv,
        by_creator=[],
        orders=result.orders,
        rings=[(ring, [names.get(c, str(c)) for c in ring.creator_ids]) for ring in rings],
        low_quality=[(q, names.get(q.creator_id, str(q.creator_id))) for q in low],
        rooms=result.rooms,
        low_quality_count=int(low_count or 0),
    )


def _names(session: Session, ids: list[int] | None = None) -> dict[int, str]:
    stmt = select(Creator.id, Creator.display_name)
    if ids is not None:
        stmt = stmt.where(Creator.id.in_(ids))
    return {i: name for i, name in session.execute(stmt)}


def _orders_of(session: Session, found: list[OrderFraudScore]) -> list[FlaggedOrder]:
    if not found:
        return []
    rows = session.execute(
        select(Order, Creator.display_name, Product.name)
        .join(Product, Product.id == Order.product_id)
        .outerjoin(Creator, Creator.id == Order.creator_id)
        .where(Order.id.in_([s.order_id for s in found]))
    ).all()
    by_id = {order.id: (order, creator or "—", product) for order, creator, product in rows}
    return [FlaggedOrder(s, *by_id[s.order_id]) for s in found if s.order_id in by_id]


def _by_creator(session: Session, principal: Principal, scan_id: int) -> list[CreatorGmv]:
    flagged = (
        select(OrderFraudScore.order_id)
        .where(OrderFraudScore.scan_id == scan_id, OrderFraudScore.flagged.is_(True))
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Order.creator_id,
            func.coalesce(Creator.display_name, "—"),
            func.sum(Order.amount),
            func.sum(case((Order.id.in_(flagged), Order.amount), else_=0)),
        )
        .outerjoin(Creator, Creator.id == Order.creator_id)
        .where(access.scope_condition(Order, principal))
        .group_by(Order.creator_id, Creator.display_name)
        .order_by(func.sum(Order.amount).desc())
        .limit(LISTED)
    ).all()
    return [CreatorGmv(cid, name, Decimal(total or 0), Decimal(bad or 0)) for cid, name, total, bad in rows]


def _rooms(session: Session, principal: Principal, scan_id: int) -> list[tuple[RoomEstimate, str]]:
    share = RoomEstimate.flagged_sessions * 1.0 / func.nullif(RoomEstimate.sessions, 0)
    rows = session.execute(
        access.visible_rows(RoomEstimate, principal)
        .add_columns(Creator.display_name, LivestreamSession.title)
        .join(Creator, Creator.id == RoomEstimate.creator_id)
        .join(LivestreamSession, LivestreamSession.id == RoomEstimate.livestream_id)
        .where(RoomEstimate.scan_id == scan_id)
        .order_by(share.desc(), RoomEstimate.livestream_id)
        .limit(LISTED)
    ).all()
    return [(room, f"{name} · {title}" if title else name) for room, name, title in rows]


def room_chart_data(rooms: list[tuple[RoomEstimate, str]]) -> dict[str, Any]:
    """Reported and estimated real entries per room, and the worst room's concurrent viewers per minute."""
    worst = rooms[0][0] if rooms and rooms[0][0].flagged_sessions else None
    return {
        "labels": [f"#{room.livestream_id}" for room, _ in rooms],
        "reported": [room.sessions for room, _ in rooms],
        "real": [round(room.estimated_real_entries) for room, _ in rooms],
        "worst": worst.livestream_id if worst is not None else None,
        "minutes": [m[0] for m in worst.minutes] if worst is not None else [],
        "reported_concurrent": [m[3] for m in worst.minutes] if worst is not None else [],
        "real_concurrent": [m[4] for m in worst.minutes] if worst is not None else [],
    }
