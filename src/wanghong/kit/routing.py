"""Routing that asks only the routers that can match a path.

FastAPI (0.16x) keeps every included router as one candidate of its parent and, for each request, matches the
candidates in order — twice (once to choose, once to handle) — through per-route scope bookkeeping. With thirty-odd
rooms and some three hundred routes that costs more than a typical handler: a request for the last router's path
ran every route of every router before it. Here each top-level router carries a *gate*, the literal beginnings of
its routes' paths (`/api/v1/creators/` for `/api/v1/creators/{ident}/persona`; the whole path of a route without
parameters, which matches only itself), and is asked only when the path fits one of them. Matching order, 404s, 405s
and redirects stay FastAPI's own: a gate only skips routers none of whose routes could match.

The gate subclasses FastAPI's included-router type, which is private: tests/kit/test_routing.py checks, route by
route and method by method, that the gated application chooses exactly what FastAPI's own matching chooses, so a
FastAPI release that changes it fails there first.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.routing import _IncludedRouter, iter_route_contexts
from starlette.routing import Match
from starlette.types import Scope


def include_flat(app: FastAPI, parent: APIRouter) -> None:
    """Include each router that ``parent`` includes directly into ``app`` under ``parent``'s prefix, so that every
    one of them is a top-level candidate a gate can skip (a gate inside a nested router is rebuilt away by
    FastAPI). The routers are included exactly as given (``parent`` adds only its prefix)."""
    for route in parent.routes:
        nested = getattr(route, "original_router", None)
        if nested is None:
            raise TypeError(f"{parent.prefix}: include routers only, found {route!r}")
        app.include_router(nested, prefix=parent.prefix)


def gate_of(paths: list[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """(the paths a router matches only exactly, the literal beginnings of its parameterised paths)."""
    exact = frozenset(p for p in paths if "{" not in p)
    prefixes = tuple(sorted({p[: p.index("{")] for p in paths if "{" in p}))
    return exact, prefixes


def install_gates(app: FastAPI) -> int:
    """Gate every top-level included router of ``app``; returns how many were gated."""
    gated = 0
    routes = app.router.routes
    for position, route in enumerate(routes):
        if type(route) is not _IncludedRouter:
            continue
        paths = [context.path for context in iter_route_contexts([route]) if context.path is not None]
        routes[position] = _gated(route, *gate_of(paths))
        gated += 1
    return gated


class GatedRouter(_IncludedRouter):
    """An included router asked only for paths that begin like one of its routes."""

    exact: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "lifespan":
            path = route_path(scope)
            if path not in self.exact and not path.startswith(self.prefixes):
                return Match.NONE, {}
        return super().matches(scope)


def _gated(route: _IncludedRouter, exact: frozenset[str], prefixes: tuple[str, ...]) -> GatedRouter:
    gated = GatedRouter(original_router=route.original_router, include_context=route.include_context)
    gated.exact, gated.prefixes = exact, prefixes
    return gated


def route_path(scope: Scope) -> str:
    """The path routes are matched against: the request path less the application's root path (as Starlette)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if not root or not path.startswith(root):
        return path
    if path == root:
        return ""
    return path[len(root) :] if path[len(root)] == "/" else path
