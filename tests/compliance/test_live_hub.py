"""Live rooms across workers: with `live_rooms = "redis"` a room's connections on different processes hear each
other (each worker's hub listens on the room's Redis channel), and rooms of different databases never mix."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import pytest
from tests.browser import serving
from tests.fixtures.world import PASSWORD, T0, World
from websockets.sync.client import ClientConnection, connect

from wanghong.app import create_app
from wanghong.commerce.models import LivestreamSession
from wanghong.compliance.live_hub import ROOM_BACKLOG, Outbox, RedisRoomHub, RoomHub, build_hub, channel_prefix
from wanghong.config import Settings
from wanghong.kit.db.session import Database

redis = pytest.importorskip("redis")
REDIS_URL = os.environ.get("WANGHONG_TEST_REDIS_URL")


@pytest.fixture()
def redis_url() -> Iterator[str]:
    url = REDIS_URL or "redis://127.0.0.1:6379/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if REDIS_URL:
            pytest.fail(f"WANGHONG_TEST_REDIS_URL={REDIS_URL} is set but Redis does not answer")
        pytest.skip("Redis not reachable on 127.0.0.1:6379 (set WANGHONG_TEST_REDIS_URL to require it)")
    finally:
        client.close()
    yield url


async def _next(queue: Outbox) -> dict[str, Any] | None:
    return await asyncio.wait_for(queue.get(), timeout=10)


@pytest.mark.redis
def test_a_publish_on_one_hub_reaches_the_room_on_another(redis_url: str) -> None:
    prefix = f"test:live:{uuid.uuid4().hex}:"

    async def scenario() -> None:
        first, second = RedisRoomHub(redis_url, prefix), RedisRoomHub(redis_url, prefix)
        here: Outbox = asyncio.Queue()
        there: Outbox = asyncio.Queue()
        elsewhere: Outbox = asyncio.Queue()
        await first.join(5, here)
        await second.join(5, there)
        await second.join(6, elsewhere)
        await first.publish(5, {"kind": "answer", "text": "48 小时内发货"})
        # Both workers' connections of room 5 hear it once, the publisher's own included; room 6 hears nothing.
        assert await _next(here) == await _next(there) == {"kind": "answer", "text": "48 小时内发货"}
        await second.leave(5, there)
        await first.publish(5, {"kind": "risk", "score": 12})
        assert await _next(here) == {"kind": "risk", "score": 12}
        assert there.empty() and elsewhere.empty()
        first.close()
        second.close()

    asyncio.run(scenario())


def test_rooms_of_two_databases_never_share_a_channel() -> None:
    assert channel_prefix("sqlite:///a.db") != channel_prefix("sqlite:///b.db")
    assert isinstance(build_hub(Settings(live_rooms="memory")), RoomHub)
    assert isinstance(build_hub(Settings(live_rooms="redis")), RedisRoomHub)
    with pytest.raises(ValueError, match="live_rooms"):
        build_hub(Settings(live_rooms="carrier-pigeon"))


def test_a_slow_watcher_is_skipped_not_waited_for() -> None:
    async def scenario() -> None:
        hub = RoomHub()
        slow: Outbox = asyncio.Queue()
        await hub.join(1, slow)
        for n in range(ROOM_BACKLOG + 5):
            await hub.publish(1, {"n": n})
        assert slow.qsize() == ROOM_BACKLOG

    asyncio.run(scenario())


@pytest.mark.redis
def test_viewers_on_two_workers_share_one_room(redis_url: str, db: Database, database_url: str, world: World) -> None:
    settings = replace(Settings(database_url=database_url), live_rooms="redis", redis_url=redis_url)
    with db.transaction() as s:
        live = LivestreamSession(
            creator_id=world["creatorA1"], collaboration_id=world["collabA"], started_at=T0 + timedelta(days=2)
        )
        s.add(live)
        s.flush()
        live_id = live.id
    with serving(create_app(settings, db=db)) as one, serving(create_app(settings, db=db)) as two:

        def bearer(base: str, user: str) -> dict[str, str]:
            form = {"username": f"{user}_{world.tag}", "password": PASSWORD}
            token = httpx.post(f"{base}/api/v1/auth/token", data=form).json()["access_token"]
            return {"Authorization": f"Bearer {token}"}

        def room(base: str, user: str) -> ClientConnection:
            url = f"{base.replace('http://', 'ws://')}/api/v1/compliance/live/{live_id}"
            return connect(url, additional_headers=bearer(base, user), open_timeout=10)

        with room(two, "admin") as watcher, room(one, "creatorA1") as host:
            host.send(json.dumps({"kind": "transcript", "text": "今天给大家介绍这款面霜"}))
            # The host's own verdict, and the same verdict on the other worker's connection.
            mine = _until(host, "transcript")
            theirs = _until(watcher, "transcript")
    assert mine == theirs and theirs["text"] == "今天给大家介绍这款面霜"


def _until(client: ClientConnection, kind: str, limit: int = 20) -> dict[str, Any]:
    for _ in range(limit):
        message: dict[str, Any] = json.loads(client.recv(timeout=30))
        if message.get("kind") == kind:
            return message
    raise AssertionError(f"no {kind} message among {limit}")
