"""Hybrid passage retrieval: BM25 on character bigrams + BM25 on jieba words + USE sentence embeddings.

Each passage is also cut into sentences and embedded sentence by sentence; its dense score is the best
sentence's cosine (a question usually asks about one sentence, and a 500-character passage's single vector is
a blur: R@1 0.671 → 0.711 on CMRC 2018 dev). The three scores are z-normalised over the passages for each
query and added with weights tuned on the even-numbered CMRC passages and checked on the odd ones
(tools: ``bench/assistant.py --tune``). Measured R@1 on CMRC 2018 dev (3,219 questions, 848 passages):
bigram BM25 0.961, jieba BM25 0.961, dense 0.711, this fusion 0.975 (tuned half 0.976, held-out half 0.974).
Reciprocal-rank fusion was tried and is worse here (0.955 at best): it throws away how far ahead the leader is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from wanghong.assistant.engine.bm25 import BM25Index
from wanghong.assistant.engine.dense import Encoder
from wanghong.assistant.engine.text import char_bigrams, jieba_words, sentences


@dataclass(frozen=True, slots=True)
class Passage:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Weights:
    bigram: float = 1.0
    words: float = 0.5
    dense: float = 1.2


CMRC_WEIGHTS = Weights()
_BATCH = 512


@dataclass(frozen=True, slots=True)
class Scores:
    """Per-query raw component scores (queries × passages) and their fusion; raw scores feed abstention."""

    bigram: np.ndarray
    words: np.ndarray | None
    dense: np.ndarray | None
    fused: np.ndarray


class HybridRetriever:
    """Index passages once; score or rank any number of queries against them.

    ``encoder=None`` drops the dense part, ``use_words=False`` the jieba part (jieba's dictionary costs ≈1 s
    to load, worth it for a corpus, not for a ten-fact product card).
    """

    def __init__(
        self,
        passages: Sequence[Passage],
        encoder: Encoder | None,
        *,
        weights: Weights = CMRC_WEIGHTS,
        use_words: bool = True,
    ) -> None:
        self.passages = list(passages)
        self.weights = weights
        texts = [p.text for p in self.passages]
        self.bigram = BM25Index(texts, char_bigrams)
        self.words = BM25Index(texts, jieba_words) if use_words and weights.words else None
        self.encoder = encoder if weights.dense else None
        self.sentence_owner = np.zeros(0, dtype=np.int64)
        self.sentence_vectors = np.zeros((0, 0), dtype=np.float32)
        if self.encoder is not None:
            owners: list[int] = []
            pieces: list[str] = []
            for index, text in enumerate(texts):
                for sentence in sentences(text):
                    owners.append(index)
                    pieces.append(sentence)
            self.sentence_owner = np.asarray(owners, dtype=np.int64)
            self.sentence_vectors = self.encoder.encode(pieces)

    def __len__(self) -> int:
        return len(self.passages)

    def scores(self, queries: Sequence[str], query_vectors: np.ndarray | None = None) -> Scores:
        bigram = self.bigram.scores(queries)
        fused = self.weights.bigram * zscore(bigram)
        words = None
        if self.words is not None:
            words = self.words.scores(queries)
            fused += self.weights.words * zscore(words)
        dense = None
        if self.encoder is not None:
            if query_vectors is None:
                query_vectors = self.encoder.encode(queries)
            dense = self._dense(query_vectors)
            fused += self.weights.dense * zscore(dense)
        return Scores(bigram, words, dense, fused)

    def _dense(self, query_vectors: np.ndarray) -> np.ndarray:
        """Best sentence's cosine per passage: sentences of one passage are contiguous, so a segmented maximum."""
        similarity = query_vectors @ self.sentence_vectors.T
        starts = np.flatnonzero(np.r_[True, np.diff(self.sentence_owner) != 0])
        best = np.maximum.reduceat(similarity, starts, axis=1) if similarity.size else similarity
        out = np.full((len(query_vectors), len(self.passages)), -1.0, dtype=np.float32)
        out[:, self.sentence_owner[starts]] = best
        return out

    def search(
        self, queries: Sequence[str], top: int, query_vectors: np.ndarray | None = None
    ) -> list[list[tuple[Passage, float]]]:
        """The ``top`` best passages per query, best first, with their fused score; ties keep input order."""
        results: list[list[tuple[Passage, float]]] = []
        top = min(top, len(self.passages))
        for start in range(0, len(queries), _BATCH):
            vectors = query_vectors[start : start + _BATCH] if query_vectors is not None else None
            fused = self.scores(queries[start : start + _BATCH], vectors).fused
            for row in fused:
                order = _top_k(row, top)
                results.append([(self.passages[i], float(row[i])) for i in order])
        return results


def zscore(matrix: np.ndarray) -> np.ndarray:
    """Per row; a row without spread (one passage, or no query term known) contributes zeros, not noise."""
    spread = matrix.std(axis=1, keepdims=True)
    centred = matrix - matrix.mean(axis=1, keepdims=True)
    return np.divide(centred, spread, out=np.zeros_like(centred), where=spread > 1e-9)


def _top_k(row: np.ndarray, k: int) -> np.ndarray:
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    candidates = np.argpartition(-row, k - 1)[:k] if k < len(row) else np.arange(len(row))
    # Stable on (score desc, position asc): equal scores rank in passage order.
    return candidates[np.lexsort((candidates, -row[candidates]))]
