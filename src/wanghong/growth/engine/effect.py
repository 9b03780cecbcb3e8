"""Average effect of a programme (ATE or ATT) with an honest interval and three refutation checks.

**ATE**: EconML's `CausalForestDML` with a binary treatment: outcome and propensity learned by LightGBM with
cross-fitting, the effect by an honest causal forest, and the average is the forest's doubly robust average of
out-of-bag scores, θ(x) + (y − ŷ − θ(x)(t − ê))(t − ê)/(ê(1 − ê)) (the GRF recipe); its standard error is the scores'
spread over √n. Issue 16's simulator goal (20 seeds) was measured with it; the ATT's estimator below, used for the
ATE too, covered the planted follower growth in only 16 of 20 seeds (`bench/growth.py`), so the ATE keeps the forest.

**ATT**: DoubleML's interactive regression model (`DoubleMLIRM`, score "ATTE") on stratified cross-fitting folds,
[t(y − m₀) − (1 − t) ê/(1 − ê)(y − m₀)] / P(t = 1): it weighs the controls by their odds of enrolling, so the treated
are compared with the controls that resemble them, and it stays consistent when either m₀ or ê is right. (Averaging
the ATE's scores over the treated instead rests on the outcome model alone wherever few controls resemble them.)
The propensity is an L2 logistic regression on standardised covariates whose penalty is chosen by 5-fold
cross-validated log-loss. A flexible classifier (boosted trees) separates the groups almost perfectly when the
controls come from another population, as in LaLonde's NSW treated against CPS controls: its propensities reach
0.98, the weights ê/(1 − ê) explode and the interval spans ±$3,000 or more around a $1,800 effect.
Propensities are clipped to [`clip`, 1 − `clip`]; how many rows were clipped, the two groups' propensity ranges and
the effective number of weighted controls are reported (`Overlap`) so poor overlap is visible, not hidden.
The outcome model is chosen per arm and fold by 3-fold cross-validation between ridge regression and LightGBM.

The refutations follow DoWhy's three standard refuters, run on this same estimator:

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

ATE_METHOD = "econml.dml.CausalForestDML (cross-fitted LightGBM nuisances, doubly robust average of forest scores)"
ATT_METHOD = (
    "doubleml.DoubleMLIRM ATTE (doubly robust score; cross-fitted L2 logistic propensity with CV-chosen penalty, "
    "clipped; outcome CV-selected between ridge and LightGBM)"
)
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
class Overlap:
    """How well the groups overlap in their cross-fitted propensity, and how much clipping the estimate needed."""

    treated_range: tuple[float, float]  # (min, max) propensity among the treated, after clipping
    control_range: tuple[float, float]
    clip: float  # propensities were clipped to [clip, 1 − clip]
    clipped_low: int  # rows whose propensity was raised to `clip` (matters to the ATE's treated weights)
    clipped_high: int  # rows lowered to 1 − clip: the controls the ATT would otherwise weigh without bound
    effective_controls: float  # Kish's (Σw)²/Σw² of the controls' weights ê/(1 − ê)

    def as_dict(self) -> dict[str, float | int | list[float]]:
        return {
            "treated_propensity": list(self.treated_range),
            "control_propensity": list(self.control_range),
            "clip": self.clip,
            "clipped_low": self.clipped_low,
            "clipped_high": self.clipped_high,
            "effective_controls": self.effective_controls,
        }


@dataclass(frozen=True)
class EffectEstimate:
    estimand: Estimand
    interval: Interval
    naive: float  # difference of outcome means, treated minus untreated: biased whenever enrolment self-selects
    rows: int
    treated: int
    confidence: float
    overlap: Overlap | None  # the ATT's propensity report; the ATE's forest keeps its propensities to itself
    method: str = ATE_METHOD
    refutations: tuple[Refutation, ...] = ()

    @property
    def estimate(self) -> float:
        return self.interval.estimate

    @property
    def passed_refutations(self) -> bool:
        return all(r.passed for r in self.refutations)


@dataclass(frozen=True)
class EstimatorSettings:
    """Cross-fitting and nuisance sizes: the defaults fit 16k rows (LaLonde's CPS sample) in about half a minute."""

    folds: int = 5  # the ATT's cross-fitting
    clip: float = 0.01  # DoubleML's default; trims weights at 99 (ATT) and 100 (ATE) without dropping rows
    penalties: int = 11  # candidate L2 penalties C for the propensity, log-spaced over 1e-3 … 1e2
    boosting_rounds: int = 200
    learning_rate: float = 0.05
    leaves: int = 15
    # The ATE's causal forest and its LightGBM nuisances, as issue 16's simulator goal was measured with.
    forest_folds: int = 3
    forest_boosting_rounds: int = 100
    forest_learning_rate: float = 0.1
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
    main, overlap = _fit(t, y, x, which, z, seed, config)
    naive = float(y[t == 1].mean() - y[t == 0].mean())
    refutations = _refute(t, y, x, which, z, seed, config, main) if refute else ()
    return EffectEstimate(
        estimand=which,
        interval=main,
        naive=naive,
        rows=int(t.shape[0]),
        treated=int(t.sum()),
        confidence=confidence,
        overlap=overlap,
        method=ATT_METHOD if which is Estimand.ATT else ATE_METHOD,
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
) -> tuple[Interval, Overlap | None]:
    if estimand is Estimand.ATT:
        return _fit_att(t, y, x, z, seed, config)
    return _fit_forest(t, y, x, z, seed, config), None


def _fit_forest(
    t: FloatArray, y: FloatArray, x: FloatArray, z: float, seed: int, config: EstimatorSettings
) -> Interval:
    from econml.dml import CausalForestDML
    from lightgbm import LGBMClassifier, LGBMRegressor

    # The forest needs at least one feature to split on; a constant column gives a constant effect, and the
    # doubly robust average then reduces to the augmented IPW estimate with a constant propensity.
    n = t.shape[0]
    features = x if x.shape[1] else np.ones((n, 1))
    boosting: dict[str, Any] = {
        "n_estimators": config.forest_boosting_rounds,
        "learning_rate": config.forest_learning_rate,
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
        cv=config.forest_folds,
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
    point, stderr = float(np.ravel(model.ate_)[0]), float(np.ravel(model.ate_stderr_)[0])
    return Interval(estimate=point, stderr=stderr, ci_low=point - z * stderr, ci_high=point + z * stderr)


def _fit_att(
    t: FloatArray, y: FloatArray, x: FloatArray, z: float, seed: int, config: EstimatorSettings
) -> tuple[Interval, Overlap]:
    import doubleml
    from doubleml.utils.propensity_score_processing import PSProcessorConfig
    from sklearn.model_selection import StratifiedKFold

    # Without covariates a constant column stands in: the propensity is then the treated share and the estimate
    # the difference of means, with the same interval machinery.
    features = x if x.shape[1] else np.ones((t.shape[0], 1))
    data = doubleml.DoubleMLData.from_arrays(features, y, t)
    model = doubleml.DoubleMLIRM(
        data,
        ml_g=_outcome_model(seed, config),
        ml_m=_propensity_model(config),
        n_folds=config.folds,
        score="ATTE",
        ps_processor_config=PSProcessorConfig(clipping_threshold=config.clip),
        draw_sample_splitting=False,
    )
    # Stratified folds: DoubleML's own plain K-fold can leave a fold's training part with too few treated rows
    # for the propensity's inner cross-validation when the treated are a small minority.
    folds = StratifiedKFold(config.folds, shuffle=True, random_state=seed).split(features, t)
    model.set_sample_splitting([list(folds)])
    with warnings.catch_warnings():
        # LightGBM's feature-name notice and a slow-converging penalty on one fold say nothing actionable.
        warnings.simplefilter("ignore")
        model.fit(store_predictions=True)
    point, stderr = float(model.coef[0]), float(model.se[0])
    interval = Interval(estimate=point, stderr=stderr, ci_low=point - z * stderr, ci_high=point + z * stderr)
    return interval, _overlap(t, np.asarray(model.predictions["ml_m"], dtype=np.float64)[:, 0, 0], config)


def _propensity_model(config: EstimatorSettings) -> Any:
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(
        StandardScaler(),
        # Newton steps on the Cholesky factor: a handful of covariates and any number of rows converge in a few
        # iterations even at the weakest penalty, where lbfgs needs thousands.
        LogisticRegressionCV(
            Cs=np.logspace(-3, 2, config.penalties), cv=5, scoring="neg_log_loss", solver="newton-cholesky"
        ),
    )


def _outcome_model(seed: int, config: EstimatorSettings) -> Any:
    from lightgbm import LGBMRegressor
    from sklearn.linear_model import RidgeCV
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    candidates = [
        RidgeCV(alphas=np.logspace(-2, 4, 13)),
        LGBMRegressor(
            n_estimators=config.boosting_rounds,
            learning_rate=config.learning_rate,
            num_leaves=config.leaves,
            min_child_samples=20,
            subsample=0.8,
            subsample_freq=1,
            random_state=seed,
            verbose=-1,
            n_jobs=1,  # threads fight over a shared machine's cores; the folds are small enough for one each
        ),
    ]
    return GridSearchCV(
        Pipeline([("scale", StandardScaler()), ("model", candidates[0])]),
        {"model": candidates},
        cv=3,
        scoring="neg_mean_squared_error",
    )


def _overlap(t: FloatArray, propensity: FloatArray, config: EstimatorSettings) -> Overlap:
    """The report on DoubleML's stored propensities, which are already clipped: a clipped row sits on the bound."""
    treated, controls = propensity[t == 1], propensity[t == 0]
    weights = controls / (1.0 - controls)
    low, high = config.clip * (1 + 1e-9), 1.0 - config.clip * (1 + 1e-9)
    return Overlap(
        treated_range=(float(treated.min()), float(treated.max())),
        control_range=(float(controls.min()), float(controls.max())),
        clip=config.clip,
        clipped_low=int((propensity <= low).sum()),
        clipped_high=int((propensity >= high).sum()),
        effective_controls=float(weights.sum() ** 2 / (weights**2).sum()),
    )


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
    placebo, _ = _fit(rng.permutation(t), y, x, estimand, z, seed, config)
    noisy, _ = _fit(t, y, np.column_stack([x, rng.standard_normal(t.shape[0])]), estimand, z, seed, config)
    subset = _stratified_subset(rng, t, SUBSET_FRACTION)
    part, _ = _fit(t[subset], y[subset], x[subset], estimand, z, seed, config)
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
