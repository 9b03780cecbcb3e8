"""The 直播主体 gate on the collaboration workflow, through commerce's write hooks (commerce does not know it).

* A product in a restricted category (engine.subjects.REQUIRED: food, cosmetics, health) enters a collaboration only
  when its brand is verified and holds that category's qualification in force today.
* A suspended or blacklisted brand proposes nothing; a suspended or blacklisted creator (or one whose MCN is)
  accepts nothing and does not go live; a creator on record under 16 never goes live.

The hook runs inside the write's transaction, so a refusal rolls the proposal or the step back with its reason.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.commerce import hooks
from wanghong.commerce.models import Campaign, Collaboration, Creator, Product
from wanghong.domain import Category, CollaborationStatus, Role
from wanghong.governance import subjects
from wanghong.governance.engine import subjects as rules
from wanghong.governance.engine.subjects import SubjectKind, SubjectState
from wanghong.kit.errors import Conflict


def sale_decision(session: Session, brand_id: int, category: Category) -> rules.Decision:
    """May this brand sell in ``category`` today? (open categories: always)."""
    if category not in rules.RESTRICTED:
        return rules.may_sell(SubjectState.UNVERIFIED, _EMPTY, category)
    row = subjects.find(session, SubjectKind.BRAND, brand_id)
    if row is None:
        return rules.may_sell(SubjectState.UNVERIFIED, _EMPTY, category)
    return rules.may_sell(row.state, subjects.verification_of(row), category)


_EMPTY = rules.Verification(eligible=False, problems=(), categories=frozenset(), expires_on=None)


_SANCTION_WORDS = {
    SubjectState.SUSPENDED: ("已被平台暂停", "is suspended by the platform"),
    SubjectState.BLACKLISTED: ("已被列入黑名单", "is blacklisted by the platform"),
}
_WHO = {
    SubjectKind.BRAND: ("该品牌", "brand"),
    SubjectKind.MCN: ("所属机构", "MCN"),
    SubjectKind.CREATOR: ("该达人", "creator"),
}


def _refuse_sanctioned(session: Session, kind: SubjectKind, org_id: int | None) -> None:
    if org_id is None:
        return
    row = subjects.find(session, kind, org_id)
    if row is None or rules.may_trade(row.state).allowed:
        return
    zh, en = _SANCTION_WORDS[row.state]
    who_zh, who_en = _WHO[kind]
    why = f"（原因：{row.reason}）" if row.reason else ""
    raise Conflict(
        f"{who_zh}{zh}{why}，不能发起、接受合作或开播 / the {who_en} {en}: it may not propose, accept or go live"
    )


def _creator_side(session: Session, creator_id: int) -> None:
    _refuse_sanctioned(session, SubjectKind.CREATOR, creator_id)
    mcn_id = session.scalar(select(Creator.mcn_id).where(Creator.id == creator_id))
    _refuse_sanctioned(session, SubjectKind.MCN, mcn_id)


def _too_young_to_host(session: Session, creator_id: int) -> None:
    row = subjects.find(session, SubjectKind.CREATOR, creator_id)
    if row is None or row.birth_date is None:
        return
    if rules.age_on(row.birth_date, subjects.today()) < rules.MIN_HOST_AGE:
        raise Conflict("该达人未满16周岁，不得开播 / the creator is under 16 and may not host a livestream")


def check_collaboration(session: Session, principal: Principal | None, row: Collaboration) -> None:
    if row.status is CollaborationStatus.PROPOSED:
        brand_id = session.scalar(select(Campaign.brand_id).where(Campaign.id == row.campaign_id))
        _refuse_sanctioned(session, SubjectKind.BRAND, brand_id)
        category = session.scalar(select(Product.category).where(Product.id == row.product_id))
        if brand_id is not None and category is not None and category in Category._value2member_map_:
            decision = sale_decision(session, brand_id, Category(category))
            if not decision.allowed:
                raise Conflict(decision.reason)
    elif row.status is CollaborationStatus.ACCEPTED:
        # The brand sending content back also lands here; only the creator's side accepts an offer.
        if principal is None or principal.role is not Role.BRAND_MANAGER:
            _creator_side(session, row.creator_id)
    elif row.status is CollaborationStatus.LIVE:
        _creator_side(session, row.creator_id)
        _too_young_to_host(session, row.creator_id)


hooks.on_write(Collaboration, check_collaboration)
