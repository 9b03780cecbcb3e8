"""Who is in each live room, and how what one connection's message produces reaches all of the room's connections.

A room's connections may be served by different workers (`wanghong serve --workers N` puts each socket on
whichever process accepted it). With ``Settings.live_rooms = "redis"`` every publish goes to the room's Redis
channel and each process's one listener hands what arrives to its own connections of that room, so a viewer on
worker 1 sees the answer to a question asked on worker 2. ``"memory"`` (the default, one process) keeps it all in
the process. Either way a slow watcher is skipped once ``ROOM_BACKLOG`` messages are waiting for it, rather than
holding the room back.

Used from the event loop only (never from the thread pool), so the rooms need no lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from typing import Any

import redis.asyncio as aioredis

from wanghong.config import Settings
from wanghong.kit.runtime import Warm

ROOM_BACKLOG = 1000  # messages a slow watcher may fall behind before the room's broadcasts skip it
CHANNEL_PREFIX = "wanghong:live:"
Outbox = asyncio.Queue[dict[str, Any] | None]
_log = logging.getLogger(__name__)


class RoomHub:
    """The rooms of this process: each room's connections, as the queues their writers read."""

    def __init__(self) -> None:
        self._rooms: dict[int, set[Outbox]] = {}

    async def join(self, livestream_id: int, queue: Outbox) -> None:
        self._rooms.setdefault(livestream_id, set()).add(queue)

    async def leave(self, livestream_id: int, queue: Outbox) -> None:
        members = self._rooms.get(livestream_id)
        if members is not None:
            members.discard(queue)
            if not members:
                del self._rooms[livestream_id]

    async def publish(self, livestream_id: int, payload: dict[str, Any]) -> None:
        self.deliver(livestream_id, payload)

    def deliver(self, livestream_id: int, payload: dict[str, Any]) -> None:
        """Hand a payload to this process's connections of the room."""
        for queue in self._rooms.get(livestream_id, ()):
            if queue.qsize() < ROOM_BACKLOG:
                queue.put_nowait(payload)

    def close(self) -> None:
        """At shutdown (the runtime closes its warm engines): forget the rooms."""
        self._rooms.clear()


class RedisRoomHub(RoomHub):
    """Rooms shared by every worker through Redis pub/sub (one pattern subscription per process)."""

    def __init__(self, url: str, prefix: str) -> None:
        super().__init__()
        self.url = url
        self.prefix = prefix
        self._client: aioredis.Redis | None = None
        self._listener: asyncio.Task[None] | None = None
        self._ready: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def join(self, livestream_id: int, queue: Outbox) -> None:
        await super().join(livestream_id, queue)
        await self._listening()

    async def publish(self, livestream_id: int, payload: dict[str, Any]) -> None:
        # Delivered to this process's connections by the listener too, so every connection sees one order.
        client = await self._listening()
        await client.publish(f"{self.prefix}{livestream_id}", json.dumps(payload, ensure_ascii=False))

    async def _listening(self) -> aioredis.Redis:
        """The client, with this process's listener subscribed (started on first use, on the running loop)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop or self._listener is None or self._listener.done():
            # A new event loop (a test's second client, a restarted server) cannot use the old loop's sockets.
            self._client = aioredis.Redis.from_url(self.url)
            self._loop = loop
            self._ready = asyncio.Event()
            self._listener = loop.create_task(self._listen(self._client, self._ready))
        assert self._ready is not None
        await self._ready.wait()
        return self._client

    async def _listen(self, client: aioredis.Redis, ready: asyncio.Event) -> None:
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.psubscribe(f"{self.prefix}*")
            ready.set()
            async for message in pubsub.listen():
                channel = message["channel"].decode() if isinstance(message["channel"], bytes) else message["channel"]
                try:
                    livestream_id = int(channel[len(self.prefix) :])
                    payload = json.loads(message["data"])
                except (ValueError, TypeError):
                    _log.warning("ignored a malformed live-room message on %s", channel)
                    continue
                self.deliver(livestream_id, payload)
        finally:
            ready.set()  # a failed subscription must not leave joiners waiting forever
            with contextlib.suppress(Exception):
                await pubsub.aclose()

    def close(self) -> None:
        # Called from the event loop at shutdown: the listener is cancelled and takes its connection with it.
        super().close()
        if self._listener is not None and not self._listener.done():
            self._listener.cancel()
        self._client = self._listener = self._ready = self._loop = None


def channel_prefix(database_url: str) -> str:
    """Rooms are livestream ids of one database: deployments (or test runs) sharing a Redis never share a room."""
    return f"{CHANNEL_PREFIX}{hashlib.sha256(database_url.encode()).hexdigest()[:12]}:"


def build_hub(settings: Settings) -> RoomHub:
    if settings.live_rooms == "redis":
        return RedisRoomHub(settings.redis_url, channel_prefix(settings.database_url))
    if settings.live_rooms == "memory":
        return RoomHub()
    raise ValueError(f"live_rooms must be 'memory' or 'redis', got {settings.live_rooms!r}")


HUB: Warm[RoomHub] = Warm("compliance.live_hub", build=build_hub)
