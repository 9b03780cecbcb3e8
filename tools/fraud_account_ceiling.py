"""How far can the eight ``score-accounts`` fields go on a labelled set of real accounts? A diagnostic, not data.

Run from the repository root on a labelled set kept outside the project (neither has a licence to ship it):
InstaFake (Akyon & Kalfaoglu 2019: a folder with ``fakeAccountData.json`` and ``realAccountData.json``, ``data/
fake-v1.0`` of github.com/fcakyon/instafake-dataset) or Kaggle's "Instagram fake spammer genuine accounts"
(Bakhshandeh: a folder with its ``train.csv`` and ``test.csv``, or one such CSV)::

    .venv/bin/python tools/fraud_account_ceiling.py DATASET [--repeats 10] [--folds 5] [--transfer OTHER]

Supervised models are fitted **on that set itself**, in repeated stratified k-fold cross-validation, to bound what
any model of these fields can reach there — the shipped model is never trained on it, so the bound says whether a
goal such as F1 ≥ 0.90 is reachable from the fields at all. For each model it prints, averaged over repetitions
(every repetition's out-of-fold predictions pooled into one confusion matrix):

* ``auc`` — ROC-AUC;
* ``f1@0.5`` — F1 at probability 0.5;
* ``f1@inner`` — F1 at a cut chosen inside each training fold (the F1-best cut of an inner cross-validation on
  the training fold only): what a supervised model fitted on such data would really deliver;
* ``f1@oracle`` — F1 at the best single cut for the pooled test predictions, chosen with the test labels: an
  upper bound no honest procedure reaches;
* ``f1@fold-oracle`` — the mean over folds of each test fold's own best cut: looser still.

It also prints the shipped model's figures on the same set (no fitting) and how many accounts share all eight
fields with an account of the other label (a floor under every model's errors). ``--transfer OTHER`` fits each
model on all of DATASET and scores OTHER (the cut again chosen by cross-validation on DATASET): real labels from
one crawl standing in for the generator, the closest real analogue of "no training on the set scored";
``--repeats 0`` skips the cross-validation.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from wanghong.fraud.engine.accounts import MONOTONE, account_features, shipped_account_model
from wanghong.fraud.engine.population import AccountColumns

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Fit = Callable[[FloatArray, IntArray, FloatArray], FloatArray]  # (train X, train y, test X) -> test scores

INSTAFAKE_FIELDS = {  # AccountColumns field <- InstaFake key
    "followers": "userFollowerCount",
    "following": "userFollowingCount",
    "posts": "userMediaCount",
    "has_avatar": "userHasProfilPic",
    "is_private": "userIsPrivate",
    "bio_length": "userBiographyLength",
    "username_length": "usernameLength",
    "username_digits": "usernameDigitCount",
}


def load_instafake(folder: Path) -> tuple[AccountColumns, IntArray]:
    records = []
    for name in ("fakeAccountData.json", "realAccountData.json"):
        records.extend(json.loads((folder / name).read_text()))
    columns = AccountColumns(
        **{field: np.array([r[key] for r in records], dtype=np.int64) for field, key in INSTAFAKE_FIELDS.items()}
    )
    return columns, np.array([r["isFake"] for r in records], dtype=np.int64)


KAGGLE_FIELDS = {  # AccountColumns field <- column of the Kaggle "Instagram fake spammer genuine accounts" set
    "followers": "#followers",
    "following": "#follows",
    "posts": "#posts",
    "has_avatar": "profile pic",
    "is_private": "private",
    "bio_length": "description length",
}
TYPICAL_USERNAME = 12  # characters; the Kaggle set gives only the digit share, rounded to 0.01


def _name_from_share(share: float) -> tuple[int, int]:
    """(length, digits) of the username length nearest TYPICAL_USERNAME whose digit share rounds to ``share``:
    the Kaggle set keeps only the share, so the two counts the contract asks for are reconstructed."""
    fits = [
        (abs(length - TYPICAL_USERNAME), length, round(share * length))
        for length in range(4, 31)
        if round(share * length) < length and round(round(share * length) / length, 2) == round(share, 2)
    ]
    _, length, digits = min(fits)
    return length, digits


def load_kaggle(paths: list[Path]) -> tuple[AccountColumns, IntArray]:
    rows = [row for path in paths for row in csv.DictReader(path.open(newline=""))]
    names = [_name_from_share(float(r["nums/length username"])) for r in rows]
    columns = AccountColumns(
        **{field: np.array([int(r[key]) for r in rows], dtype=np.int64) for field, key in KAGGLE_FIELDS.items()},
        username_length=np.array([length for length, _ in names], dtype=np.int64),
        username_digits=np.array([digits for _, digits in names], dtype=np.int64),
    )
    return columns, np.array([int(r["fake"]) for r in rows], dtype=np.int64)


def load_dataset(path: Path) -> tuple[AccountColumns, IntArray]:
    """InstaFake (a folder with its two JSON files) or the Kaggle set (a folder with train.csv and test.csv, or
    one CSV file in its format)."""
    if (path / "fakeAccountData.json").exists():
        return load_instafake(path)
    if path.is_dir():
        return load_kaggle([path / "train.csv", path / "test.csv"])
    return load_kaggle([path])


def f1_at(y: IntArray, score: FloatArray, cut: float) -> float:
    predicted = score >= cut
    tp = int((predicted & (y == 1)).sum())
    return 2 * tp / max(int(predicted.sum()) + int(y.sum()), 1)


def best_cut(y: IntArray, score: FloatArray) -> tuple[float, float]:
    """(cut, F1) of the F1-best threshold; cuts lie midway between distinct scores."""
    values = np.unique(score)
    cuts = np.concatenate([[values[0]], (values[1:] + values[:-1]) / 2]) if len(values) > 1 else values
    f1 = np.array([f1_at(y, score, c) for c in cuts])
    i = int(np.argmax(f1))
    return float(cuts[i]), float(f1[i])


def _lightgbm(leaves: int, min_leaf: int, rounds: int, monotone: bool) -> Fit:
    params = {
        "objective": "binary",
        "learning_rate": 0.05,
        "num_leaves": leaves,
        "min_data_in_leaf": min_leaf,
        "lambda_l2": 1.0,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "num_threads": 1,
        "deterministic": True,
        "force_row_wise": True,
        "seed": 1,
        "verbose": -1,
    }
    if monotone:
        params["monotone_constraints"] = list(MONOTONE)

    def fit(x: FloatArray, y: IntArray, test: FloatArray) -> FloatArray:
        booster = lgb.train(params, lgb.Dataset(x, y), num_boost_round=rounds)
        return np.asarray(booster.predict(test), dtype=np.float64)

    return fit


def _sklearn(make: Callable[[], object]) -> Fit:
    def fit(x: FloatArray, y: IntArray, test: FloatArray) -> FloatArray:
        model = make()
        model.fit(x, y)  # type: ignore[attr-defined]
        return np.asarray(model.predict_proba(test)[:, 1], dtype=np.float64)  # type: ignore[attr-defined]

    return fit


def _logistic(c: float) -> object:
    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=2000))


def _knn(k: int) -> object:
    return make_pipeline(StandardScaler(), KNeighborsClassifier(k, weights="distance"))


def models() -> dict[str, Fit]:
    found: dict[str, Fit] = {}
    for leaves, min_leaf, rounds in ((4, 10, 200), (8, 10, 200), (8, 20, 400), (16, 5, 200), (31, 20, 300)):
        found[f"lightgbm leaves={leaves} min_leaf={min_leaf} rounds={rounds}"] = _lightgbm(
            leaves, min_leaf, rounds, False
        )
    found["lightgbm leaves=8 min_leaf=10 rounds=200 monotone"] = _lightgbm(8, 10, 200, True)
    for c in (0.1, 1.0, 10.0):
        found[f"logistic C={c}"] = _sklearn(partial(_logistic, c))
    found["logistic pairwise C=1.0"] = _sklearn(
        lambda: make_pipeline(
            StandardScaler(), PolynomialFeatures(2), StandardScaler(), LogisticRegression(C=1.0, max_iter=5000)
        )
    )
    for k in (5, 15, 31):
        found[f"knn k={k}"] = _sklearn(partial(_knn, k))
    found["random forest 500 min_leaf=2"] = _sklearn(
        lambda: RandomForestClassifier(500, min_samples_leaf=2, n_jobs=1, random_state=1)
    )
    return found


@dataclass
class Figures:
    auc: list[float]
    f1_half: list[float]
    f1_inner: list[float]
    f1_oracle: list[float]
    f1_fold_oracle: list[float]


def evaluate(fit: Fit, x: FloatArray, y: IntArray, repeats: int, folds: int) -> Figures:
    out = Figures([], [], [], [], [])
    for repeat in range(repeats):
        outer = StratifiedKFold(folds, shuffle=True, random_state=repeat)
        score = np.zeros(len(y))
        flagged = np.zeros(len(y), dtype=bool)
        fold_oracle = []
        for train, test in outer.split(x, y):
            score[test] = fit(x[train], y[train], x[test])
            inner_score = np.zeros(len(train))
            inner = StratifiedKFold(folds, shuffle=True, random_state=1_000 + repeat)
            for inner_train, inner_test in inner.split(x[train], y[train]):
                inner_score[inner_test] = fit(x[train][inner_train], y[train][inner_train], x[train][inner_test])
            cut, _ = best_cut(y[train], inner_score)
            flagged[test] = score[test] >= cut
            fold_oracle.append(best_cut(y[test], score[test])[1])
        tp = int((flagged & (y == 1)).sum())
        out.auc.append(float(roc_auc_score(y, score)))
        out.f1_half.append(f1_at(y, score, 0.5))
        out.f1_inner.append(2 * tp / (int(flagged.sum()) + int(y.sum())))
        out.f1_oracle.append(best_cut(y, score)[1])
        out.f1_fold_oracle.append(float(np.mean(fold_oracle)))
    return out


def _fmt(values: list[float]) -> str:
    return f"{np.mean(values):.4f}±{np.std(values):.4f}"


def conflicting_duplicates(columns: AccountColumns, y: IntArray) -> int:
    """Accounts whose eight fields equal those of an account with the other label."""
    table = np.column_stack([getattr(columns, f) for f in AccountColumns.__dataclass_fields__])
    _, inverse = np.unique(table, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    fake_in_group = np.bincount(inverse, weights=y)
    size = np.bincount(inverse)
    mixed = (fake_in_group > 0) & (fake_in_group < size)
    return int(mixed[inverse].sum())


def transfer(chosen: dict[str, Fit], x: FloatArray, y: IntArray, other: Path, folds: int) -> None:
    """Fit on one real set, score another: does real labelled data from one crawl carry to the next?"""
    columns, y_other = load_dataset(other)
    x_other = account_features(columns)
    print(f"fitted on all of the set, scored on {other} ({len(y_other)} accounts, {int(y_other.sum())} fake):")
    print(f"{'model':52s} {'auc':>8s} {'f1@0.5':>8s} {'f1@inner':>8s} {'f1@oracle':>9s}")
    for name, fit in chosen.items():
        score = fit(x, y, x_other)
        inner_score = np.zeros(len(y))
        for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(x, y):
            inner_score[test] = fit(x[train], y[train], x[test])
        cut, _ = best_cut(y, inner_score)
        print(
            f"{name:52s} {roc_auc_score(y_other, score):8.4f} {f1_at(y_other, score, 0.5):8.4f} "
            f"{f1_at(y_other, score, cut):8.4f} {best_cut(y_other, score)[1]:9.4f}",
            flush=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path, help="InstaFake folder (its two JSON files) or Kaggle CSV / folder")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", default="", help="run only models whose name contains this")
    parser.add_argument("--transfer", type=Path, help="also fit on all of DATASET and score this other set")
    args = parser.parse_args()

    columns, y = load_dataset(args.dataset)
    x = account_features(columns)
    print(
        f"{len(y)} accounts, {int(y.sum())} fake; {conflicting_duplicates(columns, y)} share all eight fields "
        "with an account of the other label"
    )
    shipped = shipped_account_model().fake_probability(columns)
    cut, oracle = best_cut(y, shipped)
    print(
        f"shipped model (not fitted here): auc {roc_auc_score(y, shipped):.4f}  f1@0.5 {f1_at(y, shipped, 0.5):.4f}"
        f"  f1@oracle {oracle:.4f} (cut {cut:.3f})"
    )
    chosen = {name: fit for name, fit in models().items() if args.only in name}
    if args.transfer is not None:
        transfer(chosen, x, y, args.transfer, args.folds)
    if args.repeats == 0:
        return 0
    print(f"{args.repeats}x{args.folds}-fold CV fitted on the set itself (mean±sd over repetitions):")
    print(f"{'model':52s} {'auc':>15s} {'f1@0.5':>15s} {'f1@inner':>15s} {'f1@oracle':>15s} {'f1@fold-oracle':>15s}")
    for name, fit in chosen.items():
        r = evaluate(fit, x, y, args.repeats, args.folds)
        print(
            f"{name:52s} {_fmt(r.auc):>15s} {_fmt(r.f1_half):>15s} {_fmt(r.f1_inner):>15s} "
            f"{_fmt(r.f1_oracle):>15s} {_fmt(r.f1_fold_oracle):>15s}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
