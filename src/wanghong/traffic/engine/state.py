"""Where creator exposure lives: an interface plus the in-process numpy implementation.

The sliding window is an exponential decay: after each request every creator's exposure is
multiplied by ``decay = 0.5 ** (1 / half_life_requests)``. Multiplying millions of entries per
request would defeat the O(K) budget, so the table stores exposure divided by a global scale and
decaying is one multiplication of that scale (the "lazy scaling" trick of exponentially decayed
counters, e.g. Cormode et al., "Forward Decay", ICDE 2009). Entries are renormalised before the
scale underflows. A Redis implementation for several workers is ``wanghong.traffic.redis_state``.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from wanghong.traffic.engine.types import FloatArray, IntArray, TrafficInputError

# Rescale stored entries once the lazy scale drops below this, long before float64 underflow.
_RENORMALISE_BELOW = 1e-150


def decay_for_half_life(half_life_requests: float | None) -> float:
    """Per-request decay factor for a window whose weight halves every ``half_life_requests``."""
    if half_life_requests is None:
        return 1.0
    if not np.isfinite(half_life_requests) or half_life_requests <= 0:
        raise TrafficInputError(
            f"half_life_requests must be a positive number of requests or None, got {half_life_requests!r}"
        )
    return float(0.5 ** (1.0 / half_life_requests))


@runtime_checkable
class ExposureState(Protocol):
    """Per-creator exposure over the sliding window, shared by whoever allocates traffic."""

    @property
    def n_creators(self) -> int: ...

    @property
    def decay(self) -> float:
        """Per-request multiplicative decay; 1.0 keeps cumulative exposure."""
        ...

    def record(self, creator_ids: IntArray, amounts: FloatArray, n_requests: int = 1) -> None:
        """Age the window by ``n_requests`` requests, then add ``amounts`` (repeated ids add up).

        Must be atomic with respect to other writers of the same state.
        """
        ...

    def gather(self, creator_ids: IntArray) -> FloatArray:
        """Current exposure of the given creators."""
        ...

    def nonzero(self) -> tuple[IntArray, FloatArray]:
        """Ids and current exposure of every creator with positive exposure."""
        ...

    def total(self) -> float:
        """Sum of current exposure over all creators."""
        ...

    def requests_recorded(self) -> int:
        """Requests recorded by all writers so far (sets the controller's clock)."""
        ...


class WindowShape:
    """What every ``ExposureState`` implementation is built from: how many creators, how fast exposure fades."""

    def __init__(self, n_creators: int, half_life_requests: float | None = None) -> None:
        if not isinstance(n_creators, int | np.integer) or n_creators <= 0:
            raise TrafficInputError(f"n_creators must be a positive integer, got {n_creators!r}")
        self._n = int(n_creators)
        self._decay = decay_for_half_life(half_life_requests)

    @property
    def n_creators(self) -> int:
        return self._n

    @property
    def decay(self) -> float:
        return self._decay


class NumpyExposureState(WindowShape):
    """In-process exposure table: one float64 per creator (24 MB for 3 million creators)."""

    def __init__(self, n_creators: int, half_life_requests: float | None = None) -> None:
        super().__init__(n_creators, half_life_requests)
        self._raw = np.zeros(self._n, dtype=np.float64)
        self._scale = 1.0
        self._raw_total = 0.0
        self._requests = 0

    @property
    def nbytes(self) -> int:
        return int(self._raw.nbytes)

    def record(self, creator_ids: IntArray, amounts: FloatArray, n_requests: int = 1) -> None:
        self._requests += n_requests
        if self._decay != 1.0 and n_requests:
            self._scale *= self._decay**n_requests
            if self._scale < _RENORMALISE_BELOW:
                self._raw *= self._scale
                self._raw_total *= self._scale
                self._scale = 1.0
        scaled = amounts / self._scale
        np.add.at(self._raw, creator_ids, scaled)
        self._raw_total += float(scaled.sum())

    def gather(self, creator_ids: IntArray) -> FloatArray:
        return self._raw[creator_ids] * self._scale

    def nonzero(self) -> tuple[IntArray, FloatArray]:
        ids = np.flatnonzero(self._raw)
        return ids, self._raw[ids] * self._scale

    def total(self) -> float:
        return self._raw_total * self._scale

    def requests_recorded(self) -> int:
        return self._requests

    def dense(self) -> FloatArray:
        """Current exposure of all creators (a copy)."""
        return self._raw * self._scale
