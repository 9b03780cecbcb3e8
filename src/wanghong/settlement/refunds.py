"""售后 / after-sales: refunds and consumer complaints (客诉) per order, and the rates the boards show.

**Refunds.** An order is refunded once, in full. Inside the no-reason return window (48 hours by default,
`WANGHONG_RETURN_WINDOW_HOURS`) the commission held on it is reversed to the brand's budget; after the window the
commission has become the creator's (and MCN's and platform's) earnings, so the refund claws the release back — a
compensating transaction, never an edit. After the window a refund needs a reason (it is an after-sales decision,
not a no-reason return). The refund row and its postings commit together; two refunds of one order meet at the
row's unique order id, and the second is a 409.

**Complaints.** Recorded per order by the brand whose product it is, or by an operator. The complaint rate of a
brand, creator or the platform is the share of its orders with at least one complaint (one definition, in
`analytics.metrics`).

**Simulated after-sales.** `simulated_aftersales` refunds and complains about a small, documented, deterministic
share of the stored orders, so that simulated boards show both: `SIMULATED_REFUND_RATE` of orders are refunded
(four in five inside the window) and `SIMULATED_COMPLAINT_RATE` get a complaint (the seed reports below 0.8 %).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Select, Table, distinct, func, insert, select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.models import Order, Product
from wanghong.domain import Role
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import insert_once
from wanghong.kit.errors import Conflict, InvalidInput
from wanghong.kit.paging import Page, paginate
from wanghong.settlement import collaborations, ledger
from wanghong.settlement.engine import Policy
from wanghong.settlement.models import ComplaintCategory as ComplaintCategory  # the door's vocabulary
from wanghong.settlement.models import OrderComplaint, OrderRefund

ORDER_REFUND = "order.refund"
ORDER_COMPLAINT = "order.complaint"

SIMULATED_REFUND_RATE = 0.03  # 3 % of simulated orders are refunded …
SIMULATED_IN_WINDOW = 0.8  # … four in five of them inside the return window
SIMULATED_COMPLAINT_RATE = 0.006  # 0.6 % get a complaint (the seed: below 0.8 %)
_CHUNK = 5_000


class AlreadyRefunded(Conflict, title="Already refunded"):
    """The order was refunded before; a refund is once and in full."""


@dataclass(frozen=True)
class Refunded:
    refund: OrderRefund
    postings: list[ledger.Posted]


@dataclass(frozen=True)
class ComplaintRate:
    """Orders, those with a complaint and those refunded, for one scope (a brand, a creator or the platform)."""

    orders: int
    complained: int
    refunded: int

    @property
    def complaint_rate(self) -> float | None:
        return self.complained / self.orders if self.orders else None

    @property
    def refund_rate(self) -> float | None:
        return self.refunded / self.orders if self.orders else None


def _order_for(session: Session, principal: Principal, order_id: int, action: str) -> Order:
    # Visibility first: an order the caller may not see is a 404 whatever their role, so the answer never depends
    # on whether someone else's order exists; one they see but may not act on (its creator, its MCN) is a 403.
    order = access.get_visible(session, Order, order_id, principal)
    require_role(principal, Role.BRAND_MANAGER, action=action)  # admins pass every role check
    return order


def _within_window(order_id: int, ordered_at: datetime, at: datetime, return_window: timedelta, reason: str) -> bool:
    """Whether a refund at `at` falls inside the no-reason return window; refused when it precedes its order, or
    falls past the window without an after-sales `reason`."""
    if at < ordered_at:
        raise InvalidInput("a refund cannot precede its order", order_id=order_id)
    within = at <= ordered_at + return_window
    if not within and not reason:
        hours = int(return_window.total_seconds() // 3600)
        raise InvalidInput(
            f"order {order_id} is past its {hours}-hour no-reason return window; give the after-sales reason",
            order_id=order_id,
        )
    return within


def refund_order(
    session: Session,
    principal: Principal,
    order_id: int,
    reason: str = "",
    *,
    policy: Policy | None = None,
    at: datetime | None = None,
) -> Refunded:
    """Refund order `order_id` in full as of `at` (now) and post what its commission owes; see the module."""
    order = _order_for(session, principal, order_id, "refunding orders")
    policy = policy or collaborations.current_policy()
    at = at or utcnow()
    reason = reason.strip()
    within = _within_window(order_id, order.ordered_at, at, policy.return_window, reason)
    refund = OrderRefund(
        order_id=order.id,
        amount=order.amount,
        reason=reason,
        within_window=within,
        refunded_at=at,
        recorded_by=principal.user_id or None,  # the CLI acts as user 0, no row
    )
    if not insert_once(session, refund):
        raise AlreadyRefunded(f"order {order_id} was already refunded", order_id=order_id)
    postings = collaborations.settle_orders(session, [order.id], policy, now=at)
    record(
        session,
        principal,
        ORDER_REFUND,
        refund,
        {"order_id": order.id, "amount": str(order.amount), "within_window": within, "postings": len(postings)},
    )
    return Refunded(refund, postings)


def file_complaint(
    session: Session,
    principal: Principal,
    order_id: int,
    category: ComplaintCategory,
    detail: str = "",
    *,
    at: datetime | None = None,
) -> OrderComplaint:
    order = _order_for(session, principal, order_id, "recording complaints")
    complaint = OrderComplaint(
        order_id=order.id,
        category=category,
        detail=detail.strip(),
        filed_at=at or utcnow(),
        filed_by=principal.user_id or None,
    )
    session.add(complaint)
    session.flush()
    record(session, principal, ORDER_COMPLAINT, complaint, {"order_id": order.id, "category": category.value})
    return complaint


def refunds(session: Session, principal: Principal, limit: int, cursor: str | None) -> Page[OrderRefund]:
    return paginate(session, access.visible_rows(OrderRefund, principal), limit, cursor, newest_first=True)


def complaints(
    session: Session, principal: Principal, limit: int, cursor: str | None, order_id: int | None = None
) -> Page[OrderComplaint]:
    query = access.visible_rows(OrderComplaint, principal)
    if order_id is not None:
        query = query.where(OrderComplaint.order_id == order_id)
    return paginate(session, query, limit, cursor, newest_first=True)


def recent_orders(session: Session, principal: Principal, limit: int, cursor: str | None) -> Page[Any]:
    """The orders an after-sales desk works on, newest first, each with its refund (or None) and complaints."""
    require_role(principal, Role.BRAND_MANAGER, action="reading after-sales")
    return paginate(session, access.visible_rows(Order, principal), limit, cursor, newest_first=True)


def aftersales_of(session: Session, order_ids: list[int]) -> tuple[dict[int, OrderRefund], dict[int, int]]:
    """(refund by order, number of complaints by order) for `order_ids`."""
    if not order_ids:
        return {}, {}
    found = {r.order_id: r for r in session.scalars(select(OrderRefund).where(OrderRefund.order_id.in_(order_ids)))}
    counts = dict(
        session.execute(
            select(OrderComplaint.order_id, func.count())
            .where(OrderComplaint.order_id.in_(order_ids))
            .group_by(OrderComplaint.order_id)
        ).all()
    )
    return found, counts


def _rate(session: Session, orders: Select[Any]) -> ComplaintRate:
    ids = orders.subquery()
    total = session.scalar(select(func.count()).select_from(ids)) or 0
    complained = (
        session.scalar(
            select(func.count(distinct(OrderComplaint.order_id))).where(OrderComplaint.order_id.in_(select(ids.c.id)))
        )
        or 0
    )
    refunded = session.scalar(select(func.count()).where(OrderRefund.order_id.in_(select(ids.c.id)))) or 0
    return ComplaintRate(int(total), int(complained), int(refunded))


def complaint_rate(session: Session, *, brand_id: int | None = None, creator_id: int | None = None) -> ComplaintRate:
    """The complaint and refund rates of a brand's orders, a creator's, or (neither given) the platform's."""
    orders = select(Order.id)
    if brand_id is not None:
        orders = orders.where(Order.product_id.in_(select(Product.id).where(Product.brand_id == brand_id)))
    if creator_id is not None:
        orders = orders.where(Order.creator_id == creator_id)
    return _rate(session, orders)


def complained_orders_by_creator(session: Session, start: datetime, end: datetime) -> dict[int, int]:
    """Per creator, how many of its orders placed in [start, end) drew at least one complaint (客诉)."""
    rows = session.execute(
        select(Order.creator_id, func.count(distinct(Order.id)))
        .join(OrderComplaint, OrderComplaint.order_id == Order.id)
        .where(Order.ordered_at >= start, Order.ordered_at < end, Order.creator_id.is_not(None))
        .group_by(Order.creator_id)
    ).all()
    return {int(creator): int(count) for creator, count in rows if creator is not None}


def _draw(order_id: int, salt: str) -> float:
    """A uniform number in [0, 1) fixed by the order and what is drawn: the same orders on every run."""
    digest = hashlib.blake2b(f"{salt}:{order_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


_CATEGORIES = tuple(ComplaintCategory)


def simulated_aftersales(
    session: Session,
    now: datetime,
    return_window: timedelta,
    *,
    refund_rate: float = SIMULATED_REFUND_RATE,
    complaint_rate: float = SIMULATED_COMPLAINT_RATE,
) -> tuple[int, int]:
    """Refund and complain about a deterministic `refund_rate` / `complaint_rate` of the stored orders placed
    before `now` (see the module); the ledger is not touched here — `settle_loaded` posts what the refunds owe.
    Returns (refunds, complaints) written; an order already refunded or complained about is left alone."""
    refunded_ids = set(session.scalars(select(OrderRefund.order_id)))
    complained_ids = set(session.scalars(select(OrderComplaint.order_id).distinct()))
    refund_rows: list[dict[str, Any]] = []
    complaint_rows: list[dict[str, Any]] = []
    created = utcnow()
    for order_id, amount, ordered_at in session.execute(
        select(Order.id, Order.amount, Order.ordered_at).where(Order.ordered_at < now).order_by(Order.id)
    ):
        if order_id not in refunded_ids and _draw(order_id, "refund") < refund_rate:
            inside = _draw(order_id, "window") < SIMULATED_IN_WINDOW
            # Inside: somewhere in the window's first 90 %; after: one to six days past it.
            offset = (
                return_window * (0.9 * _draw(order_id, "when"))
                if inside
                else return_window + timedelta(days=1 + 5 * _draw(order_id, "when"))
            )
            at = ordered_at + offset
            if at <= now:
                refund_rows.append(
                    {
                        "order_id": order_id,
                        "amount": amount,
                        "reason": "" if inside else "质量问题（模拟）",
                        "within_window": inside,
                        "refunded_at": at,
                        "recorded_by": None,
                        "created_at": created,
                    }
                )
        if order_id not in complained_ids and _draw(order_id, "complaint") < complaint_rate:
            category = _CATEGORIES[int(_draw(order_id, "category") * len(_CATEGORIES))]
            at = min(ordered_at + timedelta(hours=1 + 72 * _draw(order_id, "filed")), now)
            complaint_rows.append(
                {
                    "order_id": order_id,
                    "category": category.value,
                    "detail": "模拟客诉",
                    "filed_at": at,
                    "filed_by": None,
                    "created_at": created,
                }
            )
    for table, rows in ((OrderRefund, refund_rows), (OrderComplaint, complaint_rows)):
        for lo in range(0, len(rows), _CHUNK):
            session.execute(insert(cast(Table, table.__table__)), rows[lo : lo + _CHUNK])
    return len(refund_rows), len(complaint_rows)


_IDS = 900  # order ids per IN (...) list, under SQLite's bound-parameter limit


def record_simulated_refunds(
    session: Session, refunded_at: dict[int, datetime], return_window: timedelta, reason: str
) -> int:
    """Refund stored orders in full at the moments a simulation chose (order id → refunded at), as
    `simulated_aftersales` does its own share: `refund_order`'s rules hold (a refund follows its order; past the
    return window only with `reason`), the ledger is not touched (`settle_loaded` posts what the refunds owe), and
    an order refunded before is left alone, so recording the same refunds again writes nothing. Returns the
    refunds written."""
    reason = reason.strip()
    ids = sorted(refunded_at)
    rows: list[dict[str, Any]] = []
    created = utcnow()
    for lo in range(0, len(ids), _IDS):
        chunk = ids[lo : lo + _IDS]
        done = set(session.scalars(select(OrderRefund.order_id).where(OrderRefund.order_id.in_(chunk))))
        orders = session.execute(
            select(Order.id, Order.amount, Order.ordered_at).where(Order.id.in_(chunk)).order_by(Order.id)
        ).all()
        if len(orders) < len(chunk):
            missing = sorted(set(chunk) - {row[0] for row in orders})
            raise InvalidInput(f"no order {missing[0]} to refund", order_id=missing[0])
        for order_id, amount, ordered_at in orders:
            at = refunded_at[order_id]
            if order_id in done:
                continue
            within = _within_window(order_id, ordered_at, at, return_window, reason)
            rows.append(
                {
                    "order_id": order_id,
                    "amount": amount,
                    "reason": "" if within else reason,
                    "within_window": within,
                    "refunded_at": at,
                    "recorded_by": None,
                    "created_at": created,
                }
            )
    for lo in range(0, len(rows), _CHUNK):
        session.execute(insert(cast(Table, OrderRefund.__table__)), rows[lo : lo + _CHUNK])
    return len(rows)
