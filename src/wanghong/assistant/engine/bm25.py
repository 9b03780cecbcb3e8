"""Okapi BM25 as two sparse matrices: documents × terms weights once, queries × terms per batch, one product.

Written here rather than taken from rank-bm25 (a Python loop per query and term, ~40× slower on the CMRC set)
or bm25s (a fine package, but one more dependency for forty lines of scipy).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from wanghong.assistant.engine.text import Tokenizer


class BM25Index:
    """Build from documents with a tokenizer; :meth:`scores` gives a dense (queries × documents) array."""

    def __init__(self, documents: Sequence[str], tokenizer: Tokenizer, *, k1: float = 1.2, b: float = 0.75) -> None:
        self.tokenizer = tokenizer
        self.vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        counts: list[int] = []
        lengths = np.zeros(len(documents), dtype=np.float32)
        for row, document in enumerate(documents):
            terms = Counter(tokenizer(document))
            lengths[row] = sum(terms.values())
            for term, count in terms.items():
                rows.append(row)
                cols.append(self.vocabulary.setdefault(term, len(self.vocabulary)))
                counts.append(count)
        shape = (len(documents), max(len(self.vocabulary), 1))
        tf = sp.coo_matrix((np.asarray(counts, dtype=np.float32), (rows, cols)), shape=shape)
        frequency = np.bincount(tf.col, minlength=shape[1]).astype(np.float32)
        # Lucene's idf, one plus inside the log: never negative, so a term in most documents still counts a little.
        self.idf = np.log1p((len(documents) - frequency + 0.5) / (frequency + 0.5)).astype(np.float32)
        average = float(lengths.mean()) if len(documents) else 1.0
        norm = k1 * (1.0 - b + b * lengths[tf.row] / max(average, 1e-9))
        weights = tf.data * (k1 + 1.0) / (tf.data + norm) * self.idf[tf.col]
        self.weights_t = sp.csr_matrix((weights, (tf.col, tf.row)), shape=(shape[1], shape[0]), dtype=np.float32)

    def query_matrix(self, queries: Sequence[str]) -> sp.csr_matrix:
        """Queries × terms, 1 for each distinct known term (BM25's query side: repeats in a query do not count)."""
        rows: list[int] = []
        cols: list[int] = []
        for row, query in enumerate(queries):
            for term in set(self.tokenizer(query)):
                col = self.vocabulary.get(term)
                if col is not None:
                    rows.append(row)
                    cols.append(col)
        data = np.ones(len(rows), dtype=np.float32)
        return sp.csr_matrix((data, (rows, cols)), shape=(len(queries), self.weights_t.shape[0]))

    def scores(self, queries: Sequence[str]) -> np.ndarray:
        return np.asarray((self.query_matrix(queries) @ self.weights_t).toarray(), dtype=np.float32)
