"""Fraud detection throughput (反作弊 benchmark): fake orders with their graph, viewbot rooms, account scoring.

Run from the repository root: ``.venv/bin/python -m bench.fraud [--orders N] [--rooms N] [--accounts N]``.

* **Orders**: a planted world of ``--orders`` orders (default 1,000,000) is scored end to end — neighbour
  aggregates over buyer, device, address and payment, LightGBM, ring components — by a model fitted on another
  planted world of 100,000 orders. Baseline in the same run: the same aggregates computed with pandas
  ``groupby(...).nunique()/max()/min()`` on a fifth of the orders (rates compared per order). Goal: < 60 s.
* **Rooms**: ``--rooms`` planted rooms of 10,000 viewer sessions each. Goal: ≤ 1 s per room.
* **Accounts**: ``--accounts`` generated profiles through the shipped numpy trees; the cold start of a fresh
  interpreter loading the shipped model, against a fresh interpreter importing LightGBM (the baseline: what
  shipping the booster instead of arrays would cost every CLI call before its first prediction).

Precision and recall on the planted truth are printed next to the times, with the load average (shared machine).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from wanghong.fraud.engine.accounts import account_features, shipped_account_model
from wanghong.fraud.engine.orders import FakeOrderModel, OrderGraph, order_features
from wanghong.fraud.engine.population import generate_population
from wanghong.fraud.engine.viewbots import detect_viewbots
from wanghong.simulator.engine.fraud import PlantedOrders, planted_orders, planted_room

T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def graph_of(planted: PlantedOrders) -> OrderGraph:
    return OrderGraph(
        planted.buyer,
        planted.creator,
        planted.device,
        planted.address,
        planted.payment,
        planted.placed_s,
        planted.refunded_after_days,
    )


def pandas_aggregates(orders: OrderGraph) -> None:
    """The aggregates of ``order_features``, written the obvious way with pandas (the baseline)."""
    import pandas as pd

    frame = pd.DataFrame(
        {
            "buyer": orders.buyer,
            "creator": orders.creator,
            "device": orders.device,
            "address": orders.address,
            "payment": orders.payment,
            "placed": orders.placed_s,
            "late": orders.refunded_after_days >= 7,
            "just_settled": (orders.refunded_after_days >= 7) & (orders.refunded_after_days < 10),
            "refund_day": np.floor(orders.placed_s / 86_400 + orders.refunded_after_days),  # NaN: not refunded
        }
    )
    for kind in ("buyer", "device", "address", "payment"):
        grouped = frame.groupby(kind)
        table = grouped.agg(
            orders=("creator", "size"),
            buyers=("buyer", "nunique"),
            creators=("creator", "nunique"),
            devices=("device", "nunique"),
            addresses=("address", "nunique"),
            payments=("payment", "nunique"),
            first=("placed", "min"),
            last=("placed", "max"),
            late=("late", "mean"),
            just_settled=("just_settled", "mean"),
        )
        top = frame.groupby([kind, "creator"]).size().groupby(level=0).max()
        burst = frame.dropna(subset=["refund_day"]).groupby([kind, "refund_day"]).size().groupby(level=0).max()
        (
            frame[[kind]]
            .join(table.add_prefix(f"{kind}_"), on=kind)
            .join(top.rename(f"{kind}_top"), on=kind)
            .join(burst.rename(f"{kind}_burst"), on=kind)
        )


def precision_recall(flagged: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    hits = int((flagged & truth).sum())
    return hits / max(int(flagged.sum()), 1), hits / max(int(truth.sum()), 1)


def bench_orders(count: int) -> None:
    training = planted_orders(100_000, seed=101)
    # Fitted as the daily scan fits its model: on the training world as scans at the month's end and before any
    # refund see it (refunds still to come unknown).
    views = (graph_of(training).seen_at(30 * 86_400.0), graph_of(training).seen_at(-np.inf))
    model, fit_s = timed(lambda: FakeOrderModel.fit_views(views, training.is_fake))
    world, generate_s = timed(lambda: planted_orders(count, seed=7))
    graph = graph_of(world)
    verdict, detect_s = timed(lambda: model.detect(graph))
    _, features_s = timed(lambda: order_features(graph))
    sample = max(count // 5, 1)
    head = graph.head(sample)
    _, pandas_s = timed(lambda: pandas_aggregates(head))
    precision, recall = precision_recall(verdict.flagged, world.is_fake)
    clean, flagged = verdict.fraud_adjusted_gmv(world.amount_fen)
    print(f"orders: {count:,} planted (generated in {generate_s:.1f} s), model fitted on 100,000 in {fit_s:.1f} s")
    print(f"  scored with graph and rings: {detect_s:.1f} s (goal < 60 s); aggregates alone {features_s:.1f} s")
    print(
        f"  pandas aggregates on {sample:,}: {pandas_s:.1f} s → numpy aggregates are "
        f"{(pandas_s / sample) / (features_s / count):.1f}× faster per order"
    )
    print(f"  precision {precision:.4f}, recall {recall:.4f}, rings {verdict.rings} (planted {world.ring.max() + 1})")
    unrefunded = model.detect(graph.seen_at(-np.inf))
    precision, recall = precision_recall(unrefunded.flagged, world.is_fake)
    print(f"  the same world before any refund: precision {precision:.4f}, recall {recall:.4f}")
    print(f"  GMV {(clean + flagged) / 100:,.0f} 元, of which flagged {flagged / 100:,.0f} 元")


def bench_rooms(rooms: int) -> None:
    times = []
    precision_sum = recall_sum = 0.0
    for seed in range(rooms):
        room = planted_room(sessions=10_000, seed=seed)
        start = time.perf_counter()
        verdict = detect_viewbots(room.enter_s, room.leave_s, room.comment, room.duration_s)
        seconds = time.perf_counter() - start
        times.append(seconds)
        precision, recall = precision_recall(verdict.flagged, room.is_bot)
        precision_sum += precision
        recall_sum += recall
    print(
        f"rooms: {rooms} × 10,000 sessions: median {np.median(times):.3f} s, max {max(times):.3f} s per room "
        f"(goal ≤ 1 s); mean precision {precision_sum / rooms:.4f}, recall {recall_sum / rooms:.4f}"
    )


def cold_start(code: str) -> float:
    """Seconds for a fresh interpreter to run ``code`` (what one ``wanghong fraud score-accounts`` call pays)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def bench_accounts(count: int) -> None:
    population = generate_population(count, seed=99)
    features = account_features(population.accounts)
    model = shipped_account_model()
    _, numpy_s = timed(lambda: model.trees.margin(features))
    numpy_start = cold_start(
        "from wanghong.fraud.engine.accounts import shipped_account_model; shipped_account_model()"
    )
    lightgbm_start = cold_start("import lightgbm")
    print(f"accounts: {count:,} through the numpy trees in {numpy_s:.2f} s ({count / numpy_s:,.0f}/s)")
    print(
        f"  cold start: shipped numpy model loaded in {numpy_start:.2f} s; baseline `import lightgbm` alone "
        f"{lightgbm_start:.2f} s ({lightgbm_start / numpy_start:.1f}×)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--rooms", type=int, default=5)
    parser.add_argument("--accounts", type=int, default=100_000)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    bench_orders(args.orders)
    bench_rooms(args.rooms)
    bench_accounts(args.accounts)
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
