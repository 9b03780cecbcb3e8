"""`wanghong traffic …` — offline evaluation of the fair traffic allocator (普惠流量分发).

Mounted by the main CLI as ``wanghong traffic``; this module only adapts the pure
``wanghong.traffic.engine.evaluation`` functions to the terminal.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from wanghong.domain import FollowerTier
from wanghong.kit.clitools import counted_progress

if TYPE_CHECKING:
    from wanghong.traffic.engine.evaluation import PolicyReport, SweepPoint
    from wanghong.traffic.engine.streams import Stream

app = typer.Typer(help="普惠流量分发离线评估 (fair traffic distribution: offline evaluation)", no_args_is_help=True)

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DATA_DIR = REPO_ROOT / ".." / "shared" / "data" / "fairness"

# Keyed by the engine's POLICY_NAMES, in its order (a test holds them equal): the help text lists these keys
# without loading the engine.
POLICY_LABELS = {
    "greedy": "贪心 Top-K (greedy)",
    "fair": "基尼调控 (fair, ours)",
    "fairco": "FairCo",
    "cpfair": "CPFair",
    "pmmf": "P-MMF",
}


@app.callback()
def traffic() -> None:
    """普惠流量分发 fair traffic distribution."""


class StreamName(StrEnum):
    steam = "steam"
    kuairand = "kuairand"
    simulator = "simulator"


class ExposureChoice(StrEnum):
    slot = "slot"
    position = "position"


def _load(
    stream: StreamName, data_dir: Path, requests: int, steam_groups: Path | None, creators: int, seed: int
) -> Stream:
    import numpy as np

    from wanghong.simulator.engine import SimulationConfig, generate_ecosystem
    from wanghong.traffic.engine.streams import load_kuairand_stream, load_steam_stream, stream_from_creators

    if stream is StreamName.steam:
        return load_steam_stream(data_dir, steam_groups)
    if stream is StreamName.kuairand:
        return load_kuairand_stream(data_dir, n_requests=requests)
    # The platform's own population: the simulator's power-law follower counts, calibrated to the seed figures.
    population = generate_ecosystem(SimulationConfig(creators=creators), seed=seed).creators.followers
    return stream_from_creators(population, np.arange(population.shape[0]), n_requests=requests, seed=seed)


def _parse_tier_shares(values: list[str]) -> dict[FollowerTier, float]:
    shares: dict[FollowerTier, float] = {}
    for value in values:
        tier, _, share = value.partition("=")
        try:
            shares[FollowerTier(tier.strip())] = float(share)
        except ValueError:
            tiers = ", ".join(t.value for t in FollowerTier)
            raise typer.BadParameter(f"写作 TIER=SHARE，例如 mid=0.3 / write TIER=SHARE with TIER in {tiers}") from None
    return shares


@app.command("evaluate")
def evaluate_command(
    stream: Annotated[StreamName, typer.Option(help="请求流 request stream")] = StreamName.steam,
    k: Annotated[int, typer.Option("--k", min=1, help="每次推荐条数 slate size K")] = 10,
    policy: Annotated[
        list[str] | None, typer.Option("--policy", help=f"策略，可重复 policy, repeatable: {', '.join(POLICY_LABELS)}")
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="每个策略输出一行 JSON (one JSON line per policy)")
    ] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="绘制效用–基尼帕累托曲线 PNG (utility–Gini Pareto plot)")
    ] = None,
    data_dir: Annotated[Path, typer.Option(help="公平性数据目录 fairness data folder")] = DEFAULT_DATA_DIR,
    exposure: Annotated[
        ExposureChoice, typer.Option(help="曝光模型: slot=每个位置计 1 (FairDiverse), position=1/log2(rank+1)")
    ] = ExposureChoice.slot,
    requests: Annotated[int, typer.Option(min=1, help="KuaiRand/模拟器 请求数 requests to synthesise")] = 20_000,
    creators: Annotated[int, typer.Option(min=10, help="模拟器达人数 simulated creators")] = 20_000,
    seed: Annotated[int, typer.Option(min=0, help="模拟器随机种子 simulator seed")] = 7,
    min_tier_share: Annotated[
        list[str] | None,
        typer.Option(help="层级最低曝光份额，可重复 guaranteed tier share, repeatable, e.g. mid=0.3 (policy fair)"),
    ] = None,
    steam_groups: Annotated[
        Path | None, typer.Option(help="Steam 物品→发行商映射 item→publisher JSON (default: the matched copy)")
    ] = None,
) -> None:
    """回放请求流并比较各策略 (replay a request stream and compare policies)."""
    from wanghong.traffic.engine.evaluation import POLICY_NAMES, evaluate, pareto_sweep, sweep_size
    from wanghong.traffic.engine.streams import StreamDataError
    from wanghong.traffic.engine.types import TrafficInputError

    chosen = policy or list(POLICY_NAMES)
    unknown = [p for p in chosen if p not in POLICY_NAMES]
    if unknown:
        raise typer.BadParameter(
            f"未知策略 unknown policy {', '.join(unknown)}; 可选 choose from {', '.join(POLICY_NAMES)}"
        )
    tier_shares = _parse_tier_shares(min_tier_share or [])
    console = Console(stderr=True)
    try:
        replay_stream = _load(stream, data_dir.resolve(), requests, steam_groups, creators, seed)
    except (StreamDataError, TrafficInputError) as exc:
        console.print(f"[red]数据加载失败 could not load the stream:[/red] {exc}")
        raise typer.Exit(code=2) from exc

    with counted_progress(console) as progress:
        task = progress.add_task("回放 replaying", total=replay_stream.n_requests * len(chosen))
        try:
            reports = evaluate(
                replay_stream, k, chosen, exposure.value, lambda n: progress.advance(task, n), tier_shares
            )
        except TrafficInputError as exc:
            console.print(f"[red]参数无效 invalid setting:[/red] {exc}")
            raise typer.Exit(code=2) from exc
    if json_output:
        for report in reports:
            typer.echo(json.dumps(report.as_json_dict(), ensure_ascii=False))
    else:
        Console().print(_table(reports, replay_stream))

    if plot is not None:
        with counted_progress(console) as progress:
            total = replay_stream.n_requests * sweep_size(chosen)
            task = progress.add_task("帕累托扫描 Pareto sweep", total=total)
            points = pareto_sweep(
                replay_stream, k, chosen, exposure.value, progress=lambda n: progress.advance(task, n)
            )
        _plot(points, plot, replay_stream.name, k)
        console.print(f"已保存 saved {plot}")
        Console().print(_matched_table(points))


def _table(reports: list[PolicyReport], stream: Stream) -> Table:
    unit = "发行商组 groups" if stream.name == "steam" else "达人 creators"
    table = Table(title=f"普惠流量分发评估 Fair traffic evaluation — {stream.name}, K={reports[0].k}, {unit}")
    for header in (
        "策略 Policy",
        "基尼系数 Gini",
        "效用保留 Utility",
        "最小/最大 Min/max",
        "头部10%份额 Head-10%",
        "腰部份额 Mid-tier",
        "决策/秒 Decisions/s",
    ):
        table.add_column(header, justify="left" if header.startswith("策略") else "right")
    for r in reports:
        table.add_row(
            POLICY_LABELS.get(r.policy, r.policy),
            f"{r.gini:.4f}",
            f"{r.utility:.4f}",
            f"{r.minmax:.4f}",
            f"{r.head_share:.3f}",
            "—" if r.mid_share is None else f"{r.mid_share:.3f}",
            f"{r.decisions_per_s:,.0f}",
        )
    return table


def _matched_table(points: list[SweepPoint]) -> Table:
    """Utility of each policy at the same Gini, read off the Pareto sweep."""
    from wanghong.traffic.engine.evaluation import MATCHED_GINI_LEVELS, utility_at_gini

    table = Table(title="同基尼下的效用 Utility at matched Gini (— = 扫描未覆盖 not reached by the sweep)")
    table.add_column("策略 Policy")
    for level in MATCHED_GINI_LEVELS:
        table.add_column(f"Gini {level:.2f}", justify="right")
    for name in dict.fromkeys(p.policy for p in points):
        cells = [utility_at_gini(points, name, level) for level in MATCHED_GINI_LEVELS]
        table.add_row(POLICY_LABELS.get(name, name), *("—" if c is None else f"{c:.4f}" for c in cells))
    return table


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    markers = ("CJK", "WenQuanYi", "Source Han", "SimHei", "Noto Sans SC", "Microsoft YaHei", "PingFang")
    for font in font_manager.fontManager.ttflist:
        if any(m.lower() in font.name.lower() for m in markers):
            return font.name
    return None


def _plot(points: list[SweepPoint], path: Path, stream_name: str, k: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cjk = _cjk_font()
    if cjk:
        plt.rcParams["font.family"] = [cjk, "DejaVu Sans"]
        title = f"效用–基尼帕累托曲线 (Utility–Gini Pareto curve), {stream_name}, K={k}"
        xlabel, ylabel = "曝光基尼系数 (exposure Gini)", "效用保留 (utility kept, DCG / greedy DCG)"
    else:
        title = f"Utility-Gini Pareto curve, {stream_name}, K={k}"
        xlabel, ylabel = "exposure Gini", "utility kept (DCG / greedy DCG)"
    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=120)
    for name in dict.fromkeys(p.policy for p in points):
        series = sorted((p.gini, p.utility) for p in points if p.policy == name)
        xs, ys = zip(*series, strict=True)
        label = POLICY_LABELS.get(name, name) if cjk else name
        ax.plot(xs, ys, marker="o" if len(xs) == 1 else ".", linestyle="-" if len(xs) > 1 else "", label=label)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
