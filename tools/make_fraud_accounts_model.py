"""Refit the shipped fake-account model, ``src/wanghong/fraud/engine/data/accounts_model.npz``.

Run from the repository root:  ``.venv/bin/python tools/make_fraud_accounts_model.py``

It trains LightGBM with monotone constraints on the generative population of ``wanghong.fraud.engine.population``
(fixed seeds, single thread, deterministic), fits Platt scaling on a second generated sample, checks that the
flattened numpy trees reproduce LightGBM's raw scores, and writes the arrays. No real labelled accounts are used.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from wanghong.fraud.engine.accounts import MODEL_RESOURCE, MONOTONE, AccountModel, account_features
from wanghong.fraud.engine.population import generate_population
from wanghong.fraud.engine.trees import TreeEnsemble

TRAIN_SEED, CALIBRATION_SEED, CHECK_SEED = 17, 18, 19
TRAIN_SIZE, CALIBRATION_SIZE, CHECK_SIZE = 200_000, 100_000, 100_000
PARAMS = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 15,
    "max_depth": 4,  # shallow trees: scoring cost grows with depth (numpy evaluates one level per step)
    "min_data_in_leaf": 200,
    "lambda_l2": 1.0,
    "monotone_constraints": list(MONOTONE),
    "monotone_constraints_method": "advanced",
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "seed": TRAIN_SEED,
    "verbose": -1,
}
ROUNDS = 150


def fit() -> AccountModel:
    train = generate_population(TRAIN_SIZE, TRAIN_SEED)
    booster = lgb.train(PARAMS, lgb.Dataset(account_features(train.accounts), train.is_fake), num_boost_round=ROUNDS)
    trees = TreeEnsemble.from_lightgbm_dump(booster.dump_model())

    calibration = generate_population(CALIBRATION_SIZE, CALIBRATION_SEED)
    margin = trees.margin(account_features(calibration.accounts))
    np.testing.assert_allclose(
        margin, booster.predict(account_features(calibration.accounts), raw_score=True), atol=1e-9
    )
    platt = LogisticRegression(C=1e6).fit(margin[:, None], calibration.is_fake)
    return AccountModel(trees, float(platt.coef_[0, 0]), float(platt.intercept_[0]))


def main() -> int:
    model = fit()
    check = generate_population(CHECK_SIZE, CHECK_SEED)
    probability = model.fake_probability(check.accounts)
    predicted = probability >= 0.5
    tp = int((predicted & (check.is_fake == 1)).sum())
    f1 = 2 * tp / (predicted.sum() + check.is_fake.sum())
    print(f"generated check set: ROC-AUC {roc_auc_score(check.is_fake, probability):.4f}, F1@0.5 {f1:.4f}")
    target = Path(__file__).resolve().parents[1] / "src" / "wanghong" / "fraud" / "engine" / MODEL_RESOURCE
    target.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, Any] = model.to_arrays()
    np.savez_compressed(target, **arrays)
    print(f"wrote {target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
