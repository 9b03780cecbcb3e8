"""Sign-in throttling: per account and per address, 429 with Retry-After, shared by every worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from tests.accounts.conftest import MAX_PER_ACCOUNT, MAX_PER_ADDRESS, WINDOW_SECONDS, strict_settings
from tests.fixtures.world import PASSWORD, World

from wanghong.accounts.models import LoginFailure
from wanghong.accounts.throttle import TooManyAttempts, retry_headers, sign_in
from wanghong.app import create_app
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Unauthorized

Clients = Callable[..., TestClient]


def _token(client: TestClient, username: str, password: str) -> int:
    return client.post("/api/v1/auth/token", data={"username": username, "password": password}).status_code


def _age_failures(db: Database, subject: str) -> None:
    """Let the window pass for `subject`, as the clock would."""
    with db.transaction() as s:
        for failure in s.scalars(select(LoginFailure).where(LoginFailure.subject == subject)):
            failure.failed_at -= timedelta(seconds=WINDOW_SECONDS + 1)


def test_an_account_locks_and_the_right_password_waits_for_the_lock(
    client_from: Clients, world: World, db: Database
) -> None:
    client, user = client_from(), f"brandA_{world.tag}"
    assert [_token(client, user, "wrong-guess-1") for _ in range(MAX_PER_ACCOUNT)] == [401] * MAX_PER_ACCOUNT
    locked = client.post("/api/v1/auth/token", data={"username": user, "password": PASSWORD})
    assert locked.status_code == 429, locked.text
    assert 1 <= int(locked.headers["Retry-After"]) <= WINDOW_SECONDS
    assert "too many failed sign-ins" in locked.json()["detail"]
    assert locked.json()["retry_after"] == int(locked.headers["Retry-After"])
    # The account is locked wherever the attempt comes from.
    assert _token(client_from(), user, PASSWORD) == 429
    _age_failures(db, user)
    assert _token(client, user, PASSWORD) == 200


def test_an_address_locks_across_account_names(client_from: Clients, world: World, db: Database) -> None:
    guesser = client_from()
    for n in range(MAX_PER_ADDRESS):  # one guess per name: no account reaches its own limit
        assert _token(guesser, f"nobody{n}_{world.tag}", "wrong-guess-1") == 401
    assert _token(guesser, f"admin_{world.tag}", PASSWORD) == 429
    assert _token(client_from(), f"admin_{world.tag}", PASSWORD) == 200  # another address is not locked


def test_a_successful_sign_in_clears_the_accounts_failures(client_from: Clients, world: World) -> None:
    client, user = client_from(), f"mcnA_{world.tag}"
    for _ in range(2):
        assert [_token(client, user, "wrong-guess-1") for _ in range(MAX_PER_ACCOUNT - 1)] == [401, 401]
        assert _token(client, user, PASSWORD) == 200


def test_workers_share_the_count(client_from: Clients, world: World, db: Database, database_url: str) -> None:
    # Two apps with databases of their own stand for two `serve` workers: only the database is shared.
    workers = [Database(database_url) for _ in range(2)]
    try:
        apps = [create_app(strict_settings(database_url), db=worker) for worker in workers]
        address, user = "198.51.100.23", f"creatorA1_{world.tag}"
        clients = [client_from(address, app) for app in apps]
        for n in range(MAX_PER_ACCOUNT):
            assert _token(clients[n % 2], user, "wrong-guess-1") == 401
        assert _token(clients[1], user, PASSWORD) == 429
        assert _token(clients[0], user, PASSWORD) == 429
    finally:
        for worker in workers:
            worker.dispose()


def test_sign_in_for_the_web_login(world: World, db: Database, database_url: str) -> None:
    """What the web login calls: the same count and refusals, headers for its page; a failure is counted even
    though the request's transaction rolls back with the refusal."""
    settings, user, address = strict_settings(database_url), f"reviewer_{world.tag}", "203.0.113.5"
    try:
        for _ in range(MAX_PER_ACCOUNT):
            with pytest.raises(Unauthorized) as wrong, db.transaction() as s:
                sign_in(s, settings, user, "wrong-guess-1", address)
            assert retry_headers(wrong.value) == {}
        with pytest.raises(TooManyAttempts) as locked, db.transaction() as s:
            sign_in(s, settings, user, PASSWORD, address)
        assert locked.value.status == 429 and retry_headers(locked.value)["Retry-After"].isdigit()
    finally:
        with db.transaction() as s:
            s.execute(delete(LoginFailure).where(LoginFailure.subject.in_([user, address])))


def test_web_login_is_throttled(client_from: Clients, world: World) -> None:
    client, user = client_from(), f"brandB_{world.tag}"
    client.get("/login")  # the form's CSRF token arrives as a cookie; the posts send it back as the header
    csrf = {"x-csrf-token": client.cookies.get("wanghong_csrf") or ""}
    for _ in range(MAX_PER_ACCOUNT):
        wrong = client.post("/login", data={"username": user, "password": "wrong-guess-1"}, headers=csrf)
        assert wrong.status_code == 401, wrong.text
    locked = client.post("/login", data={"username": user, "password": PASSWORD}, headers=csrf, follow_redirects=False)
    assert locked.status_code == 429 and locked.headers["Retry-After"].isdigit()
    assert "wanghong_session" not in locked.cookies
