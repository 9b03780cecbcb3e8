"""Money moves through the ledger as collaborations move: commerce announces each write of a collaboration or an
order (`commerce.hooks`), and this module posts what the new state owes, in the same transaction.

- **Acceptance** freezes the fee (预算冻结) — if the campaign's budget still has room for it: a campaign's budget
  is `campaigns.budget`, and what its collaborations have frozen (net of unfreezes, including what was since
  released to the creator) is spent from it. A fee that does not fit is refused with 409 `BudgetExhausted`, and
  the transition rolls back with it.
- **Approval** releases `fee_release_on_approval` of the fee, **settlement** the rest (费用结算), each split into the
  platform's service fee, the MCN's 分成 and the creator's receivable, due for payout T+`payout_days`.
- **Cancel or reject** gives back whatever the collaboration still has frozen.
- **An attributed order** (its livestream belongs to a collaboration) holds its commission through the 48-hour
  return window; `release_matured` (``wanghong ledger release``) releases the holds whose window has passed. A
  refund (`settlement.refunds`) inside the window reverses the hold; one after it claws the release back.
- **The MCN's 分成** is the share of the creator's signing contract in force when the money is released (issue 14:
  per contract); the agency capability registers that lookup with `share_rates_from`. A creator with no contract
  on record is split at the platform's default `mcn_share_rate`.

Every posting is keyed by what it is about, and a key already in the ledger is skipped, so a replayed transition
or a re-announced row posts nothing twice. Subscribed when this module is imported (the app imports it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, aliased

from wanghong.accounts.principal import Principal
from wanghong.commerce import hooks
from wanghong.commerce.models import Campaign, Collaboration, Creator, LivestreamSession, Order
from wanghong.config import Settings
from wanghong.domain import CollaborationStatus
from wanghong.kit.db.base import utcnow
from wanghong.kit.errors import Conflict
from wanghong.settlement import ledger
from wanghong.settlement.engine import (
    ENDED_BEFORE_MONEY_MOVED,
    Draft,
    Kind,
    OwnerKind,
    Parties,
    Policy,
    Purpose,
    budget_unfreeze,
    collaboration_drafts,
    commission_clawback,
    commission_drafts,
    to_fen,
    to_yuan,
)
from wanghong.settlement.models import LedgerAccount, LedgerPosting, LedgerTransaction, OrderRefund

_CHUNK = 500
CLAWBACK_SUFFIX = ":commission:clawback"


class BudgetExhausted(Conflict, title="Budget exhausted"):
    """A collaboration's fee does not fit in what is left of its campaign's budget."""


def policy_of(settings: Settings) -> Policy:
    return Policy.of(
        settings.service_fee_rate,
        settings.mcn_share_rate,
        settings.fee_release_on_approval,
        settings.payout_days,
        timedelta(hours=settings.return_window_hours),
    )


def current_policy() -> Policy:
    return policy_of(Settings.from_env())


# (session, creator id, MCN id, at) → the MCN's share of that creator's earnings under the contract in force at
# `at`, or None where no contract is on record.
ShareRateLookup = Callable[[Session, int, int, datetime], Fraction | None]
_SHARE_RATES: list[ShareRateLookup] = []


def share_rates_from(lookup: ShareRateLookup) -> None:
    """Take each MCN's share from `lookup` instead of the one default rate (one lookup; registering again
    replaces it, so a re-imported module does not stack lookups)."""
    _SHARE_RATES[:] = [lookup]


def policy_for(session: Session, parties: Parties, at: datetime, policy: Policy) -> Policy:
    """`policy` with the MCN share of the contract between the parties' creator and MCN in force at `at`."""
    if parties.mcn_id is None or not _SHARE_RATES:
        return policy
    rate = _SHARE_RATES[0](session, parties.creator_id, parties.mcn_id, at)
    if rate is None or rate == policy.terms.mcn_share_rate:
        return policy
    return replace(policy, terms=replace(policy.terms, mcn_share_rate=rate))


def post_missing(session: Session, drafts: Sequence[Draft]) -> list[ledger.Posted]:
    """Post the drafts whose keys are not in the ledger yet (a key already there is this step's replay)."""
    if not drafts:
        return []
    posted = set(posted_keys(session, [d.key for d in drafts]))
    fresh = [d for d in drafts if d.key not in posted]
    return ledger.post_many(session, fresh) if fresh else []


def posted_keys(session: Session, keys: Sequence[str]) -> list[str]:
    found: list[str] = []
    for lo in range(0, len(keys), _CHUNK):
        found += session.scalars(
            select(LedgerTransaction.key).where(LedgerTransaction.key.in_(keys[lo : lo + _CHUNK]))
        ).all()
    return found


def _frozen_sum(kinds: Iterable[Kind] | None = None) -> Select[Any]:
    """Σ of the postings on brands' frozen accounts, per transaction's collaboration (to be filtered)."""
    query = (
        select(func.coalesce(func.sum(LedgerPosting.amount), 0))
        .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .where(
            LedgerTransaction.sealed.is_(True),
            LedgerAccount.owner_kind == OwnerKind.BRAND,
            LedgerAccount.purpose == Purpose.FROZEN,
        )
    )
    if kinds is not None:
        query = query.where(LedgerTransaction.kind.in_(list(kinds)))
    return query


def frozen_fen(session: Session, collaboration_id: int) -> int:
    """What the collaboration still has frozen: frozen, less unfrozen, less released."""
    return int(session.scalar(_frozen_sum().where(LedgerTransaction.collaboration_id == collaboration_id)) or 0)


def committed_fen(session: Session, campaign_id: int) -> int:
    """What the campaign's budget has spent: its collaborations' freezes net of unfreezes (released fees count)."""
    ids = select(Collaboration.id).where(Collaboration.campaign_id == campaign_id)
    query = _frozen_sum((Kind.BUDGET_FREEZE, Kind.BUDGET_UNFREEZE)).where(LedgerTransaction.collaboration_id.in_(ids))
    return int(session.scalar(query) or 0)


def remaining_budget_fen(session: Session, campaign_id: int) -> int:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        return 0
    return to_fen(campaign.budget) - committed_fen(session, campaign_id)


def parties_of(session: Session, row: Collaboration) -> Parties:
    brand_id, mcn_id = session.execute(
        select(Campaign.brand_id, Creator.mcn_id)
        .select_from(Collaboration)
        .join(Campaign, Campaign.id == Collaboration.campaign_id)
        .join(Creator, Creator.id == Collaboration.creator_id)
        .where(Collaboration.id == row.id)
    ).one()
    return Parties(row.id, brand_id, row.creator_id, mcn_id)


def _check_budget(session: Session, row: Collaboration, fee: int, *, lock: bool = True) -> None:
    if lock:
        # The campaign's row lock (PostgreSQL) makes two acceptances on one campaign take their turn.
        session.execute(select(Campaign.id).where(Campaign.id == row.campaign_id).with_for_update()).all()
    left = remaining_budget_fen(session, row.campaign_id)
    if fee > left:
        raise BudgetExhausted(
            f"campaign {row.campaign_id} has ¥{to_yuan(max(left, 0))} of its budget left; collaboration {row.id}'s"
            f" fee of ¥{to_yuan(fee)} does not fit (raise the campaign's budget or agree a lower fee)",
            campaign_id=row.campaign_id,
            budget_left_fen=max(left, 0),
            fee_fen=fee,
        )


def settle_collaboration(
    session: Session, row: Collaboration, policy: Policy, at: datetime | None = None
) -> list[ledger.Posted]:
    """Post what the collaboration's status owes and is not in the ledger yet; see the module's docstring."""
    parties = parties_of(session, row)
    if row.status in ENDED_BEFORE_MONEY_MOVED:
        left = frozen_fen(session, row.id)
        return post_missing(session, [budget_unfreeze(parties, left)]) if left > 0 else []
    fee = to_fen(row.fee)
    at = at or utcnow()
    drafts = collaboration_drafts(parties, row.status, fee, policy_for(session, parties, at, policy), at)
    if not drafts:
        return []
    posted = set(posted_keys(session, [d.key for d in drafts]))
    fresh = [d for d in drafts if d.key not in posted]
    if fresh and fresh[0].kind is Kind.BUDGET_FREEZE:
        _check_budget(session, row, fee)
    return ledger.post_many(session, fresh) if fresh else []


def attributed_orders() -> Select[int, Decimal, datetime, int, int, int, int | None, float, datetime | None]:
    """(order id, amount, ordered at, collaboration id, brand, creator, MCN, commission rate, refunded at or None)
    of attributed orders."""
    return (
        select(
            Order.id,
            Order.amount,
            Order.ordered_at,
            Collaboration.id,
            Campaign.brand_id,
            Collaboration.creator_id,
            Creator.mcn_id,
            Collaboration.commission_rate,
            OrderRefund.refunded_at,
        )
        .join(LivestreamSession, LivestreamSession.id == Order.livestream_id)
        .join(Collaboration, Collaboration.id == LivestreamSession.collaboration_id)
        .join(Campaign, Campaign.id == Collaboration.campaign_id)
        .join(Creator, Creator.id == Collaboration.creator_id)
        .outerjoin(OrderRefund, OrderRefund.order_id == Order.id)
    )


def commission_drafts_of(
    rows: Iterable[Any], now: datetime, policy: Policy, session: Session | None = None
) -> list[Draft]:
    """What the rows of `attributed_orders()` owe the ledger as of `now`: a hold; past the window a release; a
    reversal for a refund inside the window, a clawback for one after it. With a session, each release is split by
    the creator's contract in force at `now` (see `policy_for`)."""
    drafts: list[Draft] = []
    policies: dict[tuple[int, int | None], Policy] = {}
    for order_id, amount, ordered_at, collaboration_id, brand_id, creator_id, mcn_id, rate, refunded_at in rows:
        parties = Parties(collaboration_id, brand_id, creator_id, mcn_id)
        terms = policy
        if session is not None:
            if (creator_id, mcn_id) not in policies:
                policies[creator_id, mcn_id] = policy_for(session, parties, now, policy)
            terms = policies[creator_id, mcn_id]
        drafts += commission_drafts(parties, order_id, to_fen(amount), rate, ordered_at, now, terms, refunded_at)
    return drafts


def _clawbacks_as_released(session: Session, drafts: list[Draft]) -> list[Draft]:
    """Clawbacks rebuilt from their release as it was posted: a release posted under an earlier contract split
    otherwise than today's terms would, and the clawback must undo exactly what was credited."""
    clawbacks = {
        d.order_id: i for i, d in enumerate(drafts) if d.order_id is not None and d.key.endswith(CLAWBACK_SUFFIX)
    }
    if not clawbacks:
        return drafts
    releases: dict[str, int] = {f"order:{order_id}:commission:release": order_id for order_id in clawbacks}
    posted = ledger.legs_by_key(session, list(releases))
    out = list(drafts)
    for key, legs in posted.items():
        i = clawbacks[releases[key]]
        old = out[i]
        # Only the collaboration and the brand (whose budget gets the commission back) matter to a clawback.
        parties = Parties(old.collaboration_id or 0, _brand_of(old), 0)
        out[i] = commission_clawback(parties, releases[key], legs)
    return out


def _brand_of(draft: Draft) -> int:
    return next(leg.account.owner_id for leg in draft.legs if leg.account.owner_kind is OwnerKind.BRAND)


def settle_orders(
    session: Session, order_ids: Sequence[int], policy: Policy, now: datetime | None = None
) -> list[ledger.Posted]:
    """Hold (and, past the return window, release) the commission of those of `order_ids` that are attributed."""
    posted: list[ledger.Posted] = []
    for lo in range(0, len(order_ids), _CHUNK):
        rows = session.execute(attributed_orders().where(Order.id.in_(order_ids[lo : lo + _CHUNK]))).all()
        drafts = commission_drafts_of(rows, now or utcnow(), policy, session)
        posted += post_missing(session, _clawbacks_as_released(session, drafts))
    return posted


def release_matured(session: Session, policy: Policy, now: datetime | None = None) -> list[ledger.Posted]:
    """Release every held commission whose order's return window has passed by `now` and that was neither
    released nor reversed; returns what was posted."""
    now = now or utcnow()
    hold, outcome = aliased(LedgerTransaction), aliased(LedgerTransaction)
    query = attributed_orders().where(
        Order.ordered_at <= now - policy.return_window,
        exists().where(hold.order_id == Order.id, hold.kind == Kind.COMMISSION_HOLD),
        ~exists().where(
            outcome.order_id == Order.id,
            outcome.kind.in_([Kind.COMMISSION_RELEASE, Kind.COMMISSION_REVERSAL]),
        ),
    )
    posted: list[ledger.Posted] = []
    rows = session.execute(query.order_by(Order.id)).all()
    for lo in range(0, len(rows), _CHUNK):
        posted += post_missing(session, commission_drafts_of(rows[lo : lo + _CHUNK], now, policy, session))
    return posted


def _on_collaboration(session: Session, principal: Principal | None, row: Any) -> None:
    if row.status is CollaborationStatus.PROPOSED:
        # Refused at the proposal already: a creator should not accept an offer the brand cannot pay. The freeze
        # at acceptance checks again, under the campaign's lock, for what other acceptances took meanwhile.
        _check_budget(session, row, to_fen(row.fee), lock=False)
    settle_collaboration(session, row, current_policy())


def _on_order(session: Session, principal: Principal | None, row: Any) -> None:
    if row.livestream_id is not None:
        settle_orders(session, [row.id], current_policy())


def _on_livestream(session: Session, principal: Principal | None, row: Any) -> None:
    """A livestream tied to a collaboration after its orders arrived: their commissions are held now."""
    if row.collaboration_id is not None:
        ids = session.scalars(select(Order.id).where(Order.livestream_id == row.id)).all()
        settle_orders(session, list(ids), current_policy())


hooks.on_write(Collaboration, _on_collaboration)
hooks.on_write(Order, _on_order)
hooks.on_write(LivestreamSession, _on_livestream)
