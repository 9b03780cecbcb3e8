"""Throughput and memory of the traffic policies (普惠流量分发 benchmark).

Run: ``.venv/bin/python bench/traffic.py``. Prints decisions/s per policy at 200 and 1,000
candidates with the ratio to greedy top-K measured in the same run, then the memory of the fair
allocator's state for 3 million creators. Single process, one request at a time unless the row
says "batched" (``allocate_many``: same slates as one at a time, see FairAllocator).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import time
import tracemalloc

import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table

from wanghong.traffic.engine import PMMF, CPFair, FairAllocator, FairCo, GreedyTopK, Request

N_CREATORS = 100_000
K = 10


def make_requests(n_requests: int, n_candidates: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    # Zipf-like creator popularity so exposure is skewed the way feeds are.
    creators = np.minimum(rng.zipf(1.3, size=(n_requests, n_candidates)) - 1, N_CREATORS - 1)
    items = rng.integers(0, 10**9, size=(n_requests, n_candidates))
    scores = rng.random((n_requests, n_candidates)) + 0.05 * np.log1p(N_CREATORS - creators)
    return items.astype(np.int64), creators.astype(np.int64), scores


def one_by_one(policy: object, items: np.ndarray, creators: np.ndarray, scores: np.ndarray) -> float:
    requests = [Request(items[r], creators[r], scores[r]) for r in range(scores.shape[0])]
    allocate = policy.allocate  # type: ignore[attr-defined]
    start = time.perf_counter()
    for request in requests:
        allocate(request)
    return scores.shape[0] / (time.perf_counter() - start)


def batched(policy: object, items: np.ndarray, creators: np.ndarray, scores: np.ndarray, batch: int = 4096) -> float:
    start = time.perf_counter()
    for lo in range(0, scores.shape[0], batch):
        policy.allocate_many(items[lo : lo + batch], creators[lo : lo + batch], scores[lo : lo + batch])  # type: ignore[attr-defined]
    return scores.shape[0] / (time.perf_counter() - start)


def throughput(console: Console) -> None:
    table = Table(title=f"决策吞吐 decisions/s (1 core, {N_CREATORS:,} creators, K={K})")
    for header in ("候选数 candidates", "策略 policy", "决策/秒 decisions/s", "对贪心 vs greedy"):
        table.add_column(header, justify="right")
    for n_candidates, n_requests in ((200, 40_000), (1000, 10_000)):
        items, creators, scores = make_requests(n_requests, n_candidates, seed=n_candidates)
        # (name, policy factory, runner, request limit); P-MMF sorts every provider per request,
        # so 300 requests are enough to time it.
        plan = [
            ("greedy", lambda: GreedyTopK(N_CREATORS, K), one_by_one, None),
            ("fair (ours)", lambda: FairAllocator(N_CREATORS, K, 0.3), one_by_one, None),
            ("fairco", lambda: FairCo(N_CREATORS, K, 0.01), one_by_one, None),
            ("cpfair", lambda: CPFair(N_CREATORS, K, 0.1), one_by_one, None),
            ("pmmf", lambda: PMMF(N_CREATORS, K), one_by_one, 300),
            ("greedy batched", lambda: GreedyTopK(N_CREATORS, K), batched, None),
            ("fair (ours) batched", lambda: FairAllocator(N_CREATORS, K, 0.3), batched, None),
        ]
        results = {}
        for name, factory, runner, limit in track(plan, description=f"{n_candidates} 候选 candidates"):
            results[name] = runner(factory(), items[:limit], creators[:limit], scores[:limit])
        for name, rate in results.items():
            base = results["greedy batched" if "batched" in name else "greedy"]
            table.add_row(str(n_candidates), name, f"{rate:,.0f}", f"{rate / base:.2f}×")
    console.print(table)
    console.print("ratios: one-at-a-time rows vs one-at-a-time greedy, batched rows vs batched greedy")


def memory(console: Console) -> None:
    n = 3_000_000
    tracemalloc.start()
    allocator = FairAllocator(n, K, 0.3, creator_tiers=np.zeros(n, dtype=np.int8), min_tier_share={0: 0.1})
    current, _ = tracemalloc.get_traced_memory()
    # Expose every creator once so a refresh works on the full table (the worst case).
    ids = np.arange(n)
    allocator.state.record(ids, np.random.default_rng(0).random(n))
    start = time.perf_counter()
    allocator._refresh(np.random.default_rng(1).random(200))  # one controller refresh at full size
    refresh_s = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    console.print(
        f"3,000,000 位达人的状态内存 state for 3M creators: {current / 2**20:.1f} MiB resident "
        f"(exposure table + price array + tier ids); peak during a full refresh {peak / 2**20:.1f} MiB; "
        f"refresh time {refresh_s * 1e3:.0f} ms (every {allocator.refresh_every:,} requests by default, "
        f"{refresh_s / allocator.refresh_every * 1e6:.1f} µs amortised per request)"
    )


if __name__ == "__main__":
    console = Console()
    throughput(console)
    memory(console)
