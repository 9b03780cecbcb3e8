"""Calibration figures measured from a simulated ecosystem's raw rows.

Nothing here reads a generator parameter: every figure is re-derived from tip, order and collaboration rows,
so a test of these figures checks what the generator actually produced.

Definitions (the platform's published figures they are compared with are in `SimulationConfig`):

* **creator income** over the period = tips received × the creator's share of gift revenue (50%, the
  platform keeps the rest) + commission on GMV (each order's amount × the commission rate of the
  collaboration it was sold under) + fixed fees of collaborations that reached `settled`.  Income is counted
  before any MCN split, as platform reports do.
* **average monthly income** = total creator income ÷ number of creators ÷ (days ÷ 30): the mean over all
  creators, including those who earned nothing.
* **mid-tier tipping share** = tip amount received by creators with 100k–1M followers ÷ all tip amount.
* **top-MCN share** = income of MCN-affiliated creators whose agency is among the top 10% of agencies
  (at least one agency), ranked by that same income ÷ income of all MCN-affiliated creators.  A decile
  rather than a fixed "top 10" keeps the figure comparable between runs with different numbers of agencies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from wanghong.domain import CollaborationStatus, FollowerTier
from wanghong.simulator.engine.sampling import follower_tier_codes
from wanghong.simulator.engine.tables import COLLABORATION_STATUSES, FOLLOWER_TIERS, Ecosystem, FloatArray, code_of

DEFAULT_CREATOR_TIP_SHARE = 0.50
TOP_MCN_FRACTION = 0.10


@dataclass(frozen=True)
class CreatorIncome:
    """Per-creator income over the whole period, in yuan, by source."""

    tips: FloatArray
    commission: FloatArray
    fees: FloatArray

    @property
    def total(self) -> FloatArray:
        return self.tips + self.commission + self.fees


@dataclass(frozen=True)
class CalibrationFigures:
    mid_tier_tip_share: float
    top_mcn_share: float
    top_mcn_count: int
    mcn_count: int
    mean_monthly_income: float
    median_monthly_income: float
    tips_share_of_income: float
    commission_share_of_income: float
    fees_share_of_income: float


def creator_income(eco: Ecosystem, creator_tip_share: float = DEFAULT_CREATOR_TIP_SHARE) -> CreatorIncome:
    n = len(eco.creators)
    tip_creator = eco.livestreams.creator_id[eco.livestream_tips.livestream_id]
    tips = np.bincount(tip_creator, weights=eco.livestream_tips.amount, minlength=n) * creator_tip_share
    rate = eco.collaborations.commission_rate[eco.orders.collaboration_id]
    commission = np.bincount(eco.orders.creator_id, weights=eco.orders.amount * rate, minlength=n)
    settled = eco.collaborations.status == code_of(CollaborationStatus.SETTLED, COLLABORATION_STATUSES)
    fees = np.bincount(eco.collaborations.creator_id[settled], weights=eco.collaborations.fee[settled], minlength=n)
    as_float = np.float64
    return CreatorIncome(tips=tips.astype(as_float), commission=commission.astype(as_float), fees=fees.astype(as_float))


def mid_tier_tip_share(eco: Ecosystem) -> float:
    tip_creator = eco.livestreams.creator_id[eco.livestream_tips.livestream_id]
    tiers = follower_tier_codes(eco.creators.followers[tip_creator])
    total = float(eco.livestream_tips.amount.sum())
    if total == 0:
        return 0.0
    mid = tiers == code_of(FollowerTier.MID, FOLLOWER_TIERS)
    return float(eco.livestream_tips.amount[mid].sum()) / total


def top_mcn_share(eco: Ecosystem, income: FloatArray) -> tuple[float, int]:
    """Share of affiliated creators' income earned under the top decile of agencies, and that decile's size."""
    mcn = eco.creators.mcn_id
    n_mcn = len(eco.mcns)
    per_mcn = np.bincount(mcn[mcn >= 0], weights=income[mcn >= 0], minlength=n_mcn)
    top = max(1, math.ceil(TOP_MCN_FRACTION * n_mcn))
    total = float(per_mcn.sum())
    if total == 0:
        return 0.0, top
    return float(np.sort(per_mcn)[::-1][:top].sum()) / total, top


def calibration_figures(eco: Ecosystem, creator_tip_share: float = DEFAULT_CREATOR_TIP_SHARE) -> CalibrationFigures:
    income = creator_income(eco, creator_tip_share)
    total = income.total
    months = eco.days / 30.0
    grand = float(total.sum()) or 1.0
    share, top = top_mcn_share(eco, total)
    return CalibrationFigures(
        mid_tier_tip_share=mid_tier_tip_share(eco),
        top_mcn_share=share,
        top_mcn_count=top,
        mcn_count=len(eco.mcns),
        mean_monthly_income=float(total.mean()) / months,
        median_monthly_income=float(np.median(total)) / months,
        tips_share_of_income=float(income.tips.sum()) / grand,
        commission_share_of_income=float(income.commission.sum()) / grand,
        fees_share_of_income=float(income.fees.sum()) / grand,
    )
