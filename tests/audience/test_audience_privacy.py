"""隐私: k-anonymity by generalisation and suppression (synthetic and KuaiRand), OpenDP counts, the ε budget."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wanghong.audience.engine import (
    BudgetExceeded,
    Hierarchy,
    KAnonymityViolation,
    PrivacyAccountant,
    PrivacyError,
    anonymise,
    bands,
    budget_month,
    exact,
    grouped,
    hashed_ids,
    noisy_count,
    noisy_counts,
    release_counts,
    require_k_anonymous,
    smallest_class,
)
from wanghong.audience.engine.kuairand import KUAIRAND_HIERARCHIES, KUAIRAND_QUASI_IDENTIFIERS, load_users

KUAIRAND = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "audience" / "kuairand_pure_user_features.csv"
)


def people(n: int = 2_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "age": rng.integers(16, 80, n),
            "city": rng.choice(["北京", "上海", "成都", "临沂", "菏泽"], n, p=[0.3, 0.3, 0.2, 0.15, 0.05]),
            "fans": rng.pareto(1.0, n).round().astype(int),
            "spend": rng.random(n),  # not a quasi-identifier: released as it is
        }
    )


HIERARCHIES = (
    Hierarchy("age", (exact, bands([18, 25, 31, 41, 51]), bands([30, 50]))),
    Hierarchy(
        "city", (exact, grouped({"北京": "一线", "上海": "一线", "成都": "新一线", "临沂": "下沉", "菏泽": "下沉"}))
    ),
    Hierarchy("fans", (exact, bands([1, 10, 100]))),
)


def test_bands_label_half_open_ranges() -> None:
    assert bands([10, 100])(pd.Series([0, 10, 99, 100, 5000])).tolist() == [
        "<10",
        "[10,100)",
        "[10,100)",
        "100+",
        "100+",
    ]


def test_anonymise_reaches_k_with_little_suppression() -> None:
    frame = people()
    assert smallest_class(frame, ["age", "city", "fans"]) < 50
    release = anonymise(frame, HIERARCHIES, k=50, max_suppression=0.05)
    assert release.smallest_class >= 50
    assert release.suppressed <= 0.05 * len(frame)
    assert len(release.frame) + release.suppressed == len(frame)
    require_k_anonymous(release.frame, ["age", "city", "fans"], k=50)
    assert (release.frame["spend"] == frame.loc[release.frame.index, "spend"]).all()
    assert any(level > 0 for level in release.levels.values())


def test_a_small_frame_is_suppressed_rather_than_released() -> None:
    release = anonymise(people(30), HIERARCHIES, k=50)
    assert release.frame.empty and release.suppressed == 30


def test_require_k_anonymous_names_the_smallest_class() -> None:
    frame = pd.DataFrame({"a": ["x"] * 60 + ["y"] * 3})
    with pytest.raises(KAnonymityViolation, match="smallest class has 3"):
        require_k_anonymous(frame, ["a"], k=50)
    with pytest.raises(KAnonymityViolation):
        require_k_anonymous(frame.iloc[:0], ["a"], k=50)  # nothing is no release either


@pytest.mark.skipif(not KUAIRAND.is_file(), reason=f"KuaiRand-Pure user features not found at {KUAIRAND}")
def test_kuairand_quasi_identifiers_reach_k50() -> None:
    users = load_users(KUAIRAND)
    quasi = list(KUAIRAND_QUASI_IDENTIFIERS)
    assert smallest_class(users, quasi) == 1  # raw, the real counts single people out
    release = anonymise(users, KUAIRAND_HIERARCHIES, k=50, max_suppression=0.05)
    assert release.smallest_class >= 50
    assert release.suppressed <= 0.05 * len(users)
    assert sum(level < h.depth - 1 for h, level in zip(KUAIRAND_HIERARCHIES, release.levels.values(), strict=True)) >= 4


def test_hashed_ids_are_keyed() -> None:
    first, second = hashed_ids(["u1", "u2"], b"k" * 32), hashed_ids(["u1"], b"q" * 32)
    assert len(first[0]) == 64 and first[0] != first[1] and first[0] != second[0]
    assert hashed_ids(["u1"], b"k" * 32) == first[:1]
    with pytest.raises(ValueError):
        hashed_ids(["u1"], b"short")


def test_dp_counts_of_1000_are_within_5_percent_at_epsilon_1() -> None:
    released = noisy_counts([1_000] * 2_000, epsilon=1.0)
    errors = np.abs(np.array(released.values) - 1_000) / 1_000
    assert errors.max() <= 0.05
    assert released.epsilon == pytest.approx(1.0)
    # discrete Laplace of scale 1: the noise is real (not zero) with the variance the mechanism promises
    assert 1.0 < np.var(released.values) < 3.0
    assert released.accuracy(0.05) < 50


def test_overlapping_tags_pay_for_each_contribution() -> None:
    released = noisy_counts([5_000, 7_000, 3_000], epsilon=0.5, contributions=3)
    assert released.scale == pytest.approx(6.0) and released.epsilon == pytest.approx(0.5)


def test_dp_refuses_bad_parameters_and_clamps_at_zero() -> None:
    with pytest.raises(PrivacyError):
        noisy_count(10, epsilon=0)
    with pytest.raises(PrivacyError):
        noisy_counts([-1], epsilon=1)
    assert min(noisy_counts([0] * 200, epsilon=0.1).values) == 0


def test_budget_is_per_brand_per_beijing_month() -> None:
    accountant = PrivacyAccountant(monthly_epsilon=1.0)
    late_utc = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # already 1 December in Beijing
    assert budget_month(late_utc) == "2026-12"
    for _ in range(10):
        accountant.charge("brand-a", late_utc, 0.1)
    assert accountant.remaining("brand-a", "2026-12") == pytest.approx(0.0)
    with pytest.raises(BudgetExceeded, match="brand-a"):
        accountant.charge("brand-a", late_utc, 0.01)
    accountant.charge("brand-b", late_utc, 1.0)  # another brand has its own budget
    accountant.charge("brand-a", datetime(2027, 1, 1, 12, tzinfo=UTC), 0.5)  # and a new month a new one
    with pytest.raises(ValueError):
        budget_month(datetime(2026, 12, 1))


def test_a_refused_release_draws_no_noise_and_spends_nothing() -> None:
    accountant = PrivacyAccountant(monthly_epsilon=0.5)
    at = datetime(2026, 12, 1, tzinfo=UTC)
    assert len(release_counts(accountant, "b", at, [1_200, 3_400], epsilon=0.5).values) == 2
    with pytest.raises(BudgetExceeded):
        release_counts(accountant, "b", at, [1_200], epsilon=0.1)
    assert accountant.spent("b", "2026-12") == pytest.approx(0.5)
