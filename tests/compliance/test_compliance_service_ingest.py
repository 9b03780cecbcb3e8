"""Products' copy and videos' titles/scripts are scanned as they are written, through the resource hook."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.fixtures.world import World

from wanghong.compliance.models import ComplianceScan, ReviewTask
from wanghong.domain import ReviewStatus
from wanghong.kit.db.session import Database

Headers = Callable[[str], dict[str, str]]


def _tasks(db: Database, subject_type: str, subject_id: int) -> list[ReviewTask]:
    with db.transaction() as s:
        return list(
            s.scalars(
                select(ReviewTask).where(ReviewTask.subject_type == subject_type, ReviewTask.subject_id == subject_id)
            )
        )


def test_product_copy_with_superlatives_is_queued(app_client: TestClient, as_user: Headers, db: Database) -> None:
    created = app_client.post(
        "/api/v1/products",
        json={"name": "全网最低 补水面霜", "category": "beauty", "price": "39.90", "description": "效果最好的面霜"},
        headers=as_user("brandA"),
    )
    assert created.status_code == 201, created.text
    tasks = _tasks(db, "product", created.json()["id"])
    assert len(tasks) == 1 and tasks[0].status is ReviewStatus.PENDING
    assert tasks[0].ai_verdict.value == "block" and "全网最低" in tasks[0].text

    # Editing the copy rescans it; a clean edit adds a passing scan and no task.
    edited = app_client.patch(
        f"/api/v1/products/{created.json()['id']}",
        json={"name": "补水面霜", "description": "适合干性皮肤"},
        headers=as_user("brandA"),
    )
    assert edited.status_code == 200, edited.text
    assert len(_tasks(db, "product", created.json()["id"])) == 1
    with db.transaction() as s:
        verdicts = s.scalars(
            select(ComplianceScan.verdict)
            .where(ComplianceScan.subject_type == "product", ComplianceScan.subject_id == created.json()["id"])
            .order_by(ComplianceScan.id)
        ).all()
        assert [v.value for v in verdicts] == ["block", "pass"]


def test_published_video_event_is_scanned(app_client: TestClient, as_user: Headers, db: Database, world: World) -> None:
    event = {
        "event_id": f"v-{world.tag}",
        "type": "video_published",
        "payload": {
            "creator_id": world["creatorA1"],
            "title": "国家级配方 今晚开播",
            "script": "用了这个皱纹全没了",
            "published_at": "2026-11-11T12:00:00+08:00",
        },
    }
    response = app_client.post("/api/v1/events:batch", json={"events": [event]}, headers=as_user("admin"))
    assert response.status_code == 200, response.text
    with db.transaction() as s:
        task = s.scalar(
            select(ReviewTask).where(
                ReviewTask.creator_id == world["creatorA1"],
                ReviewTask.subject_type == "video",
                ReviewTask.text.contains("国家级配方"),
            )
        )
        assert task is not None and task.ai_verdict.value == "block"
