"""Vectorised sampling primitives the generator draws every table with (numpy only, no Python row loops)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wanghong.domain import FOLLOWER_TIER_BOUNDS
from wanghong.simulator.engine.tables import FOLLOWER_TIERS, FloatArray, code_of


def categorical_rows(rng: np.random.Generator, probs: FloatArray) -> np.ndarray:
    """One draw per row of a row-stochastic matrix (inverse CDF, vectorised)."""
    cumulative = np.cumsum(probs, axis=1)
    u: FloatArray = rng.random((probs.shape[0], 1)) * cumulative[:, -1:]
    return np.minimum((u > cumulative).sum(axis=1), probs.shape[1] - 1).astype(np.int8)


@dataclass(frozen=True)
class Groups:
    """Items grouped by an integer key, for drawing a random member of a given group without a loop."""

    order: np.ndarray
    start: np.ndarray
    count: np.ndarray

    @classmethod
    def of(cls, keys: np.ndarray, n_groups: int) -> Groups:
        order = np.argsort(keys, kind="stable")
        count = np.bincount(keys, minlength=n_groups)
        start = np.concatenate(([0], np.cumsum(count)[:-1]))
        return cls(order=order, start=start, count=count)

    def pick(self, rng: np.random.Generator, groups: np.ndarray) -> np.ndarray:
        """A uniformly random member of each requested group; -1 where the group is empty."""
        counts = self.count[groups]
        offset = (rng.random(groups.shape[0]) * counts).astype(np.int64)
        if self.order.shape[0] == 0:
            return np.full(groups.shape[0], -1, dtype=np.int64)
        position = np.minimum(self.start[groups] + offset, self.order.shape[0] - 1)
        return np.where(counts > 0, self.order[position], -1)


def within_group_index(counts: np.ndarray) -> np.ndarray:
    """0, 1, …, count-1 for each group, concatenated (the position of each expanded row in its parent)."""
    total = int(counts.sum())
    starts = np.cumsum(counts) - counts
    return np.arange(total) - np.repeat(starts, counts)


def f64(values: np.ndarray) -> FloatArray:
    """The array as float64 (a no-op for float64 input; numpy's stubs lose the dtype of bincount/round)."""
    return np.asarray(values, dtype=np.float64)


def steady_counts(rng: np.random.Generator, expected: FloatArray) -> np.ndarray:
    """Counts with the given means but no spread beyond rounding: ⌊expected + U⌋.

    Deal flow and streaming schedules of established creators are booked, not Poisson; and because a
    handful of head creators carry much of the platform's income, Poisson noise in their counts would make
    the platform-wide figures swing between seeds far more than real quarter-on-quarter figures do.
    """
    return np.floor(expected + rng.random(expected.shape[0])).astype(np.int64)


def tier_values(values: tuple[float, ...], tiers: np.ndarray) -> FloatArray:
    return np.asarray(values, dtype=np.float64)[tiers]


def follower_tier_codes(followers: np.ndarray) -> np.ndarray:
    """Vectorised `wanghong.domain.follower_tier`, as codes into FOLLOWER_TIERS."""
    bounds = np.array([bound for bound, _ in FOLLOWER_TIER_BOUNDS], dtype=np.int64)
    codes = np.array([code_of(tier, FOLLOWER_TIERS) for _, tier in FOLLOWER_TIER_BOUNDS], dtype=np.int8)
    return codes[np.searchsorted(bounds, followers, side="right") - 1]
