"""Stored rankings across workers: a second app over the matching database, as a second server worker.

A ranking is reused while no table it read changed (kit.cache) and for at most `MATCHES_MAX_AGE_S`; a write
through the other app, or straight to the database, is in the next answer.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.fixtures.world import World, login

from wanghong.app import create_app
from wanghong.commerce.models import Creator
from wanghong.compliance.models import Violation
from wanghong.domain import Severity, ViolationStatus
from wanghong.kit import cache
from wanghong.kit.db.session import Database
from wanghong.matching import api


@pytest.fixture(scope="module")
def second_worker(matching_client: TestClient, database_url: str) -> Iterator[TestClient]:
    db = Database(database_url)
    settings = matching_client.app.state.settings  # type: ignore[attr-defined]
    with TestClient(create_app(settings, db=db)) as client:
        yield client
    db.dispose()


def _ranked(client: TestClient, world: World, headers: dict[str, str], **params: object) -> dict[int, dict]:  # type: ignore[type-arg]
    response = client.get(f"/api/v1/products/{world['productA']}/matches", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return {item["creator_id"]: item for item in response.json()["items"]}


def test_a_write_reaches_the_other_workers_next_ranking(
    matching_client: TestClient,
    second_worker: TestClient,
    fresh_world: World,
    matching_db: Database,
) -> None:
    brand_one, brand_two = login(matching_client, fresh_world, "brandA"), login(second_worker, fresh_world, "brandA")
    admin_two = login(second_worker, fresh_world, "admin")
    creator = fresh_world["creatorA2"]
    assert creator in _ranked(matching_client, fresh_world, brand_one, k=1000)
    stored = matching_client.app.state.runtime.get(cache.RESPONSES)  # type: ignore[attr-defined]
    hits = stored.hits
    assert creator in _ranked(matching_client, fresh_world, brand_one, k=1000)
    assert stored.hits == hits + 1  # the second answer was the stored one

    # Through the other worker's API: followers (an administrator's field) move on worker one's next answer.
    patched = second_worker.patch(f"/api/v1/creators/{creator}", json={"followers": 6_543_210}, headers=admin_two)
    assert patched.status_code == 200, patched.text
    assert _ranked(matching_client, fresh_world, brand_one, k=1000)[creator]["followers"] == 6_543_210

    # Straight to the database: a confirmed violation takes the creator out of compliant rankings on both workers.
    _ranked(second_worker, fresh_world, brand_two, k=1000)
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
    assert creator not in _ranked(matching_client, fresh_world, brand_one, k=1000)
    assert creator not in _ranked(second_worker, fresh_world, brand_two, k=1000)


def test_a_ranking_is_not_kept_past_its_age(
    matching_client: TestClient, fresh_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = login(matching_client, fresh_world, "brandA")
    stored = matching_client.app.state.runtime.get(cache.RESPONSES)  # type: ignore[attr-defined]
    _ranked(matching_client, fresh_world, brand, k=7)
    monkeypatch.setattr(api, "MATCHES_MAX_AGE_S", -1.0)  # every stored ranking is already too old
    misses = stored.misses
    _ranked(matching_client, fresh_world, brand, k=7)
    assert stored.misses == misses + 1


def test_each_brand_gets_its_own_answer(matching_client: TestClient, fresh_world: World) -> None:
    mine, other = login(matching_client, fresh_world, "brandA"), login(matching_client, fresh_world, "brandB")
    path = f"/api/v1/products/{fresh_world['productA']}/matches"
    assert matching_client.get(path, headers=mine).status_code == 200
    # Stored for brand A, the same product and query is still not brand B's to read.
    assert matching_client.get(path, headers=other).status_code == 404


def test_unchanged_ranking_answers_304(matching_client: TestClient, fresh_world: World, matching_db: Database) -> None:
    brand = login(matching_client, fresh_world, "brandA")
    path = f"/api/v1/products/{fresh_world['productA']}/matches?k=1000"
    first = matching_client.get(path, headers=brand)
    etag = first.headers["etag"]
    assert matching_client.get(path, headers={**brand, "If-None-Match": etag}).status_code == 304
    with matching_db.transaction() as s:
        s.get(Creator, fresh_world["creatorA2"]).followers = 4_321_000  # type: ignore[union-attr]
    changed = matching_client.get(path, headers={**brand, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
