"""Authorization, decided in this one module.

Every read and write of a tenant-owned row goes through `visible_rows` / `get_visible`: a principal's scope is a
SQL condition added to the query, so another tenant's object is simply not found (404), never "forbidden" (403),
and its existence is not disclosed. Role-level permissions (may this role create products at all?) answer 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.orm import Session

from wanghong.accounts.models import ApiToken, User
from wanghong.accounts.principal import Principal
from wanghong.commerce.models import (
    Brand,
    Campaign,
    Collaboration,
    Creator,
    FanPersona,
    LivestreamMinuteStat,
    LivestreamSession,
    Mcn,
    McnTierChange,
    Order,
    Product,
    Video,
    Viewer,
    ViewerEvent,
)
from wanghong.compliance.models import (
    ComplianceAppeal,
    ComplianceExample,
    ComplianceLibraryVersion,
    ComplianceModelRun,
    CompliancePenalty,
    CompliancePolicy,
    ComplianceScan,
    ReviewTask,
    Violation,
)
from wanghong.domain import Role
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.base import Base
from wanghong.kit.errors import NotFound
from wanghong.originality.models import OriginalityClaim

M = TypeVar("M", bound=Base)
Condition = ColumnElement[bool]


def _creators_of(p: Principal) -> Condition:
    """The creators a principal speaks for: an MCN's roster, or a creator themself."""
    if p.role is Role.MCN_MANAGER:
        return Creator.mcn_id == p.mcn_id
    if p.role is Role.CREATOR:
        return Creator.id == p.creator_id
    return false()


def _own_creator_ids(p: Principal) -> Select[int]:
    return select(Creator.id).where(_creators_of(p))


def _brand_campaign_ids(p: Principal) -> Select[int]:
    return select(Campaign.id).where(Campaign.brand_id == p.brand_id)


def _brand_collaboration_ids(p: Principal) -> Select[int]:
    return select(Collaboration.id).where(Collaboration.campaign_id.in_(_brand_campaign_ids(p)))


def _creator_owned(column: Any) -> Callable[[Principal], Condition]:
    def condition(p: Principal) -> Condition:
        return column.in_(_own_creator_ids(p)) if p.role in (Role.MCN_MANAGER, Role.CREATOR) else false()

    return condition


def _livestream_scope(p: Principal) -> Condition:
    if p.role is Role.BRAND_MANAGER:
        return LivestreamSession.collaboration_id.in_(_brand_collaboration_ids(p))
    return _creator_owned(LivestreamSession.creator_id)(p)


def _collaboration_scope(p: Principal) -> Condition:
    if p.role is Role.BRAND_MANAGER:
        return Collaboration.campaign_id.in_(_brand_campaign_ids(p))
    return _creator_owned(Collaboration.creator_id)(p)


def _order_scope(p: Principal) -> Condition:
    if p.role is Role.BRAND_MANAGER:
        return Order.product_id.in_(select(Product.id).where(Product.brand_id == p.brand_id))
    return _creator_owned(Order.creator_id)(p)


def _by_role(**conditions: Callable[[Principal], Condition]) -> Callable[[Principal], Condition]:
    def condition(p: Principal) -> Condition:
        make = conditions.get(p.role.value)
        return make(p) if make is not None else false()

    return condition


# Row scope of each model for every role but the administrator, who sees everything.
_SCOPES: dict[type[Base], Callable[[Principal], Condition]] = {
    Mcn: _by_role(mcn_manager=lambda p: Mcn.id == p.mcn_id),
    McnTierChange: _by_role(mcn_manager=lambda p: McnTierChange.mcn_id == p.mcn_id),
    Creator: _creators_of,
    FanPersona: _creator_owned(FanPersona.creator_id),
    Brand: _by_role(brand_manager=lambda p: Brand.id == p.brand_id),
    Product: _by_role(brand_manager=lambda p: Product.brand_id == p.brand_id),
    Campaign: _by_role(brand_manager=lambda p: Campaign.brand_id == p.brand_id),
    Collaboration: _collaboration_scope,
    Video: _creator_owned(Video.creator_id),
    LivestreamSession: _livestream_scope,
    LivestreamMinuteStat: lambda p: LivestreamMinuteStat.session_id.in_(
        select(LivestreamSession.id).where(_livestream_scope(p))
    ),
    Order: _order_scope,
    ViewerEvent: _creator_owned(ViewerEvent.creator_id),
    Viewer: lambda p: false(),
    Violation: _creator_owned(Violation.creator_id),
    ReviewTask: _by_role(reviewer=lambda p: true()),
    AuditEntry: lambda p: false(),
    User: lambda p: User.id == p.user_id,
    ApiToken: lambda p: ApiToken.user_id == p.user_id,
    # Compliance (合规审核): reviewers see all of it; a creator its own penalties, appeals and scans, an MCN its
    # roster's. The library, its versions, labelled examples and model runs are the platform's own data.
    ComplianceLibraryVersion: _by_role(reviewer=lambda p: true()),
    ComplianceExample: _by_role(reviewer=lambda p: true()),
    ComplianceModelRun: _by_role(reviewer=lambda p: true()),
    CompliancePolicy: lambda p: true(),  # the rules every account is held to are public
    ComplianceScan: lambda p: true() if p.role is Role.REVIEWER else _creator_owned(ComplianceScan.creator_id)(p),
    CompliancePenalty: lambda p: true() if p.role is Role.REVIEWER else _creator_owned(CompliancePenalty.creator_id)(p),
    ComplianceAppeal: lambda p: true() if p.role is Role.REVIEWER else _creator_owned(ComplianceAppeal.creator_id)(p),
    # Originality claims (原创申诉): the claimant's side and the accused side each see the claims that concern
    # them (a creator its own, an MCN its roster's); reviewers judge them all.
    OriginalityClaim: lambda p: (
        true()
        if p.role is Role.REVIEWER
        else _creator_owned(OriginalityClaim.claimant_creator_id)(p)
        | _creator_owned(OriginalityClaim.accused_creator_id)(p)
    ),
}

# Rows a principal may point at when creating something without being able to read them: a brand proposes a
# collaboration to a creator it found through matching, though the creator's profile is not the brand's data.
_REFERENCE_SCOPES: dict[tuple[type[Base], Role], Callable[[Principal], Condition]] = {
    (Creator, Role.BRAND_MANAGER): lambda p: true(),
    # A published video is public: a creator (or its MCN) may name another creator's video as the copy of theirs
    # in an originality claim, without gaining read access to it.
    (Video, Role.CREATOR): lambda p: true(),
    (Video, Role.MCN_MANAGER): lambda p: true(),
}


def scope_condition(model: type[Base], principal: Principal) -> Condition:
    if principal.role is Role.ADMIN:
        return true()
    try:
        return _SCOPES[model](principal)
    except KeyError:
        raise NotImplementedError(f"no access rule for {model.__name__}; add one to services/access.py") from None


def visible_rows(model: type[M], principal: Principal) -> Select[M]:
    return select(model).where(scope_condition(model, principal))


def get_visible(session: Session, model: type[M], ident: Any, principal: Principal) -> M:
    row = session.scalar(
        select(model).where(model.__mapper__.primary_key[0] == ident, scope_condition(model, principal))
    )
    if row is None:
        raise NotFound(f"{_noun(model)} {ident} not found")
    return row


def get_referenceable(session: Session, model: type[M], ident: Any, principal: Principal) -> M:
    """A row the principal may link a new object to (its own, or one the reference rules open up)."""
    rule = _REFERENCE_SCOPES.get((model, principal.role))
    if rule is None:
        return get_visible(session, model, ident, principal)
    row = session.scalar(select(model).where(model.__mapper__.primary_key[0] == ident, rule(principal)))
    if row is None:
        raise NotFound(f"{_noun(model)} {ident} not found")
    return row


def _noun(model: type[Base]) -> str:
    return str(model.__tablename__).removesuffix("s").replace("_", " ")
