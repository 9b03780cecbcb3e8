"""商品监测's price history: a product's own listed prices (a trigger records each change), what it sold at, and
other shops' and platforms' prices, which an operator or the ingest account records (for 全网最低)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.models import Order, Product
from wanghong.domain import Role
from wanghong.governance.engine import pricing
from wanghong.governance.engine.pricing import Observation, PricePoint
from wanghong.governance.models import PriceObservation
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import insert_once
from wanghong.kit.errors import InvalidInput

OBSERVATION_RECORD = "price_observation.record"


def fen(amount: Decimal | float | int) -> int:
    return int((Decimal(str(amount)) * 100).quantize(Decimal(1)))


def listed_points(session: Session, product_id: int, since: datetime, until: datetime) -> list[PricePoint]:
    """The product's own listed prices from ``since`` to ``until``: the price in effect at ``since`` (listed
    then, though set earlier) and every change after it."""
    own = PriceObservation.channel == pricing.OWN_CHANNEL
    base = select(PriceObservation.observed_at, PriceObservation.fen).where(
        PriceObservation.product_id == product_id, own
    )
    before = session.execute(
        base.where(PriceObservation.observed_at < since)
        .order_by(PriceObservation.observed_at.desc(), PriceObservation.id.desc())
        .limit(1)
    ).first()
    points = [PricePoint(since, int(before.fen))] if before is not None else []
    changes = session.execute(
        base.where(PriceObservation.observed_at >= since, PriceObservation.observed_at <= until).order_by(
            PriceObservation.observed_at, PriceObservation.id
        )
    )
    points += [PricePoint(at, int(value)) for at, value in changes]
    return points


def sold_points(session: Session, product_id: int, since: datetime, until: datetime) -> list[PricePoint]:
    rows = session.execute(
        select(Order.ordered_at, Order.amount, Order.quantity).where(
            Order.product_id == product_id, Order.ordered_at >= since, Order.ordered_at <= until
        )
    )
    return [PricePoint(at, fen(amount / max(1, quantity)), Observation.SOLD) for at, amount, quantity in rows]


def elsewhere_points(session: Session, product_id: int, since: datetime, until: datetime) -> list[PricePoint]:
    rows = session.execute(
        select(PriceObservation.observed_at, PriceObservation.fen, PriceObservation.channel).where(
            PriceObservation.product_id == product_id,
            PriceObservation.channel != pricing.OWN_CHANNEL,
            PriceObservation.observed_at >= since,
            PriceObservation.observed_at <= until,
        )
    )
    return [PricePoint(at, int(value), Observation.LISTED, channel) for at, value, channel in rows]


def history(session: Session, product_id: int, since: datetime, until: datetime) -> list[PricePoint]:
    return sorted(
        listed_points(session, product_id, since, until)
        + sold_points(session, product_id, since, until)
        + elsewhere_points(session, product_id, since, until),
        key=lambda p: p.at,
    )


def price_at(session: Session, product: Product, at: datetime) -> tuple[int, datetime | None]:
    """The listed price in effect at ``at`` and since when (the product's price when nothing is on record)."""
    found = session.execute(
        select(PriceObservation.fen, PriceObservation.observed_at)
        .where(
            PriceObservation.product_id == product.id,
            PriceObservation.channel == pricing.OWN_CHANNEL,
            PriceObservation.observed_at <= at,
        )
        .order_by(PriceObservation.observed_at.desc(), PriceObservation.id.desc())
        .limit(1)
    ).first()
    return (int(found.fen), found.observed_at) if found is not None else (fen(product.price), None)


def _product_for_reading(session: Session, principal: Principal, product_id: int) -> Product:
    """A brand reads its own products' prices; operators and the regulator every tenant's. What a product sold at is
    a business figure, so reviewers read it no more than a livestream's takings."""
    if principal.role in (Role.REGULATOR, Role.ADMIN):
        product = session.get(Product, product_id)
        if product is None:
            access.get_visible(session, Product, product_id, principal)  # the usual 404
        assert product is not None
        return product
    return access.get_visible(session, Product, product_id, principal)


@dataclass(frozen=True)
class PriceHistory:
    product: Product
    listed: list[PricePoint]
    sold: list[PricePoint]
    elsewhere: list[PricePoint]


def product_prices(
    session: Session, principal: Principal, product_id: int, *, days: int = 90, at: datetime | None = None
) -> PriceHistory:
    product = _product_for_reading(session, principal, product_id)
    until = at or utcnow()
    since = until - timedelta(days=days)
    return PriceHistory(
        product,
        listed_points(session, product.id, since, until),
        sold_points(session, product.id, since, until),
        elsewhere_points(session, product.id, since, until),
    )


@dataclass(frozen=True)
class ObservationIn:
    """An observed price as received; its fields are the stored row's columns."""

    external_id: str
    product_id: int
    channel: str
    fen: int
    observed_at: datetime


def record_observations(session: Session, principal: Principal, items: Sequence[ObservationIn]) -> tuple[int, int]:
    """Other channels' prices seen for our products (for 全网最低); each ``external_id`` is stored once.

    Returns (stored, duplicates)."""
    require_role(principal, action="recording price observations")
    if any(i.channel == pricing.OWN_CHANNEL for i in items):
        raise InvalidInput(f"channel '{pricing.OWN_CHANNEL}' is the product's own price, recorded by the platform")
    for product_id in {i.product_id for i in items}:
        access.get_referenceable(session, Product, product_id, principal)
    known = set(
        session.scalars(
            select(PriceObservation.external_id).where(PriceObservation.external_id.in_([i.external_id for i in items]))
        )
    )
    stored = 0
    for item in items:
        if item.external_id in known:
            continue
        known.add(item.external_id)
        row = PriceObservation(**asdict(item))
        if not insert_once(session, row):
            continue  # a concurrent batch stored the same observation first
        record(session, principal, OBSERVATION_RECORD, row, {"channel": item.channel, "fen": item.fen})
        stored += 1
    return stored, len(items) - stored
