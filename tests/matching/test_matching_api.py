"""HTTP behaviour of the matching endpoint and page: tenancy, bad input, freshness through the database."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.fixtures.world import World

from wanghong.commerce.models import Creator, FanPersona
from wanghong.compliance.models import Violation
from wanghong.domain import Severity, ViolationStatus
from wanghong.kit.db.session import Database

PROBLEM = "application/problem+json"


def _matches(client: TestClient, product: int, headers: dict[str, str], **params: object):  # type: ignore[no-untyped-def]
    return client.get(f"/api/v1/products/{product}/matches", params=params, headers=headers)


def test_brand_gets_ranked_creators_with_explanations(matching_client, matching_world: World, headers) -> None:  # type: ignore[no-untyped-def]
    response = _matches(matching_client, matching_world["productA"], headers("brandA"), k=5, exclude_penalised=False)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["product"]["id"] == matching_world["productA"]
    items = body["items"]
    assert 1 <= len(items) <= 5
    assert [i["rank"] for i in items] == list(range(1, len(items) + 1))
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
    first = items[0]
    assert first["expected_gmv"]["p10"] <= first["expected_gmv"]["p50"] <= first["expected_gmv"]["p90"]
    assert first["overlaps"] and {"dimension", "label", "creator_share", "overlap"} <= set(first["overlaps"][0])


def test_another_brands_product_and_unknown_products_are_404(matching_client, matching_world: World, headers) -> None:  # type: ignore[no-untyped-def]
    for product in (matching_world["productB"], 10**9):
        response = _matches(matching_client, product, headers("brandA"))
        assert response.status_code == 404
        assert response.headers["content-type"].startswith(PROBLEM)


@pytest.mark.parametrize(
    "params",
    [
        {"followers_min": 1000, "followers_max": 10},
        {"k": 0},
        {"k": 1001},
        {"mcn_tier": "Z"},
        {"price_band": "cheap"},
        {"category": "cars"},
        {"followers_min": -1},
    ],
)
def test_bad_filters_are_422_problems(matching_client, matching_world: World, headers, params) -> None:  # type: ignore[no-untyped-def]
    response = _matches(matching_client, matching_world["productA"], headers("brandA"), **params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["detail"]


def test_roles_without_products_are_refused(matching_client, matching_world: World, headers) -> None:  # type: ignore[no-untyped-def]
    # A product is brand data: to anyone outside the brand it does not exist.
    assert _matches(matching_client, matching_world["productA"], headers("mcnA")).status_code == 404
    assert _matches(matching_client, matching_world["productA"], {}).status_code == 401


def test_database_changes_reach_matches_without_a_rebuild(
    matching_client,  # type: ignore[no-untyped-def]
    fresh_world: World,
    fresh_headers,
    matching_db: Database,
) -> None:
    matching_world, headers = fresh_world, fresh_headers
    brand = headers("brandA")
    product = matching_world["productA"]
    creator = matching_world["creatorA2"]
    ids = lambda **p: [i["creator_id"] for i in _matches(matching_client, product, brand, k=1000, **p).json()["items"]]  # noqa: E731
    assert creator in ids(exclude_penalised=True)
    from wanghong.matching import service

    index_cache = matching_client.app.state.runtime.get(service.MATCH_INDEX)
    index_before = index_cache.index
    # Followers change → follower filters see it on the next query.
    with matching_db.transaction() as s:
        s.get(Creator, creator).followers = 7_654_321
    assert creator in ids(followers_min=7_000_000)
    # A confirmed violation → excluded from compliant matches.
    with matching_db.transaction() as s:
        s.add(
            Violation(
                creator_id=creator,
                subject_type="livestream",
                category="false_advertising",
                severity=Severity.LOW,
                status=ViolationStatus.CONFIRMED,
            )
        )
    assert creator not in ids(exclude_penalised=True)
    assert creator in ids(exclude_penalised=False)
    # A persona change moves the creator in the explanation.
    with matching_db.transaction() as s:
        persona = s.get(FanPersona, creator)
        persona.segments = {"silver": 1.0}
    items = _matches(matching_client, product, brand, k=1000, exclude_penalised=False).json()["items"]
    mine = next(i for i in items if i["creator_id"] == creator)
    assert mine["persona"]["segments"]["silver"] == pytest.approx(1.0, abs=1e-3)
    assert index_cache.index is index_before


def test_matching_page_renders_for_the_brand(matching_client, matching_world: World, headers) -> None:  # type: ignore[no-untyped-def]
    token = headers("brandA")["Authorization"].split()[1]
    matching_client.cookies.set("wanghong_session", token)
    try:
        page = matching_client.get("/matching", params={"product_id": matching_world["productA"]})
        assert page.status_code == 200, page.text
        assert "/static/plotly.min.js" in page.text and "/api/v1/collaborations" in page.text
        other = matching_client.get("/matching", params={"product_id": matching_world["productB"]})
        assert other.status_code == 404
    finally:
        matching_client.cookies.clear()
