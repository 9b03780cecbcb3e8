"""API of governance: 直播主体 records and operator decisions, and the regulator's export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.governance import gate as _gate  # noqa: F401  (subscribes the 直播主体 gate to commerce's writes)
from wanghong.governance import oversight, subjects
from wanghong.governance.engine import subjects as rules
from wanghong.governance.engine.subjects import SubjectKind, SubjectState
from wanghong.governance.models import GovernanceSubject
from wanghong.governance.schemas import DecisionIn, ExportOut, SubjectDetailOut, SubjectIn, SubjectOut, SubjectPage
from wanghong.kit.http import DbSession
from wanghong.kit.paging import DEFAULT_PAGE_SIZE, PAGED, PageLimit

router = APIRouter(prefix="/governance", tags=["数字治理 / governance"])


def subject_body(row: GovernanceSubject) -> dict[str, Any]:
    verification = subjects.verification_of(row)
    own = set(SubjectOut.model_fields) - {"effective_state", "problems"}
    return {name: getattr(row, name) for name in own} | {
        "effective_state": rules.effective_state(row.state, verification),
        "problems": [p.code for p in verification.problems],
    }


def _body(row: GovernanceSubject) -> dict[str, Any]:
    return subject_body(row)


@router.get(
    "/subjects",
    response_model=SubjectPage,
    summary="直播主体 / Subjects on record, newest first (a tenant: its own; operators and the regulator: all)",
    description=PAGED,
)
def list_subjects(
    session: DbSession,
    principal: CurrentPrincipal,
    kind: Annotated[SubjectKind | None, Query(description="brand, mcn or creator")] = None,
    state: Annotated[SubjectState | None, Query(description="the operator's decision")] = None,
    q: Annotated[str, Query(max_length=100, description="名称或信用代码包含 / name or credit code contains")] = "",
    limit: PageLimit = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> dict[str, Any]:
    page = subjects.list_subjects(session, principal, kind=kind, state=state, q=q, limit=limit, cursor=cursor)
    return {"items": [_body(r) for r in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/subjects",
    response_model=SubjectOut,
    status_code=201,
    summary="提交核验 / Submit a subject's record for verification (its tenant or an operator); it becomes pending",
)
def submit_subject(data: SubjectIn, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    return _body(subjects.submit(session, principal, data))


@router.get("/subjects/{subject_id}", response_model=SubjectDetailOut, summary="主体详情 / A subject with its history")
def get_subject(subject_id: int, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    row = subjects.get_subject(session, principal, subject_id)
    return _body(row) | {"documents": row.documents, "history": subjects.history(session, row.id)}


@router.post(
    "/subjects/{subject_id}/decision",
    response_model=SubjectOut,
    summary="运营决定 / Verify, reject, suspend, blacklist or reinstate a subject (operators only)",
)
def decide_subject(
    subject_id: int, data: DecisionIn, session: DbSession, principal: CurrentPrincipal
) -> dict[str, Any]:
    return _body(subjects.decide(session, principal, subject_id, data))


@router.get(
    "/export",
    response_model=ExportOut,
    summary="监管导出 / Every tenant's governance records as JSON, the newest `limit` of each kind (regulator)",
)
def export(
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=oversight.MAX_EXPORT_LIMIT)] = oversight.EXPORT_LIMIT,
) -> dict[str, Any]:
    return oversight.export(session, principal, limit)
