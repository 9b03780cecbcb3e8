"""隐私 / privacy of what leaves the platform: k-anonymity, differentially private counts, a budget per brand.

* **k-anonymity** (Sweeney 2002): every combination of declared quasi-identifiers in a release is shared by at
  least k people. `anonymise` gets there by full-domain generalisation (Datafly: while too many people sit in
  classes below k, coarsen the quasi-identifier with the most distinct values by one level) and then suppresses
  the few still in classes below k, within a suppression allowance.
* **Differential privacy**: released counts go through OpenDP's discrete Laplace mechanism (`make_laplace` on
  integers), scale = contributions per person / ε; OpenDP's own privacy map certifies the ε of each release.
  Noise comes from OpenDP's cryptographically secure sampler, so it cannot be seeded or replayed.
* **Budget**: sequential composition: the ε of a brand's releases in a Beijing-time calendar month add up, and a
  release that would pass the monthly limit is refused before any noise is drawn.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

K_DEFAULT = 50
BEIJING = ZoneInfo("Asia/Shanghai")
SUPPRESSED = "*"
# Budget sums are kept in micro-ε so that ten releases of 0.1 fill a budget of 1.0 exactly.
_MICRO = 1_000_000

Generaliser = Callable[[pd.Series], pd.Series]


class PrivacyError(ValueError):
    """A release that the privacy rules do not allow."""


class KAnonymityViolation(PrivacyError):
    pass


class BudgetExceeded(PrivacyError):
    pass


# ---- k-anonymity ---------------------------------------------------------------------------------------------


def exact(values: pd.Series) -> pd.Series:
    return values.astype(str)


def bands(edges: Sequence[float]) -> Generaliser:
    """Numbers to half-open bands `[a,b)` with the given inner edges; the last band is `b+`."""
    cuts = np.asarray(edges, dtype=np.float64)
    labels = [f"<{_fmt(cuts[0])}"] + [f"[{_fmt(a)},{_fmt(b)})" for a, b in itertools.pairwise(cuts)]
    labels.append(f"{_fmt(cuts[-1])}+")

    def generalise(values: pd.Series) -> pd.Series:
        positions = np.searchsorted(cuts, values.to_numpy(dtype=np.float64), side="right")
        return pd.Series(np.asarray(labels, dtype=object)[positions], index=values.index)

    return generalise


def grouped(mapping: dict[str, str]) -> Generaliser:
    """Categories merged into broader ones (unmapped values keep their own name)."""

    def generalise(values: pd.Series) -> pd.Series:
        text = values.astype(str)
        return text.map(mapping).fillna(text)

    return generalise


def _fmt(number: float) -> str:
    return f"{number:g}"


@dataclass(frozen=True)
class Hierarchy:
    """Generalisation levels of one quasi-identifier, finest first; suppression ('*') is always the last level."""

    column: str
    levels: tuple[Generaliser, ...] = (exact,)

    @property
    def depth(self) -> int:
        return len(self.levels) + 1

    def at(self, frame: pd.DataFrame, level: int) -> pd.Series:
        if level >= len(self.levels):
            return pd.Series(SUPPRESSED, index=frame.index, dtype=object)
        return self.levels[level](frame[self.column])


def class_sizes(frame: pd.DataFrame, quasi_identifiers: Sequence[str]) -> pd.Series:
    """For every row, the number of rows sharing its quasi-identifier values (its equivalence class)."""
    if frame.empty:
        return pd.Series(dtype=np.int64)
    return frame.groupby(list(quasi_identifiers), dropna=False, sort=False)[quasi_identifiers[0]].transform("size")


def smallest_class(frame: pd.DataFrame, quasi_identifiers: Sequence[str]) -> int:
    """The k for which `frame` is k-anonymous over `quasi_identifiers` (0 for no rows)."""
    sizes = class_sizes(frame, quasi_identifiers)
    return int(sizes.min()) if len(sizes) else 0


def require_k_anonymous(frame: pd.DataFrame, quasi_identifiers: Sequence[str], k: int = K_DEFAULT) -> None:
    """Raise `KAnonymityViolation` unless every class has at least k rows (and there is at least one class)."""
    smallest = smallest_class(frame, quasi_identifiers)
    if smallest < k:
        raise KAnonymityViolation(
            f"k 匿名不足：最小等价类 {smallest} 人 < {k} / not {k}-anonymous: the smallest class has {smallest} "
            f"over {', '.join(quasi_identifiers)}"
        )


@dataclass(frozen=True)
class AnonymisedRelease:
    frame: pd.DataFrame  # released rows only, quasi-identifiers generalised, other columns untouched
    levels: dict[str, int]  # chosen level per quasi-identifier (depth - 1 means suppressed entirely)
    suppressed: int  # rows left out because their class stayed below k
    k: int = field(default=K_DEFAULT)

    @property
    def smallest_class(self) -> int:
        return smallest_class(self.frame, list(self.levels))


def anonymise(
    frame: pd.DataFrame,
    hierarchies: Sequence[Hierarchy],
    k: int = K_DEFAULT,
    max_suppression: float = 0.05,
) -> AnonymisedRelease:
    """Generalise the quasi-identifiers of `frame` until at most `max_suppression` of rows sit in classes below k,
    then leave those rows out. The result is k-anonymous over the hierarchies' columns."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    columns = [hierarchy.column for hierarchy in hierarchies]
    levels = dict.fromkeys(columns, 0)
    allowance = int(max_suppression * len(frame))
    # Each (column, level) is generalised and factorised once; the greedy search then works on integer codes.
    codes: dict[tuple[str, int], np.ndarray] = {}

    def coded(hierarchy: Hierarchy, level: int) -> np.ndarray:
        if (hierarchy.column, level) not in codes:
            codes[(hierarchy.column, level)] = pd.factorize(hierarchy.at(frame, level))[0]
        return codes[(hierarchy.column, level)]

    def sizes(at: dict[str, int]) -> np.ndarray:
        key = np.zeros(len(frame), dtype=np.int64)
        for hierarchy in hierarchies:
            column_codes = coded(hierarchy, at[hierarchy.column])
            key = key * (int(column_codes.max(initial=0)) + 1) + column_codes
            key = np.unique(key, return_inverse=True)[1]  # re-densify so the mixed radix never overflows
        return np.bincount(key)[key] if len(key) else key

    def violating(at: dict[str, int]) -> int:
        return int((sizes(at) < k).sum())

    while violating(levels) > allowance:
        candidates = [h for h in hierarchies if levels[h.column] < h.depth - 1]
        if not candidates:
            break  # everything suppressed: one class of len(frame); below k only when the frame is
        # Datafly's rule: coarsen the attribute with the most distinct values, the one most likely to single
        # people out; suppressing a yes/no flag would cut violations too, but at a far greater loss of meaning.
        best = max(candidates, key=lambda h: int(coded(h, levels[h.column]).max(initial=0)))
        levels[best.column] += 1
    keep = sizes(levels) >= k
    released = frame.loc[keep].copy()
    for hierarchy in hierarchies:
        released[hierarchy.column] = hierarchy.at(frame, levels[hierarchy.column]).loc[keep]
    return AnonymisedRelease(frame=released, levels=levels, suppressed=int((~keep).sum()), k=k)


def hashed_ids(user_ids: Iterable[str], key: bytes) -> list[str]:
    """HMAC-SHA256 of each id under a per-recipient key: the recipient can match its own hashed customers but
    cannot reverse the list or join it with another recipient's."""
    if len(key) < 16:
        raise ValueError("the HMAC key needs at least 16 bytes")
    return [hmac.new(key, user.encode(), hashlib.sha256).hexdigest() for user in user_ids]


# ---- differential privacy ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoisyCounts:
    values: tuple[int, ...]  # clamped at zero (post-processing, so still ε-DP)
    epsilon: float  # certified by OpenDP's privacy map
    scale: float  # of the discrete Laplace noise

    def accuracy(self, alpha: float = 0.05) -> float:
        """Each count is within ± this of the truth with probability 1 − alpha."""
        import opendp.prelude as dp

        return float(dp.discrete_laplacian_scale_to_accuracy(self.scale, alpha))


def noisy_counts(counts: Sequence[int], epsilon: float, contributions: int = 1) -> NoisyCounts:
    """ε-DP release of counts where one person changes the counts by at most `contributions` in total (L1):
    1 for disjoint segments, the number of tags a person can carry for overlapping ones."""
    import opendp.prelude as dp

    if not epsilon > 0:
        raise PrivacyError(f"ε must be positive, got {epsilon}")
    if contributions < 1:
        raise PrivacyError(f"contributions must be at least 1, got {contributions}")
    if any(int(count) < 0 for count in counts):
        raise PrivacyError("counts cannot be negative")
    dp.enable_features("contrib")
    scale = contributions / epsilon
    measurement = dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale=scale)
    certified = float(measurement.map(contributions))
    if certified > epsilon * (1 + 1e-9):
        raise PrivacyError(f"OpenDP certifies ε = {certified}, above the requested {epsilon}")
    released = measurement([int(count) for count in counts])
    return NoisyCounts(values=tuple(max(0, int(value)) for value in released), epsilon=certified, scale=scale)


def noisy_count(count: int, epsilon: float) -> int:
    return noisy_counts([count], epsilon).values[0]


# ---- budget --------------------------------------------------------------------------------------------------


def budget_month(at: datetime) -> str:
    """The Beijing-time calendar month a release falls in, as 'YYYY-MM' (`at` must be timezone-aware)."""
    if at.tzinfo is None:
        raise ValueError("a release time must be timezone-aware")
    return at.astimezone(BEIJING).strftime("%Y-%m")


@dataclass
class PrivacyAccountant:
    """ε spent per brand and month under sequential composition; `charge` refuses what would pass the limit."""

    monthly_epsilon: float
    _spent: dict[tuple[str, str], int] = field(default_factory=dict)

    def spent(self, brand: str, month: str) -> float:
        return self._spent.get((brand, month), 0) / _MICRO

    def remaining(self, brand: str, month: str) -> float:
        return max(0.0, self.monthly_epsilon - self.spent(brand, month))

    def charge(self, brand: str, at: datetime, epsilon: float) -> str:
        """Record a release of `epsilon` by `brand` at `at`; returns the month charged."""
        if not epsilon > 0:
            raise PrivacyError(f"ε must be positive, got {epsilon}")
        month = budget_month(at)
        cost = round(epsilon * _MICRO)
        spent = self._spent.get((brand, month), 0)
        if spent + cost > round(self.monthly_epsilon * _MICRO):
            raise BudgetExceeded(
                f"隐私预算不足：{brand} 在 {month} 已用 ε={spent / _MICRO:g}，上限 {self.monthly_epsilon:g} / "
                f"privacy budget exceeded: {brand} has spent ε={spent / _MICRO:g} of {self.monthly_epsilon:g} "
                f"in {month}, this release needs {epsilon:g}"
            )
        self._spent[(brand, month)] = spent + cost
        return month


def release_counts(
    accountant: PrivacyAccountant,
    brand: str,
    at: datetime,
    counts: Sequence[int],
    epsilon: float,
    contributions: int = 1,
) -> NoisyCounts:
    """Charge the brand's monthly budget, then release the counts: no budget, no noise drawn, nothing released."""
    accountant.charge(brand, at, epsilon)
    return noisy_counts(counts, epsilon, contributions)
