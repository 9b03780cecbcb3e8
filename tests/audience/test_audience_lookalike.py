"""优选扩量 / lookalike: the embedding's arithmetic, recovery of planted segments, and the PU learner's guards."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import roc_auc_score

from wanghong.audience.engine import (
    BehaviourEmbedding,
    LookalikeConfig,
    LookalikeError,
    bm25_weight,
    fit_lookalike,
    interaction_matrix,
    lookalike_scores,
)
from wanghong.simulator.engine.audience import PlantedAudience, planted_audience
from wanghong.simulator.engine.tables import SEGMENTS


@pytest.fixture(scope="module")
def audience() -> PlantedAudience:
    return planted_audience(4_000, n_items=800, events_per_viewer=20, seed=3)


@pytest.fixture(scope="module")
def counts(audience: PlantedAudience) -> sp.csr_matrix:
    return interaction_matrix(
        audience.event_viewer, audience.event_item, audience.event_weight, audience.n_viewers, audience.n_items
    )


def test_interaction_matrix_sums_repeated_pairs_and_drops_zero_weights() -> None:
    matrix = interaction_matrix(
        np.array([0, 0, 1, 1]), np.array([2, 2, 0, 1]), np.array([1.0, 2.5, 0.0, 1.0]), n_users=2, n_items=3
    )
    assert matrix.toarray().tolist() == [[0.0, 0.0, 3.5], [0.0, 1.0, 0.0]]
    assert matrix.nnz == 2


def test_bm25_saturates_repeats_and_favours_rare_items() -> None:
    # viewer 0 watched item 0 once, viewer 1 five times; everyone watched item 1, only viewer 2 item 2
    counts = sp.csr_matrix(np.array([[1, 1, 0], [5, 1, 0], [0, 1, 1], [0, 1, 0]], dtype=np.float32))
    weighted = bm25_weight(counts).toarray()
    assert weighted[1, 0] > weighted[0, 0]
    assert weighted[1, 0] < 5 * weighted[0, 0]  # five views are worth less than five times one
    assert weighted[2, 2] > weighted[2, 1]  # the rare item says more about viewer 2 than the universal one
    assert (weighted > 0).sum() == counts.nnz


def test_fold_in_reproduces_the_decomposition_of_fitted_rows() -> None:
    rng = np.random.default_rng(0)
    scales = 2.0 ** -np.arange(8)  # well-separated singular values: the randomised SVD's factors are then exact
    low_rank = (rng.normal(size=(300, 8)) * scales) @ rng.normal(size=(8, 120))
    weighted = sp.csr_matrix(low_rank + 1e-4 * rng.normal(size=(300, 120)))
    embedding = BehaviourEmbedding.fit(weighted, dims=8)
    u, s, _ = np.linalg.svd(weighted.toarray(), full_matrices=False)
    expected = u[:, :8] * s[:8]
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    folded = embedding.transform(weighted)
    # singular vectors are defined up to sign: compare per factor
    signs = np.sign((folded * expected).sum(axis=0))
    assert np.allclose(folded * signs, expected, atol=2e-2)
    assert np.allclose(np.linalg.norm(embedding.transform(weighted, dims=4), axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_fifty_seeds_recover_every_planted_segment(audience: PlantedAudience, counts: sp.csr_matrix) -> None:
    rng = np.random.default_rng(11)
    weighted = bm25_weight(counts)
    embedding = BehaviourEmbedding.fit(weighted, dims=LookalikeConfig().dims)
    aucs = {}
    for code, segment in enumerate(SEGMENTS):
        members = np.flatnonzero(audience.segment == code)
        seeds = rng.choice(members, size=50, replace=False)
        scores = fit_lookalike(weighted, seeds, embedding=embedding).score(weighted)
        others = np.ones(audience.n_viewers, dtype=bool)
        others[seeds] = False
        aucs[segment.value] = roc_auc_score(audience.segment[others] == code, scores[others])
    assert min(aucs.values()) >= 0.75, aucs
    assert np.mean(list(aucs.values())) >= 0.85, aucs


def test_the_classifier_beats_the_centroid_of_the_seeds(audience: PlantedAudience, counts: sp.csr_matrix) -> None:
    """The reason for a classifier per seed list: the centroid cosine is the anchor the issue names."""
    code = SEGMENTS.index(next(s for s in SEGMENTS if s.value == "students"))
    truth = audience.segment == code
    seeds = np.random.default_rng(5).choice(np.flatnonzero(truth), size=50, replace=False)
    weighted = bm25_weight(counts)
    model = fit_lookalike(weighted, seeds)
    others = np.setdiff1d(np.arange(audience.n_viewers), seeds)
    embedded = model.embedding.transform(weighted)
    centroid = embedded @ embedded[seeds].mean(axis=0)
    ours = roc_auc_score(truth[others], model.score(weighted)[others])
    anchor = roc_auc_score(truth[others], centroid[others])
    assert ours > anchor + 0.02, (ours, anchor)


def test_scores_do_not_depend_on_the_chunk_size(counts: sp.csr_matrix) -> None:
    weighted = bm25_weight(counts)
    seeds = np.arange(0, 200, 4)
    whole = fit_lookalike(weighted, seeds, LookalikeConfig(chunk_rows=10_000_000)).score(weighted)
    chunked = fit_lookalike(weighted, seeds, LookalikeConfig(chunk_rows=333)).score(weighted)
    assert np.allclose(whole, chunked, atol=1e-6)
    assert ((whole >= 0) & (whole <= 1)).all()


def test_the_svd_sample_bounds_the_fit_not_the_scoring(counts: sp.csr_matrix) -> None:
    weighted = bm25_weight(counts)
    scores = fit_lookalike(weighted, np.arange(50), LookalikeConfig(fit_rows=500)).score(weighted)
    assert scores.shape == (counts.shape[0],) and np.isfinite(scores).all()


def test_bad_seed_packs_are_refused(counts: sp.csr_matrix) -> None:
    weighted = bm25_weight(counts)
    with pytest.raises(LookalikeError, match="empty"):
        fit_lookalike(weighted, np.array([], dtype=np.int64))
    with pytest.raises(LookalikeError, match="out of range"):
        fit_lookalike(weighted, np.array([counts.shape[0]]))
    with pytest.raises(LookalikeError, match="nobody"):
        fit_lookalike(weighted[:10], np.arange(10))


def test_tiny_logs_still_rank_the_seeds_community_first() -> None:
    """Fewer items than embedding dimensions: the exact SVD path."""
    users = np.repeat(np.arange(40), 3)
    items = (users % 2) * 3 + np.tile(np.arange(3), 40)  # even users watch items 0-2, odd users 3-5
    counts = interaction_matrix(users, items, None, n_users=40, n_items=6)
    scores = lookalike_scores(counts, np.array([0, 2, 4, 6]))
    evens, odds = scores[8::2], scores[1::2]
    assert evens.min() > odds.max()
