"""Neighbour-aggregated node features: the strongest family on GADBench (Tang et al., 2023) for graph fraud.

A node's own features rarely give a fraudster away; the company it keeps does (fake orders share devices,
addresses and payment instruments; banned crowd workers share tasks). Every function here turns a sparse
adjacency matrix and per-node values into per-node columns that a gradient-boosted model then reads:

* :func:`neighbour_aggregates` — mean, standard deviation, maximum and minimum over 1-hop neighbours, the same
  statistics of those statistics (2 hops), the 3-hop mean, and the degree of the node and of its neighbours.

No label enters a feature: propagating the training split's labels (share of banned labelled neighbours at one
and two hops) was measured on Tolokers and lowered the mean ROC-AUC (0.8591 against 0.8612 without, splits 0–4).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]


def symmetric_adjacency(edges: npt.NDArray[np.integer], nodes: int) -> sp.csr_matrix:
    """Undirected, unweighted, without self-loops or duplicate edges."""
    if edges.ndim != 2 or edges.shape[1] != 2:
        raise ValueError(f"edges must be an (m, 2) array, got shape {edges.shape}")
    if len(edges) and (edges.min() < 0 or edges.max() >= nodes):
        raise ValueError(f"edge endpoints must lie in [0, {nodes})")
    keep = edges[:, 0] != edges[:, 1]
    rows = np.concatenate([edges[keep, 0], edges[keep, 1]])
    cols = np.concatenate([edges[keep, 1], edges[keep, 0]])
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(nodes, nodes))
    matrix.data[:] = 1.0  # duplicates were summed
    return matrix


def degrees(adjacency: sp.csr_matrix) -> FloatArray:
    return np.diff(adjacency.indptr).astype(np.float64)


def mean_operator(adjacency: sp.csr_matrix) -> sp.csr_matrix:
    """Row-normalised adjacency: ``mean_operator(A) @ X`` is the mean of X over each node's neighbours (0 if none)."""
    return sp.diags(1.0 / np.maximum(degrees(adjacency), 1.0)) @ adjacency


def neighbour_max(adjacency: sp.csr_matrix, values: FloatArray) -> FloatArray:
    """Maximum of each column over each node's neighbours (0 for isolated nodes)."""
    out = np.zeros_like(values)
    starts = adjacency.indptr[:-1]
    nonempty = np.diff(adjacency.indptr) > 0
    if adjacency.nnz:
        gathered = values[adjacency.indices]
        out[nonempty] = np.maximum.reduceat(gathered, starts[nonempty], axis=0)
    return out


def neighbour_std(mean: sp.csr_matrix, values: FloatArray, mean_of_values: FloatArray) -> FloatArray:
    return np.sqrt(np.maximum(mean @ (values * values) - mean_of_values * mean_of_values, 0.0))


def neighbour_aggregates(adjacency: sp.csr_matrix, values: FloatArray) -> FloatArray:
    """Aggregates of ``values`` over one, two and three hops, and of the degree over one hop.

    Per column: 1-hop mean, std, max and min; the 1-hop mean of each of those four; the 1-hop max, min and std
    of the 1-hop mean; the 1-hop max of the 1-hop std; the 3-hop mean. Then log(1 + degree) and its 1-hop mean,
    max, min and std. Aggregates of aggregates let the trees see "a neighbour whose own neighbours are
    suspicious", which plain 2-hop means average away (+0.8 ROC-AUC points on Tolokers over 1- and 2-hop means).
    """
    mean = mean_operator(adjacency)
    mean1 = mean @ values
    std1 = neighbour_std(mean, values, mean1)
    max1 = neighbour_max(adjacency, values)
    min1 = -neighbour_max(adjacency, -values)
    mean2 = mean @ mean1
    log_degree = np.log1p(degrees(adjacency))[:, None]
    mean_log_degree = mean @ log_degree
    return np.hstack(
        [
            mean1,
            std1,
            max1,
            min1,
            mean2,
            mean @ std1,
            mean @ max1,
            mean @ min1,
            neighbour_max(adjacency, mean1),
            -neighbour_max(adjacency, -mean1),
            neighbour_std(mean, mean1, mean2),
            neighbour_max(adjacency, std1),
            mean @ mean2,
            log_degree,
            mean_log_degree,
            neighbour_max(adjacency, log_degree),
            -neighbour_max(adjacency, -log_degree),
            neighbour_std(mean, log_degree, mean_log_degree),
        ]
    )
