"""Filtered top-k retrieval of creators for a product vector, with a selectivity-aware planner.

Why two strategies
------------------
Graph and cluster indexes lose recall when a filter removes most candidates: the graph walk or the probed
clusters simply hold too few rows that pass (a 1 M-vector faiss HNSW test fell to recall 0.44 at 1 %
selectivity).  Exact search over the filtered subset is, on the other hand, the cheapest thing there is when the
subset is small.  So each query is planned:

* every filter column with a small vocabulary (category, MCN tier, price band, compliance, availability,
  liveness, and follower *buckets* on a 1-2-5 scale) is kept as one *packed bitmap per value* (n/8 bytes;
  375 KB for 3 M creators).  A filter is OR within a column and AND across columns of these bitmaps — tens of
  microseconds — and its popcount is the exact number of rows that pass.  A follower range ORs the buckets
  it covers and checks the follower column only for rows of the (at most two) buckets it cuts;
* regions have hundreds of values, so a bitmap per value would cost n/8 bytes each and a filter naming 200
  small cities would OR 200 of them (or read the whole region column, which is what made a 1 % filter take
  80 ms at 3 M creators).  They are kept as *sorted row-id lists per value* instead: the value counts give the
  region filter's size before anything is materialised, and a small region set yields its candidate rows by
  concatenating a few short lists — the other filters are then bit tests on those rows only;
* estimated rows ≤ `exact_limit` → **exact**: the candidate rows (from the region lists, or from the bitmap,
  expanded byte-wise when sparse) are scored with one BLAS-free product and `argpartition` — recall 1 by
  construction.  `exact_limit` is the measured crossover with the IVF (bench/matching.py);
* otherwise → **IVF** (faiss `IndexIVFFlat`, inner product) with the bitmap as an `IDSelectorBitmap`.  The
  cells are probed in centroid order until they hold ≈ `probe_margin`·k passing rows, counted per query on a
  fixed 1-in-64 row sample whose cells are kept (a bincount over 47,000 entries at 3 M creators); the count
  assuming the filter is spread evenly is the cap.  A filter that agrees with the product (a beauty brand
  asking for beauty creators) packs its rows into the best cells: 164 cells instead of 877 at 3 M creators,
  with recall@100 0.996.  Below `min_ivf_rows` creators there is no IVF at all.

The bitmaps and exact scoring live in `exact`, the IVF in `ivf`, filters and plans in `query`; this module plans
each search and keeps everything fresh.

Scoring avoids BLAS on purpose: a (m × 52) · 52 product is memory-bound, and OpenBLAS's threaded sgemv took
10 ms instead of 0.16 ms for m = 22,000 on a busy 2-core machine (threads waiting on each other), so
`np.einsum`'s single-threaded loop is used instead.

Freshness without rebuilds
--------------------------
Attribute changes (followers, MCN tier, penalties, availability, region) are written into the columns, the
bitmaps and the region row lists in place.  A changed persona rewrites the row of the master vector matrix,
clears the row's "indexed" bit (a tombstone for the IVF copy) and puts the row on the *delta* list, which every
IVF query also scores exactly; new creators are appended to the delta the same way, removed ones lose their "alive" bit.
`compact()` folds the delta into the IVF (remove + re-add those ids only) when it grows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from wanghong.matching.engine.exact import (
    FOLLOWER_EDGES,
    Bitmap,
    Rows,
    bitmap_rows,
    bits_at,
    exact_top_k,
    follower_bucket,
    pack,
    popcount,
    score_rows,
    set_bits,
    top_k,
)
from wanghong.matching.engine.ivf import IvfCells
from wanghong.matching.engine.limits import MAX_K
from wanghong.matching.engine.query import IndexConfig, MatchFilters, Plan, SearchResult
from wanghong.matching.engine.vectors import (
    CATEGORIES,
    CREATOR_COLUMNS,
    LAYOUT,
    MCN_TIERS,
    PERSONA_BLOCKS,
    PRICE_BANDS,
    BlockWeights,
    CreatorTable,
    FloatMatrix,
    FloatVector,
    MatchingInputError,
    creator_vectors,
)


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

    COPIED = ("ids", *CREATOR_COLUMNS)


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
        self.ivf: IvfCells | None = None
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

    def _build_bitmaps(self) -> None:
        c = self.cols
        self.bits_category = [pack((c.categories >> i) & 1 == 1) for i in range(len(CATEGORIES))]
        self.bits_mcn = [pack(c.mcn_tier == i) for i in range(len(MCN_TIERS))]
        self.bits_price = [pack(c.price_band == i) for i in range(len(PRICE_BANDS))]
        order = np.argsort(c.region, kind="stable").astype(np.int32)  # stable: rows ascending within a region
        bounds = np.searchsorted(c.region[order], np.arange(len(c.regions) + 1))
        self.region_rows = [order[bounds[i] : bounds[i + 1]].copy() for i in range(len(c.regions))]
        bucket = follower_bucket(c.followers)
        self.bits_follower = [pack(bucket == i) for i in range(len(FOLLOWER_EDGES))]
        self.bits_clean = pack(~c.penalised)
        self.bits_available = pack(c.available)
        self.bits_alive = pack(np.ones(self.n, dtype=bool))
        self.bits_indexed = pack(np.zeros(self.n, dtype=bool))

    def _build_ivf(self) -> None:
        cfg = self.config
        self.ivf = IvfCells(
            self.vectors,
            nlist=cfg.nlist,
            train_sample=cfg.train_sample,
            probe_share=cfg.probe_share,
            probe_margin=cfg.probe_margin,
            seed=cfg.seed,
        )
        self.bits_indexed = pack(np.ones(self.n, dtype=bool))

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

    def _base_bitmap(self, f: MatchFilters) -> Bitmap:
        """Rows passing the bitmap-backed filters (everything but regions and the follower range)."""
        combined = self.bits_alive.copy()

        def any_of(bitmaps: list[Bitmap], codes: Iterable[int]) -> None:
            union = np.zeros_like(combined)
            for code in codes:
                union |= bitmaps[code]
            np.bitwise_and(combined, union, out=combined)

        if f.categories:
            any_of(self.bits_category, (CATEGORIES.index(c) for c in f.categories))
        if f.mcn_tiers:
            any_of(self.bits_mcn, (MCN_TIERS.index(t) for t in f.mcn_tiers))
        if f.price_bands:
            any_of(self.bits_price, (PRICE_BANDS.index(b) for b in f.price_bands))
        if f.exclude_penalised:
            np.bitwise_and(combined, self.bits_clean, out=combined)
        if f.available_only:
            np.bitwise_and(combined, self.bits_available, out=combined)
        return combined

    def _region_codes(self, f: MatchFilters) -> list[int]:
        lookup = {name: i for i, name in enumerate(self.cols.regions)}
        return sorted(lookup[r] for r in f.regions if r in lookup)

    def _region_candidates(self, codes: list[int]) -> Rows:
        """Rows of the regions, ascending (for a region set small enough to search exactly)."""
        lists = [self.region_rows[c] for c in codes]
        rows = np.concatenate(lists).astype(np.int64) if lists else np.zeros(0, dtype=np.int64)
        rows.sort()
        return rows

    def _region_bitmap(self, codes: list[int]) -> Bitmap:
        mask = np.zeros(self.n, dtype=bool)
        for code in codes:
            mask[self.region_rows[code]] = True
        return pack(mask)

    def _in_follower_range(self, followers: npt.NDArray[np.int64], f: MatchFilters) -> npt.NDArray[np.bool_]:
        ok = np.ones(followers.shape[0], dtype=bool)
        if f.followers_min is not None:
            ok &= followers >= f.followers_min
        if f.followers_max is not None:
            ok &= followers <= f.followers_max
        return ok

    def _apply_follower_range(self, within: Bitmap, f: MatchFilters) -> Bitmap:
        """`within` AND the follower range: whole buckets by bitmap, cut buckets by reading their rows."""
        lo = 0 if f.followers_min is None else f.followers_min
        hi = None if f.followers_max is None else f.followers_max
        union = np.zeros_like(within)
        for b, start in enumerate(FOLLOWER_EDGES.tolist()):
            end = FOLLOWER_EDGES[b + 1] - 1 if b + 1 < len(FOLLOWER_EDGES) else None  # inclusive top
            if (hi is not None and start > hi) or (end is not None and end < lo):
                continue
            if start >= lo and (hi is None or (end is not None and end <= hi)):
                union |= self.bits_follower[b]
                continue
            cut = bitmap_rows(np.bitwise_and(within, self.bits_follower[b]), self.n)
            keep = cut[self._in_follower_range(self.cols.followers[cut], f)]
            if keep.size:
                np.bitwise_or.at(union, keep >> 3, np.left_shift(1, keep & 7).astype(np.uint8))
        return np.bitwise_and(within, union, out=union)

    def filter_bitmap(self, f: MatchFilters) -> Bitmap:
        """Rows passing every filter, as a packed bitmap (always excludes removed creators)."""
        combined = self._base_bitmap(f)
        if f.regions:
            np.bitwise_and(combined, self._region_bitmap(self._region_codes(f)), out=combined)
        if f.has_follower_range:
            combined = self._apply_follower_range(combined, f)
        return combined

    def passing_rows(self, f: MatchFilters) -> Rows:
        """All rows that pass the filters, ascending (the exact candidate set)."""
        return bitmap_rows(self.filter_bitmap(f), self.n)

    # ------------------------------------------------------------------ search

    def _evaluate(self, f: MatchFilters, k: int) -> tuple[Plan, Bitmap | None, Rows | None]:
        """The plan plus what it runs on: candidate rows for exact search, the filter bitmap for the IVF."""
        base = self._base_bitmap(f)
        n = max(self.n, 1)
        if f.regions:
            codes = self._region_codes(f)
            estimate = sum(self.region_rows[c].size for c in codes)  # value counts: nothing materialised yet
            if self.ivf is None or estimate <= self.config.exact_limit:
                rows = self._region_candidates(codes)
                rows = rows[bits_at(base, rows)]
                if f.has_follower_range:
                    rows = rows[self._in_follower_range(self.cols.followers[rows], f)]
                return Plan("exact", rows.size, rows.size / n), None, rows
            np.bitwise_and(base, self._region_bitmap(codes), out=base)
        if f.has_follower_range:
            base = self._apply_follower_range(base, f)
        count = popcount(base)
        if self.ivf is None or count <= self.config.exact_limit:
            return Plan("exact", count, count / n), None, bitmap_rows(base, self.n)
        selectivity = count / n
        plan = Plan(
            "ivf", count, selectivity, nprobe=self.ivf.nprobe(selectivity, k, self.n), delta_rows=len(self.delta)
        )
        return plan, base, None

    def plan(self, f: MatchFilters, k: int = 100) -> Plan:
        return self._evaluate(f, k)[0]

    def search(self, query: FloatVector, filters: MatchFilters | None = None, k: int = 100) -> SearchResult:
        if not 1 <= k <= MAX_K:
            raise MatchingInputError(f"k must be between 1 and {MAX_K}, got {k}")
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(-1)
        if q.shape[0] != self.vectors.shape[1]:
            raise MatchingInputError(f"query has {q.shape[0]} dims, the index {self.vectors.shape[1]}")
        plan, bitmap, candidates = self._evaluate(filters or MatchFilters(), k)
        if candidates is not None:
            rows, scores = exact_top_k(self.vectors, candidates, q, k)
        else:
            assert bitmap is not None
            rows, scores, nprobe = self._ivf_search(q, bitmap, k, plan.nprobe)
            plan = replace(plan, nprobe=nprobe)
        return SearchResult(rows, self.cols.ids[rows], scores, plan)

    def exact_search(self, query: FloatVector, filters: MatchFilters | None = None, k: int = 100) -> SearchResult:
        """Brute force over every passing row: the ground truth the planner's answers are measured against."""
        f = filters or MatchFilters()
        rows = self.passing_rows(f)
        top, scores = exact_top_k(self.vectors, rows, np.asarray(query, dtype=np.float32).reshape(-1), k)
        return SearchResult(
            top, self.cols.ids[top], scores, Plan("exact", rows.shape[0], rows.shape[0] / max(self.n, 1))
        )

    def _ivf_search(
        self, q: FloatVector, bitmap: Bitmap, k: int, most: int
    ) -> tuple[Rows, npt.NDArray[np.float32], int]:
        """The IVF's answer over the indexed rows, merged with the delta rows scored exactly."""
        assert self.ivf is not None
        delta = np.fromiter(self.delta, dtype=np.int64, count=len(self.delta))
        if delta.size:
            delta.sort()
            delta = delta[bits_at(bitmap, delta)]
        rows, row_scores, nprobe = self.ivf.search(q, np.bitwise_and(bitmap, self.bits_indexed), k, most)
        if delta.size:
            rows = np.concatenate((rows, delta))
            row_scores = np.concatenate((row_scores, score_rows(self.vectors, delta, q)))
        best = top_k(row_scores, k)
        return rows[best], row_scores[best], nprobe

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
                set_bits(self.bits_indexed, moved, np.zeros(moved.size, dtype=bool))
                self.delta.update(moved.tolist())
            set_bits(self.bits_alive, rows, np.ones(rows.size, dtype=bool))
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
            set_bits(self.bits_clean, rows, np.full(rows.size, not penalised))
        if available is not None:
            self.cols.available[rows] = available
            set_bits(self.bits_available, rows, np.full(rows.size, available))
        if followers is not None:
            if followers < 0:
                raise MatchingInputError(f"followers must be ≥ 0, got {followers}")
            self._move_followers(rows, np.full(rows.size, followers, dtype=np.int64))

    def remove(self, creator_ids: Iterable[int]) -> None:
        """Tombstone creators (deleted accounts): they stop matching at once; ids stay reserved."""
        rows = self.rows_of(creator_ids)
        set_bits(self.bits_alive, rows, np.zeros(rows.size, dtype=bool))
        self.delta.difference_update(rows.tolist())

    def compact(self) -> None:
        """Fold the delta into the IVF: only the changed ids are removed and re-added."""
        if self.ivf is None or not self.delta:
            return
        rows = np.fromiter(sorted(self.delta), dtype=np.int64, count=len(self.delta))
        self.ivf.refold(rows, self.vectors, self.bits_indexed)
        self.delta.clear()

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
                self.region_rows.append(np.zeros(0, dtype=np.int32))
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
        self._move_followers(rows, sub.followers.astype(np.int64))
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
                set_bits(bitmap, rows[touched], (sub.categories[touched] >> i) & 1 == 1)
        for bitmaps, old, new in (
            (self.bits_mcn, old_mcn, sub.mcn_tier),
            (self.bits_price, old_price, sub.price_band),
        ):
            for code, bitmap in enumerate(bitmaps):
                touched = (old == code) | (new == code)
                if touched.any():
                    set_bits(bitmap, rows[touched], new[touched] == code)
        set_bits(self.bits_clean, rows, ~sub.penalised)
        set_bits(self.bits_available, rows, sub.available)
        moved = old_region != region
        for code in np.unique(np.concatenate((old_region[moved], region[moved]))).tolist():
            if code < 0:
                continue
            kept = np.setdiff1d(self.region_rows[code], rows[moved & (old_region == code)], assume_unique=True)
            self.region_rows[code] = np.union1d(kept, rows[moved & (region == code)]).astype(np.int32)

    def _move_followers(self, rows: Rows, followers: npt.NDArray[np.int64]) -> None:
        old, new = follower_bucket(self.cols.followers[rows]), follower_bucket(followers)
        self.cols.followers[rows] = followers
        for code in np.unique(np.concatenate((old, new))).tolist():
            touched = (old == code) | (new == code)
            set_bits(self.bits_follower[code], rows[touched], new[touched] == code)

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
        self.bits_alive = pack(np.concatenate((alive, np.ones(added, dtype=bool))))
        self.bits_indexed = pack(np.concatenate((indexed, np.zeros(added, dtype=bool))))
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
            total += self.ivf.memory_bytes()
        c = self.cols
        arrays: list[npt.NDArray[np.generic]] = [
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
            *self.region_rows,
        ]
        total += sum(a.nbytes for a in arrays)
        bitmaps = [
            *self.bits_category,
            *self.bits_mcn,
            *self.bits_price,
            *self.bits_follower,
            self.bits_clean,
            self.bits_available,
            self.bits_alive,
            self.bits_indexed,
        ]
        total += sum(b.nbytes for b in bitmaps)
        return int(total)
