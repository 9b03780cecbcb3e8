"""The routing gates skip only routers that cannot match: every route of the application is reached exactly as
FastAPI's own matching reaches it, and paths no route matches stay unmatched."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import _IncludedRouter, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Match

from wanghong.app import create_app
from wanghong.config import Settings
from wanghong.kit import routing
from wanghong.kit.db.session import Database


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    url = f"sqlite:///{tmp_path_factory.mktemp('routing') / 'r.db'}"
    return create_app(Settings(database_url=url), db=Database(url))


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}:]+:path\}", "a/b", re.sub(r"\{[^}:]+(:int)?\}", "7", path))


def _scope(path: str, method: str = "GET", kind: str = "http") -> dict[str, Any]:
    return {"type": kind, "path": path, "root_path": "", "method": method, "headers": [], "query_string": b""}


def _first_match(routes: list[Any], scope: dict[str, Any]) -> tuple[int, Match] | None:
    partial = None
    for position, route in enumerate(routes):
        match, _ = route.matches(dict(scope))
        if match is Match.FULL:
            return position, match
        if match is Match.PARTIAL and partial is None:
            partial = (position, match)
    return partial


def _ungated(routes: list[Any]) -> list[Any]:
    return [
        _IncludedRouter(original_router=r.original_router, include_context=r.include_context)
        if isinstance(r, routing.GatedRouter)
        else r
        for r in routes
    ]


def test_every_top_level_router_is_gated(app: FastAPI) -> None:
    assert all(type(r) is not _IncludedRouter for r in app.router.routes)
    assert sum(isinstance(r, routing.GatedRouter) for r in app.router.routes) > 30


def test_gates_choose_the_same_route_as_fastapi_for_every_path_and_method(app: FastAPI) -> None:
    gated = list(app.router.routes)
    plain = _ungated(gated)
    contexts = list(iter_route_contexts(gated))
    assert len(contexts) > 200
    checked = 0
    for context in contexts:
        if context.path is None:
            continue
        kind = "websocket" if type(context.original_route).__name__ == "APIWebSocketRoute" else "http"
        for method in [*sorted(context.methods or {"GET"}), "PATCH"]:
            scope = _scope(_concrete(context.path), method, kind)
            assert _first_match(gated, scope) == _first_match(plain, scope), (context.path, method)
            checked += 1
    assert checked > 400


@pytest.mark.parametrize(
    "path", ["/nowhere", "/api/v1", "/api/v1/", "/api/v1/creatorsx", "/workspace", "/api/v1/creators/7/nothing", ""]
)
def test_paths_that_match_nothing_stay_unmatched(app: FastAPI, path: str) -> None:
    gated = list(app.router.routes)
    assert _first_match(gated, _scope(path)) == _first_match(_ungated(gated), _scope(path))


def test_gate_of_splits_exact_paths_from_parameterised_ones() -> None:
    exact, prefixes = routing.gate_of(["/a", "/a/{x}", "/b/{y}/c", "/"])
    assert exact == frozenset({"/a", "/"}) and prefixes == ("/a/", "/b/")
    assert routing.route_path({"path": "/root/a", "root_path": "/root"}) == "/a"
    assert routing.route_path({"path": "/rootless", "root_path": "/root"}) == "/rootless"


def test_served_app_answers_through_the_gates(app: FastAPI) -> None:
    with TestClient(app) as client:
        assert client.get("/api/v1/creators").status_code == 401  # reached, then refused: not a 404
        assert client.get("/api/v1/nothing-here").status_code == 404
        assert client.post("/api/v1/openapi.json").status_code == 405
        assert client.get("/api/v1/openapi.json").json()["paths"]
