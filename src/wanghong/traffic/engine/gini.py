"""Gini coefficient of an exposure vector, the way FairDiverse computes it.

``G = (n + 1 - 2 * sum(cumsum(sorted(x))) / sum(x)) / n`` (Gini, 1912; this is the form in
FairDiverse ``recommendation/metric.py``, Xu et al., "FairDiverse: A Comprehensive Toolkit for
Fairness- and Diversity-aware Information Retrieval", 2025), i.e. the population Gini without the
``n/(n-1)`` small-sample correction. Zero-exposure units count: they are part of the population.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def gini(values: NDArray[np.floating]) -> float:
    """Gini of a non-negative vector; 0 for an all-zero vector (nobody is favoured yet)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    return gini_of_sorted_nonzero(x[x > 0], x.shape[0])


def gini_of_sorted_nonzero(sorted_positive: NDArray[np.float64], n_total: int) -> float:
    """Gini of ``n_total`` units of which all but ``sorted_positive`` have zero exposure.

    Zeros add nothing to the cumulative sums, so a sparse exposure table (millions of creators,
    few exposed) never needs to be densified.
    """
    if n_total <= 0:
        raise ValueError("Gini needs at least one unit")
    total = float(sorted_positive.sum())
    if total <= 0.0:
        return 0.0
    cum_sum_total = float(np.cumsum(sorted_positive).sum())
    return (n_total + 1 - 2.0 * cum_sum_total / total) / n_total
