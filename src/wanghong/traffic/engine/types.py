"""Requests, slates, the exposure model and input validation shared by every traffic policy.

Exposure model: the viewer attention a slot receives follows the position-based DCG discount
``w(r) = 1 / log2(r + 1)`` for 1-based rank ``r`` (Järvelin & Kekäläinen, "Cumulated gain-based
evaluation of IR techniques", TOIS 2002; the same discount the exposure-fairness literature uses,
e.g. Singh & Joachims, "Fairness of Exposure in Rankings", KDD 2018). Slot 1 gets 1.0, slot 2 0.63,
slot 10 0.29. ``uniform_weights`` instead counts each slot as 1, which is how FairDiverse counts
exposure for its gini@k (``fairness_type: Exposure``) and so what the Steam reproduction uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
ExposureModel = Literal["position", "slot"]


class TrafficInputError(ValueError):
    """A request, slate size or configuration the traffic engine cannot work with."""


class UnknownCreatorError(TrafficInputError):
    """A creator id lies outside the dense range ``0 .. n_creators - 1`` the policy was built for."""


class TierSharesTooLarge(TrafficInputError):
    """Minimum tier shares that together ask for more than the whole window; ``total`` is their sum."""

    def __init__(self, total: float) -> None:
        super().__init__(f"minimum tier shares add up to {total:.3f}, more than 1")
        self.total = total


def position_weights(k: int, model: ExposureModel = "position") -> FloatArray:
    """Exposure received by slots 1..k: ``1/log2(rank+1)`` ("position") or 1 each ("slot")."""
    check_k(k)
    if model == "position":
        return 1.0 / np.log2(np.arange(2, k + 2, dtype=np.float64))
    if model == "slot":
        return np.ones(k, dtype=np.float64)
    raise TrafficInputError(f"exposure model must be 'position' or 'slot', got {model!r}")


def check_k(k: int) -> None:
    if not isinstance(k, int | np.integer) or k <= 0:
        raise TrafficInputError(f"slate size k must be a positive integer, got {k!r}")


def check_target_gini(target: float) -> None:
    if not np.isfinite(target) or not 0.0 <= target <= 1.0:
        raise TrafficInputError(f"target Gini must lie in [0, 1], got {target!r}")


# Shares typed as decimals (0.1 + 0.2 + 0.7) can sum a rounding error above 1 and still mean "the whole window".
_SHARE_TOTAL_SLACK = 1e-9


def check_tier_share_total(shares: Iterable[float]) -> float:
    """The sum of minimum tier shares, which must not exceed the whole window (1); raises ``TierSharesTooLarge``."""
    total = float(sum(shares))
    if total > 1.0 + _SHARE_TOTAL_SLACK:
        raise TierSharesTooLarge(total)
    return total


@dataclass(frozen=True, slots=True)
class Request:
    """One viewer's feed request: parallel arrays describing the candidate items.

    ``candidate_creator_ids`` are dense integers ``0 .. n_creators-1``; translate external creator
    ids at the service edge. ``scores`` are the ranker's predicted engagement (higher is better).
    """

    candidate_item_ids: IntArray
    candidate_creator_ids: IntArray
    scores: FloatArray

    @classmethod
    def of(cls, item_ids: object, creator_ids: object, scores: object) -> Request:
        """Build a request from any array-likes, converting dtypes once at the edge."""
        return cls(
            np.asarray(item_ids, dtype=np.int64),
            np.asarray(creator_ids, dtype=np.int64),
            np.asarray(scores, dtype=np.float64),
        )


@dataclass(frozen=True, slots=True)
class Slate:
    """The allocated top-K, best slot first; ``scores`` are the ranker's original scores."""

    item_ids: IntArray
    creator_ids: IntArray
    scores: FloatArray


def validate_request(request: Request, n_creators: int) -> None:
    """Raise a TrafficInputError that says what to fix when a request is malformed."""
    items, creators, scores = request.candidate_item_ids, request.candidate_creator_ids, request.scores
    if scores.ndim != 1 or creators.ndim != 1 or items.ndim != 1:
        raise TrafficInputError("candidate arrays must be one-dimensional")
    n = scores.shape[0]
    if n == 0:
        raise TrafficInputError("a request needs at least one candidate item")
    if creators.shape[0] != n or items.shape[0] != n:
        raise TrafficInputError(
            f"candidate arrays differ in length: {items.shape[0]} item ids, {creators.shape[0]} creator ids, {n} scores"
        )
    if not np.isfinite(scores).all():
        bad = int(np.flatnonzero(~np.isfinite(scores))[0])
        raise TrafficInputError(f"scores must be finite numbers; candidate {bad} has {scores[bad]!r}")
    lo, hi = int(creators.min()), int(creators.max())
    if lo < 0 or hi >= n_creators:
        raise UnknownCreatorError(
            f"creator id {lo if lo < 0 else hi} is outside the registered range 0..{n_creators - 1}; "
            "register the creator (raise n_creators) or map external ids to dense ids first"
        )


def validate_batch(scores: FloatArray, creator_ids: IntArray, n_creators: int) -> None:
    """Batch counterpart of ``validate_request`` for (requests × candidates) matrices."""
    if scores.ndim != 2 or creator_ids.shape != scores.shape:
        raise TrafficInputError(
            f"batch scores and creator ids must be matrices of equal shape, got {scores.shape} and {creator_ids.shape}"
        )
    if scores.shape[1] == 0:
        raise TrafficInputError("a request needs at least one candidate item")
    if not np.isfinite(scores).all():
        raise TrafficInputError("scores must be finite numbers (found NaN or inf in the batch)")
    if scores.size and (creator_ids.min() < 0 or creator_ids.max() >= n_creators):
        raise UnknownCreatorError(f"a creator id in the batch is outside the registered range 0..{n_creators - 1}")


def top_k_order(values: FloatArray, k: int) -> IntArray:
    """Indices of the k largest values, largest first (argpartition keeps this O(C + k log k))."""
    return smallest_k_order(-values, k)


def top_k_order_rows(values: FloatArray, k: int) -> IntArray:
    """Row-wise ``top_k_order`` for a (requests × candidates) matrix."""
    return smallest_k_order_rows(-values, k)


def smallest_k_order(keys: FloatArray, k: int) -> IntArray:
    """Indices of the k smallest keys, smallest first; ties keep the order argpartition leaves them in.

    Callers that rank by ``-value`` pass the negated array they already built, saving a temporary.
    """
    if k >= keys.shape[0]:
        return keys.argsort(kind="stable")
    part = keys.argpartition(k - 1)[:k]
    return part[keys[part].argsort(kind="stable")]


def smallest_k_order_rows(keys: FloatArray, k: int) -> IntArray:
    """Row-wise ``smallest_k_order`` for a (requests × candidates) matrix."""
    if k >= keys.shape[1]:
        return keys.argsort(axis=1, kind="stable")
    part = keys.argpartition(k - 1, axis=1)[:, :k]
    order = np.take_along_axis(keys, part, axis=1).argsort(axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)
