"""MCN ratings (S/A/B): the platform administrator sets an agency's tier, and every tier it held is kept."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.audit import MCN_SET_TIER
from wanghong.commerce.models import Mcn, McnTierChange
from wanghong.commerce.schemas import McnTierIn
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.base import utcnow


def set_tier(session: Session, principal: Principal, mcn_id: int, rating: McnTierIn) -> Mcn:
    mcn = access.get_visible(session, Mcn, mcn_id, principal)
    require_role(principal, action="rating MCNs")
    before = mcn.tier
    mcn.tier = rating.tier
    session.add(McnTierChange(mcn_id=mcn.id, tier=rating.tier, reason=rating.reason, effective_at=utcnow()))
    session.flush()
    detail = {"from": before.value, "to": rating.tier.value, "reason": rating.reason}
    record(session, principal, MCN_SET_TIER, mcn, detail)
    return mcn


def tier_history(session: Session, principal: Principal, mcn_id: int) -> Sequence[McnTierChange]:
    access.get_visible(session, Mcn, mcn_id, principal)
    return session.scalars(
        select(McnTierChange).where(McnTierChange.mcn_id == mcn_id).order_by(McnTierChange.effective_at)
    ).all()
