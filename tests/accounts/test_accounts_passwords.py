"""Password policy: at least 8 characters, not the username, not a common password; each refusal says why."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.fixtures.world import World

from wanghong.accounts.passwords import check_password
from wanghong.accounts.users import create_user
from wanghong.domain import Role
from wanghong.kit.db.session import Database
from wanghong.kit.errors import InvalidInput


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1", "at least 8 characters"),
        ("12345678", "most common"),
        ("password", "most common"),
        ("Password123", "most common"),  # case does not make a common password rare
        ("woaini1314", "most common"),
        ("alice_ops", "username"),
        ("my-Alice_Ops-2026", "username"),
    ],
)
def test_weak_passwords_are_refused(password: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        check_password(password, "alice_ops")


def test_a_good_password_passes() -> None:
    check_password("correct-horse-42", "alice_ops")


def test_create_user_applies_the_policy(db: Database, world: World) -> None:
    with pytest.raises(InvalidInput, match="username"), db.transaction() as s:
        create_user(s, username=f"ops_{world.tag}", password=f"ops_{world.tag}", role=Role.ADMIN)


def test_the_api_answers_a_weak_password_with_422(app_client: TestClient, world: World, as_user) -> None:
    body = {"username": f"brand3_{world.tag}", "role": "brand_manager", "brand_id": world["brandA"]}
    for password in ("12345678", "password", body["username"]):
        weak = app_client.post("/api/v1/users", headers=as_user("admin"), json={**body, "password": password})
        assert weak.status_code == 422, weak.text
        assert "password" in weak.json()["detail"]
    good = app_client.post("/api/v1/users", headers=as_user("admin"), json={**body, "password": "long-enough-1"})
    assert good.status_code == 201, good.text
