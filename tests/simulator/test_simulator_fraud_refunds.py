"""The planted 刷单 rings refund as the generator's rings do, through settlement's refunds door: timed from the
platform's return window, in batches or one by one, the ledger clawing their commission back; and the daily
`wanghong fraud scan` over the stored simulation still finds the rings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pytest
import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.fixtures.databases import migrated_database
from typer.testing import CliRunner

from wanghong.commerce import models as m
from wanghong.config import Settings
from wanghong.fraud import service
from wanghong.fraud.cli import app as fraud_app
from wanghong.fraud.models import FraudScan, OrderFraudScore
from wanghong.kit.db.session import Database
from wanghong.kit.errors import InvalidInput
from wanghong.settlement import ledger
from wanghong.settlement.collaborations import policy_of
from wanghong.settlement.engine import Kind
from wanghong.settlement.models import LedgerTransaction
from wanghong.settlement.refunds import OrderRefund, record_simulated_refunds
from wanghong.simulator.cli import simulate
from wanghong.simulator.engine import SimulationConfig, generate_ecosystem
from wanghong.simulator.engine.fraud import BATCH_SPREAD_S, SETTLEMENT_DAYS, planted_orders
from wanghong.simulator.fraud_load import RING_REFUND_REASON, ring_refunds

DAY_S = 86_400.0
START = datetime(2026, 11, 1, 8, 0)


def test_ring_refunds_keep_the_generators_batches_and_delays_after_the_platforms_window() -> None:
    planted = planted_orders(orders=20_000, fake_share=0.03, days=30, seed=5)
    fake = np.flatnonzero(planted.is_fake)
    fake = fake[np.argsort(planted.ring[fake], kind="stable")]
    # As the planting does, each ring sells in a few hours of a livestream, not over its planted 1–5 day campaign.
    ring = planted.ring[fake]
    opened = np.random.default_rng(1).uniform(0, 25 * DAY_S, ring.max() + 1)
    placed = opened[ring] + np.linspace(0, 3 * 3_600, len(fake))
    ordered_at = [START + timedelta(seconds=float(s)) for s in placed]
    window = timedelta(hours=48)
    at = ring_refunds(planted, fake, ordered_at, window)

    refunded = ~np.isnan(planted.refunded_after_days[fake])
    assert [a is not None for a in at] == refunded.tolist()  # the generator's choice of refunded orders
    assert all(a is None or a >= o + window for a, o in zip(at, ordered_at, strict=True))  # after the window
    batches = spread = 0
    for number in np.unique(ring).tolist():
        members = np.flatnonzero((ring == number) & refunded)
        if len(members) < 5:
            continue
        planted_at = planted.placed_s[fake][members] + planted.refunded_after_days[fake][members] * DAY_S
        moments = [a for a in (at[k] for k in members.tolist()) if a is not None]
        assert len(moments) == len(members)
        span = (max(moments) - min(moments)).total_seconds()
        if np.ptp(planted_at) <= BATCH_SPREAD_S:
            batches += 1
            # One batch, as many seconds after the ring's last window closed as in the planted world.
            assert span == pytest.approx(float(np.ptp(planted_at)), abs=1e-3)
            closed = max(ordered_at[k] for k in np.flatnonzero(ring == number).tolist()) + window
            planted_closed = planted.placed_s[fake][ring == number].max() + SETTLEMENT_DAYS * DAY_S
            first = min(moments)
            assert (first - closed).total_seconds() == pytest.approx(planted_at.min() - planted_closed, abs=1e-3)
            assert timedelta(0) <= first - closed <= timedelta(days=2, hours=2)
        else:
            spread += 1
            assert span > BATCH_SPREAD_S
            for k, moment in zip(members.tolist(), moments, strict=True):
                delay = (moment - ordered_at[k] - window).total_seconds() / DAY_S
                expected = planted.refunded_after_days[fake][k] - SETTLEMENT_DAYS
                assert delay == pytest.approx(expected, abs=1e-6) and 0 <= delay <= 8
    assert batches >= 1 and spread >= 1, (batches, spread)


@dataclass
class Simulated:
    url: str
    db: Database
    output: str
    period_end: datetime
    window: timedelta


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], name="simulated"
)
def _simulated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulated]:
    with migrated_database(request.param, tmp_path_factory.mktemp("ring-refunds"), prefix="wanghong_sim") as url:
        command = typer.Typer()
        command.command()(simulate)
        args = ["--creators", "60", "--days", "30", "--seed", "3", "--no-behaviour", "--no-migrate"]
        result = CliRunner().invoke(command, [*args, "--database-url", url])
        assert result.exit_code == 0, result.output
        eco = generate_ecosystem(SimulationConfig(creators=60, days=30), seed=3)
        db = Database(url)
        yield Simulated(url, db, result.output, eco.period_end, policy_of(Settings.from_env()).return_window)
        db.dispose()


RingOrder = tuple[int, datetime, datetime | None, bool | None, str | None]


def _ring_orders(session: Session) -> list[RingOrder]:
    """(order id, ordered at, refunded at, inside the window, reason) of every planted ring order."""
    query = (
        select(m.Order.id, m.Order.ordered_at, OrderRefund.refunded_at, OrderRefund.within_window, OrderRefund.reason)
        .join(m.OrderFingerprint, m.OrderFingerprint.order_id == m.Order.id)
        .outerjoin(OrderRefund, OrderRefund.order_id == m.Order.id)
        .where(m.OrderFingerprint.planted.like("ring:%"))
        .order_by(m.Order.id)
    )
    return [(row[0], row[1], row[2], row[3], row[4]) for row in session.execute(query)]


def test_the_simulated_rings_refund_after_the_window_and_the_ledger_claws_back(simulated: Simulated) -> None:
    assert "planted fraud" in simulated.output and "ledger transactions" in simulated.output
    with simulated.db.sessions() as session:
        rings = _ring_orders(session)
        refunded = [r for r in rings if r[2] is not None]
        assert rings and 0.4 <= len(refunded) / len(rings) <= 0.8, (len(refunded), len(rings))
        for _, ordered_at, refunded_at, within, reason in refunded:
            assert refunded_at is not None and ordered_at + simulated.window < refunded_at <= simulated.period_end
            assert within is False and reason == RING_REFUND_REASON
        # What the refunds owe was posted when the simulation settled: each refunded ring order's commission is
        # clawed back, and the books balance.
        clawed = set(
            session.scalars(
                select(LedgerTransaction.order_id).where(
                    LedgerTransaction.kind == Kind.CORRECTION,
                    LedgerTransaction.key.like("%:commission:clawback"),
                )
            )
        )
        assert {r[0] for r in refunded} <= clawed
        assert ledger.check(session).ok


def test_recording_the_ring_refunds_again_writes_nothing(simulated: Simulated) -> None:
    with simulated.db.transaction() as session:
        refunded = {r[0]: r[2] for r in _ring_orders(session) if r[2] is not None}
        before = session.scalar(select(func.count()).select_from(OrderRefund))
        assert record_simulated_refunds(session, refunded, simulated.window, RING_REFUND_REASON) == 0
        assert session.scalar(select(func.count()).select_from(OrderRefund)) == before
        # refund_order's rules hold for a simulated refund too.
        order_id, ordered_at = next((r[0], r[1]) for r in _ring_orders(session) if r[2] is None)
        for refused, reason in (
            ({order_id: ordered_at - timedelta(seconds=1)}, RING_REFUND_REASON),  # before its order
            ({order_id: ordered_at + simulated.window + timedelta(days=1)}, " "),  # past the window, no reason
            ({10**9: ordered_at}, RING_REFUND_REASON),  # no such order
        ):
            with pytest.raises(InvalidInput):
                record_simulated_refunds(session, refused, simulated.window, reason)
        inside = {order_id: ordered_at + simulated.window / 2}
        assert record_simulated_refunds(session, inside, simulated.window, RING_REFUND_REASON) == 1
        row = session.scalars(select(OrderRefund).where(OrderRefund.order_id == order_id)).one()
        assert row.within_window is True and row.reason == "" and row.amount > 0
        session.rollback()


def test_the_fraud_scan_reads_the_ring_refunds_and_still_flags_the_rings(simulated: Simulated) -> None:
    policy = policy_of(Settings.from_env())
    with simulated.db.sessions() as session:
        stored = service.stored_order_graph(session, policy, simulated.period_end)
        assert stored is not None
        rings = _ring_orders(session)
        seen = dict(zip(stored.ids.tolist(), stored.graph.refunded_after_days.tolist(), strict=True))
        assert all((refunded_at is None) == np.isnan(seen[order_id]) for order_id, _, refunded_at, _, _ in rings)
        assert any(not np.isnan(seen[order_id]) for order_id, *_ in rings)
    done = CliRunner().invoke(fraud_app, ["scan", "--day", "2030-01-01", "--json", "--database-url", simulated.url])
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    assert summary["rings"] >= 1
    with simulated.db.sessions() as session:
        scan_id = session.scalar(select(FraudScan.id).order_by(FraudScan.id.desc()).limit(1))
        flagged = set(
            session.scalars(
                select(OrderFraudScore.order_id).where(
                    OrderFraudScore.scan_id == scan_id, OrderFraudScore.flagged.is_(True)
                )
            )
        )
        fake = {order_id for order_id, *_ in _ring_orders(session)}
    found = len(fake & flagged)
    assert summary["flagged_orders"] == len(flagged)
    assert found / len(flagged) >= 0.95 and found / len(fake) >= 0.9, (found, len(flagged), len(fake))
