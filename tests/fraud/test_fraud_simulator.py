from __future__ import annotations

import numpy as np

from wanghong.simulator.engine.fraud import BURST_BOT, TRICKLE_BOT, planted_orders, planted_room


def test_planted_room_is_deterministic_and_has_the_documented_mix() -> None:
    first, second = planted_room(sessions=5_000, seed=9), planted_room(sessions=5_000, seed=9)
    np.testing.assert_array_equal(first.enter_s, second.enter_s)
    assert first.comment.tolist() == second.comment.tolist()
    assert len(first) == 5_000 and first.is_bot.mean() == 0.3
    assert (first.pattern == BURST_BOT).sum() == round(1_500 * 0.75)
    trickle = first.pattern == TRICKLE_BOT
    dwell = first.leave_s - first.enter_s
    assert ((dwell[trickle] >= 1) & (dwell[trickle] <= 3)).all()
    assert (first.leave_s <= first.duration_s).all() and (first.enter_s >= 0).all()
    assert not np.array_equal(first.enter_s, planted_room(sessions=5_000, seed=10).enter_s)


def test_planted_orders_have_the_documented_rings() -> None:
    orders = planted_orders(20_000, seed=3)
    assert len(orders) == 20_000 and orders.is_fake.mean() == 0.03
    assert (orders.ring >= 0).tolist() == orders.is_fake.tolist()
    for ring in np.unique(orders.ring[orders.is_fake]):
        rows = orders.ring == ring
        assert 1 <= len(np.unique(orders.address[rows])) <= 3
        assert len(np.unique(orders.creator[rows])) <= 3
        assert np.ptp(orders.placed_s[rows]) <= 5 * 86_400
    # ring identifiers never collide with genuine ones
    for kind in ("device", "address", "payment"):
        values = getattr(orders, kind)
        assert not set(values[orders.is_fake].tolist()) & set(values[~orders.is_fake].tolist())
    refunded = ~np.isnan(orders.refunded_after_days)
    assert 0.5 < refunded[orders.is_fake].mean() < 0.7
    assert refunded[~orders.is_fake].mean() < 0.1
    # half the rings refund in one batch of two hours, right after the campaign's commission settled
    refund_at = orders.placed_s + orders.refunded_after_days * 86_400
    batches = []
    for ring in np.unique(orders.ring[orders.is_fake]):
        rows = (orders.ring == ring) & refunded
        batches.append(np.ptp(refund_at[rows]) <= 2 * 3_600 if rows.sum() > 1 else False)
    assert 0.3 < np.mean(batches) < 0.7
    # genuine buyers refund after settlement too (disputes, a recalled product), so lateness alone proves nothing
    assert (orders.refunded_after_days[~orders.is_fake] >= 7).sum() > 100
