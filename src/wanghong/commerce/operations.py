"""Use cases beyond CRUD: MCN ratings, fan personas, review decisions, account administration."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.models import User
from wanghong.accounts.principal import Principal, require_role
from wanghong.accounts.users import create_user as create_account
from wanghong.commerce.models import Creator, FanPersona, Mcn, McnTierChange
from wanghong.commerce.schemas import McnTierIn, PersonaIn, ReviewDecisionIn, UserIn
from wanghong.compliance.models import ReviewTask
from wanghong.domain import Role
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.base import utcnow
from wanghong.kit.errors import NotFound


def rate_mcn(session: Session, principal: Principal, mcn_id: int, rating: McnTierIn) -> Mcn:
    mcn = access.get_visible(session, Mcn, mcn_id, principal)
    require_role(principal, action="rating MCNs")
    before = mcn.tier
    mcn.tier = rating.tier
    session.add(McnTierChange(mcn_id=mcn.id, tier=rating.tier, reason=rating.reason, effective_at=utcnow()))
    session.flush()
    record(session, principal, "rate", mcn, {"from": before.value, "to": rating.tier.value, "reason": rating.reason})
    return mcn


def tier_history(session: Session, principal: Principal, mcn_id: int) -> Sequence[McnTierChange]:
    access.get_visible(session, Mcn, mcn_id, principal)
    return session.scalars(
        select(McnTierChange).where(McnTierChange.mcn_id == mcn_id).order_by(McnTierChange.effective_at)
    ).all()


def get_persona(session: Session, principal: Principal, creator_id: int) -> FanPersona:
    access.get_visible(session, Creator, creator_id, principal)
    persona = session.get(FanPersona, creator_id)
    if persona is None:
        raise NotFound(f"creator {creator_id} has no fan persona yet; PUT one first")
    return persona


def put_persona(session: Session, principal: Principal, creator_id: int, data: PersonaIn) -> FanPersona:
    access.get_visible(session, Creator, creator_id, principal)
    require_role(principal, Role.MCN_MANAGER, Role.CREATOR, action="changing fan personas")
    persona = session.get(FanPersona, creator_id) or FanPersona(creator_id=creator_id)
    for key, value in data.model_dump().items():
        setattr(persona, key, value)
    persona.updated_at = utcnow()
    session.add(persona)
    session.flush()
    record(session, principal, "put_persona", persona, data.model_dump())
    return persona


def decide_review(session: Session, principal: Principal, task_id: int, decision: ReviewDecisionIn) -> ReviewTask:
    """Confirm or overturn an AI finding; the consequences (violation, penalty, training example) live in
    services/compliance, imported here on first use so this module stays light."""
    from wanghong.compliance import service as compliance

    return compliance.decide_review(session, principal, task_id, decision.decision, decision.note)


def create_user(session: Session, principal: Principal, data: UserIn) -> User:
    require_role(principal, action="creating accounts")
    return create_account(
        session,
        username=data.username,
        password=data.password,
        role=data.role,
        display_name=data.display_name,
        brand_id=data.brand_id,
        mcn_id=data.mcn_id,
        creator_id=data.creator_id,
        actor=principal,
    )
