"""The IVF strategy: a faiss `IndexIVFFlat` (inner product) over the creator vectors, searched under a bitmap.

Cells are probed in centroid order until they hold ≈ `probe_margin`·k passing rows, counted per query on a fixed
1-in-`SAMPLE_STRIDE` row sample whose cells are kept; the count assuming the filter is spread evenly is the cap
(see `MatchIndex` for when the planner chooses this over exact search).
"""

from __future__ import annotations

import math

import faiss
import numpy as np
import numpy.typing as npt

from wanghong.matching.engine.exact import Bitmap, Rows, set_bits
from wanghong.matching.engine.vectors import FloatMatrix, FloatVector

# Every SAMPLE_STRIDE-th row (bit 0 of every eighth bitmap byte) is a fixed sample whose IVF cell is kept, so
# a query can count how many *passing* rows its best cells hold instead of assuming the filter is spread evenly.
SAMPLE_STRIDE = 64


class IvfCells:
    """The IVF copy of the vectors; row numbers are the faiss ids, so a bitmap over rows is its id selector."""

    def __init__(
        self,
        vectors: FloatMatrix,
        *,
        nlist: int | None,
        train_sample: int,
        probe_share: float,
        probe_margin: float,
        seed: int,
    ) -> None:
        n, dim = vectors.shape
        self.probe_share = probe_share
        self.probe_margin = probe_margin
        self.nlist = nlist or max(16, int(2 ** round(math.log2(2 * math.sqrt(n)))))
        quantizer = faiss.IndexFlatIP(dim)
        ivf = faiss.IndexIVFFlat(quantizer, dim, self.nlist, faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(seed)
        sample = rng.choice(n, size=min(n, max(train_sample, 40 * self.nlist)), replace=False)
        # All creator vectors have the same norm, so L2 k-means cells are also the best inner-product cells.
        ivf.cp.seed = seed
        ivf.cp.spherical = True  # unit centroids: inner-product cell assignment equals L2 for equal-norm rows
        ivf.train(np.ascontiguousarray(vectors[np.sort(sample)]))
        ivf.add_with_ids(vectors, np.arange(n, dtype=np.int64))
        self.faiss = ivf
        self._sample(vectors)

    def _sample(self, vectors: FloatMatrix) -> None:
        centroids = self.faiss.quantizer.reconstruct_n(0, self.nlist)
        self._centroids: FloatMatrix = np.ascontiguousarray(centroids, dtype=np.float32)
        sample = np.ascontiguousarray(vectors[::SAMPLE_STRIDE])
        self._sample_cell = self.faiss.quantizer.assign(sample, 1)[:, 0].astype(np.int32)

    def nprobe(self, selectivity: float, k: int, n: int) -> int:
        """Cells to probe if the passing rows were spread evenly over them (the cap `search` may stop below)."""
        per_cell = n / self.nlist
        needed = self.probe_margin * k / max(selectivity * per_cell, 1e-9)
        base = math.ceil(self.probe_share * self.nlist)
        return int(min(self.nlist, max(base, 8, math.ceil(needed))))

    def _probe_order(self, q: FloatVector, searchable: Bitmap, k: int, most: int) -> tuple[npt.NDArray[np.int64], int]:
        """Cells by centroid affinity, and how many to probe so they hold ≈ margin·k passing rows.

        `most` (from the filter's overall selectivity) assumes passing rows are spread evenly over the cells; a
        filter that agrees with the query (beauty creators for a beauty product) packs them into the best
        cells, so counting the sampled passing rows per cell stops much earlier at the same margin.
        """
        affinity = np.einsum("ij,j->i", self._centroids, q)
        order = np.argsort(-affinity, kind="stable")
        hits = (searchable[:: SAMPLE_STRIDE // 8][: self._sample_cell.size] & 1).astype(bool)
        per_cell = np.bincount(self._sample_cell[hits], minlength=self.nlist)
        reached = np.cumsum(per_cell[order]) * SAMPLE_STRIDE
        needed = int(np.searchsorted(reached, self.probe_margin * k)) + 1
        base = math.ceil(self.probe_share * self.nlist)
        return order, int(min(most, self.nlist, max(base, 8, needed)))

    def search(
        self, q: FloatVector, searchable: Bitmap, k: int, most: int
    ) -> tuple[Rows, npt.NDArray[np.float32], int]:
        """The best rows among those set in `searchable` (at most `k`), their scores and the cells probed."""
        order, nprobe = self._probe_order(q, searchable, k, most)
        cells = np.ascontiguousarray(order[:nprobe][None, :], dtype=np.int64)
        selector = faiss.IDSelectorBitmap(searchable.shape[0], faiss.swig_ptr(searchable))
        params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)  # type: ignore[call-arg]
        coarse = np.zeros(cells.shape, dtype=np.float32)  # the scanner needs no centroid distances for IVFFlat
        scores = np.empty((1, k), dtype=np.float32)
        labels = np.empty((1, k), dtype=np.int64)
        # The Python wrapper of search_preassigned refuses `params` (the selector), the C++ call takes it.
        self.faiss.search_preassigned_c(  # type: ignore[attr-defined]
            1,
            faiss.swig_ptr(q),
            k,
            faiss.swig_ptr(cells),
            faiss.swig_ptr(coarse),
            faiss.swig_ptr(scores),
            faiss.swig_ptr(labels),
            False,
            params,
        )
        found = labels[0] >= 0
        return labels[0][found].astype(np.int64), scores[0][found].astype(np.float32), nprobe

    def refold(self, rows: Rows, vectors: FloatMatrix, indexed: Bitmap) -> None:
        """Replace the IVF copies of `rows` by their current vectors and mark them indexed again."""
        self.faiss.remove_ids(faiss.IDSelectorBatch(rows.size, faiss.swig_ptr(rows)))
        self.faiss.add_with_ids(np.ascontiguousarray(vectors[rows]), rows)
        set_bits(indexed, rows, np.ones(rows.size, dtype=bool))
        self._sample(vectors)  # re-added rows may sit in other cells now, appended ones join the sample

    def memory_bytes(self) -> int:
        invlists = self.faiss.invlists
        assert invlists is not None
        codes = int(sum(int(invlists.list_size(i)) for i in range(self.nlist)))
        total = codes * (self.faiss.code_size + 8) + self.nlist * self.faiss.d * 4
        return int(total + self._centroids.nbytes + self._sample_cell.nbytes)
