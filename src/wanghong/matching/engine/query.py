"""What a search asks for (brand filters, the index's tuning) and what it answers (the plan, the rows)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from wanghong.domain import Category, follower_range_problem
from wanghong.matching.engine.exact import Rows
from wanghong.matching.engine.vectors import MCN_TIERS, MatchingInputError, PriceBand


class InvalidFilter(MatchingInputError):
    """A filter that cannot be satisfied as written (e.g. followers_min above followers_max)."""


@dataclass(frozen=True)
class MatchFilters:
    """What a brand restricts the candidates to; an empty set means "any"."""

    categories: frozenset[Category] = frozenset()  # creator creates content in any of these
    followers_min: int | None = None
    followers_max: int | None = None
    mcn_tiers: frozenset[str] = frozenset()  # McnTier values or "independent"
    regions: frozenset[str] = frozenset()
    price_bands: frozenset[PriceBand] = frozenset()  # the creator's typical unit price band
    exclude_penalised: bool = True
    available_only: bool = False

    def __post_init__(self) -> None:
        problem = follower_range_problem(self.followers_min, self.followers_max)
        if problem is not None:
            raise InvalidFilter(problem)
        unknown = sorted(set(self.mcn_tiers) - set(MCN_TIERS))
        if unknown:
            raise InvalidFilter(f"unknown mcn_tier {unknown}; use one of {list(MCN_TIERS)}")

    @property
    def has_follower_range(self) -> bool:
        return self.followers_min is not None or self.followers_max is not None


@dataclass(frozen=True)
class IndexConfig:
    # Planner: at most this many candidates → exact scan.  Measured at 3 M creators on 2 cores: exact search over
    # 30,725 region rows 1.6 ms; over the 67,410 rows of the brand filter 10 ms, where the IVF (608 probes) took
    # 3.5 ms — so the crossover lies between, and 50,000 keeps both sides near their best.
    exact_limit: int = 50_000
    min_ivf_rows: int = 50_000  # fewer creators than this → no IVF, everything exact
    nlist: int | None = None  # IVF cells; None → the power of two nearest 2√n
    # Share of cells probed for an unfiltered query.  Product queries are far from the creator cloud (one-hot
    # category, [1, 0] scalar blocks), so centroid order predicts the best cells poorly and a larger share is
    # needed than for in-distribution queries.  Calibrated at 3 M creators (60 queries, bench/matching.py):
    # share 0.06 / margin 300 → recall@100 0.999, p50 6.3 ms (100 %); 0.04 / 150 → 0.997, 4.2 ms; 0.03 / 100 →
    # 0.983 but single queries down to 0.75.  0.04 / 150 keeps every query ≥ 0.98.
    probe_share: float = 0.04
    probe_margin: float = 150.0  # probed cells must hold ≈ margin × k passing rows in expectation
    train_sample: int = 200_000
    compact_at: float = 0.02  # fold the delta into the IVF once it exceeds this share of rows
    seed: int = 0

    def __post_init__(self) -> None:
        if self.exact_limit < 0 or self.min_ivf_rows < 0 or not 0 < self.probe_share <= 1 or self.probe_margin <= 0:
            raise MatchingInputError("index config values must be positive")


@dataclass(frozen=True)
class Plan:
    """How a filter is searched; on a SearchResult, `nprobe` is the number of cells that query probed."""

    strategy: Literal["exact", "ivf"]
    estimated_rows: int
    selectivity: float
    nprobe: int = 0
    delta_rows: int = 0


@dataclass(frozen=True)
class SearchResult:
    rows: Rows  # row numbers in the index, best first
    ids: npt.NDArray[np.int64]  # creator ids
    scores: npt.NDArray[np.float32]  # inner products = weighted affinities
    plan: Plan
