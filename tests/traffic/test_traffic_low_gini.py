"""The allocator's low-Gini end against P-MMF on Steam, and the smoothed Gini gradient it prices with."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wanghong.traffic.engine.allocator import _huber_gini_gradient
from wanghong.traffic.engine.evaluation import pareto_sweep, utility_at_gini
from wanghong.traffic.engine.streams import load_steam_stream

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "fairness"


def test_matches_pmmf_utility_at_pmmfs_lowest_gini_on_steam() -> None:
    if not (DATA / "steam_ranking_scores.npz").is_file():
        pytest.skip("Steam fairness data not present")
    steam = load_steam_stream(DATA)
    knobs = {"fair": (0.02, 0.005, 0.0), "pmmf": (25.0, 30.0)}
    points = pareto_sweep(steam, 10, ("fair", "pmmf"), "slot", knobs=knobs)
    floor = min(p.gini for p in points if p.policy == "pmmf")  # P-MMF saturates near 0.0085 here
    ours = utility_at_gini(points, "fair", floor)
    theirs = utility_at_gini(points, "pmmf", floor)
    assert ours is not None and theirs is not None, "the fair sweep must reach P-MMF's lowest Gini"
    # The rank-priced allocator trailed by 0.002 here; measured parity is within 1e-4.
    assert ours >= theirs - 5e-4
    assert min(p.gini for p in points if p.policy == "fair") < floor  # and it can go fairer still


@pytest.mark.parametrize("width", [0.0, 0.7, 3.0])
def test_huber_gradient_matches_the_pairwise_sum(width: float) -> None:
    rng = np.random.default_rng(4)
    exposed = np.sort(rng.exponential(2.0, 40).round(1) + 0.1)
    n_zero = 7
    population = np.concatenate((np.zeros(n_zero), exposed))
    x = np.concatenate(([0.0], exposed))
    diff = x[:, None] - population[None, :]
    expected = np.sign(diff).sum(axis=1) if width == 0 else np.clip(diff / width, -1, 1).sum(axis=1)
    np.testing.assert_allclose(_huber_gini_gradient(x, exposed, n_zero, width), expected, atol=1e-9)
