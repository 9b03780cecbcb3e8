"""Who may write what (issue 13): measured fields are the platform's, money records are never erased by tenants,
and addresses are web addresses."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.fixtures.world import World

from wanghong.commerce.models import Brand, Creator, LivestreamSession, Order
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database

STARTED = "2026-11-02T12:00:00+08:00"


def _refused(response, field: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 403, response.text
    assert field in response.json()["detail"] and field in response.json()["fields"]


def test_tenants_cannot_set_what_the_platform_measures(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    creator, mcn = as_user("creatorA1"), as_user("mcnA")
    me = f"/api/v1/creators/{world['creatorA1']}"
    _refused(app_client.patch(me, headers=creator, json={"followers": 50_000_000}), "followers")
    _refused(app_client.patch(me, headers=mcn, json={"followers": 50_000_000, "region": "x"}), "followers")
    _refused(
        app_client.post(
            "/api/v1/creators",
            headers=mcn,
            json={"handle": f"big_{world.tag}", "display_name": "x", "followers": 9_000_000},
        ),
        "followers",
    )
    _refused(
        app_client.post("/api/v1/livestreams", headers=creator, json={"started_at": STARTED, "gmv": "999999999999.99"}),
        "gmv",
    )
    _refused(
        app_client.patch(f"/api/v1/livestreams/{world['liveA']}", headers=creator, json={"peak_viewers": 10**6}),
        "peak_viewers",
    )
    _refused(
        app_client.post(
            "/api/v1/videos", headers=creator, json={"title": "x", "published_at": STARTED, "views": 10**9}
        ),
        "views",
    )
    with db.transaction() as s:
        row = s.get(Creator, world["creatorA1"])
        assert row is not None and (row.followers, row.follower_tier.value) == (250_000, "mid")
        assert s.get(LivestreamSession, world["liveA"]).peak_viewers == 0  # type: ignore[union-attr]
    # What the tenant does own still goes through; the measured numbers start at zero.
    scheduled = app_client.post("/api/v1/livestreams", headers=creator, json={"started_at": STARTED, "title": "晚场"})
    assert scheduled.status_code == 201, scheduled.text
    assert float(scheduled.json()["gmv"]) == 0 and scheduled.json()["creator_id"] == world["creatorA1"]
    assert app_client.patch(me, headers=creator, json={"region": "杭州"}).status_code == 200


def test_administrators_set_measured_fields_audited(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    url = f"/api/v1/creators/{world['creatorA2']}"
    changed = app_client.patch(url, headers=as_user("admin"), json={"followers": 2_000_000})
    assert changed.status_code == 200 and changed.json()["follower_tier"] == "head"
    with db.transaction() as s:
        detail = s.scalars(
            select(AuditEntry.detail).where(
                AuditEntry.action == "creator.update", AuditEntry.entity_id == str(world["creatorA2"])
            )
        ).one()
    assert detail["before"]["followers"] == 8_000 and detail["after"]["followers"] == 2_000_000


def test_tenants_never_delete_money_records(app_client: TestClient, world: World, db: Database, as_user) -> None:
    brand, mcn = as_user("brandA"), as_user("mcnA")
    for url, headers, words in (
        (f"/api/v1/brands/{world['brandA']}", brand, ("1 orders", "1 campaigns")),
        (f"/api/v1/products/{world['productA']}", brand, ("1 orders", "1 collaborations")),
        (f"/api/v1/campaigns/{world['campaignA']}", brand, ("close it",)),
        (f"/api/v1/creators/{world['creatorA1']}", mcn, ("collaborations", "livestreams")),
    ):
        response = app_client.delete(url, headers=headers)
        assert response.status_code == 409, (url, response.text)
        assert all(word in response.json()["detail"] for word in words), response.json()["detail"]
    with db.transaction() as s:
        assert s.get(Brand, world["brandA"]) is not None and s.get(Order, world["orderA"]) is not None
    # Rows nothing hangs on are still the tenant's to remove.
    made = app_client.post(
        "/api/v1/products", headers=brand, json={"name": "试用装", "category": "beauty", "price": "1"}
    )
    assert app_client.delete(f"/api/v1/products/{made.json()['id']}", headers=brand).status_code == 204


def test_an_administrators_delete_records_what_went_with_it(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    response = app_client.delete(f"/api/v1/brands/{world['brandB']}", headers=as_user("admin"))
    assert response.status_code == 204, response.text
    with db.transaction() as s:
        assert s.get(Order, world["orderB"]) is None
        detail = s.scalars(
            select(AuditEntry.detail).where(
                AuditEntry.action == "brand.delete", AuditEntry.entity_id == str(world["brandB"])
            )
        ).one()
    assert detail == {"with": {"orders": 1, "campaigns": 1}}


def test_content_url_is_a_web_address(app_client: TestClient, world: World, as_user) -> None:
    creator, url = as_user("creatorA1"), f"/api/v1/collaborations/{world['collabA']}/transitions"
    assert app_client.post(url, headers=creator, json={"to": "accepted"}).status_code == 200
    for bad in (
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        "data:text/html,<b>x</b>",
        "//v.example/x",
        "https://",
        "https://v.example/a b",
        "ftp://v.example/x",
    ):
        response = app_client.post(url, headers=creator, json={"to": "content_submitted", "content_url": bad})
        assert response.status_code == 422, (bad, response.text)
        assert "content_url" in response.json()["detail"], response.text
    good = app_client.post(
        url, headers=creator, json={"to": "content_submitted", "content_url": "https://v.example/draft?id=1"}
    )
    assert good.status_code == 200 and good.json()["content_url"] == "https://v.example/draft?id=1"
