"""The live socket served by uvicorn on a loopback port, driven by a real `websockets` client."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from tests.browser import serving
from tests.fixtures.world import T0, World
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from wanghong.app import create_app
from wanghong.commerce.models import LivestreamSession
from wanghong.compliance.live_socket import BURST
from wanghong.config import Settings
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database

Headers = Callable[[str], dict[str, str]]


@pytest.fixture(scope="module")
def served(db: Database, database_url: str) -> Iterator[str]:
    with serving(create_app(Settings(database_url=database_url), db=db)) as base:
        yield base.replace("http://", "ws://")


def _client(served: str, live_id: int, headers: dict[str, str], **options: object) -> ClientConnection:
    return connect(f"{served}/api/v1/compliance/live/{live_id}", additional_headers=headers, open_timeout=10, **options)


def _closed_with(client: ClientConnection) -> int:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            client.recv(timeout=10)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


def _new_live(db: Database, world: World) -> int:
    with db.transaction() as s:
        live = LivestreamSession(creator_id=world["creatorA1"], started_at=T0 + timedelta(days=1))
        s.add(live)
        s.flush()
        return live.id


def test_the_host_speaks_and_is_answered(served: str, as_user: Headers, world: World) -> None:
    with _client(served, world["liveA"], as_user("creatorA1")) as client:
        client.send(json.dumps({"kind": "transcript", "text": "全网最低价，加vx私聊"}))
        verdict = json.loads(client.recv(timeout=30))
    assert verdict["verdict"] != "pass" and verdict["review_task_id"] is not None


def test_another_origin_is_refused_before_the_upgrade(served: str, as_user: Headers, world: World) -> None:
    with pytest.raises(InvalidStatus) as refused:
        _client(served, world["liveA"], as_user("creatorA1"), origin="http://evil.example")
    assert refused.value.response.status_code == 403
    # This site's own pages may connect.
    own = served.replace("ws://", "http://")
    with _client(served, world["liveA"], as_user("creatorA1"), origin=own) as client:
        client.send(json.dumps({"kind": "comment", "text": "好看", "viewer_id": 1}))
        assert json.loads(client.recv(timeout=30))["verdict"] == "pass"


def test_a_token_in_the_url_is_refused(served: str, as_user: Headers, world: World) -> None:
    token = as_user("creatorA1")["Authorization"].removeprefix("Bearer ")
    with connect(f"{served}/api/v1/compliance/live/{world['liveA']}?token={token}", open_timeout=10) as client:
        refusal = json.loads(client.recv(timeout=10))
        assert refusal["status"] == 401 and "URL" in refusal["error"]
        assert _closed_with(client) == 4401


def test_a_watcher_may_not_speak(served: str, as_user: Headers, world: World) -> None:
    with _client(served, world["liveA"], as_user("brandA")) as client:
        assert json.loads(client.recv(timeout=10))["status"] == 403
        assert _closed_with(client) == 4403


def test_an_ended_session_takes_no_input(served: str, as_user: Headers, world: World, db: Database) -> None:
    live_id = _new_live(db, world)
    with _client(served, live_id, as_user("admin")) as client:  # the ingest service account
        client.send(json.dumps({"kind": "comment", "text": "好看", "viewer_id": 2}))
        assert json.loads(client.recv(timeout=30))["verdict"] == "pass"
        with db.transaction() as s:
            live = s.get(LivestreamSession, live_id)
            assert live is not None
            live.ended_at = utcnow()
        client.send(json.dumps({"kind": "transcript", "text": "下播后的话"}))
        assert json.loads(client.recv(timeout=30))["status"] == 409
        assert _closed_with(client) == 4409
    with _client(served, live_id, as_user("creatorA1")) as client:
        assert json.loads(client.recv(timeout=10))["status"] == 409
        assert _closed_with(client) == 4409


def test_a_flood_is_refused_then_disconnected(served: str, as_user: Headers, world: World) -> None:
    with _client(served, world["liveA"], as_user("creatorA1")) as client:
        for k in range(4 * BURST):
            client.send(json.dumps({"kind": "comment", "text": f"刷屏 {k}", "viewer_id": 3}))
        answers = []
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                answers.append(json.loads(client.recv(timeout=30)))
    refused = [a for a in answers if a.get("status") == 429]
    assert len(answers) - len(refused) < 2 * BURST  # the burst, and what the refill allowed meanwhile
    assert refused and refused[0]["retry_after"] > 0
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4429
