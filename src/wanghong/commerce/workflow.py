"""The collaboration workflow: proposal rules and the enforced status machine."""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.commerce import hooks
from wanghong.commerce.audit import COLLABORATION_TRANSITION
from wanghong.commerce.models import Campaign, Collaboration, Product
from wanghong.commerce.schemas import TransitionIn
from wanghong.domain import CampaignStatus, CollaborationStatus, IllegalTransition, Party, Role, check_transition
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import update_if
from wanghong.kit.errors import Conflict, Forbidden, InvalidInput, NotFound


def check_proposal(session: Session, values: dict[str, Any]) -> None:
    campaign = session.get(Campaign, values["campaign_id"])
    assert campaign is not None  # the reference check ran first
    if campaign.status is CampaignStatus.CLOSED:
        raise Conflict(f"campaign {campaign.id} is closed; open a new campaign to propose collaborations")
    if campaign.status is CampaignStatus.DRAFT:
        raise Conflict(
            f"campaign {campaign.id} is still a draft: launch it (status 'active') before proposing collaborations"
        )
    if campaign.ends_at is not None and campaign.ends_at <= utcnow():
        raise Conflict(f"campaign {campaign.id} ended at {campaign.ends_at.isoformat()}; it takes no new proposals")
    if not values.get("fee") and not values.get("commission_rate"):
        # A proposal with neither is what a form sends when its terms were never filled in, not an offer.
        raise InvalidInput("a proposal offers a fee, a commission rate or both; both are 0")
    if values.get("product_id") is not None:
        product = session.get(Product, values["product_id"])
        if product is None or product.brand_id != campaign.brand_id:
            raise InvalidInput(f"product {values['product_id']} does not belong to the campaign's brand")


def check_terms_change(row: Collaboration, values: dict[str, Any]) -> None:
    if row.status is not CollaborationStatus.PROPOSED:
        raise Conflict(
            f"collaboration {row.id} is '{row.status.value}'; its terms are fixed once the creator has answered"
        )


def transition(session: Session, principal: Principal, collaboration_id: int, step: TransitionIn) -> Collaboration:
    row = access.get_visible(session, Collaboration, collaboration_id, principal)
    party = collaboration_party(principal)
    try:
        check_transition(row.status, step.to, party)
    except IllegalTransition as exc:
        raise Conflict(str(exc)) from None
    if step.to is CollaborationStatus.CONTENT_SUBMITTED and not (step.content_url or row.content_url):
        raise InvalidInput("submitting content needs content_url (where the brand can see the draft)")
    before = row.status
    changes: dict[str, Any] = {"status": step.to}
    if step.content_url is not None:
        changes["content_url"] = step.content_url
    if step.note is not None:
        changes["note"] = step.note
    # The check above read the status; a parallel request may have moved it since. The update applies only while
    # the row is still in the state that was checked, so of N racing requests exactly one wins (PostgreSQL makes
    # the others wait on the row and re-read it; SQLite serialises writers), and the rest are told where it went.
    if not update_if(session, row, Collaboration.status == before, changes):
        _raise_moved_meanwhile(session, row.id, before, step.to, party)
    record(session, principal, COLLABORATION_TRANSITION, row, {"from": before.value, "to": step.to.value})
    # Subscribers act in this transaction (settlement freezes or releases the fee); what they refuse rolls back.
    hooks.written(session, principal, row)
    return row


def _raise_moved_meanwhile(
    session: Session,
    collaboration_id: int,
    expected: CollaborationStatus,
    target: CollaborationStatus,
    party: Party | None,
) -> NoReturn:
    """The answer to the losers of a race: the same 409 an illegal step gets, from the state the winner left."""
    current = session.scalar(select(Collaboration.status).where(Collaboration.id == collaboration_id))
    if current is None:
        raise NotFound(f"collaboration {collaboration_id} was deleted while this request was in flight")
    try:
        check_transition(current, target, party)
    except IllegalTransition as exc:
        raise Conflict(f"collaboration {collaboration_id} moved on while this request was in flight: {exc}") from None
    # Back in a state from which the step is legal again (content sent back for another round): still a stale
    # request, which the caller may simply repeat.
    raise Conflict(
        f"collaboration {collaboration_id} changed from '{expected.value}' while this request was in flight "
        f"(now '{current.value}'); repeat the request if '{target.value}' is still wanted"
    )


def collaboration_party(principal: Principal) -> Party | None:
    """Which side of a collaboration the principal acts for; None for the platform administrator."""
    if principal.role is Role.ADMIN:
        return None
    if principal.role is Role.BRAND_MANAGER:
        return Party.BRAND
    if principal.role in (Role.MCN_MANAGER, Role.CREATOR):
        return Party.CREATOR
    raise Forbidden(f"a {principal.role.value} takes no part in collaborations")
