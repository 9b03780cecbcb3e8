"""Offline replay of a request stream through each policy, with fairness and utility metrics.

Metrics (per policy, over the whole replay):

* ``gini`` — Gini of exposure across provider groups when the stream has them, else across
  creators, computed exactly like FairDiverse's gini@k (``gini.py``);
* ``utility`` — mean over requests of DCG(slate scores, in slate order) / DCG(greedy top-K), the
  share of the ranker's utility the policy keeps (1.0 for greedy);
* ``minmax`` — least / most exposed unit;
* ``head_share`` — exposure share of the top 10% of units by popularity (followers, or catalogue
  size for Steam publishers);
* ``mid_share`` — exposure share of 腰部 (mid-tier, 100k–1M followers) creators, when followers are known;
* ``decisions_per_s`` — requests allocated per second through the one-request ``allocate`` path.

Exposure for the metrics follows the same model the policies are run with: "slot" (each slot 1,
FairDiverse's convention, used for the Steam reproduction) or "position" (1/log2(rank+1)).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TypedDict

import numpy as np

from wanghong.domain import FollowerTier
from wanghong.traffic.engine.allocator import FairAllocator
from wanghong.traffic.engine.gini import gini
from wanghong.traffic.engine.policies import PMMF, CPFair, FairCo, GreedyTopK, Policy
from wanghong.traffic.engine.streams import Stream, tier_index
from wanghong.traffic.engine.types import (
    ExposureModel,
    FloatArray,
    Request,
    TrafficInputError,
    position_weights,
    top_k_order_rows,
)

POLICY_NAMES: tuple[str, ...] = ("greedy", "fair", "fairco", "cpfair", "pmmf")

# Fairness knob of each policy for the default report and for the Pareto sweep. The baselines'
# knobs are in score units, so they are multiplied by the stream's score spread (see knob_scale).
DEFAULT_TARGET_GINI = 0.3
DEFAULT_KNOB: dict[str, float] = {"fair": DEFAULT_TARGET_GINI, "fairco": 1.0, "cpfair": 1.0, "pmmf": 30.0}
SWEEP_KNOBS: dict[str, tuple[float, ...]] = {
    "fair": (0.6, 0.5, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.0),
    "fairco": (0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0),
    "cpfair": (0.1, 0.3, 1.0, 2.0, 4.0, 8.0, 16.0),
    "pmmf": (1.0, 3.0, 10.0, 12.0, 15.0, 18.0, 21.0, 25.0, 30.0, 100.0, 1000.0),
}


@dataclass(frozen=True, slots=True)
class PolicyReport:
    policy: str
    k: int
    gini: float
    utility: float
    minmax: float
    head_share: float
    mid_share: float | None
    decisions_per_s: float

    def as_json_dict(self) -> dict[str, object]:
        return asdict(self)


def knob_scale(stream: Stream, policy: str, k: int) -> float:
    """Converts a unit-free knob into each baseline's own units for this stream.

    CPFair's and P-MMF's lambdas add to scores, so they scale with the score spread. FairCo's lambda
    multiplies an exposure gap that grows to about ``requests * k / creators``, so it is divided by
    that too; this keeps one sweep grid meaningful for streams of any size.
    """
    spread = float(np.mean(np.std(stream.scores, axis=1)))
    if policy == "fairco":
        return spread / max(1.0, stream.n_requests * k / stream.n_creators)
    if policy in ("cpfair", "pmmf"):
        return spread
    return 1.0


def make_policy(
    name: str,
    stream: Stream,
    k: int,
    exposure_model: ExposureModel,
    knob: float | None = None,
    half_life_requests: float | None = None,
    min_tier_share: Mapping[FollowerTier, float] | None = None,
) -> Policy:
    """Build a fresh policy for ``stream``; ``knob`` is its fairness setting (target Gini for fair).

    ``min_tier_share`` (our allocator only) guarantees follower tiers a share of exposure; it needs a stream
    whose creators have follower counts.
    """
    n = stream.n_creators
    if name == "greedy":
        return GreedyTopK(n, k, exposure_model, half_life_requests)
    value = DEFAULT_KNOB[name] if knob is None else knob
    if name == "fair":
        if not min_tier_share:
            return FairAllocator(n, k, value, exposure_model=exposure_model, half_life_requests=half_life_requests)
        if stream.followers is None:
            raise TrafficInputError(f"stream {stream.name!r} has no follower counts, so tier shares cannot apply")
        tiers, order = tier_index(stream.followers)
        return FairAllocator(
            n,
            k,
            value,
            exposure_model=exposure_model,
            half_life_requests=half_life_requests,
            creator_tiers=tiers,
            min_tier_share={order.index(tier): share for tier, share in min_tier_share.items()},
        )
    scaled = value * knob_scale(stream, name, k)
    if name == "fairco":
        return FairCo(n, k, scaled, exposure_model, half_life_requests)
    if name == "cpfair":
        return CPFair(n, k, scaled, exposure_model, half_life_requests)
    if name == "pmmf":
        return PMMF(n, k, scaled, exposure_model=exposure_model, half_life_requests=half_life_requests)
    raise TrafficInputError(f"unknown policy {name!r}; choose from {', '.join(POLICY_NAMES)}")


def _dcg(scores: FloatArray, discount: FloatArray) -> FloatArray:
    return scores @ discount[: scores.shape[-1]]


def replay(
    policy: Policy,
    stream: Stream,
    k: int,
    exposure_model: ExposureModel = "slot",
    progress: Callable[[int], None] | None = None,
) -> PolicyReport:
    """Run every request of ``stream`` through ``policy`` in order and measure the outcome."""
    requests = [Request(stream.item_ids[r], stream.creator_ids[r], stream.scores[r]) for r in range(stream.n_requests)]
    started = time.perf_counter()
    slates = []
    for i, request in enumerate(requests):
        slates.append(policy.allocate(request))
        if progress is not None and i % 256 == 255:
            progress(256)
    elapsed = time.perf_counter() - started
    if progress is not None:
        progress(stream.n_requests % 256)

    discount = position_weights(k, "position")
    greedy_idx = top_k_order_rows(stream.scores, k)
    greedy_dcg = _dcg(np.take_along_axis(stream.scores, greedy_idx, axis=1), discount)
    slate_scores = np.stack([s.scores for s in slates])
    slate_creators = np.stack([s.creator_ids for s in slates])
    ratio = np.divide(_dcg(slate_scores, discount), greedy_dcg, out=np.ones_like(greedy_dcg), where=greedy_dcg != 0)

    weights = np.broadcast_to(position_weights(k, exposure_model)[: slate_creators.shape[1]], slate_creators.shape)
    # With weights, bincount sums floats; numpy's stubs type every bincount as integer counts.
    creator_exposure = np.bincount(slate_creators.ravel(), weights=weights.ravel(), minlength=stream.n_creators).astype(
        np.float64, copy=False
    )
    metrics = exposure_metrics(creator_exposure, stream)
    return PolicyReport(
        policy=getattr(policy, "name", type(policy).__name__),
        k=k,
        utility=float(ratio.mean()),
        decisions_per_s=stream.n_requests / elapsed if elapsed > 0 else math.inf,
        **metrics,
    )


class ExposureMetrics(TypedDict):
    gini: float
    minmax: float
    head_share: float
    mid_share: float | None


def exposure_metrics(creator_exposure: FloatArray, stream: Stream) -> ExposureMetrics:
    """Gini, min/max ratio, head-10% and mid-tier shares of a per-creator exposure vector."""
    total = float(creator_exposure.sum())
    if stream.creator_group is not None:
        units = np.bincount(stream.creator_group, weights=creator_exposure).astype(np.float64, copy=False)
        popularity = np.bincount(stream.creator_group, weights=stream.popularity).astype(np.float64, copy=False)
    else:
        units, popularity = creator_exposure, stream.popularity
    n_head = max(1, math.ceil(0.1 * units.shape[0]))
    head = np.argsort(-popularity, kind="stable")[:n_head]
    mid_share: float | None = None
    if stream.followers is not None:
        tiers, order = tier_index(stream.followers)
        mid = tiers == order.index(FollowerTier.MID)
        mid_share = float(creator_exposure[mid].sum() / total) if total > 0 else 0.0
    return {
        "gini": gini(units),
        "minmax": float(units.min() / units.max()) if units.max() > 0 else 0.0,
        "head_share": float(units[head].sum() / total) if total > 0 else 0.0,
        "mid_share": mid_share,
    }


def evaluate(
    stream: Stream,
    k: int,
    policies: Sequence[str] = POLICY_NAMES,
    exposure_model: ExposureModel = "slot",
    progress: Callable[[int], None] | None = None,
    min_tier_share: Mapping[FollowerTier, float] | None = None,
) -> list[PolicyReport]:
    """Replay ``stream`` once per policy (each starts from empty exposure)."""
    return [
        replay(
            make_policy(name, stream, k, exposure_model, min_tier_share=min_tier_share),
            stream,
            k,
            exposure_model,
            progress,
        )
        for name in policies
    ]


@dataclass(frozen=True, slots=True)
class SweepPoint:
    policy: str
    knob: float
    gini: float
    utility: float


def pareto_sweep(
    stream: Stream,
    k: int,
    policies: Iterable[str] = POLICY_NAMES,
    exposure_model: ExposureModel = "slot",
    knobs: dict[str, Sequence[float]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[SweepPoint]:
    """Utility and Gini of every policy across its fairness knob (greedy is one point)."""
    grid = {**SWEEP_KNOBS, **(knobs or {})}
    points = []
    for name in policies:
        for knob in grid.get(name, (math.nan,)):
            policy = make_policy(name, stream, k, exposure_model, None if math.isnan(knob) else knob)
            report = replay(policy, stream, k, exposure_model, progress)
            points.append(SweepPoint(name, knob, report.gini, report.utility))
    return points


def sweep_size(policies: Iterable[str], knobs: dict[str, Sequence[float]] | None = None) -> int:
    grid = {**SWEEP_KNOBS, **(knobs or {})}
    return sum(len(grid.get(name, (math.nan,))) for name in policies)


MATCHED_GINI_LEVELS: tuple[float, ...] = (0.30, 0.15, 0.10, 0.05, 0.02)


def utility_at_gini(points: Sequence[SweepPoint], policy: str, level: float) -> float | None:
    """Best utility ``policy`` reaches at Gini ``level``, read off its sweep.

    The policy's points are reduced to their upper frontier (a point is dropped when another one
    has both lower Gini and higher utility) and interpolated linearly in Gini. None when ``level``
    lies outside the Gini range the sweep covered: a policy that cannot get that fair, or that is
    always fairer, has no utility to compare there.
    """
    series = sorted((p.gini, p.utility) for p in points if p.policy == policy)
    frontier: list[tuple[float, float]] = []
    for g, u in series:
        if not frontier or u > frontier[-1][1]:
            frontier.append((g, u))
    if not frontier or not frontier[0][0] <= level <= series[-1][0]:
        return None
    ginis = np.array([g for g, _ in frontier])
    utilities = np.array([u for _, u in frontier])
    return float(np.interp(level, ginis, utilities))
