"""原创申诉 API / originality claims.

Mount under the /api/v1 prefix: ``api.include_router(originality.router)`` gives
``POST /api/v1/originality/claims`` (creator / MCN files a claim), ``GET /api/v1/originality/claims``
(each side sees its own claims, reviewers all) and ``POST /api/v1/originality/claims/{id}/decision``
(reviewer confirms or rejects). Authorization is decided in ``services/access.py``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, StrictInt

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.domain import ClaimStatus
from wanghong.kit.http import DbSession
from wanghong.originality import claims as service

router = APIRouter(prefix="/originality", tags=["原创保护 / originality"])


class ClaimIn(BaseModel):
    original_video_id: StrictInt = Field(description="your video (videos.id) that was copied")
    copy_video_id: StrictInt = Field(description="the other creator's video (videos.id) that copies it")
    reason: str = Field("", max_length=2000, description="what was copied, in your words")


class DecisionIn(BaseModel):
    decision: Literal["confirm", "reject"]
    note: str = Field("", max_length=2000)


@router.post(
    "/claims",
    status_code=201,
    summary="提交原创申诉 / File an originality claim",
    description="The claimant (creator or its MCN) must own the original; the alleged copy must be another "
    "creator's video published later. The response carries the engine's evidence.",
)
def file_claim(body: ClaimIn, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    claim = service.file_claim(session, principal, body.original_video_id, body.copy_video_id, body.reason)
    return service.claim_out(claim)


@router.get("/claims", summary="原创申诉列表 / Originality claims visible to you")
def list_claims(
    session: DbSession,
    principal: CurrentPrincipal,
    status: ClaimStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_LIST)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    claims = service.list_claims(session, principal, status, limit, offset)
    return {"items": [service.claim_out(c) for c in claims], "limit": limit, "offset": offset}


@router.post("/claims/{claim_id}/decision", summary="审核原创申诉 / Confirm or reject a claim (reviewers)")
def decide_claim(claim_id: int, body: DecisionIn, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    claim = service.decide_claim(session, principal, claim_id, body.decision, body.note)
    return service.claim_out(claim)
