"""An app with a strict sign-in throttle over the shared database, and clients that each come from an address."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete

from wanghong.accounts.models import LoginFailure
from wanghong.app import create_app
from wanghong.config import Settings
from wanghong.kit.db.session import Database

MAX_PER_ACCOUNT = 3
MAX_PER_ADDRESS = 6
WINDOW_SECONDS = 900


def strict_settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        login_max_failures=MAX_PER_ACCOUNT,
        login_max_failures_per_address=MAX_PER_ADDRESS,
        login_window_seconds=WINDOW_SECONDS,
    )


@pytest.fixture(scope="module")
def strict_app(db: Database, database_url: str) -> FastAPI:
    return create_app(strict_settings(database_url), db=db)


@pytest.fixture
def client_from(strict_app: FastAPI, db: Database) -> Iterator[Callable[..., TestClient]]:
    """`client_from()` is a client from an address of its own (or `client_from(address, app)`); the failures the
    test leaves are removed, so no other test finds its address or accounts locked."""
    clients: list[TestClient] = []
    addresses: list[str] = []

    def make(address: str | None = None, app: FastAPI | None = None) -> TestClient:
        address = address or f"192.0.2.{uuid.uuid4().hex[:6]}"
        addresses.append(address)
        # Not entered as a context manager: the lifespan would close the warm engines other tests share.
        client = TestClient(app or strict_app, client=(address, 40000))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
    with db.transaction() as s:
        s.execute(delete(LoginFailure).where(LoginFailure.subject.in_(addresses)))
