"""普惠流量分发 API: fair feed allocation, the operators' settings and the measured Gini history.

All routes are for the platform administrator. Feed allocation is a platform-internal call (the
recommendation service asks it to re-rank its candidates), so it runs under an admin/service
account; brands, MCNs, creators and reviewers get 403 — the feed must not be steerable by the
parties it distributes traffic between.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.kit.http import DbSession, WarmEngines
from wanghong.traffic import service as traffic
from wanghong.traffic.schemas import AllocateIn, AllocateOut, SettingsIn
from wanghong.traffic.service import MAX_SLATE_SIZE, Candidate, FeedSettings, GiniPoint, TrafficService

router = APIRouter(prefix="/feed", tags=["普惠流量分发 / fair traffic"])


def traffic_service(runtime: WarmEngines) -> TrafficService:
    """The worker's one TrafficService, kept warm by the application's runtime."""
    return runtime.get(traffic.TRAFFIC)


Service = Annotated[TrafficService, Depends(traffic_service)]


@router.post(
    "/allocate",
    response_model=AllocateOut,
    summary="公平分发 / Allocate a feed slate under the Gini target",
    description="Re-ranks the candidates so creator exposure stays at or below the target Gini. Admin/service "
    "accounts only. Unknown creator ids, non-finite or non-numeric scores, no candidates and k outside "
    f"1..{MAX_SLATE_SIZE} answer 422.",
)
def allocate(body: AllocateIn, service: Service, session: DbSession, principal: CurrentPrincipal) -> Any:
    candidates = [Candidate(c.item_id, c.creator_id, float(c.score)) for c in body.candidates]
    result = service.allocate(session, principal, candidates, body.k)
    return AllocateOut(
        viewer_id=body.viewer_id,
        k=body.k,
        slate=result.slate,
        measured_gini=result.measured_gini,
        target_gini=result.target_gini,
    )


@router.get("/settings", response_model=FeedSettings, summary="分发设置 / Fair-traffic settings (admin)")
def get_settings(service: Service, session: DbSession, principal: CurrentPrincipal) -> Any:
    return service.get_settings(session, principal)


@router.put(
    "/settings",
    response_model=FeedSettings,
    summary="修改分发设置 / Change the target Gini and tier floors (admin, audited)",
)
def put_settings(body: SettingsIn, service: Service, session: DbSession, principal: CurrentPrincipal) -> Any:
    shares = {tier.value: share for tier, share in body.min_tier_share.items()}
    return service.update_settings(session, principal, body.target_gini, shares)


@router.get("/gini-history", response_model=list[GiniPoint], summary="基尼系数走势 / Measured Gini over time")
def get_gini_history(
    session: DbSession, principal: CurrentPrincipal, limit: Annotated[int, Query(ge=1, le=5000)] = 500
) -> Any:
    return traffic.gini_history(session, principal, limit)


@router.post(
    "/gini-history",
    response_model=GiniPoint,
    status_code=201,
    summary="记录基尼快照 / Record the measured Gini now (admin)",
)
def post_gini_snapshot(service: Service, session: DbSession, principal: CurrentPrincipal) -> Any:
    return service.snapshot(session, principal)
