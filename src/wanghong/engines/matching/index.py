"""Filtered top-k retrieval of creators for a product vector, with a selectivity-aware planner.

Why two strategies
------------------
Graph and cluster indexes lose recall when a filter removes most candidates: the graph walk or the probed
clusters simply hold too few rows that pass (a 1 M-vector faiss HNSW test fell to recall 0.44 at 1 %
selectivity).  Exact search over the filtered subset is, on the other hand, the cheapest thing there is when the
subset is small.  So each query is planned:

* every filter column with a small vocabulary (category, MCN tier, region, price band, compliance, availability,
  liveness) is kept as one *packed bitmap per value* (n/8 bytes; 375 KB for 3 M creators).  A filter is OR
  within a column and AND across columns of these bitmaps — microseconds — and its popcount is the exact
  number of rows that pass.  The follower range multiplies in the fraction read off a sorted follower
  snapshot (an estimate under updates, exact otherwise);
* estimated rows ≤ `exact_limit` → **exact**: unpack the bitmap, check the follower range on the gathered
  column, score the subset with one matmul and `argpartition` — recall 1 by construction;
* otherwise → **IVF** (faiss `IndexIVFFlat`, inner product) with the bitmap as an `IDSelectorBitmap`, and
  `nprobe` raised as selectivity falls so the probed clusters still hold ≫ k passing rows.  Below
  `min_ivf_rows` creators there is no IVF at all.

Freshness without rebuilds
--------------------------
Attribute changes (followers, MCN tier, penalties, availability, region) are written into the columns and the
bitmaps in place.  A changed persona rewrites the row of the master vector matrix, clears the row's "indexed"
bit (a tombstone for the IVF copy) and puts the row on the *delta* list, which every IVF query also scores
exactly; new creators are appended to the delta the same way, removed ones lose their "alive" bit.
`compact()` folds the delta into the IVF (remove + re-add those ids only) when it grows.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

import faiss
import numpy as np
import numpy.typing as npt

from wanghong.domain import Category
from wanghong.engines.matching.vectors import (
    CATEGORIES,
    LAYOUT,
    MCN_TIERS,
    PERSONA_BLOCKS,
    PRICE_BANDS,
    BlockWeights,
    CreatorTable,
    FloatMatrix,
    FloatVector,
    MatchingInputError,
    PriceBand,
    creator_vectors,
)

Rows = npt.NDArray[np.int64]
Bitmap = npt.NDArray[np.uint8]
MAX_K = 1000
BITMAP_OR_LIMIT = 16  # values per filter column up to which per-value bitmaps are OR-ed


class InvalidFilter(MatchingInputError):
    """A filter that cannot be satisfied as written (e.g. followers_min above followers_max)."""


@dataclass(frozen=True)
class MatchFilters:
    """What a brand restricts the candidates to; an empty set means "any"."""

    categories: frozenset[Category] = frozenset()  # creator creates content in any of these
    followers_min: int | None = None
    followers_max: int | None = None
    mcn_tiers: frozenset[str] = frozenset()  # McnTier values or "independent"
    regions: frozenset[str] = frozenset()
    price_bands: frozenset[PriceBand] = frozenset()  # the creator's typical unit price band
    exclude_penalised: bool = True
    available_only: bool = False

    def __post_init__(self) -> None:
        for name in ("followers_min", "followers_max"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise InvalidFilter(f"{name} must be ≥ 0, got {value}")
        if (
            self.followers_min is not None
            and self.followers_max is not None
            and self.followers_min > self.followers_max
        ):
            raise InvalidFilter(
                f"followers_min ({self.followers_min}) is above followers_max ({self.followers_max}); "
                "swap them or drop one"
            )
        unknown = sorted(set(self.mcn_tiers) - set(MCN_TIERS))
        if unknown:
            raise InvalidFilter(f"unknown mcn_tier {unknown}; use one of {list(MCN_TIERS)}")

    @property
    def has_follower_range(self) -> bool:
        return self.followers_min is not None or self.followers_max is not None


@dataclass(frozen=True)
class IndexConfig:
    exact_limit: int = 50_000  # planner: at most this many estimated candidates → exact scan
    min_ivf_rows: int = 50_000  # fewer creators than this → no IVF, everything exact
    nlist: int | None = None  # IVF cells; None → the power of two nearest 2√n
    # Share of cells probed for an unfiltered query.  Product queries are far from the creator cloud (one-hot
    # category, [1, 0] scalar blocks), so centroid order predicts the best cells poorly and a larger share is
    # needed than for in-distribution queries; calibrated with bench/matching.py for recall@100 ≥ 0.95.
    probe_share: float = 0.06
    probe_margin: float = 300.0  # probed cells must hold ≈ margin × k passing rows in expectation
    train_sample: int = 200_000
    compact_at: float = 0.02  # fold the delta into the IVF once it exceeds this share of rows
    seed: int = 0

    def __post_init__(self) -> None:
        if self.exact_limit < 0 or self.min_ivf_rows < 0 or not 0 < self.probe_share <= 1 or self.probe_margin <= 0:
            raise MatchingInputError("index config values must be positive")


@dataclass(frozen=True)
class Plan:
    strategy: Literal["exact", "ivf"]
    estimated_rows: int
    selectivity: float
    nprobe: int = 0
    delta_rows: int = 0


@dataclass(frozen=True)
class SearchResult:
    rows: Rows  # row numbers in the index, best first
    ids: npt.NDArray[np.int64]  # creator ids
    scores: npt.NDArray[np.float32]  # inner products = weighted affinities
    plan: Plan


def _pack(mask: npt.NDArray[np.bool_]) -> Bitmap:
    return np.packbits(mask, bitorder="little")


def _popcount(bitmap: Bitmap) -> int:
    return int(np.bitwise_count(bitmap).sum(dtype=np.int64))


def _set_bits(bitmap: Bitmap, rows: Rows, values: npt.NDArray[np.bool_]) -> None:
    byte = rows >> 3
    bit = (np.left_shift(1, rows & 7)).astype(np.uint8)
    on = values.astype(bool)
    if on.any():
        np.bitwise_or.at(bitmap, byte[on], bit[on])
    if (~on).any():
        np.bitwise_and.at(bitmap, byte[~on], ~bit[~on])


def top_k(scores: npt.NDArray[np.float32], k: int) -> npt.NDArray[np.int64]:
    """Positions of the k largest scores, best first (ties by position, so results are deterministic)."""
    part = np.argpartition(-scores, k - 1)[:k] if scores.shape[0] > k else np.arange(scores.shape[0])
    order = np.lexsort((part, -scores[part]))
    return part[order].astype(np.int64)


@dataclass
class _Columns:
    """Mutable filter columns (the index owns copies)."""

    ids: npt.NDArray[np.int64]
    categories: npt.NDArray[np.int32]
    followers: npt.NDArray[np.int64]
    mcn_tier: npt.NDArray[np.int8]
    region: npt.NDArray[np.int32]
    price_band: npt.NDArray[np.int8]
    penalised: npt.NDArray[np.bool_]
    available: npt.NDArray[np.bool_]
    gmv_per_live: npt.NDArray[np.float32]
    conversion: npt.NDArray[np.float32]
    regions: list[str] = field(default_factory=list)

    COPIED = (
        "ids",
        "categories",
        "followers",
        "mcn_tier",
        "region",
        "price_band",
        "penalised",
        "available",
        "gmv_per_live",
        "conversion",
    )


class MatchIndex:
    """Creators' vectors and filter columns, searchable by product vector under brand filters."""

    def __init__(
        self,
        table: CreatorTable,
        weights: BlockWeights | None = None,
        config: IndexConfig | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.weights = weights or BlockWeights()
        self.config = config or IndexConfig()
        started = time.perf_counter()
        self.n = len(table)
        self.vectors: FloatMatrix = creator_vectors(table, self.weights)
        self.cols = _Columns(
            ids=table.ids.astype(np.int64).copy(),
            categories=table.categories.astype(np.int32).copy(),
            followers=table.followers.astype(np.int64).copy(),
            mcn_tier=table.mcn_tier.astype(np.int8).copy(),
            region=table.region.astype(np.int32).copy(),
            price_band=table.price_band.astype(np.int8).copy(),
            penalised=table.penalised.astype(bool).copy(),
            available=table.available.astype(bool).copy(),
            gmv_per_live=table.gmv_per_live.astype(np.float32),
            conversion=table.conversion.astype(np.float32),
            regions=list(table.regions),
        )
        if progress:
            progress("vectors")
        self._rebuild_lookup()
        self._build_bitmaps()
        if progress:
            progress("bitmaps")
        self.ivf: faiss.IndexIVFFlat | None = None
        self.delta: set[int] = set()
        if self.n >= self.config.min_ivf_rows:
            self._build_ivf()
        if progress:
            progress("ivf")
        self.build_seconds = time.perf_counter() - started

    # ------------------------------------------------------------------ building

    def _rebuild_lookup(self) -> None:
        self._id_order = np.argsort(self.cols.ids, kind="stable")
        self._ids_sorted = self.cols.ids[self._id_order]
        if self._ids_sorted.size > 1 and (np.diff(self._ids_sorted) == 0).any():
            raise MatchingInputError("creator ids must be unique")
        self._followers_sorted = np.sort(self.cols.followers)

    def _build_bitmaps(self) -> None:
        c = self.cols
        self.bits_category = [_pack((c.categories >> i) & 1 == 1) for i in range(len(CATEGORIES))]
        self.bits_mcn = [_pack(c.mcn_tier == i) for i in range(len(MCN_TIERS))]
        self.bits_price = [_pack(c.price_band == i) for i in range(len(PRICE_BANDS))]
        self.bits_region = [_pack(c.region == i) for i in range(len(c.regions))]
        self.bits_clean = _pack(~c.penalised)
        self.bits_available = _pack(c.available)
        self.bits_alive = _pack(np.ones(self.n, dtype=bool))
        self.bits_indexed = _pack(np.zeros(self.n, dtype=bool))

    def _build_ivf(self) -> None:
        cfg = self.config
        dim = self.vectors.shape[1]
        nlist = cfg.nlist or max(16, int(2 ** round(math.log2(2 * math.sqrt(self.n)))))
        quantizer = faiss.IndexFlatIP(dim)
        ivf = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(cfg.seed)
        sample = rng.choice(self.n, size=min(self.n, max(cfg.train_sample, 40 * nlist)), replace=False)
        # All creator vectors have the same norm, so L2 k-means cells are also the best inner-product cells.
        ivf.cp.seed = cfg.seed
        ivf.cp.spherical = True  # unit centroids: inner-product cell assignment equals L2 for equal-norm rows
        ivf.train(np.ascontiguousarray(self.vectors[np.sort(sample)]))
        ivf.add_with_ids(self.vectors, np.arange(self.n, dtype=np.int64))
        self.ivf = ivf
        self.bits_indexed = _pack(np.ones(self.n, dtype=bool))

    # ------------------------------------------------------------------ lookups

    def rows_of(self, creator_ids: Iterable[int]) -> Rows:
        """Row numbers of creator ids; raises MatchingInputError naming ids the index does not hold."""
        wanted = np.asarray(list(creator_ids), dtype=np.int64)
        pos = np.searchsorted(self._ids_sorted, wanted)
        pos = np.minimum(pos, max(self._ids_sorted.size - 1, 0))
        found = self._ids_sorted.size > 0 and (self._ids_sorted[pos] == wanted)
        found = np.asarray(found) if isinstance(found, np.ndarray) else np.zeros(wanted.shape, dtype=bool)
        if not found.all():
            missing = wanted[~found][:10].tolist()
            raise MatchingInputError(f"creators not in the index: {missing}")
        return self._id_order[pos].astype(np.int64)

    def contains(self, creator_id: int) -> bool:
        pos = int(np.searchsorted(self._ids_sorted, creator_id))
        return (
            pos < self._ids_sorted.size
            and int(self._ids_sorted[pos]) == creator_id
            and self.is_alive(int(self._id_order[pos]))
        )

    def is_alive(self, row: int) -> bool:
        return bool((self.bits_alive[row >> 3] >> (row & 7)) & 1)

    # ------------------------------------------------------------------ filtering

    def filter_bitmap(self, f: MatchFilters) -> Bitmap:
        """Rows passing every filter except the follower range, as a packed bitmap (always excludes removed)."""
        combined = self.bits_alive.copy()

        def any_of(bitmaps: list[Bitmap], codes: list[int], column: npt.NDArray[np.integer] | None) -> None:
            if column is None or len(codes) <= BITMAP_OR_LIMIT:
                union = np.zeros_like(combined)
                for code in codes:
                    union |= bitmaps[code]
            else:
                # OR-ing many bitmaps reads n/8 bytes each; one lookup over the column is cheaper past that.
                allowed = np.zeros(len(bitmaps) + 1, dtype=bool)  # last slot: code -1 (unknown)
                allowed[codes] = True
                union = _pack(allowed[column])
            np.bitwise_and(combined, union, out=combined)

        if f.categories:
            any_of(self.bits_category, [CATEGORIES.index(c) for c in f.categories], None)
        if f.mcn_tiers:
            any_of(self.bits_mcn, [MCN_TIERS.index(t) for t in f.mcn_tiers], self.cols.mcn_tier)
        if f.price_bands:
            any_of(self.bits_price, [PRICE_BANDS.index(b) for b in f.price_bands], self.cols.price_band)
        if f.regions:
            lookup = {name: i for i, name in enumerate(self.cols.regions)}
            any_of(self.bits_region, [lookup[r] for r in f.regions if r in lookup], self.cols.region)
        if f.exclude_penalised:
            np.bitwise_and(combined, self.bits_clean, out=combined)
        if f.available_only:
            np.bitwise_and(combined, self.bits_available, out=combined)
        return combined

    def _follower_fraction(self, f: MatchFilters) -> float:
        if not f.has_follower_range or self.n == 0:
            return 1.0
        lo = 0 if f.followers_min is None else int(np.searchsorted(self._followers_sorted, f.followers_min, "left"))
        hi = (
            self.n
            if f.followers_max is None
            else int(np.searchsorted(self._followers_sorted, f.followers_max, "right"))
        )
        return max(hi - lo, 0) / self.n

    def _in_follower_range(self, followers: npt.NDArray[np.int64], f: MatchFilters) -> npt.NDArray[np.bool_]:
        ok = np.ones(followers.shape[0], dtype=bool)
        if f.followers_min is not None:
            ok &= followers >= f.followers_min
        if f.followers_max is not None:
            ok &= followers <= f.followers_max
        return ok

    def passing_rows(self, f: MatchFilters) -> Rows:
        """All rows that pass the filters, ascending (the exact candidate set)."""
        bitmap = self.filter_bitmap(f)
        rows = np.flatnonzero(np.unpackbits(bitmap, count=self.n, bitorder="little")).astype(np.int64)
        if f.has_follower_range:
            rows = rows[self._in_follower_range(self.cols.followers[rows], f)]
        return rows

    # ------------------------------------------------------------------ search

    def plan(self, f: MatchFilters, bitmap: Bitmap | None = None, k: int = 100) -> Plan:
        bitmap = self.filter_bitmap(f) if bitmap is None else bitmap
        estimated = round(_popcount(bitmap) * self._follower_fraction(f))
        selectivity = estimated / self.n if self.n else 0.0
        if self.ivf is None or estimated <= self.config.exact_limit:
            return Plan("exact", estimated, selectivity)
        return Plan("ivf", estimated, selectivity, nprobe=self._nprobe(selectivity, k), delta_rows=len(self.delta))

    def _nprobe(self, selectivity: float, k: int) -> int:
        assert self.ivf is not None
        nlist = self.ivf.nlist
        per_cell = self.n / nlist
        needed = self.config.probe_margin * k / max(selectivity * per_cell, 1e-9)
        base = math.ceil(self.config.probe_share * nlist)
        return int(min(nlist, max(base, 8, math.ceil(needed))))

    def search(self, query: FloatVector, filters: MatchFilters | None = None, k: int = 100) -> SearchResult:
        if not 1 <= k <= MAX_K:
            raise MatchingInputError(f"k must be between 1 and {MAX_K}, got {k}")
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(-1)
        if q.shape[0] != self.vectors.shape[1]:
            raise MatchingInputError(f"query has {q.shape[0]} dims, the index {self.vectors.shape[1]}")
        f = filters or MatchFilters()
        bitmap = self.filter_bitmap(f)
        plan = self.plan(f, bitmap, k)
        if plan.strategy == "exact":
            rows = np.flatnonzero(np.unpackbits(bitmap, count=self.n, bitorder="little")).astype(np.int64)
            if f.has_follower_range:
                rows = rows[self._in_follower_range(self.cols.followers[rows], f)]
            rows, scores = self._exact(rows, q, k)
        else:
            rows, scores = self._ivf_search(q, f, bitmap, k, plan.nprobe)
        return SearchResult(rows, self.cols.ids[rows], scores, plan)

    def exact_search(self, query: FloatVector, filters: MatchFilters | None = None, k: int = 100) -> SearchResult:
        """Brute force over every passing row: the ground truth the planner's answers are measured against."""
        f = filters or MatchFilters()
        rows = self.passing_rows(f)
        top, scores = self._exact(rows, np.asarray(query, dtype=np.float32).reshape(-1), k)
        return SearchResult(
            top, self.cols.ids[top], scores, Plan("exact", rows.shape[0], rows.shape[0] / max(self.n, 1))
        )

    def _exact(self, rows: Rows, q: FloatVector, k: int) -> tuple[Rows, npt.NDArray[np.float32]]:
        if rows.shape[0] == 0:
            return rows, np.zeros(0, dtype=np.float32)
        scores = self.vectors[rows] @ q
        best = top_k(scores, k)
        return rows[best], scores[best]

    def _ivf_search(
        self, q: FloatVector, f: MatchFilters, bitmap: Bitmap, k: int, nprobe: int
    ) -> tuple[Rows, npt.NDArray[np.float32]]:
        assert self.ivf is not None
        if f.has_follower_range:
            np.bitwise_and(bitmap, _pack(self._in_follower_range(self.cols.followers, f)), out=bitmap)
        delta = np.fromiter(self.delta, dtype=np.int64, count=len(self.delta))
        if delta.size:
            delta.sort()
            delta = delta[((bitmap[delta >> 3] >> (delta & 7)) & 1).astype(bool)]
        searchable = np.bitwise_and(bitmap, self.bits_indexed)
        selector = faiss.IDSelectorBitmap(searchable.shape[0], faiss.swig_ptr(searchable))
        params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)  # type: ignore[call-arg]
        scores, labels = self.ivf.search(q[None, :], k, params=params)
        found = labels[0] >= 0
        rows = labels[0][found].astype(np.int64)
        row_scores = scores[0][found].astype(np.float32)
        if delta.size:
            rows = np.concatenate((rows, delta))
            row_scores = np.concatenate((row_scores, self.vectors[delta] @ q))
        best = top_k(row_scores, k)
        return rows[best], row_scores[best]

    # ------------------------------------------------------------------ freshness

    def update(self, changes: CreatorTable) -> None:
        """Upsert creators: known ids are rewritten in place, unknown ids are appended to the delta.

        `changes` carries complete rows (persona, attributes); its region vocabulary may hold new names.
        """
        if len(changes) == 0:
            return
        region = self._map_regions(changes)
        pos = np.searchsorted(self._ids_sorted, changes.ids)
        pos_c = np.minimum(pos, max(self._ids_sorted.size - 1, 0))
        known = (
            (self._ids_sorted.size > 0) & (self._ids_sorted[pos_c] == changes.ids)
            if self.n
            else np.zeros(len(changes), dtype=bool)
        )
        vectors = creator_vectors(changes, self.weights)
        if (~known).any():
            self._append(changes.take(np.flatnonzero(~known)), region[~known], vectors[~known])
        if known.any():
            rows = self._id_order[pos_c[known]].astype(np.int64)
            sub = changes.take(np.flatnonzero(known))
            changed_vector = np.any(self.vectors[rows] != vectors[known], axis=1)
            self.vectors[rows] = vectors[known]
            self._write_columns(rows, sub, region[known])
            moved = rows[changed_vector]
            if moved.size and self.ivf is not None:
                _set_bits(self.bits_indexed, moved, np.zeros(moved.size, dtype=bool))
                self.delta.update(moved.tolist())
            _set_bits(self.bits_alive, rows, np.ones(rows.size, dtype=bool))
        if self.ivf is not None and len(self.delta) > self.config.compact_at * self.n:
            self.compact()

    def set_flags(
        self,
        creator_ids: Iterable[int],
        *,
        penalised: bool | None = None,
        available: bool | None = None,
        followers: int | None = None,
    ) -> None:
        """Change a few attributes without touching vectors (a new penalty, a booked schedule, a follower count)."""
        rows = self.rows_of(creator_ids)
        if rows.size == 0:
            return
        if penalised is not None:
            self.cols.penalised[rows] = penalised
            _set_bits(self.bits_clean, rows, np.full(rows.size, not penalised))
        if available is not None:
            self.cols.available[rows] = available
            _set_bits(self.bits_available, rows, np.full(rows.size, available))
        if followers is not None:
            if followers < 0:
                raise MatchingInputError(f"followers must be ≥ 0, got {followers}")
            self.cols.followers[rows] = followers

    def remove(self, creator_ids: Iterable[int]) -> None:
        """Tombstone creators (deleted accounts): they stop matching at once; ids stay reserved."""
        rows = self.rows_of(creator_ids)
        _set_bits(self.bits_alive, rows, np.zeros(rows.size, dtype=bool))
        self.delta.difference_update(rows.tolist())

    def compact(self) -> None:
        """Fold the delta into the IVF: only the changed ids are removed and re-added."""
        if self.ivf is None or not self.delta:
            return
        rows = np.fromiter(sorted(self.delta), dtype=np.int64, count=len(self.delta))
        self.ivf.remove_ids(faiss.IDSelectorBatch(rows.size, faiss.swig_ptr(rows)))
        self.ivf.add_with_ids(np.ascontiguousarray(self.vectors[rows]), rows)
        _set_bits(self.bits_indexed, rows, np.ones(rows.size, dtype=bool))
        self.delta.clear()
        self._followers_sorted = np.sort(self.cols.followers)

    def _map_regions(self, changes: CreatorTable) -> npt.NDArray[np.int32]:
        lookup = {name: i for i, name in enumerate(self.cols.regions)}
        out = np.full(len(changes), -1, dtype=np.int32)
        for i, code in enumerate(changes.region.tolist()):
            if code < 0:
                continue
            name = changes.regions[code]
            if name not in lookup:
                lookup[name] = len(self.cols.regions)
                self.cols.regions.append(name)
                self.bits_region.append(np.zeros_like(self.bits_alive))
            out[i] = lookup[name]
        return out

    def _write_columns(self, rows: Rows, sub: CreatorTable, region: npt.NDArray[np.int32]) -> None:
        c = self.cols
        old_cat, old_mcn, old_price, old_region = (
            c.categories[rows].copy(),
            c.mcn_tier[rows].copy(),
            c.price_band[rows].copy(),
            c.region[rows].copy(),
        )
        c.categories[rows] = sub.categories
        c.followers[rows] = sub.followers
        c.mcn_tier[rows] = sub.mcn_tier
        c.region[rows] = region
        c.price_band[rows] = sub.price_band
        c.penalised[rows] = sub.penalised
        c.available[rows] = sub.available
        c.gmv_per_live[rows] = sub.gmv_per_live
        c.conversion[rows] = sub.conversion
        for i, bitmap in enumerate(self.bits_category):
            touched = ((old_cat >> i) & 1 == 1) | ((sub.categories >> i) & 1 == 1)
            if touched.any():
                _set_bits(bitmap, rows[touched], (sub.categories[touched] >> i) & 1 == 1)
        for bitmaps, old, new in (
            (self.bits_mcn, old_mcn, sub.mcn_tier),
            (self.bits_price, old_price, sub.price_band),
            (self.bits_region, old_region, region),
        ):
            for code, bitmap in enumerate(bitmaps):
                touched = (old == code) | (new == code)
                if touched.any():
                    _set_bits(bitmap, rows[touched], new[touched] == code)
        _set_bits(self.bits_clean, rows, ~sub.penalised)
        _set_bits(self.bits_available, rows, sub.available)

    def _append(self, sub: CreatorTable, region: npt.NDArray[np.int32], vectors: FloatMatrix) -> None:
        start, added = self.n, len(sub)
        self.n += added
        self.vectors = np.concatenate((self.vectors, vectors))
        c = self.cols
        fresh = {name: getattr(sub, name) for name in _Columns.COPIED}
        fresh["region"] = region
        self.cols = replace(
            c,
            **{  # type: ignore[arg-type]
                name: np.concatenate((getattr(c, name), fresh[name].astype(getattr(c, name).dtype)))
                for name in _Columns.COPIED
            },
        )
        alive = np.unpackbits(self.bits_alive, count=start, bitorder="little").astype(bool)
        indexed = np.unpackbits(self.bits_indexed, count=start, bitorder="little").astype(bool)
        self._rebuild_lookup()
        self._build_bitmaps()
        self.bits_alive = _pack(np.concatenate((alive, np.ones(added, dtype=bool))))
        self.bits_indexed = _pack(np.concatenate((indexed, np.zeros(added, dtype=bool))))
        if self.ivf is not None:
            self.delta.update(range(start, start + added))

    def persona_shares(self, rows: Rows) -> dict[str, npt.NDArray[np.float64]]:
        """Fan persona shares of `rows`, recovered from the vectors (a unit-scaled distribution / its sum).

        Keeping no second copy of the personas saves 32 floats a creator; a block the creator had no data for
        comes back as equal shares.
        """
        out: dict[str, npt.NDArray[np.float64]] = {}
        for name, _vocab in PERSONA_BLOCKS:
            block = np.maximum(self.vectors[rows][:, LAYOUT.slices[name]].astype(np.float64), 0.0)
            total = block.sum(axis=1, keepdims=True)
            out[name] = np.divide(block, total, out=np.zeros_like(block), where=total > 0)
        return out

    def memory_bytes(self) -> int:
        """Bytes held by vectors, IVF copy, columns and bitmaps (what the 2 GB goal counts)."""
        total = self.vectors.nbytes
        if self.ivf is not None:
            invlists = self.ivf.invlists
            assert invlists is not None
            codes = int(sum(int(invlists.list_size(i)) for i in range(self.ivf.nlist)))
            total += codes * (self.ivf.code_size + 8) + self.ivf.nlist * self.ivf.d * 4
        c = self.cols
        total += sum(
            a.nbytes
            for a in (
                c.ids,
                c.categories,
                c.followers,
                c.mcn_tier,
                c.region,
                c.price_band,
                c.penalised,
                c.available,
                c.gmv_per_live,
                c.conversion,
                self._id_order,
                self._ids_sorted,
                self._followers_sorted,
            )
        )
        bitmaps = [
            *self.bits_category,
            *self.bits_mcn,
            *self.bits_price,
            *self.bits_region,
            self.bits_clean,
            self.bits_available,
            self.bits_alive,
            self.bits_indexed,
        ]
        total += sum(b.nbytes for b in bitmaps)
        return int(total)
