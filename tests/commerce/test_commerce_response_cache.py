"""Cached list answers across workers: two apps over one database, as `serve --workers 2` runs them.

Each app keeps its own answers (kit.cache, one per runtime); a write committed through either app, or past both
(plain SQL on another connection), is visible on the very next request to the other.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.fixtures.world import World, build_world, login

from wanghong.app import create_app
from wanghong.config import Settings
from wanghong.kit import cache
from wanghong.kit.db.session import Database


@pytest.fixture(scope="module")
def two_apps(database_url: str) -> Iterator[tuple[TestClient, TestClient, Database]]:
    first, second = Database(database_url), Database(database_url)
    with (
        TestClient(create_app(Settings(database_url=database_url), db=first)) as one,
        TestClient(create_app(Settings(database_url=database_url), db=second)) as two,
    ):
        yield one, two, first
    first.dispose()
    second.dispose()


@pytest.fixture(scope="module")
def shared_world(two_apps: tuple[TestClient, TestClient, Database]) -> World:
    return build_world(two_apps[2], uuid.uuid4().hex[:8])


def _responses(client: TestClient) -> cache.ResponseCache:
    return client.app.state.runtime.get(cache.RESPONSES)  # type: ignore[attr-defined,no-any-return]


def _names(client: TestClient, headers: dict[str, str], mcn: int) -> dict[int, str]:
    response = client.get("/api/v1/creators", params={"mcn_id": mcn, "limit": 200}, headers=headers)
    assert response.status_code == 200, response.text
    return {item["id"]: item["display_name"] for item in response.json()["items"]}


def test_a_write_through_one_app_is_read_by_the_other_next(two_apps, shared_world: World) -> None:  # type: ignore[no-untyped-def]
    one, two, _ = two_apps
    admin_one, admin_two = login(one, shared_world, "admin"), login(two, shared_world, "admin")
    mcn, creator = shared_world["mcnA"], shared_world["creatorA1"]
    before = _names(one, admin_one, mcn)
    hits = _responses(one).hits
    assert _names(one, admin_one, mcn) == before
    assert _responses(one).hits == hits + 1  # the second read was the stored answer: the cache is in play

    new_name = f"改名-{uuid.uuid4().hex[:6]}"
    patched = two.patch(f"/api/v1/creators/{creator}", json={"display_name": new_name}, headers=admin_two)
    assert patched.status_code == 200, patched.text
    assert _names(one, admin_one, mcn)[creator] == new_name
    # And the other way round, with a create: the new row is on app two's next page.
    created = one.post(
        "/api/v1/creators",
        json={"handle": f"new_{uuid.uuid4().hex[:8]}", "display_name": "新达人", "platform": "douyin", "mcn_id": mcn},
        headers=admin_one,
    )
    assert created.status_code == 201, created.text
    _names(two, admin_two, mcn)  # stored in app two before the delete below
    assert created.json()["id"] in _names(two, admin_two, mcn)
    deleted = one.delete(f"/api/v1/creators/{created.json()['id']}", headers=admin_one)
    assert deleted.status_code == 204, deleted.text
    assert created.json()["id"] not in _names(two, admin_two, mcn)


def test_plain_sql_past_both_apps_is_read_next(two_apps, shared_world: World, database_url: str) -> None:  # type: ignore[no-untyped-def]
    one, _, _ = two_apps
    admin = login(one, shared_world, "admin")
    mcn, creator = shared_world["mcnA"], shared_world["creatorA2"]
    _names(one, admin, mcn)
    outside = Database(database_url)
    try:
        with outside.transaction() as s:
            s.execute(text("UPDATE creators SET display_name = 'SQL 改名' WHERE id = :id"), {"id": creator})
    finally:
        outside.dispose()
    assert _names(one, admin, mcn)[creator] == "SQL 改名"


def test_an_uncommitted_write_is_not_served_and_a_rollback_leaves_nothing(
    two_apps,  # type: ignore[no-untyped-def]
    shared_world: World,
    database_url: str,
) -> None:
    one, _, _ = two_apps
    admin = login(one, shared_world, "admin")
    mcn, creator = shared_world["mcnB"], shared_world["creatorB1"]
    committed = _names(one, admin, mcn)[creator]
    outside = Database(database_url)
    try:
        session = outside.sessions()
        session.begin()
        session.execute(text("UPDATE creators SET display_name = 'rolled back' WHERE id = :id"), {"id": creator})
        session.rollback()
        session.close()
    finally:
        outside.dispose()
    assert _names(one, admin, mcn)[creator] == committed


def test_scopes_do_not_share_answers(two_apps, shared_world: World) -> None:  # type: ignore[no-untyped-def]
    one, _, _ = two_apps
    admin, mcn_a = login(one, shared_world, "admin"), login(one, shared_world, "mcnA")
    everyone = one.get("/api/v1/creators", params={"mcn_id": shared_world["mcnB"]}, headers=admin).json()["items"]
    assert everyone, "the admin reads agency B's creators"
    # The same query from agency A's manager, after the admin's answer was stored: A's scope holds none of B's.
    mine = one.get("/api/v1/creators", params={"mcn_id": shared_world["mcnB"]}, headers=mcn_a).json()["items"]
    assert mine == []


def test_etag_answers_304_until_the_page_changes(two_apps, shared_world: World) -> None:  # type: ignore[no-untyped-def]
    one, two, _ = two_apps
    admin_one, admin_two = login(one, shared_world, "admin"), login(two, shared_world, "admin")
    params = {"mcn_id": shared_world["mcnA"]}
    first = one.get("/api/v1/creators", params=params, headers=admin_one)
    etag = first.headers["etag"]
    again = one.get("/api/v1/creators", params=params, headers={**admin_one, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    patched = two.patch(
        f"/api/v1/creators/{shared_world['creatorA1']}", json={"display_name": "又改名"}, headers=admin_two
    )
    assert patched.status_code == 200, patched.text
    changed = one.get("/api/v1/creators", params=params, headers={**admin_one, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert "又改名" in changed.text


def test_cached_page_is_the_documented_shape(two_apps, shared_world: World) -> None:  # type: ignore[no-untyped-def]
    one, _, _ = two_apps
    admin = login(one, shared_world, "admin")
    params = {"mcn_id": shared_world["mcnA"], "limit": 1}
    fresh = one.get("/api/v1/creators", params=params, headers=admin)
    stored = one.get("/api/v1/creators", params=params, headers=admin)
    assert fresh.headers["content-type"] == "application/json"
    assert fresh.json() == stored.json()
    body = fresh.json()
    assert set(body) == {"items", "next_cursor"} and len(body["items"]) == 1 and body["next_cursor"]
    following = one.get("/api/v1/creators", params={**params, "cursor": body["next_cursor"]}, headers=admin)
    assert following.json()["items"][0]["id"] != body["items"][0]["id"]
