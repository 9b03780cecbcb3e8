"""Every API operation, fuzzed from the OpenAPI document, never answers with a server error.

Schemathesis generates valid and invalid requests from each operation's schema (path, query, body) and sends them
through the app in-process, as an administrator (who reaches every row) and as a brand manager (whose scope trims
most of them), on SQLite and on PostgreSQL. A 5xx is a bug: a refused request is a 4xx with a message saying why.

The run is bounded (a few examples per operation, a fixed seed) so it fits in CI; each backend gets a database of
its own because an administrator's fuzzed DELETEs and PATCHes would otherwise land on other tests' rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from tests.fixtures.databases import migrated_database
from tests.fixtures.world import World, build_world, login

from wanghong.app import create_app
from wanghong.config import Settings
from wanghong.kit.db.session import Database

# Two examples per operation, user and backend keep the run to a few minutes on a 2-core CI machine; a deeper
# local hunt raises it (WANGHONG_FUZZ_EXAMPLES=50).
MAX_EXAMPLES = int(os.environ.get("WANGHONG_FUZZ_EXAMPLES", "2"))
USERS = ("admin", "brandA")
# Revoking the token the run signs in with would turn every later request into a 401 and hide the rest. A crowd
# pack's definition is a recursive union (union / intersection / exclusion of tags): generating bodies for it took
# 100–180 s per operation, half the whole run; its validation is tested in tests/audience instead.
SKIPPED_OPERATIONS = (
    "POST /api/v1/auth/revoke",
    "DELETE /api/v1/auth/tokens",
    "POST /api/v1/audience/packs",
    "PATCH /api/v1/audience/packs/{ident}",
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with migrated_database(request.param, tmp_path_factory.mktemp("fuzz"), prefix="wanghong_fuzz") as url:
        yield url


@pytest.fixture(scope="module")
def fuzz_app(fuzz_database_url: str) -> Iterator[tuple[TestClient, Database]]:
    db = Database(fuzz_database_url)
    app = create_app(Settings(database_url=fuzz_database_url, max_batch_events=50), db=db)
    with TestClient(app) as client:
        yield client, db
    db.dispose()


@pytest.fixture(scope="module", params=USERS)
def fuzz_user(request: pytest.FixtureRequest, fuzz_app: tuple[TestClient, Database]) -> dict[str, str]:
    """The Authorization header of the user the run acts as, in a world of its own: the administrator's fuzzed
    DELETEs (of brand 1, say) would otherwise have taken the brand manager's account with them."""
    client, db = fuzz_app
    world: World = build_world(db, uuid.uuid4().hex[:8])
    return login(client, world, request.param)


def _schema() -> Any:
    # The document depends only on the routes, so it is read once from an app over a database it never opens;
    # each request then goes to the app of the backend under test.
    app = create_app(Settings(database_url="sqlite://"))
    loaded = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    for label in SKIPPED_OPERATIONS:
        method, path = label.split(" ", 1)
        loaded = loaded.exclude(method=method, path=path)
    return loaded


schema = _schema()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(
    case: schemathesis.Case, fuzz_app: tuple[TestClient, Database], fuzz_user: dict[str, str]
) -> None:
    client, _ = fuzz_app
    # A generous timeout: on a loaded CI machine a slow answer is not a server error.
    case.call_and_validate(app=client.app, headers=fuzz_user, checks=[not_a_server_error], timeout=60)
