"""人群洞察 over the API: a brand's crowd packs (CRUD), their noised sizes, k-anonymous exports, lookalike expansion,
targeted creators, the segment explorer's release and the month's privacy budget."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.audience import service
from wanghong.audience.models import CrowdPack
from wanghong.audience.schemas import (
    BudgetOut,
    ExportOut,
    LookalikeOut,
    PackIn,
    PackOut,
    PackUpdate,
    ReleaseIn,
    ReleaseOut,
    SegmentReleaseOut,
    SizeReleaseOut,
    TargetCreatorOut,
)
from wanghong.kit.http import DbSession
from wanghong.kit.listing import PageQuery
from wanghong.kit.paging import page_body, page_schema, paged_route
from wanghong.kit.schemas import PathId

router = APIRouter(prefix="/audience", tags=["人群洞察 / audience"])


def _budget(found: service.Budget) -> dict[str, Any]:
    return {"month": found.month, "limit": found.limit, "spent": found.spent, "remaining": found.remaining}


@router.get("/budget", response_model=BudgetOut, summary="隐私预算 / The brand's ε budget this month")
def budget(session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    brand_id = service.brand_of(principal, "reading the privacy budget")
    return _budget(service.budget(session, brand_id))


@router.post(
    "/segments/release",
    response_model=SegmentReleaseOut,
    summary="人群规模 / Every rule segment's size, noised (spends ε; 409 when the month's budget is spent)",
)
def release_segments(data: ReleaseIn, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    found = service.release_segments(session, principal, data.epsilon)
    return {
        "release_id": found.release.id,
        "segments": [
            {"key": rule.key, "name_zh": rule.name_zh, "name_en": rule.name_en, "size": size}
            for rule, size in found.sizes
        ],
        "accuracy": found.release.accuracy,
        "epsilon": found.release.epsilon,
        "budget": _budget(found.budget),
    }


@paged_route(router, "/packs", page_schema(PackOut), "人群包 / The brand's crowd packs, newest first")
def list_packs(session: DbSession, principal: CurrentPrincipal, page: PageQuery) -> Any:
    return page_body(service.list_packs(session, principal, page.limit, page.cursor))


@router.post("/packs", response_model=PackOut, status_code=201, summary="新建人群包 / Save a crowd pack definition")
def create_pack(data: PackIn, session: DbSession, principal: CurrentPrincipal) -> CrowdPack:
    return service.create_pack(session, principal, data)


@router.get("/packs/{ident}", response_model=PackOut, summary="人群包详情 / One crowd pack")
def get_pack(ident: PathId, session: DbSession, principal: CurrentPrincipal) -> CrowdPack:
    return service.get_pack(session, principal, ident)


@router.patch("/packs/{ident}", response_model=PackOut, summary="修改人群包 / Rename or redefine a pack")
def update_pack(ident: PathId, data: PackUpdate, session: DbSession, principal: CurrentPrincipal) -> CrowdPack:
    return service.update_pack(session, principal, ident, data)


@router.delete("/packs/{ident}", status_code=204, summary="删除人群包 / Delete a pack (its releases stay recorded)")
def delete_pack(ident: PathId, session: DbSession, principal: CurrentPrincipal) -> Response:
    service.delete_pack(session, principal, ident)
    return Response(status_code=204)


@router.post(
    "/packs/{ident}/size",
    response_model=SizeReleaseOut,
    summary="人群包规模 / The pack's size, noised (spends ε; 409 when the month's budget is spent)",
)
def release_size(ident: PathId, data: ReleaseIn, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    found = service.release_size(session, principal, ident, data.epsilon)
    return {
        "release_id": found.release.id,
        "pack_id": ident,
        "size": found.size,
        "accuracy": found.release.accuracy,
        "epsilon": found.release.epsilon,
        "budget": _budget(found.budget),
    }


@router.post(
    "/packs/{ident}/export",
    response_model=ExportOut,
    summary="导出人群包 / Hashed ids of the pack's k-anonymous members (422 below k = 50)",
)
def export_pack(ident: PathId, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    found = service.export(session, principal, ident)
    return {
        "release_id": found.release.id,
        "hashed_ids": found.hashed_ids,
        "key": found.key.hex(),
        "k": service.K,
        "suppressed": found.suppressed,
        "quasi_identifiers": list(service.QUASI_IDENTIFIERS),
    }


@router.get(
    "/packs/{ident}/lookalike",
    response_model=LookalikeOut,
    summary="优选扩量 / Expansion sizes with estimated precision, from held-out seeds",
)
def lookalike(ident: PathId, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    found = service.lookalike(session, principal, ident)
    return {"pack_id": found.pack_id, "auc": found.auc, "steps": found.steps}


@router.get(
    "/packs/{ident}/creators",
    response_model=list[TargetCreatorOut],
    summary="定向达人 / Creators whose fans over-index on the pack (TGI), reliable samples first",
    description="Read from the pack's newest size release (its noised reach over creators): spends no ε; a pack "
    "never released is a 422.",
)
def target_creators(
    ident: PathId,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    return [
        {
            "creator_id": line.creator.id,
            "display_name": line.creator.display_name,
            "handle": line.creator.handle,
            "followers": line.creator.followers,
            "sample_size": line.reach.audience,
            "reached": line.reach.reached,
            "share": line.reach.share,
            "tgi": line.reach.tgi,
            "reliable": line.reach.reliable,
        }
        for line in service.target_creators(session, principal, ident, limit)
    ]


@paged_route(
    router,
    "/releases",
    page_schema(ReleaseOut),
    "隐私发布记录 / Every release the brand was given, with its ε, newest first",
)
def list_releases(session: DbSession, principal: CurrentPrincipal, page: PageQuery) -> Any:
    return page_body(service.releases(session, principal, page.limit, page.cursor))
