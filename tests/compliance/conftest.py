from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.fixtures.world import World, build_world, login

from wanghong.compliance.engine import ComplianceReviewer, Scanner, ViolationLibrary, load_library
from wanghong.compliance.engine_cache import REVIEWERS, ReviewerCache
from wanghong.kit.db.session import Database


@pytest.fixture(scope="session")
def _cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(autouse=True)
def _compiled_cache_in_tmp(_cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`wanghong compliance scan` keeps its compiled scanner under $XDG_CACHE_HOME: never the real one in tests.
    WANGHONG_CACHE_DIR would take precedence: a session fixture of another room (matching's) sets it for the rest
    of its test process, so the tests here would otherwise find tables built by whoever ran before them."""
    monkeypatch.delenv("WANGHONG_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_home))


@pytest.fixture(scope="session")
def library() -> ViolationLibrary:
    return load_library()


@pytest.fixture(scope="session")
def reviewer(library: ViolationLibrary) -> ComplianceReviewer:
    return ComplianceReviewer(library)


@pytest.fixture(scope="session")
def scanner(reviewer: ComplianceReviewer) -> Scanner:
    return reviewer.scanner


@pytest.fixture(scope="session")
def raw_scanner(library: ViolationLibrary) -> Scanner:
    """The shipped library without the context rules: the raw hits whose context a test judges itself."""
    return Scanner(library, context=False)


@pytest.fixture(scope="module")
def world(db: Database) -> World:
    """One two-tenant world per test module: building one hashes eight passwords, the slowest setup here.
    Tests that count a creator's violations use a creator no other test in the module penalises."""
    return build_world(db, uuid.uuid4().hex[:8])


@pytest.fixture(scope="module")
def as_user(app_client: TestClient, world: World) -> Callable[[str], dict[str, str]]:
    """`as_user("reviewer")` gives the Authorization header of that world's user."""
    cache: dict[str, dict[str, str]] = {}

    def headers(user: str) -> dict[str, str]:
        if user not in cache:
            cache[user] = login(app_client, world, user)
        return cache[user]

    return headers


@pytest.fixture(scope="module")
def reviewers(app_client: TestClient) -> ReviewerCache:
    """The app's warm reviewer cache, so that direct service calls and HTTP requests share one engine."""
    cache: ReviewerCache = app_client.app.state.runtime.get(REVIEWERS)  # type: ignore[attr-defined]
    return cache
