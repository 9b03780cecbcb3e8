"""The live WebSocket: one verdict per transcript line or comment; flagged ones reach the review queue."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from tests.fixtures.world import World

from wanghong.compliance.models import ReviewTask
from wanghong.domain import Verdict
from wanghong.kit.db.session import Database

Headers = Callable[[str], dict[str, str]]


def _token(as_user: Headers, user: str) -> str:
    return as_user(user)["Authorization"].removeprefix("Bearer ")


def test_live_round_trip(app_client: TestClient, as_user: Headers, world: World, db: Database) -> None:
    url = f"/api/v1/compliance/live/{world['liveA']}?token={_token(as_user, 'creatorA1')}"
    with app_client.websocket_connect(url) as ws:
        ws.send_json(
            {"kind": "transcript", "text": "家人们这个价格全网最低，加vx私聊", "at": "2026-11-11T20:00:00+08:00"}
        )
        flagged = ws.receive_json()
        assert flagged["verdict"] == "block" and flagged["kind"] == "transcript"
        assert {h["category"] for h in flagged["hits"]} >= {"off_platform"}
        assert flagged["review_task_id"] is not None and flagged["library_version"] >= 1
        ws.send_json({"kind": "comment", "text": "主播今天的口红颜色好看"})
        clean = ws.receive_json()
        assert clean["verdict"] == "pass" and clean["hits"] == [] and clean["review_task_id"] is None
        ws.send_text("not json")
        assert "error" in ws.receive_json()
        ws.send_json({"kind": "shout", "text": "x"})
        assert "error" in ws.receive_json()
    with db.transaction() as s:
        task = s.get(ReviewTask, flagged["review_task_id"])
        assert task is not None and task.subject_type == "live_transcript" and task.subject_id == world["liveA"]
        assert task.creator_id == world["creatorA1"] and task.ai_verdict is Verdict.BLOCK


def test_comments_are_queued_without_blaming_the_host(
    app_client: TestClient, as_user: Headers, world: World, db: Database
) -> None:
    url = f"/api/v1/compliance/live/{world['liveA']}?token={_token(as_user, 'reviewer')}"
    with app_client.websocket_connect(url) as ws:
        ws.send_json({"kind": "comment", "text": "想要的加我薇信私聊"})
        result = ws.receive_json()
    assert result["verdict"] != "pass" and result["review_task_id"] is not None
    with db.transaction() as s:
        task = s.get(ReviewTask, result["review_task_id"])
        assert task is not None and task.creator_id is None


@pytest.mark.parametrize("user", ["creatorB1", "mcnB", "brandB"])
def test_other_tenants_livestream_is_not_found(
    app_client: TestClient, as_user: Headers, world: World, user: str
) -> None:
    url = f"/api/v1/compliance/live/{world['liveA']}?token={_token(as_user, user)}"
    with app_client.websocket_connect(url) as ws:
        assert ws.receive_json()["status"] == 404
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4404


def test_bad_token_is_refused(app_client: TestClient, world: World) -> None:
    with app_client.websocket_connect(f"/api/v1/compliance/live/{world['liveA']}?token=nope") as ws:
        assert ws.receive_json()["status"] == 401
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4401
