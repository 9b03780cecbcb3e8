"""The business loop as each role works it in the web UI: a brand's campaigns and products, and the 合作管理 board
where brand, creator and MCN take the workflow's next steps.

Every write goes through the same services the API uses (commerce's resources and workflow), so the pages add no
rule of their own: a draft campaign refuses proposals, a blocked product enters no collaboration, every step is
audited, whichever door it came through.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce import schemas, workflow
from wanghong.commerce.models import Brand, Campaign, Collaboration, Creator, Product
from wanghong.commerce.resources import RESOURCES, create_row, update_row
from wanghong.compliance.appeals import file_appeal
from wanghong.compliance.models import ComplianceAppeal, CompliancePenalty
from wanghong.compliance.schemas import AppealIn
from wanghong.compliance.verdicts import is_blocked, product_verdicts
from wanghong.domain import (
    COLLABORATION_TRANSITIONS,
    CampaignStatus,
    CollaborationStatus,
    Party,
    ReviewStatus,
    Role,
    Verdict,
)
from wanghong.kit import access
from wanghong.kit.errors import Conflict
from wanghong.settlement import ledger
from wanghong.settlement.collaborations import remaining_budget_fen
from wanghong.settlement.engine import PLATFORM_ID, OwnerKind, Purpose

LISTED = 200  # the newest rows a workspace table shows; older ones are in the API's paged lists

# The steps a campaign's owner takes from the workspace: launch a draft, close a running one.
CAMPAIGN_STEPS: dict[CampaignStatus, tuple[CampaignStatus, ...]] = {
    CampaignStatus.DRAFT: (CampaignStatus.ACTIVE, CampaignStatus.CLOSED),
    CampaignStatus.ACTIVE: (CampaignStatus.CLOSED,),
    CampaignStatus.CLOSED: (),
}


@dataclass(frozen=True)
class CampaignLine:
    campaign: Campaign
    remaining_fen: int
    collaborations: int
    steps: tuple[CampaignStatus, ...]


def brand_campaigns(session: Session, principal: Principal) -> list[CampaignLine]:
    require_role(principal, Role.BRAND_MANAGER, action="managing campaigns")
    rows = list(session.scalars(access.visible_rows(Campaign, principal).order_by(Campaign.id.desc()).limit(LISTED)))
    counts = dict(
        session.execute(
            select(Collaboration.campaign_id, func.count(Collaboration.id))
            .where(Collaboration.campaign_id.in_([c.id for c in rows]))
            .group_by(Collaboration.campaign_id)
        ).all()
    )
    return [
        CampaignLine(c, remaining_budget_fen(session, c.id), counts.get(c.id, 0), CAMPAIGN_STEPS[c.status])
        for c in rows
    ]


def create_campaign(session: Session, principal: Principal, data: schemas.CampaignIn) -> Campaign:
    row: Campaign = create_row(session, RESOURCES["campaigns"], principal, data)
    return row


def move_campaign(session: Session, principal: Principal, campaign_id: int, to: CampaignStatus) -> Campaign:
    row = access.get_visible(session, Campaign, campaign_id, principal)
    if to not in CAMPAIGN_STEPS[row.status]:
        raise Conflict(f"campaign {campaign_id} is '{row.status.value}' and cannot move to '{to.value}'")
    moved: Campaign = update_row(
        session, RESOURCES["campaigns"], principal, campaign_id, schemas.CampaignUpdate(status=to)
    )
    return moved


@dataclass(frozen=True)
class ProductLine:
    product: Product
    verdict: Verdict | None  # None: not scanned yet
    review: ReviewStatus | None
    blocked: bool


def brand_products(session: Session, principal: Principal) -> list[ProductLine]:
    require_role(principal, Role.BRAND_MANAGER, action="managing products")
    rows = list(session.scalars(access.visible_rows(Product, principal).order_by(Product.id.desc()).limit(LISTED)))
    verdicts = product_verdicts(session, [p.id for p in rows])
    lines = []
    for product in rows:
        verdict, review = verdicts.get(product.id, (None, None))
        blocked = verdict is not None and is_blocked(verdict, review)
        lines.append(ProductLine(product, verdict, review, blocked))
    return lines


def create_product(session: Session, principal: Principal, data: schemas.ProductIn) -> Product:
    row: Product = create_row(session, RESOURCES["products"], principal, data)
    return row


@dataclass(frozen=True)
class CollaborationLine:
    collaboration: Collaboration
    campaign: str
    brand: str
    creator: str
    product: str
    steps: tuple[CollaborationStatus, ...]  # what the reader may do with it now


def steps_for(status: CollaborationStatus, party: Party | None) -> tuple[CollaborationStatus, ...]:
    """The workflow's next states that `party` (None: the platform) may choose from `status`."""
    return tuple(
        to for (start, to), allowed in COLLABORATION_TRANSITIONS.items() if start == status and party in (None, allowed)
    )


def collaboration_board(
    session: Session,
    principal: Principal,
    status: CollaborationStatus | None = None,
    creator_id: int | None = None,
) -> tuple[list[CollaborationLine], Counter[CollaborationStatus]]:
    """The reader's collaborations, newest first (optionally one state, or one creator's, as an agency opens a
    creator of its roster), and how many are in each state."""
    party = workflow.collaboration_party(principal)
    visible = access.scope_condition(Collaboration, principal)
    if creator_id is not None:
        visible = visible & (Collaboration.creator_id == creator_id)
    counts: Counter[CollaborationStatus] = Counter(
        dict(
            session.execute(
                select(Collaboration.status, func.count(Collaboration.id)).where(visible).group_by(Collaboration.status)
            ).all()
        )
    )
    query: Any = (
        select(Collaboration, Campaign.name, Brand.name, Creator.display_name, Product.name)
        .join(Campaign, Campaign.id == Collaboration.campaign_id)
        .join(Brand, Brand.id == Campaign.brand_id)
        .join(Creator, Creator.id == Collaboration.creator_id)
        .outerjoin(Product, Product.id == Collaboration.product_id)
        .where(visible)
    )
    if status is not None:
        query = query.where(Collaboration.status == status)
    rows = session.execute(query.order_by(Collaboration.updated_at.desc(), Collaboration.id.desc()).limit(LISTED))
    lines = [
        CollaborationLine(row, campaign, brand, creator, product or "", steps_for(row.status, party))
        for row, campaign, brand, creator, product in rows
    ]
    return lines, counts


def take_step(
    session: Session,
    principal: Principal,
    collaboration_id: int,
    to: CollaborationStatus,
    note: str | None = None,
    content_url: str | None = None,
) -> Collaboration:
    step = schemas.TransitionIn(to=to, note=note or None, content_url=content_url or None)
    return workflow.transition(session, principal, collaboration_id, step)


# --- 资金 (what the ledger says the reader's tenant has) ----------------------------------------------------------


@dataclass(frozen=True)
class Money:
    owner_kind: OwnerKind
    balances: dict[Purpose, int]  # fen, by account purpose; positive: the tenant's
    lines: list[ledger.StatementLine]


# Which accounts each tenant sees on its money page, in the order a person reads them.
MONEY_ACCOUNTS: dict[OwnerKind, tuple[Purpose, ...]] = {
    OwnerKind.CREATOR: (Purpose.COMMISSION_PENDING, Purpose.RECEIVABLE, Purpose.PAID),
    OwnerKind.MCN: (Purpose.SHARE,),
    OwnerKind.BRAND: (Purpose.BUDGET, Purpose.FROZEN, Purpose.REFUNDS),
    OwnerKind.PLATFORM: (Purpose.SERVICE_FEE,),
}


def money(session: Session, principal: Principal) -> Money:
    require_role(principal, Role.CREATOR, Role.MCN_MANAGER, Role.BRAND_MANAGER, action="reading account balances")
    owner_kind, owner_id = {
        Role.CREATOR: (OwnerKind.CREATOR, principal.creator_id),
        Role.MCN_MANAGER: (OwnerKind.MCN, principal.mcn_id),
        Role.BRAND_MANAGER: (OwnerKind.BRAND, principal.brand_id),
        # An operator reads the platform's own accounts: the service fees it earned.
        Role.ADMIN: (OwnerKind.PLATFORM, PLATFORM_ID),
    }[principal.role]
    if owner_id is None:
        raise Conflict(f"account {principal.username} is not bound to a {owner_kind.value}")
    found = {b.account.purpose: b.balance for b in ledger.balances(session, owner_kind=owner_kind, owner_id=owner_id)}
    shown = {purpose: found.get(purpose, 0) for purpose in MONEY_ACCOUNTS[owner_kind]}
    return Money(owner_kind, shown, ledger.statement(session, owner_kind, owner_id))


# --- 处罚与申诉 ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PenaltyLine:
    penalty: CompliancePenalty
    appeal: ComplianceAppeal | None  # the newest appeal against it


def penalties(session: Session, principal: Principal) -> list[PenaltyLine]:
    require_role(principal, Role.CREATOR, Role.MCN_MANAGER, action="reading penalties")
    rows = list(
        session.scalars(
            access.visible_rows(CompliancePenalty, principal).order_by(CompliancePenalty.id.desc()).limit(LISTED)
        )
    )
    appeals: dict[int, ComplianceAppeal] = {}
    for appeal in session.scalars(
        select(ComplianceAppeal)
        .where(ComplianceAppeal.penalty_id.in_([p.id for p in rows]))
        .order_by(ComplianceAppeal.id)
    ):
        appeals[appeal.penalty_id or 0] = appeal
    return [PenaltyLine(p, appeals.get(p.id)) for p in rows]


def appeal_penalty(session: Session, principal: Principal, penalty_id: int, reason: str) -> ComplianceAppeal:
    return file_appeal(session, principal, AppealIn(penalty_id=penalty_id, reason=reason))
