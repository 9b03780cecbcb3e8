"""Benchmark of the ecosystem simulator: generation time at 100k creators against a 10k baseline, the
calibration figures at both sizes, and the SQLite load of a 2,000-creator ecosystem.

Run: .venv/bin/python bench/simulator.py [--creators 100000] [--baseline 10000] [--seed 7] [--no-db]
The requirement is 100k creators with all their events in under two minutes on 2 cores; the per-creator
cost ratio shows whether generation stays linear in the number of creators.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from wanghong.simulator.engine import SimulationConfig, calibration_figures, generate_ecosystem


def _generate(creators: int, seed: int) -> tuple[float, dict[str, int], object]:
    started = time.perf_counter()
    eco = generate_ecosystem(SimulationConfig(creators=creators), seed=seed)
    elapsed = time.perf_counter() - started
    return elapsed, eco.row_counts(), calibration_figures(eco)


def _load_sqlite(creators: int, seed: int) -> tuple[float, float, int]:
    from wanghong.kit.db import migrate as migrate
    from wanghong.kit.db.session import Database
    from wanghong.simulator.load import load_ecosystem

    eco = generate_ecosystem(SimulationConfig(creators=creators), seed=seed)
    results = []
    for behaviour in (True, False):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            migrate.upgrade(url)
            database = Database(url)
            started = time.perf_counter()
            with database.transaction() as session:
                summary = load_ecosystem(session, eco, include_behaviour=behaviour)
            results.append((time.perf_counter() - started, summary.total_rows))
            database.dispose()
    return results[0][0], results[1][0], results[0][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-db", action="store_true", help="skip the SQLite load measurement")
    args = parser.parse_args()

    _generate(1_000, args.seed)  # warm imports and allocator so the baseline is not charged for them
    base_s, base_rows, base_fig = _generate(args.baseline, args.seed)
    big_s, big_rows, big_fig = _generate(args.creators, args.seed)
    print(f"generation: {args.baseline:,} creators {base_s:.2f} s ({sum(base_rows.values()):,} rows)")
    print(f"generation: {args.creators:,} creators {big_s:.2f} s ({sum(big_rows.values()):,} rows)")
    per_creator_ratio = (big_s / args.creators) / (base_s / args.baseline)
    print(
        f"time ratio {big_s / base_s:.2f}x for {args.creators / args.baseline:.0f}x creators; "
        f"per-creator cost ratio {per_creator_ratio:.2f} (1.0 = linear)"
    )
    print(f"requirement: {args.creators:,} creators under 120 s -> {'met' if big_s < 120 else 'NOT met'}")
    print("rows at the large size: " + ", ".join(f"{k} {v:,}" for k, v in big_rows.items()))
    print()
    print(f"{'figure':<36}{'target':>10}{args.baseline:>12,}{args.creators:>12,}")
    for label, target, attr, fmt in (
        ("mid-tier (100k-1M) tip share", "65%", "mid_tier_tip_share", "{:.1%}"),
        ("top-decile MCN income share", "47%", "top_mcn_share", "{:.1%}"),
        ("mean monthly income (yuan)", "8,700", "mean_monthly_income", "{:,.0f}"),
        ("median monthly income (yuan)", "-", "median_monthly_income", "{:,.0f}"),
    ):
        print(
            f"{label:<36}{target:>10}{fmt.format(getattr(base_fig, attr)):>12}{fmt.format(getattr(big_fig, attr)):>12}"
        )
    if not args.no_db:
        print()
        with_behaviour, without, rows = _load_sqlite(2_000, args.seed)
        print(
            f"SQLite load, 2,000 creators: {with_behaviour:.1f} s with behaviour ({rows:,} rows), "
            f"{without:.1f} s without (target < 30 s)"
        )


if __name__ == "__main__":
    main()
