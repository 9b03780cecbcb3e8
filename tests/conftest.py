"""Shared fixtures: a migrated database on SQLite always, and on PostgreSQL when WANGHONG_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from wanghong.kit.db.migrate import upgrade

# The platform fixtures (db, app_client, world, as_user) every capability's tests share.
pytest_plugins = ["tests.fixtures.platform"]

POSTGRES_URL = os.environ.get("WANGHONG_TEST_DATABASE_URL")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty, fully migrated database that lives for the test session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'wanghong.db'}"
        upgrade(url)
        yield url
        return
    if not POSTGRES_URL:
        pytest.skip("set WANGHONG_TEST_DATABASE_URL to run against PostgreSQL")
    # A database of its own per run, so parallel runs and leftovers never meet.
    name = f"wanghong_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
