"""人群洞察 over the API: packs CRUD within the brand, noised sizes under the budget, export, lookalike, targeting."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.audience.crowd import Crowd, build_crowd
from tests.fixtures.world import World
from wanghong.commerce.models import Viewer
from wanghong.kit.db.session import Database


@pytest.fixture
def crowd(db: Database, world: World) -> Crowd:
    return build_crowd(db, world)


def test_a_brand_works_its_packs_through_the_api(
    app_client: TestClient, db: Database, world: World, crowd: Crowd, as_user
) -> None:
    brand = as_user("brandA")
    body = {"name": "母婴粉丝", "definition": {"kind": "followed_creator", "creator_id": crowd["momCreator"]}}
    created = app_client.post("/api/v1/audience/packs", json=body, headers=brand)
    assert created.status_code == 201, created.text
    pack = created.json()
    assert pack["brand_id"] == world["brandA"] and pack["definition"]["kind"] == "followed_creator"

    listed = app_client.get("/api/v1/audience/packs", headers=brand).json()
    assert [item["id"] for item in listed["items"]][:2] == [pack["id"], world["packA"]]
    assert app_client.get("/api/v1/audience/packs", headers=as_user("brandB")).json()["items"][0]["id"] != pack["id"]

    renamed = app_client.patch(f"/api/v1/audience/packs/{pack['id']}", json={"name": "母婴铁粉"}, headers=brand)
    assert renamed.status_code == 200 and renamed.json()["name"] == "母婴铁粉"

    size = app_client.post(f"/api/v1/audience/packs/{pack['id']}/size", json={"epsilon": 1.0}, headers=brand)
    assert size.status_code == 200, size.text
    released = size.json()
    assert abs(released["size"] - len(crowd.followers)) <= 4 * max(released["accuracy"], 1)
    assert released["budget"]["spent"] == pytest.approx(1.0)
    budget = app_client.get("/api/v1/audience/budget", headers=brand).json()
    assert budget["remaining"] == pytest.approx(budget["limit"] - 1.0)

    exported = app_client.post(f"/api/v1/audience/packs/{pack['id']}/export", headers=brand)
    assert exported.status_code == 200, exported.text
    assert len(exported.json()["hashed_ids"]) >= 50 and len(exported.json()["key"]) == 64

    expansion = app_client.get(f"/api/v1/audience/packs/{pack['id']}/lookalike", headers=brand)
    assert expansion.status_code == 200, expansion.text
    steps = expansion.json()["steps"]
    assert steps and all(0 <= s["precision"] <= 1 for s in steps)

    creators = app_client.get(f"/api/v1/audience/packs/{pack['id']}/creators", headers=brand)
    assert creators.status_code == 200
    # From the size release's noised reach (ε 1 on a few hundred viewers): the mom creator is there; its order
    # against creatorA1, whose livestream a third of the moms watched, is noise's.
    mom = next(line for line in creators.json() if line["creator_id"] == crowd["momCreator"])
    # The TGI is post-processing of that release: the noised share of the creator's audience over the pack's noised
    # share of every viewer the platform holds, which on the suite's shared database includes other tests' viewers.
    # Exact, so a base read from a stale population, or from other rows than the release's, fails here.
    with db.transaction() as s:
        viewers = s.scalar(select(func.count(Viewer.id)))
    assert mom["tgi"] == pytest.approx(100 * mom["share"] / (released["size"] / viewers))
    # Whether it is above 100 is the noise's to say: the reach is noised at ε 0.5 with scale 10 on ~80 followers,
    # and on a database of this crowd alone 2% of runs fall below 100 (0.8% below 78, as once in CI). The service
    # test asserts it at ε 4; here only what the noise passes but once in a million runs (|noise| ≤ 14 scales).
    assert abs(mom["reached"] - len(crowd.followers)) <= 140 and mom["sample_size"] >= 150

    kinds = [r["kind"] for r in app_client.get("/api/v1/audience/releases", headers=brand).json()["items"]]
    assert kinds[:2] == ["export", "pack_size"]

    deleted = app_client.delete(f"/api/v1/audience/packs/{pack['id']}", headers=brand)
    assert deleted.status_code == 204
    assert app_client.get(f"/api/v1/audience/packs/{pack['id']}", headers=brand).status_code == 404


def test_refusals_say_why(app_client: TestClient, world: World, crowd: Crowd, as_user) -> None:
    brand = as_user("brandA")
    bad = app_client.post(
        "/api/v1/audience/packs",
        json={"name": "x", "definition": {"kind": "intersection", "parts": [{"kind": "segment", "segment": "nope"}]}},
        headers=brand,
    )
    assert bad.status_code == 422
    deep: dict[str, object] = {"kind": "segment", "segment": "silver"}
    for _ in range(5):
        deep = {"kind": "union", "parts": [deep]}
    patched = app_client.patch(f"/api/v1/audience/packs/{world['packA']}", json={"definition": deep}, headers=brand)
    assert patched.status_code == 422 and "nests at most" in patched.text
    blank = app_client.patch(f"/api/v1/audience/packs/{world['packA']}", json={"name": "  "}, headers=brand)
    assert blank.status_code == 422
    too_much = app_client.post(f"/api/v1/audience/packs/{world['packA']}/size", json={"epsilon": 2}, headers=brand)
    assert too_much.status_code == 422
    # Creators and MCNs build no packs.
    refused = app_client.post(
        "/api/v1/audience/packs",
        json={"name": "x", "definition": {"kind": "segment", "segment": "silver"}},
        headers=as_user("mcnA"),
    )
    assert refused.status_code == 403
    small = app_client.post(
        "/api/v1/audience/packs",
        json={"name": "直播观众", "definition": {"kind": "watched_livestream", "livestream_id": world["liveA"]}},
        headers=brand,
    ).json()
    export = app_client.post(f"/api/v1/audience/packs/{small['id']}/export", headers=brand)
    assert export.status_code == 422 and "k-anonymous" in export.json()["detail"]
    lookalike = app_client.get(f"/api/v1/audience/packs/{small['id']}/lookalike", headers=brand)
    assert lookalike.status_code == 422 and "50 seeds" in lookalike.json()["detail"]
    # Spend the month, then the next release is a 409 with the ε left.
    for _ in range(5):
        app_client.post(f"/api/v1/audience/packs/{small['id']}/size", json={"epsilon": 1.0}, headers=brand)
    over = app_client.post(f"/api/v1/audience/packs/{small['id']}/size", json={"epsilon": 0.1}, headers=brand)
    assert over.status_code == 409 and over.headers["content-type"] == "application/problem+json"
    assert "budget" in over.json()["detail"]
    segments = app_client.post("/api/v1/audience/segments/release", json={"epsilon": 0.1}, headers=brand)
    assert segments.status_code == 409
    other = app_client.post("/api/v1/audience/segments/release", json={"epsilon": 0.5}, headers=as_user("brandB"))
    assert other.status_code == 200 and len(other.json()["segments"]) == 9
