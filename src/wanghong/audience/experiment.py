"""ROI of targeted vs untargeted creator selection, measured in the simulator with a randomised split.

The seed platform reports a beauty brand lifting its ROI from 1:3 to 1:7.2 with its data tools. That is a claim to
measure, not a number to build in, so this experiment builds in neither: it plants viewers whose segment drives
what they watch and buy (`simulator.engine.audience`), lets the platform measure audiences the way it does in
production, and compares two ways of spending the same budget.

* **World.** Items of the planted audience are creators (each of one content category, some in a segment's
  niche); the planted events are the platform's recorded history. Watching is not buying: a viewer exposed to a
  product of category c buys with a probability set by their planted segment's interest in c *times its spending
  power* (`SPENDING`, an assumption in the spirit of the personas: 都市白领 and 宝妈 spend, 学生党 watch), scaled to
  `base_rate` on average; the history holds the orders this already produced, one chance per event on a creator of
  c. So the viewers a category's content draws and the ones who buy from it differ, which is what a pack of past
  buyers knows and the category alone does not.
* **Campaigns.** Each has a product (a category with enough creators, a price) and the same budget. Its brand's
  crowd pack is the viewers who bought that category in the history. Creators of the product's category are the
  pool (what 选品中心 offers without a pack), priced per viewer of their audience with a lognormal spread.
* **Arms.** Untargeted picks by audience per 元; targeted by audience per 元 × the pack's TGI weight, exactly as
  选品中心 re-ranks (`engine.target_weight`): TGI from the pack's *released* reach, i.e. bounded contributions and
  OpenDP noise at the size release's ε, never from the planted truth. Both fill the budget greedily.
* **Split.** Campaigns are assigned to the arms at random before anything is drawn for them, half and half within
  each block of the same product category (block randomisation: categories differ in ROI far more than selection
  rules do); outcomes are fresh draws (which of a creator's audience sees the post, who of them buys).
* **Measure.** ROI of an arm = its GMV / its spend; the lift targeted ÷ untargeted with a 95% percentile
  bootstrap interval over campaigns, resampled within each arm and category block.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from wanghong.audience import engine
from wanghong.simulator.engine import personas
from wanghong.simulator.engine.audience import planted_audience

# Spending power per planted segment, in `simulator.engine.tables.SEGMENTS` order: young_mothers, new_farmers,
# students, small_town_youth, urban_white_collar, silver, gen_z_gamers (assumption, not measurement).
SPENDING = np.array([1.4, 0.8, 0.35, 0.7, 1.8, 1.0, 0.5])


@dataclass(frozen=True)
class SplitConfig:
    viewers: int = 20_000
    creators: int = 400
    events_per_viewer: float = 20.0
    background: float = 0.5  # share of events drawn by popularity alone (the rest by the viewer's segment)
    niche_boost: float = 4.0  # how much more a segment favours the creators in its niche
    campaigns: int = 600
    epsilon: float = 1.0  # of each pack's size release (half of it noises the reach, as on the platform)
    base_rate: float = 0.01  # purchase chance of an exposed viewer, averaged over segments
    history_rate: float = 0.05  # the same per recorded event over the (longer) history that formed the packs
    exposure: float = 0.3  # share of a creator's audience that sees a campaign post
    price_per_viewer: float = 0.5  # 元 per audience viewer, before each creator's own spread
    budget_share: float = 0.25  # of the pool's total price: what one campaign may spend
    min_pool: int = 8  # creators a category needs to host a campaign
    bootstrap: int = 2_000
    seed: int = 0

    def __post_init__(self) -> None:
        if self.viewers < 100 or self.creators < 20 or self.campaigns < 4:
            raise ValueError("need at least 100 viewers, 20 creators and 4 campaigns")
        if not self.epsilon > 0:
            raise ValueError(f"ε must be positive, got {self.epsilon}")
        for name in ("base_rate", "history_rate", "exposure", "budget_share"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"{name} must be a share in (0, 1]")


@dataclass(frozen=True)
class Arm:
    campaigns: int
    spend: float  # 元, all campaigns of the arm
    gmv: float
    roi: float  # gmv / spend
    interval: tuple[float, float]  # 95% bootstrap of roi


@dataclass(frozen=True)
class SplitResult:
    config: SplitConfig
    budget: float  # 元 per campaign, both arms
    targeted: Arm
    untargeted: Arm
    lift: float  # targeted.roi / untargeted.roi
    lift_interval: tuple[float, float]
    campaign_roi: npt.NDArray[np.float64]  # per campaign, in campaign order
    assigned_targeted: npt.NDArray[np.bool_]


def _greedy(order: npt.NDArray[np.int64], price: npt.NDArray[np.float64], budget: float) -> list[int]:
    """Creators in the given order while they fit the budget (one that does not is skipped, not the end)."""
    chosen: list[int] = []
    left = budget
    for creator in order.tolist():
        if price[creator] <= left:
            chosen.append(creator)
            left -= float(price[creator])
    return chosen


def run_split(config: SplitConfig | None = None) -> SplitResult:
    cfg = config or SplitConfig()
    rng = np.random.default_rng(cfg.seed)
    world = planted_audience(
        cfg.viewers,
        n_items=cfg.creators,
        events_per_viewer=cfg.events_per_viewer,
        background=cfg.background,
        niche_boost=cfg.niche_boost,
        seed=cfg.seed,
    )
    interest = personas.INTEREST_PROFILE  # (segments, categories)
    # Purchase propensity per (segment, category): interest × spending power, relative to the category's mean.
    wanting = interest * SPENDING[:, None]
    relative = wanting / np.maximum(wanting.mean(axis=0, keepdims=True), 1e-9)
    buy = np.clip(cfg.base_rate * relative, 0.0, 1.0)

    creator_of_event = world.event_item.astype(np.int64)
    viewer_of_event = world.event_viewer.astype(np.int64)
    category = world.item_category.astype(np.int64)
    # Who follows each creator's posts: every viewer who acted on it (priced and exposed on this whole audience).
    pairs = np.unique(viewer_of_event * cfg.creators + creator_of_event)
    fan_viewer, fan_creator = pairs // cfg.creators, pairs % cfg.creators
    audience = np.bincount(fan_creator, minlength=cfg.creators)
    price = cfg.price_per_viewer * audience * rng.lognormal(0.0, 0.25, size=cfg.creators)
    # What the platform may release about them: each viewer toward their most-watched creators only.
    reach = engine.bounded_reach(viewer_of_event, creator_of_event, cfg.creators)
    # History orders: one chance per event, at the planted segment's propensity for the creator's category.
    chance = np.clip(cfg.history_rate * relative, 0.0, 1.0)
    bought = rng.random(viewer_of_event.size) < chance[world.segment[viewer_of_event], category[creator_of_event]]

    pools = {c: np.flatnonzero((category == c) & (audience > 0)) for c in np.unique(category)}
    hosts = [c for c, pool in pools.items() if pool.size >= cfg.min_pool]
    if not hosts:
        raise ValueError("no category has enough creators to host a campaign: raise creators")
    budget = round(cfg.budget_share * float(np.median([price[pools[c]].sum() for c in hosts])))
    products = rng.choice(hosts, size=cfg.campaigns)
    prices = rng.uniform(50.0, 300.0, size=cfg.campaigns)
    # Randomised within blocks of the same product category: each block's campaigns are split half and half by a
    # random permutation, so the arms differ by the selection rule and chance, not by their mix of categories.
    arms = np.zeros(cfg.campaigns, dtype=bool)
    for c in np.unique(products):
        block = np.flatnonzero(products == c)
        arms[rng.permutation(block)[: (block.size + int(rng.integers(2))) // 2]] = True

    spend = np.zeros(cfg.campaigns)
    gmv = np.zeros(cfg.campaigns)
    packs: dict[int, engine.ReachIndex] = {}
    for j in range(cfg.campaigns):
        c = int(products[j])
        pool = pools[c]
        value = audience[pool] / price[pool]
        if arms[j]:
            if c not in packs:
                buyers = viewer_of_event[bought & (category[creator_of_event] == c)]
                packs[c] = _released_tgi(rng, world.n_viewers, reach, buyers, cfg.epsilon)
            pack = packs[c]
            value = value * engine.target_weight(pack.tgi_low[pool], pack.reliable[pool])
        chosen = _greedy(pool[np.lexsort((pool, -value))], price, budget)
        spend[j] = price[chosen].sum()
        # Outcome: fresh draws over the chosen creators' audiences (a viewer of two chosen creators sees two posts).
        viewers = fan_viewer[np.isin(fan_creator, chosen)]
        orders = rng.random(viewers.size) < cfg.exposure * buy[world.segment[viewers], c]
        gmv[j] = orders.sum() * prices[j]

    roi = np.divide(gmv, spend, out=np.zeros_like(gmv), where=spend > 0)
    targeted, untargeted, lift, lift_interval = _measure(rng, spend, gmv, arms, products, cfg.bootstrap)
    return SplitResult(cfg, float(budget), targeted, untargeted, lift, lift_interval, roi, arms)


def _released_tgi(
    rng: np.random.Generator,
    n_viewers: int,
    reach: engine.BoundedReach,
    buyers: npt.NDArray[np.int64],
    epsilon: float,
) -> engine.ReachIndex:
    """The pack's TGI per creator as a brand sees it: the size release's two noised measurements, ε split evenly."""
    members = np.zeros(n_viewers, dtype=bool)
    members[buyers] = True
    size = engine.noisy_counts([int(members.sum())], epsilon / 2)
    reached = engine.noisy_counts(reach.members(members).tolist(), epsilon / 2, contributions=reach.per_viewer)
    return engine.reach_index(
        np.asarray(reached.values, dtype=np.int64),
        reach.audience,
        size.values[0],
        n_viewers,
        reached.accuracy(),
        engine.MIN_RELIABLE_SAMPLE,
        engine.reach_threshold(reached, reach.n_creators),
    )


def _measure(
    rng: np.random.Generator,
    spend: npt.NDArray[np.float64],
    gmv: npt.NDArray[np.float64],
    arms: npt.NDArray[np.bool_],
    blocks: npt.NDArray[np.integer],
    draws: int,
) -> tuple[Arm, Arm, float, tuple[float, float]]:
    """Arm ROIs and the lift, each with a 95% percentile bootstrap that resamples campaigns within their arm and
    category block (the design's own strata)."""

    def ratio(index: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        total = spend[index].sum(axis=-1)
        return np.divide(gmv[index].sum(axis=-1), total, out=np.zeros_like(total), where=total > 0)

    result: list[tuple[Arm, npt.NDArray[np.float64]]] = []
    for side in (True, False):
        members = np.flatnonzero(arms == side)
        strata = [np.flatnonzero((arms == side) & (blocks == b)) for b in np.unique(blocks[members])]
        picks = np.concatenate([rng.choice(s, size=(draws, s.size), replace=True) for s in strata if s.size], axis=1)
        resampled = ratio(picks)
        roi = float(ratio(members))
        low, high = np.percentile(resampled, [2.5, 97.5])
        arm = Arm(int(members.size), float(spend[members].sum()), float(gmv[members].sum()), roi, (low, high))
        result.append((arm, resampled))
    (targeted, t_draws), (untargeted, u_draws) = result
    lifts = np.divide(t_draws, u_draws, out=np.zeros_like(t_draws), where=u_draws > 0)
    low, high = np.percentile(lifts, [2.5, 97.5])
    lift = targeted.roi / untargeted.roi if untargeted.roi > 0 else float("inf")
    return targeted, untargeted, lift, (float(low), float(high))
