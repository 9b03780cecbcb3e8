"""CRUD, filters, pagination, the collaboration workflow, ingestion and error shapes."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.fixtures.world import World

from wanghong.commerce.models import Collaboration, IngestedEvent, LivestreamSession, Video
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database


def _count(db: Database, model: type, *where) -> int:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _actions(db: Database, entity: str, entity_id: int | str) -> list[str]:
    with db.transaction() as s:
        where = (AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
        return list(s.scalars(select(AuditEntry.action).where(*where).order_by(AuditEntry.id)))


def test_creator_crud_derives_tier_and_audits(app_client: TestClient, world: World, db: Database, as_user) -> None:
    # Followers are measured by the platform (issue 13): the MCN registers the creator, an administrator (or
    # ingestion) sets the count, and the tier follows it.
    headers, admin = as_user("mcnA"), as_user("admin")
    created = app_client.post(
        "/api/v1/creators",
        headers=headers,
        json={"handle": f"new_{world.tag}", "display_name": "新人", "categories": ["food"]},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["follower_tier"] == "nano" and body["mcn_id"] == world["mcnA"]
    mid = app_client.patch(f"/api/v1/creators/{body['id']}", headers=admin, json={"followers": 150_000})
    assert mid.json()["follower_tier"] == "mid"
    updated = app_client.patch(f"/api/v1/creators/{body['id']}", headers=admin, json={"followers": 2_000_000})
    assert updated.json()["follower_tier"] == "head"
    assert _count(db, AuditEntry, AuditEntry.entity == "creators", AuditEntry.entity_id == str(body["id"])) == 3
    assert app_client.delete(f"/api/v1/creators/{body['id']}", headers=headers).status_code == 204
    assert app_client.get(f"/api/v1/creators/{body['id']}", headers=headers).status_code == 404
    actions = ["creator.create", "creator.update", "creator.update", "creator.delete"]
    assert _actions(db, "creators", body["id"]) == actions


def test_filters_and_cursor_pagination_walk_everything_once(app_client: TestClient, world: World, as_user) -> None:
    headers = as_user("admin")
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 2, "followers_min": 1, **({"cursor": cursor} if cursor else {})}
        page = app_client.get("/api/v1/creators", headers=headers, params=params).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) and seen == sorted(seen)
    assert {world["creatorA1"], world["creatorA2"], world["creatorB1"]} <= set(seen)
    mid = app_client.get("/api/v1/creators", headers=headers, params={"follower_tier": "mid", "limit": 200}).json()
    assert all(c["follower_tier"] == "mid" for c in mid["items"]) and world["creatorA1"] in {
        c["id"] for c in mid["items"]
    }
    beauty = app_client.get("/api/v1/creators", headers=headers, params={"category": "beauty", "limit": 200}).json()
    assert world["creatorB1"] in {c["id"] for c in beauty["items"]}


def test_bad_filters_and_cursors_explain_themselves(app_client: TestClient, as_user) -> None:
    headers = as_user("admin")
    unknown = app_client.get("/api/v1/creators", headers=headers, params={"colour": "red"})
    assert unknown.status_code == 422 and "available" in unknown.json()["detail"]
    wrong_type = app_client.get("/api/v1/creators", headers=headers, params={"followers_min": "many"})
    assert wrong_type.status_code == 422 and "followers_min" in wrong_type.json()["detail"]
    bad_enum = app_client.get("/api/v1/creators", headers=headers, params={"follower_tier": "giant"})
    assert bad_enum.status_code == 422 and "mid" in bad_enum.json()["detail"]
    bad_cursor = app_client.get("/api/v1/creators", headers=headers, params={"cursor": "%%%"})
    assert bad_cursor.status_code == 422 and "cursor" in bad_cursor.json()["detail"]


def test_wrong_types_and_unknown_fields_change_nothing(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    headers = as_user("brandA")
    before = _count(db, AuditEntry)
    for body in (
        {"name": "x", "category": "beauty", "price": "cheap"},
        {"name": "x", "category": "weapons", "price": "1"},
        {"name": "x", "category": "beauty", "price": "-5"},
        {"name": "x", "category": "beauty", "price": "1", "colour": "red"},
        {"name": "x", "category": "beauty", "price": "1", "target_persona": {"gender": {"female": 0.3}}},
    ):
        response = app_client.post("/api/v1/products", headers=headers, json=body)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"]
    assert app_client.get("/api/v1/products/999999999", headers=headers).status_code == 404
    assert _count(db, AuditEntry) == before


def _step(client: TestClient, headers: dict[str, str], collab: int, to: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/collaborations/{collab}/transitions", headers=headers, json={"to": to, **extra})


def test_collaboration_workflow_is_enforced(app_client: TestClient, world: World, db: Database, as_user) -> None:
    brand, creator, mcn = as_user("brandA"), as_user("creatorA1"), as_user("mcnA")
    proposal = app_client.post(
        "/api/v1/collaborations",
        headers=brand,
        json={
            "campaign_id": world["campaignA"],
            "creator_id": world["creatorA1"],
            "product_id": world["productA"],
            "mode": "brand_self_live",
            "fee": "3000.00",
            "commission_rate": 0.15,
        },
    )
    assert proposal.status_code == 201, proposal.text
    collab = proposal.json()["id"]
    assert proposal.json()["status"] == "proposed"
    # The brand cannot accept its own proposal, and nobody can skip ahead.
    refused = _step(app_client, brand, collab, "accepted")
    assert refused.status_code == 409 and "creator side" in refused.json()["detail"]
    skipped = _step(app_client, creator, collab, "live")
    assert skipped.status_code == 409 and "legal next states" in skipped.json()["detail"]
    assert _step(app_client, creator, collab, "accepted").status_code == 200
    # Terms are fixed once answered.
    assert app_client.patch(f"/api/v1/collaborations/{collab}", headers=brand, json={"fee": "1"}).status_code == 409
    missing_content = _step(app_client, mcn, collab, "content_submitted")
    assert missing_content.status_code == 422 and "content_url" in missing_content.json()["detail"]
    assert _step(app_client, mcn, collab, "content_submitted", content_url="https://v.example/1").status_code == 200
    assert _step(app_client, brand, collab, "approved").status_code == 200
    assert _step(app_client, creator, collab, "live").status_code == 200
    settled = _step(app_client, brand, collab, "settled")
    assert settled.status_code == 200 and settled.json()["status"] == "settled"
    assert _step(app_client, brand, collab, "cancelled").status_code == 409
    with db.transaction() as s:
        assert s.get(Collaboration, collab).status.value == "settled"  # type: ignore[union-attr]
        steps = s.scalars(
            select(AuditEntry.detail)
            .where(
                AuditEntry.entity == "collaborations",
                AuditEntry.entity_id == str(collab),
                AuditEntry.action == "collaboration.transition",
            )
            # PostgreSQL returns rows in heap order, which freed space from other tests can shuffle.
            .order_by(AuditEntry.id)
        ).all()
    assert [d["to"] for d in steps] == ["accepted", "content_submitted", "approved", "live", "settled"]


def _batch(world: World, prefix: str) -> dict[str, object]:
    return {
        "events": [
            {
                "event_id": f"{prefix}-v",
                "type": "video_published",
                "payload": {
                    "creator_id": world["creatorA1"],
                    "title": "新品开箱",
                    "published_at": "2026-11-02T10:00:00+08:00",
                },
            },
            {
                "event_id": f"{prefix}-m1",
                "type": "livestream_minute",
                "payload": {
                    "session_id": world["liveA"],
                    "minute_at": "2026-11-01T12:01:00Z",
                    "viewers": 900,
                    "gmv": "500.00",
                    "orders": 5,
                    "tips": "20.00",
                },
            },
            {
                "event_id": f"{prefix}-o",
                "type": "order",
                "payload": {
                    "product_id": world["productA"],
                    "creator_id": world["creatorA1"],
                    "amount": "99.00",
                    "ordered_at": "2026-11-01T12:01:30Z",
                },
            },
            {
                "event_id": f"{prefix}-b",
                "type": "viewer_behaviour",
                "payload": {
                    "viewer_external_id": f"fan-{prefix}",
                    "creator_id": world["creatorA1"],
                    "action": "like",
                    "occurred_at": "2026-11-01T12:02:00Z",
                },
            },
        ]
    }


def test_event_ingestion_is_idempotent(app_client: TestClient, world: World, db: Database, as_user) -> None:
    headers = as_user("admin")
    batch = _batch(world, f"evt-{world.tag}")
    first = app_client.post("/api/v1/events:batch", headers=headers, json=batch)
    assert first.json() == {"received": 4, "stored": 4, "duplicates": 0}, first.text
    retry = app_client.post("/api/v1/events:batch", headers=headers, json=batch)
    assert retry.json() == {"received": 4, "stored": 0, "duplicates": 4}
    with db.transaction() as s:
        live = s.get(LivestreamSession, world["liveA"])
        assert live is not None and live.peak_viewers == 900 and str(live.gmv) == "1500.00"
    assert _count(db, Video, Video.creator_id == world["creatorA1"]) == 2
    # One audit entry for the batch that stored something, none for the retry.
    assert _actions(db, "ingested_events", f"evt-{world.tag}-v") == ["event_batch.ingest"]


def test_bad_batches_store_nothing(app_client: TestClient, world: World, db: Database, as_user) -> None:
    headers = as_user("admin")
    before = _count(db, IngestedEvent)
    broken = _batch(world, f"bad-{world.tag}")
    broken["events"][2]["payload"]["product_id"] = 987654321  # type: ignore[index]
    response = app_client.post("/api/v1/events:batch", headers=headers, json=broken)
    assert response.status_code == 422 and "does not exist" in response.json()["detail"]
    wrong_type = _batch(world, f"bad2-{world.tag}")
    wrong_type["events"][1]["payload"]["viewers"] = "lots"  # type: ignore[index]
    response = app_client.post("/api/v1/events:batch", headers=headers, json=wrong_type)
    assert response.status_code == 422 and "events[1]" in response.json()["detail"]
    oversized = {"events": [{"event_id": f"big-{i}", "type": "order", "payload": {}} for i in range(51)]}
    response = app_client.post("/api/v1/events:batch", headers=headers, json=oversized)
    assert response.status_code == 413 and "at most 50" in response.json()["detail"]
    clash = _batch(world, f"clash-{world.tag}")
    clash["events"].append({**clash["events"][0], "payload": {**clash["events"][0]["payload"], "title": "x"}})  # type: ignore[attr-defined,index]
    assert app_client.post("/api/v1/events:batch", headers=headers, json=clash).status_code == 422
    assert _count(db, IngestedEvent) == before


def test_review_decision(app_client: TestClient, world: World, as_user) -> None:
    # The route is compliance's now; this test belongs with it (tests/compliance).
    decided = app_client.post(
        f"/api/v1/review-tasks/{world['reviewA']}/decision",
        headers=as_user("reviewer"),
        json={"decision": "confirmed", "note": "绝对化用语"},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "confirmed"
    again = app_client.post(
        f"/api/v1/review-tasks/{world['reviewA']}/decision",
        headers=as_user("reviewer"),
        json={"decision": "overturned"},
    )
    assert again.status_code == 409


def test_mcn_rating(app_client: TestClient, world: World, db: Database, as_user) -> None:
    rated = app_client.post(
        f"/api/v1/mcns/{world['mcnA']}/tier", headers=as_user("admin"), json={"tier": "S", "reason": "GMV 前 5%"}
    )
    assert rated.json()["tier"] == "S"
    history = app_client.get(f"/api/v1/mcns/{world['mcnA']}/tier-history", headers=as_user("mcnA")).json()
    assert [h["tier"] for h in history] == ["S"]
    assert (
        app_client.post(f"/api/v1/mcns/{world['mcnA']}/tier", headers=as_user("mcnA"), json={"tier": "S"}).status_code
        == 403
    )
    assert _actions(db, "mcns", world["mcnA"]) == ["mcn.set_tier"]


def test_persona_must_be_a_distribution(app_client: TestClient, world: World, db: Database, as_user) -> None:
    url = f"/api/v1/creators/{world['creatorA1']}/persona"
    bad = app_client.put(url, headers=as_user("creatorA1"), json={"gender": {"female": 0.7, "male": 0.7}})
    assert bad.status_code == 422 and "sum to 1" in bad.json()["detail"]
    good = app_client.put(url, headers=as_user("creatorA1"), json={"gender": {"female": 0.7, "male": 0.3}})
    assert good.status_code == 200 and good.json()["gender"] == {"female": 0.7, "male": 0.3}
    assert _actions(db, "fan_personas", world["creatorA1"]) == ["fan_persona.put"]
