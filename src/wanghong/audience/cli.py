"""人群洞察命令 / audience commands, mounted as `wanghong audience`.

`lookalike` is a stable contract for outside checks: interactions CSV + seed list in, `user_id,score` CSV out for
every non-seed user, highest score first; bad input exits 2 with the reason on stderr. numpy, pandas and
scikit-learn are imported inside the command so `wanghong --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="人群洞察 / audience: segments, crowd packs, lookalike", no_args_is_help=True)

# Unknown seeds are named on stderr, but only this many, so that a wrong file does not flood the terminal.
_NAMED_UNKNOWN = 5


@app.callback()
def audience() -> None:
    """人群洞察 / audience: segments, crowd packs, lookalike."""


def _fail(message: str) -> typer.Exit:
    typer.echo(f"错误 / error: {message}", err=True)
    return typer.Exit(code=2)


@app.command("lookalike")
def lookalike(
    interactions: Annotated[
        Path, typer.Option("--interactions", help="交互 CSV：user_id,item_id,weight,timestamp / interactions CSV")
    ],
    seeds: Annotated[Path, typer.Option("--seeds", help="种子用户，每行一个 / seed user ids, one per line")],
    top: Annotated[
        int | None, typer.Option("--top", min=1, help="只输出得分最高的 N 个 / keep only the best N")
    ] = None,
) -> None:
    """优选扩量：按行为给每个非种子用户打分 / score every non-seed user by how much they behave like the seeds.

    Writes CSV `user_id,score` to stdout, highest first. Seeds missing from the interactions are named on stderr
    and skipped; if none of them is there, or the seed list is empty, it exits 2.
    """
    import numpy as np

    from wanghong.audience.engine import LookalikeError, lookalike_scores
    from wanghong.audience.interactions import InputError, read_interactions, read_seeds

    try:
        seed_ids = read_seeds(seeds)
        log = read_interactions(interactions)
    except InputError as error:
        raise _fail(str(error)) from None
    seed_rows, unknown = log.rows_of(seed_ids)
    if not seed_rows.size:
        raise _fail(
            f"种子用户都不在交互数据中 / none of the {len(seed_ids)} seeds appears in the interactions "
            f"(e.g. {', '.join(unknown[:_NAMED_UNKNOWN])})"
        )
    if unknown:
        named = ", ".join(unknown[:_NAMED_UNKNOWN]) + (" …" if len(unknown) > _NAMED_UNKNOWN else "")
        typer.echo(
            f"警告 / warning: {len(unknown)} 个种子不在交互数据中，已跳过 / {len(unknown)} of {len(seed_ids)} seeds "
            f"are not in the interactions and were skipped: {named}",
            err=True,
        )
    is_seed = np.zeros(log.counts.shape[0], dtype=bool)
    is_seed[seed_rows] = True
    if is_seed.all():
        typer.echo("user_id,score")  # every user is a seed: nobody left to expand to, an empty ranking
        return
    try:
        scores = lookalike_scores(log.counts, seed_rows)
    except LookalikeError as error:
        raise _fail(str(error)) from None
    candidates = np.flatnonzero(~is_seed)
    ranked = candidates[np.argsort(-scores[candidates], kind="stable")]
    if top is not None:
        ranked = ranked[:top]
    _write_ranking(log.user_ids[ranked], scores[ranked])


def _write_ranking(user_ids: object, scores: object) -> None:
    import pandas as pd

    frame = pd.DataFrame({"user_id": user_ids, "score": scores})
    frame.to_csv(sys.stdout, index=False, float_format="%.6f", lineterminator="\n")


@app.command("roi-split")
def roi_split(
    viewers: Annotated[int, typer.Option(min=100, help="模拟观众数 / simulated viewers")] = 20_000,
    creators: Annotated[int, typer.Option(min=20, help="模拟达人数 / simulated creators")] = 400,
    campaigns: Annotated[int, typer.Option(min=4, help="活动数（随机分到两组）/ campaigns, split at random")] = 600,
    epsilon: Annotated[float, typer.Option(min=0.001, help="每个人群包发布的 ε / ε of each pack's release")] = 1.0,
    background: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="按热度而非人群产生的行为占比 / share of popularity-driven events")
    ] = 0.5,
    seed: Annotated[int, typer.Option(min=0, help="随机种子 / seed")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
) -> None:
    """定向与不定向的 ROI 随机分组实验 / ROI of targeted vs untargeted creator selection, randomised split.

    Campaigns of the same budget are assigned at random to picking creators by audience per 元 (untargeted) or by
    that times the pack's noised TGI weight (targeted, as 选品中心 re-ranks); ROI of each arm and the lift come
    with 95% bootstrap intervals. A measurement in the simulator, not a promise.
    """
    import json

    from wanghong.audience.experiment import SplitConfig, run_split

    try:
        config = SplitConfig(
            viewers=viewers, creators=creators, campaigns=campaigns, epsilon=epsilon, background=background, seed=seed
        )
        result = run_split(config)
    except ValueError as error:
        raise _fail(str(error)) from None
    arms = {"targeted": result.targeted, "untargeted": result.untargeted}
    if as_json:
        body = {
            "budget": result.budget,
            "epsilon": epsilon,
            "lift": result.lift,
            "lift_interval": list(result.lift_interval),
            **{
                name: {
                    "campaigns": arm.campaigns,
                    "spend": round(arm.spend, 2),
                    "gmv": round(arm.gmv, 2),
                    "roi": arm.roi,
                    "roi_interval": [float(v) for v in arm.interval],
                }
                for name, arm in arms.items()
            },
        }
        typer.echo(json.dumps(body, ensure_ascii=False))
        return
    typer.echo(
        f"每个活动预算 / budget per campaign: {result.budget:,.0f} 元 · ε = {epsilon:g} · "
        f"{viewers:,} viewers, {creators:,} creators"
    )
    for label, arm in (("定向 / targeted", result.targeted), ("不定向 / untargeted", result.untargeted)):
        low, high = arm.interval
        typer.echo(
            f"{label}: {arm.campaigns} campaigns · ROI 1:{arm.roi:.2f} (95% CI 1:{low:.2f}–1:{high:.2f}) · "
            f"spend {arm.spend:,.0f} 元 · GMV {arm.gmv:,.0f} 元"
        )
    low, high = result.lift_interval
    typer.echo(f"提升 / lift targeted ÷ untargeted: ×{result.lift:.3f} (95% CI ×{low:.3f}–×{high:.3f})")
