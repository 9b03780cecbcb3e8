"""The ASGI application: HTTP API under /api/v1 and the web pages, on one database."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from wanghong import __version__
from wanghong.api import problems
from wanghong.api.routers import auth, compliance, matching, operations, originality, traffic
from wanghong.api.routers.resources import build_router
from wanghong.config import Settings
from wanghong.db.session import Database
from wanghong.services.resources import RESOURCES
from wanghong.web import analytics as analytics_pages
from wanghong.web import compliance as compliance_pages
from wanghong.web import matching as matching_pages
from wanghong.web import routes as home_pages
from wanghong.web import traffic as traffic_pages

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="wanghong 网红业务平台 API",
        version=__version__,
        description="品牌、MCN、达人与平台运营的业务中台 / The business hub for brands, MCNs, creators and operators.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = db or Database(settings.database_url)
    problems.install(app)

    api = APIRouter(prefix=API_PREFIX)
    api.include_router(auth.router)
    # Operations first: their fixed paths (e.g. /mcns/{id}/tier) must not be shadowed by generic routes.
    api.include_router(operations.router)
    api.include_router(traffic.router)
    api.include_router(matching.router)
    api.include_router(originality.router)
    api.include_router(compliance.router)
    for resource in RESOURCES.values():
        api.include_router(build_router(resource))
    app.include_router(api)
    app.include_router(home_pages.router)
    app.include_router(traffic_pages.router)
    app.include_router(matching_pages.router)
    app.include_router(compliance_pages.router)
    app.include_router(analytics_pages.router)
    return app
