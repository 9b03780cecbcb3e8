"""Token revocation (the request's own, or all of an account's) and the purge of expired tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update
from tests.fixtures.world import World, login
from typer.testing import CliRunner

from wanghong.accounts.cli import app as users_cli
from wanghong.accounts.models import ApiToken, User
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database


def _user_id(db: Database, world: World, name: str) -> int:
    with db.transaction() as s:
        found = s.scalar(select(User.id).where(User.username == f"{name}_{world.tag}"))
    assert found is not None
    return found


def _expired_token(db: Database, user_id: int, digest: str) -> None:
    with db.transaction() as s:
        s.add(ApiToken(user_id=user_id, token_hash=digest, expires_at=utcnow() - timedelta(hours=1)))


def _exists(db: Database, digest: str) -> bool:
    with db.transaction() as s:
        return s.scalar(select(ApiToken.id).where(ApiToken.token_hash == digest)) is not None


def test_revoke_signs_out_only_the_token_of_the_request(app_client: TestClient, world: World) -> None:
    first, second = login(app_client, world, "brandA"), login(app_client, world, "brandA")
    assert app_client.post("/api/v1/auth/revoke", headers=first).status_code == 204
    gone = app_client.get("/api/v1/auth/me", headers=first)
    assert gone.status_code == 401 and "log in again" in gone.json()["detail"]
    assert app_client.get("/api/v1/auth/me", headers=second).status_code == 200
    assert app_client.post("/api/v1/auth/revoke").status_code == 401


def test_a_token_revoked_elsewhere_is_refused_on_the_next_request(
    app_client: TestClient, world: World, db: Database
) -> None:
    """Another worker (or the CLI, or plain SQL) revokes: this process, which has just answered the token from
    memory, refuses it on the very next request, and so for an account deactivated elsewhere."""
    for name, revoke in (
        ("brandA", lambda s, user_id: s.execute(delete(ApiToken).where(ApiToken.user_id == user_id))),
        ("creatorA1", lambda s, user_id: s.execute(update(User).where(User.id == user_id).values(is_active=False))),
    ):
        headers = login(app_client, world, name)
        assert all(app_client.get("/api/v1/auth/me", headers=headers).status_code == 200 for _ in range(2))
        with db.transaction() as s:
            revoke(s, _user_id(db, world, name))
        assert app_client.get("/api/v1/auth/me", headers=headers).status_code == 401
        assert app_client.get("/api/v1/creators", headers=headers).status_code == 401


def test_an_admin_revokes_every_token_of_an_account(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    victim = [login(app_client, world, "creatorA1") for _ in range(2)]
    user_id = _user_id(db, world, "creatorA1")
    revoked = app_client.delete("/api/v1/auth/tokens", params={"user_id": user_id}, headers=as_user("admin"))
    assert revoked.status_code == 200 and revoked.json()["revoked"] >= 2
    assert all(app_client.get("/api/v1/auth/me", headers=h).status_code == 401 for h in victim)
    with db.transaction() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "users", AuditEntry.entity_id == str(user_id))
        ).all()
    assert "user.tokens_revoke" in actions


def test_only_an_admin_revokes_another_accounts_tokens(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    other = _user_id(db, world, "brandB")
    refused = app_client.delete("/api/v1/auth/tokens", params={"user_id": other}, headers=as_user("brandA"))
    assert refused.status_code == 404  # another tenant's account, like any of its objects, is not disclosed
    own = login(app_client, world, "brandB")
    everywhere = app_client.delete("/api/v1/auth/tokens", headers=own)  # sign out everywhere
    assert everywhere.status_code == 200 and everywhere.json()["revoked"] >= 1
    assert app_client.get("/api/v1/auth/me", headers=own).status_code == 401
    admin = as_user("admin")
    assert app_client.delete("/api/v1/auth/tokens", params={"user_id": 2**31 - 1}, headers=admin).status_code == 404
    huge = app_client.delete("/api/v1/auth/tokens", params={"user_id": 2**63}, headers=admin)
    assert huge.status_code == 422 and "user_id" in huge.json()["detail"]


def test_signing_in_sweeps_the_accounts_expired_tokens(app_client: TestClient, world: World, db: Database) -> None:
    digest = f"expired-{world.tag}".ljust(64, "0")
    _expired_token(db, _user_id(db, world, "mcnA"), digest)
    login(app_client, world, "mcnA")
    assert not _exists(db, digest)


def test_purge_tokens_deletes_expired_ones_only(
    app_client: TestClient, world: World, db: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = f"stale-{world.tag}".ljust(64, "0")
    _expired_token(db, _user_id(db, world, "reviewer"), digest)
    live = login(app_client, world, "reviewer")
    monkeypatch.setenv("WANGHONG_DATABASE_URL", database_url)
    result = CliRunner().invoke(users_cli, ["purge-tokens"])
    assert result.exit_code == 0, result.output
    assert "purged" in result.output
    assert not _exists(db, digest)
    assert app_client.get("/api/v1/auth/me", headers=live).status_code == 200
