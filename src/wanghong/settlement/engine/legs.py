"""The ledger's vocabulary and the legs of every posting kind, built from a collaboration's figures.

Sign convention: a leg's amount is what flows *into* its account; money moves out of the negative legs into the
positive ones, so a transaction balances when its legs sum to zero in each currency. An account's balance is the
sum of its legs: a brand's budget goes negative by what the brand has committed, a creator's receivable is what
the platform owes them, the platform's service-fee account is its revenue.

Idempotency keys are derived from what the transaction is about (collaboration, order, payout batch), never from
time or randomness, so a retried step rebuilds the same key and the same legs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from fractions import Fraction

from wanghong.settlement.engine.money import MoneyError, Rate, as_fraction, portion

DEFAULT_CURRENCY = "CNY"
PLATFORM_ID = 0  # the platform owns its accounts as owner 0 of kind "platform"
# Placeholders until the lead adds a setting; every builder takes the rate explicitly.
DEFAULT_SERVICE_FEE_RATE = Fraction(5, 100)
DEFAULT_PAYOUT_DAYS = 7  # T+7
DEFAULT_RETURN_WINDOW = timedelta(hours=48)  # 48 小时无理由退货


class OwnerKind(StrEnum):
    BRAND = "brand"
    CREATOR = "creator"
    MCN = "mcn"
    PLATFORM = "platform"


class Purpose(StrEnum):
    BUDGET = "budget"  # brand: money available to campaigns
    FROZEN = "frozen"  # brand: fees promised to accepted collaborations (预算冻结)
    COMMISSION_PENDING = "commission_pending"  # creator: commission held through the return window
    RECEIVABLE = "receivable"  # creator: earned, not yet paid out
    PAID = "paid"  # creator: paid out
    SHARE = "share"  # MCN: its 分成 of its creators' earnings
    SERVICE_FEE = "service_fee"  # platform: service-fee revenue
    # brand: kept for the schema; the consumer is refunded by the shop, outside this ledger, and a refund here
    # moves only the commission (reversed inside the return window, clawed back after it)
    REFUNDS = "refunds"


class Kind(StrEnum):
    BUDGET_FREEZE = "budget_freeze"
    BUDGET_UNFREEZE = "budget_unfreeze"
    FEE_RELEASE = "fee_release"
    COMMISSION_HOLD = "commission_hold"
    COMMISSION_RELEASE = "commission_release"
    COMMISSION_REVERSAL = "commission_reversal"
    PAYOUT = "payout"
    CORRECTION = "correction"


class CommissionState(StrEnum):
    PENDING = "pending"
    RELEASED = "released"
    REVERSED = "reversed"
    CLAWED_BACK = "clawed_back"  # released, then refunded after the window: the release is undone


class LedgerError(MoneyError):
    """A transaction the ledger refuses (unbalanced, empty, or a reused key with other legs)."""


class Unbalanced(LedgerError):
    pass


class KeyConflict(LedgerError):
    pass


@dataclass(frozen=True, order=True)
class AccountRef:
    owner_kind: OwnerKind
    owner_id: int
    purpose: Purpose
    currency: str = DEFAULT_CURRENCY

    def __str__(self) -> str:
        return f"{self.owner_kind.value}:{self.owner_id}:{self.purpose.value}:{self.currency}"


@dataclass(frozen=True, order=True)
class Leg:
    account: AccountRef
    amount: int


@dataclass(frozen=True)
class Draft:
    """A transaction not yet posted: its key, kind, legs and what it refers to."""

    key: str
    kind: Kind
    legs: tuple[Leg, ...]
    memo: str = ""
    collaboration_id: int | None = None
    order_id: int | None = None
    due_at: datetime | None = None

    def __post_init__(self) -> None:
        validate(self.legs)
        if not self.key or len(self.key) > 200:
            raise LedgerError("an idempotency key of 1 to 200 characters is required")


@dataclass(frozen=True)
class Parties:
    """Who a collaboration's money moves between."""

    collaboration_id: int
    brand_id: int
    creator_id: int
    mcn_id: int | None = None


@dataclass(frozen=True)
class Terms:
    """The rates a release is split by: the platform's service fee first, then the MCN's 分成比例 of the rest."""

    service_fee_rate: Fraction = DEFAULT_SERVICE_FEE_RATE
    mcn_share_rate: Fraction = field(default_factory=Fraction)

    @classmethod
    def of(cls, service_fee_rate: Rate, mcn_share_rate: Rate = 0) -> Terms:
        return cls(as_fraction(service_fee_rate), as_fraction(mcn_share_rate))


def imbalance(legs: Iterable[Leg]) -> dict[str, int]:
    """The non-zero sum of the legs per currency (empty when balanced)."""
    sums: dict[str, int] = defaultdict(int)
    for leg in legs:
        sums[leg.account.currency] += leg.amount
    return {currency: total for currency, total in sums.items() if total != 0}


def validate(legs: Sequence[Leg]) -> None:
    if len(legs) < 2:
        raise LedgerError("a transaction needs at least two legs")
    for leg in legs:
        # bool is an int too; True fen would balance by accident of arithmetic and means nothing.
        if not isinstance(leg.amount, int) or isinstance(leg.amount, bool) or leg.amount == 0:
            raise LedgerError(f"leg on {leg.account} has amount {leg.amount!r}; give a non-zero integer of fen")
    off = imbalance(legs)
    if off:
        raise Unbalanced(f"legs do not sum to zero: {off}")


def canonical(legs: Iterable[Leg]) -> tuple[Leg, ...]:
    """Legs in a fixed order, so two postings can be compared as the same or not."""
    return tuple(sorted(legs))


def _brand(p: Parties, purpose: Purpose) -> AccountRef:
    return AccountRef(OwnerKind.BRAND, p.brand_id, purpose)


def _creator(creator_id: int, purpose: Purpose) -> AccountRef:
    return AccountRef(OwnerKind.CREATOR, creator_id, purpose)


def _transfer(source: AccountRef, target: AccountRef, amount: int) -> tuple[Leg, ...]:
    if amount <= 0:
        raise LedgerError(f"amount must be positive fen, got {amount}")
    return (Leg(source, -amount), Leg(target, amount))


def _earnings(p: Parties, source: AccountRef, gross: int, terms: Terms) -> tuple[Leg, ...]:
    """`gross` out of `source`, to the platform's fee, the MCN's share of the rest, and the creator."""
    if gross <= 0:
        raise LedgerError(f"amount must be positive fen, got {gross}")
    fee = portion(gross, terms.service_fee_rate)
    share = portion(gross - fee, terms.mcn_share_rate) if p.mcn_id is not None else 0
    creator = gross - fee - share
    targets = [
        (AccountRef(OwnerKind.PLATFORM, PLATFORM_ID, Purpose.SERVICE_FEE), fee),
        (AccountRef(OwnerKind.MCN, p.mcn_id or 0, Purpose.SHARE), share),
        (_creator(p.creator_id, Purpose.RECEIVABLE), creator),
    ]
    return (Leg(source, -gross), *(Leg(account, amount) for account, amount in targets if amount))


def budget_freeze(p: Parties, fee: int) -> Draft:
    """On acceptance: the collaboration's fee moves from the brand's budget to its frozen account."""
    legs = _transfer(_brand(p, Purpose.BUDGET), _brand(p, Purpose.FROZEN), fee)
    return Draft(f"collab:{p.collaboration_id}:freeze", Kind.BUDGET_FREEZE, legs, "预算冻结", p.collaboration_id)


def budget_unfreeze(p: Parties, amount: int) -> Draft:
    """On cancellation after acceptance: what is still frozen goes back to the budget."""
    legs = _transfer(_brand(p, Purpose.FROZEN), _brand(p, Purpose.BUDGET), amount)
    return Draft(f"collab:{p.collaboration_id}:unfreeze", Kind.BUDGET_UNFREEZE, legs, "预算解冻", p.collaboration_id)


def fee_release(p: Parties, amount: int, terms: Terms, stage: str = "settled") -> Draft:
    """On approval or settlement (`stage` names which, so a fee may be released in parts): frozen fee to the
    creator's receivable, less the platform's service fee and the MCN's share."""
    legs = _earnings(p, _brand(p, Purpose.FROZEN), amount, terms)
    key = f"collab:{p.collaboration_id}:release:{stage}"
    return Draft(key, Kind.FEE_RELEASE, legs, f"费用结算 {stage}", p.collaboration_id)


def commission_fen(order_amount: int, commission_rate: Rate) -> int:
    """The commission on an order of `order_amount` fen (largest-remainder rounding, as every split)."""
    return portion(order_amount, commission_rate)


def commission_hold(p: Parties, order_id: int, order_amount: int, commission_rate: Rate) -> Draft | None:
    """On an attributed order: its commission leaves the brand's budget and waits, pending, through the return
    window. None when the commission rounds to nothing, since there is then nothing to hold."""
    commission = commission_fen(order_amount, commission_rate)
    if commission == 0:
        return None
    legs = _transfer(_brand(p, Purpose.BUDGET), _creator(p.creator_id, Purpose.COMMISSION_PENDING), commission)
    key = f"order:{order_id}:commission:hold"
    return Draft(key, Kind.COMMISSION_HOLD, legs, "佣金冻结（退货期）", p.collaboration_id, order_id)


def commission_release(p: Parties, order_id: int, commission: int, terms: Terms) -> Draft:
    """After the return window without a refund: the held commission becomes earnings, split as a fee is."""
    legs = _earnings(p, _creator(p.creator_id, Purpose.COMMISSION_PENDING), commission, terms)
    key = f"order:{order_id}:commission:release"
    return Draft(key, Kind.COMMISSION_RELEASE, legs, "佣金释放", p.collaboration_id, order_id)


def commission_reversal(p: Parties, order_id: int, commission: int) -> Draft:
    """A refund inside the return window: the held commission goes back to the brand's budget."""
    legs = _transfer(_creator(p.creator_id, Purpose.COMMISSION_PENDING), _brand(p, Purpose.BUDGET), commission)
    key = f"order:{order_id}:commission:reversal"
    return Draft(key, Kind.COMMISSION_REVERSAL, legs, "佣金冲回（退货）", p.collaboration_id, order_id)


def commission_action(
    ordered_at: datetime, refunded_at: datetime | None, now: datetime, window: timedelta = DEFAULT_RETURN_WINDOW
) -> CommissionState:
    """What a held commission should become by `now`: reversed if the order was refunded inside its return window,
    released once the window has passed without one, otherwise still pending. A refund after the window does not
    reverse the commission: it was released, and the refund claws it back (`commission_outcomes`)."""
    window_ends = ordered_at + window
    if refunded_at is not None and refunded_at <= window_ends and refunded_at <= now:
        return CommissionState.REVERSED
    return CommissionState.RELEASED if now >= window_ends else CommissionState.PENDING


def commission_outcomes(
    ordered_at: datetime, refunded_at: datetime | None, now: datetime, window: timedelta = DEFAULT_RETURN_WINDOW
) -> tuple[CommissionState, ...]:
    """What a held commission has become by `now`, step by step: () while pending, (REVERSED,) for a refund inside
    the window, (RELEASED,) once the window passed, then (RELEASED, CLAWED_BACK) when the order is refunded after
    it: the commission had already become earnings, so the refund takes it back from them (a clawback)."""
    state = commission_action(ordered_at, refunded_at, now, window)
    if state is CommissionState.PENDING:
        return ()
    if state is CommissionState.REVERSED:
        return (CommissionState.REVERSED,)
    if refunded_at is not None and refunded_at <= now:
        return (CommissionState.RELEASED, CommissionState.CLAWED_BACK)
    return (CommissionState.RELEASED,)


def commission_clawback(p: Parties, order_id: int, release_legs: Iterable[Leg]) -> Draft:
    """A refund after the return window: the commission's release undone leg for leg — the creator's receivable,
    the MCN's share and the platform's fee give back what they were credited — and the commission goes back to the
    brand's budget, whose it was. Built from the release's legs (as posted, where it was posted), so a contract
    changed since the release cannot make the two differ. A compensating transaction, hence kind CORRECTION."""
    credited = [leg for leg in release_legs if leg.amount > 0]
    if not credited:
        raise LedgerError(f"order {order_id}'s release credits nobody; nothing to claw back")
    total = sum(leg.amount for leg in credited)
    legs = (*(Leg(leg.account, -leg.amount) for leg in credited), Leg(_brand(p, Purpose.BUDGET), total))
    key = f"order:{order_id}:commission:clawback"
    return Draft(key, Kind.CORRECTION, legs, "佣金追回（售后退款）", p.collaboration_id, order_id)


def payout_due(earned_at: datetime, days: int = DEFAULT_PAYOUT_DAYS) -> datetime:
    """When money earned at `earned_at` is due to be paid: T+`days` calendar days."""
    return earned_at + timedelta(days=days)


def payout_batch(batch: str, amounts: Sequence[tuple[int, int]], due_at: datetime) -> Draft:
    """One payout batch: for each (creator id, fen), receivable → paid. A creator may appear once."""
    creators = [creator_id for creator_id, _ in amounts]
    if len(set(creators)) != len(creators):
        raise LedgerError(f"payout batch {batch} names a creator twice")
    legs: list[Leg] = []
    for creator_id, amount in amounts:
        legs += _transfer(_creator(creator_id, Purpose.RECEIVABLE), _creator(creator_id, Purpose.PAID), amount)
    return Draft(f"payout:{batch}", Kind.PAYOUT, tuple(legs), f"结算打款 {batch}", due_at=due_at)


def correction(original: Draft, key: str, memo: str = "") -> Draft:
    """The compensating transaction of `original`: its legs negated, under a key of its own (append-only: a
    mistake is undone by a new transaction, never by an edit)."""
    legs = tuple(Leg(leg.account, -leg.amount) for leg in original.legs)
    return Draft(
        key,
        Kind.CORRECTION,
        legs,
        memo or f"冲正 {original.key}",
        original.collaboration_id,
        original.order_id,
    )
