"""Review tasks and appeals are decided in one vocabulary, uphold / dismiss; their older words mean the same."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.fixtures.world import World

from wanghong.compliance.engine_cache import ReviewerCache
from wanghong.compliance.scanning import scan_text
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database

Headers = Callable[[str], dict[str, str]]
API = "/api/v1/compliance"
TEXTS = iter(f"这款面霜效果最好，第{n}批" for n in range(1000))


def _flag(db: Database, reviewers: ReviewerCache, creator_id: int) -> int:
    with db.transaction() as s:
        outcome = scan_text(
            s, reviewers=reviewers, subject_type="video", subject_id=None, creator_id=creator_id, text=next(TEXTS)
        )
        assert outcome.task is not None, outcome.verdict
        return outcome.task.id


def _decide(client: TestClient, path: str, word: str, headers: dict[str, str]) -> dict[str, object]:
    response = client.post(path, json={"decision": word}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def _audited_decision(db: Database, action: str, ident: object) -> object:
    with db.transaction() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.entity_id == str(ident)))
        assert entry is not None
        return entry.detail["decision"]


@pytest.mark.parametrize(
    ("unified", "older", "status", "penalised"),
    [("uphold", "confirmed", "confirmed", True), ("dismiss", "overturned", "overturned", False)],
)
def test_a_review_decision_reads_both_spellings(
    app_client: TestClient,
    as_user: Headers,
    db: Database,
    reviewers: ReviewerCache,
    world: World,
    unified: str,
    older: str,
    status: str,
    penalised: bool,
) -> None:
    creator, reviewer = world["creatorA2"], as_user("reviewer")
    for word in (unified, older):
        before = app_client.get(f"{API}/penalties", params={"creator_id": creator}, headers=reviewer).json()["items"]
        task_id = _flag(db, reviewers, creator)
        task = _decide(app_client, f"/api/v1/review-tasks/{task_id}/decision", word, reviewer)
        assert task["status"] == status
        after = app_client.get(f"{API}/penalties", params={"creator_id": creator}, headers=reviewer).json()["items"]
        assert (len(after) == len(before) + 1) is penalised
        assert _audited_decision(db, "review_task.decide", task_id) == unified
    refused = app_client.post(
        f"/api/v1/review-tasks/{_flag(db, reviewers, creator)}/decision", json={"decision": "pending"}, headers=reviewer
    )
    assert refused.status_code == 422


@pytest.mark.parametrize(
    ("unified", "older", "status", "penalty_status"),
    [("uphold", "accepted", "accepted", "lifted"), ("dismiss", "rejected", "rejected", "active")],
)
def test_an_appeal_decision_reads_both_spellings(
    app_client: TestClient,
    as_user: Headers,
    db: Database,
    reviewers: ReviewerCache,
    world: World,
    unified: str,
    older: str,
    status: str,
    penalty_status: str,
) -> None:
    creator, reviewer = world["creatorA1"], as_user("reviewer")
    for word in (unified, older):
        _decide(app_client, f"/api/v1/review-tasks/{_flag(db, reviewers, creator)}/decision", "uphold", reviewer)
        penalties = app_client.get(f"{API}/penalties", params={"creator_id": creator}, headers=reviewer).json()
        penalty_id = penalties["items"][-1]["id"]
        filed = app_client.post(
            f"{API}/appeals", json={"penalty_id": penalty_id, "reason": "误判"}, headers=as_user("mcnA")
        )
        assert filed.status_code == 201, filed.text
        appeal = _decide(app_client, f"{API}/appeals/{filed.json()['id']}/decision", word, reviewer)
        assert appeal["status"] == status
        penalty = app_client.get(f"{API}/penalties/{penalty_id}", headers=reviewer).json()
        assert penalty["status"] == penalty_status
        assert _audited_decision(db, "compliance_appeal.decide", appeal["id"]) == unified
