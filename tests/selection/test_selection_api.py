"""选品广场 over the API: the whole loop with response shapes, list filters in OpenAPI, and the race of twenty
parallel approvals of one sample request (exactly one wins) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.commerce.racing import race, statuses
from tests.fixtures.world import World
from tests.selection.naming import letters as _letters

from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database
from wanghong.selection.models import SampleRequest, SampleStatus

API = "/api/v1/selection"


def _listed(client: TestClient, as_user, world: World, name: str, rate: float = 0.25) -> int:  # type: ignore[no-untyped-def]
    product = client.post(
        "/api/v1/products", json={"name": name, "category": "beauty", "price": "80"}, headers=as_user("brandA")
    )
    assert product.status_code == 201, product.text
    body = {"product_id": product.json()["id"], "commission_rate": rate, "sample_policy": "free"}
    listing = client.post(f"{API}/listings", json=body, headers=as_user("brandA"))
    assert listing.status_code == 201, listing.text
    assert listing.json()["status"] == "open"
    return int(listing.json()["id"])


def test_the_loop_over_the_api(app_client: TestClient, world: World, as_user) -> None:
    client = app_client
    name = f"{_letters(world)} 水乳套装"
    listing = _listed(client, as_user, world, name)
    again = client.post(f"{API}/listings", json={"product_id": 0, "commission_rate": 2}, headers=as_user("brandA"))
    assert again.status_code == 422  # a rate above 90% is not a commission

    market = client.get(f"{API}/market", params={"q": name, "sort": "commission"}, headers=as_user("creatorA1"))
    assert market.status_code == 200
    assert [o["listing_id"] for o in market.json()["items"]] == [listing] and market.json()["total"] == 1
    assert market.json()["items"][0]["commission_per_sale"] == "20.00"
    assert client.get(f"{API}/market", headers=as_user("brandA")).status_code == 403

    sample = client.post(
        f"{API}/samples", json={"listing_id": listing, "address": "杭州市余杭区 8 号"}, headers=as_user("creatorA1")
    )
    assert sample.status_code == 201 and sample.json()["status"] == "pending"
    mine = client.get(f"{API}/samples", params={"listing_id": listing}, headers=as_user("brandA")).json()["items"]
    assert [r["id"] for r in mine] == [sample.json()["id"]]
    assert client.get(f"{API}/samples", params={"listing_id": listing}, headers=as_user("brandB")).json()["items"] == []
    decided = client.post(
        f"{API}/samples/{sample.json()['id']}/decision", json={"decision": "approved"}, headers=as_user("brandA")
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    # Each side hears of the other's step in its 站内信.
    brand_inbox = client.get("/api/v1/notifications", headers=as_user("brandA")).json()["items"]
    assert any(n["kind"] == "sample_requested" and name in n["text"] for n in brand_inbox)
    for user in ("creatorA1", "mcnA"):
        inbox = client.get("/api/v1/notifications", headers=as_user(user)).json()["items"]
        assert any(n["kind"] == "sample_approved" and name in n["text"] for n in inbox), user
    assert not any(
        n["kind"].startswith("sample_")
        for n in client.get("/api/v1/notifications", headers=as_user("brandB")).json()["items"]
    )
    pending = client.get(f"{API}/samples", params={"status": "pending"}, headers=as_user("creatorA1")).json()
    assert sample.json()["id"] not in {r["id"] for r in pending["items"]}

    live = client.post(
        "/api/v1/livestreams",
        json={"title": "周末专场", "started_at": (utcnow() + timedelta(days=1)).isoformat()},
        headers=as_user("creatorA1"),
    )
    assert live.status_code == 201, live.text
    item = client.post(
        f"{API}/cart-items",
        json={"livestream_id": live.json()["id"], "listing_id": listing},
        headers=as_user("creatorA1"),
    )
    assert item.status_code == 201 and item.json()["commission_rate"] == 0.25
    carts = client.get(f"{API}/cart-items", params={"livestream_id": live.json()["id"]}, headers=as_user("brandA"))
    assert [i["id"] for i in carts.json()["items"]] == [item.json()["id"]]
    closed = client.patch(f"{API}/listings/{listing}", json={"status": "closed"}, headers=as_user("brandA"))
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.get(f"{API}/market", params={"q": name}, headers=as_user("creatorA1")).json()["items"] == []
    refused = client.post(
        f"{API}/cart-items", json={"livestream_id": world["liveA"], "listing_id": listing}, headers=as_user("creatorA1")
    )
    assert refused.status_code == 409 and "closed" in refused.json()["detail"]
    removed = client.delete(f"{API}/cart-items/{item.json()['id']}", headers=as_user("creatorA1"))
    assert removed.status_code == 204


def test_content_is_prechecked_then_kept_as_versions(app_client: TestClient, world: World, as_user) -> None:
    client = app_client
    step = f"/api/v1/collaborations/{world['collabA']}/transitions"
    assert client.post(step, json={"to": "accepted"}, headers=as_user("creatorA1")).status_code == 200
    check = client.post(
        f"{API}/content-checks",
        json={"title": "秋冬护肤", "script": "明星同款，纯天然无添加"},
        headers=as_user("creatorA1"),
    )
    assert check.status_code == 200 and check.json()["verdict"] == "review"
    assert {h["term"] for h in check.json()["hits"]} >= {"明星同款", "无添加"}
    body = {
        "collaboration_id": world["collabA"],
        "title": "秋冬护肤",
        "script": "明星同款，纯天然无添加",
        "video_url": "javascript:alert(1)",
    }
    assert client.post(f"{API}/content-versions", json=body, headers=as_user("creatorA1")).status_code == 422
    body["video_url"] = "https://example.com/v/winter"
    # Another tenant's collaboration is not found; the creator's own is submitted as version 2.
    foreign = client.post(
        f"{API}/content-versions", json=body | {"collaboration_id": world["collabB"]}, headers=as_user("creatorA1")
    )
    assert foreign.status_code == 404
    made = client.post(f"{API}/content-versions", json=body, headers=as_user("creatorA1"))
    assert made.status_code == 201, made.text
    assert (made.json()["number"], made.json()["verdict"]) == (2, "review")
    seen = client.get(
        f"{API}/content-versions", params={"collaboration_id": world["collabA"]}, headers=as_user("brandA")
    )
    assert [(v["number"], v["verdict"]) for v in seen.json()["items"]] == [(2, "review"), (1, None)]
    assert (
        client.get(
            f"{API}/content-versions", params={"collaboration_id": world["collabA"]}, headers=as_user("brandB")
        ).json()["items"]
        == []
    )


def test_list_filters_and_response_models_are_in_openapi(app_client: TestClient) -> None:
    spec = app_client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    for path, method, filters in (
        ("/api/v1/selection/listings", "get", {"status", "limit", "cursor"}),
        ("/api/v1/selection/market", "get", {"q", "category", "min_commission", "max_commission", "sort", "cursor"}),
        ("/api/v1/selection/samples", "get", {"status", "listing_id", "limit", "cursor"}),
        ("/api/v1/selection/cart-items", "get", {"livestream_id", "limit", "cursor"}),
        ("/api/v1/selection/content-versions", "get", {"collaboration_id", "limit", "cursor"}),
    ):
        operation = paths[path][method]
        assert filters <= {p["name"] for p in operation["parameters"]}, path
        assert "$ref" in str(operation["responses"]["200"]["content"]["application/json"]["schema"]), path
    for path in ("/api/v1/selection/samples/{request_id}/decision", "/api/v1/selection/content-versions"):
        assert "post" in paths[path]


def test_twenty_parallel_approvals_of_one_request_one_wins(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    request = world["sampleA"]
    headers = as_user("brandA")
    calls = [("POST", f"{API}/samples/{request}/decision", {"decision": "approved"}, headers) for _ in range(20)]
    responses = race(app_client.app, calls)
    assert statuses(responses) == [200] + [409] * 19, [r.text for r in responses if r.status_code not in (200, 409)]
    assert all("already decided" in r.json()["detail"] for r in responses if r.status_code == 409)
    with db.transaction() as s:
        row = s.get(SampleRequest, request)
        assert row is not None and row.status is SampleStatus.APPROVED
        decisions = s.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "selection_sample_request.decide", AuditEntry.entity_id == str(request)
            )
        ).all()
        assert len(decisions) == 1
