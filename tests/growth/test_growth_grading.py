"""星火计划 grading: monotone published score, hysteresis, explanations, stability under noise; CR5 and HHI."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy.stats import kendalltau

from wanghong.domain import McnTier
from wanghong.growth.engine import GradingPolicy, Indicators, concentration, explain, grade_history

POLICY = GradingPolicy()
GOOD = Indicators(
    gmv=5e7, follower_growth=0.04, originality=0.95, violation_rate=0.02, complaint_rate=1.0, retention=0.9
)


def agencies(rng: np.random.Generator, n: int) -> list[Indicators]:
    """A spread of agencies like a platform's: GMV over orders of magnitude, the rest around typical values."""
    return [
        Indicators(
            gmv=float(10 ** rng.uniform(5, 9)),
            follower_growth=float(rng.normal(0.03, 0.025)),
            originality=float(rng.uniform(0.7, 1.0)),
            violation_rate=float(rng.uniform(0.0, 0.3)),
            complaint_rate=float(rng.uniform(0.0, 10.0)),
            retention=float(rng.uniform(0.5, 1.0)),
        )
        for _ in range(n)
    ]


def jitter(rng: np.random.Generator, a: Indicators, spread: float) -> Indicators:
    values = {f.name: getattr(a, f.name) * (1 + rng.uniform(-spread, spread)) for f in dataclasses.fields(a)}
    return Indicators(**values)


@pytest.mark.parametrize(
    ("indicator", "better"),
    [
        ("gmv", 2e8),
        ("follower_growth", 0.06),
        ("originality", 0.99),
        ("violation_rate", 0.0),
        ("complaint_rate", 0.2),
        ("retention", 0.97),
    ],
)
def test_score_rises_when_any_one_indicator_improves(indicator: str, better: float) -> None:
    improved = dataclasses.replace(GOOD, **{indicator: better})
    assert POLICY.score(improved) > POLICY.score(GOOD)


def test_scores_are_bounded_and_weights_must_be_monotone() -> None:
    worst = Indicators(gmv=0, follower_growth=-1, originality=0, violation_rate=5, complaint_rate=99, retention=0)
    best = Indicators(gmv=1e12, follower_growth=1, originality=1, violation_rate=0, complaint_rate=0, retention=1)
    assert POLICY.score(worst) == 0.0
    assert POLICY.score(best) == pytest.approx(100.0)
    negative = (dataclasses.replace(POLICY.criteria[0], weight=-0.3), *POLICY.criteria[1:])
    with pytest.raises(ValueError, match="non-negative"):
        GradingPolicy(criteria=negative)


def test_a_score_wobbling_around_a_threshold_keeps_its_grade() -> None:
    cut = POLICY.cut_of(McnTier.A)
    assert cut is not None
    wobble = [cut + d for d in (0.5, -1.0, 1.5, -2.0, 0.3, -0.4)]
    grades, previous = [], None
    for score in wobble:
        previous = POLICY.grade(score, previous)
        grades.append(previous)
    assert set(grades) == {McnTier.A}
    # A clear fall is still a fall.
    assert POLICY.grade(cut - POLICY.margin - 0.1, McnTier.A) is McnTier.B


def test_history_feeds_each_month_into_the_next() -> None:
    slipping = dataclasses.replace(GOOD, gmv=2e6, retention=0.7)
    history = grade_history(POLICY, [{"m1": GOOD}, {"m1": slipping}, {"m1": GOOD}])
    assert [month[0].previous for month in history] == [None, history[0][0].grade, history[1][0].grade]
    assert POLICY.order[history[1][0].grade] > POLICY.order[history[0][0].grade]


def test_each_lever_alone_lifts_the_agency_a_grade() -> None:
    middling = Indicators(
        gmv=3e6, follower_growth=0.02, originality=0.85, violation_rate=0.1, complaint_rate=4, retention=0.75
    )
    grade = POLICY.plain_grade(POLICY.score(middling))
    why = explain(POLICY, middling, grade)
    assert why.next_grade is not None and why.levers
    assert sum(why.contributions.values()) == pytest.approx(why.score)
    for lever in why.levers:
        moved = dataclasses.replace(middling, **{lever.indicator: lever.needed})
        assert POLICY.grade(POLICY.score(moved) + 1e-9, grade) is why.next_grade


def test_grades_are_stable_under_five_percent_noise_on_every_indicator() -> None:
    rng = np.random.default_rng(16)
    base = agencies(rng, 300)
    reference = [POLICY.score(a) for a in base]
    for _ in range(5):
        rerun = [POLICY.score(jitter(rng, a, 0.05)) for a in base]
        tau = kendalltau(reference, rerun).statistic
        assert tau >= 0.9


def test_concentration_of_known_shares() -> None:
    equal = concentration([1.0] * 10)
    assert equal.cr5 == pytest.approx(0.5)
    assert equal.hhi == pytest.approx(1000.0)
    assert equal.equivalent_agencies == pytest.approx(10.0)
    monopoly = concentration([5.0, 0.0, 0.0])
    assert (monopoly.cr5, monopoly.hhi, monopoly.agencies) == (1.0, 10_000.0, 1)
    with pytest.raises(ValueError):
        concentration([1.0, -2.0])
