"""Proposal rules (issue 12, item 7): live campaigns only, real terms, no blocked products, one row per retry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.commerce.racing import race, statuses
from tests.fixtures.world import World

from wanghong.commerce.models import Campaign, Collaboration
from wanghong.compliance.models import ComplianceScan, ReviewTask
from wanghong.domain import CampaignStatus, ReviewStatus, Verdict
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database

URL = "/api/v1/collaborations"


def _proposal(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "campaign_id": world["campaignA"],
        "creator_id": world["creatorA2"],
        "product_id": world["productA"],
        "mode": "creator_distribution",
        "fee": "800.00",
        "commission_rate": 0.15,
    } | overrides


def _set_campaign(db: Database, campaign_id: int, **values: Any) -> None:
    with db.transaction() as s:
        campaign = s.get(Campaign, campaign_id)
        assert campaign is not None
        for key, value in values.items():
            setattr(campaign, key, value)


def _count(db: Database, campaign_id: int) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count(Collaboration.id)).where(Collaboration.campaign_id == campaign_id)) or 0


def test_a_draft_campaign_takes_no_proposals(app_client: TestClient, world: World, db: Database, as_user) -> None:
    _set_campaign(db, world["campaignA"], status=CampaignStatus.DRAFT)
    response = app_client.post(URL, json=_proposal(world), headers=as_user("brandA"))
    assert response.status_code == 409
    assert "draft" in response.json()["detail"]
    _set_campaign(db, world["campaignA"], status=CampaignStatus.ACTIVE)
    assert app_client.post(URL, json=_proposal(world), headers=as_user("brandA")).status_code == 201


def test_an_ended_campaign_takes_no_proposals(app_client: TestClient, world: World, db: Database, as_user) -> None:
    _set_campaign(db, world["campaignA"], ends_at=utcnow() - timedelta(hours=1))
    response = app_client.post(URL, json=_proposal(world), headers=as_user("brandA"))
    assert response.status_code == 409
    assert "ended" in response.json()["detail"]


def test_a_proposal_must_offer_something(app_client: TestClient, world: World, as_user) -> None:
    response = app_client.post(URL, json=_proposal(world, fee="0", commission_rate=0), headers=as_user("brandA"))
    assert response.status_code == 422
    assert "fee" in response.json()["detail"]
    commission_only = _proposal(world, fee="0", commission_rate=0.2)
    assert app_client.post(URL, json=commission_only, headers=as_user("brandA")).status_code == 201


def _block_product(db: Database, product_id: int) -> int:
    with db.transaction() as s:
        task = ReviewTask(subject_type="product", subject_id=product_id, text="x", ai_verdict=Verdict.BLOCK)
        s.add(task)
        s.flush()
        s.add(
            ComplianceScan(
                subject_type="product",
                subject_id=product_id,
                text="根治脱发，永不复发",
                verdict=Verdict.BLOCK,
                score=0.99,
                library_version=1,
                review_task_id=task.id,
            )
        )
        return task.id


def test_a_blocked_product_enters_no_collaboration(app_client: TestClient, world: World, db: Database, as_user) -> None:
    task_id = _block_product(db, world["productA"])
    response = app_client.post(URL, json=_proposal(world), headers=as_user("brandA"))
    assert response.status_code == 409
    assert "拦截" in response.json()["detail"]
    # Nor does an existing collaboration of that product move forward: the creator cannot accept it.
    accept = app_client.post(
        f"{URL}/{world['collabA']}/transitions", json={"to": "accepted"}, headers=as_user("creatorA1")
    )
    assert accept.status_code == 409
    # Backing out stays possible.
    cancel = app_client.post(
        f"{URL}/{world['collabA']}/transitions", json={"to": "cancelled"}, headers=as_user("brandA")
    )
    assert cancel.status_code == 200, cancel.text
    # A reviewer who overturns the verdict frees the product.
    with db.transaction() as s:
        task = s.get(ReviewTask, task_id)
        assert task is not None
        task.status = ReviewStatus.OVERTURNED
    assert app_client.post(URL, json=_proposal(world), headers=as_user("brandA")).status_code == 201


def test_an_idempotency_key_makes_one_collaboration(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    headers = as_user("brandA") | {"Idempotency-Key": f"form-{world.tag}"}
    before = _count(db, world["campaignA"])
    first = app_client.post(URL, json=_proposal(world), headers=headers)
    again = app_client.post(URL, json=_proposal(world), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert _count(db, world["campaignA"]) == before + 1
    other_body = app_client.post(URL, json=_proposal(world, fee="900.00"), headers=headers)
    assert other_body.status_code == 409
    assert "Idempotency-Key" in other_body.json()["detail"]
    # Keys belong to an account: another brand's same key is its own.
    other_brand = _proposal(world, campaign_id=world["campaignB"], creator_id=world["creatorB1"], product_id=None)
    assert (
        app_client.post(
            URL, json=other_brand, headers=as_user("brandB") | {"Idempotency-Key": headers["Idempotency-Key"]}
        ).status_code
        == 201
    )


def test_racing_double_submits_create_once(app_client: TestClient, world: World, db: Database, as_user) -> None:
    headers = as_user("brandA") | {"Idempotency-Key": f"double-click-{world.tag}"}
    before = _count(db, world["campaignA"])
    responses = race(app_client.app, [("POST", URL, _proposal(world), headers)] * 8)
    assert statuses(responses) == [201] * 8, [r.text for r in responses if r.status_code != 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert _count(db, world["campaignA"]) == before + 1


def test_reviewers_see_every_violation(app_client: TestClient, world: World, as_user) -> None:
    listed = app_client.get("/api/v1/violations?limit=200", headers=as_user("reviewer"))
    assert listed.status_code == 200
    ids = {v["id"] for v in listed.json()["items"]}
    assert {world["violationA"], world["violationB"]} <= ids or listed.json()["next_cursor"]
    for key in ("violationA", "violationB"):
        assert app_client.get(f"/api/v1/violations/{world[key]}", headers=as_user("reviewer")).status_code == 200
    # A brand still sees none.
    assert app_client.get(f"/api/v1/violations/{world['violationA']}", headers=as_user("brandA")).status_code == 404


def test_the_fee_must_fit_the_remaining_budget(app_client: TestClient, world: World, as_user) -> None:
    too_much = app_client.post(URL, json=_proposal(world, fee="50000.01"), headers=as_user("brandA"))
    assert too_much.status_code == 409
    assert "budget" in too_much.json()["detail"]
    assert app_client.post(URL, json=_proposal(world, fee="50000.00"), headers=as_user("brandA")).status_code == 201
