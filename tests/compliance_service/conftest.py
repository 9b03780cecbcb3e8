"""The platform app with the compliance router and review page mounted, on the foundation's two-tenant world."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from tests.foundation.conftest import db  # noqa: F401 - fixture re-used as it is
from tests.foundation.world import World, build_world, login

from wanghong.app import create_app
from wanghong.config import Settings
from wanghong.kit.db.session import Database


@pytest.fixture(scope="session")
def app_client(db: Database, database_url: str) -> Iterator[TestClient]:  # noqa: F811
    app = create_app(Settings(database_url=database_url, max_batch_events=50), db=db)
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def world(db: Database) -> World:  # noqa: F811
    """One two-tenant world per test module: building one hashes eight passwords, the slowest setup here.
    Tests that count a creator's violations use a creator no other test in the module penalises."""
    return build_world(db, uuid.uuid4().hex[:8])


@pytest.fixture(scope="module")
def as_user(app_client: TestClient, world: World) -> Callable[[str], dict[str, str]]:
    """`as_user("reviewer")` gives the Authorization header of that world's user."""
    cache: dict[str, dict[str, str]] = {}

    def headers(user: str) -> dict[str, str]:
        if user not in cache:
            cache[user] = login(app_client, world, user)
        return cache[user]

    return headers
