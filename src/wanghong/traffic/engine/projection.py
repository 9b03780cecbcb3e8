"""Exact sort-based projection for the P-MMF dual update (replaces the cvxpy QP of the reference code).

P-MMF (Xu et al., "P-MMF: Provider Max-min Fairness Re-ranking in Recommender System", WWW 2023)
keeps one dual price per provider and, after each mirror-descent step, projects the tentative duals
onto the feasible set of the max-min regulariser. The reference implementation (FairDiverse
``rerank_model/PMMF.py``) orders the providers by ``rho * mu_tilde`` ascending and solves

    min_y  sum_i (y_i - v_i)^2    s.t.  sum_{j<=i} y_j >= -lambda   for every prefix i

with ``y = rho * mu`` and ``v = rho * mu_tilde`` (sorted) by calling cvxpy per request.

The KKT conditions give ``y_j - v_j = sum_{i>=j} alpha_i`` with ``alpha >= 0``: the correction is a
non-increasing staircase that is positive only on a leading block of prefixes. It is found greedily:
raise the first ``m`` entries by the largest average deficit ``max_m (-lambda - P_m) / m`` (P = prefix
sums of v), pin that prefix at ``-lambda``, then repeat on the remainder with the bound relative to
the pinned prefix (now 0) until no deficit is left. Each block's raise is at most the previous one,
so the multipliers are non-negative and the result is the exact optimum. Cost O(m * blocks) after
an O(m log m) sort instead of an interior-point solve.
"""

from __future__ import annotations

import numpy as np

from wanghong.traffic.engine.types import FloatArray


def project_prefix_lower_bound(values: FloatArray, bound: float) -> FloatArray:
    """Euclidean projection of ``values`` onto ``{y : every prefix sum of y >= -bound}``.

    ``values`` are taken in the given order (P-MMF passes them sorted ascending).
    """
    v = np.asarray(values, dtype=np.float64)
    y = v.copy()
    n = v.shape[0]
    start = 0
    needed = -float(bound)  # required prefix sum of y, relative to the sum already pinned
    while start < n:
        partial = np.cumsum(v[start:])
        lengths = np.arange(1, n - start + 1, dtype=np.float64)
        deficit = (needed - partial) / lengths
        m = int(np.argmax(deficit))
        raise_by = float(deficit[m])
        if raise_by <= 0.0:
            break
        y[start : start + m + 1] += raise_by
        start += m + 1
        needed = 0.0
    return y


def pmmf_next_dual(dual: FloatArray, gradient: FloatArray, rho: FloatArray, eta: float, lam: float) -> FloatArray:
    """One P-MMF dual step: gradient step scaled by ``1/rho^2``, then the exact projection."""
    tilde = dual - eta * gradient / rho / rho
    order = np.argsort(tilde * rho, kind="stable")
    projected = project_prefix_lower_bound((tilde * rho)[order], lam)
    result = np.empty_like(tilde)
    result[order] = projected / rho[order]
    return result
