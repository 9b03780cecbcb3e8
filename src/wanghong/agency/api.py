"""MCN 后台 over the API: the roster, signing and release requests with their decisions, the agency's tier."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.agency import service
from wanghong.agency.models import AgencySigning, SigningKind, SigningStatus
from wanghong.agency.schemas import (
    AgencyTierOut,
    DecisionIn,
    ReleaseIn,
    RosterOut,
    SigningIn,
    SigningOut,
)
from wanghong.kit.http import DbSession
from wanghong.kit.listing import PageQuery
from wanghong.kit.paging import page_body, page_schema, paged_route
from wanghong.settlement.engine import to_yuan

router = APIRouter(prefix="/agency", tags=["MCN 后台 / agency"])
Ident = Annotated[int, Path(ge=1, le=2**63 - 1)]
AgencyId = Annotated[
    int | None, Query(ge=1, le=2**63 - 1, description="the agency (administrators; an MCN manager reads its own)")
]


@router.get("/roster", response_model=RosterOut, summary="达人名单 / The agency's creators")
def roster(session: DbSession, principal: CurrentPrincipal, mcn_id: AgencyId = None) -> dict[str, Any]:
    lines = service.roster(session, principal, mcn_id)
    items = [
        {
            "creator_id": line.creator.id,
            "handle": line.creator.handle,
            "display_name": line.creator.display_name,
            "followers": line.creator.followers,
            "follower_tier": line.creator.follower_tier,
            "share_rate": line.contract.share_rate if line.contract else None,
            "contract_id": line.contract.id if line.contract else None,
            "contract_ends_at": line.contract.ends_at if line.contract else None,
            "open_offers": line.open_offers,
            "earned": str(to_yuan(line.earned_fen)),
            "commission_pending": str(to_yuan(line.pending_fen)),
            "release_pending": line.release_pending,
            "board_url": f"/workspace/collaborations?creator={line.creator.id}",
        }
        for line in lines
    ]
    return {"mcn_id": service.agency_of(session, principal, mcn_id).id, "items": items}


@paged_route(
    router,
    "/signings",
    page_schema(SigningOut),
    "签约申请 / Signing and release requests (the agency's, or those addressed to the creator)",
)
def list_signings(
    session: DbSession,
    principal: CurrentPrincipal,
    page: PageQuery,
    status: Annotated[SigningStatus | None, Query(description="only requests in this state")] = None,
    kind: Annotated[SigningKind | None, Query(description="sign 签约 or release 解约")] = None,
    creator_id: Annotated[int | None, Query(ge=1, le=2**63 - 1, description="only this creator's")] = None,
) -> Any:
    found = service.list_signings(session, principal, status=status, kind=kind, creator_id=creator_id, page=page)
    return page_body(found)


@router.post("/signings", response_model=SigningOut, status_code=201, summary="发起签约 / Offer a creator a contract")
def request_signing(data: SigningIn, session: DbSession, principal: CurrentPrincipal) -> AgencySigning:
    return service.request_signing(session, principal, data)


@router.post("/releases", response_model=SigningOut, status_code=201, summary="申请解约 / Ask to release a creator")
def request_release(data: ReleaseIn, session: DbSession, principal: CurrentPrincipal) -> AgencySigning:
    return service.request_release(session, principal, data)


@router.get("/signings/{ident}", response_model=SigningOut, summary="签约申请详情 / One signing request")
def get_signing(ident: Ident, session: DbSession, principal: CurrentPrincipal) -> AgencySigning:
    return service.get_signing(session, principal, ident)


@router.post(
    "/signings/{ident}/decision",
    response_model=SigningOut,
    summary="确认、拒绝或撤回 / Confirm or decline (the creator), withdraw (the agency); an answered request is a 409",
)
def decide(ident: Ident, data: DecisionIn, session: DbSession, principal: CurrentPrincipal) -> AgencySigning:
    return service.decide(session, principal, ident, data)


@router.get("/tier", response_model=AgencyTierOut, summary="机构等级与分成 / The agency's tier, grants and split")
def tier(session: DbSession, principal: CurrentPrincipal, mcn_id: AgencyId = None) -> dict[str, Any]:
    view = service.tier_view(session, principal, mcn_id)
    grants = [{"tier": tier, **vars(grant)} for tier, grant in service.TIER_GRANTS.items()]
    return {
        "mcn_id": view.mcn.id,
        "name": view.mcn.name,
        "tier": view.mcn.tier,
        "grant": {"tier": view.mcn.tier, **vars(view.grant)},
        "grants": grants,
        "history": view.history,
        "split": [
            {
                "creator_id": line.creator.id,
                "display_name": line.creator.display_name,
                "share_rate": line.contract.share_rate if line.contract else None,
                "contract_id": line.contract.id if line.contract else None,
                "share_earned": str(to_yuan(line.share_fen)),
            }
            for line in view.split
        ],
        "share_total": str(to_yuan(view.share_total_fen)),
    }
