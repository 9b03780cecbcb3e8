"""Shared fixtures: a migrated database on SQLite always, and on PostgreSQL when WANGHONG_TEST_DATABASE_URL is set."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fixtures.databases import migrated_database

# The platform fixtures (db, app_client, world, as_user) every capability's tests share.
pytest_plugins = ["tests.fixtures.platform"]


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    """argon2 at its production cost (64 MiB, three passes a hash) was half the suite's time: every test's world
    signs up nine accounts and signs some in. The tests check what is hashed and verified, not how hard it is to
    guess, so they hash with the same algorithm at its smallest cost; the platform keeps its own."""
    from argon2 import PasswordHasher

    from wanghong.accounts import auth

    production = auth._hasher
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
    yield
    auth._hasher = production


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty, fully migrated database that lives for the test session."""
    with migrated_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url
