"""Shared fixtures: a migrated database on SQLite always, and on PostgreSQL when WANGHONG_TEST_DATABASE_URL is set."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fixtures.databases import migrated_database

# The platform fixtures (db, app_client, world, as_user) every capability's tests share.
pytest_plugins = ["tests.fixtures.platform"]


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty, fully migrated database that lives for the test session."""
    with migrated_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url
