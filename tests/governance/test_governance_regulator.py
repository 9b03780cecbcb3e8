"""The regulator (监管): reads every tenant's governance records, through its dashboard and the JSON export, and
is refused every writing route of the API (the walk below visits each one)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.fixtures.world import World

from wanghong.accounts.models import ApiToken, LoginFailure
from wanghong.kit.db.base import Base
from wanghong.kit.db.session import Database

# Signing in is how a regulator starts to read; it writes a token and nothing else.
NOT_WRITES = {("post", "/api/v1/auth/token")}


def _counts(db: Database) -> dict[str, int]:
    with db.transaction() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
            for m in Base.__subclasses__()
            if m not in (ApiToken, LoginFailure)
        }


def test_every_writing_api_route_refuses_the_regulator(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    regulator = as_user("regulator")
    paths = app_client.get("/api/v1/openapi.json").json()["paths"]
    before = _counts(db)
    walked = 0
    for raw_path, methods in paths.items():
        # Real objects of every tenant (the regulator reads them all): the refusal is not a 404 for a missing id.
        url = re.sub(r"\{[a-z_]+\}", str(world["subjectBrandB"]), raw_path)
        for method in methods:
            if method == "get" or (method, raw_path) in NOT_WRITES:
                continue
            response = app_client.request(method.upper(), url, json={}, headers=regulator)
            assert response.status_code == 403, (method, raw_path, response.status_code, response.text)
            assert "监管" in response.json()["detail"]
            walked += 1
    assert walked >= 40
    assert _counts(db) == before  # nothing changed anywhere


def test_the_regulator_reads_every_tenants_subjects(app_client: TestClient, world: World, as_user) -> None:
    regulator = as_user("regulator")
    seen: set[int] = set()
    body = app_client.get("/api/v1/governance/subjects", params={"limit": 200}, headers=regulator).json()
    seen |= {i["id"] for i in body["items"]}
    while body["next_cursor"]:
        params = {"limit": 200, "cursor": body["next_cursor"]}
        body = app_client.get("/api/v1/governance/subjects", params=params, headers=regulator).json()
        seen |= {i["id"] for i in body["items"]}
    keys = ("subjectBrandA", "subjectBrandB", "subjectCreatorA1", "subjectCreatorB1")
    assert {world[k] for k in keys} <= seen
    detail = app_client.get(f"/api/v1/governance/subjects/{world['subjectBrandB']}", headers=regulator)
    assert detail.status_code == 200 and detail.json()["uscc"]


def test_the_export_holds_every_tenants_records_and_the_log_head(app_client: TestClient, world: World, as_user) -> None:
    response = app_client.get("/api/v1/governance/export", params={"limit": 5000}, headers=as_user("regulator"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert {world["violationA"], world["violationB"]} <= {v["id"] for v in body["violations"]}
    assert {world["penaltyA"], world["penaltyB"]} <= {p["id"] for p in body["penalties"]}
    assert {world["appealA"], world["appealB"]} <= {a["id"] for a in body["appeals"]}
    assert {world["subjectBrandA"], world["subjectBrandB"]} <= {s["id"] for s in body["subjects"]}
    assert body["transparency"]["tree_size"] >= 1 and len(body["transparency"]["root_hash"]) == 64
    small = app_client.get("/api/v1/governance/export", params={"limit": 1}, headers=as_user("regulator")).json()
    assert len(small["violations"]) == 1 and small["truncated"]["violations"] is True
    for user in ("brandA", "mcnA", "creatorA1", "reviewer"):
        assert app_client.get("/api/v1/governance/export", headers=as_user(user)).status_code == 403
    assert app_client.get("/api/v1/governance/export", params={"limit": 0}, headers=as_user("admin")).status_code == 422


def test_the_regulator_reads_the_new_pages_and_posts_nothing(
    web_client: TestClient, world: World, db: Database
) -> None:
    """主体认证 and 商品监测 for the regulator: 商品监测 reads every tenant's records; 主体认证 is a tenant's own
    page, and its form refuses the regulator as every other writing step."""
    from tests.fixtures.pages import post_form, sign_in

    token = sign_in(web_client, world, "regulator")
    before = _counts(db)
    for path in ("/workspace/monitoring", f"/workspace/monitoring?product={world['productB']}", "/workspace/regulator"):
        assert web_client.get(path).status_code == 200, path
    assert web_client.get("/workspace/verification").status_code == 403
    form = {"legal_name": "x", "uscc": "91110108551385082Q", "id_number": "11010519491231002X"}
    assert post_form(web_client, token, "/workspace/verification", **form).status_code == 403
    assert _counts(db) == before
