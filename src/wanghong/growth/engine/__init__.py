"""Growth's pure core: the grading formula with hysteresis, concentration indices and causal effect estimation, and
the long-run loop of feed exposure, followers and tipping income (`dynamics`)."""

from wanghong.growth.engine.concentration import Concentration, concentration
from wanghong.growth.engine.dynamics import (
    Allocation,
    DynamicsConfig,
    DynamicsInputError,
    DynamicsReport,
    PolicyRun,
    TierOutcome,
    simulate_dynamics,
)
from wanghong.growth.engine.effect import (
    EffectDataError,
    EffectEstimate,
    Estimand,
    EstimatorSettings,
    Interval,
    Refutation,
    estimate_effect,
)
from wanghong.growth.engine.grading import (
    Criterion,
    Explanation,
    GradingPolicy,
    Indicators,
    Lever,
    MonthGrade,
    explain,
    grade_history,
    grade_month,
)
from wanghong.growth.engine.heterogeneity import ConditionalEffect, fit_conditional_effect

__all__ = [
    "Allocation",
    "Concentration",
    "ConditionalEffect",
    "Criterion",
    "DynamicsConfig",
    "DynamicsInputError",
    "DynamicsReport",
    "EffectDataError",
    "EffectEstimate",
    "Estimand",
    "EstimatorSettings",
    "Explanation",
    "GradingPolicy",
    "Indicators",
    "Interval",
    "Lever",
    "MonthGrade",
    "PolicyRun",
    "Refutation",
    "TierOutcome",
    "concentration",
    "estimate_effect",
    "explain",
    "fit_conditional_effect",
    "grade_history",
    "grade_month",
    "simulate_dynamics",
]
