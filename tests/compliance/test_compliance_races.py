"""Racing decisions: of many reviewers deciding one review task or appeal at once, exactly one decides (issue 13)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.commerce.racing import race, statuses
from tests.fixtures.world import World

from wanghong.compliance import audit
from wanghong.compliance.models import (
    ComplianceAppeal,
    ComplianceExample,
    CompliancePenalty,
    ComplianceScan,
    ReviewTask,
    Violation,
)
from wanghong.domain import PenaltyKind, PenaltyStatus, Severity, Verdict
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database

N = 20


def _count(db: Database, *where) -> int:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        return s.scalar(select(func.count()).where(*where)) or 0


def _decisions(db: Database, action: str, ident: int) -> int:
    return _count(db, AuditEntry.action == action, AuditEntry.entity_id == str(ident))


def _review_task(db: Database, world: World) -> int:
    with db.transaction() as s:
        task = ReviewTask(
            subject_type="video",
            subject_id=world["videoA"],
            creator_id=world["creatorA2"],
            text="全网最低价，立刻根治",
            ai_verdict=Verdict.REVIEW,
            ai_score=0.7,
        )
        s.add(task)
        s.flush()
        # As the scanner leaves it: the scan behind the task (what a decision labels as a training example).
        s.add(
            ComplianceScan(
                subject_type="video",
                subject_id=world["videoA"],
                creator_id=world["creatorA2"],
                text=task.text,
                verdict=Verdict.REVIEW,
                score=0.7,
                library_version=1,
                review_task_id=task.id,
            )
        )
        s.flush()
        return task.id


def _appeal(db: Database, world: World) -> tuple[int, int]:
    with db.transaction() as s:
        violation = Violation(
            creator_id=world["creatorA2"],
            subject_type="video",
            subject_id=world["videoA"],
            category="absolute_claim",
            severity=Severity.MEDIUM,
        )
        s.add(violation)
        s.flush()
        penalty = CompliancePenalty(
            creator_id=world["creatorA2"], violation_id=violation.id, kind=PenaltyKind.WARNING, reason="race"
        )
        s.add(penalty)
        s.flush()
        appeal = ComplianceAppeal(creator_id=world["creatorA2"], penalty_id=penalty.id, reason="race")
        s.add(appeal)
        s.flush()
        return appeal.id, penalty.id


def test_parallel_review_decisions_decide_once(app_client: TestClient, world: World, db: Database, as_user) -> None:
    task = _review_task(db, world)
    url = f"/api/v1/review-tasks/{task}/decision"
    reviewer = as_user("reviewer")
    calls = [("POST", url, {"decision": "uphold" if i % 2 else "dismiss"}, reviewer) for i in range(N)]
    responses = race(app_client.app, calls)
    assert statuses(responses) == [200] + [409] * (N - 1), [r.text for r in responses]
    (winner,) = (r for r in responses if r.status_code == 200)
    assert all("decided" in r.json()["detail"] for r in responses if r.status_code == 409)
    assert _decisions(db, audit.REVIEW_TASK_DECIDE, task) == 1
    # One labelled example, and a violation only when the winner upheld the flag.
    assert _count(db, ComplianceExample.review_task_id == task) == 1
    confirmed = _count(db, Violation.description.contains(f"review task #{task}:"))
    assert confirmed == (1 if winner.json()["status"] == "confirmed" else 0)
    with db.transaction() as s:
        assert s.get(ReviewTask, task).status.value == winner.json()["status"]  # type: ignore[union-attr]


def test_parallel_appeal_decisions_decide_once(app_client: TestClient, world: World, db: Database, as_user) -> None:
    appeal, penalty = _appeal(db, world)
    url = f"/api/v1/compliance/appeals/{appeal}/decision"
    reviewer = as_user("reviewer")
    calls = [("POST", url, {"decision": "uphold" if i % 2 else "dismiss"}, reviewer) for i in range(N)]
    responses = race(app_client.app, calls)
    assert statuses(responses) == [200] + [409] * (N - 1), [r.text for r in responses]
    (winner,) = (r for r in responses if r.status_code == 200)
    assert _decisions(db, audit.APPEAL_DECIDE, appeal) == 1
    with db.transaction() as s:
        stored = s.get(ComplianceAppeal, appeal)
        assert stored is not None and stored.status.value == winner.json()["status"]
        lifted = s.get(CompliancePenalty, penalty).status is PenaltyStatus.LIFTED  # type: ignore[union-attr]
    assert lifted == (winner.json()["status"] == "accepted")


def test_a_task_no_scan_stands_behind_teaches_the_classifier_nothing(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:  # type: ignore[no-untyped-def]
    """A 刷单 ring's or a room's risk task is decided like any other, but its summary is not copy to learn from."""
    with db.transaction() as s:
        task = ReviewTask(
            subject_type="fraud_ring", subject_id=1, text="疑似刷单团伙：12 个账户", ai_verdict=Verdict.REVIEW
        )
        s.add(task)
        s.flush()
        task_id = task.id
    decided = app_client.post(
        f"/api/v1/review-tasks/{task_id}/decision", json={"decision": "dismiss"}, headers=as_user("reviewer")
    )
    assert decided.status_code == 200, decided.text
    assert _count(db, ComplianceExample.review_task_id == task_id) == 0
