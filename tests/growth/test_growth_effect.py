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


def shifted_controls(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """A small treated group against a large control population centred elsewhere (LaLonde's NSW against CPS)."""
    rng = np.random.default_rng(seed)
    n_treated, n_controls = 150, 3000
    x = np.r_[rng.normal(1.5, 1.0, (n_treated, 2)), rng.normal(0.0, 1.0, (n_controls, 2))]
    t = np.r_[np.ones(n_treated), np.zeros(n_controls)]
    tau = 1.0 + 0.5 * x[:, 0]
    y = tau * t + 3.0 * x[:, 0] + np.sin(2.0 * x[:, 1]) + rng.normal(0, 1, t.shape[0])
    return t, y, x, float(tau[t == 1].mean())


def test_att_against_a_distant_control_population_is_recovered_and_its_overlap_reported() -> None:
    t, y, x, planted = shifted_controls(seed=7)
    result = estimate_effect(t, y, x, estimand="att", refute=False)
    assert result.interval.contains(planted)
    assert result.interval.ci_high - result.interval.ci_low < 1.0  # bounded weights keep the interval useful
    overlap = result.overlap
    assert overlap is not None
    assert overlap.treated_range[1] > overlap.control_range[0]
    # Most controls look nothing like the treated: their propensity sits on the lower clip.
    assert overlap.control_range[0] == pytest.approx(0.01)
    assert overlap.treated_range[1] > 0.3
    assert overlap.clipped_low > 1000
    # The weighted controls count for far fewer than the 3,000 rows: the comparison rests on those like the treated.
    assert 20 < overlap.effective_controls < 1000


def test_propensities_beyond_the_clip_are_counted() -> None:
    rng = np.random.default_rng(8)
    x = rng.normal(0, 1, (600, 1))
    t = (x[:, 0] + rng.normal(0, 0.1, 600) > 0).astype(float)  # almost a deterministic assignment
    y = 2.0 * t + x[:, 0] + rng.normal(0, 1, 600)
    overlap = estimate_effect(t, y, x, estimand="att", refute=False).overlap
    assert overlap is not None
    assert overlap.clipped_low > 0 and overlap.clipped_high > 0
    assert overlap.clip == 0.01
    assert overlap.control_range[1] <= 1.0 and overlap.treated_range[0] >= 0.0
