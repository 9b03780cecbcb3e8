"""Long-run traffic dynamics: a closed loop in which the feed allocator's exposure becomes followers, and followers
become next month's ranking signal and livestream tipping income.

Why a loop: a one-shot allocation says nothing about the ecosystem it leaves behind. The ranker scores an item by the
creator's content quality *and* popularity (more followers, more engagement signals), so exposure that buys
followers buys tomorrow's score: greedy ranking compounds, the fair allocator (`traffic.engine.FairAllocator`, its
windowed exposure Gini held under a target) damps it. After N months the question is which follower tiers earn the
tipping income — the seed platform reports 腰部 (10万–100万 fans) at about 65%, the 橄榄型 ecosystem.

One month, for every creator c (all per-tier rates are `simulator.engine.SimulationConfig`'s, the calibrated
ecosystem's, so only the allocation differs between policies):

* **feed**: ``requests`` viewer requests, each ranking ``candidates`` random creators by
  ``score = log q_c + popularity · log F_c + Gumbel noise``; the policy fills ``k`` slots (position-weighted
  exposure). Creator c's share of the month's exposure times ``impressions_per_creator · n`` is its impressions.
* **followers**: ``F_c ← F_c (1 − churn) + impressions_c · follow_rate · q_c`` (a viewer who likes the content
  follows; quality is the creator's fixed latent appeal, log-normal with mean 1).
* **tipping**: a streamer's monthly live viewers are its streams × (tier reach · F_c + base viewers) plus
  ``live_share`` of its impressions; tips = viewers × the tier's tippers per viewer × the mean tip, and the creator
  keeps ``creator_tip_share``.

The run reports, per policy, the tipping-income share of each follower tier at the end (and month by month for the
mid tier), the creators per tier, and the exposure and income Gini. It measures the mid-tier share; it does not aim
at 65%.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from wanghong.domain import FOLLOWER_TIER_BOUNDS, FollowerTier
from wanghong.simulator.engine import SimulationConfig
from wanghong.traffic import engine as traffic

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

TIERS: tuple[FollowerTier, ...] = tuple(tier for _, tier in FOLLOWER_TIER_BOUNDS)
_BOUNDS = np.array([bound for bound, _ in FOLLOWER_TIER_BOUNDS], dtype=np.float64)
SEED_MID_TIP_SHARE = 0.65  # the seed platform's published figure, for comparison only


class Allocation(StrEnum):
    GREEDY = "greedy"  # top-k by score: the engagement ceiling
    FAIR = "fair"  # the fair allocator, windowed exposure Gini held under `target_gini`


class DynamicsInputError(ValueError):
    """A parameter of the dynamics run is out of its meaningful range."""


@dataclass(frozen=True)
class DynamicsConfig:
    creators: int = 2000
    months: int = 24
    requests: int = 1500  # simulated feed requests a month (exposure shares scale to `impressions_per_creator`)
    candidates: int = 100  # creators a request ranks
    k: int = 10  # slots a request fills
    target_gini: float = 0.4  # the fair allocator's exposure-Gini ceiling
    popularity: float = 0.5  # assumption: weight of log followers in the ranker's score (engagement signals)
    quality_sigma: float = 0.5  # assumption: spread of creators' latent content appeal (log-normal, mean 1)
    score_noise: float = 0.5  # assumption: Gumbel scale of per-request relevance
    impressions_per_creator: float = 100_000.0  # assumption: recommended impressions a month per creator, on average
    follow_rate: float = 0.004  # assumption: follows per impression at average quality
    churn: float = 0.01  # assumption: share of followers lost a month
    live_share: float = 0.05  # assumption: share of a streamer's recommended impressions that land in its live room
    ecosystem: SimulationConfig = field(default_factory=SimulationConfig)

    def __post_init__(self) -> None:
        checks = {
            "creators": self.creators >= 20,
            "months": 1 <= self.months <= 120,
            "requests": self.requests >= 1,
            "candidates": 2 <= self.candidates <= self.creators,
            "k": 1 <= self.k <= self.candidates,
            "target_gini": 0.0 <= self.target_gini <= 1.0,
            "popularity": self.popularity >= 0,
            "quality_sigma": self.quality_sigma >= 0,
            "score_noise": self.score_noise >= 0,
            "impressions_per_creator": self.impressions_per_creator >= 0,
            "follow_rate": 0 <= self.follow_rate <= 1,
            "churn": 0 <= self.churn < 1,
            "live_share": 0 <= self.live_share <= 1,
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise DynamicsInputError(f"out of range: {', '.join(f'{n}={getattr(self, n)!r}' for n in bad)}")


@dataclass(frozen=True)
class TierOutcome:
    tier: FollowerTier
    creators: int
    income_share: float  # of all tipping income in the last month
    follower_share: float


@dataclass(frozen=True)
class PolicyRun:
    allocation: Allocation
    tiers: tuple[TierOutcome, ...]  # at the end, nano → top
    mid_share_by_month: tuple[float, ...]  # the mid tier's tipping-income share, month 1 … N
    exposure_gini: float  # of the last month's exposure
    income_gini: float  # of the last month's tipping income
    followers_end: FloatArray

    def share(self, tier: FollowerTier) -> float:
        return next(t.income_share for t in self.tiers if t.tier is tier)

    @property
    def mid_share(self) -> float:
        return self.share(FollowerTier.MID)


@dataclass(frozen=True)
class DynamicsReport:
    config: DynamicsConfig
    start: tuple[TierOutcome, ...]  # the common starting ecosystem, month 0
    runs: dict[Allocation, PolicyRun]
    seed: int


def tier_codes(followers: FloatArray) -> IntArray:
    """Each creator's follower tier as an index into TIERS (the domain's bounds)."""
    return (np.searchsorted(_BOUNDS, followers, side="right") - 1).astype(np.int64)


def initial_followers(config: DynamicsConfig, rng: np.random.Generator) -> FloatArray:
    """The simulator's truncated Pareto of follower counts (same minimum, maximum and exponent)."""
    eco = config.ecosystem
    lo, hi, alpha = float(eco.follower_min), float(eco.follower_max), float(eco.follower_alpha)
    u = rng.random(config.creators)
    return lo * (1.0 - u * (1.0 - (lo / hi) ** alpha)) ** (-1.0 / alpha)


@dataclass
class _Creators:
    followers: FloatArray
    quality: FloatArray
    streams: FloatArray  # live sessions a month; 0 for creators who never go live


def starting_creators(config: DynamicsConfig, seed: int) -> _Creators:
    """The seed's starting ecosystem: followers, latent quality and who goes live how often (by starting tier)."""
    rng = np.random.default_rng(seed)
    followers = initial_followers(config, rng)
    quality = rng.lognormal(-(config.quality_sigma**2) / 2, config.quality_sigma, config.creators)
    eco = config.ecosystem
    tiers = tier_codes(followers)
    goes_live = rng.random(config.creators) < np.asarray(eco.streamer_share)[tiers]
    streams = goes_live * np.asarray(eco.streams_per_week)[tiers] * (30.0 / 7.0)
    return _Creators(followers, quality, streams)


def _tipping(config: DynamicsConfig, creators: _Creators, impressions: FloatArray) -> FloatArray:
    eco = config.ecosystem
    tiers = tier_codes(creators.followers)
    reach = np.asarray(eco.stream_reach)[tiers]
    rate = np.asarray(eco.tip_rate)[tiers]
    mean_tip = eco.tip_median * math.exp(eco.tip_sigma**2 / 2)
    viewers = creators.streams * (reach * creators.followers + eco.stream_base_viewers)
    viewers = viewers + (creators.streams > 0) * config.live_share * impressions
    return np.asarray(viewers * rate * mean_tip * eco.creator_tip_share, dtype=np.float64)


def _outcomes(followers: FloatArray, income: FloatArray) -> tuple[TierOutcome, ...]:
    tiers = tier_codes(followers)
    total_income, total_followers = float(income.sum()) or 1.0, float(followers.sum()) or 1.0
    return tuple(
        TierOutcome(
            tier,
            int((tiers == code).sum()),
            float(income[tiers == code].sum()) / total_income,
            float(followers[tiers == code].sum()) / total_followers,
        )
        for code, tier in enumerate(TIERS)
    )


def _policy(config: DynamicsConfig, allocation: Allocation, seed: int) -> traffic.GreedyTopK | traffic.FairAllocator:
    # The fair allocator's window is about one month of requests, so it judges this month's exposure.
    window = float(config.requests)
    if allocation is Allocation.GREEDY:
        return traffic.GreedyTopK(config.creators, config.k, half_life_requests=window)
    return traffic.FairAllocator(config.creators, config.k, config.target_gini, half_life_requests=window, seed=seed)


def _month_exposure(
    config: DynamicsConfig,
    policy: traffic.GreedyTopK | traffic.FairAllocator,
    base_score: FloatArray,
    rng: np.random.Generator,
) -> FloatArray:
    n, m = config.creators, config.candidates
    # Candidates without replacement per request: argpartition of random keys picks m distinct creators a row.
    candidates = np.argpartition(rng.random((config.requests, n)), m - 1, axis=1)[:, :m].astype(np.int64)
    scores = base_score[candidates] + rng.gumbel(0.0, config.score_noise, size=candidates.shape)
    items = np.arange(candidates.size, dtype=np.int64).reshape(candidates.shape)
    slates = policy.allocate_many(items, candidates, scores)
    picked = np.stack([slate.creator_ids for slate in slates])
    slot_weights = np.broadcast_to(policy.weights[: picked.shape[1]], picked.shape)
    return np.bincount(picked.ravel(), weights=slot_weights.ravel(), minlength=n).astype(np.float64)


def run_policy(config: DynamicsConfig, allocation: Allocation, seed: int = 0) -> PolicyRun:
    """Run the loop for `config.months` months under one allocation, from the seed's starting ecosystem."""
    creators = starting_creators(config, seed)
    # The feed's randomness is its own stream, so both policies start from the same creators and see the same
    # candidate draws for as long as their follower counts agree.
    feed_rng = np.random.default_rng([seed, 1])
    policy = _policy(config, allocation, seed)
    budget = config.impressions_per_creator * config.creators
    mid_shares: list[float] = []
    exposure = np.zeros(config.creators)
    income = np.zeros(config.creators)
    for _ in range(config.months):
        base = np.log(creators.quality) + config.popularity * np.log(creators.followers)
        exposure = _month_exposure(config, policy, base, feed_rng)
        impressions = exposure / (exposure.sum() or 1.0) * budget
        grown = impressions * config.follow_rate * creators.quality
        creators.followers = np.maximum(creators.followers * (1.0 - config.churn) + grown, 1.0)
        income = _tipping(config, creators, impressions)
        outcomes = _outcomes(creators.followers, income)
        mid_shares.append(next(o.income_share for o in outcomes if o.tier is FollowerTier.MID))
    return PolicyRun(
        allocation,
        _outcomes(creators.followers, income),
        tuple(mid_shares),
        float(traffic.gini(exposure)),
        float(traffic.gini(income)),
        creators.followers.copy(),
    )


def simulate_dynamics(
    config: DynamicsConfig | None = None,
    seed: int = 0,
    allocations: tuple[Allocation, ...] = (Allocation.GREEDY, Allocation.FAIR),
) -> DynamicsReport:
    """Greedy and fair allocation, each from the same starting ecosystem, `config.months` months on."""
    config = config or DynamicsConfig()
    creators = starting_creators(config, seed)
    # Month 0: the tipping income before any recommended traffic, from followers alone.
    start = _outcomes(creators.followers, _tipping(config, creators, np.zeros(config.creators)))
    return DynamicsReport(config, start, {a: run_policy(config, a, seed) for a in allocations}, seed)
