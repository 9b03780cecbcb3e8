"""普惠流量分发 API: fair feed allocation, the operators' settings and the measured Gini history.

All routes are for the platform administrator. Feed allocation is a platform-internal call (the
recommendation service asks it to re-rank its candidates), so it runs under an admin/service
account; brands, MCNs, creators and reviewers get 403 — the feed must not be steerable by the
parties it distributes traffic between.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field, StrictInt, StrictStr, field_validator

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.domain import FollowerTier
from wanghong.kit.http import DbSession
from wanghong.traffic import service as traffic
from wanghong.traffic.service import MAX_CANDIDATES, MAX_SLATE_SIZE, Candidate, TrafficService

router = APIRouter(prefix="/feed", tags=["普惠流量分发 / fair traffic"])

_SERVICE_LOCK = threading.Lock()

# JSON has no NaN, but Python's parser accepts the NaN/Infinity literals: refuse them explicitly,
# and refuse numbers sent as strings rather than guessing.
Score = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False, strict=True)]


def traffic_service(request: Request) -> TrafficService:
    """The worker's one TrafficService, created on first use from the app's settings."""
    state = request.app.state
    service: TrafficService | None = getattr(state, "traffic_service", None)
    if service is None:
        with _SERVICE_LOCK:
            service = getattr(state, "traffic_service", None)
            if service is None:
                service = TrafficService(state.settings)
                state.traffic_service = service
    return service


class CandidateIn(BaseModel):
    item_id: StrictInt | Annotated[StrictStr, Field(min_length=1, max_length=128)]
    creator_id: StrictInt = Field(description="creators.id of the item's creator")
    score: Score = Field(description="the ranker's predicted engagement; higher is better")


class AllocateIn(BaseModel):
    viewer_id: StrictInt | Annotated[StrictStr, Field(max_length=128)] = Field(
        description="echoed back for the caller's logs; personalisation is already in the scores"
    )
    candidates: list[CandidateIn] = Field(min_length=1, max_length=MAX_CANDIDATES)
    k: StrictInt = Field(10, ge=1, le=MAX_SLATE_SIZE, description="slate size")


class PlacementOut(BaseModel):
    position: int
    item_id: int | str
    creator_id: int
    score: float


class AllocateOut(BaseModel):
    viewer_id: int | str
    k: int
    slate: list[PlacementOut]
    measured_gini: float = Field(description="windowed exposure Gini at the allocator's last controller refresh")
    target_gini: float


class SettingsIn(BaseModel):
    target_gini: float = Field(ge=0.0, le=1.0, allow_inf_nan=False, strict=True)
    min_tier_share: dict[FollowerTier, Share] = Field(
        default_factory=dict, description="follower tier -> minimum share of windowed exposure; total ≤ 1"
    )

    @field_validator("min_tier_share")
    @classmethod
    def _total_at_most_one(cls, value: dict[FollowerTier, float]) -> dict[FollowerTier, float]:
        total = sum(value.values())
        if total > 1 + 1e-9:
            raise ValueError(f"the tier shares add up to {total:.3f}; they must total at most 1")
        return value


class SettingsOut(BaseModel):
    target_gini: float
    min_tier_share: dict[FollowerTier, float]
    updated_at: datetime | None
    updated_by: str | None


class GiniPointOut(BaseModel):
    at: datetime
    measured_gini: float
    target_gini: float
    requests: int
    n_creators: int
    worker: str


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
        slate=[PlacementOut(**vars(p)) for p in result.slate],
        measured_gini=result.measured_gini,
        target_gini=result.target_gini,
    )


@router.get("/settings", response_model=SettingsOut, summary="分发设置 / Fair-traffic settings (admin)")
def get_settings(service: Service, session: DbSession, principal: CurrentPrincipal) -> Any:
    return vars(service.get_settings(session, principal))


@router.put(
    "/settings",
    response_model=SettingsOut,
    summary="修改分发设置 / Change the target Gini and tier floors (admin, audited)",
)
def put_settings(body: SettingsIn, service: Service, session: DbSession, principal: CurrentPrincipal) -> Any:
    shares = {tier.value: share for tier, share in body.min_tier_share.items()}
    return vars(service.update_settings(session, principal, body.target_gini, shares))


@router.get("/gini-history", response_model=list[GiniPointOut], summary="基尼系数走势 / Measured Gini over time")
def get_gini_history(
    session: DbSession, principal: CurrentPrincipal, limit: Annotated[int, Query(ge=1, le=5000)] = 500
) -> Any:
    return [vars(p) for p in traffic.gini_history(session, principal, limit)]


@router.post(
    "/gini-history",
    response_model=GiniPointOut,
    status_code=201,
    summary="记录基尼快照 / Record the measured Gini now (admin)",
)
def post_gini_snapshot(service: Service, session: DbSession, principal: CurrentPrincipal) -> Any:
    return vars(service.snapshot(session, principal))
