"""Routes for steps that are more than CRUD: workflow transitions, ratings, personas, review decisions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.commerce import operations, workflow
from wanghong.commerce.ingestion import ingest
from wanghong.commerce.schemas import (
    CollaborationOut,
    EventBatchIn,
    EventBatchResult,
    McnOut,
    McnTierChangeOut,
    McnTierIn,
    PersonaIn,
    PersonaOut,
    ReviewDecisionIn,
    ReviewTaskOut,
    TransitionIn,
    UserIn,
    UserOut,
)
from wanghong.kit.http import AppSettings, DbSession

router = APIRouter()


@router.post(
    "/collaborations/{ident}/transitions",
    response_model=CollaborationOut,
    tags=["合作 / collaborations"],
    summary="推进合作流程 / Move a collaboration along its workflow",
    description="proposed → accepted → content_submitted → approved → live → settled; the creator side accepts, "
    "submits and goes live, the brand side approves and settles. Illegal steps answer 409.",
)
def transition(ident: int, step: TransitionIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return workflow.transition(session, principal, ident, step)


@router.post(
    "/mcns/{ident}/tier", response_model=McnOut, tags=["MCN 机构 / MCN agencies"], summary="评级 / Rate an MCN"
)
def rate_mcn(ident: int, rating: McnTierIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return operations.rate_mcn(session, principal, ident, rating)


@router.get(
    "/mcns/{ident}/tier-history",
    response_model=list[McnTierChangeOut],
    tags=["MCN 机构 / MCN agencies"],
    summary="评级历史 / Rating history",
)
def tier_history(ident: int, session: DbSession, principal: CurrentPrincipal) -> Any:
    return operations.tier_history(session, principal, ident)


@router.get("/creators/{ident}/persona", response_model=PersonaOut, tags=["达人 / creators"], summary="粉丝画像")
def get_persona(ident: int, session: DbSession, principal: CurrentPrincipal) -> Any:
    return operations.get_persona(session, principal, ident)


@router.put("/creators/{ident}/persona", response_model=PersonaOut, tags=["达人 / creators"], summary="更新粉丝画像")
def put_persona(ident: int, persona: PersonaIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return operations.put_persona(session, principal, ident, persona)


@router.post(
    "/review-tasks/{ident}/decision",
    response_model=ReviewTaskOut,
    tags=["审核队列 / review queue"],
    summary="审核决定 / Confirm or overturn the AI verdict",
)
def decide(ident: int, decision: ReviewDecisionIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return operations.decide_review(session, principal, ident, decision)


@router.post("/users", response_model=UserOut, status_code=201, tags=["users 用户"], summary="新建账号 / Create user")
def create_user(data: UserIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return operations.create_user(session, principal, data)


@router.post(
    "/events:batch",
    response_model=EventBatchResult,
    tags=["events 事件"],
    summary="批量事件写入 / Idempotent event ingestion",
    description="Each event carries the caller's `event_id`; a retried batch stores nothing twice. The batch is "
    "validated whole and written in one transaction.",
)
def ingest_events(
    batch: EventBatchIn, session: DbSession, principal: CurrentPrincipal, settings: AppSettings
) -> EventBatchResult:
    return ingest(session, principal, batch, settings.max_batch_events)
