"""Behaviour embeddings of viewers: BM25-weighted viewer × item matrix, truncated SVD, fold-in.

A viewer's row counts what they did with each item (a video, a livestream, a creator, a product, a film): summed
weights, 1 per event when no weight is recorded. BM25 damps heavy repeat viewing (term-frequency saturation), damps
heavy viewers (length normalisation) and lifts rare items (idf), which is what makes a co-occurrence say something
about a person rather than about the platform's hits. The item factors come from a randomised truncated SVD of a
sample of rows, and every viewer is then folded in (row × item factors), so embedding ten million viewers is one
sparse product per chunk and never a dense viewer × viewer or viewer × item array.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.utils.extmath import randomized_svd

Float32Array = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

BM25_K1 = 1.2
BM25_B = 0.75


def interaction_matrix(
    user_codes: npt.NDArray[np.integer],
    item_codes: npt.NDArray[np.integer],
    weights: npt.NDArray[np.floating] | None,
    n_users: int,
    n_items: int,
) -> sp.csr_matrix:
    """Viewer × item CSR matrix (float32) of summed weights; repeated (viewer, item) pairs add up."""
    data = np.ones(user_codes.shape[0], dtype=np.float32) if weights is None else weights.astype(np.float32)
    matrix = sp.csr_matrix((data, (user_codes, item_codes)), shape=(n_users, n_items), dtype=np.float32)
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    return matrix


def bm25_weight(matrix: sp.csr_matrix, k1: float = BM25_K1, b: float = BM25_B) -> sp.csr_matrix:
    """The BM25 weighting of a viewer × item count matrix, as float32 CSR with the same sparsity."""
    matrix = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
    n_users = matrix.shape[0]
    document_frequency = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float32)
    idf = np.log1p((n_users - document_frequency + 0.5) / (document_frequency + 0.5)).astype(np.float32)
    lengths = np.asarray(matrix.sum(axis=1), dtype=np.float32).ravel()
    mean_length = float(lengths.mean()) if n_users and lengths.mean() > 0 else 1.0
    row_norm = (k1 * (1.0 - b + b * lengths / mean_length)).astype(np.float32)
    per_entry_norm = np.repeat(row_norm, np.diff(matrix.indptr))
    tf = matrix.data
    matrix.data = (tf * (k1 + 1.0) / (tf + per_entry_norm) * idf[matrix.indices]).astype(np.float32)
    return matrix


def _unit_rows(vectors: Float32Array) -> Float32Array:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


@dataclass(frozen=True)
class BehaviourEmbedding:
    """Item factors of a BM25-weighted behaviour matrix; `transform` folds viewers in as unit vectors.

    `prefix_dims` of the same factors give coarser embeddings for free: the leading singular directions of a
    rank-64 decomposition are those of the rank-32 one.
    """

    item_factors: Float32Array  # (n_items, dims), columns ordered by singular value

    @property
    def dims(self) -> int:
        return int(self.item_factors.shape[1])

    @classmethod
    def fit(
        cls, weighted: sp.csr_matrix, dims: int = 64, fit_rows: int = 100_000, random_state: int = 0
    ) -> BehaviourEmbedding:
        """Fit on `weighted` (already BM25-weighted), or on `fit_rows` random rows of it when it has more."""
        rng = np.random.default_rng(random_state)
        sample = weighted
        if weighted.shape[0] > fit_rows:
            sample = weighted[np.sort(rng.choice(weighted.shape[0], size=fit_rows, replace=False))]
        rank = max(1, min(dims, *sample.shape))
        if min(sample.shape) < 2 * rank + 10:
            # randomised SVD needs room to oversample; a matrix this thin is cheaper to decompose exactly
            _, _, vt = np.linalg.svd(sample.toarray(), full_matrices=False)
            vt = vt[:rank]
        else:
            _, _, vt = randomized_svd(sample, rank, n_iter=4, random_state=random_state)
        # B·V = U·Σ, so folding a fitted row in gives back its row of the decomposition.
        return cls(item_factors=np.ascontiguousarray(vt.T, dtype=np.float32))

    def transform(self, weighted: sp.csr_matrix, dims: int | None = None) -> Float32Array:
        """Unit-length embeddings of the rows of `weighted`, on the leading `dims` factors (all by default)."""
        factors = self.item_factors if dims is None else self.item_factors[:, :dims]
        return _unit_rows(np.asarray(weighted @ factors, dtype=np.float32))

    def chunks(self, weighted: sp.csr_matrix, chunk_rows: int) -> Iterator[tuple[slice, Float32Array]]:
        """(rows, embeddings) chunk by chunk, so that scoring millions of viewers holds one chunk at a time."""
        for start in range(0, weighted.shape[0], chunk_rows):
            rows = slice(start, min(start + chunk_rows, weighted.shape[0]))
            yield rows, np.asarray(weighted[rows] @ self.item_factors, dtype=np.float32)
