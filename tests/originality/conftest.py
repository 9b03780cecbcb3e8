"""Originality claims: an app whose settings name a private evidence folder, under the name the claim tests use."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from wanghong.app import create_app
from wanghong.config import Settings
from wanghong.kit.db.session import Database


@pytest.fixture
def client(db: Database, database_url: str) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, max_batch_events=50)
    with TestClient(create_app(settings, db=db)) as app_client:
        yield app_client
