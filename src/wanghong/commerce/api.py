"""Commerce's routes beyond generic CRUD (that is `resources_api`): the collaboration workflow, MCN ratings,
fan personas and the batch ingestion of platform events."""

from __future__ import annotations

from enum import Enum
from typing import Any

from fastapi import APIRouter

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.commerce import mcn, personas, workflow
from wanghong.commerce.ingestion import ingest
from wanghong.commerce.resources import RESOURCES
from wanghong.commerce.schemas import (
    CollaborationOut,
    EventBatchIn,
    EventBatchResult,
    McnOut,
    McnTierChangeOut,
    McnTierIn,
    PersonaIn,
    PersonaOut,
    TransitionIn,
)
from wanghong.kit.http import AppSettings, DbSession
from wanghong.kit.schemas import PathId

router = APIRouter()


def _beside(resource: str) -> list[str | Enum]:
    """The OpenAPI tag of a resource's generic routes, so that a route about the same rows is listed with them."""
    return [RESOURCES[resource].summary]


COLLABORATIONS = _beside("collaborations")
MCNS = _beside("mcns")
CREATORS = _beside("creators")


@router.post(
    "/collaborations/{ident}/transitions",
    response_model=CollaborationOut,
    tags=COLLABORATIONS,
    summary="推进合作流程 / Move a collaboration along its workflow",
    description="proposed → accepted → content_submitted → approved → live → settled; the creator side accepts, "
    "submits and goes live, the brand side approves and settles. Illegal steps answer 409.",
)
def transition(ident: PathId, step: TransitionIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return workflow.transition(session, principal, ident, step)


@router.post("/mcns/{ident}/tier", response_model=McnOut, tags=MCNS, summary="评级 / Rate an MCN")
def rate_mcn(ident: PathId, rating: McnTierIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return mcn.set_tier(session, principal, ident, rating)


@router.get(
    "/mcns/{ident}/tier-history", response_model=list[McnTierChangeOut], tags=MCNS, summary="评级历史 / Rating history"
)
def tier_history(ident: PathId, session: DbSession, principal: CurrentPrincipal) -> Any:
    return mcn.tier_history(session, principal, ident)


@router.get("/creators/{ident}/persona", response_model=PersonaOut, tags=CREATORS, summary="粉丝画像")
def get_persona(ident: PathId, session: DbSession, principal: CurrentPrincipal) -> Any:
    return personas.get_persona(session, principal, ident)


@router.put("/creators/{ident}/persona", response_model=PersonaOut, tags=CREATORS, summary="更新粉丝画像")
def put_persona(ident: PathId, persona: PersonaIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return personas.put_persona(session, principal, ident, persona)


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
