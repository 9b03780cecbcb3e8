"""The ceiling diagnostic (tools/fraud_account_ceiling.py): its cut search, its reconstruction of the Kaggle set's
username counts and its cross-validation, on small sets whose answers are known."""

from __future__ import annotations

import importlib.util
import itertools
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from wanghong.fraud.engine.accounts import account_features
from wanghong.fraud.engine.population import AccountColumns, generate_population

pytest.importorskip("lightgbm")
TOOL = Path(__file__).resolve().parents[2] / "tools" / "fraud_account_ceiling.py"


@pytest.fixture(scope="module")
def ceiling() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fraud_account_ceiling", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_best_cut_is_the_f1_best_of_every_threshold(ceiling: ModuleType) -> None:
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 200)
    score = np.round(y * 0.3 + rng.random(200), 2)  # ties included
    cut, f1 = ceiling.best_cut(y, score)
    brute = max(ceiling.f1_at(y, score, c) for c in np.unique(score))
    assert f1 == pytest.approx(brute)
    assert ceiling.f1_at(y, score, cut) == pytest.approx(f1)


def test_username_counts_are_rebuilt_so_that_their_share_rounds_back(ceiling: ModuleType) -> None:
    for length, digits in itertools.product(range(4, 31), range(0, 30)):
        if digits >= length:
            continue
        share = round(digits / length, 2)
        rebuilt_length, rebuilt_digits = ceiling._name_from_share(share)
        assert 4 <= rebuilt_length <= 30 and 0 <= rebuilt_digits < rebuilt_length
        assert round(rebuilt_digits / rebuilt_length, 2) == share
    assert ceiling._name_from_share(0.0) == (ceiling.TYPICAL_USERNAME, 0)


def test_conflicting_duplicates_counts_accounts_that_no_model_can_tell_apart(ceiling: ModuleType) -> None:
    rows = [(10, 20, 1, 1, 0, 0, 8, 0)] * 3 + [(5, 900, 0, 0, 0, 0, 12, 4)] * 2
    columns = AccountColumns(*(np.array(col, dtype=np.int64) for col in zip(*rows, strict=True)))
    y = np.array([0, 0, 1, 1, 1])  # the first three share their fields and not their label
    assert ceiling.conflicting_duplicates(columns, y) == 3


def test_cross_validation_separates_a_generated_population_and_bounds_itself(ceiling: ModuleType) -> None:
    population = generate_population(1_500, seed=11)
    x = account_features(population.accounts)
    fit = ceiling.models()["logistic C=1.0"]
    figures = ceiling.evaluate(fit, x, population.is_fake, repeats=1, folds=3)
    assert figures.auc[0] > 0.95
    # the oracle cut is chosen with the test labels, so no honest cut beats it
    assert figures.f1_oracle[0] >= max(figures.f1_inner[0], figures.f1_half[0])
