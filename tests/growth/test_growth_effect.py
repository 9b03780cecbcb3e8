"""Effect measurement: the doubly robust estimate recovers a planted effect that the naive comparison misses."""

from __future__ import annotations

import numpy as np
import pytest

from wanghong.growth.engine import EffectDataError, estimate_effect, fit_conditional_effect
from wanghong.simulator.engine import SimulationConfig, generate_ecosystem
from wanghong.simulator.engine.programmes import Outcome, ProgrammeDesign, simulate_programme


def confounded(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Motivated units (high x0) enrol more and do better anyway; the effect grows with x1."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 3))
    t = (rng.random(n) < 0.1 + 0.8 * x[:, 0]).astype(float)
    tau = 1.0 + 2.0 * x[:, 1]
    y = tau * t + 4.0 * x[:, 0] + x[:, 2] + rng.normal(0, 1, n)
    return t, y, x, tau


def test_interval_covers_the_planted_ate_and_the_naive_difference_is_outside_it() -> None:
    t, y, x, tau = confounded(1500, seed=1)
    result = estimate_effect(t, y, x, refute=False)
    assert result.interval.contains(float(tau.mean()))
    assert not result.interval.ci_low <= result.naive <= result.interval.ci_high
    assert result.naive > result.interval.ci_high  # self-selection inflates the naive comparison


@pytest.mark.slow
def test_att_averages_over_the_treated() -> None:
    rng = np.random.default_rng(2)
    n = 2000
    x = rng.random((n, 2))
    t = (rng.random(n) < 0.1 + 0.8 * x[:, 0]).astype(float)
    tau = 3.0 * x[:, 0]  # the treated (high x0) gain more, so ATT > ATE
    y = tau * t + 2.0 * x[:, 0] + rng.normal(0, 0.5, n)
    att = estimate_effect(t, y, x, estimand="att", refute=False)
    assert att.interval.contains(float(tau[t == 1].mean()))
    assert not att.interval.contains(float(tau.mean()))


@pytest.mark.slow
def test_refutations_pass_on_a_sound_analysis() -> None:
    t, y, x, _ = confounded(800, seed=3)
    result = estimate_effect(t, y, x)
    names = {r.name for r in result.refutations}
    assert names == {"placebo_treatment", "random_common_cause", "data_subset"}
    assert result.passed_refutations
    placebo = next(r for r in result.refutations if r.name == "placebo_treatment")
    assert abs(placebo.detail["effect"]) < abs(result.estimate) / 3


@pytest.mark.parametrize(
    ("t", "message"),
    [
        (np.r_[np.zeros(30), np.full(30, 2.0)], "binary"),
        (np.ones(60), "no variation"),
        (np.r_[np.zeros(55), np.ones(5)], "too few"),
    ],
)
def test_data_that_cannot_support_an_estimate_is_refused(t: np.ndarray, message: str) -> None:
    with pytest.raises(EffectDataError, match=message):
        estimate_effect(t, np.arange(t.shape[0], dtype=float), None, refute=False)


def test_simulated_course_is_recovered_and_the_naive_comparison_is_biased() -> None:
    cohort = simulate_programme(generate_ecosystem(SimulationConfig(creators=1500), seed=5), ProgrammeDesign.course())
    planted = cohort.planted(Outcome.FOLLOWER_GROWTH)
    result = estimate_effect(cohort.enrolled, cohort.follower_growth, cohort.covariates(), refute=False)
    assert result.interval.contains(planted)
    assert cohort.naive(Outcome.FOLLOWER_GROWTH) > 1.5 * planted


@pytest.mark.slow
def test_conditional_effect_follows_the_heterogeneity() -> None:
    t, y, x, tau = confounded(1200, seed=6)
    model = fit_conditional_effect(t, y, x)
    grid = np.column_stack([np.full(5, 0.5), np.linspace(0, 1, 5), np.full(5, 0.5)])
    predicted = model.effect(grid)
    assert predicted[-1] - predicted[0] > 1.0  # the planted slope along x1 is 2
    assert np.sqrt(np.mean((model.effect(x) - tau) ** 2)) < 0.5
