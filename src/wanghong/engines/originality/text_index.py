"""Incremental near-duplicate index for Chinese titles, captions and scripts.

Pipeline per batch: validate → normalise (normalize.py) → shingle into unit bigrams →
exact-duplicate lookup on the shingle set → MinHash signatures → LSH band candidates against the
index and within the batch → *exact* Jaccard check of every candidate → confirmed pairs. Only after
every step succeeded is the index mutated, so a rejected batch leaves it exactly as it was.

Why MinHash and not SimHash: on short titles SimHash's Hamming distance barely separates copies
from unrelated titles (bench/originality.py measures both on the labelled set), while MinHash
estimates Jaccard directly and the exact check removes its false positives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import numpy as np
import numpy.typing as npt

from wanghong.engines.originality.attribution import ConfirmedPair, Fingerprint
from wanghong.engines.originality.errors import OriginalityInputError
from wanghong.engines.originality.lsh import BandIndex, band_keys, optimal_bands
from wanghong.engines.originality.minhash import MinHasher, Shingles, jaccard_pairs, shingle_batch, splitmix64
from wanghong.engines.originality.normalize import normalize_batch

# Chosen on the labelled set (data/titles_eval.jsonl): see bench/originality.py for the sweep.
DEFAULT_THRESHOLD = 0.75
_DF_BUCKETS = 1 << 22
METHOD = "text-minhash-v1"
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class TextItem:
    """One piece of text content to index; ``published_at`` must carry a UTC offset."""

    id: str
    text: str
    published_at: datetime


@dataclass(frozen=True, slots=True)
class TextMatch:
    id: str
    similarity: float


class _Growable:
    """An append-only numpy array with amortised O(1) appends (capacity doubling)."""

    def __init__(self, dtype: type[np.generic]) -> None:
        self._data = np.empty(1024, dtype)
        self._size = 0

    def extend(self, values: npt.NDArray[np.generic]) -> None:
        need = self._size + len(values)
        if need > len(self._data):
            grown = np.empty(max(need, 2 * len(self._data)), self._data.dtype)
            grown[: self._size] = self._data[: self._size]
            self._data = grown
        self._data[self._size : need] = values
        self._size = need

    def view(self) -> npt.NDArray[np.generic]:
        return self._data[: self._size]


@cache
def _bands_for(threshold: float, num_perm: int) -> tuple[int, int]:
    return optimal_bands(threshold, num_perm)


class TextNearDupIndex:
    """Index of text content that reports, for each new batch, the near-duplicate pairs it creates.

    Document numbers are dense ints in arrival order; ids are the caller's strings.
    """

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = 64,
        ngram: int = 2,
        seed: int = 1,
        threads: int = 1,
        idf: bool = True,
        lsh_margin: float = 0.1,
        with_units: bool = True,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise OriginalityInputError(f"阈值须在 (0, 1] 内 / threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.ngram = ngram
        self.with_units = with_units
        self.hasher = MinHasher(num_perm=num_perm, seed=seed, threads=threads)
        self.idf = idf
        # Weighted similarity can exceed the plain Jaccard that LSH banding approximates (when the
        # words a copy changed are common ones), so candidates are gathered below the threshold.
        self.lsh_threshold = min(0.99, max(0.2, threshold - lsh_margin if idf else threshold))
        self.bands, self.rows = _bands_for(self.lsh_threshold, num_perm)
        # Document frequency of shingles, counted in 2**22 hashed buckets (a count sketch: a
        # collision can only inflate a count, i.e. lower a weight slightly).
        self._df = np.zeros(_DF_BUCKETS, np.uint32)
        self._lsh = BandIndex(self.bands)
        self._ids: list[str] = []
        self._number: dict[str, int] = {}
        self._published: list[datetime] = []
        self._values = _Growable(np.uint32)
        self._offsets = _Growable(np.int64)
        self._offsets.extend(np.zeros(1, np.int64))
        # Exact duplicates (same shingle set) skip LSH: a viral title re-posted ten thousand times
        # would otherwise fill one bucket and make candidate pairs quadratic.
        self._canonical: dict[tuple[int, int], int] = {}
        self._duplicates: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, content_id: object) -> bool:
        return content_id in self._number

    def _stored(self) -> Shingles:
        return Shingles(self._values.view(), self._offsets.view())  # type: ignore[arg-type]

    def validate(self, items: Sequence[TextItem]) -> None:
        """Raise OriginalityInputError (with ``position``) for the first unusable item."""
        seen: set[str] = set()
        for position, item in enumerate(items):
            if not isinstance(item.id, str) or not item.id:
                raise OriginalityInputError(
                    f"id 须为非空字符串 / id must be a non-empty string, got {item.id!r}", position
                )
            if item.id in seen or item.id in self._number:
                raise OriginalityInputError(f"id 重复 / duplicate id {item.id!r}", position)
            seen.add(item.id)
            if not isinstance(item.text, str) or not item.text.strip():
                raise OriginalityInputError(f"文本为空 / text of {item.id!r} is empty", position)
            if not isinstance(item.published_at, datetime) or item.published_at.tzinfo is None:
                raise OriginalityInputError(
                    f"发布时间须带时区 / published_at of {item.id!r} must be a datetime with a UTC offset",
                    position,
                )

    def _digests(self, shingles: Shingles) -> list[tuple[int, int]]:
        sizes = shingles.sizes
        mixed = splitmix64(shingles.values.astype(np.uint64))
        sums = np.zeros(len(shingles), np.uint64)
        nonempty = sizes > 0
        if nonempty.any():
            with np.errstate(over="ignore"):
                sums[nonempty] = np.add.reduceat(mixed, shingles.offsets[:-1][nonempty])
        return list(zip(sums.tolist(), sizes.tolist(), strict=True))

    def _candidates(
        self, shingles: Shingles, digests: list[tuple[int, int]]
    ) -> tuple[I64, I64, I64, I64, list[int], U64]:
        """Candidate pairs (new row, old doc) and (new row, new row), the rows that go into LSH and
        their band keys. Rows whose shingle set is already indexed skip LSH and pair with it."""
        exact_new: list[int] = []
        exact_old: list[int] = []
        self_a: list[int] = []
        self_b: list[int] = []
        to_index: list[int] = []
        first_in_batch: dict[tuple[int, int], int] = {}
        sizes = shingles.sizes
        for row, digest in enumerate(digests):
            if sizes[row] == 0:
                continue
            old = self._canonical.get(digest)
            if old is not None:
                exact_new.append(row)
                exact_old.append(old)
            elif digest in first_in_batch:
                self_a.append(first_in_batch[digest])
                self_b.append(row)
            else:
                first_in_batch[digest] = row
                to_index.append(row)
        rows = np.asarray(to_index, np.int64)
        keys = band_keys(self.hasher.signatures(_subset(shingles, rows)), self.bands, self.rows)
        q, old_docs = self._lsh.query(keys)
        new_rows = np.concatenate((np.asarray(exact_new, np.int64), rows[q]))
        old_docs = np.concatenate((np.asarray(exact_old, np.int64), old_docs))
        a, b = BandIndex.self_pairs(keys)
        self_rows_a = np.concatenate((np.asarray(self_a, np.int64), rows[a]))
        self_rows_b = np.concatenate((np.asarray(self_b, np.int64), rows[b]))
        return new_rows, old_docs, self_rows_a, self_rows_b, to_index, keys

    def add_batch(self, items: Sequence[TextItem]) -> list[ConfirmedPair]:
        """Index ``items`` and return the near-duplicate pairs they form (earlier-indexed id first).

        Pairs reach both back into the index and across the batch itself. The batch is validated and
        fully processed before the index changes: on any error the index is untouched.
        """
        self.validate(items)
        if not items:
            return []
        shingles = shingle_batch(normalize_batch([item.text for item in items]), self.ngram, self.with_units)
        digests = self._digests(shingles)
        new_rows, old_docs, self_a, self_b, to_index, keys = self._candidates(shingles, digests)
        stored = self._stored()
        batch_df = np.bincount(shingles.values & np.uint32(_DF_BUCKETS - 1), minlength=_DF_BUCKETS)
        weights = self._weights(batch_df, len(items))
        sim_old = jaccard_pairs(shingles, new_rows, stored, old_docs, weights)
        sim_self = jaccard_pairs(shingles, self_a, shingles, self_b, weights)

        base = len(self._ids)
        pairs: list[ConfirmedPair] = []
        for row, doc, sim in zip(new_rows.tolist(), old_docs.tolist(), sim_old.tolist(), strict=True):
            if sim >= self.threshold:
                pairs.append(ConfirmedPair(self._ids[doc], items[row].id, sim, METHOD))
        for a, b, sim in zip(self_a.tolist(), self_b.tolist(), sim_self.tolist(), strict=True):
            if sim >= self.threshold:
                pairs.append(ConfirmedPair(items[a].id, items[b].id, sim, METHOD))

        # Commit: nothing below can fail on user input.
        for row, item in enumerate(items):
            self._number[item.id] = base + row
            self._ids.append(item.id)
            self._published.append(item.published_at)
        self._df += batch_df.astype(np.uint32)
        self._values.extend(shingles.values)
        self._offsets.extend(shingles.offsets[1:] + self._offsets.view()[-1])
        indexed = set(to_index)
        for row, digest in enumerate(digests):
            if row in indexed:
                self._canonical[digest] = base + row
            elif shingles.sizes[row] > 0:
                canonical = self._canonical[digest]
                self._duplicates.setdefault(canonical, []).append(base + row)
        self._lsh.add(keys, np.asarray(to_index, np.int64) + base)
        return pairs

    def query(self, texts: Sequence[str]) -> list[list[TextMatch]]:
        """For each text, the indexed content at or above the threshold, most similar first."""
        if not texts:
            return []
        shingles = shingle_batch(normalize_batch(list(texts)), self.ngram, self.with_units)
        # Queries are not indexed, so identical queries are not folded into one another.
        rows = np.flatnonzero(shingles.sizes > 0)
        keys = band_keys(self.hasher.signatures(_subset(shingles, rows)), self.bands, self.rows)
        q, old_docs = self._lsh.query(keys)
        new_rows = rows[q]
        sims = jaccard_pairs(shingles, new_rows, self._stored(), old_docs, self._weights(None, 0))
        results: list[list[TextMatch]] = [[] for _ in texts]
        for row, doc, sim in zip(new_rows.tolist(), old_docs.tolist(), sims.tolist(), strict=True):
            if sim >= self.threshold:
                for member in [doc, *self._duplicates.get(doc, [])]:
                    results[row].append(TextMatch(self._ids[member], sim))
        for matches in results:
            matches.sort(key=lambda m: (-m.similarity, m.id))
        return results

    def _weights(self, extra_df: npt.NDArray[np.int64] | None, extra_docs: int) -> npt.NDArray[np.float64] | None:
        """Smoothed inverse document frequency per shingle bucket (Spärck Jones, 1972).

        Shared template words ("开箱测评", "到底值不值") weigh less than the product or topic words
        that tell two titles apart, so same-template titles about different products stay apart
        while copies with a few words swapped still match.
        """
        if not self.idf:
            return None
        df = self._df if extra_df is None else self._df + extra_df
        docs = len(self._ids) + extra_docs
        return np.log((docs + 1) / (df + 1.0)) + 1.0

    def fingerprint(self, content_id: str) -> Fingerprint:
        """The MinHash signature of indexed content, recomputed from its stored shingles."""
        number = self._number[content_id]
        stored = self._stored()
        one = _subset(stored, np.asarray([number], np.int64))
        signature = self.hasher.signatures(one)[0]
        return Fingerprint(METHOD, signature.astype("<u4").tobytes())

    def published_at(self, content_id: str) -> datetime:
        return self._published[self._number[content_id]]


def _subset(shingles: Shingles, rows: I64) -> Shingles:
    starts = shingles.offsets[rows]
    sizes = shingles.offsets[rows + 1] - starts
    offsets = np.zeros(len(rows) + 1, np.int64)
    np.cumsum(sizes, out=offsets[1:])
    first = offsets[:-1]
    positions = np.arange(int(offsets[-1]), dtype=np.int64) - np.repeat(first - starts, sizes)
    return Shingles(shingles.values[positions], offsets)
