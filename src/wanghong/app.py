"""The composition root: one ASGI application mounting every capability's API (under /api/v1) and pages."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from wanghong import __version__
from wanghong.accounts import api as accounts_api
from wanghong.accounts import page as accounts_page
from wanghong.agency import api as agency_api
from wanghong.agency import page as agency_page
from wanghong.analytics import metrics_page
from wanghong.analytics import page as analytics_page
from wanghong.analytics.freshness import start_board_sync
from wanghong.assistant import api as assistant_api
from wanghong.assistant import live_page as assistant_live_page
from wanghong.assistant import page as assistant_page
from wanghong.audience import api as audience_api
from wanghong.audience import page as audience_page
from wanghong.commerce import api as commerce_api
from wanghong.commerce.resources import RESOURCES as COMMERCE_RESOURCES
from wanghong.commerce.resources_api import build_router
from wanghong.compliance import api as compliance_api
from wanghong.compliance import page as compliance_page
from wanghong.compliance.resources import RESOURCES as COMPLIANCE_RESOURCES
from wanghong.config import Settings
from wanghong.fraud import api as fraud_api
from wanghong.fraud import page as fraud_page

# Seals the transparency log at each commit, in the writer's transaction (the capture triggers record the rows).
from wanghong.governance import api as governance_api
from wanghong.governance import page as governance_page
from wanghong.governance import transparency as _transparency  # noqa: F401
from wanghong.growth import api as growth_api
from wanghong.growth import page as growth_page
from wanghong.home import page as home_page
from wanghong.kit import pages, problems, routing
from wanghong.kit.db.session import Database
from wanghong.kit.runtime import Runtime
from wanghong.kit.security import SecurityMiddleware
from wanghong.marketplace import api as marketplace_api
from wanghong.marketplace import page as marketplace_page
from wanghong.matching import api as matching_api
from wanghong.matching import page as matching_page
from wanghong.originality import api as originality_api

# Subscribes the ledger to collaboration, order and livestream writes: money moves as collaborations move.
from wanghong.selection import api as selection_api
from wanghong.selection import page as selection_page
from wanghong.settlement import api as settlement_api
from wanghong.settlement import collaborations as _settlement  # noqa: F401
from wanghong.traffic import api as traffic_api
from wanghong.traffic import page as traffic_page
from wanghong.workspace import api as workspace_api
from wanghong.workspace import money_pages, payouts_page, report_page
from wanghong.workspace import page as workspace_page

API_PREFIX = "/api/v1"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Boards seconds fresh: each worker copies new database rows into the event store beside the requests.
    board_sync = start_board_sync(app.state.settings, app.state.db)
    yield
    if board_sync is not None:
        board_sync.stop()
    app.state.runtime.close()


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="wanghong 网红业务平台 API",
        version=__version__,
        description="品牌、MCN、达人与平台运营的业务中台 / The business hub for brands, MCNs, creators and operators.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        # Swagger UI is served by kit.pages from local assets (offline, under the CSP): see install_docs below.
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.db = db or Database(settings.database_url)
    # Warm engines live as long as the application: built on first use, released at shutdown.
    app.state.runtime = Runtime(settings)
    problems.install(app)

    api = APIRouter(prefix=API_PREFIX)
    api.include_router(accounts_api.router)
    # Commerce's fixed paths (e.g. /mcns/{id}/tier) first, so the generic resource routes do not shadow them.
    api.include_router(commerce_api.router)
    api.include_router(traffic_api.router)
    api.include_router(matching_api.router)
    api.include_router(originality_api.router)
    api.include_router(compliance_api.router)
    api.include_router(workspace_api.router)
    api.include_router(assistant_api.router)
    api.include_router(marketplace_api.router)
    api.include_router(selection_api.router)
    api.include_router(agency_api.router)
    api.include_router(governance_api.router)
    api.include_router(audience_api.router)
    api.include_router(growth_api.router)
    api.include_router(settlement_api.router)
    api.include_router(fraud_api.router)
    for resource in (*COMMERCE_RESOURCES.values(), *COMPLIANCE_RESOURCES.values()):
        api.include_router(build_router(resource))
    routing.include_flat(app, api)
    for page in (
        pages,
        accounts_page,
        home_page,
        workspace_page,
        assistant_page,
        assistant_live_page,
        payouts_page,
        money_pages,
        report_page,
        marketplace_page,
        selection_page,
        agency_page,
        governance_page,
        audience_page,
        growth_page,
        fraud_page,
        traffic_page,
        matching_page,
        compliance_page,
        analytics_page,
        metrics_page,
    ):
        app.include_router(page.router)
    pages.install_docs(app, f"{API_PREFIX}/docs")
    routing.install_gates(app)
    # Outermost of the app's own middleware: size limit and CSRF refusals come before any parsing or sign-in.
    app.add_middleware(
        SecurityMiddleware, max_request_bytes=settings.max_request_bytes, secure_cookies=settings.secure_cookies
    )
    return app


def served_app() -> FastAPI:
    """The application a server process runs for as long as it lives (`wanghong serve`, each worker).

    Everything alive once it is built (modules, routes, schemas, mappers: ≈ 400k objects) lives as long as the
    process, so it goes to the collector's permanent generation: full collections stop re-scanning it, each of which
    stalled the worker's event loop for up to 240 ms (the matches route's p99 tail); with it, ≈ 20 ms. Tests build
    many apps in one process and use `create_app`, whose objects must stay collectable."""
    app = create_app()
    gc.freeze()
    return app
