"""Refund timing through the daily scan's database path: a planted order world (`simulator.engine.fraud`) stored
as orders, fingerprints and settlement's refund rows, read back by the scan, gives the 刷单 model exactly the
features the in-memory world gives it — refund batches and refunds right after settlement included — and the scan
stores the scores the model gives that world."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from sqlalchemy import insert, select
from tests.fixtures.databases import migrated_database

from wanghong.accounts.principal import CLI_OPERATOR
from wanghong.commerce import models as m
from wanghong.fraud import service
from wanghong.fraud.engine.orders import FEATURES, OrderGraph, order_features
from wanghong.fraud.models import OrderFraudScore
from wanghong.kit.db.session import Database
from wanghong.settlement.engine import Policy
from wanghong.settlement.models import OrderRefund
from wanghong.simulator.engine.fraud import PlantedOrders, planted_orders

START = datetime(2026, 10, 1, tzinfo=UTC)
DAY_S = 86_400.0
# The planted world settles a commission 7 days after the order; a platform with a 7-day return window reads the
# same timing the generator drew, a 48-hour one reads it five days later relative to settlement.
SEVEN_DAYS = Policy.of(0.05, 0.3, True, 7, timedelta(days=7))
TWO_DAYS = Policy.of(0.05, 0.3, True, 7, timedelta(hours=48))
REFUND_FEATURES = [i for i, name in enumerate(FEATURES) if "refund" in name]


@dataclass
class Stored:
    db: Database
    planted: PlantedOrders
    now: datetime  # after every planted refund


def _hash(kind: str, value: int) -> str:
    return hashlib.sha256(f"test:{kind}:{value}".encode()).hexdigest()[:32]


def _store(session: Any, planted: PlantedOrders) -> datetime:
    """Order ``i`` of the planted world becomes order ``i + 1``, placed ``placed_s`` after START, refunded (where
    planted) ``refunded_after_days`` later; buyers become viewers, the world's creators creators."""
    session.execute(insert(m.Brand), [{"id": 1, "name": "refund-timing brand"}])
    session.execute(insert(m.Product), [{"id": 1, "brand_id": 1, "name": "商品", "category": "美妆", "price": 80}])
    creators = np.unique(planted.creator)
    session.execute(
        insert(m.Creator),
        [
            {"id": int(c) + 1, "handle": f"c{c}", "display_name": f"达人{c}", "follower_tier": "micro"}
            for c in creators.tolist()
        ],
    )
    buyers = np.unique(planted.buyer)
    session.execute(insert(m.Viewer), [{"id": int(b) + 1, "external_id": f"buyer-{b}"} for b in buyers.tolist()])
    ordered = [START + timedelta(seconds=float(s)) for s in planted.placed_s.tolist()]
    session.execute(
        insert(m.Order),
        [
            {
                "id": i + 1,
                "product_id": 1,
                "creator_id": int(planted.creator[i]) + 1,
                "viewer_id": int(planted.buyer[i]) + 1,
                "quantity": 1,
                "amount": int(planted.amount_fen[i]) / 100,
                "ordered_at": ordered[i],
            }
            for i in range(len(planted))
        ],
    )
    session.execute(
        insert(m.OrderFingerprint),
        [
            {
                "order_id": i + 1,
                "device_hash": _hash("device", int(planted.device[i])),
                "address_hash": _hash("address", int(planted.address[i])),
                "payment_hash": _hash("payment", int(planted.payment[i])),
                "planted": f"ring:{planted.ring[i]}" if planted.is_fake[i] else None,
            }
            for i in range(len(planted))
        ],
    )
    refunded = np.flatnonzero(~np.isnan(planted.refunded_after_days)).tolist()
    refunds = [
        {
            "order_id": i + 1,
            "amount": int(planted.amount_fen[i]) / 100,
            "reason": "测试 / test",
            "within_window": bool(planted.refunded_after_days[i] < 2),
            "refunded_at": ordered[i] + timedelta(days=float(planted.refunded_after_days[i])),
        }
        for i in refunded
    ]
    session.execute(insert(OrderRefund), refunds)
    return max(r["refunded_at"] for r in refunds) + timedelta(days=1)


FARM = 18  # orders of the hand-made ring below, the last ones of the stored world


def _with_farm_ring(planted: PlantedOrders) -> PlantedOrders:
    """The planted world and one more ring the identifiers alone leave in doubt: six buyer accounts, each on a
    phone and a bank card of its own (a device and card farm), three orders each for one creator over two days to
    one address, all refunded within one hour, half a day after the last commission settled."""
    day = DAY_S
    buyers = np.repeat(np.arange(6), 3) + planted.buyer.max() + 1
    placed = 20 * day + np.linspace(0, 2 * day, FARM)
    refund_at = 22.5 * day + 7 * day + np.linspace(0, 3_600, FARM)
    farm = {
        "buyer": buyers,
        "creator": np.full(FARM, planted.creator[0]),
        "product": np.full(FARM, planted.product[0]),
        "device": buyers - buyers.min() + planted.device.max() + 1,
        "address": np.full(FARM, planted.address.max() + 1),
        "payment": buyers - buyers.min() + planted.payment.max() + 1,
        "amount_fen": np.full(FARM, 9_900),
        "placed_s": placed,
        "refunded_after_days": (refund_at - placed) / day,
        "is_fake": np.ones(FARM, dtype=bool),
        "ring": np.full(FARM, planted.ring.max() + 1),
    }
    return PlantedOrders(
        **{name: np.concatenate([getattr(planted, name), farm[name]]) for name in PlantedOrders.__dataclass_fields__}
    )


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], name="stored"
)
def _stored(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stored]:
    planted = _with_farm_ring(planted_orders(6_000, fake_share=0.06, days=30, seed=23))
    with migrated_database(request.param, tmp_path_factory.mktemp("refunds")) as url:
        db = Database(url)
        with db.transaction() as session:
            now = _store(session, planted)
        yield Stored(db, planted, now)
        db.dispose()


def _in_memory(planted: PlantedOrders, settlement_days: float, refunds: bool = True) -> OrderGraph:
    return OrderGraph(
        buyer=planted.buyer,
        creator=planted.creator,
        device=planted.device,
        address=planted.address,
        payment=planted.payment,
        placed_s=planted.placed_s - planted.placed_s.min(),  # the scan counts from its first order
        refunded_after_days=planted.refunded_after_days if refunds else np.full(len(planted), np.nan),
        settlement_days=settlement_days,
    )


def test_the_scan_reads_the_refund_timing_the_model_was_built_for(stored: Stored) -> None:
    with stored.db.sessions() as session:
        read = service.stored_order_graph(session, SEVEN_DAYS, stored.now)
    assert read is not None and read.graph.settlement_days == 7.0
    assert read.ids.tolist() == list(range(1, len(stored.planted) + 1))
    planted = _in_memory(stored.planted, 7.0)
    np.testing.assert_allclose(read.graph.refunded_after_days, planted.refunded_after_days, atol=1e-6)
    features = order_features(read.graph)
    np.testing.assert_allclose(features, order_features(planted), atol=1e-6)
    # The refund columns carry something: the rings' batches and the refunds right after settlement are there.
    assert np.nanmax(features[:, FEATURES.index("device_log_refund_burst")]) >= np.log1p(10)
    assert np.nanmax(features[:, FEATURES.index("buyer_just_settled_refund_share")]) > 0
    without = order_features(_in_memory(stored.planted, 7.0, refunds=False))
    assert not np.allclose(np.nan_to_num(features[:, REFUND_FEATURES]), np.nan_to_num(without[:, REFUND_FEATURES]))


def test_refund_timing_counts_from_the_platforms_return_window_and_stops_at_now(stored: Stored) -> None:
    with stored.db.sessions() as session:
        read = service.stored_order_graph(session, TWO_DAYS, stored.now)
        assert read is not None and read.graph.settlement_days == 2.0
        after = read.graph.refunded_after_days - 2.0
        column = order_features(read.graph)[:, FEATURES.index("refund_days_after_settlement")]
        np.testing.assert_allclose(column, after, atol=1e-9)
        # A refund recorded after the scan's moment is not known to it yet.
        refunded_at = [
            START + timedelta(seconds=float(placed)) + timedelta(days=float(after)) if after == after else None
            for placed, after in zip(stored.planted.placed_s, stored.planted.refunded_after_days, strict=True)
        ]
        middle = sorted(at for at in refunded_at if at is not None)[len(refunded_at) // 20]
        early = service.stored_order_graph(session, TWO_DAYS, middle)
    assert early is not None
    seen = ~np.isnan(early.graph.refunded_after_days)
    assert 0 < seen.sum() < (~np.isnan(read.graph.refunded_after_days)).sum()
    assert seen.tolist() == [at is not None and at <= middle for at in refunded_at]


def test_the_scan_stores_the_scores_the_model_gives_the_world_with_its_refunds(stored: Stored) -> None:
    with stored.db.transaction() as session:
        result = service.scan(session, CLI_OPERATOR, date(2026, 11, 15), SEVEN_DAYS, now=stored.now)
        scores = dict(
            session.execute(
                select(OrderFraudScore.order_id, OrderFraudScore.score).where(OrderFraudScore.scan_id == result.scan.id)
            ).all()
        )
        session.rollback()
    model = service.order_model()
    expected = model.score(_in_memory(stored.planted, 7.0))
    stored_ids = np.array(sorted(scores)) - 1
    assert set(stored_ids.tolist()) == set(np.flatnonzero(expected >= service.STORE_FROM).tolist())
    np.testing.assert_allclose([scores[i + 1] for i in stored_ids.tolist()], expected[stored_ids], atol=1e-9)
    # The farm ring's batch refund right after settlement is what gives it away: without its refunds the model is
    # far less sure of it, and the scan stored the surer scores.
    blind = model.score(_in_memory(stored.planted, 7.0, refunds=False))
    farm = np.arange(len(stored.planted) - FARM, len(stored.planted))
    assert (expected[farm] >= 0.99).all() and (blind[farm] <= expected[farm] - 0.05).all(), blind[farm]
    assert all(scores[i + 1] >= 0.99 for i in farm.tolist())
    fake = stored.planted.is_fake
    flagged = expected >= 0.5
    assert (flagged & fake).sum() / flagged.sum() >= 0.95 and (flagged & fake).sum() / fake.sum() >= 0.9
