"""The live room over a served socket (issues 19 and 18): viewers' questions answered from the room's products'
facts, cited and labelled, for every connection of the room; the room's risk streamed with one review task per
crossing. Served by uvicorn on a loopback port, driven by real `websockets` clients."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.browser import serving
from tests.fixtures.world import T0, World
from websockets.sync.client import ClientConnection, connect

from wanghong.app import create_app
from wanghong.commerce.models import LivestreamSession
from wanghong.compliance import live_room
from wanghong.compliance.models import LiveRiskPoint, ReviewTask
from wanghong.config import Settings
from wanghong.kit.db.session import Database

Headers = Callable[[str], dict[str, str]]
FACTS = {
    "price": "直播间到手价 89 元，下单立减 10 元。",
    "shipping": "下单后 48 小时内从杭州仓发货，默认中通快递。",
    "size": "规格 50 毫升一瓶，适合所有肤质。",
}


@pytest.fixture(scope="module")
def served(db: Database, database_url: str) -> Iterator[str]:
    with serving(create_app(Settings(database_url=database_url), db=db)) as base:
        yield base.replace("http://", "ws://")


def _client(served: str, live_id: int, headers: dict[str, str]) -> ClientConnection:
    return connect(f"{served}/api/v1/compliance/live/{live_id}", additional_headers=headers, open_timeout=10)


def _with_facts(app_client: TestClient, as_user: Headers, product: int) -> None:
    for key, text in FACTS.items():
        response = app_client.put(
            f"/api/v1/products/{product}/facts/{key}", json={"text": text}, headers=as_user("brandA")
        )
        assert response.status_code == 200, response.text


def _room(db: Database, world: World) -> int:
    """A fresh session of creatorA1 selling productA (its collaboration), so each test reads its own room."""
    with db.transaction() as s:
        live = LivestreamSession(
            creator_id=world["creatorA1"], collaboration_id=world["collabA"], started_at=T0 + timedelta(days=2)
        )
        s.add(live)
        s.flush()
        return live.id


def _until(client: ClientConnection, kind: str, limit: int = 20) -> dict[str, Any]:
    for _ in range(limit):
        message = json.loads(client.recv(timeout=30))
        if message.get("kind") == kind:
            return message
    raise AssertionError(f"no {kind} message among {limit}")


def test_a_viewer_question_is_answered_from_the_room_facts_for_everyone_in_the_room(
    served: str, app_client: TestClient, as_user: Headers, world: World, db: Database
) -> None:
    _with_facts(app_client, as_user, world["productA"])
    live_id = _room(db, world)
    product = world["productA"]
    with _client(served, live_id, as_user("creatorA1")) as host, _client(served, live_id, as_user("admin")) as ingest:
        ingest.send(json.dumps({"kind": "comment", "text": "请问几天能发货？", "viewer_id": 7}))
        verdict = _until(ingest, "comment")
        assert verdict["verdict"] == "pass" and verdict["viewer_id"] == 7
        answer = _until(ingest, "answer")
        # The host's page, another connection of the room, hears the barrage and the answer too.
        assert _until(host, "comment")["text"] == "请问几天能发货？"
        assert _until(host, "answer")["answer_id"] == answer["answer_id"]
    assert answer["abstained"] is False and answer["fact_ids"] == [f"p{product}.shipping.v1"]
    assert "48" in answer["answer"] and answer["answer"].startswith("【AI 生成】")
    assert answer["label"] == "AI 生成 / AI-generated" and answer["product_id"] == product
    aigc = answer["metadata"]["AIGC"]
    assert aigc["Label"] == "1" and aigc["ContentPropagator"] == "wanghong"
    assert aigc["ProduceID"] == f"live-{live_id}-answer-{answer['answer_id']}"


def test_no_fact_hands_over_and_chatter_is_not_a_question(
    served: str, app_client: TestClient, as_user: Headers, world: World, db: Database
) -> None:
    _with_facts(app_client, as_user, world["productA"])
    live_id = _room(db, world)
    with _client(served, live_id, as_user("creatorA1")) as host:
        host.send(json.dumps({"kind": "comment", "text": "666", "viewer_id": 8}))
        host.send(json.dumps({"kind": "question", "text": "保质期到哪天？", "viewer_id": 9}))
        kinds = []
        while "answer" not in kinds:
            message = json.loads(host.recv(timeout=30))
            kinds.append(message["kind"])
            if message["kind"] == "answer":
                handed = message
    # "666" got its verdict and no answer; the question no fact covers is handed to the host, citing nothing.
    assert kinds.count("comment") == 1 and kinds.count("question") == 1 and kinds.count("answer") == 1
    assert handed["abstained"] is True and handed["handed_over"] is True and handed["fact_ids"] == []
    assert "主播" in handed["answer"] and handed["reason"] == "no_fact"
    # A product the room does not sell is refused to its sender alone; the question's own scan still stands.
    with _client(served, live_id, as_user("creatorA1")) as host:
        host.send(json.dumps({"kind": "question", "text": "多少钱", "product_id": world["productB"]}))
        assert _until(host, "question")["verdict"] == "pass"
        refused = _until(host, "answer_refused")
    assert refused["status"] == 422 and "not on sale in this room" in refused["error"]


def _say(client: ClientConnection, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Send the messages as one burst (within the bucket) and read until the last one's verdict, and the room's
    risk when this burst makes the room due for one."""
    for message in messages:
        client.send(json.dumps(message))
    received: list[dict[str, Any]] = []
    while sum(m.get("kind") in ("transcript", "comment") for m in received) < len(messages):
        received.append(json.loads(client.recv(timeout=30)))
    assert not [m for m in received if m.get("status") == 429]
    return received


def test_the_room_risk_streams_and_one_crossing_raises_one_task(
    served: str, as_user: Headers, world: World, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Scored by count only here (the served app runs in this process): a slow machine must not add scores.
    monkeypatch.setattr(live_room, "SCORE_EVERY_S", 3600.0)
    live_id = _room(db, world)
    line = {"kind": "transcript", "text": "全网最低价，加vx私聊"}
    bursts: list[list[dict[str, Any]]] = [
        [{"kind": "comment", "text": "好看", "viewer_id": 10 + k} for k in range(9)] + [line],
        [line] * 10,
        [line] * 10,
    ]
    received: list[dict[str, Any]] = []
    with _client(served, live_id, as_user("creatorA1")) as host:
        for number, burst in enumerate(bursts):
            if number:
                time.sleep(2.1)  # the bucket refills (5 a second): what is measured is the room, not the limit
            received += _say(host, burst)
            # Each burst of ten makes the room due: its risk follows the tenth verdict.
            if received[-1]["kind"] != "risk":
                received.append(_until(host, "risk"))
    risks = [m for m in received if m["kind"] == "risk"]
    assert len(risks) == 3
    assert risks[0]["score"] < 60 <= risks[-1]["score"]  # one flagged line is not a risky room; twenty are
    assert set(risks[-1]["components"]) == {"compliance", "fraud", "originality"}
    assert risks[-1]["components"]["compliance"]["figures"]["flagged_speech"] == 21
    crossed = [r for r in risks if r["crossed"]]
    assert len(crossed) == 1 and crossed[0]["review_task_id"] is not None
    with db.transaction() as s:
        tasks = s.scalars(
            select(ReviewTask).where(ReviewTask.subject_type == "live_room", ReviewTask.subject_id == live_id)
        ).all()
        points = s.scalar(select(func.count(LiveRiskPoint.id)).where(LiveRiskPoint.livestream_id == live_id))
    assert [t.id for t in tasks] == [crossed[0]["review_task_id"]] and points == len(risks)
    assert tasks[0].creator_id is None  # a room's risk asks a person to watch; it penalises no one by itself
