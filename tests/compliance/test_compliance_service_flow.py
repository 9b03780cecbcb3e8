"""AI verdict → review task → decision → violation → escalating penalties → appeal lifts them; tenancy."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.fixtures.world import World

from wanghong.compliance.engine_cache import ReviewerCache
from wanghong.compliance.models import ComplianceExample, ReviewTask, Violation
from wanghong.compliance.penalties import DEFAULT_POLICY
from wanghong.compliance.scanning import scan_text
from wanghong.domain import ReviewStatus, Verdict, ViolationStatus
from wanghong.governance.standing import Cause, standing_of
from wanghong.kit.db.session import Database

Headers = Callable[[str], dict[str, str]]
API = "/api/v1/compliance"

# One point per confirmed violation, so three confirmations walk the whole ladder.
LADDER = {
    "window_days": 90,
    "points": {"low": 1, "medium": 1, "high": 1},
    "steps": [
        {"min_points": 1, "kind": "warning", "days": 0},
        {"min_points": 2, "kind": "traffic_limit", "days": 7},
        {"min_points": 3, "kind": "suspension", "days": 30},
    ],
}


@pytest.fixture
def ladder(app_client: TestClient, as_user: Headers) -> Iterator[None]:
    response = app_client.put(f"{API}/policy", json=LADDER, headers=as_user("admin"))
    assert response.status_code == 200, response.text
    yield
    app_client.put(f"{API}/policy", json=DEFAULT_POLICY, headers=as_user("admin"))


def _serving(s: Session, creator_id: int) -> set[Cause]:
    """The compliance penalties (suspension, traffic limit) the creator is serving now, as governance reads them."""
    return {r.cause for r in standing_of(s, creator_id).reasons} & {Cause.SUSPENSION, Cause.TRAFFIC_LIMIT}


def _flag(db: Database, reviewers: ReviewerCache, creator_id: int, text: str) -> int:
    with db.transaction() as s:
        outcome = scan_text(
            s, reviewers=reviewers, subject_type="video", subject_id=None, creator_id=creator_id, text=text
        )
        assert outcome.task is not None, outcome.verdict
        return outcome.task.id


def test_ai_flag_opens_a_prioritised_task_with_a_deadline(db: Database, reviewers: ReviewerCache, world: World) -> None:
    block_id = _flag(db, reviewers, world["creatorA2"], "家人们这款面霜全网最低价，效果最好")
    review_id = _flag(db, reviewers, world["creatorA2"], "喝了半个月，血管通畅多了")
    with db.transaction() as s:
        block, review = s.get(ReviewTask, block_id), s.get(ReviewTask, review_id)
        assert block is not None and review is not None
        assert block.ai_verdict is Verdict.BLOCK and review.ai_verdict is Verdict.REVIEW
        assert block.priority > review.priority
        assert block.due_at is not None and review.due_at is not None
        assert (block.due_at - block.created_at).total_seconds() == pytest.approx(2 * 3600, abs=5)
        assert (review.due_at - review.created_at).total_seconds() == pytest.approx(24 * 3600, abs=5)
    # The same text of the same subject is not queued twice while the first is pending.
    with db.transaction() as s:
        again = scan_text(
            s,
            reviewers=reviewers,
            subject_type="video",
            subject_id=None,
            creator_id=world["creatorA2"],
            text="喝了半个月，血管通畅多了",
        )
        assert again.task is None and again.scan is not None


def test_decisions_escalate_penalties_and_appeals_lift_them(
    app_client: TestClient, as_user: Headers, db: Database, reviewers: ReviewerCache, world: World, ladder: None
) -> None:
    creator = world["creatorA2"]
    reviewer = as_user("reviewer")
    texts = ["这款面霜效果最好", "国家级产品放心买", "加vx私聊给你优惠"]
    kinds = []
    for text in texts:
        task_id = _flag(db, reviewers, creator, text)
        decided = app_client.post(
            f"/api/v1/review-tasks/{task_id}/decision", json={"decision": "confirmed", "note": "属实"}, headers=reviewer
        )
        assert decided.status_code == 200, decided.text
        penalties = app_client.get(f"{API}/penalties", params={"creator_id": creator}, headers=reviewer).json()
        kinds.append(penalties["items"][-1]["kind"])  # pages run oldest first
    assert kinds == ["warning", "traffic_limit", "suspension"]

    # The list pages like every collection: a walk one row at a time meets each penalty once, then stops.
    walked, cursor = [], None
    while True:
        params = {"creator_id": creator, "limit": 1} | ({"cursor": cursor} if cursor else {})
        page = app_client.get(f"{API}/penalties", params=params, headers=reviewer).json()
        walked += [p["kind"] for p in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert walked == kinds
    refused = app_client.get(f"{API}/penalties", params={"cursor": "nonsense"}, headers=reviewer)
    assert refused.status_code == 422 and "cursor" in refused.json()["detail"]

    with db.transaction() as s:
        violations = s.scalars(select(Violation).where(Violation.creator_id == creator)).all()
        assert len(violations) == 3 and {v.status for v in violations} == {ViolationStatus.CONFIRMED}
        assert {v.category for v in violations} == {"absolute", "off_platform"}
        assert _serving(s, creator)
        assert Cause.SUSPENSION in _serving(s, creator)

    # Tenancy: the other MCN and the other creator cannot see or appeal it; its own MCN can.
    penalties = app_client.get(f"{API}/penalties", headers=as_user("mcnA")).json()["items"]
    suspension = next(p for p in penalties if p["kind"] == "suspension" and p["creator_id"] == creator)
    for outsider in ("mcnB", "creatorB1", "creatorA1"):
        assert app_client.get(f"{API}/penalties/{suspension['id']}", headers=as_user(outsider)).status_code == 404
        refused = app_client.post(
            f"{API}/appeals", json={"penalty_id": suspension["id"], "reason": "不是我"}, headers=as_user(outsider)
        )
        assert refused.status_code == 404, refused.text
    assert (
        app_client.post(
            f"{API}/appeals", json={"penalty_id": suspension["id"], "reason": "x"}, headers=as_user("brandA")
        ).status_code
        == 403
    )

    appeal = app_client.post(
        f"{API}/appeals", json={"penalty_id": suspension["id"], "reason": "私聊是指店铺客服"}, headers=as_user("mcnA")
    )
    assert appeal.status_code == 201, appeal.text
    duplicate = app_client.post(
        f"{API}/appeals", json={"penalty_id": suspension["id"], "reason": "again"}, headers=as_user("mcnA")
    )
    assert duplicate.status_code == 409
    other_mcns_appeals = app_client.get(f"{API}/appeals", headers=as_user("mcnB")).json()["items"]
    assert all(a["creator_id"] != creator for a in other_mcns_appeals)
    assert (
        app_client.post(
            f"{API}/appeals/{appeal.json()['id']}/decision", json={"decision": "accepted"}, headers=as_user("mcnA")
        ).status_code
        == 403
    )
    accepted = app_client.post(
        f"{API}/appeals/{appeal.json()['id']}/decision", json={"decision": "accepted", "note": "属实"}, headers=reviewer
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    lifted = app_client.get(f"{API}/penalties/{suspension['id']}", headers=as_user("mcnA")).json()
    assert lifted["status"] == "lifted" and lifted["lifted_at"] is not None
    with db.transaction() as s:
        assert Cause.SUSPENSION not in _serving(s, creator)
        assert _serving(s, creator)  # the traffic limit still stands
        violation = s.get(Violation, lifted["violation_id"])
        assert violation is not None and violation.status is ViolationStatus.DISMISSED

    # A rejected appeal leaves the penalty in force.
    traffic_limit = next(
        p
        for p in app_client.get(f"{API}/penalties", headers=as_user("mcnA")).json()["items"]
        if p["kind"] == "traffic_limit" and p["creator_id"] == creator
    )
    second = app_client.post(
        f"{API}/appeals", json={"penalty_id": traffic_limit["id"], "reason": "再议"}, headers=as_user("mcnA")
    ).json()
    rejected = app_client.post(
        f"{API}/appeals/{second['id']}/decision", json={"decision": "rejected"}, headers=reviewer
    )
    assert rejected.status_code == 200
    with db.transaction() as s:
        assert _serving(s, creator)


def test_overturn_keeps_a_clean_example_and_precision_counts_it(
    app_client: TestClient, as_user: Headers, db: Database, reviewers: ReviewerCache, world: World
) -> None:
    task_id = _flag(db, reviewers, world["creatorA1"], "这款是今年最火的款，数据来自后台")
    decided = app_client.post(
        f"/api/v1/review-tasks/{task_id}/decision", json={"decision": "overturned"}, headers=as_user("reviewer")
    )
    assert decided.status_code == 200, decided.text
    with db.transaction() as s:
        example = s.scalar(select(ComplianceExample).where(ComplianceExample.review_task_id == task_id))
        assert example is not None and example.label == "clean" and example.decision is ReviewStatus.OVERTURNED
        assert (
            s.scalar(
                select(Violation).where(
                    Violation.subject_type == "video",
                    Violation.creator_id == world["creatorA1"],
                    Violation.status == ViolationStatus.CONFIRMED,
                )
            )
            is None
        )
    report = app_client.get(f"{API}/precision", headers=as_user("reviewer"))
    assert report.status_code == 200
    rows = {r["key"]: r for r in report.json()["by_verdict"]}
    assert rows and all(0 <= r["confirmed"] <= r["decided"] for r in rows.values())
    assert app_client.get(f"{API}/precision", headers=as_user("creatorA1")).status_code == 403


def test_policy_is_admin_data_and_must_escalate(app_client: TestClient, as_user: Headers) -> None:
    assert app_client.put(f"{API}/policy", json=LADDER, headers=as_user("reviewer")).status_code == 403
    backwards = LADDER | {"steps": list(reversed(LADDER["steps"]))}  # type: ignore[call-overload]
    assert app_client.put(f"{API}/policy", json=backwards, headers=as_user("admin")).status_code == 422
    assert app_client.get(f"{API}/policy", headers=as_user("creatorA1")).status_code == 200


def test_review_page_highlights_hits_and_takes_decisions(
    app_client: TestClient, as_user: Headers, db: Database, reviewers: ReviewerCache, world: World
) -> None:
    task_id = _flag(db, reviewers, world["creatorA1"], "今天这款全网最低价，错过再等一年")
    cookie = as_user("reviewer")["Authorization"].removeprefix("Bearer ")
    page = app_client.get("/compliance/review", headers={"Cookie": f"wanghong_session={cookie}"})
    assert page.status_code == 200
    assert f'id="task-{task_id}"' in page.text and "<mark" in page.text and "全网最低价</mark>" in page.text
    decided = app_client.post(
        f"/compliance/review/{task_id}",
        data={"decision": "confirmed", "note": "ok"},
        headers={"Cookie": f"wanghong_session={cookie}"},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    with db.transaction() as s:
        task = s.get(ReviewTask, task_id)
        assert task is not None and task.status is ReviewStatus.CONFIRMED
    brand_cookie = as_user("brandA")["Authorization"].removeprefix("Bearer ")
    denied = app_client.get(
        "/compliance/review", headers={"Cookie": f"wanghong_session={brand_cookie}"}, follow_redirects=False
    )
    assert denied.status_code == 303


def test_retrain_is_admin_only_and_bumps_the_generation(
    app_client: TestClient, as_user: Headers, db: Database, reviewers: ReviewerCache
) -> None:
    assert app_client.post(f"{API}/retrain", headers=as_user("reviewer")).status_code == 403
    run = app_client.post(f"{API}/retrain", headers=as_user("admin"))
    assert run.status_code == 201, run.text
    with db.transaction() as s:
        # The app's engine follows the new generation.
        assert reviewers.get(s).generation == run.json()["id"]
        assert reviewers.reviewer(s).review("喝了半个月，血管通畅多了").verdict is Verdict.REVIEW
