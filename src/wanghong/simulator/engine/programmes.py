"""Causal model of growth programmes (创作者学院 courses, 光合计划 cash incentives) over a simulated ecosystem.

Each eligible creator of an `Ecosystem` gets what the platform would know before the programme (followers, tier,
city tier, MCN membership, tenure, the quarter's posting cadence and income, last quarter's follower growth) and a
*motivation* that drives both enrolment and outcomes. Motivation shows in behaviour the platform records —
motivated creators post more and were already growing — so enrolment is confounded, but only through measured
covariates: an adjusted estimate can recover the effect, a naive comparison cannot.

The effect is planted per creator and heterogeneous:

* **follower growth** (log of followers after ÷ before, over `months`): courses help small accounts most
  (the effect decays with log-followers) and help the motivated a little more;
* **monthly income** (yuan): grows with the creator's existing reach, the incentive's cash in hand adds a flat sum.

`ProgrammeCohort.planted(...)` gives the true ATE and ATT over the cohort, which benchmarks compare against.
A course recruits the motivated, so its naive comparison overstates the effect; a cash incentive recruits those
whose income is falling, so its naive income comparison can even get the sign wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from wanghong.simulator.engine.calibration import creator_income
from wanghong.simulator.engine.tables import Ecosystem, FloatArray


class ProgrammeKind(StrEnum):
    COURSE = "course"  # 创作者学院: training, free, the motivated enrol
    INCENTIVE = "incentive"  # 光合计划: cash incentive, struggling creators enrol


class Outcome(StrEnum):
    FOLLOWER_GROWTH = "follower_growth"
    MONTHLY_INCOME = "monthly_income"


@dataclass(frozen=True)
class ProgrammeDesign:
    kind: ProgrammeKind = ProgrammeKind.COURSE
    months: int = 3
    max_followers: int = 1_000_000  # head and top accounts are not offered growth programmes
    enrolment_rate: float = 0.2  # share enrolling at average covariates
    selection_on_motivation: float = 1.2  # log-odds of enrolling per standard deviation of motivation
    selection_on_income_trend: float = 0.0  # log-odds per s.d. of the income trend (negative: the struggling enrol)
    growth_effect: float = 0.05  # log-points of follower growth for a 10k account of average motivation
    growth_effect_decay: float = 0.4  # fraction of the growth effect lost per tenfold of followers
    income_effect: float = 400.0  # yuan a month, at the median creator's reach
    income_effect_elasticity: float = 0.3  # how the income effect scales with (followers / median) ** elasticity

    @classmethod
    def course(cls) -> ProgrammeDesign:
        return cls()

    @classmethod
    def incentive(cls) -> ProgrammeDesign:
        return cls(
            kind=ProgrammeKind.INCENTIVE,
            selection_on_motivation=0.4,
            selection_on_income_trend=-1.4,
            growth_effect=0.02,
            income_effect=600.0,
        )


@dataclass(frozen=True, eq=False)
class ProgrammeCohort:
    """One row per eligible creator: pre-programme covariates, enrolment, outcomes and the planted effects."""

    creator_id: np.ndarray  # row index into the ecosystem's creators
    log_followers: FloatArray
    follower_tier: np.ndarray
    city_tier: np.ndarray
    in_mcn: FloatArray
    tenure_years: FloatArray
    posts_per_week: FloatArray
    prior_growth: FloatArray  # last quarter's log follower growth
    prior_monthly_income: FloatArray
    income_trend: FloatArray  # last quarter's change of monthly income, relative
    enrolled: FloatArray  # 0/1
    follower_growth: FloatArray
    monthly_income: FloatArray
    growth_effect: FloatArray  # planted, per creator
    income_effect: FloatArray

    COVARIATES = (
        "log_followers",
        "follower_tier",
        "city_tier",
        "in_mcn",
        "tenure_years",
        "posts_per_week",
        "prior_growth",
        "prior_monthly_income",
        "income_trend",
    )

    def __len__(self) -> int:
        return int(self.creator_id.shape[0])

    def covariates(self) -> FloatArray:
        return np.column_stack([np.asarray(getattr(self, name), dtype=np.float64) for name in self.COVARIATES])

    def outcome(self, outcome: Outcome | str) -> FloatArray:
        return self.follower_growth if Outcome(outcome) is Outcome.FOLLOWER_GROWTH else self.monthly_income

    def planted(self, outcome: Outcome | str, estimand: str = "ate") -> float:
        """The true average effect over the cohort (ATE) or over those who enrolled (ATT)."""
        effect = self.growth_effect if Outcome(outcome) is Outcome.FOLLOWER_GROWTH else self.income_effect
        return float(effect[self.enrolled == 1].mean() if estimand == "att" else effect.mean())

    def naive(self, outcome: Outcome | str) -> float:
        y = self.outcome(outcome)
        return float(y[self.enrolled == 1].mean() - y[self.enrolled == 0].mean())

    def columns(self) -> dict[str, np.ndarray]:
        """The observable columns (no planted effects), e.g. to write a CSV for `wanghong growth effect`."""
        names = ("creator_id", *self.COVARIATES, "enrolled", "follower_growth", "monthly_income")
        return {name: getattr(self, name) for name in names}


def simulate_programme(ecosystem: Ecosystem, design: ProgrammeDesign | None = None, seed: int = 0) -> ProgrammeCohort:
    """Enrol the ecosystem's eligible creators in one programme and draw its outcomes; seeded and vectorised."""
    d = design or ProgrammeDesign()
    rng = np.random.default_rng([ecosystem.seed, seed, 16])
    creators = ecosystem.creators
    eligible = np.flatnonzero(creators.followers < d.max_followers)
    n = eligible.shape[0]
    followers = creators.followers[eligible].astype(np.float64)
    log_followers = np.log10(followers)
    months = ecosystem.days / 30.0
    income = creator_income(ecosystem).total[eligible] / months
    posts = np.bincount(ecosystem.videos.creator_id, minlength=len(creators))[eligible] / (ecosystem.days / 7.0)

    # Motivation: latent, but it moves what the platform records, and only through that does it reach outcomes.
    motivation = rng.standard_normal(n)
    posts_per_week = posts * np.exp(0.35 * motivation) + rng.exponential(0.3, n)
    prior_growth = 0.06 - 0.01 * (log_followers - 4) + 0.04 * motivation + rng.normal(0, 0.03, n)
    income_trend = np.clip(0.05 * motivation + rng.normal(0, 0.15, n), -0.9, 2.0)
    tenure_years = creators.joined_day[eligible] / 365.0
    in_mcn = (creators.mcn_id[eligible] >= 0).astype(np.float64)
    observed_motivation = (
        _standardise(np.log1p(posts_per_week)) + _standardise(prior_growth) + 0.5 * _standardise(income_trend)
    ) / 1.5

    logit = (
        np.log(d.enrolment_rate / (1 - d.enrolment_rate))
        + d.selection_on_motivation * observed_motivation
        + d.selection_on_income_trend * _standardise(income_trend)
        + 0.3 * in_mcn
    )
    enrolled = (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(np.float64)

    growth_effect = (
        d.growth_effect * (1 - d.growth_effect_decay) ** (log_followers - 4) * (1 + 0.3 * np.tanh(observed_motivation))
    )
    median_followers = float(np.median(followers))
    income_effect = d.income_effect * (followers / median_followers) ** d.income_effect_elasticity

    baseline_growth = d.months * (0.01 + 0.5 * prior_growth / 3 + 0.015 * observed_motivation) - 0.005 * (
        log_followers - 4
    )
    follower_growth = baseline_growth + enrolled * growth_effect + rng.normal(0, 0.04, n)
    baseline_income = income * (1 + income_trend) * np.exp(0.1 * observed_motivation) + 300 * observed_motivation
    monthly_income = baseline_income + enrolled * income_effect + rng.normal(0, 100 + 0.03 * income, n)

    return ProgrammeCohort(
        creator_id=eligible,
        log_followers=log_followers,
        follower_tier=creators.follower_tier[eligible].astype(np.int64),
        city_tier=creators.city_tier[eligible].astype(np.int64),
        in_mcn=in_mcn,
        tenure_years=tenure_years,
        posts_per_week=posts_per_week,
        prior_growth=prior_growth,
        prior_monthly_income=income,
        income_trend=income_trend,
        enrolled=enrolled,
        follower_growth=follower_growth,
        monthly_income=monthly_income,
        growth_effect=growth_effect,
        income_effect=income_effect,
    )


def _standardise(values: FloatArray) -> FloatArray:
    spread = float(values.std())
    return (values - values.mean()) / spread if spread > 0 else np.zeros_like(values)
