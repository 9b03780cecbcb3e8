"""The audit's reproductions of server errors (issue 13), each answered with a 4xx and a message that says why.

Every test runs on SQLite and on PostgreSQL (the `database_url` fixture), because the two failed differently:
SQLite's driver overflows on 64-bit integers, PostgreSQL refuses NUL characters and names longer than a column.
"""

from __future__ import annotations

import base64
import json
import threading

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from tests.fixtures.world import World

from wanghong.commerce.models import NAME_LENGTH, Brand, Creator, FanPersona
from wanghong.commerce.resources import RESOURCES
from wanghong.compliance.resources import RESOURCES as COMPLIANCE_RESOURCES
from wanghong.kit.db.base import INTEGER_MAX
from wanghong.kit.db.session import SQLITE_BUSY_TIMEOUT_MS, Database

BEYOND_INT64 = 2**63


def _refused(response, *words: str) -> str:  # type: ignore[no-untyped-def]
    """The problem's detail, after checking the refusal is a 422 problem that names each of `words`."""
    assert response.status_code == 422, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    detail = str(response.json()["detail"])
    for word in words:
        assert word in detail, (word, detail)
    return detail


def test_date_filters_read_instants_and_say_what_they_need(app_client: TestClient, world: World, as_user) -> None:
    headers = as_user("admin")
    for path, name in (
        ("/api/v1/videos", "published_after"),
        ("/api/v1/videos", "published_before"),
        ("/api/v1/livestreams", "started_after"),
        ("/api/v1/livestreams", "started_before"),
        ("/api/v1/orders", "ordered_after"),
        ("/api/v1/orders", "ordered_before"),
    ):
        ok = app_client.get(path, headers=headers, params={name: "2026-11-01T12:00:00+08:00", "limit": 200})
        assert ok.status_code == 200, (name, ok.text)
        # A `+` left unescaped in a query string arrives as a space.
        _refused(app_client.get(f"{path}?{name}=2026-11-01T12:00:00+08:00", headers=headers), name)
        _refused(app_client.get(path, headers=headers, params={name: "2026-11-01T12:00:00"}), name, "timezone")
        _refused(app_client.get(path, headers=headers, params={name: "0001-01-01T00:00:00+08:00"}), name, "1900")
        _refused(app_client.get(path, headers=headers, params={name: "yesterday"}), name)
    # The filter works: the world's video (published 2026-11-01 12:00 UTC) is inside one bound and outside the other.
    # Only this world's creator: the shared database holds many other tests' videos, more than one page.
    mine = {"creator_id": world["creatorA1"], "limit": 200}
    after = app_client.get(
        "/api/v1/videos", headers=headers, params={"published_after": "2026-11-01T11:00:00Z", **mine}
    )
    before = app_client.get(
        "/api/v1/videos", headers=headers, params={"published_before": "2026-11-01T11:00:00Z", **mine}
    )
    assert world["videoA"] in {v["id"] for v in after.json()["items"]}
    assert world["videoA"] not in {v["id"] for v in before.json()["items"]}


def test_numbers_beyond_the_id_range_are_refused_not_overflowed(app_client: TestClient, world: World, as_user) -> None:
    admin, brand = as_user("admin"), as_user("brandA")
    for number in (BEYOND_INT64, INTEGER_MAX + 1):
        for path in ("/api/v1/creators", "/api/v1/videos", "/api/v1/violations", "/api/v1/review-tasks"):
            _refused(app_client.get(f"{path}/{number}", headers=admin), "ident")
        _refused(app_client.patch(f"/api/v1/brands/{number}", headers=brand, json={"industry": "x"}), "ident")
        _refused(app_client.delete(f"/api/v1/products/{number}", headers=brand), "ident")
        _refused(app_client.get("/api/v1/creators", headers=admin, params={"mcn_id": number}), "mcn_id")
        _refused(app_client.get("/api/v1/creators", headers=admin, params={"followers_min": number}), "followers_min")
        _refused(app_client.get("/api/v1/compliance/penalties", headers=admin, params={"creator_id": number}))
        forged = base64.urlsafe_b64encode(json.dumps({"after": number}).encode()).decode()
        _refused(app_client.get("/api/v1/creators", headers=admin, params={"cursor": forged}), "cursor")
        body = {"name": "超大", "category": "beauty", "price": "1", "brand_id": number}
        _refused(app_client.post("/api/v1/products", headers=brand, json=body), "brand_id")
        _refused(app_client.patch(f"/api/v1/creators/{world['creatorA1']}", headers=admin, json={"followers": number}))
    # The largest id there can be is a well-formed request for a row that does not exist.
    assert app_client.get(f"/api/v1/creators/{INTEGER_MAX}", headers=admin).status_code == 404


def test_nul_characters_are_refused_wherever_they_come(app_client: TestClient, world: World, as_user) -> None:
    brand = as_user("brandA")
    detail = _refused(app_client.post("/api/v1/brands", headers=as_user("admin"), json={"name": "a\x00b"}), "NUL")
    assert "JSON body" in detail
    _refused(app_client.patch(f"/api/v1/brands/{world['brandA']}", headers=brand, json={"industry": "\x00"}), "NUL")
    _refused(app_client.get("/api/v1/creators?region=%00", headers=brand), "NUL", "query")
    _refused(app_client.get("/api/v1/audit-log/%00", headers=brand), "NUL", "path")
    # The letters `\u0000` written as text (an escaped backslash) are no NUL and are kept as written.
    kept = app_client.patch(f"/api/v1/brands/{world['brandA']}", headers=brand, json={"industry": "\\u0000"})
    assert kept.status_code == 200 and kept.json()["industry"] == "\\u0000"


def test_names_as_long_as_the_schema_allows_fit_their_columns(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    admin, mcn = as_user("admin"), as_user("mcnA")
    longest = ("长" * (NAME_LENGTH - len(world.tag))) + world.tag
    brand = app_client.post("/api/v1/brands", headers=admin, json={"name": longest})
    assert brand.status_code == 201, brand.text
    assert app_client.get(f"/api/v1/brands/{brand.json()['id']}", headers=admin).json()["name"] == longest
    agency = app_client.post("/api/v1/mcns", headers=admin, json={"name": "M" + longest[1:]})
    assert agency.status_code == 201, agency.text
    creator = app_client.post(
        "/api/v1/creators", headers=mcn, json={"handle": f"long_{world.tag}", "display_name": "达" * NAME_LENGTH}
    )
    assert creator.status_code == 201, creator.text
    with db.transaction() as s:
        assert len(s.get(Creator, creator.json()["id"]).display_name) == NAME_LENGTH  # type: ignore[union-attr]
        assert s.scalar(select(func.count()).select_from(Brand).where(Brand.name == longest)) == 1
    _refused(app_client.post("/api/v1/brands", headers=admin, json={"name": "长" * (NAME_LENGTH + 1)}), "name")
    update = {"display_name": "达" * (NAME_LENGTH + 1)}
    _refused(app_client.patch(f"/api/v1/creators/{world['creatorA1']}", headers=mcn, json=update), "display_name")


def test_year_one_and_other_unkeepable_dates_are_refused(app_client: TestClient, world: World, as_user) -> None:
    creator, brand = as_user("creatorA1"), as_user("brandA")
    for when in ("0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-05:00"):
        video = {"title": "开箱", "published_at": when}
        _refused(app_client.post("/api/v1/videos", headers=creator, json=video), "published_at", "1900")
        campaign = {"name": "远古", "starts_at": when}
        _refused(app_client.post("/api/v1/campaigns", headers=brand, json=campaign), "starts_at")
        live = {"started_at": "2026-11-01T12:00:00Z", "ended_at": when}
        _refused(app_client.post("/api/v1/livestreams", headers=creator, json=live), "ended_at")


def test_a_creator_with_a_persona_is_deleted_with_it(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    # creatorA2 has a fan persona and no money records, so its MCN may delete it.
    gone = app_client.delete(f"/api/v1/creators/{world['creatorA2']}", headers=as_user("mcnA"))
    assert gone.status_code == 204, gone.text
    with db.transaction() as s:
        assert s.get(Creator, world["creatorA2"]) is None
        assert s.get(FanPersona, world["creatorA2"]) is None
    # An administrator's delete of a creator with money records and a persona cascades through both.
    assert app_client.delete(f"/api/v1/creators/{world['creatorB1']}", headers=as_user("admin")).status_code == 204
    with db.transaction() as s:
        assert s.get(FanPersona, world["creatorB1"]) is None
    assert app_client.get(f"/api/v1/creators/{world['creatorB1']}", headers=as_user("admin")).status_code == 404


def test_null_for_a_field_that_holds_no_null_is_refused(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    mcn, admin = as_user("mcnA"), as_user("admin")
    path = f"/api/v1/creators/{world['creatorA1']}"
    _refused(app_client.patch(path, headers=mcn, json={"categories": None}), "categories", "null")
    _refused(app_client.patch(path, headers=mcn, json={"display_name": None}), "display_name")
    _refused(app_client.patch(f"/api/v1/brands/{world['brandA']}", headers=admin, json={"name": None}), "name")
    # The row was left as it was and still reads.
    assert app_client.get(path, headers=mcn).json()["categories"] == ["beauty"]
    # A nullable field still clears with null.
    cleared = app_client.patch(path, headers=admin, json={"mcn_id": None})
    assert cleared.status_code == 200 and cleared.json()["mcn_id"] is None


def test_every_list_declares_its_filters_in_openapi(app_client: TestClient) -> None:
    paths = app_client.get("/api/v1/openapi.json").json()["paths"]
    for resource in (*RESOURCES.values(), *COMPLIANCE_RESOURCES.values()):
        parameters = paths[f"/api/v1/{resource.name}"]["get"]["parameters"]
        declared = {p["name"] for p in parameters if p["in"] == "query"}
        assert declared == {*resource.filters, "limit", "cursor"}, resource.name
        for p in parameters:
            assert p["schema"], (resource.name, p["name"])
    videos = {p["name"]: p["schema"] for p in paths["/api/v1/videos"]["get"]["parameters"]}
    assert {"type": "string", "format": "date-time"} in videos["published_after"]["anyOf"]
    creators = {p["name"]: p["schema"] for p in paths["/api/v1/creators"]["get"]["parameters"]}
    assert creators["followers_min"]["anyOf"][0]["maximum"] == INTEGER_MAX


def test_concurrent_writers_wait_for_the_lock_instead_of_failing(database_url: str) -> None:
    # Each writer its own engine, as separate server processes are: 16 at once, every transaction reading before
    # and after it writes. On SQLite they queue on the one write lock; none may fail with "database is locked".
    errors: list[str] = []
    tag = threading.get_ident()

    def write(i: int) -> None:
        db = Database(database_url)
        try:
            for j in range(5):
                with db.transaction() as s:
                    s.scalar(select(func.count()).select_from(Brand))
                    s.add(Brand(name=f"并发 {tag} {i}-{j}"))
                    s.flush()
                    s.scalar(select(func.count()).select_from(Brand))
        except Exception as exc:
            errors.append(repr(exc)[:300])
        finally:
            db.dispose()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db = Database(database_url)
    try:
        with db.transaction() as s:
            count = s.scalar(select(func.count()).select_from(Brand).where(Brand.name.like(f"并发 {tag} %")))
            assert count == 16 * 5
            if db.engine.dialect.name == "sqlite":
                assert s.scalar(text("PRAGMA busy_timeout")) == SQLITE_BUSY_TIMEOUT_MS
    finally:
        db.dispose()
