"""The post-campaign report (复盘): what a campaign's collaborations became, what they cost the brand according to
the ledger, and what they sold.

Spend is read from the settlement ledger, not from the collaborations' terms: fees released to creators (on
approval and settlement) plus commissions taken from the budget on attributed orders, less commissions reversed by
returns; fees still frozen for collaborations under way are shown apart as committed. GMV and orders are the
orders attributed to the campaign's collaborations (through their livestreams). ROI = GMV ÷ spend. Beside GMV
stands the fraud-adjusted GMV: the same orders less those the latest fraud scan flagged as fake (刷单,
`fraud.scores`), shown apart rather than hidden.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.models import Campaign, Collaboration, Creator, LivestreamSession, Order
from wanghong.domain import CollaborationStatus, Role
from wanghong.fraud import scores as fraud_scores
from wanghong.kit import access
from wanghong.settlement import ledger
from wanghong.settlement.engine import Kind, OwnerKind, Purpose, to_fen

# The brand-side postings that are money spent: fee releases leave the frozen account, commission holds the budget,
# and reversals give a held commission back to the budget (a positive leg, so it nets out).
_SPEND = {
    Kind.FEE_RELEASE: (Purpose.FROZEN, "fees"),
    Kind.COMMISSION_HOLD: (Purpose.BUDGET, "commissions"),
    Kind.COMMISSION_REVERSAL: (Purpose.BUDGET, "commissions"),
}


class _Returns:
    """What was spent on fees and commissions, and the GMV it brought: a creator's results and a campaign's alike."""

    fees_fen: int
    commissions_fen: int
    gmv_fen: int

    @property
    def spend_fen(self) -> int:
        return self.fees_fen + self.commissions_fen

    @property
    def roi(self) -> float | None:
        return self.gmv_fen / self.spend_fen if self.spend_fen else None

    flagged_gmv_fen: int  # GMV of the orders the latest fraud scan flagged (刷单)

    @property
    def adjusted_gmv_fen(self) -> int:
        return self.gmv_fen - self.flagged_gmv_fen


@dataclass(frozen=True)
class CreatorResult(_Returns):
    creator_id: int
    creator: str
    collaborations: int
    status: CollaborationStatus  # the furthest-along collaboration's state
    fees_fen: int
    commissions_fen: int
    gmv_fen: int
    orders: int
    flagged_gmv_fen: int = 0
    flagged_orders: int = 0


@dataclass(frozen=True)
class CampaignReport(_Returns):
    campaign: Campaign
    by_status: dict[CollaborationStatus, int]  # every state, in workflow order
    budget_fen: int
    fees_fen: int
    commissions_fen: int
    committed_fen: int  # fees frozen for collaborations not yet approved or settled
    gmv_fen: int
    orders: int
    creators: list[CreatorResult]  # by GMV, largest first
    flagged_gmv_fen: int = 0
    flagged_orders: int = 0
    scanned_on: str | None = None  # the Beijing day of the fraud scan the flags come from; None: never scanned

    @property
    def budget_used(self) -> float | None:
        return (self.spend_fen + self.committed_fen) / self.budget_fen if self.budget_fen else None


_ORDER = list(CollaborationStatus)


def campaign_report(session: Session, principal: Principal, campaign_id: int) -> CampaignReport:
    """The report of one of the brand's campaigns (an admin's of any); another brand's campaign is a 404."""
    require_role(principal, Role.BRAND_MANAGER, action="reading campaign reports")
    campaign = access.get_visible(session, Campaign, campaign_id, principal)
    rows = session.execute(
        select(Collaboration.id, Collaboration.status, Collaboration.creator_id, Creator.display_name)
        .join(Creator, Creator.id == Collaboration.creator_id)
        .where(Collaboration.campaign_id == campaign.id)
    ).all()
    ids = [row[0] for row in rows]
    spend: dict[int, dict[str, int]] = defaultdict(lambda: {"fees": 0, "commissions": 0})
    wanted = set(ids)
    committed = 0
    # The brand's statement names each posting's collaboration; the campaign's are summed by kind. What is still
    # on the frozen account (frozen, less released and unfrozen) is committed, as settlement's `frozen_fen` reads.
    for line in ledger.statement(session, OwnerKind.BRAND, campaign.brand_id, limit=1_000_000):
        if line.collaboration_id not in wanted:
            continue
        if line.purpose is Purpose.FROZEN:
            committed += line.amount_fen
        if line.kind in _SPEND:
            purpose, part = _SPEND[line.kind]
            if line.purpose is purpose:
                spend[line.collaboration_id][part] -= line.amount_fen
    scan = fraud_scores.latest_scan(session)
    sales, flagged = (
        dict(
            (collaboration_id, (int(count), to_fen(Decimal(total or 0))))
            for collaboration_id, count, total in session.execute(
                select(LivestreamSession.collaboration_id, func.count(Order.id), func.sum(Order.amount))
                .join(LivestreamSession, LivestreamSession.id == Order.livestream_id)
                .where(LivestreamSession.collaboration_id.in_(ids), *condition)
                .group_by(LivestreamSession.collaboration_id)
            ).all()
        )
        for condition in ((), (fraud_scores.flagged_orders(scan),))
    )
    per_creator: dict[int, list[tuple[int, CollaborationStatus]]] = defaultdict(list)
    names: dict[int, str] = {}
    for collaboration_id, status, creator_id, name in rows:
        per_creator[creator_id].append((collaboration_id, status))
        names[creator_id] = name
    creators = []
    for creator_id, collaborations in per_creator.items():
        own = [c for c, _ in collaborations]
        creators.append(
            CreatorResult(
                creator_id,
                names[creator_id],
                len(own),
                max((s for _, s in collaborations), key=_ORDER.index),
                sum(spend[c]["fees"] for c in own),
                sum(spend[c]["commissions"] for c in own),
                sum(sales.get(c, (0, 0))[1] for c in own),
                sum(sales.get(c, (0, 0))[0] for c in own),
                sum(flagged.get(c, (0, 0))[1] for c in own),
                sum(flagged.get(c, (0, 0))[0] for c in own),
            )
        )
    creators.sort(key=lambda r: (-r.gmv_fen, -r.spend_fen, r.creator_id))
    counts = Counter(status for _, status, _, _ in rows)
    return CampaignReport(
        campaign,
        {status: counts.get(status, 0) for status in _ORDER},
        to_fen(campaign.budget),
        sum(r.fees_fen for r in creators),
        sum(r.commissions_fen for r in creators),
        committed,
        sum(r.gmv_fen for r in creators),
        sum(r.orders for r in creators),
        creators,
        sum(r.flagged_gmv_fen for r in creators),
        sum(r.flagged_orders for r in creators),
        scan.day.isoformat() if scan is not None else None,
    )
