"""Who benefits how much: the conditional effect τ(x) of a programme, for per-creator and per-segment views.

A T-learner (EconML's `metalearners.TLearner`): one outcome model per arm, each chosen by 3-fold cross-validation
among a ridge regression, a log-link GLM (creator outcomes such as followers and income grow multiplicatively) and
LightGBM; τ(x) is the difference of the two predictions. On IHDP (the econml wheel's semi-synthetic benchmark,
response surface B) this halves the out-of-sample error of a LightGBM T-learner: see `bench/growth.py`.
The averages with intervals come from `effect.estimate_effect`; this model gives the shape, not the interval.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from wanghong.growth.engine.effect import FloatArray


@dataclass(frozen=True)
class ConditionalEffect:
    """A fitted τ(x); `effect(x)` predicts it for new rows with the same covariate columns."""

    model: Any

    def effect(self, covariates: npt.ArrayLike) -> FloatArray:
        return np.asarray(self.model.effect(np.asarray(covariates, dtype=np.float64)), dtype=np.float64).ravel()


def _outcome_model(seed: int) -> Any:
    from lightgbm import LGBMRegressor
    from sklearn.linear_model import RidgeCV, TweedieRegressor
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    candidates = [
        RidgeCV(alphas=np.logspace(-2, 3, 11)),
        # Normal errors with a log link: a multiplicative mean that still allows negative observed outcomes.
        *(TweedieRegressor(power=0, link="log", alpha=a, max_iter=2000) for a in (1e-3, 1e-2)),
        LGBMRegressor(
            n_estimators=150, learning_rate=0.05, min_child_samples=10, random_state=seed, verbose=-1, n_jobs=1
        ),
    ]
    return GridSearchCV(
        Pipeline([("scale", StandardScaler()), ("model", candidates[0])]),
        {"model": candidates},
        cv=3,
        scoring="neg_mean_squared_error",
        error_score=-np.inf,  # a GLM that cannot fit a fold simply loses the selection
    )


def fit_conditional_effect(
    treatment: npt.ArrayLike, outcome: npt.ArrayLike, covariates: npt.ArrayLike, *, seed: int = 0
) -> ConditionalEffect:
    from econml.metalearners import TLearner

    t = np.asarray(treatment, dtype=np.int64).ravel()
    y = np.asarray(outcome, dtype=np.float64).ravel()
    x = np.asarray(covariates, dtype=np.float64)
    learner = TLearner(models=_outcome_model(seed))
    with warnings.catch_warnings():
        # A log-link GLM that diverges on one fold warns before it is out-selected; nothing to act on.
        warnings.simplefilter("ignore")
        learner.fit(y, t, X=x)
    return ConditionalEffect(learner)
