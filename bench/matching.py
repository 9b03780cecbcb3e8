"""Benchmark of the matching index: build time, memory, p50/p99 latency and recall@100 per filter selectivity.

    .venv/bin/python bench/matching.py            # 3,000,000 creators (about 3 GB of RAM while building)
    .venv/bin/python bench/matching.py --n 200000

Creators are drawn column-wise with the simulator's persona model (`engines.matching.synthetic`; the full
simulator would also generate viewers and orders, which do not fit in memory at this size).  For each
selectivity the same product queries run through the planner and through exact filtered search (brute force
over every passing row, the baseline and the ground truth); the ratio column is baseline p50 / planner p50.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import faiss
import numpy as np
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from wanghong.domain import Category
from wanghong.engines.matching import IndexConfig, MatchFilters, MatchIndex, ProductProfile, product_vector
from wanghong.engines.matching.synthetic import synthetic_creators
from wanghong.engines.matching.vectors import CATEGORIES


def region_filter(table, target: float) -> MatchFilters:  # type: ignore[no-untyped-def]
    """Regions, rarest first, until their share reaches `target` (region shares are Zipf-distributed)."""
    counts = np.bincount(table.region, minlength=len(table.regions))
    chosen: list[str] = []
    total = 0
    for code in np.argsort(counts):
        if total >= target * len(table):
            break
        chosen.append(table.regions[int(code)])
        total += int(counts[code])
    return MatchFilters(regions=frozenset(chosen), exclude_penalised=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=3_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--k", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--probe-share", type=float, default=IndexConfig().probe_share)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    faiss.omp_set_num_threads(args.threads)
    console = Console()
    with Progress(console=console) as progress:
        task = progress.add_task("生成达人 / drawing creators", total=4)
        started = time.perf_counter()
        table = synthetic_creators(args.n, seed=args.seed)
        drawn = time.perf_counter() - started
        progress.update(task, advance=1, description="建索引 / building")
        index = MatchIndex(
            table,
            config=IndexConfig(probe_share=args.probe_share, seed=args.seed),
            progress=lambda step: progress.update(task, advance=1, description=f"建索引 / built {step}"),
        )
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
    rng = np.random.default_rng(args.seed + 1)
    queries = []
    for i in range(args.queries):
        target = {"segments": {"young_mothers": 0.6, "urban_white_collar": 0.4}} if i % 3 == 0 else {}
        profile = ProductProfile(CATEGORIES[i % len(CATEGORIES)], float(rng.lognormal(np.log(180), 0.8)), target)
        queries.append(product_vector(profile))
    cases = {
        "100%": MatchFilters(exclude_penalised=False),
        "10%": region_filter(table, 0.10),
        "1%": region_filter(table, 0.01),
        "0.1%": region_filter(table, 0.001),
        "brand mix": MatchFilters(
            categories=frozenset({Category.BEAUTY}), followers_min=10_000, followers_max=1_000_000, available_only=True
        ),
    }
    report = Table(title=f"matching index · {args.n:,} creators · k={args.k} · {args.threads} threads")
    for column in (
        "filter",
        "selectivity",
        "plan",
        "nprobe",
        "recall@k mean",
        "recall@k min",
        "p50 ms",
        "p99 ms",
        "exact p50 ms",
        "speed-up",
    ):
        report.add_column(column, justify="right")
    worst_recall, worst_p99 = 1.0, 0.0
    for name, f in cases.items():
        passing = index.passing_rows(f).size
        planned, exact, recalls = [], [], []
        plan = index.plan(f, k=args.k)
        for q in queries:
            t0 = time.perf_counter()
            got = index.search(q, f, args.k)
            t1 = time.perf_counter()
            truth = index.exact_search(q, f, args.k)
            t2 = time.perf_counter()
            planned.append(t1 - t0)
            exact.append(t2 - t1)
            expected = min(args.k, passing)
            recalls.append(len(set(got.rows.tolist()) & set(truth.rows.tolist())) / max(expected, 1))
        p50, p99 = np.percentile(planned, 50) * 1e3, np.percentile(planned, 99) * 1e3
        e50 = np.percentile(exact, 50) * 1e3
        worst_recall, worst_p99 = min(worst_recall, float(np.mean(recalls))), max(worst_p99, p99)
        report.add_row(
            name,
            f"{passing / args.n:.3%}",
            plan.strategy,
            str(plan.nprobe),
            f"{np.mean(recalls):.4f}",
            f"{np.min(recalls):.2f}",
            f"{p50:.2f}",
            f"{p99:.2f}",
            f"{e50:.2f}",
            f"{e50 / p50:.1f}×",
        )
    console.print(report)
    console.print(
        f"draw {drawn:.1f} s · build {index.build_seconds:.1f} s · "
        f"index memory {index.memory_bytes() / 1024**3:.2f} GiB"
        f" (vectors {index.vectors.nbytes / 1024**3:.2f} GiB + IVF copy) · peak RSS {peak_rss / 1024**3:.2f} GiB · "
        f"nlist {index.ivf.nlist if index.ivf else 0} · cpus {os.cpu_count()}"
    )
    console.print(
        f"goals: p99 < 20 ms → worst {worst_p99:.1f} ms {'✓' if worst_p99 < 20 else '✗'}; recall@{args.k} ≥ 0.95 → "
        f"worst mean {worst_recall:.3f} {'✓' if worst_recall >= 0.95 else '✗'}; index < 2 GiB → "
        f"{'✓' if index.memory_bytes() < 2 * 1024**3 else '✗'}"
    )


if __name__ == "__main__":
    main()
