"""Claim workflow end to end through the API: filing, visibility per tenant, review, penalties."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.fixtures.world import T0, World

from wanghong.commerce.models import Video
from wanghong.compliance.models import CompliancePenalty, Violation
from wanghong.governance import transparency
from wanghong.governance.models import TransparencyEntry
from wanghong.governance.standing import Standing, exposure_multipliers, standing_of, video_multipliers
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database
from wanghong.originality.models import OriginalityClaim

CLAIMS = "/api/v1/originality/claims"


def add_video(db: Database, creator_id: int, title: str, script: str = "", hours: int = 0) -> int:
    with db.transaction() as s:
        video = Video(creator_id=creator_id, title=title, script=script, published_at=T0 + timedelta(hours=hours))
        s.add(video)
        s.flush()
        return video.id


def pair(db: Database, world: World) -> tuple[int, int]:
    """An original by creator A1 and a re-upload of it by creator B1 a day later."""
    original = add_video(
        db, world["creatorA1"], "用了30天的扫地机器人，说说真实感受", "开头先说结论：这台机器吸力很强，边角也能扫到。"
    )
    copy = add_video(
        db,
        world["creatorB1"],
        "【搬运】用了30天的掃地機器人!!說說真實體驗 #好物分享",
        "开头先说结论：这台机器吸力很强，边角也能扫到。",
        hours=24,
    )
    return original, copy


def test_creator_files_claim_with_engine_evidence(client: TestClient, db: Database, world: World, as_user) -> None:
    original, copy = pair(db, world)
    response = client.post(
        CLAIMS,
        json={"original_video_id": original, "copy_video_id": copy, "reason": "整段照搬"},
        headers=as_user("creatorA1"),
    )
    assert response.status_code == 201, response.text
    claim = response.json()
    assert claim["status"] == "pending" and claim["accused_creator_id"] == world["creatorB1"]
    evidence = claim["evidence"]
    assert evidence["similarity"] >= evidence["threshold"]
    assert evidence["script_similarity"] == 1.0 and evidence["hours_between"] == 24.0
    assert len(evidence["fingerprints"]["original_sha256"]) == 64
    # The transparency log holds the claim as filed, written in the filing's own transaction.
    with db.transaction() as s:
        kinds = s.scalars(
            select(TransparencyEntry.kind).where(TransparencyEntry.record == f"originality_claims:{claim['id']}")
        ).all()
    assert kinds == ["originality_claim.created"]
    with db.transaction() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(claim["id"]))).all()
    assert "originality_claim.file" in actions


def test_filing_rules(client: TestClient, db: Database, world: World, as_user) -> None:
    original, copy = pair(db, world)
    creator = as_user("creatorA1")
    # Not the claimant's video: another tenant's original is not found.
    assert (
        client.post(CLAIMS, json={"original_video_id": copy, "copy_video_id": original}, headers=creator).status_code
        == 404
    )
    assert (
        client.post(CLAIMS, json={"original_video_id": original, "copy_video_id": 10**9}, headers=creator).status_code
        == 404
    )
    # A copy cannot predate the original, nor be the claimant's own video.
    earlier = add_video(db, world["creatorB1"], "更早发布的视频", hours=-5)
    response = client.post(CLAIMS, json={"original_video_id": original, "copy_video_id": earlier}, headers=creator)
    assert response.status_code == 422 and "before the original" in response.text
    own = add_video(db, world["creatorA2"], "同一MCN的另一个达人", hours=3)
    mcn = as_user("mcnA")
    assert (
        client.post(CLAIMS, json={"original_video_id": original, "copy_video_id": own}, headers=mcn).status_code == 201
    )
    # Brands and reviewers do not file claims.
    for user in ("brandA", "reviewer"):
        body = {"original_video_id": original, "copy_video_id": copy}
        assert client.post(CLAIMS, json=body, headers=as_user(user)).status_code == 403
    body = {"original_video_id": original, "copy_video_id": copy}
    assert client.post(CLAIMS, json=body, headers=creator).status_code == 201
    assert client.post(CLAIMS, json=body, headers=creator).status_code == 409


def test_each_side_sees_its_claims_and_other_tenants_get_404(
    client: TestClient, db: Database, world: World, as_user
) -> None:
    original, copy = pair(db, world)
    claim_id = client.post(
        CLAIMS, json={"original_video_id": original, "copy_video_id": copy}, headers=as_user("creatorA1")
    ).json()["id"]

    def visible(user: str) -> set[int]:
        seen: set[int] = set()
        params: dict[str, str | int] = {"limit": 200}
        while True:  # every page: the session's database holds other tests' claims too
            page = client.get(CLAIMS, params=params, headers=as_user(user)).json()
            seen |= {c["id"] for c in page["items"]}
            if page["next_cursor"] is None:
                return seen
            params["cursor"] = page["next_cursor"]

    for user in ("creatorA1", "mcnA", "creatorB1", "mcnB", "reviewer", "admin"):
        assert claim_id in visible(user), user
    assert claim_id not in visible("brandA")
    # A brand cannot decide, and cannot even learn the claim exists.
    response = client.post(f"{CLAIMS}/{claim_id}/decision", json={"decision": "confirm"}, headers=as_user("brandA"))
    assert response.status_code == 404
    # The accused side sees it but may not decide it.
    response = client.post(f"{CLAIMS}/{claim_id}/decision", json={"decision": "reject"}, headers=as_user("creatorB1"))
    assert response.status_code == 403


def test_reviewer_confirms_copy_which_becomes_a_violation_and_loses_traffic(
    client: TestClient, db: Database, world: World, as_user
) -> None:
    original, copy = pair(db, world)
    claim_id = client.post(
        CLAIMS, json={"original_video_id": original, "copy_video_id": copy}, headers=as_user("creatorA1")
    ).json()["id"]
    with db.transaction() as s:
        assert exposure_multipliers(s, [world["creatorB1"]]).get(world["creatorB1"], 1.0) == 1.0
    response = client.post(
        f"{CLAIMS}/{claim_id}/decision",
        json={"decision": "confirm", "note": "标题与口播一致"},
        headers=as_user("reviewer"),
    )
    assert response.status_code == 200, response.text
    decided = response.json()
    assert decided["status"] == "confirmed" and decided["violation_id"] is not None
    with db.transaction() as s:
        assert transparency.verify(s).ok
    with db.transaction() as s:
        violation = s.get(Violation, decided["violation_id"])
        assert violation is not None
        assert (violation.category, violation.creator_id, violation.subject_id) == (
            "copied_content",
            world["creatorB1"],
            copy,
        )
        penalties = exposure_multipliers(s, [world["creatorB1"], world["creatorA1"]])
        assert penalties[world["creatorB1"]] < 1.0 and penalties.get(world["creatorA1"], 1.0) == 1.0
        assert video_multipliers(s, [copy, original]) == {copy: 0.0, original: 1.0}
        assert standing_of(s, world["creatorB1"]).state is Standing.LIMITED
        # The copy went through the compliance penalty policy like any confirmed violation.
        penalty = s.scalars(select(CompliancePenalty).where(CompliancePenalty.violation_id == violation.id)).one()
        assert penalty.creator_id == world["creatorB1"]
        actions = set(s.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(claim_id))))
        assert {"originality_claim.file", "originality_claim.decide"} <= actions
    # A decided claim cannot be decided again.
    again = client.post(f"{CLAIMS}/{claim_id}/decision", json={"decision": "reject"}, headers=as_user("reviewer"))
    assert again.status_code == 409


def test_rejected_claim_leaves_no_penalty(client: TestClient, db: Database, world: World, as_user) -> None:
    original, copy = pair(db, world)
    claim_id = client.post(
        CLAIMS, json={"original_video_id": original, "copy_video_id": copy}, headers=as_user("mcnA")
    ).json()["id"]
    response = client.post(f"{CLAIMS}/{claim_id}/decision", json={"decision": "reject"}, headers=as_user("admin"))
    assert response.status_code == 200 and response.json()["violation_id"] is None
    with db.transaction() as s:
        assert exposure_multipliers(s, [world["creatorB1"]]).get(world["creatorB1"], 1.0) == 1.0
        assert video_multipliers(s, [copy]) == {copy: 1.0}
        claim = s.get(OriginalityClaim, claim_id)
        assert claim is not None and claim.decided_by_id is not None
    bad = client.post(f"{CLAIMS}/{claim_id}/decision", json={"decision": "maybe"}, headers=as_user("reviewer"))
    assert bad.status_code == 422
    assert (
        client.get(CLAIMS, params={"status": "rejected"}, headers=as_user("mcnA")).json()["items"][0]["id"] == claim_id
    )


def test_claims_list_pages_by_cursor(client: TestClient, db: Database, world: World, as_user) -> None:
    creator = as_user("creatorA1")
    filed = []
    for _ in range(3):
        original, copy = pair(db, world)
        response = client.post(CLAIMS, json={"original_video_id": original, "copy_video_id": copy}, headers=creator)
        filed.append(response.json()["id"])
    seen: list[int] = []
    params: dict[str, object] = {"limit": 2}
    while True:
        page = client.get(CLAIMS, params=params, headers=creator)
        assert page.status_code == 200, page.text
        body = page.json()
        assert set(body) == {"items", "next_cursor"} and len(body["items"]) <= 2
        seen += [c["id"] for c in body["items"]]
        if body["next_cursor"] is None:
            break
        params = {"limit": 2, "cursor": body["next_cursor"]}
    # The world's own claim comes first; every claim once, oldest first.
    assert seen == sorted(set(seen)) and seen[-3:] == filed and world["claimA"] in seen
    assert client.get(CLAIMS, params={"limit": 201}, headers=creator).status_code == 422
    assert client.get(CLAIMS, params={"cursor": "not-a-cursor"}, headers=creator).status_code == 422


@pytest.mark.parametrize(
    ("unified", "older", "status", "copied"),
    [("uphold", "confirm", "confirmed", True), ("dismiss", "reject", "rejected", False)],
)
def test_a_claim_decision_reads_both_spellings(
    client: TestClient, db: Database, world: World, as_user, unified: str, older: str, status: str, copied: bool
) -> None:
    for word in (unified, older):
        original, copy = pair(db, world)
        filed = client.post(
            CLAIMS, json={"original_video_id": original, "copy_video_id": copy}, headers=as_user("creatorA1")
        )
        response = client.post(
            f"{CLAIMS}/{filed.json()['id']}/decision", json={"decision": word}, headers=as_user("reviewer")
        )
        assert response.status_code == 200, response.text
        decided = response.json()
        assert decided["status"] == status and (decided["violation_id"] is not None) is copied
        with db.transaction() as s:
            entry = s.scalar(
                select(AuditEntry).where(
                    AuditEntry.action == "originality_claim.decide", AuditEntry.entity_id == str(decided["id"])
                )
            )
            assert entry is not None and entry.detail["decision"] == unified
