"""The simulator's causal model of growth programmes: self-selection, a heterogeneous planted effect, seeding."""

from __future__ import annotations

import numpy as np
import pytest

from wanghong.simulator.engine import SimulationConfig, generate_ecosystem
from wanghong.simulator.engine.programmes import Outcome, ProgrammeDesign, simulate_programme


@pytest.fixture(scope="module")
def ecosystem():  # type: ignore[no-untyped-def]
    return generate_ecosystem(SimulationConfig(creators=800), seed=11)


def test_motivated_creators_enrol_more_and_the_naive_comparison_overstates(ecosystem) -> None:  # type: ignore[no-untyped-def]
    cohort = simulate_programme(ecosystem, ProgrammeDesign.course())
    enrolled = cohort.enrolled == 1
    assert cohort.posts_per_week[enrolled].mean() > cohort.posts_per_week[~enrolled].mean()
    assert cohort.prior_growth[enrolled].mean() > cohort.prior_growth[~enrolled].mean()
    assert cohort.naive(Outcome.FOLLOWER_GROWTH) > 1.5 * cohort.planted(Outcome.FOLLOWER_GROWTH)


def test_planted_growth_effect_is_larger_for_small_accounts(ecosystem) -> None:  # type: ignore[no-untyped-def]
    cohort = simulate_programme(ecosystem)
    small = cohort.log_followers < 4
    assert cohort.growth_effect[small].mean() > cohort.growth_effect[~small].mean()
    assert cohort.planted(Outcome.FOLLOWER_GROWTH, "att") != cohort.planted(Outcome.FOLLOWER_GROWTH, "ate")


def test_incentive_recruits_creators_whose_income_is_falling(ecosystem) -> None:  # type: ignore[no-untyped-def]
    cohort = simulate_programme(ecosystem, ProgrammeDesign.incentive())
    enrolled = cohort.enrolled == 1
    assert cohort.income_trend[enrolled].mean() < cohort.income_trend[~enrolled].mean()


def test_same_seed_same_cohort_and_only_eligible_creators(ecosystem) -> None:  # type: ignore[no-untyped-def]
    a, b = simulate_programme(ecosystem, seed=3), simulate_programme(ecosystem, seed=3)
    c = simulate_programme(ecosystem, seed=4)
    assert np.array_equal(a.enrolled, b.enrolled) and np.array_equal(a.monthly_income, b.monthly_income)
    assert not np.array_equal(a.enrolled, c.enrolled)
    assert (ecosystem.creators.followers[a.creator_id] < ProgrammeDesign().max_followers).all()
    assert set(a.columns()) >= {"enrolled", "follower_growth", "monthly_income", *a.COVARIATES}
    assert a.covariates().shape == (len(a), len(a.COVARIATES))
