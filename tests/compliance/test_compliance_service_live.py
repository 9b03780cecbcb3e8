"""The live WebSocket: one verdict per transcript line or comment; flagged ones reach the review queue, attributed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.websockets import WebSocketDisconnect
from tests.fixtures.world import World

from wanghong.accounts.models import User
from wanghong.compliance.models import ReviewTask
from wanghong.domain import Verdict
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database

Headers = Callable[[str], dict[str, str]]


def _url(world: World, live: str = "liveA") -> str:
    return f"/api/v1/compliance/live/{world[live]}"


def _flagged(db: Database, action: str) -> list[AuditEntry]:
    with db.transaction() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _user_id(db: Database, world: World, user: str) -> int:
    with db.transaction() as s:
        ident = s.scalar(select(User.id).where(User.username == f"{user}_{world.tag}"))
        assert ident is not None
        return ident


def test_live_round_trip(app_client: TestClient, as_user: Headers, world: World, db: Database) -> None:
    with app_client.websocket_connect(_url(world), headers=as_user("creatorA1")) as ws:
        ws.send_json(
            {"kind": "transcript", "text": "家人们这个价格全网最低，加vx私聊", "at": "2026-11-11T20:00:00+08:00"}
        )
        flagged = ws.receive_json()
        assert flagged["verdict"] == "block" and flagged["kind"] == "transcript" and flagged["viewer_id"] is None
        assert {h["category"] for h in flagged["hits"]} >= {"off_platform"}
        assert flagged["review_task_id"] is not None and flagged["library_version"] >= 1
        ws.send_json({"kind": "comment", "text": "主播今天的口红颜色好看", "viewer_id": 42})
        clean = ws.receive_json()
        assert clean["verdict"] == "pass" and clean["hits"] == [] and clean["review_task_id"] is None
        assert clean["viewer_id"] == 42
        ws.send_text("not json")
        assert "error" in ws.receive_json()
        ws.send_json({"kind": "shout", "text": "x"})
        assert "error" in ws.receive_json()
        ws.send_json({"kind": "comment", "text": "没有观众编号的弹幕"})  # a comment names its viewer
        assert "viewer_id" in ws.receive_json()["error"]
    with db.transaction() as s:
        task = s.get(ReviewTask, flagged["review_task_id"])
        assert task is not None and task.subject_type == "live_transcript" and task.subject_id == world["liveA"]
        assert task.creator_id == world["creatorA1"] and task.ai_verdict is Verdict.BLOCK
    ours = [
        e for e in _flagged(db, "live_transcript.flagged") if e.detail["review_task_id"] == flagged["review_task_id"]
    ]
    assert len(ours) == 1 and ours[0].actor_id == _user_id(db, world, "creatorA1")
    assert ours[0].detail["livestream_id"] == world["liveA"]


def test_comments_name_their_viewer_and_do_not_blame_the_host(
    app_client: TestClient, as_user: Headers, world: World, db: Database
) -> None:
    with app_client.websocket_connect(_url(world), headers=as_user("mcnA")) as ws:
        ws.send_json({"kind": "comment", "text": "想要的加我薇信私聊", "viewer_id": 7001})
        result = ws.receive_json()
    assert result["verdict"] != "pass" and result["review_task_id"] is not None and result["viewer_id"] == 7001
    with db.transaction() as s:
        task = s.get(ReviewTask, result["review_task_id"])
        assert task is not None and task.creator_id is None
        entry = s.scalar(
            select(AuditEntry).where(AuditEntry.action == "live_comment.flagged").order_by(AuditEntry.id.desc())
        )
        assert entry is not None and entry.detail["viewer_id"] == 7001
        assert entry.actor_id == _user_id(db, world, "mcnA")


@pytest.mark.parametrize(
    ("user", "status"), [("creatorB1", 404), ("mcnB", 404), ("brandB", 404), ("brandA", 403), ("reviewer", 403)]
)
def test_only_the_host_its_mcn_or_ingest_may_send(
    app_client: TestClient, as_user: Headers, world: World, user: str, status: int
) -> None:
    with app_client.websocket_connect(_url(world), headers=as_user(user)) as ws:
        assert ws.receive_json()["status"] == status
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4000 + status


def test_bad_token_and_token_in_url_are_refused(app_client: TestClient, as_user: Headers, world: World) -> None:
    for url, headers in (
        (_url(world), {"Authorization": "Bearer nope"}),
        (_url(world), {}),
        (_url(world) + "?token=" + as_user("creatorA1")["Authorization"].removeprefix("Bearer "), {}),
    ):
        with app_client.websocket_connect(url, headers=headers) as ws:
            refusal = ws.receive_json()
            assert refusal["status"] == 401
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
        assert closed.value.code == 4401
    assert "URL" in refusal["error"]
