from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.foundation.world import World, build_world, login
from wanghong.app import create_app
from wanghong.config import Settings
from wanghong.kit.db.session import Database


@pytest.fixture(scope="session")
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def app_client(db: Database, database_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=database_url, max_batch_events=50), db=db)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def world(db: Database) -> World:
    return build_world(db, uuid.uuid4().hex[:8])


@pytest.fixture
def as_user(app_client: TestClient, world: World):  # type: ignore[no-untyped-def]
    """`as_user("brandA")` gives the Authorization header of that world's user."""
    cache: dict[str, dict[str, str]] = {}

    def headers(user: str) -> dict[str, str]:
        if user not in cache:
            cache[user] = login(app_client, world, user)
        return cache[user]

    return headers
