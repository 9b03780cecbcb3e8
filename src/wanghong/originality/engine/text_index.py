"""Incremental near-duplicate index for Chinese titles, captions and scripts.

Pipeline per batch: validate → normalise (normalize.py, synonym folding included) → shingle into
unit bigrams and units → exact-duplicate lookup on a 64-bit digest of the shingle set →
one-permutation MinHash signatures (minhash.OnePermutationHasher) → LSH band candidates against the
index and within the batch → screening by signature agreement (estimated Jaccard; 8-bit minima are
kept per indexed document, b-bit minwise hashing after Li & König, WWW 2010) → *exact* weighted
Jaccard of the surviving candidates, vectorised → confirmed pairs. Only after every step succeeded
is the index mutated, so a rejected batch leaves it exactly as it was.

Why MinHash and not SimHash: on short titles SimHash's Hamming distance barely separates copies
from unrelated titles (bench/originality.py measures both on the labelled set), while MinHash
estimates Jaccard directly and the exact check removes its false positives.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from wanghong.originality.engine.attribution import ConfirmedPair, Fingerprint
from wanghong.originality.engine.errors import OriginalityInputError
from wanghong.originality.engine.lsh import BandIndex, band_keys, optimal_bands
from wanghong.originality.engine.minhash import OnePermutationHasher, Shingles, jaccard_pairs, shingle_batch, splitmix64
from wanghong.originality.engine.normalize import normalize_batch
from wanghong.originality.engine.text_method import DEFAULT_THRESHOLD, METHOD
from wanghong.originality.engine.title_words import LATIN_CONNECTIVES, word_change

__all__ = [
    "DEFAULT_THRESHOLD",
    "METHOD",
    "TextItem",
    "TextMatch",
    "TextNearDupIndex",
    "text_fingerprint",
    "text_similarity",
]

_DF_BUCKETS = 1 << 22
# Numbers after numeral and money folding (三十万 and 30万 both read 30万, 9块9 and 9.9元 both 9.9元): the quantity a
# title is about.
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NO_NUMBERS: frozenset[str] = frozenset()
# A run of Latin letters and digits in a normalised title (the normaliser keeps spaces only between letters).
_LATIN_RUN = re.compile(
    r"[0-9.]*[a-z\u00c0-\u024f][a-z0-9.\u00c0-\u024f]*(?: [a-z\u00c0-\u024f][a-z0-9.\u00c0-\u024f]*)*"
)
# How far below the threshold a reworded pair (see TextNearDupIndex._is_copy) may fall.
REWORD_MARGIN = 0.2
# Characters a cut-short title must keep to be called a copy of the title it begins (跟着外婆学做传统米糕: 10).
_TRUNCATED_UNITS = 8
# Characters a title must have to be one that gets cut short (the 米糕 vlog title has 29).
_TRUNCATED_FROM = 20
_SKETCH_BITS = 8  # bits kept per signature value for candidate screening
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

    Document numbers are dense ints in arrival order; ids are the caller's strings. ``cache_dir`` is where jieba
    (which judges candidate pairs word by word) keeps its prefix-dictionary cache between processes, made mode 0700
    and used only while it is this user's alone; the caller chooses it (the CLI: ``jieba`` under
    ``config.Settings.cache_dir``). Without one the cache goes to a private temporary directory removed at exit, so
    each process rebuilds it (a few seconds, once a pair needs jieba).
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
        synonyms: bool = True,
        screen_margin: float = 0.2,
        cache_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise OriginalityInputError(f"阈值须在 (0, 1] 内 / threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self._jieba_directory = None if cache_dir is None else os.fspath(cache_dir)
        # Below the threshold down to this floor a pair is still a copy when one title only rewords the other
        # (inserted or swapped grammar words, see title_words.WordChange.reworded): short titles lose most of their
        # bigrams to one reworded word.
        self.reword_floor = max(0.0, threshold - REWORD_MARGIN)
        self.ngram = ngram
        self.with_units = with_units
        self.synonyms = synonyms
        # ``threads`` is kept for callers of the v1 API; one-permutation hashing is one pass.
        self.hasher = OnePermutationHasher(num_perm=num_perm, seed=seed)
        self.num_perm = num_perm
        self.idf = idf
        # Weighted similarity can exceed the plain Jaccard that LSH banding approximates (when the
        # words a copy changed are common ones), so candidates are gathered below the threshold.
        self.lsh_threshold = min(0.99, max(0.2, self.reword_floor - lsh_margin if idf else self.reword_floor))
        self.bands, self.rows = _bands_for(self.lsh_threshold, num_perm)
        # Candidates whose estimated Jaccard falls this far below the LSH threshold are dropped
        # before the exact check: with 64 values the estimate's standard deviation is ≤ 0.0625, and
        # weighted similarity above the threshold with plain Jaccard this low was not seen on the
        # labelled set (bench/originality.py reports what screening removes and what it costs).
        self.screen_threshold = max(0.0, self.lsh_threshold - screen_margin)
        # Document frequency of shingles, counted in 2**22 hashed buckets (a count sketch: a
        # collision can only inflate a count, i.e. lower a weight slightly).
        self._df = np.zeros(_DF_BUCKETS, np.uint32)
        self._lsh = BandIndex(self.bands)
        self._ids: list[str] = []
        self._number: dict[str, int] = {}
        self._published: list[datetime] = []
        self._numbers: list[frozenset[str]] = []
        self._names: list[frozenset[str]] = []
        self._normalised: list[str] = []  # for the word-level judgement of pairs (_is_copy)
        self._values = _Growable(np.uint32)
        self._offsets = _Growable(np.int64)
        self._offsets.extend(np.zeros(1, np.int64))
        self._sketches = _Growable(np.uint8)  # num_perm low bytes of each document's signature
        # Exact duplicates (same shingle set) skip LSH: a viral title re-posted ten thousand times
        # would otherwise fill one bucket and make candidate pairs quadratic. The digest index
        # holds the first document of each distinct set (a one-band BandIndex keyed by digest).
        self._exact = BandIndex(1)
        self._duplicates: dict[int, list[int]] = {}
        # What the last add_batch's screening did, for benchmarks and logs.
        self.last_batch_stats: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, content_id: object) -> bool:
        return content_id in self._number

    def _stored(self) -> Shingles:
        return Shingles(self._values.view(), self._offsets.view())  # type: ignore[arg-type]

    def validate(self, items: Sequence[TextItem]) -> None:
        """Raise OriginalityInputError (with ``position``) for the first unusable item."""
        # Bulk checks first; only a batch that fails one is walked item by item to name the culprit.
        ids = [item.id for item in items]
        if (
            all(type(i) is str and i for i in ids)
            and len(set(ids)) == len(ids)
            and self._number.keys().isdisjoint(ids)
            and all(type(item.text) is str and not item.text.isspace() and item.text for item in items)
            and all(isinstance(item.published_at, datetime) and item.published_at.tzinfo for item in items)
        ):
            return
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

    @staticmethod
    def _digests(shingles: Shingles) -> U64:
        """A 64-bit digest per shingle set (order-free sum of mixed elements, mixed with the size)."""
        sizes = shingles.sizes
        mixed = splitmix64(shingles.values.astype(np.uint64))
        sums = np.zeros(len(shingles), np.uint64)
        nonempty = sizes > 0
        if nonempty.any():
            with np.errstate(over="ignore"):
                sums[nonempty] = np.add.reduceat(mixed, shingles.offsets[:-1][nonempty])
        return splitmix64(sums ^ splitmix64(sizes.astype(np.uint64)))

    def _candidates(self, shingles: Shingles, digests: U64) -> _Candidates:
        """Candidate pairs against the index and within the batch, screened by signature agreement.

        Rows whose shingle set is already indexed (or appeared earlier in the batch) skip LSH and
        pair with that first copy directly."""
        rows_all = np.arange(len(shingles), dtype=np.int64)
        nonempty = shingles.sizes > 0
        _, first_index, inverse = np.unique(digests, return_index=True, return_inverse=True)
        first_of_row = first_index[inverse.reshape(-1)]
        is_first = nonempty & (first_of_row == rows_all)
        q, old = self._exact.query(digests[is_first][:, None])
        exact_old = np.full(len(shingles), -1, np.int64)
        exact_old[rows_all[is_first][q]] = old
        # A later row with the same set pairs with whatever the first row pairs with.
        exact_old = np.where(nonempty, exact_old[first_of_row], -1)
        to_index = rows_all[is_first & (exact_old < 0)]
        dup_in_batch = nonempty & ~is_first & (exact_old < 0)

        signatures = self.hasher.signatures(_subset(shingles, to_index))
        keys = band_keys(signatures, self.bands, self.rows)
        q, old_docs = self._lsh.query(keys)
        sketch = signatures.astype(np.uint8)
        stored = self._sketches.view().reshape(-1, self.num_perm)
        agree = _estimated_jaccard(_agreement(sketch[q], stored[old_docs]), _SKETCH_BITS)
        keep = agree >= self.screen_threshold
        a, b = BandIndex.self_pairs(keys)
        keep_self = _agreement(signatures[a], signatures[b]) >= self.screen_threshold
        exact_rows = rows_all[exact_old >= 0]
        return _Candidates(
            new_rows=np.concatenate((exact_rows, to_index[q[keep]])),
            old_docs=np.concatenate((exact_old[exact_rows], old_docs[keep])),
            self_a=np.concatenate((first_of_row[dup_in_batch], to_index[a[keep_self]])),
            self_b=np.concatenate((rows_all[dup_in_batch], to_index[b[keep_self]])),
            to_index=to_index,
            keys=keys,
            sketch=sketch,
            exact_old=exact_old,
            first_of_row=first_of_row,
            screened=int((~keep).sum() + (~keep_self).sum()),
            lsh_candidates=len(q) + len(a),
        )

    def add_batch(self, items: Sequence[TextItem]) -> list[ConfirmedPair]:
        """Index ``items`` and return the near-duplicate pairs they form (earlier-indexed id first).

        Pairs reach both back into the index and across the batch itself. The batch is validated and
        fully processed before the index changes: on any error the index is untouched.
        """
        self.validate(items)
        if not items:
            return []
        normalised = normalize_batch([item.text for item in items], self.synonyms)
        shingles = shingle_batch(normalised, self.ngram, self.with_units)
        numbers = [_numbers_in(text) for text in normalised]
        names = [_latin_names(text) for text in normalised]
        digests = self._digests(shingles)
        found = self._candidates(shingles, digests)
        self.last_batch_stats = {"lsh_candidates": found.lsh_candidates, "screened_out": found.screened}
        stored = self._stored()
        batch_df = np.bincount(shingles.values & np.uint32(_DF_BUCKETS - 1), minlength=_DF_BUCKETS)
        weights = self._weights(batch_df, len(items))
        sim_old = jaccard_pairs(shingles, found.new_rows, stored, found.old_docs, weights)
        sim_self = jaccard_pairs(shingles, found.self_a, shingles, found.self_b, weights)

        base = len(self._ids)
        ids = [item.id for item in items]
        pairs: list[ConfirmedPair] = []
        hit = np.flatnonzero(sim_old >= self.reword_floor)
        for row, doc, sim in zip(
            found.new_rows[hit].tolist(), found.old_docs[hit].tolist(), sim_old[hit].tolist(), strict=True
        ):
            old = _Judged(self._normalised[doc], self._numbers[doc], self._names[doc])
            if self._is_copy(old, _Judged(normalised[row], numbers[row], names[row]), sim):
                pairs.append(ConfirmedPair(self._ids[doc], ids[row], sim, METHOD))
        hit = np.flatnonzero(sim_self >= self.reword_floor)
        self_a, self_b = found.self_a[hit].tolist(), found.self_b[hit].tolist()
        for a, b, sim in zip(self_a, self_b, sim_self[hit].tolist(), strict=True):
            first, later = _Judged(normalised[a], numbers[a], names[a]), _Judged(normalised[b], numbers[b], names[b])
            if self._is_copy(first, later, sim):
                pairs.append(ConfirmedPair(ids[a], ids[b], sim, METHOD))

        # Commit: nothing below can fail on user input.
        self._number.update(zip(ids, range(base, base + len(ids)), strict=True))
        self._ids.extend(ids)
        self._published.extend(item.published_at for item in items)
        self._numbers.extend(numbers)
        self._names.extend(names)
        self._normalised.extend(normalised)
        self._df += batch_df.astype(np.uint32)
        self._values.extend(shingles.values)
        self._offsets.extend(shingles.offsets[1:] + self._offsets.view()[-1])
        # Every document gets a sketch row so rows stay aligned with document numbers; only the
        # rows of indexed (LSH) documents are ever read.
        sketches = np.zeros((len(items), self.num_perm), np.uint8)
        sketches[found.to_index] = found.sketch
        self._sketches.extend(sketches.reshape(-1))
        canonical = np.where(found.exact_old >= 0, found.exact_old, found.first_of_row + base)
        duplicate_rows = np.flatnonzero((shingles.sizes > 0) & (canonical != np.arange(len(items)) + base))
        for row, doc in zip(duplicate_rows.tolist(), canonical[duplicate_rows].tolist(), strict=True):
            self._duplicates.setdefault(doc, []).append(base + row)
        new_docs = found.to_index + base
        self._exact.add(digests[found.to_index][:, None], new_docs)
        self._lsh.add(found.keys, new_docs)
        return pairs

    def query(self, texts: Sequence[str]) -> list[list[TextMatch]]:
        """For each text, the indexed content at or above the threshold, most similar first."""
        if not texts:
            return []
        normalised = normalize_batch(list(texts), self.synonyms)
        shingles = shingle_batch(normalised, self.ngram, self.with_units)
        numbers = [_numbers_in(text) for text in normalised]
        names = [_latin_names(text) for text in normalised]
        # Queries are not indexed, so identical queries are not folded into one another.
        rows = np.flatnonzero(shingles.sizes > 0)
        signatures = self.hasher.signatures(_subset(shingles, rows))
        q, old_docs = self._lsh.query(band_keys(signatures, self.bands, self.rows))
        stored = self._sketches.view().reshape(-1, self.num_perm)
        agree = _estimated_jaccard((signatures.astype(np.uint8)[q] == stored[old_docs]).mean(axis=1), _SKETCH_BITS)
        keep = agree >= self.screen_threshold
        new_rows, old_docs = rows[q[keep]], old_docs[keep]
        sims = jaccard_pairs(shingles, new_rows, self._stored(), old_docs, self._weights(None, 0))
        results: list[list[TextMatch]] = [[] for _ in texts]
        for row, doc, sim in zip(new_rows.tolist(), old_docs.tolist(), sims.tolist(), strict=True):
            if sim >= self.reword_floor:
                asked = _Judged(normalised[row], numbers[row], names[row])
                for member in [doc, *self._duplicates.get(doc, [])]:
                    indexed = _Judged(self._normalised[member], self._numbers[member], self._names[member])
                    if self._is_copy(indexed, asked, sim):
                        results[row].append(TextMatch(self._ids[member], sim))
        for matches in results:
            matches.sort(key=lambda m: (-m.similarity, m.id))
        return results

    def _is_copy(self, a: _Judged, b: _Judged, similarity: float) -> bool:
        """Whether a candidate pair at ``similarity`` (≥ the reword floor) is one video.

        Shingle similarity cannot see which words changed; these rules can. Different numbers or Latin product
        names are different videos (the words a template is filled with). Then jieba compares the words: a
        swapped named thing (a noun, place, time or product on each side) is another video however alike the
        rest; below the threshold a pair is kept only when one side changed nothing but grammar words.
        """
        if _numbers_conflict(a.numbers, b.numbers) or _names_conflict(a.names, b.names):
            return False
        if a.text == b.text or _truncated(a.text, b.text):
            return True
        change = word_change(a.text, b.text, self._jieba_directory)
        if change.names_swapped():
            return False
        return similarity >= self.threshold or change.reworded()

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


@dataclass(frozen=True, slots=True)
class _Judged:
    """What a pair's judgement reads of one title (see TextNearDupIndex._is_copy)."""

    text: str  # normalised
    numbers: frozenset[str]
    names: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Candidates:
    new_rows: I64  # batch row of each (new, indexed) candidate pair
    old_docs: I64  # indexed document of each such pair
    self_a: I64  # (earlier row, later row) candidate pairs within the batch
    self_b: I64
    to_index: I64  # rows that enter the LSH index (first of their shingle set anywhere)
    keys: U64  # their band keys
    sketch: npt.NDArray[np.uint8]  # their 8-bit signature sketches
    exact_old: I64  # per row: indexed document with the same shingle set, or -1
    first_of_row: I64  # per row: first row of the batch with the same shingle set
    screened: int  # LSH candidates dropped by signature agreement
    lsh_candidates: int


def _numbers_in(normalised: str) -> frozenset[str]:
    found = _NUMBER.findall(normalised)
    # A decimal is its value (9.90 is 9.9); digit strings keep their zeros (00后 is a generation, not 0).
    return frozenset(_decimal_value(token) if "." in token else token for token in found) if found else _NO_NUMBERS


def _decimal_value(token: str) -> str:
    whole, _, fraction = token.partition(".")
    fraction = fraction.rstrip("0")
    whole = whole.lstrip("0") or "0"
    return f"{whole}.{fraction}" if fraction else whole


def _latin_names(normalised: str) -> frozenset[str]:
    """The Latin-letter names in a normalised title (iphone15pro max, ipad), cut at connectives (vs, pk)."""
    names: list[str] = []
    for run in _LATIN_RUN.findall(normalised):
        name: list[str] = []
        for word in [*run.split(), "vs"]:
            if word in LATIN_CONNECTIVES:
                if name:
                    names.append(" ".join(name))
                name = []
            else:
                name.append(word)
    return frozenset(names) if names else _NO_NUMBERS


def _names_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two titles name different Latin-letter products: iPhone 15 Pro and iPhone 15 Pro Max, iPhone and
    iPad. A model name is one run of letters and digits (spaces between letters kept), so a suffix makes another
    name rather than an extra word; as with numbers, a copy may drop a name but not swap one."""
    return bool(a) and bool(b) and not (a <= b or b <= a)


def _numbers_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two titles name different quantities: 自建房花了30万 and 自建房花了50万 are two houses however alike
    the words, while a copy that drops a number (a cut title) or keeps all of them is still a copy. Numbers are
    the words a template is filled with; the inverse-document-frequency weights cannot see them, since every
    other number is as rare as the right one."""
    return bool(a) and bool(b) and not (a <= b or b <= a)


def _truncated(a: str, b: str) -> bool:
    """One title is the other cut short (a platform's length limit, a re-uploader's trim): the shorter is the
    longer's beginning and long enough to say which video it is. Only long titles are cut: a short one that
    begins another (优点和缺点都在这里 → 优点和缺点都在这里，烤箱真测评) is a template filled in, not cut."""
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return (
        len(shorter.replace(" ", "")) >= _TRUNCATED_UNITS
        and len(longer.replace(" ", "")) >= _TRUNCATED_FROM
        and longer.startswith(shorter)
    )


def _agreement(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """The share of equal values per row, as ``(a == b).mean(axis=1)`` gives it (an exact count over the row
    length) without its float64 copy of every comparison: the widened candidate band screens millions of pairs."""
    if a.shape[1] == 0:
        return (a == b).mean(axis=1)
    return np.count_nonzero(a == b, axis=1) / a.shape[1]


def _estimated_jaccard(agreement: npt.NDArray[np.float64], bits: int) -> npt.NDArray[np.float64]:
    """Jaccard from the share of equal b-bit minima: P[equal] = J + (1 − J)·2^−b (Li & König 2010)."""
    chance = 2.0**-bits
    return (agreement - chance) / (1.0 - chance)


def _subset(shingles: Shingles, rows: I64) -> Shingles:
    starts = shingles.offsets[rows]
    sizes = shingles.offsets[rows + 1] - starts
    offsets = np.zeros(len(rows) + 1, np.int64)
    np.cumsum(sizes, out=offsets[1:])
    first = offsets[:-1]
    positions = np.arange(int(offsets[-1]), dtype=np.int64) - np.repeat(first - starts, sizes)
    return Shingles(shingles.values[positions], offsets)


def text_fingerprint(text: str, num_perm: int = 64, seed: int = 1) -> Fingerprint:
    """The fingerprint :meth:`TextNearDupIndex.fingerprint` gives ``text`` under the default settings."""
    shingles = shingle_batch(normalize_batch([text]), 2, True)
    signature = OnePermutationHasher(num_perm=num_perm, seed=seed).signatures(shingles)[0]
    return Fingerprint(METHOD, signature.astype("<u4").tobytes())


def text_similarity(a: str, b: str) -> float:
    """Exact Jaccard similarity of two texts' shingle sets after normalisation (0 when either is empty).

    For comparing one pair (a claim under review) there is no corpus to draw IDF weights from, so the
    sets are compared unweighted; the index's weighted score is usually a little higher for copies.
    """
    shingles = shingle_batch(normalize_batch([a, b]), 2, True)
    if (shingles.sizes == 0).any():
        return 0.0
    one = np.zeros(1, np.int64)
    return float(jaccard_pairs(shingles, one, shingles, one + 1)[0])
