"""Benchmark of the video near-duplicate engine (run: .venv/bin/python bench/originality_video.py).

1. Hash choice: per-frame Hamming distances of each re-upload variant to its original, PDQ vs pHash,
   against the distances between unrelated clips.
2. Hamming radius search over 1M and 5M random 64-bit codes with planted near-duplicates:
   queries/s of the shipped index (faiss IndexBinaryFlat, exact) and of the faiss
   IndexBinaryMultiHash configurations considered instead (with their recall against it), as ratios
   to a brute-force numpy popcount scan measured in the same run. ``--speed-only`` runs part 2 alone.
3. Precision/recall/F1 per variant on the synthetic evaluation set, pHash with and without the
   half-frame hashes (whole frames only is the baseline), then PDQ. ``--quality-only`` runs part 3 alone.
"""

from __future__ import annotations

import argparse
import os
import time

import faiss
import numpy as np

from wanghong.originality.engine.video import HammingIndex, brute_force_search, fingerprint_video, synthetic
from wanghong.originality.engine.video.evaluation import evaluate

RADIUS = 12


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def hash_choice(clips: int) -> None:
    print("\n== 1. per-frame Hamming distance to the original (median / p90 / max), bits ==")
    for algorithm, bits in (("pdq", 256), ("phash", 64)):
        distances: dict[str, list[int]] = {}
        unrelated: list[np.ndarray] = []
        for seed in range(clips):
            original = synthetic.make_clip(synthetic.ClipSpec(seed=seed))
            ref = fingerprint_video(original, algorithm=algorithm)
            other = fingerprint_video(synthetic.make_clip(synthetic.ClipSpec(seed=100 + seed)), algorithm=algorithm)
            unrelated.append(np.unpackbits(ref.hashes[:, None] ^ other.hashes[None], axis=-1).sum(-1).ravel())
            for name, data in synthetic.iter_variants(original, seed):
                if name == "clip":
                    continue
                fp = fingerprint_video(data, algorithm=algorithm)
                n = min(len(fp), len(ref))
                codes = fp.mirror_hashes if name == "mirror" else fp.hashes
                d = np.unpackbits(codes[:n] ^ ref.hashes[:n], axis=-1).sum(-1)
                distances.setdefault(name, []).extend(d.tolist())
        row = "  ".join(f"{k}={np.median(v):.0f}/{np.percentile(v, 90):.0f}/{max(v)}" for k, v in distances.items())
        neg = np.concatenate(unrelated)
        print(f"{algorithm:6s}({bits} bits) {row}  | unrelated min={neg.min()} p1={np.percentile(neg, 1):.0f}")


def planted_codes(n: int, queries: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    codes = rng.integers(0, 256, (n, 8), dtype=np.uint8)
    sources = rng.choice(n, queries, replace=False)
    bits = np.unpackbits(codes[sources], axis=1)
    for row in bits:
        row[rng.choice(64, int(rng.integers(0, RADIUS + 1)), replace=False)] ^= 1
    return codes, np.packbits(bits, axis=1)


def pairs(q: np.ndarray, i: np.ndarray) -> set[tuple[int, int]]:
    return set(zip(q.tolist(), i.tolist(), strict=True))


def search_speed(sizes: list[int], queries: int, brute_queries: int) -> None:
    print(f"\n== 2. radius-{RADIUS} search over random 64-bit codes + planted near-duplicates ==")
    rng = np.random.default_rng(0)
    for n in sizes:
        codes, q = planted_codes(n, queries, rng)
        t = time.perf_counter()
        brute = brute_force_search(codes, q[:brute_queries], RADIUS)
        brute_qps = brute_queries / (time.perf_counter() - t)
        t = time.perf_counter()
        shipped = HammingIndex(8)
        shipped.add(codes)
        build = time.perf_counter() - t
        t = time.perf_counter()
        hits = shipped.search(q, RADIUS)
        qps = queries / (time.perf_counter() - t)
        truth = pairs(hits.query, hits.ids)
        assert pairs(brute.query, brute.ids) == {p for p in truth if p[0] < brute_queries}, "shipped index is not exact"
        print(f"N={n:,}: brute-force numpy popcount {brute_qps:,.0f} q/s (baseline)  [{load()}]")
        print(
            f"  shipped HammingIndex (faiss IndexBinaryFlat, exact): {qps:,.0f} q/s = {qps / brute_qps:,.1f}x brute,"
            f" recall 1 ({len(truth)} true pairs over {queries} queries), build {build:.2f}s"
        )
        # The multi-index hashes considered instead: each fast one misses pairs, each exact one is slow.
        for nhash, bits, nflip in ((4, 16, 1), (4, 16, 2), (4, 16, 3), (5, 12, 2), (7, 9, 1)):
            t = time.perf_counter()
            index = faiss.IndexBinaryMultiHash(64, nhash, bits)
            index.nflip = nflip
            index.add(codes)
            build = time.perf_counter() - t
            t = time.perf_counter()
            lims, _, ids = index.range_search(q, RADIUS + 1)  # faiss keeps distances < radius
            mh_qps = queries / (time.perf_counter() - t)
            qrow = np.repeat(np.arange(queries), np.diff(lims).astype(np.int64))
            recall = len(pairs(qrow, ids) & truth) / max(len(truth), 1)
            print(
                f"  faiss IndexBinaryMultiHash {nhash}x{bits} nflip {nflip}: {mh_qps:,.0f} q/s"
                f" = {mh_qps / brute_qps:,.1f}x brute, {mh_qps / qps:.2f}x shipped, recall {recall:.4f},"
                f" build {build:.2f}s"
            )


def quality(originals: int, seconds: float) -> None:
    print(f"\n== 3. detection per variant ({originals} originals, {originals} distractors, {seconds:.0f} s clips) ==")
    for algorithm, halves in (("phash", False), ("phash", True), ("pdq", True)):
        print(f"-- {algorithm}, {'whole frames and halves' if halves else 'whole frames only (baseline)'}  [{load()}]")
        for s in evaluate(originals, originals, originals, seconds, seed=0, algorithm=algorithm, halves=halves):
            print(
                f"{s.variant:9s} n={s.queries:3d} TP={s.true_positives:3d} FP={s.false_positives:2d}"
                f" FN={s.false_negatives:2d}  P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--brute-queries", type=int, default=100)
    parser.add_argument("--clips", type=int, default=3)
    parser.add_argument("--originals", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=10.0)
    parts = parser.add_mutually_exclusive_group()
    parts.add_argument("--quality-only", action="store_true", help="run part 3 only")
    parts.add_argument("--speed-only", action="store_true", help="run part 2 only")
    args = parser.parse_args()
    faiss.omp_set_num_threads(1)  # compare single-threaded against single-threaded numpy
    if args.speed_only:
        search_speed(args.sizes, args.queries, args.brute_queries)
        return
    if not args.quality_only:
        hash_choice(args.clips)
        search_speed(args.sizes, args.queries, args.brute_queries)
    quality(args.originals, args.seconds)


if __name__ == "__main__":
    main()
