"""优选扩量 / lookalike expansion: score every viewer by how much their behaviour looks like a seed pack's.

The pattern is Pinterest's (Liu et al., KDD 2019): behaviour embeddings shared by every seed list, and a cheap
classifier per seed list on top, ensembled. Only the seeds are labelled; everyone else is *unlabelled*, not
negative (a seed-like viewer who is not in the pack is exactly who we look for), so each classifier is a
positive-unlabelled learner: logistic regression of the seeds against a fresh random bag of unlabelled viewers,
bagged (Mordelet & Vert 2014) so that no single draw of "negatives" decides. Members differ in embedding
resolution (leading 32 and 64 SVD factors) and regularisation; the score is the mean of their probabilities.

Measured from 50 seeds on MovieLens-100K with user demographics (`bench.audience --movielens DIR`, 10 draws):
age ≥ 45 0.81, age < 25 0.80, women 0.72, students 0.72, educators 0.69, engineers and programmers 0.69 ROC-AUC,
against 0.64 / 0.63 / 0.54 / 0.61 / 0.60 / 0.67 for the centroid cosine on the same embeddings. The ceiling is the
data's: logistic regression given *every* user's label (5-fold, about 750 labels a fit) reaches 0.86 / 0.84 / 0.78
/ 0.77 / 0.70 / 0.70, on the BM25 rows themselves no more (women 0.80), and with 150 of the 196 students as seeds
one PU member reaches 0.77. So 0.80 from 50 seeds holds for age and cannot for gender or occupation from these
ratings. Tried on MovieLens (6 to 16 draws) and none better than this ensemble by more than 0.004 mean AUC, most
worse: PU logistic regression on the sparse BM25 rows, 32 to 200 factors, factors scaled by Σ^p (p from 0.5 to 2),
other regularisations and ensembles of them (the +0.004), embeddings of rating deviations and of item PPMI, k nearest
seeds, naive-Bayes item lift, item-lift propagation over the viewer × item graph, shrunk Fisher discriminants,
RBF-kernel SVM, LightGBM on the embeddings (0.66), k-NN smoothing of the scores, and self-training on reliable
negatives (0.70, worse); activity, rating and hour/weekday features add nothing even fully supervised (0.56 to
0.67 alone). On the planted segments (20,000 viewers) every segment is at 0.82 or above.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from wanghong.audience.engine.embedding import BehaviourEmbedding, Float32Array, bm25_weight


class LookalikeError(ValueError):
    """The seed pack cannot be learnt from (no seeds, or nobody left to score against)."""


@dataclass(frozen=True)
class Member:
    """One ensemble member: an embedding resolution and the inverse regularisation of its classifiers."""

    dims: int
    c: float


@dataclass(frozen=True)
class LookalikeConfig:
    members: tuple[Member, ...] = (Member(dims=32, c=0.3), Member(dims=64, c=0.1))
    bags: int = 10
    negatives_per_seed: int = 8
    min_negatives: int = 400
    fit_rows: int = 100_000  # SVD sample: item factors need enough viewers per item, not every viewer
    chunk_rows: int = 500_000  # scoring memory: chunk_rows × 64 float32 at a time
    random_state: int = 0

    @property
    def dims(self) -> int:
        return max(member.dims for member in self.members)


@dataclass(frozen=True)
class _Head:
    """The bagged classifiers of one member, stacked so a chunk is scored with one matrix product."""

    dims: int
    weights: Float32Array  # (dims, bags)
    intercepts: Float32Array  # (bags,)


@dataclass(frozen=True)
class LookalikeModel:
    """Embedding plus the classifier heads learnt from one seed pack."""

    embedding: BehaviourEmbedding
    heads: tuple[_Head, ...]
    config: LookalikeConfig

    def score_embedded(self, embedded: Float32Array) -> Float32Array:
        """Mean ensemble probability for raw (un-normalised) fold-in rows.

        A member on the leading d factors scores (x[:d] / |x[:d]|) · w = (x · w_padded) / |x[:d]|, so every bag of
        every member comes out of one (rows × dims) @ (dims × all bags) product, divided column-wise by the prefix
        norms; no normalised copy of the chunk is made per member.
        """
        dims = embedded.shape[1]
        stacked = np.zeros((dims, sum(h.weights.shape[1] for h in self.heads)), dtype=np.float32)
        prefix_of_column = []
        column = 0
        for head in self.heads:
            stacked[: head.dims, column : column + head.weights.shape[1]] = head.weights
            prefix_of_column += [head.dims] * head.weights.shape[1]
            column += head.weights.shape[1]
        intercepts = np.concatenate([head.intercepts for head in self.heads])
        logits = embedded @ stacked
        prefix_norms = {
            d: np.sqrt(np.einsum("ij,ij->i", embedded[:, :d], embedded[:, :d])) for d in set(prefix_of_column)
        }
        norms = np.stack([prefix_norms[d] for d in prefix_of_column], axis=1)
        np.divide(logits, norms, out=logits, where=norms > 0)
        logits[norms == 0] = 0.0  # a viewer with no behaviour left: only the intercept speaks
        logits += intercepts
        # the logistic function in place: 1 / (1 + e^-z)
        np.clip(logits, -30.0, 30.0, out=logits)  # e^30 stays finite in float32; σ(±30) is 0 or 1 anyway
        np.negative(logits, out=logits)
        np.exp(logits, out=logits)
        logits += 1.0
        np.reciprocal(logits, out=logits)
        # members weigh equally whatever their number of bags
        total = np.zeros(embedded.shape[0], dtype=np.float32)
        column = 0
        for head in self.heads:
            total += logits[:, column : column + head.weights.shape[1]].mean(axis=1)
            column += head.weights.shape[1]
        return total / np.float32(len(self.heads))

    def score(self, weighted: sp.csr_matrix) -> Float32Array:
        """Scores in [0, 1] for every row of a BM25-weighted matrix, one chunk of rows at a time."""
        scores = np.empty(weighted.shape[0], dtype=np.float32)
        for rows, embedded in self.embedding.chunks(weighted, self.config.chunk_rows):
            scores[rows] = self.score_embedded(embedded)
        return scores


def fit_lookalike(
    weighted: sp.csr_matrix,
    seed_rows: npt.NDArray[np.integer],
    config: LookalikeConfig | None = None,
    embedding: BehaviourEmbedding | None = None,
) -> LookalikeModel:
    """Learn a seed pack: `weighted` is the BM25-weighted viewer × item matrix, `seed_rows` the seeds' rows."""
    config = config or LookalikeConfig()
    n_users = weighted.shape[0]
    seeds = np.unique(np.asarray(seed_rows, dtype=np.int64))
    if seeds.size == 0:
        raise LookalikeError("种子人群为空 / the seed list is empty")
    if seeds[0] < 0 or seeds[-1] >= n_users:
        raise LookalikeError("种子行号越界 / seed rows out of range")
    unlabelled = np.setdiff1d(np.arange(n_users), seeds, assume_unique=True)
    if unlabelled.size == 0:
        raise LookalikeError("所有用户都是种子，无人可扩 / every viewer is a seed: nobody to expand to")
    embedding = embedding or BehaviourEmbedding.fit(
        weighted, dims=config.dims, fit_rows=config.fit_rows, random_state=config.random_state
    )
    rng = np.random.default_rng(config.random_state)
    bag_size = min(unlabelled.size, max(config.min_negatives, config.negatives_per_seed * seeds.size))
    # When one bag already holds every unlabelled viewer, further bags would be the same fit again.
    bag_count = 1 if bag_size == unlabelled.size else config.bags
    bags = [rng.choice(unlabelled, size=bag_size, replace=False) for _ in range(bag_count)]
    # Only seeds and the drawn negatives are ever embedded at fit time, whatever the population.
    needed = np.unique(np.concatenate([seeds, *bags]))
    embedded = embedding.transform(weighted[needed])
    seed_index = np.searchsorted(needed, seeds)
    heads = []
    for member in config.members:
        dims = min(member.dims, embedding.dims)
        prefix = embedded[:, :dims]
        norms = np.linalg.norm(prefix, axis=1, keepdims=True)
        unit = np.divide(prefix, norms, out=np.zeros_like(prefix), where=norms > 0)
        weights, intercepts = [], []
        for bag in bags:
            bag_index = np.searchsorted(needed, bag)
            features = np.concatenate([unit[seed_index], unit[bag_index]])
            labels = np.concatenate([np.ones(seeds.size), np.zeros(bag.size)])
            classifier = LogisticRegression(C=member.c, class_weight="balanced", max_iter=1000)
            classifier.fit(features, labels)
            weights.append(classifier.coef_[0])
            intercepts.append(classifier.intercept_[0])
        heads.append(
            _Head(
                dims=dims,
                weights=np.asarray(weights, dtype=np.float32).T,
                intercepts=np.asarray(intercepts, dtype=np.float32),
            )
        )
    return LookalikeModel(embedding=embedding, heads=tuple(heads), config=config)


def lookalike_scores(
    counts: sp.csr_matrix, seed_rows: npt.NDArray[np.integer], config: LookalikeConfig | None = None
) -> Float32Array:
    """Scores in [0, 1] for every viewer (row of the raw viewer × item `counts`), seeds included."""
    weighted = bm25_weight(counts)
    return fit_lookalike(weighted, seed_rows, config).score(weighted)
