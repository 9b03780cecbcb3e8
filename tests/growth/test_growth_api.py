"""The growth API: grades read within the agency's scope, override and appeal over JSON, programmes with a
randomised roll-out whose measured effect covers the planted one (and a naive difference never shown alone)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.fixtures.world import World

from wanghong.commerce.models import Creator, ViewerEvent
from wanghong.domain import ViewerAction, follower_tier
from wanghong.growth import grading, programmes
from wanghong.growth.models import Assignment, Enrolment, McnGrade, Programme, ProgrammeKind
from wanghong.kit.db.session import Database

MONTH = date(2018, 8, 1)


def test_grades_override_and_appeal_over_the_api(
    db: Database, world: World, app_client: TestClient, as_user: Callable[[str], dict[str, str]]
) -> None:
    with db.transaction() as s:
        grading.run_grading(s, MONTH, only=[world["mcnA"], world["mcnB"]])
        grade_id = s.scalars(select(McnGrade.id).where(McnGrade.mcn_id == world["mcnA"], McnGrade.month == MONTH)).one()
    own = app_client.get("/api/v1/growth/grades", headers=as_user("mcnA"))
    assert own.status_code == 200 and {g["mcn_id"] for g in own.json()} == {world["mcnA"]}
    assert own.json()[0]["effective"] == own.json()[0]["grade"] and "retention" in own.json()[0]["indicators"]
    assert app_client.get("/api/v1/growth/grades", headers=as_user("brandA")).status_code == 403
    seen = own.json()[0]["effective"]
    body = {"tier": "A", "reason": "", "seen": seen}
    override = f"/api/v1/growth/grades/{grade_id}/override"
    assert app_client.post(override, json=body, headers=as_user("admin")).status_code == 422
    assert app_client.post(override, json=body | {"reason": "x"}, headers=as_user("mcnA")).status_code == 403
    done = app_client.post(override, json=body | {"reason": "人工复核"}, headers=as_user("admin"))
    assert done.status_code == 200 and done.json()["effective"] == "A"
    appeal = app_client.post(
        f"/api/v1/growth/grades/{grade_id}/appeals",
        json={"reason": "数据延迟", "requested_grade": "S"},
        headers=as_user("mcnA"),
    )
    assert appeal.status_code == 201, appeal.text
    foreign = app_client.post(
        f"/api/v1/growth/grades/{grade_id}/appeals", json={"reason": "x"}, headers=as_user("mcnB")
    )
    assert foreign.status_code == 404
    decision = f"/api/v1/growth/appeals/{appeal.json()['id']}/decision"
    first = app_client.post(decision, json={"decision": "reject", "note": "复核无误"}, headers=as_user("admin"))
    assert first.status_code == 200 and first.json()["status"] == "rejected"
    assert app_client.post(decision, json={"decision": "accept"}, headers=as_user("admin")).status_code == 409
    inbox = app_client.get("/api/v1/notifications", headers=as_user("mcnA")).json()
    kinds = [n["kind"] for n in inbox["items"]]
    assert "grade_overridden" in kinds and "grade_appeal_rejected" in kinds


def test_a_randomised_roll_out_measures_the_planted_effect(
    db: Database, world: World, app_client: TestClient, as_user: Callable[[str], dict[str, str]]
) -> None:
    start = datetime(2018, 9, 1, tzinfo=UTC)
    created = app_client.post(
        "/api/v1/growth/programmes",
        json={"name": f"光合计划 {world.tag}", "kind": "incentive", "starts_on": "2018-09-01", "randomised_share": 0.5},
        headers=as_user("admin"),
    )
    assert created.status_code == 201, created.text
    programme_id = created.json()["id"]
    assert (
        app_client.post(f"/api/v1/growth/programmes/{programme_id}/enrolments", headers=as_user("brandA")).status_code
        == 422
    )
    mine = app_client.post(f"/api/v1/growth/programmes/{programme_id}/enrolments", headers=as_user("creatorA1"))
    assert mine.status_code == 201 and mine.json()["assignment"] in ("randomised_treatment", "randomised_control")
    planted = 6
    with db.transaction() as s:
        programme = s.get_one(Programme, programme_id)
        for i in range(60):
            creator = Creator(
                handle=f"rollout{i}_{world.tag}",
                display_name=f"rollout{i}",
                followers=5_000,
                follower_tier=follower_tier(5_000),
            )
            s.add(creator)
            s.flush()
            arm = programmes.assignment_for(programme, creator.id)
            assert arm is not Assignment.SELF_ENROLLED
            s.add(Enrolment(programme_id=programme_id, creator_id=creator.id, assignment=arm))
            follows = 3 + i % 5 + (planted if arm is Assignment.RANDOMISED_TREATMENT else 0)
            for j in range(follows):
                s.add(
                    ViewerEvent(
                        viewer_id=world["viewer"],
                        creator_id=creator.id,
                        action=ViewerAction.FOLLOW,
                        occurred_at=start + timedelta(days=1, minutes=j),
                    )
                )
    effect = app_client.get(f"/api/v1/growth/programmes/{programme_id}/effect", headers=as_user("creatorA1"))
    assert effect.status_code == 200, effect.text
    body = effect.json()
    assert body["measurable"] and body["ci_low"] <= planted <= body["ci_high"] and body["ci_low"] > 0
    assert body["naive"] is not None and "Welch" in body["method"]
    course = Programme(name=f"学院 {world.tag}", kind=ProgrammeKind.COURSE, starts_on=MONTH, randomised_share=None)
    assert programmes.assignment_for(course, 1) is Assignment.SELF_ENROLLED
