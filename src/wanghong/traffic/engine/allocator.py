"""普惠流量分发: the online fair allocator that keeps creator exposure under a target Gini.

Idea (a Lagrangian relaxation of "maximise engagement subject to Gini(exposure) <= target", solved
online by dual ascent as in Agrawal & Devanur, "Fast Algorithms for Online Stochastic Convex
Programming", SODA 2015, and Balseiro, Lu & Mirrokni, "Dual Mirror Descent for Online Allocation
Problems", ICML 2020):

* Every creator c carries a price ``p_c = mu * s * psi_c``: the Gini gradient at the creator's
  exposure, times the multiplier ``mu`` and the typical score spread ``s`` so that ``mu`` is
  unit-free. Creators below the middle of the exposure distribution get a bonus, the head a surcharge.
* The gradient is that of a smoothed Gini: ``|x_i - x_j|`` is replaced by the Huber function of
  width ``h``, so ``psi_c = mean_j clip((x_c - x_j) / h, -1, 1)``. Far apart creators are priced by
  rank as with the plain Gini (``2 q_c - 1``); creators within ``h`` of each other by their exposure
  difference. ``h`` is ``smoothing_requests`` requests' worth of exposure (at most twice the mean
  exposure). Without it, at low targets every creator sits within a slot or two of the others, the
  ranks reshuffle every request and the prices flip between bonus and surcharge, which costs utility
  and buys no fairness. Inside ``h`` the price is proportional to the creator's absolute exposure
  surplus, which is what P-MMF's dual prices amount to (Xu et al., WWW 2023: a price step of
  ``eta/K`` per slot summed over the stream): an early imbalance of a few slots is tolerated and
  corrected smoothly instead of fought request by request.
* A request ranks candidates by ``score - p_c (+ tier bonus)`` and takes the top K: O(C) with
  argpartition, no solver. The chosen slots' exposure is recorded in the ``ExposureState``: O(K).
* Every ``refresh_every`` requests the allocator measures the Gini of the windowed exposure and runs
  a PI feedback controller on ``mu`` (the dual variable of the Gini constraint, clipped at 0, so it
  only acts while the measured Gini is above target), then re-prices the creators with positive
  exposure: O(nnz log nnz), amortised over the period. Above target the controller's error is the
  larger of ``G - target`` and a multiple of ``log(G / target)``, and below target it unwinds
  faster at low targets (see ``ControllerGains``): a plain difference is tiny at target 0.01, which
  left the loop sluggish there and let the integral wound up in the first requests linger.
  Prices may follow the fresh gradient through an exponential average (``price_smoothing`` per
  request). Optional minimum exposure shares per follower tier get their own dual bonus ``nu_t``.
* Exposure boosts (星火计划's 专属流量包): a creator with boost ``b_c`` is priced at ``x_c / (1 + b_c)``
  instead of ``x_c``, so where the Gini constraint binds it can hold up to ``1 + b_c`` times the
  exposure of a like creator before its price catches up. The controller still measures the real
  exposures, so the Gini target holds whoever is boosted; boosts are capped at ``MAX_EXPOSURE_BOOST``.

Prices are frozen between refreshes, so a batch of requests inside one period is independent given
the state at the period start; ``allocate_many`` exploits that and returns exactly what calling
``allocate`` one by one would.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from wanghong.traffic.engine.gini import gini_of_sorted_nonzero
from wanghong.traffic.engine.state import ExposureState, NumpyExposureState
from wanghong.traffic.engine.types import (
    ExposureModel,
    FloatArray,
    IntArray,
    Request,
    Slate,
    TrafficInputError,
    check_k,
    check_target_gini,
    check_tier_share_total,
    position_weights,
    smallest_k_order,
    smallest_k_order_rows,
    validate_batch,
    validate_request,
)

# Above this many exposed creators the Gini and the quantiles come from a random sample, keeping a
# refresh at a few milliseconds even with millions of creators.
MAX_EXACT_CREATORS = 262_144
# The relative part of the controller's error is log((G + eps) / (target + eps)); eps keeps a target of 0 finite.
_LOG_ERROR_EPS = 1e-4
# The Huber width never exceeds this multiple of the mean exposure, so while most creators have
# little exposure (a big pool early in the window) the prices still rank them.
_WIDTH_CAP = 0.5
# Above this many exposed creators the price gradient is interpolated from this many grid points.
_GRADIENT_GRID = 8192
# The largest exposure boost a creator may carry: a pack lifts a creator, it does not buy the feed.
MAX_EXPOSURE_BOOST = 0.5


@dataclass(frozen=True, slots=True)
class ControllerGains:
    """PI gains of the Gini feedback loop, in units of the typical score spread per unit Gini.

    ``integral`` is per request, so the loop speed does not depend on ``refresh_every``.
    ``relative``: above target the error is at least ``relative * log(measured / target)``, so at
    low targets (0.01) being twice over the target pushes about as hard as it does at 0.3 instead of
    30 times less. ``release``: below target the error is scaled by ``max(1, release / target)`` so
    an integral wound up during the noisy first requests unwinds at low targets as fast as at 0.3.
    """

    proportional: float = 4.0
    integral: float = 0.02
    integral_limit: float = 50.0
    tier_integral: float = 0.05
    relative: float = 0.02
    release: float = 0.3

    def error(self, measured: float, target: float) -> float:
        """Controller error for a measured and a target Gini (positive when over the target)."""
        gap = measured - target
        if gap > 0:
            return max(gap, self.relative * math.log((measured + _LOG_ERROR_EPS) / (target + _LOG_ERROR_EPS)))
        return gap * max(1.0, self.release / max(target, 1e-3))


class FairAllocator:
    """Top-K allocator that holds the windowed creator-exposure Gini at or below ``target_gini``.

    Construct once per process (or per worker, sharing a Redis ``state``), then call ``allocate``
    per request. ``target_gini`` and ``min_tier_share`` can be changed at run time with
    ``set_target_gini`` and ``set_min_tier_share``.
    """

    name = "fair"

    def __init__(
        self,
        n_creators: int,
        k: int,
        target_gini: float,
        *,
        exposure_model: ExposureModel = "position",
        half_life_requests: float | None = None,
        state: ExposureState | None = None,
        refresh_every: int | None = None,
        creator_tiers: IntArray | None = None,
        min_tier_share: Mapping[int, float] | None = None,
        gains: ControllerGains | None = None,
        price_smoothing: float = 1.0,
        smoothing_requests: float = 5.0,
        seed: int = 0,
    ) -> None:
        check_k(k)
        check_target_gini(target_gini)
        if state is None:
            state = NumpyExposureState(n_creators, half_life_requests)
        elif state.n_creators != n_creators:
            raise TrafficInputError(
                f"the exposure state holds {state.n_creators} creators but the allocator was asked for {n_creators}"
            )
        self.n_creators = int(n_creators)
        self.k = int(k)
        self.state = state
        self.target_gini = float(target_gini)
        self.weights = position_weights(self.k, exposure_model)
        # With equal slot weights the order inside the slate does not change anybody's exposure, so
        # the chosen items are shown best-score first and the fairness costs no ordering utility.
        self._order_by_score = exposure_model == "slot"
        # Re-pricing touches the exposed creators, so refresh less often the more creators there are:
        # by default once the stream has had about n/100 requests (every request for small pools).
        self.refresh_every = int(refresh_every) if refresh_every else max(1, self.n_creators // 100)
        if self.refresh_every <= 0:
            raise TrafficInputError(f"refresh_every must be positive, got {refresh_every!r}")
        self.gains = gains or ControllerGains()
        if not 0.0 < price_smoothing <= 1.0:
            raise TrafficInputError(f"price_smoothing must lie in (0, 1], got {price_smoothing!r}")
        self.price_smoothing = float(price_smoothing)
        if not np.isfinite(smoothing_requests) or smoothing_requests < 0:
            raise TrafficInputError(f"smoothing_requests must be a non-negative number, got {smoothing_requests!r}")
        self.smoothing_requests = float(smoothing_requests)
        self._rng = np.random.default_rng(seed)

        self._price_delta = np.zeros(self.n_creators, dtype=np.float64)  # price minus the unexposed price
        self._price_base = 0.0
        # delta + base - tier bonus, materialised at each refresh (the only time its parts change) so a
        # request pays one gather instead of a gather, two adds and a tier lookup.
        self._price = np.zeros(self.n_creators, dtype=np.float64)
        self.mu = 0.0
        self._integral = 0.0
        self.measured_gini = 0.0
        self._score_scale = 0.0
        self._since_refresh = self.refresh_every  # price on the very first request
        self.requests_seen = 0
        self._clock_at_refresh = state.requests_recorded()

        self._boost: FloatArray | None = None
        self._tiers: IntArray | None = None
        self._tier_floor = np.zeros(0)
        self._tier_bonus = np.zeros(0)
        self.tier_shares = np.zeros(0)
        if creator_tiers is not None:
            self._set_tiers(creator_tiers)
        if min_tier_share:
            self.set_min_tier_share(min_tier_share)

    # ---- run-time configuration -------------------------------------------------------------
    def set_target_gini(self, target_gini: float) -> None:
        """Change the Gini ceiling; the controller moves towards it over the next requests."""
        check_target_gini(target_gini)
        self.target_gini = float(target_gini)

    def set_min_tier_share(self, min_tier_share: Mapping[int, float]) -> None:
        """Guarantee tier t at least ``min_tier_share[t]`` of windowed exposure (tiers are ints)."""
        if self._tiers is None:
            raise TrafficInputError("minimum tier shares need creator_tiers at construction")
        floor = np.zeros(self._tier_floor.shape[0])
        for tier, share in min_tier_share.items():
            if not 0 <= int(tier) < floor.shape[0]:
                raise TrafficInputError(f"tier {tier} is not one of the tiers 0..{floor.shape[0] - 1}")
            if not np.isfinite(share) or not 0.0 <= share <= 1.0:
                raise TrafficInputError(f"minimum share for tier {tier} must lie in [0, 1], got {share!r}")
            floor[int(tier)] = float(share)
        check_tier_share_total(floor.tolist())
        self._tier_floor = floor

    def set_creator_boost(self, boosts: FloatArray | None) -> None:
        """Per-creator exposure boosts in [0, MAX_EXPOSURE_BOOST] (None or all zero: nobody is boosted)."""
        if boosts is None:
            self._boost = None
            return
        values = np.asarray(boosts, dtype=np.float64)
        if values.shape != (self.n_creators,):
            raise TrafficInputError(f"boosts need one value per creator ({self.n_creators}), got shape {values.shape}")
        if not np.isfinite(values).all() or values.min(initial=0.0) < 0 or values.max(initial=0.0) > MAX_EXPOSURE_BOOST:
            raise TrafficInputError(f"exposure boosts must lie in [0, {MAX_EXPOSURE_BOOST}]")
        self._boost = values.copy() if values.any() else None

    def _set_tiers(self, creator_tiers: IntArray) -> None:
        tiers = np.asarray(creator_tiers)
        if tiers.shape != (self.n_creators,):
            raise TrafficInputError(
                f"creator_tiers needs one tier per creator ({self.n_creators}), got shape {tiers.shape}"
            )
        if tiers.size and (tiers.min() < 0 or tiers.max() > 127):
            raise TrafficInputError("creator tiers must be small non-negative integers (0..127)")
        self._tiers = tiers.astype(np.int8)
        n_tiers = int(tiers.max()) + 1
        self._tier_floor = np.zeros(n_tiers)
        self._tier_bonus = np.zeros(n_tiers)
        self.tier_shares = np.zeros(n_tiers)

    # ---- allocation ----------------------------------------------------------------------------
    def _accepts(self, items: IntArray, creators: IntArray, scores: FloatArray) -> bool:
        """Cheap test that a request is well-formed; on False the full validation names the problem.

        One sum answers "all finite" (NaN and inf propagate; a false alarm from overflow falls back
        to the exact check) and reading int64 ids as uint64 turns negatives into huge numbers, so one
        max covers both ends of the id range: two reductions instead of four.
        """
        return (
            creators.dtype == np.int64
            and scores.ndim == creators.ndim
            and scores.shape == creators.shape == items.shape
            and scores.size > 0
            and math.isfinite(scores.sum())
            and int(creators.view(np.uint64).max()) < self.n_creators
        )

    def allocate(self, request: Request) -> Slate:
        scores = request.scores
        if not (scores.ndim == 1 and self._accepts(request.candidate_item_ids, request.candidate_creator_ids, scores)):
            validate_request(request, self.n_creators)
        if self._since_refresh >= self.refresh_every:
            self._refresh(scores)
        creators = request.candidate_creator_ids
        # price - score is exactly -(score - price), so ranking it ascending is the descending rank
        # of the adjusted score without a second temporary for the negation.
        keys = self._price[creators]
        keys -= scores
        chosen = smallest_k_order(keys, self.k)
        if self._order_by_score:
            chosen = chosen[np.argsort(-scores[chosen], kind="stable")]
        picked = creators[chosen]
        self.state.record(picked, self.weights[: picked.shape[0]])
        self._since_refresh += 1
        self.requests_seen += 1
        return Slate(request.candidate_item_ids[chosen], picked, scores[chosen])

    def allocate_many(self, item_ids: IntArray, creator_ids: IntArray, scores: FloatArray) -> list[Slate]:
        """Allocate a (requests × candidates) batch; identical to calling ``allocate`` row by row.

        Rows between two refreshes see the same prices, so they are ranked together in one
        vectorised pass; the batch is cut at every refresh point.
        """
        item_ids = np.asarray(item_ids, dtype=np.int64)
        creator_ids = np.asarray(creator_ids, dtype=np.int64)
        scores = np.asarray(scores, dtype=np.float64)
        if not (scores.ndim == 2 and scores.shape[1] > 0 and self._accepts(item_ids, creator_ids, scores)):
            validate_batch(scores, creator_ids, self.n_creators)
            if item_ids.shape != scores.shape:
                raise TrafficInputError(f"item ids have shape {item_ids.shape}, scores {scores.shape}")
        slates: list[Slate] = []
        start, n_rows = 0, scores.shape[0]
        while start < n_rows:
            if self._since_refresh >= self.refresh_every:
                self._refresh(scores[start])
            stop = min(n_rows, start + self.refresh_every - self._since_refresh)
            block_scores = scores[start:stop]
            block_creators = creator_ids[start:stop]
            keys = self._price[block_creators]
            keys -= block_scores
            chosen = smallest_k_order_rows(keys, self.k)
            if self._order_by_score:
                by_score = np.argsort(-np.take_along_axis(block_scores, chosen, axis=1), axis=1, kind="stable")
                chosen = np.take_along_axis(chosen, by_score, axis=1)
            picked = np.take_along_axis(block_creators, chosen, axis=1)
            rows = stop - start
            # Exposure given by row t has aged (rows - 1 - t) requests by the end of the block.
            age = self.state.decay ** np.arange(rows - 1, -1, -1, dtype=np.float64)
            amounts = age[:, None] * self.weights[None, : chosen.shape[1]]
            self.state.record(picked.ravel(), amounts.ravel(), n_requests=rows)
            picked_items = np.take_along_axis(item_ids[start:stop], chosen, axis=1)
            picked_scores = np.take_along_axis(block_scores, chosen, axis=1)
            slates.extend(Slate(i, c, s) for i, c, s in zip(picked_items, picked, picked_scores, strict=True))
            self._since_refresh += rows
            self.requests_seen += rows
            start = stop
        return slates

    def _prices(self, creators: IntArray) -> FloatArray:
        """Current price of each creator (what ``allocate`` subtracts from the score)."""
        return self._price[creators]

    def _materialise_prices(self) -> None:
        np.add(self._price_delta, self._price_base, out=self._price)
        if self._tiers is not None and self._tier_bonus.any():
            self._price -= self._tier_bonus[self._tiers]

    # ---- feedback control ------------------------------------------------------------------------
    def _refresh(self, sample_scores: FloatArray) -> None:
        # Requests by every worker sharing the state count towards the controller's clock.
        clock = self.state.requests_recorded()
        elapsed = clock - self._clock_at_refresh
        self._clock_at_refresh = clock
        self._since_refresh = 0
        spread = float(np.std(sample_scores)) if sample_scores.shape[0] > 1 else 0.0
        if spread > 0:
            # Slow average: the price unit should not jump with one unusual request.
            self._score_scale = spread if self._score_scale == 0 else 0.99 * self._score_scale + 0.01 * spread
        scale = self._score_scale or 1.0

        ids, values = self.state.nonzero()
        n, nnz = self.n_creators, ids.shape[0]
        # Sorting the values once gives the sample (exact case) and lets the quantile ranks below be
        # found in order instead of by a binary search per creator in random order, which cost 8x more.
        order = np.argsort(values)
        sorted_values = values[order]
        exact = nnz <= MAX_EXACT_CREATORS
        if exact:
            sample = sorted_values
            sample_n = n
        else:
            pick = self._rng.choice(nnz, MAX_EXACT_CREATORS, replace=False)
            sample = np.sort(values[pick])
            sample_n = round(MAX_EXACT_CREATORS * n / nnz)
        self.measured_gini = gini_of_sorted_nonzero(sample, sample_n) if nnz else 0.0

        g = self.gains
        error = g.error(self.measured_gini, self.target_gini)
        self._integral = float(np.clip(self._integral + g.integral * error * elapsed, 0.0, g.integral_limit))
        self.mu = max(0.0, g.proportional * error + self._integral)

        n_zero = sample_n - sample.shape[0]
        mean_exposure = float(values.sum()) / n if nnz else 0.0
        width = min(self.smoothing_requests * float(self.weights.sum()), _WIDTH_CAP * mean_exposure)
        unit = self.mu * scale / sample_n
        if unit > 0:
            # One pass over [0, sorted exposures]: the unexposed creators' gradient comes first, and
            # searching in sorted order keeps the binary searches cache friendly.
            exposures = np.concatenate(([0.0], sorted_values))
            if exposures.shape[0] <= _GRADIENT_GRID:
                gradient = _huber_gini_gradient(exposures, sample, n_zero, width)
            else:
                # The gradient is a non-decreasing function of exposure alone, so it is evaluated at
                # _GRADIENT_GRID quantiles and interpolated: each creator is off by less than the
                # gradient's rise between two neighbouring grid points (about 2/_GRADIENT_GRID of its
                # range), and the refresh skips two binary searches per exposed creator.
                grid = exposures[np.linspace(0, exposures.shape[0] - 1, _GRADIENT_GRID).round().astype(np.int64)]
                gradient = np.interp(exposures, grid, _huber_gini_gradient(grid, sample, n_zero, width))
            gradient *= unit
            zero_price = float(gradient[0])
            gradient -= zero_price
        else:  # the constraint is slack: every price is zero, no gradient needed
            gradient = np.zeros(nnz + 1)
            zero_price = 0.0
        beta = 1.0 - (1.0 - self.price_smoothing) ** max(elapsed, 1)
        self._price_base = (1.0 - beta) * self._price_base + beta * zero_price
        if nnz:
            fresh = np.empty(nnz)
            fresh[order] = gradient[1:]
            if self._boost is not None and unit > 0:
                boost = self._boost[ids]
                lifted = np.flatnonzero(boost > 0)
                if lifted.size:
                    # A boosted creator pays the price of the exposure it would have without its boost.
                    discounted = values[lifted] / (1.0 + boost[lifted])
                    fresh[lifted] = _huber_gini_gradient(discounted, sample, n_zero, width) * unit - zero_price
            if beta < 1.0:
                fresh *= beta
                fresh += (1.0 - beta) * self._price_delta[ids]
            self._price_delta[ids] = fresh

        if self._tiers is not None and self._tier_floor.any():
            tier_exposure = np.bincount(self._tiers[ids], weights=values, minlength=self._tier_floor.shape[0])
            total = tier_exposure.sum()
            self.tier_shares = tier_exposure / total if total > 0 else np.zeros_like(tier_exposure)
            shortfall = self._tier_floor - self.tier_shares
            self._tier_bonus = np.clip(
                self._tier_bonus + g.tier_integral * scale * shortfall * max(elapsed, 1), 0.0, None
            )
            self._tier_bonus[self._tier_floor == 0] = 0.0
        self._materialise_prices()


def _huber_gini_gradient(x: FloatArray, sample: FloatArray, n_zero: int, width: float) -> FloatArray:
    """``sum_j clip((x_i - y_j) / width, -1, 1)`` for every ``x_i >= 0`` over the population ``y``.

    The population is the sorted positive ``sample`` plus ``n_zero`` creators at zero exposure. Each
    sum is the derivative of the Huber-smoothed Gini numerator ``sum_j huber_width(x_i - y_j)``
    (times ``width``); with ``width`` 0 it is the rank form ``#below - #above`` of the plain Gini's
    gradient. Two binary searches and a prefix sum: O(len(x) log len(sample)); passing ``x`` sorted
    keeps the searches cache friendly.
    """
    m = sample.shape[0]
    if width <= 0.0:
        result = np.searchsorted(sample, x, side="left").astype(np.float64)
        result += np.searchsorted(sample, x, side="right")
        result -= m
        result += np.where(x > 0, float(n_zero), 0.0)  # zeros lie below every exposed creator
        return result
    prefix = np.empty(m + 1)
    prefix[0] = 0.0
    np.cumsum(sample, out=prefix[1:])
    lo = np.searchsorted(sample, x - width, side="left")
    hi = np.searchsorted(sample, x + width, side="right")
    # lo creators lie more than width below (+1 each), m - hi more than width above (-1 each), and
    # the ones in between count (x - y) / width.
    result = x * (hi - lo)
    result -= prefix[hi]
    result += prefix[lo]
    result *= 1.0 / width
    result += lo + hi - m
    if n_zero:
        result += n_zero * np.minimum(x * (1.0 / width), 1.0)
    return result
