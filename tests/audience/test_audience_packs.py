"""人群包: union / intersection / exclusion, behaviour tags, the noised size under budget, k-gated hashed export."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from wanghong.audience.engine import (
    BudgetExceeded,
    Exclusion,
    Hierarchy,
    Intersection,
    KAnonymityViolation,
    PrivacyAccountant,
    Tag,
    Union,
    bands,
    evaluate,
    exact,
    export_pack,
    released_size,
    viewers_with,
)

SETS = {
    "mothers": np.array([1, 1, 0, 0, 1, 0], dtype=bool),
    "bought_baby": np.array([1, 0, 1, 0, 0, 0], dtype=bool),
    "churned": np.array([0, 0, 0, 0, 1, 1], dtype=bool),
}


def test_set_algebra() -> None:
    pack = Exclusion(Union((Tag("mothers"), Tag("bought_baby"))), Tag("churned"))
    assert evaluate(pack, SETS).tolist() == [True, True, True, False, False, False]
    assert evaluate(Intersection((Tag("mothers"), Tag("bought_baby"))), SETS).tolist() == [1, 0, 0, 0, 0, 0]
    with pytest.raises(KeyError, match="unknown tag"):
        evaluate(Tag("gamers"), SETS)
    with pytest.raises(ValueError):
        evaluate(Union(()), SETS)


def test_behaviour_tag_viewed_category_in_the_last_days() -> None:
    viewer = np.array([0, 0, 1, 2, 3])
    category = np.array([4, 1, 4, 4, 2])
    day = np.array([29, 1, 5, 28, 29])
    assert viewers_with(viewer, (category == 4) & (day >= 23), 5).tolist() == [True, False, True, False, False]


def test_released_size_is_noised_and_charged() -> None:
    members = np.zeros(50_000, dtype=bool)
    members[:4_000] = True
    accountant = PrivacyAccountant(monthly_epsilon=1.0)
    at = datetime(2026, 12, 1, 4, tzinfo=UTC)
    size = released_size(accountant, "brand", at, members, epsilon=1.0)
    assert abs(size - 4_000) <= 0.05 * 4_000
    with pytest.raises(BudgetExceeded):
        released_size(accountant, "brand", at, members, epsilon=0.1)


def pack_members(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"user_id": [f"u{i}" for i in range(n)], "age": rng.integers(18, 60, n)})


HIERARCHIES = (Hierarchy("age", (exact, bands([25, 35, 45]))),)


def test_export_hashes_only_members_in_classes_of_k() -> None:
    members = pack_members(600)
    export = export_pack(members, "user_id", HIERARCHIES, key=b"brand-key-0123456789")
    assert len(export.hashed_ids) + export.suppressed == 600
    assert len(export.hashed_ids) >= 50
    assert all(len(h) == 64 and not h.startswith("u") for h in export.hashed_ids)


def test_a_pack_below_k_is_never_exported() -> None:
    with pytest.raises(KAnonymityViolation, match="no export"):
        export_pack(pack_members(49), "user_id", HIERARCHIES, key=b"brand-key-0123456789")
