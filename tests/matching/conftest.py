from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.fixtures.world import World, build_world, login

from wanghong.app import create_app
from wanghong.config import Settings
from wanghong.kit.db.session import Database


@pytest.fixture(scope="session")
def matching_db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def matching_client(
    matching_db: Database, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    # A small, quick ranker for tests, cached in a throw-away directory; the CLI reads the same from the
    # environment, so it loads the ranker the application trained.
    cache_dir, creators = str(tmp_path_factory.mktemp("ranker-cache")), 400
    settings = Settings(
        database_url=database_url, max_batch_events=50, cache_dir=cache_dir, matching_ranker_creators=creators
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WANGHONG_CACHE_DIR", cache_dir)
        patch.setenv("WANGHONG_MATCHING_RANKER_CREATORS", str(creators))
        with TestClient(create_app(settings, db=matching_db)) as client:
            yield client


@pytest.fixture(scope="session")
def matching_world(matching_db: Database) -> World:
    """Shared by the read-only tests (building a world hashes eight passwords, which takes seconds)."""
    return build_world(matching_db, uuid.uuid4().hex[:8])


@pytest.fixture
def fresh_world(matching_db: Database) -> World:
    """A world of its own for tests that change creators."""
    return build_world(matching_db, uuid.uuid4().hex[:8])


def _login_cache(client: TestClient, world: World):  # type: ignore[no-untyped-def]
    cache: dict[str, dict[str, str]] = {}

    def of(user: str) -> dict[str, str]:
        if user not in cache:
            cache[user] = login(client, world, user)
        return cache[user]

    return of


@pytest.fixture(scope="session")
def headers(matching_client: TestClient, matching_world: World):  # type: ignore[no-untyped-def]
    return _login_cache(matching_client, matching_world)


@pytest.fixture
def fresh_headers(matching_client: TestClient, fresh_world: World):  # type: ignore[no-untyped-def]
    return _login_cache(matching_client, fresh_world)
