"""Two TrafficService workers sharing Redis reach the exposure Gini of one in-process worker."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from wanghong.accounts.principal import Principal
from wanghong.accounts.users import create_user
from wanghong.commerce.models import Creator
from wanghong.config import Settings
from wanghong.domain import Role, follower_tier
from wanghong.kit.db.migrate import upgrade
from wanghong.kit.db.session import Database
from wanghong.traffic.engine import GreedyTopK, Request, gini
from wanghong.traffic.engine.streams import Stream, stream_from_creators
from wanghong.traffic.service import Candidate, TrafficService

redis = pytest.importorskip("redis")

pytestmark = pytest.mark.redis

REDIS_URL = os.environ.get("WANGHONG_TEST_REDIS_URL")
N_CREATORS, K, TARGET = 40, 8, 0.3


@pytest.fixture()
def redis_prefix() -> Iterator[tuple[str, str]]:
    url = REDIS_URL or "redis://127.0.0.1:6379/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if REDIS_URL:
            pytest.fail(f"WANGHONG_TEST_REDIS_URL={REDIS_URL} is set but Redis does not answer")
        pytest.skip("Redis not reachable on 127.0.0.1:6379 (set WANGHONG_TEST_REDIS_URL to require it)")
    prefix = f"test:traffic-service:{uuid.uuid4().hex}"
    yield url, prefix
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture()
def platform(tmp_path: Path) -> Iterator[tuple[Database, list[int], Principal, Stream]]:
    """A fresh database whose creators are the stream's, with an administrator."""
    url = f"sqlite:///{tmp_path / 'traffic.db'}"
    upgrade(url)
    db = Database(url)
    followers = np.round(np.exp(np.random.default_rng(2).normal(11, 2.2, N_CREATORS))).astype(np.int64)
    stream = stream_from_creators(followers, np.arange(N_CREATORS), n_requests=1200, n_candidates=N_CREATORS, seed=2)
    with db.transaction() as s:
        rows = [
            Creator(handle=f"c{i}", display_name=f"达人{i}", followers=int(f), follower_tier=follower_tier(int(f)))
            for i, f in enumerate(followers)
        ]
        s.add_all(rows)
        s.flush()
        ids = [row.id for row in rows]
        user = create_user(s, username="ops", password="correct-horse-42", role=Role.ADMIN)
        admin = Principal.of(user)
    yield db, ids, admin, stream
    db.dispose()


def _replay(workers: list[TrafficService], db: Database, ids: list[int], admin: Principal, stream: Stream) -> None:
    with db.transaction() as s:
        workers[0].update_settings(s, admin, TARGET, {})
    for r in range(stream.n_requests):
        candidates = [
            Candidate(int(item), ids[int(c)], float(score))
            for item, c, score in zip(stream.item_ids[r], stream.creator_ids[r], stream.scores[r], strict=True)
        ]
        with db.transaction() as s:
            workers[r % len(workers)].allocate(s, admin, candidates, K)


def test_two_redis_workers_converge_to_one_workers_gini(platform, redis_prefix) -> None:
    db, ids, admin, stream = platform
    url, prefix = redis_prefix
    greedy = GreedyTopK(N_CREATORS, K)
    for r in range(stream.n_requests):
        greedy.allocate(Request(stream.item_ids[r], stream.creator_ids[r], stream.scores[r]))
    greedy_gini = gini(greedy.state.dense())

    single = TrafficService(Settings(database_url=db.url), half_life_requests=None, settings_ttl_s=0.0)
    _replay([single], db, ids, admin, stream)

    shared_settings = Settings(database_url=db.url, redis_url=url, traffic_state="redis")
    workers = [
        TrafficService(shared_settings, redis_prefix=prefix, half_life_requests=None, settings_ttl_s=0.0, worker=name)
        for name in ("w1", "w2")
    ]
    _replay(workers, db, ids, admin, stream)

    one, both = single.measured_gini(), [w.measured_gini() for w in workers]
    assert greedy_gini > 0.5
    assert one < TARGET + 0.05
    assert both[0] == pytest.approx(both[1], abs=1e-9)  # one window, seen alike by both workers
    assert both[0] == pytest.approx(one, abs=0.03)
    assert workers[0].state is not None and workers[0].state.requests_recorded() == stream.n_requests


def test_new_creator_carries_the_shared_window_over(platform, redis_prefix) -> None:
    db, ids, admin, stream = platform
    url, prefix = redis_prefix
    settings = Settings(database_url=db.url, redis_url=url, traffic_state="redis")
    worker = TrafficService(settings, redis_prefix=prefix, half_life_requests=None)
    _replay([worker], db, ids, admin, stream.head(50))
    before = worker.state.total() if worker.state is not None else 0.0
    with db.transaction() as s:
        newcomer = Creator(handle="late", display_name="新达人", followers=10, follower_tier=follower_tier(10))
        s.add(newcomer)
        s.flush()
        new_id = newcomer.id
    with db.transaction() as s:
        allocation = worker.allocate(s, admin, [Candidate("x", new_id, 0.1), Candidate("y", ids[0], 0.2)], 1)
    assert worker.n_creators == N_CREATORS + 1 and len(allocation.slate) == 1
    assert worker.state is not None and worker.state.total() == pytest.approx(before + 1.0)
