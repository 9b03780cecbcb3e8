"""Accounts over HTTP: the administrator opens an account bound to its tenant, and the audit log says so."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.fixtures.world import World

from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database


def test_admin_creates_a_tenant_account(app_client: TestClient, world: World, db: Database, as_user) -> None:
    body = {"username": f"brand2_{world.tag}", "password": "long-enough-1", "role": "brand_manager"}
    orphan = app_client.post("/api/v1/users", headers=as_user("admin"), json=body)
    assert orphan.status_code == 422 and "brand id" in orphan.json()["detail"]
    created = app_client.post("/api/v1/users", headers=as_user("admin"), json={**body, "brand_id": world["brandA"]})
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["role"] == "brand_manager" and user["brand_id"] == world["brandA"] and user["mcn_id"] is None
    assert user["display_name"] == body["username"] and user["is_active"] and "password" not in str(user)
    taken = app_client.post("/api/v1/users", headers=as_user("admin"), json={**body, "brand_id": world["brandA"]})
    assert taken.status_code == 409
    signed_in = app_client.post("/api/v1/auth/token", data={"username": body["username"], "password": body["password"]})
    token = signed_in.json()["access_token"]
    me = app_client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json() == user
    with db.transaction() as s:
        action = s.scalar(
            select(AuditEntry.action).where(AuditEntry.entity == "users", AuditEntry.entity_id == str(user["id"]))
        )
    assert action == "user.create"
