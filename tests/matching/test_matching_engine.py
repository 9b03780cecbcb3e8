"""Engine behaviour: recall of the planner against exact search, filter correctness, freshness, learned ranking."""

from __future__ import annotations

import numpy as np
import pytest

from wanghong.domain import Category
from wanghong.matching.engine import (
    IndexConfig,
    InvalidFilter,
    MatchFilters,
    MatchIndex,
    MatchingInputError,
    PriceBand,
    ProductProfile,
    product_vector,
)
from wanghong.matching.engine.ranking import explain, train_ranker
from wanghong.matching.engine.vectors import CATEGORIES, MCN_TIERS, PRICE_BANDS, creator_vectors
from wanghong.matching.training import simulated_training_set, synthetic_creators

N = 30_000


@pytest.fixture(scope="module")
def table():  # type: ignore[no-untyped-def]
    return synthetic_creators(N, seed=3, n_regions=120)


@pytest.fixture(scope="module")
def index(table):  # type: ignore[no-untyped-def]
    # A small IVF (and a low exact limit) so that the IVF path is exercised at test scale.
    return MatchIndex(table, config=IndexConfig(min_ivf_rows=10_000, exact_limit=1_000))


def _queries(count: int = 12) -> list[np.ndarray]:
    rng = np.random.default_rng(11)
    return [product_vector(ProductProfile(CATEGORIES[i % 12], float(rng.lognormal(5, 1)))) for i in range(count)]


def _brute_force_mask(table, f: MatchFilters) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The filters evaluated straight from the source columns, independent of the index's bitmaps."""
    ok = np.ones(len(table), dtype=bool)
    if f.categories:
        bits = sum(1 << CATEGORIES.index(c) for c in f.categories)
        ok &= (table.categories & bits) != 0
    if f.followers_min is not None:
        ok &= table.followers >= f.followers_min
    if f.followers_max is not None:
        ok &= table.followers <= f.followers_max
    if f.mcn_tiers:
        ok &= np.isin(table.mcn_tier, [MCN_TIERS.index(t) for t in f.mcn_tiers])
    if f.regions:
        ok &= np.isin(table.region, [table.regions.index(r) for r in f.regions])
    if f.price_bands:
        ok &= np.isin(table.price_band, [PRICE_BANDS.index(b) for b in f.price_bands])
    if f.exclude_penalised:
        ok &= ~table.penalised
    if f.available_only:
        ok &= table.available
    return ok


FILTERS = {
    "all": MatchFilters(exclude_penalised=False),
    "broad": MatchFilters(categories=frozenset({Category.BEAUTY, Category.FOOD})),
    "mid": MatchFilters(categories=frozenset({Category.FOOD}), followers_min=5_000),
    "narrow": MatchFilters(mcn_tiers=frozenset({"S"}), price_bands=frozenset({PriceBand.MID}), available_only=True),
    "rare": MatchFilters(regions=frozenset({"city-100", "city-110"}), followers_max=20_000),
    # Many small regions (read from the per-region row lists) and a range that cuts two follower buckets.
    "many regions": MatchFilters(regions=frozenset(f"city-{i:03d}" for i in range(40, 120)), available_only=True),
    "cut range": MatchFilters(categories=frozenset({Category.BEAUTY}), followers_min=3_333, followers_max=1_234_567),
    "big regions": MatchFilters(regions=frozenset(f"city-{i:03d}" for i in range(0, 60)), followers_min=2_000),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_planner_keeps_recall_at_100_above_095_at_every_selectivity(index, table, name) -> None:  # type: ignore[no-untyped-def]
    f = FILTERS[name]
    truth_mask = _brute_force_mask(table, f)
    recalls = []
    for q in _queries():
        got = index.search(q, f, 100)
        exact = index.exact_search(q, f, 100)
        expected = min(100, int(truth_mask.sum()))
        assert exact.rows.size == expected
        assert set(np.flatnonzero(truth_mask)).issuperset(got.rows.tolist())
        recalls.append(len(set(got.rows.tolist()) & set(exact.rows.tolist())) / max(expected, 1))
    assert np.mean(recalls) >= 0.95, (name, got.plan, recalls)


def test_planner_picks_exact_for_selective_and_ivf_for_broad_filters(index) -> None:  # type: ignore[no-untyped-def]
    assert index.plan(FILTERS["all"]).strategy == "ivf"
    assert index.plan(FILTERS["rare"]).strategy == "exact"
    assert index.plan(FILTERS["broad"]).estimated_rows == pytest.approx(index.passing_rows(FILTERS["broad"]).size)


def test_exact_search_equals_brute_force_over_the_source_columns(index, table) -> None:  # type: ignore[no-untyped-def]
    vectors = creator_vectors(table)
    for name, f in FILTERS.items():
        mask = _brute_force_mask(table, f)
        q = _queries(1)[0]
        scores = np.where(mask, vectors @ q, -np.inf)
        expected = np.argsort(-scores, kind="stable")[: min(10, int(mask.sum()))]
        got = index.exact_search(q, f, 10)
        np.testing.assert_allclose(got.scores, scores[expected], rtol=1e-5, err_msg=name)


def test_contradictory_filters_and_bad_k_are_refused(index) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidFilter, match="followers_min"):
        MatchFilters(followers_min=10, followers_max=5)
    with pytest.raises(InvalidFilter, match="mcn_tier"):
        MatchFilters(mcn_tiers=frozenset({"Z"}))
    with pytest.raises(MatchingInputError, match="k must be"):
        index.search(_queries(1)[0], None, 0)


def test_updates_reach_the_index_without_a_rebuild() -> None:
    table = synthetic_creators(12_000, seed=5, n_regions=20)
    index = MatchIndex(table, config=IndexConfig(min_ivf_rows=5_000, exact_limit=100))
    ivf = index.ivf
    product = ProductProfile(Category.AGRICULTURE, 30.0, {"segments": {"new_farmers": 1.0}})
    q = product_vector(product)
    everyone = MatchFilters(exclude_penalised=True)
    # Turn a creator far down the list into the perfect match: persona, categories and price band.
    loser = int(index.search(q, MatchFilters(exclude_penalised=False), 1000).ids[-1])
    row = int(index.rows_of([loser])[0])
    change = table.take(np.array([row]))
    for name in ("segments", "interests"):
        getattr(change, name)[:] = 0
    change.segments[0, 1] = 1.0  # new_farmers
    change.interests[0, CATEGORIES.index(Category.AGRICULTURE)] = 1.0
    change.categories[0] = 1 << CATEGORIES.index(Category.AGRICULTURE)
    change.price_band[0] = 0
    change.penalised[0] = False
    index.update(change)
    assert index.ivf is ivf, "an update must not rebuild the index"
    assert loser in index.search(q, everyone, 5).ids.tolist()
    # A new penalty removes it at once; lifting the penalty brings it back.
    index.set_flags([loser], penalised=True)
    assert loser not in index.search(q, everyone, 50).ids.tolist()
    index.set_flags([loser], penalised=False)
    assert loser in index.search(q, everyone, 5).ids.tolist()
    # Follower changes move it in and out of a follower range.
    index.set_flags([loser], followers=5_000_000)
    assert loser in index.search(q, MatchFilters(followers_min=4_000_000), 5).ids.tolist()
    assert loser not in index.search(q, MatchFilters(followers_max=1_000_000), 100).ids.tolist()
    # A brand-new creator is searchable immediately, a removed one never again.
    newcomer = change.take(np.array([0]))
    object.__setattr__(newcomer, "ids", np.array([10_000_000], dtype=np.int64))
    index.update(newcomer)
    assert 10_000_000 in index.search(q, everyone, 5).ids.tolist()
    # Moving to another city moves it between the per-region row lists.
    moved = table.take(np.array([row]))
    moved.region[0] = (int(table.region[row]) + 1) % len(table.regions)
    for name in ("segments", "interests", "categories", "price_band", "penalised"):
        getattr(moved, name)[...] = getattr(change, name)
    index.update(moved)
    old_city, new_city = table.regions[int(table.region[row])], table.regions[int(moved.region[0])]
    assert loser in index.search(q, MatchFilters(regions=frozenset({new_city})), 5).ids.tolist()
    assert loser not in index.search(q, MatchFilters(regions=frozenset({old_city})), 1000).ids.tolist()
    index.remove([loser])
    assert loser not in index.search(q, MatchFilters(exclude_penalised=False), 1000).ids.tolist()
    # Folding the delta into the IVF changes no answer.
    before = index.search(q, everyone, 100).ids.tolist()
    index.compact()
    assert not index.delta
    after = index.search(q, everyone, 100).ids.tolist()
    assert len(set(before) & set(after)) >= 95


def test_learned_ranking_beats_popularity_and_retrieval_on_a_time_split() -> None:
    index, history = simulated_training_set(creators=500, seed=3)
    assert history.at.max() > 0.7 * history.period > history.at.min()
    _, evaluation = train_ranker(index, history, seed=3, rounds=60)
    assert evaluation.groups >= 30
    assert evaluation.ndcg_ltr > evaluation.ndcg_popularity
    assert evaluation.ndcg_ltr > evaluation.ndcg_retrieval
    assert 0.5 < evaluation.interval_coverage <= 1.0


def test_explanations_list_shared_persona_dimensions(index) -> None:  # type: ignore[no-untyped-def]
    product = ProductProfile(Category.MOTHER_BABY, 120.0, {"segments": {"young_mothers": 0.7, "silver": 0.3}})
    top = index.search(product_vector(product), MatchFilters(), 1)
    overlaps = explain(index, int(top.rows[0]), product)
    assert overlaps and overlaps == sorted(overlaps, key=lambda o: -o.overlap)
    assert any(o.dimension == "segments" and o.value == "young_mothers" for o in overlaps)
    for o in overlaps:
        assert 0 <= o.overlap <= o.creator_share <= 1
        assert o.target_share is None or o.overlap <= o.target_share


def test_a_filter_that_agrees_with_the_query_probes_fewer_cells(index) -> None:  # type: ignore[no-untyped-def]
    # Creators of the product's own category crowd the cells nearest the product, so counting the sampled passing
    # rows per cell reaches the margin sooner than for the same filter under a product of another category.
    agreeing, disagreeing = [], []
    for i, category in enumerate(CATEGORIES):
        f = MatchFilters(categories=frozenset({category}))
        other = CATEGORIES[(i + 6) % len(CATEGORIES)]
        own = index.search(product_vector(ProductProfile(category, 100.0)), f, 20)
        foreign = index.search(product_vector(ProductProfile(other, 100.0)), f, 20)
        assert own.plan.strategy == foreign.plan.strategy == "ivf"
        assert own.plan.nprobe <= index.plan(f, 20).nprobe
        agreeing.append(own.plan.nprobe)
        disagreeing.append(foreign.plan.nprobe)
    assert np.mean(agreeing) < 0.5 * np.mean(disagreeing), (agreeing, disagreeing)
