"""MinHash LSH banding over sorted numpy arrays, indexed incrementally in batches.

Banding (Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3.4): a signature of
``b·r`` minima is cut into ``b`` bands of ``r`` rows; two documents become candidates when any
band is identical, which happens with probability ``1 − (1 − s^r)^b`` at Jaccard ``s``.

Instead of one hash table per band (datasketch keeps Python dicts, rensa Rust maps), each band's
keys live in sorted numpy arrays. New batches are written as small sorted *segments* and merged
size-tiered, as in a log-structured merge tree (O'Neil et al., 1996), so that adding a batch costs
a sort of the batch plus amortised O(log n) merges, and a query is one ``searchsorted`` per band
and segment — all vectorised over the batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.integrate import quad

from wanghong.originality.engine.minhash import splitmix64

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]


def optimal_bands(
    threshold: float, num_perm: int, false_positive_weight: float = 0.5, false_negative_weight: float = 0.5
) -> tuple[int, int]:
    """(bands, rows) minimising the weighted areas of false positives below and false negatives
    above ``threshold`` under the S-curve — the same criterion as datasketch's ``MinHashLSH``.
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must lie strictly between 0 and 1, got {threshold}")
    best, best_error = (1, 1), float("inf")
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            fp, _ = quad(lambda s, b=bands, r=rows: 1 - (1 - s**r) ** b, 0.0, threshold)
            fn, _ = quad(lambda s, b=bands, r=rows: (1 - s**r) ** b, threshold, 1.0)
            error = fp * false_positive_weight + fn * false_negative_weight
            if error < best_error:
                best, best_error = (bands, rows), error
    return best


def band_keys(signatures: npt.NDArray[np.uint32], bands: int, rows: int) -> U64:
    """(documents × bands) 64-bit keys, each a hash of one band's ``rows`` minima."""
    n = signatures.shape[0]
    if signatures.shape[1] < bands * rows:
        raise ValueError(f"signatures have {signatures.shape[1]} values, banding needs {bands * rows}")
    cut = signatures[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    key = np.zeros((n, bands), np.uint64)
    for j in range(rows):
        key = splitmix64(key ^ cut[:, :, j])
    return key


@dataclass(slots=True)
class _Segment:
    keys: U64  # (bands, size), each row sorted
    docs: I64  # (bands, size), document number aligned with keys

    @property
    def size(self) -> int:
        return int(self.keys.shape[1])


def _sorted_segment(keys: U64, docs: I64) -> _Segment:
    """Build a segment from (documents × bands) keys."""
    by_band = np.ascontiguousarray(keys.T)
    order = np.argsort(by_band, axis=1, kind="stable")
    return _Segment(np.take_along_axis(by_band, order, axis=1), docs[order])


def _ranges(lo: I64, hi: I64) -> tuple[I64, I64]:
    """For half-open ranges [lo[i], hi[i]): (owner i, position) of every element, vectorised."""
    counts = hi - lo
    owner = np.repeat(np.arange(len(lo), dtype=np.int64), counts)
    first = np.cumsum(counts) - counts
    position = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(first - lo, counts)
    return owner, position


@dataclass
class BandIndex:
    """Incremental LSH index of band keys → document numbers (ints chosen by the caller)."""

    bands: int
    segments: list[_Segment] = field(default_factory=list)

    def __len__(self) -> int:
        return sum(s.size for s in self.segments)

    def query(self, keys: U64) -> tuple[I64, I64]:
        """Candidate pairs (query row, indexed document) sharing at least one band, deduplicated."""
        if keys.shape[1] != self.bands:
            raise ValueError(f"expected {self.bands} band keys per row, got {keys.shape[1]}")
        found_q: list[I64] = []
        found_d: list[I64] = []
        for segment in self.segments:
            for band in range(self.bands):
                column = segment.keys[band]
                lo = np.searchsorted(column, keys[:, band], side="left")
                hi = np.searchsorted(column, keys[:, band], side="right")
                hit = hi > lo
                if not hit.any():
                    continue
                owner, position = _ranges(lo[hit], hi[hit])
                found_q.append(np.flatnonzero(hit)[owner])
                found_d.append(segment.docs[band][position])
        return _unique_pairs(found_q, found_d)

    @staticmethod
    def self_pairs(keys: U64) -> tuple[I64, I64]:
        """Pairs (i, j), i < j, of rows within one batch sharing at least one band, deduplicated."""
        found_a: list[I64] = []
        found_b: list[I64] = []
        for band in range(keys.shape[1]):
            column = keys[:, band]
            order = np.argsort(column, kind="stable")
            ordered = column[order]
            # run_start[k]: index in `ordered` where the run of equal keys containing k begins.
            new_run = np.ones(len(ordered), bool)
            new_run[1:] = ordered[1:] != ordered[:-1]
            run_start = np.maximum.accumulate(np.where(new_run, np.arange(len(ordered)), 0))
            earlier = np.arange(len(ordered)) - run_start
            has = earlier > 0
            if not has.any():
                continue
            later_pos = np.flatnonzero(has)
            owner, position = _ranges(run_start[later_pos], later_pos)
            first = order[position]
            second = order[later_pos[owner]]
            found_a.append(np.minimum(first, second))
            found_b.append(np.maximum(first, second))
        return _unique_pairs(found_a, found_b)

    def add(self, keys: U64, docs: I64) -> None:
        """Index ``keys`` (documents × bands) under document numbers ``docs``."""
        if keys.shape[1] != self.bands:
            raise ValueError(f"expected {self.bands} band keys per row, got {keys.shape[1]}")
        if len(keys) == 0:
            return
        self.segments.append(_sorted_segment(keys, docs))
        # Size-tiered merging: fold the newest segment into its predecessor while it has grown
        # at least half as large, so there are O(log n) segments and each key moves O(log n) times.
        while len(self.segments) > 1 and self.segments[-1].size * 2 >= self.segments[-2].size:
            newer = self.segments.pop()
            older = self.segments.pop()
            keys_all = np.concatenate((older.keys, newer.keys), axis=1)
            docs_all = np.concatenate((older.docs, newer.docs), axis=1)
            order = np.argsort(keys_all, axis=1, kind="stable")
            self.segments.append(
                _Segment(np.take_along_axis(keys_all, order, axis=1), np.take_along_axis(docs_all, order, axis=1))
            )


def _unique_pairs(first: list[I64], second: list[I64]) -> tuple[I64, I64]:
    if not first:
        empty = np.empty(0, np.int64)
        return empty, empty.copy()
    a = np.concatenate(first)
    b = np.concatenate(second)
    packed = np.unique((a.astype(np.uint64) << np.uint64(32)) | b.astype(np.uint64))
    return (packed >> np.uint64(32)).astype(np.int64), (packed & np.uint64(0xFFFFFFFF)).astype(np.int64)
