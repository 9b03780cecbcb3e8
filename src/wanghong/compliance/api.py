"""合规审核 API: the versioned violation library, penalty policy, penalties, appeals, retraining, AI precision,
and the live WebSocket that reviews transcript lines and barrage comments as they are spoken or posted.

Mounted under ``/api/v1`` (``router``). Library edits and the policy are for administrators; reviewers read
the library and decide appeals; creators and MCNs see their own penalties and file appeals. Review decisions
stay on the existing ``POST /api/v1/review-tasks/{id}/decision`` route.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from wanghong.accounts.auth import principal_for_token
from wanghong.accounts.deps import SESSION_COOKIE, CurrentPrincipal
from wanghong.accounts.principal import Principal
from wanghong.commerce.resources_api import PAGED, PageLimit, page_body, page_schema
from wanghong.compliance import service as compliance
from wanghong.compliance.service import AppealDecisionIn, AppealIn, LibraryEntryPatch, LiveMessageIn, PolicyIn
from wanghong.domain import AppealStatus, PenaltyKind, PenaltyStatus
from wanghong.kit.db.session import Database
from wanghong.kit.errors import ServiceError
from wanghong.kit.http import DbSession
from wanghong.kit.paging import DEFAULT_PAGE_SIZE

router = APIRouter(prefix="/compliance", tags=["合规审核 / compliance"])


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class LibraryVersionOut(_Out):
    version: int
    change_summary: str
    created_by_id: int | None
    created_at: datetime


class LibraryOut(BaseModel):
    version: int
    name: str
    created_at: datetime
    change_summary: str
    entry_count: int
    exceptions: list[str]
    entries: list[dict[str, Any]]


class LibraryEntryIn(BaseModel):
    """One library entry, as in ``library.json``; the engine validates it (ids look like ``ABS-001``)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    term: str
    category: str
    severity: str
    article: str
    explanation: str
    exceptions: list[str] | None = None
    phonetic: bool | None = None
    pattern: str | None = None
    triggers: list[str] | None = None
    examples: list[str] | None = None
    change_summary: str = Field("", max_length=500)


class LibraryChangeOut(BaseModel):
    version: int
    entry: dict[str, Any] | None


class PenaltyOut(_Out):
    id: int
    creator_id: int
    violation_id: int | None
    kind: PenaltyKind
    status: PenaltyStatus
    points: int
    reason: str
    starts_at: datetime
    ends_at: datetime | None
    lifted_at: datetime | None
    created_at: datetime


class AppealOut(_Out):
    id: int
    creator_id: int
    penalty_id: int | None
    violation_id: int | None
    filed_by_id: int | None
    reason: str
    status: AppealStatus
    decided_by_id: int | None
    decided_at: datetime | None
    decision_note: str
    created_at: datetime


class ModelRunOut(_Out):
    id: int
    examples: int
    metrics: dict[str, Any]
    created_at: datetime


class PrecisionRowOut(BaseModel):
    key: str
    confirmed: int
    decided: int
    precision: float | None


class PrecisionOut(BaseModel):
    pending: int
    by_verdict: list[PrecisionRowOut]
    by_category: list[PrecisionRowOut]
    by_day: list[dict[str, Any]]


def _row(r: compliance.PrecisionRow) -> PrecisionRowOut:
    return PrecisionRowOut(key=r.key, confirmed=r.confirmed, decided=r.decided, precision=r.precision)


@router.get("/library", response_model=LibraryOut, summary="当前词库 / The active violation library")
def get_library(session: DbSession, principal: CurrentPrincipal) -> LibraryOut:
    library, row = compliance.current_library(session, principal)
    return LibraryOut(
        version=library.version,
        name=library.name,
        created_at=row.created_at,
        change_summary=row.change_summary,
        entry_count=len(library),
        exceptions=list(library.exceptions),
        entries=[e.to_dict() for e in library.entries],
    )


@router.get("/library/entries", summary="词条列表 / Entries of the active library")
def list_entries(session: DbSession, principal: CurrentPrincipal, category: str | None = None) -> list[dict[str, Any]]:
    library, _ = compliance.current_library(session, principal)
    return [e.to_dict() for e in library.entries if category is None or e.category.value == category]


@router.post(
    "/library/entries",
    response_model=LibraryChangeOut,
    status_code=201,
    summary="新增词条 / Add an entry (admin)",
    description="Saves a new library version (version + 1), audited; every worker switches to it within seconds.",
)
def add_entry(data: LibraryEntryIn, session: DbSession, principal: CurrentPrincipal) -> LibraryChangeOut:
    raw = data.model_dump(exclude_none=True, exclude={"change_summary"})
    library = compliance.add_entry(session, principal, raw, data.change_summary)
    return LibraryChangeOut(version=library.version, entry=library.get(data.id).to_dict())


@router.patch("/library/entries/{entry_id}", response_model=LibraryChangeOut, summary="修改词条 / Change (admin)")
def update_entry(
    entry_id: str, data: LibraryEntryPatch, session: DbSession, principal: CurrentPrincipal
) -> LibraryChangeOut:
    changes = data.model_dump(exclude_unset=True, exclude={"change_summary"})
    library = compliance.update_entry(session, principal, entry_id, changes, data.change_summary)
    return LibraryChangeOut(version=library.version, entry=library.get(entry_id).to_dict())


@router.delete("/library/entries/{entry_id}", response_model=LibraryChangeOut, summary="删除词条 / Remove (admin)")
def remove_entry(
    entry_id: str,
    session: DbSession,
    principal: CurrentPrincipal,
    change_summary: Annotated[str, Query(max_length=500)] = "",
) -> LibraryChangeOut:
    library = compliance.remove_entry(session, principal, entry_id, change_summary)
    return LibraryChangeOut(version=library.version, entry=None)


@router.get("/library/versions", response_model=list[LibraryVersionOut], summary="词库版本 / Library versions")
def library_versions(session: DbSession, principal: CurrentPrincipal) -> Any:
    return compliance.library_versions(session, principal)


@router.get("/policy", summary="处罚规则 / Penalty policy")
def get_policy(session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    return compliance.get_policy(session, principal)


@router.put("/policy", summary="修改处罚规则 / Change the penalty policy (admin)")
def put_policy(policy: PolicyIn, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    return compliance.put_policy(session, principal, policy)


@router.get("/penalties", response_model=page_schema(PenaltyOut), summary="处罚记录 / Penalties", description=PAGED)
def list_penalties(
    session: DbSession,
    principal: CurrentPrincipal,
    creator_id: int | None = None,
    limit: PageLimit = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> Any:
    return page_body(compliance.list_penalties(session, principal, creator_id, limit, cursor))


@router.get("/penalties/{ident}", response_model=PenaltyOut, summary="处罚详情 / One penalty")
def get_penalty(ident: int, session: DbSession, principal: CurrentPrincipal) -> Any:
    return compliance.get_penalty(session, principal, ident)


@router.post("/appeals", response_model=AppealOut, status_code=201, summary="提交申诉 / File an appeal")
def file_appeal(data: AppealIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return compliance.file_appeal(session, principal, data)


@router.get("/appeals", response_model=page_schema(AppealOut), summary="申诉列表 / Appeals", description=PAGED)
def list_appeals(
    session: DbSession,
    principal: CurrentPrincipal,
    status: AppealStatus | None = None,
    limit: PageLimit = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> Any:
    return page_body(compliance.list_appeals(session, principal, status, limit, cursor))


@router.post("/appeals/{ident}/decision", response_model=AppealOut, summary="申诉裁决 / Decide an appeal")
def decide_appeal(ident: int, data: AppealDecisionIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return compliance.decide_appeal(session, principal, ident, data)


@router.post("/retrain", response_model=ModelRunOut, status_code=201, summary="重新训练 / Retrain the model (admin)")
def retrain(session: DbSession, principal: CurrentPrincipal) -> Any:
    return compliance.retrain(session, principal)


@router.get("/precision", response_model=PrecisionOut, summary="AI 准确率 / Precision of the AI track")
def precision(session: DbSession, principal: CurrentPrincipal, days: int = Query(90, ge=1, le=3650)) -> PrecisionOut:
    report = compliance.precision_report(session, principal, days)
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
        compliance.livestream_visible(session, principal, livestream_id)
        return principal


def _review_live(db: Database, principal: Principal, livestream_id: int, message: LiveMessageIn) -> dict[str, Any]:
    with db.transaction() as session:
        return compliance.review_live(session, principal, livestream_id, message)


@router.websocket("/live/{livestream_id}")
async def live(websocket: WebSocket, livestream_id: int, token: str | None = None) -> None:
    """Send ``{"kind": "transcript"|"comment", "text": ..., "at": ISO time}``; receive one verdict per message:
    ``{"kind", "at", "verdict", "score", "hits", "library_version", "review_task_id"}``. Authenticate with
    ``?token=<bearer token>`` or the web session cookie. A malformed message gets ``{"error": ...}`` and the
    connection stays open."""
    db: Database = websocket.app.state.db
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
                result = await run_in_threadpool(_review_live, db, principal, livestream_id, message)
            except ServiceError as exc:
                await websocket.send_json({"error": exc.detail, "status": exc.status})
                continue
            await websocket.send_json(result)
    except WebSocketDisconnect:
        return
