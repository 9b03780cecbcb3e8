from __future__ import annotations

import numpy as np
import pytest

from wanghong.fraud.engine.graph import mean_operator, neighbour_aggregates, neighbour_max, symmetric_adjacency


def test_adjacency_is_symmetric_without_loops_or_duplicates() -> None:
    adjacency = symmetric_adjacency(np.array([[0, 1], [1, 0], [0, 1], [2, 2], [1, 2]]), 4)
    dense = adjacency.toarray()
    assert (dense == dense.T).all() and dense.diagonal().sum() == 0
    assert dense.tolist() == [[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]]
    with pytest.raises(ValueError, match="endpoints"):
        symmetric_adjacency(np.array([[0, 9]]), 4)


def test_aggregates_against_dense_computation() -> None:
    rng = np.random.default_rng(1)
    adjacency = symmetric_adjacency(rng.integers(0, 30, (80, 2)), 31)  # node 30 is isolated
    values = rng.random((31, 2))
    dense = adjacency.toarray().astype(bool)
    expected_max = np.array([values[row].max(axis=0) if row.any() else np.zeros(2) for row in dense])
    np.testing.assert_allclose(neighbour_max(adjacency, values), expected_max)
    expected_mean = np.array([values[row].mean(axis=0) if row.any() else np.zeros(2) for row in dense])
    np.testing.assert_allclose(mean_operator(adjacency) @ values, expected_mean)
    aggregates = neighbour_aggregates(adjacency, values)
    assert aggregates.shape == (31, 13 * 2 + 5)
    np.testing.assert_allclose(aggregates[:, :2], expected_mean)
    expected_std = np.array([values[row].std(axis=0) if row.any() else np.zeros(2) for row in dense])
    np.testing.assert_allclose(aggregates[:, 2:4], expected_std, atol=1e-7)
    assert (aggregates[30] == 0).all()
