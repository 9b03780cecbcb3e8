"""Growth-programme effect measurement (创作者成长 benchmark): IHDP √PEHE and coverage on the simulator.

Run from the repository root: ``.venv/bin/python -m bench.growth [--ihdp-reps 20] [--seeds 20] [--creators 3000]
[--lalonde] [--dynamics]``.

* **IHDP** (Hill 2011, response surface B as shipped in the econml wheel with its ground truth): each replication
  draws a surface, fits on a random 70% and scores √PEHE on the held-out 30%; the baseline, measured in the same
  run, is a LightGBM T-learner. Goal: mean √PEHE ≤ 1.0.
* **Simulator**: per seed an ecosystem and a 创作者学院 course whose enrolment self-selects on motivation
  (`simulator.engine.programmes`); for follower growth and monthly income, whether the 95% interval of the ATE
  covers the planted ATE and whether the naive difference misses it. Goal: ≥ 18 of 20 each.
* **LaLonde** (``--lalonde``; NSW job training, Dehejia–Wahba sample, and the CPS-1 comparison group, both as shipped
  in the MIT ``causaldata`` wheel): the randomised ATT is the NSW experiment's difference of means (≈ $1,794); the
  observational estimate is the 185 NSW treated against the 15,992 CPS controls, read from a CSV and estimated
  exactly as ``wanghong growth effect --estimand att`` does. Goal: within 28% of the randomised ATT, interval
  covering it. The overlap column gives the controls whose propensity was clipped at 0.99 and the effective number
  of weighted controls (Kish). A second row restricts the CPS controls to the treated's propensity range (Dehejia &
  Wahba's common support, a logistic propensity on their covariates), a diagnostic, not the goal's figure.
* **Dynamics** (``--dynamics``): the closed loop of `growth.engine.dynamics`; the mid tier's share of tipping income
  after N months under greedy and fair allocation, beside the seed platform's 65%. Measured, not a target.

Prints the load average: the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from wanghong.growth.engine import EffectEstimate, estimate_effect, fit_conditional_effect
from wanghong.growth.measurement import EffectData, read_effect_data
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


LALONDE_COVARIATES = ("age", "educ", "black", "hisp", "marr", "nodegree", "re74", "re75", "u74", "u75")


def lalonde_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(NSW experiment, NSW treated + CPS-1 controls) with Dehejia–Wahba's covariates, u74/u75 = no earnings."""
    from causaldata import cps_mixtape, nsw_mixtape

    nsw = nsw_mixtape.load_pandas().data
    cps = cps_mixtape.load_pandas().data
    observational = pd.concat([nsw[nsw.treat == 1], cps], ignore_index=True)
    frames = []
    for frame in (nsw, observational):
        frame = frame.drop(columns=["data_id"]).astype("float64")
        frame["u74"] = (frame["re74"] == 0).astype("float64")
        frame["u75"] = (frame["re75"] == 0).astype("float64")
        frames.append(frame)
    return frames[0], frames[1]


def common_support(frame: pd.DataFrame) -> pd.DataFrame:
    """The controls whose logistic propensity lies inside the treated's range (and every treated row)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = frame[list(LALONDE_COVARIATES)].copy()
    for column in ("age", "educ", "re74", "re75"):
        x[column + "_sq"] = x[column] ** 2
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(x, frame["treat"])
    score = model.predict_proba(x)[:, 1]
    treated = frame["treat"].to_numpy() == 1
    keep = treated | (score >= score[treated].min()) & (score <= score[treated].max())
    return frame[keep].reset_index(drop=True)


def effect_as_the_cli_does(frame: pd.DataFrame, directory: str, name: str) -> tuple[EffectEstimate, EffectData]:
    """Write the frame as a CSV and estimate as `wanghong growth effect --estimand att --covariates …` does."""
    from pathlib import Path

    path = Path(directory) / f"{name}.csv"
    frame.to_csv(path, index=False)
    data = read_effect_data(path, "treat", "re78", list(LALONDE_COVARIATES))
    return estimate_effect(data.treatment, data.outcome, data.covariates, estimand="att", seed=0), data


def print_lalonde(console: Console) -> None:
    import tempfile

    experiment, observational = lalonde_frames()
    treated = experiment[experiment.treat == 1].re78
    control = experiment[experiment.treat == 0].re78
    randomised = float(treated.mean() - control.mean())
    se = float(np.sqrt(treated.var() / treated.size + control.var() / control.size))
    table = Table(
        title=f"LaLonde NSW: randomised ATT {randomised:,.0f} ± {1.96 * se:,.0f} "
        "(goal: observational within 28%, interval covering it)"
    )
    headers = (
        "comparison group",
        "rows",
        "ATT",
        "95% interval",
        "% off",
        "covers",
        "naive",
        "overlap",
        "refutations",
        "s",
    )
    for header in headers:
        table.add_column(header, justify="right")
    with tempfile.TemporaryDirectory() as directory:
        runs = [
            ("NSW experimental controls", experiment),
            ("CPS-1 (observational, the goal)", observational),
            ("CPS-1 within common support", common_support(observational)),
        ]
        for label, frame in runs:
            started = time.perf_counter()
            result, data = effect_as_the_cli_does(frame, directory, label.split()[0])
            seconds = time.perf_counter() - started
            off = (result.estimate - randomised) / randomised
            table.add_row(
                label,
                f"{data.treatment.size:,}",
                f"{result.estimate:,.0f}",
                f"[{result.interval.ci_low:,.0f}, {result.interval.ci_high:,.0f}]",
                f"{off:+.0%}",
                "yes" if result.interval.contains(randomised) else "no",
                f"{result.naive:,.0f}",
                f"{result.overlap.clipped_high} clipped, {result.overlap.effective_controls:,.0f} eff. controls",
                " ".join(f"{r.name}:{'ok' if r.passed else 'FAIL'}" for r in result.refutations),
                f"{seconds:.0f}",
            )
    console.print(table)


def print_dynamics(console: Console, months: int, creators: int) -> None:
    from wanghong.growth.engine.dynamics import SEED_MID_TIP_SHARE, DynamicsConfig, simulate_dynamics

    started = time.perf_counter()
    report = simulate_dynamics(DynamicsConfig(creators=creators, months=months))
    seconds = time.perf_counter() - started
    table = Table(title=f"traffic dynamics, {creators:,} creators, {months} months: tipping-income share by tier")
    table.add_column("tier")
    table.add_column("start", justify="right")
    for allocation in report.runs:
        table.add_column(allocation.value, justify="right")
    for i, start in enumerate(report.start):
        table.add_row(
            start.tier.value,
            f"{start.income_share:.1%} ({start.creators})",
            *(f"{run.tiers[i].income_share:.1%} ({run.tiers[i].creators})" for run in report.runs.values()),
        )
    table.add_row("exposure Gini", "", *(f"{run.exposure_gini:.3f}" for run in report.runs.values()))
    table.add_row("income Gini", "", *(f"{run.income_gini:.3f}" for run in report.runs.values()))
    console.print(table)
    for allocation, run in report.runs.items():
        console.print(
            f"{allocation.value}: mid tier {run.mid_share:.1%} of tipping income "
            f"(seed platform {SEED_MID_TIP_SHARE:.0%}; {run.mid_share - SEED_MID_TIP_SHARE:+.1%})"
        )
    console.print(f"dynamics seconds: {seconds:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ihdp-reps", type=int, default=20, help="0 skips IHDP")
    parser.add_argument("--seeds", type=int, default=20, help="0 skips the simulator")
    parser.add_argument("--creators", type=int, default=3000)
    parser.add_argument("--lalonde", action="store_true", help="the LaLonde NSW / CPS observational benchmark")
    parser.add_argument("--dynamics", action="store_true", help="the long-run traffic dynamics (greedy vs fair)")
    parser.add_argument("--months", type=int, default=24, help="months of the dynamics run")
    args = parser.parse_args()
    console = Console(width=190)  # wide enough for the LaLonde table's ten columns when piped to a file

    if args.ihdp_reps > 0:
        print_ihdp(console, args.ihdp_reps)
    if args.seeds > 0:
        print_simulator(console, args.seeds, args.creators)
    if args.lalonde:
        print_lalonde(console)
    if args.dynamics:
        print_dynamics(console, args.months, min(args.creators, 2000))
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
