"""Fan personas (粉丝画像): the audience distribution a creator (or its MCN) declares, one per creator."""

from __future__ import annotations

from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.audit import FAN_PERSONA_PUT
from wanghong.commerce.models import Creator, FanPersona
from wanghong.commerce.schemas import PersonaIn
from wanghong.domain import Role
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.base import utcnow
from wanghong.kit.errors import NotFound


def get_persona(session: Session, principal: Principal, creator_id: int) -> FanPersona:
    access.get_visible(session, Creator, creator_id, principal)
    persona = session.get(FanPersona, creator_id)
    if persona is None:
        raise NotFound(f"creator {creator_id} has no fan persona yet; PUT one first")
    return persona


def put_persona(session: Session, principal: Principal, creator_id: int, data: PersonaIn) -> FanPersona:
    """Replace the creator's persona whole (PUT semantics): a dimension left out is emptied."""
    access.get_visible(session, Creator, creator_id, principal)
    require_role(principal, Role.MCN_MANAGER, Role.CREATOR, action="changing fan personas")
    persona = session.get(FanPersona, creator_id) or FanPersona(creator_id=creator_id)
    values = data.model_dump()
    for key, value in values.items():
        setattr(persona, key, value)
    persona.updated_at = utcnow()
    session.add(persona)
    session.flush()
    record(session, principal, FAN_PERSONA_PUT, persona, values)
    return persona
