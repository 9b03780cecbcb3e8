"""`wanghong simulate` — generate a simulated ecosystem and store it in the configured database.

A thin adapter: `wanghong.simulator.engine` generates, `wanghong.simulator.load` stores; this module
only wires them to the terminal (progress bar, calibration table) and to `Settings`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from wanghong.config import Settings
from wanghong.kit.clitools import counted_progress
from wanghong.kit.instants import BEIJING

if TYPE_CHECKING:
    from wanghong.simulator.engine import CalibrationFigures, Ecosystem

# Published figures of the seed platform the defaults are calibrated to (see SimulationConfig).
TARGET_MID_TIP_SHARE = 0.65
TARGET_TOP_MCN_SHARE = 0.47
TARGET_MONTHLY_INCOME = 8_700.0


def calibration_table(figures: CalibrationFigures, creators: int) -> Table:
    table = Table(title=f"校准指标 / calibration figures ({creators:,} 位达人 creators)")
    table.add_column("指标 / figure")
    table.add_column("模拟值 / simulated", justify="right")
    table.add_column("目标 / target", justify="right")
    table.add_row(
        "腰部达人(10万–100万粉)打赏收入占比 / share of tips earned by 100k–1M creators",
        f"{figures.mid_tier_tip_share:.1%}",
        f"{TARGET_MID_TIP_SHARE:.0%}",
    )
    table.add_row(
        f"头部10% MCN({figures.top_mcn_count}/{figures.mcn_count})收入份额 / top-decile MCN income share",
        f"{figures.top_mcn_share:.1%}",
        f"{TARGET_TOP_MCN_SHARE:.0%}",
    )
    table.add_row(
        "达人平均月收入(元) / mean monthly creator income (yuan)",
        f"{figures.mean_monthly_income:,.0f}",
        f"{TARGET_MONTHLY_INCOME:,.0f}",
    )
    table.add_row("达人月收入中位数(元) / median monthly income (yuan)", f"{figures.median_monthly_income:,.0f}", "—")
    table.add_row(
        "收入构成 打赏/佣金/合作费 / income mix tips/commission/fees",
        f"{figures.tips_share_of_income:.0%} / {figures.commission_share_of_income:.0%} / "
        f"{figures.fees_share_of_income:.0%}",
        "—",
    )
    return table


def _store(eco: Ecosystem, database_url: str, include_behaviour: bool, migrate: bool, console: Console) -> None:
    # Imported here so that `--no-store` runs need neither the database layer nor a configured database.
    from wanghong.kit.db import migrate as migrations
    from wanghong.kit.db.session import Database
    from wanghong.settlement.collaborations import policy_of
    from wanghong.simulator.fraud_load import plant_fraud
    from wanghong.simulator.load import SimulationTargetNotEmpty, load_ecosystem, planned_rows, settle_loaded

    settings = Settings.from_env()
    policy = policy_of(settings)

    if migrate:
        migrations.upgrade(database_url)
    database = Database(database_url)
    try:
        with counted_progress(console, transient=False) as bar:
            planned = planned_rows(eco, include_behaviour)
            task = bar.add_task("写入数据库 / writing database", total=sum(planned.values()))

            def advance(table: str, rows: int) -> None:
                bar.update(task, advance=rows, description=f"写入 / writing {table}")

            with database.transaction() as session:
                summary = load_ecosystem(session, eco, include_behaviour=include_behaviour, progress=advance)
                # Fraud with its ground truth (fingerprints, 刷单 rings and their refunds, follower samples, viewbot
                # rooms), before settling so that ring orders earn commission as real 刷单 does and the ledger
                # claws it back for the rings' refunds, timed from the same return window.
                planted = plant_fraud(session, eco, return_window=policy.return_window)
                # The simulated collaborations are settled through the ledger as of the period's end, in the same
                # transaction: the stored ecosystem and its money commit together.
                settled = settle_loaded(session, policy, eco.period_start + timedelta(days=eco.days))
    except SimulationTargetNotEmpty as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(code=1) from error
    finally:
        database.dispose()
    console.print(
        f"已写入 {summary.total_rows:,} 行，用时 {summary.seconds:.1f} 秒 / "
        f"stored {summary.total_rows:,} rows in {summary.seconds:.1f} s"
    )
    console.print(
        f"已植入作弊 / planted fraud: {planted.rings} 个刷单团伙 rings ({planted.ring_orders:,} orders), "
        f"{planted.bought_creators} 位买粉达人 creators with bought followers, "
        f"{planted.bot_rooms} 个机器人直播间 viewbot rooms"
    )
    console.print(
        f"账本已记 {settled.transactions:,} 笔交易，用时 {settled.seconds:.1f} 秒 / "
        f"posted {settled.transactions:,} ledger transactions in {settled.seconds:.1f} s"
    )


def simulate(
    creators: Annotated[int, typer.Option(help="达人数量 / number of creators", min=10)] = 2000,
    seed: Annotated[int, typer.Option(help="随机种子 / random seed (same seed, same ecosystem)", min=0)] = 7,
    days: Annotated[int, typer.Option(help="模拟天数 / days simulated, ending on a seed-derived date")] = 90,
    end_date: Annotated[
        str | None,
        typer.Option(
            help="最后一天(北京时间)：YYYY-MM-DD 或 yesterday / last simulated day (Beijing): a date or 'yesterday'; "
            "default: a 2024 date derived from the seed"
        ),
    ] = None,
    include_behaviour: Annotated[
        bool,
        typer.Option(
            "--behaviour/--no-behaviour",
            help="写入观众行为事件(打赏总会写入) / store sampled viewer behaviour (tips are always stored)",
        ),
    ] = True,
    store: Annotated[
        bool, typer.Option("--store/--no-store", help="写入数据库 / store into the configured database")
    ] = True,
    migrate: Annotated[
        bool, typer.Option("--migrate/--no-migrate", help="先升级数据库结构 / upgrade the schema first")
    ] = True,
    database_url: Annotated[
        str | None, typer.Option(help="数据库地址，默认读 WANGHONG_DATABASE_URL / database URL override")
    ] = None,
) -> None:
    """生成模拟生态(达人、MCN、品牌、视频、直播、订单、观众行为)并写入数据库 / simulate an ecosystem."""
    # Imported here so that `wanghong --help` and the other sub-commands do not load numpy and the engine.
    from wanghong.simulator.engine import (
        STEPS,
        InvalidSimulationConfig,
        SimulationConfig,
        calibration_figures,
        generate_ecosystem,
    )

    console = Console()
    try:
        config = SimulationConfig(creators=creators, days=days)
        last_day = _last_day(end_date)
    except (InvalidSimulationConfig, ValueError) as error:
        console.print(f"[red]参数错误 / invalid option: {error}[/red]")
        raise typer.Exit(code=2) from error
    with counted_progress(console, transient=False) as bar:
        task = bar.add_task("生成模拟数据 / generating", total=len(STEPS))
        eco = generate_ecosystem(
            config, seed=seed, progress=lambda step: bar.update(task, advance=1, description=step), end_date=last_day
        )
    counts = eco.row_counts()
    console.print(
        f"模拟周期 / period: {eco.period_start.date()} – {eco.reference_date}；"
        + "，".join(f"{name} {count:,}" for name, count in counts.items())
    )
    if store:
        _store(eco, database_url or Settings.from_env().database_url, include_behaviour, migrate, console)
    console.print(calibration_table(calibration_figures(eco, config.creator_tip_share), creators))


def _last_day(raw: str | None) -> date | None:
    if raw is None:
        return None
    if raw.strip().lower() == "yesterday":
        return datetime.now(BEIJING).date() - timedelta(days=1)
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(f"--end-date wants YYYY-MM-DD or 'yesterday', got {raw!r}") from None
