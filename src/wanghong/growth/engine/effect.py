"""Average effect of a programme (ATE or ATT) with an honest interval and three refutation checks.

The estimator is EconML's `CausalForestDML` with a binary treatment: outcome and propensity are learned by
LightGBM with cross-fitting, the effect by an honest causal forest, and the average is the forest's *doubly robust*
average of out-of-bag scores, θ(x) + (y − ŷ − θ(x)(t − ê))(t − ê)/(ê(1 − ê)) (Athey, Tibshirani & Wager's GRF
recipe). It stays consistent when either the outcome or the propensity model is right, and its standard error is the
scores' spread over √n. The ATT averages the same scores over the treated rows only: each score has the unit's own
effect as its expectation, so the mean over the treated estimates the mean effect on the treated.

The refutations follow DoWhy's three standard refuters, run on this same estimator rather than through DoWhy's
wrapper (which would average `effect(X)` and lose the doubly robust correction):

* **placebo treatment**: the treatment column permuted; a sound analysis finds no effect (its interval covers 0);
* **random common cause**: an independent random covariate added; the estimate must not move (the new interval
  still holds the original estimate);
* **data subset**: refitted on a random 80% of the rows; the estimate must be stable in the same sense.

A naive difference of means always comes with the estimate, never alone, so the gap between the two is visible.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import norm

FloatArray = npt.NDArray[np.float64]

METHOD = "econml.dml.CausalForestDML (cross-fitted LightGBM nuisances, doubly robust average of forest scores)"
SUBSET_FRACTION = 0.8
MIN_ROWS_PER_GROUP = 10


class Estimand(StrEnum):
    ATE = "ate"  # average treatment effect over everyone
    ATT = "att"  # average treatment effect on the treated (those who enrolled)


class EffectDataError(ValueError):
    """The data cannot support an effect estimate (too few rows in a group, no variation in treatment)."""


@dataclass(frozen=True)
class Interval:
    estimate: float
    stderr: float
    ci_low: float
    ci_high: float

    def contains(self, value: float) -> bool:
        return self.ci_low <= value <= self.ci_high

    @property
    def p_value(self) -> float:
        """Two-sided p-value of "no effect" under the normal approximation the interval uses."""
        if self.stderr <= 0:
            return 0.0 if self.estimate != 0 else 1.0
        return float(2.0 * norm.sf(abs(self.estimate) / self.stderr))


@dataclass(frozen=True)
class Refutation:
    """One refutation check: did the estimate behave as a sound analysis should, and the numbers that say so."""

    name: str
    passed: bool
    detail: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, **self.detail}


@dataclass(frozen=True)
class EffectEstimate:
    estimand: Estimand
    interval: Interval
    naive: float  # difference of outcome means, treated minus untreated: biased whenever enrolment self-selects
    rows: int
    treated: int
    confidence: float
    method: str = METHOD
    refutations: tuple[Refutation, ...] = ()

    @property
    def estimate(self) -> float:
        return self.interval.estimate

    @property
    def passed_refutations(self) -> bool:
        return all(r.passed for r in self.refutations)


@dataclass(frozen=True)
class EstimatorSettings:
    """Sizes of the nuisance models and the forest: defaults keep 10k rows to a few seconds per fit."""

    folds: int = 3
    boosting_rounds: int = 100
    learning_rate: float = 0.1
    leaves: int = 15
    trees: int = 100  # a multiple of the forest's sub-forest size (4)
    # Each tree sees about 2,000 rows at most and stops at leaves of n/250: the doubly robust average hardly
    # depends on the forest's fine detail, and this keeps a fit of 10k rows near a second.
    rows_per_tree: int = 2000
    leaf_share: float = 1 / 250


def estimate_effect(
    treatment: npt.ArrayLike,
    outcome: npt.ArrayLike,
    covariates: npt.ArrayLike | None = None,
    *,
    estimand: Estimand | str = Estimand.ATE,
    confidence: float = 0.95,
    refute: bool = True,
    seed: int = 0,
    settings: EstimatorSettings | None = None,
) -> EffectEstimate:
    """The programme's average effect on `outcome`, its interval and (when `refute`) the three refutations.

    `treatment` holds 0/1 per row, `covariates` is an (n, k) matrix of what was known before enrolment (k may
    be 0). Rows must be complete: the caller decides and reports what to drop.
    """
    t = np.asarray(treatment, dtype=np.float64).ravel()
    y = np.asarray(outcome, dtype=np.float64).ravel()
    x = _covariate_matrix(covariates, t.shape[0])
    which = Estimand(estimand)
    _check(t, y, x)
    config = settings or EstimatorSettings()
    z = float(norm.ppf(0.5 + confidence / 2.0))
    main = _fit(t, y, x, which, z, seed, config)
    naive = float(y[t == 1].mean() - y[t == 0].mean())
    refutations = _refute(t, y, x, which, z, seed, config, main) if refute else ()
    return EffectEstimate(
        estimand=which,
        interval=main,
        naive=naive,
        rows=int(t.shape[0]),
        treated=int(t.sum()),
        confidence=confidence,
        refutations=refutations,
    )


def _covariate_matrix(covariates: npt.ArrayLike | None, n: int) -> FloatArray:
    if covariates is None:
        return np.zeros((n, 0))
    x = np.asarray(covariates, dtype=np.float64)
    return x.reshape(n, -1) if x.ndim != 2 else x


def _check(t: FloatArray, y: FloatArray, x: FloatArray) -> None:
    if not (t.shape[0] == y.shape[0] == x.shape[0]):
        raise EffectDataError(
            f"treatment, outcome and covariates differ in length: {t.shape[0]}, {y.shape[0]}, {x.shape[0]}"
        )
    if not np.all((t == 0) | (t == 1)):
        raise EffectDataError("treatment must be binary, 0 or 1")
    if not (np.isfinite(y).all() and np.isfinite(x).all()):
        raise EffectDataError("outcome and covariates must be finite numbers (drop or fill missing rows first)")
    treated = int(t.sum())
    untreated = int(t.shape[0] - treated)
    if treated == 0 or untreated == 0:
        raise EffectDataError(
            "treatment has no variation: every row is " + ("treated" if untreated == 0 else "untreated")
        )
    if min(treated, untreated) < MIN_ROWS_PER_GROUP:
        raise EffectDataError(
            f"too few rows to estimate an effect: {treated} treated and {untreated} untreated "
            f"(at least {MIN_ROWS_PER_GROUP} of each are needed)"
        )


def _fit(
    t: FloatArray, y: FloatArray, x: FloatArray, estimand: Estimand, z: float, seed: int, config: EstimatorSettings
) -> Interval:
    from econml.dml import CausalForestDML
    from lightgbm import LGBMClassifier, LGBMRegressor

    # The forest needs at least one feature to split on; a constant column gives a constant effect, and the
    # doubly robust average then reduces to the augmented IPW estimate with a constant propensity.
    n = t.shape[0]
    features = x if x.shape[1] else np.ones((n, 1))
    boosting: dict[str, Any] = {
        "n_estimators": config.boosting_rounds,
        "learning_rate": config.learning_rate,
        "num_leaves": config.leaves,
        "min_child_samples": max(5, min(20, n // 50)),
        "subsample": 0.8,
        "subsample_freq": 1,
        "colsample_bytree": 0.8,
        "random_state": seed,
        "verbose": -1,
        "n_jobs": 1,  # threads fight over a shared machine's cores; the folds are small enough for one each
    }
    model = CausalForestDML(
        model_y=LGBMRegressor(**boosting),
        model_t=LGBMClassifier(**boosting),
        discrete_treatment=True,
        cv=config.folds,
        n_estimators=config.trees,
        max_samples=min(0.45, max(0.05, config.rows_per_tree / n)),
        min_samples_leaf=max(5, round(config.leaf_share * n)),
        honest=True,
        inference=True,
        drate=True,
        n_jobs=1,  # joblib worker processes cost more to start than these forests take to grow
        random_state=seed,
    )
    with warnings.catch_warnings():
        # LightGBM's feature-name notice and econml's out-of-bag notice on tiny data sets say nothing actionable.
        warnings.simplefilter("ignore")
        model.fit(y, t.astype(np.int64), X=features)
    if estimand is Estimand.ATT:
        point, stderr = float(np.ravel(model.att_(T=1))[0]), float(np.ravel(model.att_stderr_(T=1))[0])
    else:
        point, stderr = float(np.ravel(model.ate_)[0]), float(np.ravel(model.ate_stderr_)[0])
    return Interval(estimate=point, stderr=stderr, ci_low=point - z * stderr, ci_high=point + z * stderr)


def _refute(
    t: FloatArray,
    y: FloatArray,
    x: FloatArray,
    estimand: Estimand,
    z: float,
    seed: int,
    config: EstimatorSettings,
    main: Interval,
) -> tuple[Refutation, ...]:
    rng = np.random.default_rng(seed + 1)
    placebo = _fit(rng.permutation(t), y, x, estimand, z, seed, config)
    noisy = _fit(t, y, np.column_stack([x, rng.standard_normal(t.shape[0])]), estimand, z, seed, config)
    subset = _stratified_subset(rng, t, SUBSET_FRACTION)
    part = _fit(t[subset], y[subset], x[subset], estimand, z, seed, config)
    return (
        Refutation(
            "placebo_treatment",
            passed=placebo.contains(0.0),
            detail={
                "effect": placebo.estimate,
                "ci_low": placebo.ci_low,
                "ci_high": placebo.ci_high,
                "p_value": placebo.p_value,
            },
        ),
        _stability("random_common_cause", main, noisy),
        _stability("data_subset", main, part, fraction=SUBSET_FRACTION),
    )


def _stability(name: str, main: Interval, refit: Interval, **extra: float) -> Refutation:
    return Refutation(
        name,
        passed=refit.contains(main.estimate),
        detail={
            "effect": refit.estimate,
            "ci_low": refit.ci_low,
            "ci_high": refit.ci_high,
            "change": refit.estimate - main.estimate,
            "change_in_stderr": (refit.estimate - main.estimate) / main.stderr if main.stderr > 0 else 0.0,
            **extra,
        },
    )


def _stratified_subset(rng: np.random.Generator, t: FloatArray, fraction: float) -> npt.NDArray[np.intp]:
    """A random `fraction` of the treated and of the untreated rows, so a small group never vanishes."""
    chosen = [
        rng.choice(group, size=max(MIN_ROWS_PER_GROUP, round(fraction * group.shape[0])), replace=False)
        for group in (np.flatnonzero(t == 1), np.flatnonzero(t == 0))
    ]
    return np.sort(np.concatenate(chosen))
