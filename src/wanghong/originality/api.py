"""原创申诉 API / originality claims.

Mount under the /api/v1 prefix: ``api.include_router(originality.router)`` gives
``POST /api/v1/originality/claims`` (creator / MCN files a claim), ``GET /api/v1/originality/claims``
(each side sees its own claims, reviewers all; cursor-paged) and ``POST /api/v1/originality/claims/{id}/decision``
(a reviewer upholds or dismisses it). Authorization is decided in ``kit.access``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.domain import ClaimStatus
from wanghong.kit.http import DbSession
from wanghong.kit.listing import PageQuery
from wanghong.kit.paging import page_body, page_schema, paged_route
from wanghong.kit.schemas import PathId
from wanghong.originality import claims as service
from wanghong.originality.schemas import ClaimIn, ClaimOut, DecisionIn

router = APIRouter(prefix="/originality", tags=["原创保护 / originality"])


@router.post(
    "/claims",
    status_code=201,
    response_model=ClaimOut,
    summary="提交原创申诉 / File an originality claim",
    description="The claimant (creator or its MCN) must own the original; the alleged copy must be another "
    "creator's video published later. The response carries the engine's evidence.",
)
def file_claim(body: ClaimIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return service.file_claim(session, principal, body.original_video_id, body.copy_video_id, body.reason)


@paged_route(router, "/claims", page_schema(ClaimOut), "原创申诉列表 / Originality claims visible to you")
def list_claims(
    session: DbSession, principal: CurrentPrincipal, page: PageQuery, status: ClaimStatus | None = None
) -> Any:
    return page_body(service.list_claims(session, principal, page, status))


@router.post(
    "/claims/{claim_id}/decision",
    response_model=ClaimOut,
    summary="审核原创申诉 / Uphold (confirm) or dismiss (reject) a claim (reviewers)",
)
def decide_claim(claim_id: PathId, body: DecisionIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return service.decide_claim(session, principal, claim_id, body.decision, body.note)
