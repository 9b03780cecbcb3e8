"""Character n-gram shingles and MinHash signatures, computed for whole batches with numpy.

Unspaced Chinese has no word boundaries, so a title is cut into *units* — one unit per CJK
character (or kana, hangul …) and one unit per run of ASCII/Latin letters and digits, so that
"iphone15" counts as one unit rather than eight — and shingled into overlapping n-grams of
units. Each shingle is a 64-bit hash; a document is the *set* of its shingles.

MinHash (Broder, "On the resemblance and containment of documents", 1997) estimates the
Jaccard similarity of two sets from the fraction of equal minima under random hash functions.
Here each "permutation" is a multiply-shift hash ``(a·x + b) >> 32`` over 64-bit words
(Dietzfelbinger et al., "A reliable randomized algorithm for the closest-pair problem", 1997)
applied to shingles that were first passed through the SplitMix64 finaliser, computed for all
shingles of many documents as one (shingles × permutations) array and reduced per document
with ``np.minimum.reduceat``. bench/originality.py compares its speed with datasketch and rensa.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_WORD_TAG = np.uint64(1 << 63)  # keeps word-unit hashes apart from code points (< 2**21)
_MAX_WORD = 24  # letters of a word unit that enter its hash; longer words are cut, not split


def splitmix64(x: U64) -> U64:
    """SplitMix64 finaliser (Steele et al., OOPSLA 2014): a bijective 64-bit mixer, vectorised."""
    with np.errstate(over="ignore"):
        z = x + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _MIX1
        z = (z ^ (z >> np.uint64(27))) * _MIX2
        return z ^ (z >> np.uint64(31))


@dataclass(frozen=True, slots=True)
class Shingles:
    """Shingle sets of a batch in CSR layout: document i owns ``values[offsets[i]:offsets[i+1]]``.

    Values are 32-bit shingle hashes, sorted and unique within each document.
    """

    values: U32
    offsets: I64

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def sizes(self) -> I64:
        return np.diff(self.offsets)

    def of(self, i: int) -> U32:
        return self.values[self.offsets[i] : self.offsets[i + 1]]


def _is_word_char(cp: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    return (
        ((cp >= 0x30) & (cp <= 0x39))
        | ((cp >= 0x61) & (cp <= 0x7A))
        | ((cp >= 0xC0) & (cp <= 0x4FF))  # Latin-1 … Cyrillic letters left by normalisation
    )


def shingle_batch(normalized: Sequence[str], ngram: int = 2, with_units: bool = False) -> Shingles:
    """Shingle normalised texts (see ``normalize.normalize_batch``) into sorted unique 64-bit sets.

    With ``with_units`` every unit is also a shingle of its own. A text with fewer units than
    ``ngram`` is always represented by its units' own shingles, so a one-word
    title still matches its copies; a text with no units gets an empty set.
    """
    if ngram < 1:
        raise ValueError(f"ngram must be ≥ 1, got {ngram}")
    n_docs = len(normalized)
    if n_docs == 0:
        return Shingles(np.empty(0, np.uint32), np.zeros(1, np.int64))
    joined = "\n".join(normalized)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    is_sep = cp == 0x0A
    doc_of_char = np.cumsum(is_sep) - is_sep  # separators belong to the document they end
    is_blank = is_sep | (cp == 0x20)
    is_word = _is_word_char(cp)
    prev_word = np.concatenate(([False], is_word[:-1]))
    starts = np.flatnonzero(~is_blank & ~(is_word & prev_word))

    # A unit's id: the code point itself, or for a word run a polynomial hash of its letters.
    unit = cp[starts].astype(np.uint64)
    word_start = is_word[starts]
    if word_start.any():
        ws = starts[word_start]
        h = np.zeros(len(ws), np.uint64)
        alive = np.ones(len(ws), bool)
        with np.errstate(over="ignore"):
            for k in range(_MAX_WORD):
                pos = ws + k
                alive &= pos < len(cp)
                alive[alive] &= is_word[pos[alive]]
                if not alive.any():
                    break
                h[alive] = h[alive] * np.uint64(1_000_003) + cp[pos[alive]].astype(np.uint64)
        unit[word_start] = splitmix64(h) | _WORD_TAG
    unit_doc = doc_of_char[starts]

    # n-grams of consecutive units within one document, combined by chained mixing.
    n_units = len(unit)
    if n_units >= ngram:
        span = n_units - ngram + 1
        gram = splitmix64(unit[:span].copy())
        same_doc = np.ones(span, bool)
        with np.errstate(over="ignore"):
            for k in range(1, ngram):
                gram = splitmix64(gram ^ unit[k : k + span])
                same_doc &= unit_doc[k : k + span] == unit_doc[:span]
        gram_doc = unit_doc[:span][same_doc]
        gram = gram[same_doc]
    else:
        gram_doc = np.empty(0, np.int64)
        gram = np.empty(0, np.uint64)

    # Documents too short for one n-gram fall back to their units.
    units_per_doc = np.bincount(unit_doc, minlength=n_docs)
    short = units_per_doc < ngram
    if ngram > 1 and (with_units or short.any()):
        # Single units as well: a synonym swap rewrites every bigram it touches but keeps most
        # characters, and IDF weighting keeps common characters from dominating.
        in_short = np.ones(len(unit), bool) if with_units else short[unit_doc]
        gram = np.concatenate((gram, splitmix64(unit[in_short] ^ _GOLDEN)))
        gram_doc = np.concatenate((gram_doc, unit_doc[in_short]))

    # Sets are kept as 32-bit hashes: packing (document, hash) into one word lets a plain np.sort
    # (SIMD-accelerated for uint64) group and deduplicate them; two distinct shingles collide with
    # probability 2**-32, negligible beside the n-gram choice itself.
    packed = np.sort((gram_doc.astype(np.uint64) << np.uint64(32)) | (gram >> np.uint64(32)))
    keep = np.ones(len(packed), bool)
    keep[1:] = packed[1:] != packed[:-1]
    packed = packed[keep]
    gram_doc = (packed >> np.uint64(32)).astype(np.int64)
    offsets = np.zeros(n_docs + 1, np.int64)
    np.cumsum(np.bincount(gram_doc, minlength=n_docs), out=offsets[1:])
    return Shingles((packed & np.uint64(0xFFFFFFFF)).astype(np.uint32), offsets)


EMPTY_SIGNATURE = np.uint32(0xFFFFFFFF)


class MinHasher:
    """Batch MinHash with ``num_perm`` seeded multiply-shift hash functions.

    ``signatures`` splits the batch into chunks of roughly ``chunk_shingles`` shingles so the
    (shingles × permutations) working array stays cache- and memory-friendly, and runs chunks on
    ``threads`` threads (numpy releases the GIL inside its ufuncs).
    """

    def __init__(self, num_perm: int = 128, seed: int = 1, threads: int = 1, chunk_shingles: int = 1024) -> None:
        if num_perm < 1:
            raise ValueError(f"num_perm must be ≥ 1, got {num_perm}")
        if threads < 1:
            raise ValueError(f"threads must be ≥ 1, got {threads}")
        self.num_perm = num_perm
        self.seed = seed
        self.threads = threads
        self.chunk_shingles = chunk_shingles
        rng = np.random.default_rng(seed)
        # Odd multipliers make x ↦ a·x a bijection on 64-bit words.
        self._a = rng.integers(0, 2**64 - 1, size=num_perm, dtype=np.uint64, endpoint=True) | np.uint64(1)
        self._b = rng.integers(0, 2**64 - 1, size=num_perm, dtype=np.uint64, endpoint=True)

    def _chunk(self, values: U32, starts: I64, sizes: I64) -> npt.NDArray[np.uint32]:
        out = np.full((len(starts), self.num_perm), EMPTY_SIGNATURE, np.uint32)
        nonempty = sizes > 0
        if not nonempty.any():
            return out
        mixed = splitmix64(values.astype(np.uint64))
        with np.errstate(over="ignore"):
            hashed = mixed[:, None] * self._a[None, :]
            hashed += self._b[None, :]
        hashed >>= np.uint64(32)
        h32 = hashed.astype(np.uint32)
        out[nonempty] = np.minimum.reduceat(h32, starts[nonempty], axis=0)
        return out

    def signatures(self, shingles: Shingles) -> npt.NDArray[np.uint32]:
        """(documents × num_perm) uint32 signatures; an empty set's row is all 0xFFFFFFFF."""
        n = len(shingles)
        offsets = shingles.offsets
        if n == 0:
            return np.empty((0, self.num_perm), np.uint32)
        # Chunk boundaries at document edges, each chunk holding ~chunk_shingles shingles.
        cuts = np.searchsorted(offsets, np.arange(0, offsets[-1], self.chunk_shingles), side="right") - 1
        bounds = np.unique(np.concatenate((cuts, [n])))
        bounds = bounds[(bounds >= 0) & (bounds <= n)]
        if bounds[0] != 0:
            bounds = np.concatenate(([0], bounds))

        def run(k: int) -> npt.NDArray[np.uint32]:
            lo, hi = int(bounds[k]), int(bounds[k + 1])
            base = offsets[lo]
            values = shingles.values[base : offsets[hi]]
            return self._chunk(values, offsets[lo:hi] - base, np.diff(offsets[lo : hi + 1]))

        jobs = range(len(bounds) - 1)
        if self.threads == 1 or len(jobs) == 1:
            parts = [run(k) for k in jobs]
        else:
            with ThreadPoolExecutor(self.threads) as pool:
                parts = list(pool.map(run, jobs))
        return np.concatenate(parts, axis=0)


class OnePermutationHasher:
    """One-permutation MinHash with optimal densification: ``num_bins`` minima from one hash per shingle.

    Li, Owen & Zhang, "One permutation hashing" (NeurIPS 2012): a single hash both picks a bin
    (its high 32 bits, mapped to ``num_bins`` by Lemire's multiply-shift range reduction) and gives
    the value whose minimum the bin keeps; a short title leaves bins empty, so each empty bin
    borrows the minimum of the first non-empty bin along a fixed pseudo-random probe sequence of
    its own (Shrivastava, "Optimal densification for fast and accurate minwise hashing", ICML 2017).
    The sequence depends on the bin only, never on the document, which keeps
    P[bin i agrees] = Jaccard for every bin. One hash per shingle instead of ``num_bins`` makes it
    ~7x faster than :class:`MinHasher` at 64 values (bench/originality.py measures both).
    """

    _PROBES = 1024  # probe steps tried per empty bin before falling back to the first non-empty bin

    def __init__(self, num_perm: int = 64, seed: int = 1) -> None:
        if not 1 <= num_perm <= 1 << 16:
            raise ValueError(f"num_perm must be in [1, 65536], got {num_perm}")
        self.num_perm = num_perm
        self.seed = seed
        rng = np.random.default_rng(seed)
        self._salt = rng.integers(0, 2**64 - 1, dtype=np.uint64, endpoint=True)
        self._probe = rng.integers(0, num_perm, size=(self._PROBES, num_perm), dtype=np.int64)

    def signatures(self, shingles: Shingles) -> npt.NDArray[np.uint32]:
        """(documents × num_perm) uint32 signatures; an empty set's row is all 0xFFFFFFFF."""
        n, k = len(shingles), self.num_perm
        if n == 0:
            return np.empty((0, k), np.uint32)
        hashed = splitmix64(shingles.values.astype(np.uint64) ^ self._salt)
        bins = (((hashed >> np.uint64(32)) * np.uint64(k)) >> np.uint64(32)).astype(np.int64)
        cells = np.repeat(np.arange(n, dtype=np.int64) * k, shingles.sizes) + bins
        flat = np.full(n * k, EMPTY_SIGNATURE, np.uint32)
        np.minimum.at(flat, cells, (hashed & np.uint64(0xFFFFFFFF)).astype(np.uint32))
        filled = np.zeros(n * k, bool)
        filled[cells] = True
        raw = flat.reshape(n, k)
        filled_2d = filled.reshape(n, k)
        out = raw.copy()
        doc, empty_bin = np.nonzero(~filled_2d & (shingles.sizes > 0)[:, None])
        for step in range(self._PROBES):
            if len(doc) == 0:
                break
            source = self._probe[step, empty_bin]
            hit = filled_2d[doc, source]
            out[doc[hit], empty_bin[hit]] = raw[doc[hit], source[hit]]
            doc, empty_bin = doc[~hit], empty_bin[~hit]
        if len(doc):
            # Astronomically rare (a set with one or two bins filled): any fixed rule keeps agreement
            # meaningful, so take the lowest filled bin.
            out[doc, empty_bin] = raw[doc, np.argmax(filled_2d[doc], axis=1)]
        return out


def jaccard_pairs(
    shingles_a: Shingles,
    rows_a: I64,
    shingles_b: Shingles,
    rows_b: I64,
    weights: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.float64]:
    """Exact (optionally weighted) Jaccard similarity of set pairs (a[rows_a[k]], b[rows_b[k]]).

    Both sides' elements are packed with their pair number into one 64-bit word and sorted
    together; since each set is duplicate-free, an element in both sets of a pair shows up as two
    equal neighbours. With ``weights`` (indexed by ``value & (len(weights) - 1)``) it computes the
    weighted Jaccard Σ_{A∩B} w / Σ_{A∪B} w instead of |A∩B| / |A∪B|, through sparse rows when there are many pairs
    (`_weighted_jaccard_sparse`, the same floats).
    """
    n_pairs = len(rows_a)
    if n_pairs == 0:
        return np.empty(0, np.float64)
    if weights is not None and n_pairs >= _SPARSE_FROM:
        return _weighted_jaccard_sparse(shingles_a, rows_a, shingles_b, rows_b, weights)
    return _jaccard_packed(shingles_a, rows_a, shingles_b, rows_b, weights)


def _jaccard_packed(
    shingles_a: Shingles,
    rows_a: I64,
    shingles_b: Shingles,
    rows_b: I64,
    weights: npt.NDArray[np.float64] | None,
) -> npt.NDArray[np.float64]:
    n_pairs = len(rows_a)
    values_a, pair_a = _gather(shingles_a, rows_a)
    values_b, pair_b = _gather(shingles_b, rows_b)
    packed = np.concatenate(
        (
            (pair_a.astype(np.uint64) << np.uint64(32)) | values_a,
            (pair_b.astype(np.uint64) << np.uint64(32)) | values_b,
        )
    )
    packed.sort()
    both = packed[1:][packed[1:] == packed[:-1]]
    owner = (both >> np.uint64(32)).astype(np.int64)
    inter: npt.NDArray[np.float64]
    size_a: npt.NDArray[np.float64]
    size_b: npt.NDArray[np.float64]
    if weights is None:
        inter = np.bincount(owner, minlength=n_pairs).astype(np.float64)
        size_a = shingles_a.sizes[rows_a].astype(np.float64)
        size_b = shingles_b.sizes[rows_b].astype(np.float64)
    else:
        mask = np.uint64(len(weights) - 1)
        inter = np.bincount(owner, weights[(both & mask).astype(np.int64)], n_pairs).astype(np.float64)
        size_a = np.bincount(pair_a, weights[(values_a & mask).astype(np.int64)], n_pairs).astype(np.float64)
        size_b = np.bincount(pair_b, weights[(values_b & mask).astype(np.int64)], n_pairs).astype(np.float64)
    union = size_a + size_b - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1.0), 0.0)


# Below this many pairs the packed sort is quicker than building sparse rows; above it sorting both sides of every
# pair together dominated a large corpus's indexing (the reword floor's wide band: a million pairs per 100k titles).
_SPARSE_FROM = 4096
# Candidate pairs whose similarity is computed at once (bounds the sparse rows gathered for them).
_PAIR_CHUNK = 1 << 18


def _weighted_jaccard_sparse(
    shingles_a: Shingles, rows_a: I64, shingles_b: Shingles, rows_b: I64, weights: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """`_jaccard_packed`'s weighted Jaccard, bit for bit: each set is a sparse row (column = shingle value, sorted
    as shingle_batch stores them) weighted on one side; scipy's element-wise product of the gathered rows keeps the
    shared values in ascending order, which is the order the packed sort sums them in, and each side's total is
    summed over the set in stored order as there, so every sum is the same float."""
    from scipy.sparse import csr_matrix

    mask = np.uint32(len(weights) - 1)

    def rows_of(shingles: Shingles, data: npt.NDArray[np.float64]) -> Any:
        return csr_matrix((data, shingles.values.astype(np.int64), shingles.offsets), shape=(len(shingles), 1 << 32))

    element_weights_a = weights[(shingles_a.values & mask).astype(np.int64)]
    element_weights_b = weights[(shingles_b.values & mask).astype(np.int64)]
    totals_a = np.bincount(np.repeat(np.arange(len(shingles_a)), shingles_a.sizes), element_weights_a, len(shingles_a))
    totals_b = np.bincount(np.repeat(np.arange(len(shingles_b)), shingles_b.sizes), element_weights_b, len(shingles_b))
    matrix_a = rows_of(shingles_a, element_weights_a)
    matrix_b = rows_of(shingles_b, np.ones(len(shingles_b.values)))
    inter = np.empty(len(rows_a), np.float64)
    for start in range(0, len(rows_a), _PAIR_CHUNK):
        chunk = slice(start, start + _PAIR_CHUNK)
        shared = matrix_a[rows_a[chunk]].multiply(matrix_b[rows_b[chunk]]).tocsr()
        pair = np.repeat(np.arange(shared.shape[0]), np.diff(shared.indptr))
        inter[chunk] = np.bincount(pair, shared.data, shared.shape[0])
    size_a, size_b = totals_a[rows_a], totals_b[rows_b]
    union = size_a + size_b - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1.0), 0.0)


def _gather(shingles: Shingles, rows: I64) -> tuple[U64, I64]:
    """The concatenated sets of ``rows`` (as uint64) and, for each element, its position in rows."""
    starts = shingles.offsets[rows]
    sizes = shingles.offsets[rows + 1] - starts
    total = int(sizes.sum())
    pair = np.repeat(np.arange(len(rows), dtype=np.int64), sizes)
    first = np.cumsum(sizes) - sizes
    positions = np.arange(total, dtype=np.int64) - np.repeat(first, sizes) + np.repeat(starts, sizes)
    return shingles.values[positions].astype(np.uint64), pair
