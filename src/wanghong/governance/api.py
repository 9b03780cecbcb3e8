"""API of governance: 直播主体 records and operator decisions, and the regulator's export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.governance import gate as _gate  # noqa: F401  (subscribes the 直播主体 gate to commerce's writes)
from wanghong.governance import monitoring, oversight, rooms, subjects
from wanghong.governance.engine import subjects as rules
from wanghong.governance.engine.pricing import PricePoint
from wanghong.governance.engine.subjects import SubjectKind, SubjectState
from wanghong.governance.models import FindingKind, GovernanceSubject
from wanghong.governance.schemas import (
    BatchOut,
    DecisionIn,
    ExportOut,
    FindingPage,
    ObservationBatchIn,
    PriceHistoryOut,
    RoomPage,
    ScanOut,
    SpeechIn,
    SpeechOut,
    SubjectDetailOut,
    SubjectIn,
    SubjectOut,
    SubjectPage,
)
from wanghong.kit.http import DbSession
from wanghong.kit.listing import PageQuery
from wanghong.kit.paging import PageLimit, page_body, paged_route
from wanghong.kit.schemas import PathId, RowIdQuery

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


@paged_route(
    router,
    "/subjects",
    SubjectPage,
    "直播主体 / Subjects on record, newest first (a tenant: its own; operators and the regulator: all)",
)
def list_subjects(
    session: DbSession,
    principal: CurrentPrincipal,
    page: PageQuery,
    kind: Annotated[SubjectKind | None, Query(description="brand, mcn or creator")] = None,
    state: Annotated[SubjectState | None, Query(description="the operator's decision")] = None,
    q: Annotated[str, Query(max_length=100, description="名称或信用代码包含 / name or credit code contains")] = "",
) -> dict[str, Any]:
    found = subjects.list_subjects(
        session, principal, kind=kind, state=state, q=q, limit=page.limit, cursor=page.cursor
    )
    return page_body(found, _body)


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


# --- 商品监测 -------------------------------------------------------------------------------------------------------


def _points(points: list[PricePoint]) -> list[dict[str, Any]]:
    return [{"at": p.at, "fen": p.fen, "kind": p.kind.value, "channel": p.channel} for p in points]


def _finding(line: monitoring.FindingLine) -> dict[str, Any]:
    return {"outcome": line.outcome.value} | {
        c.key: getattr(line.finding, c.key) for c in line.finding.__table__.columns if c.key != "key"
    }


@router.get(
    "/products/{product_id}/prices",
    response_model=PriceHistoryOut,
    summary="价格历史 / A product's listed prices, sales and other channels' prices (its brand, reviewers, regulator)",
)
def product_prices(
    product_id: PathId,
    session: DbSession,
    principal: CurrentPrincipal,
    days: Annotated[int, Query(ge=1, le=730, description="回看天数 / days back")] = 90,
) -> dict[str, Any]:
    found = monitoring.product_prices(session, principal, product_id, days=days)
    return {
        "product_id": found.product.id,
        "name": found.product.name,
        "listed": _points(found.listed),
        "sold": _points(found.sold),
        "elsewhere": _points(found.elsewhere),
    }


@router.post(
    "/price-observations",
    response_model=BatchOut,
    summary="外部渠道价格 / Record other channels' prices of our products (operators, the ingest account)",
)
def record_observations(body: ObservationBatchIn, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    items = [
        monitoring.ObservationIn(o.external_id, o.product_id, o.channel, monitoring.fen(o.price), o.observed_at)
        for o in body.observations
    ]
    stored, duplicates = monitoring.record_observations(session, principal, items)
    return {"received": len(items), "stored": stored, "duplicates": duplicates}


@router.post(
    "/livestreams/{livestream_id}/speech",
    response_model=SpeechOut,
    summary="直播口播 / Store a livestream's transcribed speech (each seq once) and check it against the listing "
    "and the prices (the session's creator, its MCN or the ingest account)",
)
def record_speech(
    livestream_id: PathId, body: SpeechIn, session: DbSession, principal: CurrentPrincipal
) -> dict[str, Any]:
    segments = [monitoring.SegmentIn(s.seq, s.text, s.said_at, s.product_id) for s in body.segments]
    result = monitoring.record_speech(session, principal, livestream_id, segments)
    return {
        "received": result.received,
        "stored": result.stored,
        "duplicates": result.duplicates,
        "findings": [_finding(monitoring.FindingLine(f, "", None, monitoring.Outcome.OPEN)) for f in result.findings],
    }


@paged_route(
    router,
    "/monitoring/findings",
    FindingPage,
    "商品监测结果 / Findings, newest first (a brand: on its products; a creator or MCN: its own speech; "
    "reviewers and the regulator: all)",
)
def list_findings(
    session: DbSession,
    principal: CurrentPrincipal,
    page: PageQuery,
    kind: Annotated[FindingKind | None, Query(description="fake_discount, price_claim or listing_mismatch")] = None,
    product_id: RowIdQuery = None,
) -> dict[str, Any]:
    found = monitoring.findings(
        session, principal, kind=kind, product_id=product_id, limit=page.limit, cursor=page.cursor
    )
    return page_body(found, _finding)


@router.post(
    "/monitoring/scan",
    response_model=ScanOut,
    summary="重新监测 / Re-judge the last days' price changes and speech (operators; idempotent)",
)
def scan(
    session: DbSession,
    principal: CurrentPrincipal,
    days: Annotated[int, Query(ge=1, le=365)] = 30,
) -> dict[str, Any]:
    return monitoring.scan(session, principal, days=days).__dict__


@paged_route(
    router,
    "/rooms",
    RoomPage,
    "绿色直播间 / Each room live in the last 90 days against the green-room criteria (reviewers, regulator)",
)
def list_rooms(
    session: DbSession, principal: CurrentPrincipal, limit: PageLimit = 20, cursor: str | None = None
) -> dict[str, Any]:
    found, next_cursor = rooms.rooms(session, principal, limit=limit, cursor=cursor)
    return {"items": [room_body(r) for r in found], "next_cursor": next_cursor}


def room_body(room: rooms.Room) -> dict[str, Any]:
    return {
        "creator_id": room.creator_id,
        "name": room.name,
        "sessions": room.sessions,
        "last_live": room.last_live,
        "green": room.verdict.green,
        "score": room.verdict.score,
        "reason": room.verdict.reason,
        "credit_score": room.credit.score,
        "credit_colour": room.credit.colour.value,
        "criteria": [
            {
                "code": r.criterion.code,
                "title": r.criterion.title,
                "basis": r.criterion.basis,
                "required": r.criterion.required,
                "met": r.met,
            }
            for r in room.verdict.results
        ],
        "unmeasured": sorted(rooms.UNMEASURED),
    }
