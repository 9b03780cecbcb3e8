"""创作者成长命令 / growth commands, mounted as `wanghong growth`.

`effect` has a stable `--json` contract for outside checks:
`{"estimate", "ci_low", "ci_high", "naive", "estimand", "method", "refutations": {name: {"passed", …}}, …}`.
Bad input (a missing file or column, a non-binary treatment, a non-numeric covariate) exits 2 with the reason on
stderr. pandas, EconML and Rich are imported inside the command so `wanghong --help` stays fast.
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
