"""合规审核 API: the versioned violation library, penalty policy, penalties, appeals, review decisions, retraining,
AI precision; the live WebSocket that reviews transcript lines and barrage comments is mounted from `live_socket`.

Mounted under ``/api/v1`` (``router``): everything under ``/compliance`` except the review decision, which keeps its
older path ``POST /api/v1/review-tasks/{id}/decision``. Library edits and the policy are for administrators;
reviewers read the library and decide review tasks and appeals; creators and MCNs see their own penalties and file
appeals.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.compliance import appeals, library, live_socket, penalties, review, training
from wanghong.compliance.engine_cache import REVIEWERS
from wanghong.compliance.precision import PrecisionRow, precision_report
from wanghong.compliance.schemas import (
    AppealDecisionIn,
    AppealIn,
    AppealOut,
    LibraryChangeOut,
    LibraryEntryIn,
    LibraryEntryPatch,
    LibraryOut,
    LibraryVersionOut,
    ModelRunOut,
    PenaltyOut,
    PolicyIn,
    PrecisionOut,
    PrecisionRowOut,
    ReviewDecisionIn,
    ReviewTaskOut,
)
from wanghong.domain import AppealStatus
from wanghong.kit.http import DbSession, WarmEngines
from wanghong.kit.listing import PageQuery
from wanghong.kit.paging import page_body, page_schema, paged_route
from wanghong.kit.schemas import PathId, RowIdQuery

router = APIRouter()
_api = APIRouter(prefix="/compliance", tags=["合规审核 / compliance"])


def _row(r: PrecisionRow) -> PrecisionRowOut:
    return PrecisionRowOut(key=r.key, confirmed=r.confirmed, decided=r.decided, precision=r.precision)


@_api.get("/library", response_model=LibraryOut, summary="当前词库 / The active violation library")
def get_library(session: DbSession, principal: CurrentPrincipal, runtime: WarmEngines) -> LibraryOut:
    active, row = library.current_library(session, principal, reviewers=runtime.get(REVIEWERS))
    return LibraryOut(
        version=active.version,
        name=active.name,
        created_at=row.created_at,
        change_summary=row.change_summary,
        entry_count=len(active),
        exceptions=list(active.exceptions),
        entries=[e.to_dict() for e in active.entries],
    )


@_api.get("/library/entries", summary="词条列表 / Entries of the active library")
def list_entries(
    session: DbSession, principal: CurrentPrincipal, runtime: WarmEngines, category: str | None = None
) -> list[dict[str, Any]]:
    active, _ = library.current_library(session, principal, reviewers=runtime.get(REVIEWERS))
    return [e.to_dict() for e in active.entries if category is None or e.category.value == category]


@_api.post(
    "/library/entries",
    response_model=LibraryChangeOut,
    status_code=201,
    summary="新增词条 / Add an entry (admin)",
    description="Saves a new library version (version + 1), audited; every worker switches to it within seconds.",
)
def add_entry(
    data: LibraryEntryIn, session: DbSession, principal: CurrentPrincipal, runtime: WarmEngines
) -> LibraryChangeOut:
    raw = data.model_dump(exclude_none=True, exclude={"change_summary"})
    saved = library.add_entry(session, principal, raw, data.change_summary, reviewers=runtime.get(REVIEWERS))
    return LibraryChangeOut(version=saved.version, entry=saved.get(data.id).to_dict())


@_api.patch("/library/entries/{entry_id}", response_model=LibraryChangeOut, summary="修改词条 / Change (admin)")
def update_entry(
    entry_id: str, data: LibraryEntryPatch, session: DbSession, principal: CurrentPrincipal, runtime: WarmEngines
) -> LibraryChangeOut:
    changes = data.model_dump(exclude_unset=True, exclude={"change_summary"})
    reviewers = runtime.get(REVIEWERS)
    saved = library.update_entry(session, principal, entry_id, changes, data.change_summary, reviewers=reviewers)
    return LibraryChangeOut(version=saved.version, entry=saved.get(entry_id).to_dict())


@_api.delete("/library/entries/{entry_id}", response_model=LibraryChangeOut, summary="删除词条 / Remove (admin)")
def remove_entry(
    entry_id: str,
    session: DbSession,
    principal: CurrentPrincipal,
    runtime: WarmEngines,
    change_summary: Annotated[str, Query(max_length=500)] = "",
) -> LibraryChangeOut:
    saved = library.remove_entry(session, principal, entry_id, change_summary, reviewers=runtime.get(REVIEWERS))
    return LibraryChangeOut(version=saved.version, entry=None)


@_api.get("/library/versions", response_model=list[LibraryVersionOut], summary="词库版本 / Library versions")
def library_versions(session: DbSession, principal: CurrentPrincipal, runtime: WarmEngines) -> Any:
    return library.library_versions(session, principal, reviewers=runtime.get(REVIEWERS))


@_api.get("/policy", summary="处罚规则 / Penalty policy")
def get_policy(session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    return penalties.get_policy(session, principal)


@_api.put("/policy", summary="修改处罚规则 / Change the penalty policy (admin)")
def put_policy(policy: PolicyIn, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    return penalties.put_policy(session, principal, policy)


@paged_route(_api, "/penalties", page_schema(PenaltyOut), "处罚记录 / Penalties")
def list_penalties(
    session: DbSession, principal: CurrentPrincipal, page: PageQuery, creator_id: RowIdQuery = None
) -> Any:
    return page_body(penalties.list_penalties(session, principal, page, creator_id))


@_api.get("/penalties/{ident}", response_model=PenaltyOut, summary="处罚详情 / One penalty")
def get_penalty(ident: PathId, session: DbSession, principal: CurrentPrincipal) -> Any:
    return penalties.get_penalty(session, principal, ident)


@_api.post("/appeals", response_model=AppealOut, status_code=201, summary="提交申诉 / File an appeal")
def file_appeal(data: AppealIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return appeals.file_appeal(session, principal, data)


@paged_route(_api, "/appeals", page_schema(AppealOut), "申诉列表 / Appeals")
def list_appeals(
    session: DbSession, principal: CurrentPrincipal, page: PageQuery, status: AppealStatus | None = None
) -> Any:
    return page_body(appeals.list_appeals(session, principal, page, status))


@_api.post("/appeals/{ident}/decision", response_model=AppealOut, summary="申诉裁决 / Decide an appeal")
def decide_appeal(ident: PathId, data: AppealDecisionIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return appeals.decide_appeal(session, principal, ident, data)


@_api.post("/retrain", response_model=ModelRunOut, status_code=201, summary="重新训练 / Retrain the model (admin)")
def retrain(session: DbSession, principal: CurrentPrincipal, runtime: WarmEngines) -> Any:
    return training.retrain(session, principal, reviewers=runtime.get(REVIEWERS))


@_api.get("/precision", response_model=PrecisionOut, summary="AI 准确率 / Precision of the AI track")
def precision(session: DbSession, principal: CurrentPrincipal, days: int = Query(90, ge=1, le=3650)) -> PrecisionOut:
    report = precision_report(session, principal, days)
    return PrecisionOut(
        pending=report.pending,
        by_verdict=[_row(r) for r in report.by_verdict],
        by_category=[_row(r) for r in report.by_category],
        by_day=[{"day": day} | _row(r).model_dump() for day, r in report.by_day],
    )


@router.post(
    "/review-tasks/{ident}/decision",
    response_model=ReviewTaskOut,
    tags=["审核队列 / review queue"],
    summary="审核决定 / Uphold (confirm) or dismiss (overturn) the AI verdict",
)
def decide(ident: PathId, decision: ReviewDecisionIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return review.decide_review(session, principal, ident, decision.decision, decision.note)


# Last, once every route above is declared: including copies the routes that exist at this point.
router.include_router(_api)
router.include_router(live_socket.router)
