from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

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
def client(db: Database, database_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=database_url), db=db)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def world(db: Database) -> World:
    return build_world(db, uuid.uuid4().hex[:8])


@pytest.fixture(autouse=True)
def evidence_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WANGHONG_ORIGINALITY_DIR", str(tmp_path / "originality"))
    return tmp_path / "originality"


@pytest.fixture
def as_user(client: TestClient, world: World):  # type: ignore[no-untyped-def]
    cache: dict[str, dict[str, str]] = {}

    def headers(user: str) -> dict[str, str]:
        if user not in cache:
            cache[user] = login(client, world, user)
        return cache[user]

    return headers
