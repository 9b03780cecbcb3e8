"""Two allocator workers sharing exposure through Redis reach the Gini of one worker."""

from __future__ import annotations

import uuid

import numpy as np
import pytest

from wanghong.traffic.engine import FairAllocator, Request
from wanghong.traffic.engine.evaluation import replay
from wanghong.traffic.engine.streams import stream_from_creators

redis = pytest.importorskip("redis")
from wanghong.traffic.redis_state import RedisExposureState  # noqa: E402

pytestmark = pytest.mark.redis


@pytest.fixture()
def client():
    conn = redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5)
    try:
        conn.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis not reachable on 127.0.0.1:6379")
    prefix = f"test:traffic:{uuid.uuid4().hex}"
    yield conn, prefix
    keys = list(conn.scan_iter(f"{prefix}:*"))
    if keys:
        conn.delete(*keys)


def test_redis_state_round_trip_with_decay(client) -> None:
    conn, prefix = client
    state = RedisExposureState(conn, prefix, 5, half_life_requests=10)
    state.record(np.array([1, 1, 3]), np.array([1.0, 0.5, 2.0]))
    state.record(np.array([2]), np.array([1.0]), n_requests=10)
    np.testing.assert_allclose(state.gather(np.array([0, 1, 2, 3])), [0.0, 0.75, 1.0, 1.0])
    ids, _values = state.nonzero()
    assert sorted(ids.tolist()) == [1, 2, 3]
    assert state.total() == pytest.approx(2.75)


def test_two_workers_sharing_redis_match_one_worker(client) -> None:
    conn, prefix = client
    followers = np.round(np.exp(np.random.default_rng(2).normal(11, 2.2, 40))).astype(np.int64)
    stream = stream_from_creators(followers, np.arange(40), n_requests=1500, n_candidates=40, seed=2)
    single = replay(FairAllocator(40, 8, 0.3), stream, 8, "position")

    workers = [FairAllocator(40, 8, 0.3, state=RedisExposureState(conn, prefix, 40)) for _ in range(2)]
    for r in range(stream.n_requests):
        workers[r % 2].allocate(Request(stream.item_ids[r], stream.creator_ids[r], stream.scores[r]))
    shared = RedisExposureState(conn, prefix, 40)
    ids, values = shared.nonzero()
    exposure = np.zeros(40)
    exposure[ids] = values
    from wanghong.traffic.engine import gini

    assert single.gini < 0.35
    assert gini(exposure) == pytest.approx(single.gini, abs=0.03)
    assert shared.total() == pytest.approx(1500 * (1 / np.log2(np.arange(2, 10))).sum())
