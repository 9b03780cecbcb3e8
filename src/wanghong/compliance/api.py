"""合规审核 API: the versioned violation library, penalty policy, penalties, appeals, review decisions, retraining,
AI precision, and the live WebSocket that reviews transcript lines and barrage comments as they are spoken or posted.

Mounted under ``/api/v1`` (``router``): everything under ``/compliance`` except the review decision, which keeps its
older path ``POST /api/v1/review-tasks/{id}/decision``. Library edits and the policy are for administrators;
reviewers read the library and decide review tasks and appeals; creators and MCNs see their own penalties and file
appeals.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from wanghong.accounts.auth import principal_for_token
from wanghong.accounts.deps import SESSION_COOKIE, CurrentPrincipal
from wanghong.accounts.principal import Principal
from wanghong.compliance import appeals, library, penalties, review, scanning, training
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
    LiveMessageIn,
    ModelRunOut,
    PenaltyOut,
    PolicyIn,
    PrecisionOut,
    PrecisionRowOut,
    ReviewDecisionIn,
    ReviewTaskOut,
)
from wanghong.domain import AppealStatus
from wanghong.kit.db.session import Database
from wanghong.kit.errors import ServiceError
from wanghong.kit.http import DbSession, WarmEngines
from wanghong.kit.listing import PageQuery
from wanghong.kit.paging import PAGED, page_body, page_schema
from wanghong.kit.runtime import Runtime

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


@_api.get("/penalties", response_model=page_schema(PenaltyOut), summary="处罚记录 / Penalties", description=PAGED)
def list_penalties(
    session: DbSession, principal: CurrentPrincipal, page: PageQuery, creator_id: int | None = None
) -> Any:
    return page_body(penalties.list_penalties(session, principal, page, creator_id))


@_api.get("/penalties/{ident}", response_model=PenaltyOut, summary="处罚详情 / One penalty")
def get_penalty(ident: int, session: DbSession, principal: CurrentPrincipal) -> Any:
    return penalties.get_penalty(session, principal, ident)


@_api.post("/appeals", response_model=AppealOut, status_code=201, summary="提交申诉 / File an appeal")
def file_appeal(data: AppealIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return appeals.file_appeal(session, principal, data)


@_api.get("/appeals", response_model=page_schema(AppealOut), summary="申诉列表 / Appeals", description=PAGED)
def list_appeals(
    session: DbSession, principal: CurrentPrincipal, page: PageQuery, status: AppealStatus | None = None
) -> Any:
    return page_body(appeals.list_appeals(session, principal, page, status))


@_api.post("/appeals/{ident}/decision", response_model=AppealOut, summary="申诉裁决 / Decide an appeal")
def decide_appeal(ident: int, data: AppealDecisionIn, session: DbSession, principal: CurrentPrincipal) -> Any:
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


# -- live ----------------------------------------------------------------------------------------------------------

# Application close codes (4000–4999): the HTTP status the same failure would have had, plus 4000.
_CLOSE_UNAUTHORIZED = 4401
_CLOSE_NOT_FOUND = 4404


def _open_live(db: Database, token: str, livestream_id: int) -> Principal:
    with db.transaction() as session:
        principal = principal_for_token(session, token)
        scanning.monitorable_livestream(session, principal, livestream_id)
        return principal


def _review_live(
    db: Database, runtime: Runtime, principal: Principal, livestream_id: int, message: LiveMessageIn
) -> dict[str, Any]:
    with db.transaction() as session:
        return scanning.review_live(session, principal, livestream_id, message, reviewers=runtime.get(REVIEWERS))


@_api.websocket("/live/{livestream_id}")
async def live(websocket: WebSocket, livestream_id: int, token: str | None = None) -> None:
    """Send ``{"kind": "transcript"|"comment", "text": ..., "at": ISO time}``; receive one verdict per message:
    ``{"kind", "at", "verdict", "score", "hits", "library_version", "review_task_id"}``. Authenticate with
    ``?token=<bearer token>`` or the web session cookie. A malformed message gets ``{"error": ...}`` and the
    connection stays open."""
    db: Database = websocket.app.state.db
    runtime: Runtime = websocket.app.state.runtime
    await websocket.accept()
    credential = token or websocket.cookies.get(SESSION_COOKIE) or ""
    try:
        principal = await run_in_threadpool(_open_live, db, credential, livestream_id)
    except ServiceError as exc:
        code = _CLOSE_NOT_FOUND if exc.status == 404 else _CLOSE_UNAUTHORIZED
        await websocket.send_json({"error": exc.detail, "status": exc.status})
        await websocket.close(code=code)
        return
    try:
        while True:
            raw = await websocket.receive_text()
            try:
                message = LiveMessageIn.model_validate(json.loads(raw))
            except (json.JSONDecodeError, ValidationError) as exc:
                detail = exc.errors() if isinstance(exc, ValidationError) else str(exc)
                await websocket.send_json(
                    {
                        "error": '消息格式应为 / send {"kind": "transcript"|"comment", "text": ..., "at": ISO time}',
                        "detail": json.loads(json.dumps(detail, default=str)),
                    }
                )
                continue
            try:
                result = await run_in_threadpool(_review_live, db, runtime, principal, livestream_id, message)
            except ServiceError as exc:
                await websocket.send_json({"error": exc.detail, "status": exc.status})
                continue
            await websocket.send_json(result)
    except WebSocketDisconnect:
        return


@router.post(
    "/review-tasks/{ident}/decision",
    response_model=ReviewTaskOut,
    tags=["审核队列 / review queue"],
    summary="审核决定 / Uphold (confirm) or dismiss (overturn) the AI verdict",
)
def decide(ident: int, decision: ReviewDecisionIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return review.decide_review(session, principal, ident, decision.decision, decision.note)


# Last, once every route above is declared: including copies the routes that exist at this point.
router.include_router(_api)
