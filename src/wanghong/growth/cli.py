"""创作者成长命令 / growth commands, mounted as `wanghong growth`.

`effect` has a stable `--json` contract for outside checks:
`{"estimate", "ci_low", "ci_high", "naive", "estimand", "method", "refutations": {name: {"passed", …}}, …}`.
Bad input (a missing file or column, a non-binary treatment, a non-numeric covariate) exits 2 with the reason on
stderr. pandas, DoubleML and Rich are imported inside the command so `wanghong --help` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from wanghong.growth.engine.effect import EffectEstimate
    from wanghong.growth.measurement import EffectData

app = typer.Typer(help="创作者成长与星火计划 / creator growth and MCN grading", no_args_is_help=True)

REFUTATION_LABELS = {
    "placebo_treatment": "安慰剂处理 / placebo treatment",
    "random_common_cause": "随机共同原因 / random common cause",
    "data_subset": "数据子集 / data subset",
}


@app.callback()
def growth() -> None:
    """创作者成长与星火计划 / creator growth and MCN grading."""


@app.command("effect")
def effect(
    data: Annotated[Path, typer.Option("--data", help="CSV 文件 / CSV file")],
    treatment: Annotated[str, typer.Option("--treatment", help="处理列（0/1）/ treatment column (0/1)")],
    outcome: Annotated[str, typer.Option("--outcome", help="结果列 / outcome column")],
    covariates: Annotated[
        str | None,
        typer.Option("--covariates", help="协变量，逗号分隔（默认其余数值列）/ covariates, comma-separated"),
    ] = None,
    estimand: Annotated[str, typer.Option("--estimand", help="ate | att")] = "ate",
    seed: Annotated[int, typer.Option("--seed", help="随机种子 / random seed")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
) -> None:
    """估计项目效果及置信区间，附反驳检验 / estimate a programme's effect with its interval and refutations."""
    from rich.console import Console

    from wanghong.growth.engine.effect import EffectDataError, Estimand, estimate_effect
    from wanghong.growth.measurement import EffectInputError, read_effect_data

    errors = Console(stderr=True, highlight=False)
    if estimand.lower() not in {e.value for e in Estimand}:
        _fail(errors, f"--estimand must be ate or att, got {estimand!r}")
    names = [c.strip() for c in covariates.split(",") if c.strip()] if covariates is not None else None
    try:
        frame = read_effect_data(data, treatment, outcome, names)
        if frame.rows_dropped:
            errors.print(
                f"[yellow]注意 / note:[/yellow] 已剔除 {frame.rows_dropped:,} / {frame.rows_read:,} 行含缺失值 / "
                f"dropped {frame.rows_dropped:,} of {frame.rows_read:,} rows with a missing value"
            )
        if frame.skipped_columns:
            errors.print(
                "[yellow]注意 / note:[/yellow] 非数值列未作协变量 / non-numeric columns not used as covariates: "
                + ", ".join(frame.skipped_columns)
            )
        result = estimate_effect(frame.treatment, frame.outcome, frame.covariates, estimand=estimand.lower(), seed=seed)
    except (EffectInputError, EffectDataError) as error:
        _fail(errors, str(error))
    if as_json:
        typer.echo(json.dumps(_as_json(result, frame), ensure_ascii=False))
    else:
        _print_summary(result, frame, treatment, outcome)


@app.command("grade")
def grade(
    month: Annotated[
        str | None, typer.Option("--month", help="评级月份 YYYY-MM（默认上个月）/ month to grade (default: last month)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
) -> None:
    """按月为 MCN 评级（可重复运行）/ grade every agency for a month (idempotent: a re-run changes nothing new)."""
    from rich.console import Console

    from wanghong.config import Settings
    from wanghong.growth.grading import last_complete_month, parse_month, run_grading
    from wanghong.kit.db.session import Database
    from wanghong.kit.errors import ServiceError

    errors = Console(stderr=True, highlight=False)
    db = Database(Settings.from_env().database_url)
    try:
        graded_month = parse_month(month) if month else last_complete_month()
        with db.transaction() as session:
            run = run_grading(session, graded_month)
    except ServiceError as error:
        _fail(errors, error.detail)
    finally:
        db.dispose()
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "month": f"{run.month:%Y-%m}",
                    "counts": run.counts(),
                    "agencies": [
                        {
                            "mcn_id": a.mcn_id,
                            "name": a.name,
                            "score": a.score,
                            "grade": a.grade.value,
                            "previous": a.previous.value if a.previous else None,
                            "effective": a.effective.value,
                            "tier_changed": a.tier_changed,
                        }
                        for a in run.agencies
                    ],
                },
                ensure_ascii=False,
            )
        )
        return
    counts = run.counts()
    changed = sum(a.tier_changed for a in run.agencies)
    Console(highlight=False).print(
        f"星火计划 {run.month:%Y-%m}: {len(run.agencies):,} 家机构 / agencies graded — "
        + ", ".join(f"{tier} {n}" for tier, n in counts.items())
        + f"; 等级变化 / tier changes: {changed}"
    )


@app.command("dynamics")
def dynamics(
    months: Annotated[int, typer.Option("--months", help="模拟月数 / months to simulate")] = 24,
    creators: Annotated[int, typer.Option("--creators", help="达人数 / creators")] = 2000,
    target_gini: Annotated[float, typer.Option("--target-gini", help="公平分发的基尼上限 / fair Gini ceiling")] = 0.4,
    seed: Annotated[int, typer.Option("--seed", help="随机种子 / random seed")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
) -> None:
    """流量分发的长期动态：贪心与公平分发下各粉丝层级的打赏收入 / long-run dynamics: tipping income by follower
    tier under greedy and fair allocation, month by month."""
    from rich.console import Console

    from wanghong.growth.engine.dynamics import DynamicsConfig, DynamicsInputError, simulate_dynamics

    errors = Console(stderr=True, highlight=False)
    try:
        config = DynamicsConfig(creators=creators, months=months, target_gini=target_gini)
    except DynamicsInputError as error:
        _fail(errors, str(error))
    report = simulate_dynamics(config, seed=seed)
    if as_json:
        typer.echo(json.dumps(dynamics_json(report), ensure_ascii=False))
        return
    _print_dynamics(report)


def dynamics_json(report: Any) -> dict[str, Any]:
    from wanghong.growth.engine.dynamics import SEED_MID_TIP_SHARE

    def tiers(outcomes: Any) -> dict[str, Any]:
        return {
            o.tier.value: {"creators": o.creators, "income_share": o.income_share, "follower_share": o.follower_share}
            for o in outcomes
        }

    return {
        "months": report.config.months,
        "creators": report.config.creators,
        "target_gini": report.config.target_gini,
        "seed": report.seed,
        "seed_mid_share": SEED_MID_TIP_SHARE,
        "start": tiers(report.start),
        "policies": {
            allocation.value: {
                "tiers": tiers(run.tiers),
                "mid_share": run.mid_share,
                "mid_share_by_month": list(run.mid_share_by_month),
                "exposure_gini": run.exposure_gini,
                "income_gini": run.income_gini,
            }
            for allocation, run in report.runs.items()
        },
    }


def _print_dynamics(report: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from wanghong.growth.engine.dynamics import SEED_MID_TIP_SHARE

    table = Table(
        title=f"{report.config.months} 个月后各层级打赏收入占比 / tipping-income share by follower tier after "
        f"{report.config.months} months ({report.config.creators:,} creators)"
    )
    table.add_column("层级 / tier")
    table.add_column("起点 / start", justify="right")
    for allocation in report.runs:
        table.add_column(f"{allocation.value}", justify="right")
    for i, start in enumerate(report.start):
        ends = [run.tiers[i] for run in report.runs.values()]
        table.add_row(
            start.tier.label,
            f"{start.income_share:.1%} ({start.creators:,})",
            *(f"{end.income_share:.1%} ({end.creators:,})" for end in ends),
        )
    table.add_row("曝光基尼 / exposure Gini", "—", *(f"{run.exposure_gini:.3f}" for run in report.runs.values()))
    console = Console(highlight=False)
    console.print(table)
    for allocation, run in report.runs.items():
        gap = run.mid_share - SEED_MID_TIP_SHARE
        console.print(
            f"{allocation.value}: 腰部收入占比 / mid-tier share {run.mid_share:.1%} "
            f"(种子平台 / seed {SEED_MID_TIP_SHARE:.0%}, {gap:+.1%})"
        )


def _fail(console: Any, message: str) -> None:
    console.print(f"[red]错误 / error:[/red] {message}")
    raise typer.Exit(code=2)


def _as_json(result: EffectEstimate, frame: EffectData) -> dict[str, Any]:
    return {
        "estimate": result.estimate,
        "ci_low": result.interval.ci_low,
        "ci_high": result.interval.ci_high,
        "stderr": result.interval.stderr,
        "p_value": result.interval.p_value,
        "confidence": result.confidence,
        "naive": result.naive,
        "estimand": result.estimand.value,
        "method": result.method,
        "refutations": {r.name: r.as_dict() for r in result.refutations},
        "overlap": result.overlap.as_dict() if result.overlap else None,
        "rows": result.rows,
        "rows_read": frame.rows_read,
        "rows_dropped": frame.rows_dropped,
        "treated": result.treated,
        "covariates": list(frame.covariate_names),
    }


def _print_summary(result: EffectEstimate, frame: EffectData, treatment: str, outcome: str) -> None:
    from rich.console import Console
    from rich.table import Table

    what = (
        "处理组平均效果 ATT / effect on the treated"
        if result.estimand.value == "att"
        else "平均效果 ATE / average effect"
    )
    level = f"{result.confidence:.0%}"
    table = Table(title=f"项目效果 / programme effect: {treatment} → {outcome}")
    table.add_column("项目 / item")
    table.add_column("值 / value", justify="right")
    table.add_row(what, f"{result.estimate:,.4g}")
    table.add_row(
        f"{level} 置信区间 / {level} interval", f"[{result.interval.ci_low:,.4g}, {result.interval.ci_high:,.4g}]"
    )
    table.add_row("p 值 / p-value", f"{result.interval.p_value:.3g}")
    table.add_row("朴素差值（有偏）/ naive difference (biased)", f"{result.naive:,.4g}")
    table.add_row("样本 / rows (treated)", f"{result.rows:,} ({result.treated:,})")
    table.add_row("剔除缺失行 / rows dropped (missing values)", f"{frame.rows_dropped:,}")
    table.add_row("协变量 / covariates", ", ".join(frame.covariate_names) or "—")
    checks = Table(title="反驳检验 / refutation checks")
    checks.add_column("检验 / check")
    checks.add_column("新估计 / new estimate", justify="right")
    checks.add_column("结果 / result")
    for r in result.refutations:
        verdict = "[green]通过 / passed[/green]" if r.passed else "[red]未通过 / failed[/red]"
        checks.add_row(REFUTATION_LABELS.get(r.name, r.name), f"{r.detail.get('effect', float('nan')):,.4g}", verdict)
    console = Console()
    console.print(table)
    console.print(checks)
    console.print(f"方法 / method: {result.method}", highlight=False)
