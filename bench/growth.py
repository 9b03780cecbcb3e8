"""Growth-programme effect measurement (创作者成长 benchmark): IHDP √PEHE and coverage on the simulator.

Run from the repository root: ``.venv/bin/python -m bench.growth [--ihdp-reps 20] [--seeds 20] [--creators 3000]``.

* **IHDP** (Hill 2011, response surface B as shipped in the econml wheel with its ground truth): each replication
  draws a surface, fits on a random 70% and scores √PEHE on the held-out 30%; the baseline, measured in the same
  run, is a LightGBM T-learner. Goal: mean √PEHE ≤ 1.0.
* **Simulator**: per seed an ecosystem and a 创作者学院 course whose enrolment self-selects on motivation
  (`simulator.engine.programmes`); for follower growth and monthly income, whether the 95% interval of the ATE
  covers the planted ATE and whether the naive difference misses it. Goal: ≥ 18 of 20 each.

Prints the load average: the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
from rich.console import Console
from rich.table import Table

from wanghong.growth.engine import estimate_effect, fit_conditional_effect
from wanghong.simulator.engine import SimulationConfig, generate_ecosystem
from wanghong.simulator.engine.programmes import Outcome, ProgrammeDesign, simulate_programme


def ihdp(reps: int) -> tuple[list[float], list[float], float, float]:
    from econml.data.dgps import ihdp_surface_B
    from econml.metalearners import TLearner
    from lightgbm import LGBMRegressor
    from sklearn.model_selection import train_test_split

    ours, baseline, ours_s, base_s = [], [], 0.0, 0.0
    for rep in range(reps):
        y, t, x, tau = ihdp_surface_B(random_state=rep)
        x_fit, x_test, t_fit, _, y_fit, _, _, tau_test = train_test_split(x, t, y, tau, test_size=0.3, random_state=rep)
        started = time.perf_counter()
        model = fit_conditional_effect(t_fit, y_fit, x_fit, seed=rep)
        ours.append(float(np.sqrt(np.mean((model.effect(x_test) - tau_test) ** 2))))
        ours_s += time.perf_counter() - started
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            plain = TLearner(models=LGBMRegressor(verbose=-1, n_jobs=1)).fit(y_fit, t_fit, X=x_fit)
        baseline.append(float(np.sqrt(np.mean((plain.effect(x_test) - tau_test) ** 2))))
        base_s += time.perf_counter() - started
    return ours, baseline, ours_s, base_s


def naive_stderr(t: np.ndarray, y: np.ndarray) -> float:
    """Welch's standard error of the naive difference of means: "misses" means its own 95% interval does."""
    treated, untreated = y[t == 1], y[t == 0]
    return float(np.sqrt(treated.var(ddof=1) / treated.size + untreated.var(ddof=1) / untreated.size))


def simulator(seeds: int, creators: int) -> dict[str, dict[str, int | float]]:
    tally: dict[str, dict[str, int | float]] = {
        o.value: {"covered": 0, "naive_missed": 0, "abs_error": 0.0, "naive_abs_error": 0.0} for o in Outcome
    }
    for seed in range(seeds):
        cohort = simulate_programme(
            generate_ecosystem(SimulationConfig(creators=creators), seed=seed), ProgrammeDesign.course()
        )
        for outcome in Outcome:
            planted = cohort.planted(outcome)
            y = cohort.outcome(outcome)
            result = estimate_effect(cohort.enrolled, y, cohort.covariates(), refute=False, seed=seed)
            row = tally[outcome.value]
            row["covered"] += int(result.interval.contains(planted))
            row["naive_missed"] += int(abs(result.naive - planted) > 1.96 * naive_stderr(cohort.enrolled, y))
            row["abs_error"] += abs(result.estimate - planted) / abs(planted) / seeds
            row["naive_abs_error"] += abs(result.naive - planted) / abs(planted) / seeds
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ihdp-reps", type=int, default=20, help="0 skips IHDP")
    parser.add_argument("--seeds", type=int, default=20, help="0 skips the simulator")
    parser.add_argument("--creators", type=int, default=3000)
    args = parser.parse_args()
    console = Console()

    if args.ihdp_reps > 0:
        print_ihdp(console, args.ihdp_reps)
    if args.seeds > 0:
        print_simulator(console, args.seeds, args.creators)
    console.print(f"load average: {os.getloadavg()}")


def print_ihdp(console: Console, reps: int) -> None:
    ours, baseline, ours_s, base_s = ihdp(reps)
    table = Table(title=f"IHDP surface B, {reps} replications, out-of-sample √PEHE (goal ≤ 1.0)")
    for header in ("learner", "mean √PEHE", "median", "seconds", "ratio to baseline"):
        table.add_column(header, justify="right")
    table.add_row(
        "T-learner, CV-selected arms (ours)",
        f"{np.mean(ours):.3f}",
        f"{np.median(ours):.3f}",
        f"{ours_s:.1f}",
        f"{np.mean(ours) / np.mean(baseline):.2f}",
    )
    table.add_row(
        "LightGBM T-learner (baseline)",
        f"{np.mean(baseline):.3f}",
        f"{np.median(baseline):.3f}",
        f"{base_s:.1f}",
        "1.00",
    )
    console.print(table)


def print_simulator(console: Console, seeds: int, creators: int) -> None:
    started = time.perf_counter()
    tally = simulator(seeds, creators)
    table = Table(title=f"simulator, course programme, {seeds} seeds × {creators} creators (goal ≥ 18/20 each)")
    for header in (
        "outcome",
        "interval covers planted",
        "naive 95% interval misses planted",
        "mean |error| ÷ effect",
        "naive |error| ÷ effect",
    ):
        table.add_column(header, justify="right")
    for outcome, row in tally.items():
        table.add_row(
            outcome,
            f"{row['covered']}/{seeds}",
            f"{row['naive_missed']}/{seeds}",
            f"{row['abs_error']:.2f}",
            f"{row['naive_abs_error']:.2f}",
        )
    console.print(table)
    console.print(f"simulator seconds: {time.perf_counter() - started:.1f}")


if __name__ == "__main__":
    main()
