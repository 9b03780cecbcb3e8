"""Growth's pure core: the grading formula with hysteresis, concentration indices and causal effect estimation."""

from wanghong.growth.engine.concentration import Concentration, concentration
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
    "Concentration",
    "ConditionalEffect",
    "Criterion",
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
    "Refutation",
    "concentration",
    "estimate_effect",
    "explain",
    "fit_conditional_effect",
    "grade_history",
    "grade_month",
]
