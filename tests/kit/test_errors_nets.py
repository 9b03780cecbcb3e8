"""What the problem handlers answer when a value gets past the edge and the database (or its driver) refuses it.

Every route of the platform bounds its inputs; these handlers are the net under a route that forgot one: the
database's refusal of a value is the caller's input, a 422 with the reason, never a 500.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import column, select, table, text

from wanghong.kit import problems
from wanghong.kit.db.base import UTCDateTime
from wanghong.kit.db.session import Database


@pytest.fixture
def client(db: Database) -> TestClient:
    app = FastAPI()
    problems.install(app)

    @app.get("/number")
    def number(value: str) -> int:
        with db.transaction() as s:
            # The id column of a real table compared with an unbounded number, as a forgotten path bound would.
            result = s.scalar(text("SELECT count(*) FROM brands WHERE id = :v"), {"v": int(value)})
            if db.engine.dialect.name == "postgresql":
                s.execute(text("SELECT CAST(:v AS integer)"), {"v": int(value)})
            return int(result or 0)

    @app.get("/instant")
    def instant(year: int) -> int:
        when = datetime(year, 1, 1, tzinfo=timezone(timedelta(hours=8)))
        audit = table("audit_log", column("id"), column("at", UTCDateTime()))
        with db.transaction() as s:
            return len(list(s.execute(select(audit.c.id).where(audit.c.at > when))))

    return TestClient(app)


def test_a_number_the_database_cannot_hold_is_a_422(client: TestClient, db: Database) -> None:
    # SQLite's driver binds 64-bit integers only; PostgreSQL's integer stops at 2**31 - 1.
    too_big = 2**63 if db.engine.dialect.name == "sqlite" else 2**40
    response = client.get("/number", params={"value": str(too_big)})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "too large" in response.json()["detail"] or "out of range" in response.json()["detail"]
    assert client.get("/number", params={"value": "5"}).status_code == 200


def test_an_instant_outside_utc_is_a_422(client: TestClient) -> None:
    response = client.get("/instant", params={"year": 1})
    assert response.status_code == 422, response.text
    assert "outside the range" in response.json()["detail"]
    assert client.get("/instant", params={"year": datetime.now(UTC).year}).status_code == 200
