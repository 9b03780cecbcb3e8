"""达人广场 over the API: the market list with its filters in OpenAPI, rate cards, and the 收藏夹."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.fixtures.world import World


def test_the_market_lists_every_creator_to_a_brand_with_rate_cards(
    app_client: TestClient, world: World, as_user
) -> None:  # type: ignore[no-untyped-def]
    put = app_client.put(
        f"/api/v1/creators/{world['creatorB1']}/rate-card",
        json={"video_short": "800", "video_medium": "1500.5", "live_slot_fee": "20000", "live_commission_rate": 0.25},
        headers=as_user("creatorB1"),
    )
    assert put.status_code == 200, put.text
    card = put.json()
    assert card["video_medium"] == "1500.50" and card["video_long"] is None and card["live_commission_rate"] == 0.25
    listed = app_client.get(
        "/api/v1/marketplace/creators", params={"keyword": world.tag, "limit": 2}, headers=as_user("brandA")
    )
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert [c["id"] for c in body["items"]] == [world["creatorB1"], world["creatorA1"]] and body["next_cursor"]
    first = body["items"][0]
    assert first["rate_card"]["live_slot_fee"] == "20000.00" and first["mcn_name"] == f"MCN B {world.tag}"
    assert first["segments"] == {"young_mothers": 0.6, "students": 0.4} and first["favourite"] is False
    assert body["items"][1]["favourite"] is True  # brand A keeps creator A1 (the world's favourite)
    rest = app_client.get(
        "/api/v1/marketplace/creators",
        params={"keyword": world.tag, "limit": 2, "cursor": body["next_cursor"]},
        headers=as_user("brandA"),
    ).json()
    assert [c["id"] for c in rest["items"]] == [world["creatorA2"]] and rest["next_cursor"] is None
    tiered = app_client.get(
        "/api/v1/marketplace/creators",
        params={"keyword": world.tag, "follower_tier": "head", "segment": "young_mothers", "sort": "gmv"},
        headers=as_user("brandB"),
    ).json()
    assert [c["id"] for c in tiered["items"]] == [world["creatorB1"]]
    bad = app_client.get("/api/v1/marketplace/creators", params={"mcn_tier": "Z"}, headers=as_user("brandA"))
    assert bad.status_code == 422
    for user in ("creatorA1", "mcnA", "reviewer"):
        assert app_client.get("/api/v1/marketplace/creators", headers=as_user(user)).status_code == 403


def test_rate_cards_are_the_creators_and_its_mcns(app_client: TestClient, world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/creators/{world['creatorA1']}/rate-card"
    empty = app_client.get(url, headers=as_user("creatorA1"))
    assert empty.status_code == 200 and empty.json()["updated_at"] is None and empty.json()["video_short"] is None
    by_mcn = app_client.put(url, json={"video_long": "3000"}, headers=as_user("mcnA"))
    assert by_mcn.status_code == 200 and by_mcn.json()["video_long"] == "3000.00"
    assert app_client.get(url, headers=as_user("creatorA1")).json()["video_long"] == "3000.00"
    for body in ({"video_short": "-5"}, {"live_commission_rate": 2}, {"video_short": "1", "fee": "2"}):
        assert app_client.put(url, json=body, headers=as_user("creatorA1")).status_code == 422
    # Another tenant's creator, and a brand at the creator's own door, are not found.
    assert app_client.put(url, json={}, headers=as_user("creatorB1")).status_code == 404
    assert app_client.get(url, headers=as_user("brandA")).status_code == 404


def test_favourites_over_the_api(app_client: TestClient, world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    brand = as_user("brandA")
    made = app_client.post("/api/v1/favourites", json={"creator_id": world["creatorB1"]}, headers=brand)
    assert made.status_code == 201, made.text
    assert made.json()["brand_id"] == world["brandA"]
    again = app_client.post("/api/v1/favourites", json={"creator_id": world["creatorB1"]}, headers=brand)
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"
    listed = app_client.get("/api/v1/favourites", params={"limit": 1}, headers=brand).json()
    assert [f["id"] for f in listed["items"]] == [made.json()["id"]] and listed["next_cursor"]
    foreign = app_client.delete(f"/api/v1/favourites/{world['favouriteB']}", headers=brand)
    assert foreign.status_code == 404
    assert app_client.delete(f"/api/v1/favourites/{made.json()['id']}", headers=brand).status_code == 204
    assert app_client.delete(f"/api/v1/favourites/{made.json()['id']}", headers=brand).status_code == 404
    assert app_client.get("/api/v1/favourites", headers=as_user("creatorA1")).status_code == 403
    unknown = app_client.post("/api/v1/favourites", json={"creator_id": 10**9}, headers=brand)
    assert unknown.status_code == 404


def test_openapi_declares_the_filters_and_shapes(app_client: TestClient) -> None:
    spec = app_client.get("/api/v1/openapi.json").json()
    market = spec["paths"]["/api/v1/marketplace/creators"]["get"]
    names = {p["name"] for p in market["parameters"]}
    assert names >= {
        "keyword",
        "category",
        "region",
        "followers_min",
        "followers_max",
        "follower_tier",
        "mcn_tier",
        "segment",
        "sort",
        "limit",
        "cursor",
    }
    assert market["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("MarketPageOut")
    card = spec["paths"]["/api/v1/creators/{ident}/rate-card"]
    assert set(card) == {"get", "put"}
    assert set(spec["paths"]["/api/v1/favourites"]) == {"get", "post"}
    assert "delete" in spec["paths"]["/api/v1/favourites/{ident}"]
