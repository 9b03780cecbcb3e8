"""The exact strategy's building blocks: packed row bitmaps for the filters and brute-force scoring of rows.

A filter column with a small vocabulary is one packed bitmap per value (n/8 bytes), so a filter is a few ORs
and ANDs and its popcount is the exact number of passing rows; the rows that pass are then scored one block at
a time (see `MatchIndex` for when the planner chooses this over the IVF).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from wanghong.matching.engine.vectors import FloatMatrix, FloatVector

Rows = npt.NDArray[np.int64]
Bitmap = npt.NDArray[np.uint8]
# Follower buckets on a 1-2-5 scale (0, 1, 2, 5, 10, 20, 50, … 50 billion): the round numbers brands type
# (10万, 100万) are bucket edges, so a typical range is an OR of whole buckets with no column read.
FOLLOWER_EDGES: npt.NDArray[np.int64] = np.array(
    [0, *(m * 10**e for e in range(11) for m in (1, 2, 5))], dtype=np.int64
)
SPARSE_BYTES = 0.25  # share of non-zero bitmap bytes below which rows are expanded byte-wise
# Rows gathered and scored per step: 4096 × 208 bytes stays in cache, where one big gather of 67,000 scattered
# rows spilled to memory (measured 2.8 ms in steps against 6.4 ms in one go; 155 against 322 ms for 3 M rows).
SCORE_BLOCK = 4096


def pack(mask: npt.NDArray[np.bool_]) -> Bitmap:
    return np.packbits(mask, bitorder="little")


def popcount(bitmap: Bitmap) -> int:
    return int(np.bitwise_count(bitmap).sum(dtype=np.int64))


def bitmap_rows(bitmap: Bitmap, n: int) -> Rows:
    """Rows whose bit is set, ascending.

    A selective bitmap has mostly zero bytes: expanding only the non-zero ones reads n/8 bytes instead of
    writing and scanning n unpacked bits (2.2 % selectivity at 3 M rows: about 1 ms instead of 5 ms).
    """
    nonzero = np.flatnonzero(bitmap)
    if nonzero.size > SPARSE_BYTES * bitmap.size:
        return np.flatnonzero(np.unpackbits(bitmap, count=n, bitorder="little")).astype(np.int64)
    bits = np.flatnonzero(np.unpackbits(bitmap[nonzero], bitorder="little"))
    return (nonzero[bits >> 3] << 3) | (bits & 7)


def bits_at(bitmap: Bitmap, rows: Rows) -> npt.NDArray[np.bool_]:
    return ((bitmap[rows >> 3] >> (rows & 7).astype(np.uint8)) & 1).astype(bool)


def set_bits(bitmap: Bitmap, rows: Rows, values: npt.NDArray[np.bool_]) -> None:
    byte = rows >> 3
    bit = (np.left_shift(1, rows & 7)).astype(np.uint8)
    on = values.astype(bool)
    if on.any():
        np.bitwise_or.at(bitmap, byte[on], bit[on])
    if (~on).any():
        np.bitwise_and.at(bitmap, byte[~on], ~bit[~on])


def follower_bucket(followers: npt.NDArray[np.int64]) -> npt.NDArray[np.int8]:
    return (np.searchsorted(FOLLOWER_EDGES, followers, side="right") - 1).astype(np.int8)


def score_rows(vectors: FloatMatrix, rows: Rows, q: FloatVector) -> npt.NDArray[np.float32]:
    """Inner products of `rows` with `q`, single-threaded (see `engine.index` on BLAS), in cached blocks."""
    out = np.empty(rows.shape[0], dtype=np.float32)
    for start in range(0, rows.shape[0], SCORE_BLOCK):
        block = rows[start : start + SCORE_BLOCK]
        np.einsum("ij,j->i", vectors[block], q, out=out[start : start + SCORE_BLOCK])
    return out


def top_k(scores: npt.NDArray[np.float32], k: int) -> npt.NDArray[np.int64]:
    """Positions of the k largest scores, best first (ties by position, so results are deterministic)."""
    part = np.argpartition(-scores, k - 1)[:k] if scores.shape[0] > k else np.arange(scores.shape[0])
    order = np.lexsort((part, -scores[part]))
    return part[order].astype(np.int64)


def exact_top_k(vectors: FloatMatrix, rows: Rows, q: FloatVector, k: int) -> tuple[Rows, npt.NDArray[np.float32]]:
    """The best `k` of `rows` for `q`, best first, with their scores: recall 1 by construction."""
    if rows.shape[0] == 0:
        return rows, np.zeros(0, dtype=np.float32)
    scores = score_rows(vectors, rows, q)
    best = top_k(scores, k)
    return rows[best], scores[best]
