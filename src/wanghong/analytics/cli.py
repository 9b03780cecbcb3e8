"""`wanghong analytics …` — run the commerce-loop jobs, write brand reports, load simulated events.

A thin adapter over `wanghong.analytics`: the store, jobs and report modules do the work; this module parses
options, shows Rich progress and prints or saves results.  It imports only light modules at load time, so
``wanghong … --help`` stays fast; each command imports the engines, pandas or the database it needs.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from wanghong.analytics.engine.catalog import JOB_TITLES, Engine
from wanghong.analytics.options import DEFAULT_CHUNK_ROWS, ReportFormat
from wanghong.config import Settings
from wanghong.kit.clitools import counted_progress

app = typer.Typer(
    help="带货数据分析 (commerce analytics: DuckDB by default, Spark when outgrown)", no_args_is_help=True
)
console = Console()

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store", help="事件库目录，默认取 WANGHONG_EVENT_STORE（var/events）/ event store root", show_default=False
    ),
]


def _store_root(store: Path | None) -> Path:
    return store if store is not None else Path(Settings.from_env().event_store_dir)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter(
            f"日期格式应为 YYYY-MM-DD / expected YYYY-MM-DD, got {value!r}", param_hint=option
        ) from None


def _fail(exc: Exception) -> typer.Exit:
    console.print(f"[red]错误 / error:[/red] {exc}")
    return typer.Exit(code=2)


@app.callback()
def analytics() -> None:
    """带货数据分析 commerce analytics."""


@app.command()
def run(
    job: Annotated[
        str | None, typer.Argument(help=f"作业名，省略则全部运行 / job, all if omitted: {', '.join(JOB_TITLES)}")
    ] = None,
    engine: Annotated[Engine, typer.Option(help="计算引擎 / engine")] = Engine.DUCKDB,
    since: Annotated[str | None, typer.Option(help="起始日（含）/ first day, YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="截止日（含）/ last day, YYYY-MM-DD")] = None,
    store: StoreOption = None,
    out: Annotated[
        Path | None, typer.Option(help="保存结果到目录（每个作业一个 CSV）/ save one CSV per job into this folder")
    ] = None,
    xlsx: Annotated[
        Path | None, typer.Option(help="保存为一个 Excel 工作簿 / save all results to one workbook")
    ] = None,
    rows: Annotated[int, typer.Option(help="每个作业在终端显示的行数 / rows shown per job")] = 10,
) -> None:
    """运行分析作业 / run analytics jobs."""
    from wanghong.analytics.engine.backends import AnalyticsError, Backend, Window
    from wanghong.analytics.engine.jobs import get_job
    from wanghong.analytics.engine.store import EventStore, EventStoreError
    from wanghong.analytics.tables import export_csv, export_xlsx, job_table

    try:
        window = Window(_day(since, "--since"), _day(until, "--until"))
        names = [get_job(name).name for name in ([job] if job else JOB_TITLES)]
        event_store = EventStore(_store_root(store))
        results = {}
        with counted_progress(console, transient=False) as progress:
            task = progress.add_task(f"启动 {engine.value} / starting {engine.value}", total=len(names) + 1)
            backend = Backend(engine)
            progress.advance(task)
            for name in names:
                progress.update(task, description=JOB_TITLES[name])
                results[name] = job_table(name, backend, event_store, window)
                progress.advance(task)
    except (AnalyticsError, EventStoreError) as exc:
        raise _fail(exc) from exc
    for name, frame in results.items():
        table = Table(title=f"{JOB_TITLES[name]} — {len(frame):,} 行 / rows")
        for column in frame.columns:
            table.add_column(str(column))
        for record in frame.head(rows).itertuples(index=False):
            table.add_row(*(f"{v:,.4g}" if isinstance(v, float) else str(v) for v in record))
        console.print(table)
        if out is not None:
            console.print(f"CSV: {export_csv(frame, out / f'{name}.csv')}")
    if xlsx is not None:
        console.print(f"Excel: {export_xlsx(results, xlsx)}")


@app.command()
def report(
    brand: Annotated[int, typer.Option("--brand", help="品牌ID / brand id")],
    out: Annotated[Path, typer.Option("--out", help="输出文件 / output file")],
    fmt: Annotated[ReportFormat, typer.Option("--format", help="html 或 xlsx")] = ReportFormat.HTML,
    since: Annotated[str | None, typer.Option(help="起始日（含）/ first day, YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="截止日（含）/ last day, YYYY-MM-DD")] = None,
    engine: Annotated[Engine, typer.Option(help="计算引擎 / engine")] = Engine.DUCKDB,
    store: StoreOption = None,
) -> None:
    """生成品牌报告 / write a brand's report (HTML with charts, or an Excel workbook)."""
    from wanghong.analytics.engine.backends import AnalyticsError, Backend, Window
    from wanghong.analytics.engine.store import EventStore, EventStoreError
    from wanghong.analytics.report import write_brand_report
    from wanghong.analytics.tables import brand_dashboard

    try:
        window = Window(_day(since, "--since"), _day(until, "--until"))
        with counted_progress(console, transient=False) as progress:
            task = progress.add_task("计算指标 / computing", total=2)
            dash = brand_dashboard(Backend(engine), EventStore(_store_root(store)), brand, window)
            progress.advance(task)
            progress.update(task, description="生成报告 / writing")
            path = write_brand_report(dash, fmt, out)
            progress.advance(task)
    except (AnalyticsError, EventStoreError) as exc:
        raise _fail(exc) from exc
    console.print(f"已生成 / written: {path}")


@app.command("ingest-sim")
def ingest_sim(
    creators: Annotated[int, typer.Option(help="达人数 / number of creators")] = 2000,
    seed: Annotated[int, typer.Option(help="随机种子 / seed")] = 7,
    days: Annotated[int, typer.Option(help="模拟天数 / simulated days")] = 90,
    store: StoreOption = None,
    db_ids: Annotated[
        bool,
        typer.Option(
            "--db-ids",
            help="用数据库 id（行号+1），与 `wanghong simulate` 载入数据库的同一生态对齐 / "
            "use database ids (row + 1), matching the same ecosystem loaded into the database",
        ),
    ] = False,
) -> None:
    """模拟生态并写入事件库 / simulate an ecosystem and export it to the event store."""
    from wanghong.analytics.engine.store import EventStore, EventStoreError
    from wanghong.analytics.simulated import EXPORT_STEPS, export_ecosystem
    from wanghong.simulator.engine import STEPS, InvalidSimulationConfig, SimulationConfig, generate_ecosystem

    root = _store_root(store)
    try:
        config = SimulationConfig(creators=creators, days=days)
        with counted_progress(console, transient=False) as progress:
            task = progress.add_task("模拟 / simulating", total=len(STEPS) + len(EXPORT_STEPS))
            eco = generate_ecosystem(
                config, seed=seed, progress=lambda step: progress.update(task, description=step, advance=1)
            )
            results = export_ecosystem(
                eco,
                EventStore(root),
                progress=lambda step: progress.update(task, description=step, advance=1),
                id_offset=1 if db_ids else 0,
            )
    except (InvalidSimulationConfig, EventStoreError) as exc:
        raise _fail(exc) from exc
    table = Table(title=f"事件库 / event store: {root}")
    table.add_column("类型 / kind")
    table.add_column("批次 / batch")
    table.add_column("写入行数 / rows written", justify="right")
    table.add_column("文件 / files", justify="right")
    for result in results:
        note = "（已存在，跳过 / already there, skipped）" if result.skipped else ""
        table.add_row(result.kind, result.batch_id, f"{result.rows:,}{note}", str(result.files))
    console.print(table)


@app.command()
def sync(
    store: StoreOption = None,
    database_url: Annotated[
        str | None, typer.Option(help="数据库地址，默认取 WANGHONG_DATABASE_URL / database URL")
    ] = None,
    chunk_rows: Annotated[int, typer.Option(help="每批行数 / rows per batch")] = DEFAULT_CHUNK_ROWS,
) -> None:
    """把数据库同步到事件库（增量、可重复运行）/ copy the database into the event store (incremental, idempotent)."""
    from wanghong.analytics.engine.store import EventStore, EventStoreError
    from wanghong.analytics.freshness import store_lock
    from wanghong.analytics.sync import sync_database
    from wanghong.kit.db.session import Database

    settings = Settings.from_env()
    url = database_url or settings.database_url
    root = store if store is not None else Path(settings.event_store_dir)
    db = Database(url)
    written: dict[str, int] = {}
    try:
        # The servers' background syncs take the same lock: a backfill waits for the tick in progress, then
        # the servers' ticks skip until it is done.
        with (
            store_lock(EventStore(root), wait=True),
            counted_progress(console, transient=False) as progress,
            db.transaction() as session,
        ):
            task = progress.add_task("同步 / syncing", total=None)

            def advance(step: str, rows: int) -> None:
                written[step] = written.get(step, 0) + rows
                progress.update(task, description=f"同步 / syncing {step}", advance=rows)

            result = sync_database(session, EventStore(root), chunk_rows=chunk_rows, progress=advance)
    except EventStoreError as exc:
        raise _fail(exc) from exc
    finally:
        db.dispose()
    table = Table(title=f"事件库 / event store: {root} ← {url}")
    table.add_column("类型 / kind")
    table.add_column("批次 / batches", justify="right")
    table.add_column("写入行数 / rows written", justify="right")
    for name, rows in result.dimensions.items():
        table.add_row(f"dim/{name}", "—", f"{rows:,}（整表替换 / replaced）")
    for kind in ("sessions", "minute_stats", "orders", "behaviour"):
        batches = [b for b in result.batches if b.kind == kind]
        table.add_row(kind, str(len(batches)), f"{sum(b.rows for b in batches):,}")
    console.print(table)
    if not result.rows_written:
        console.print("没有新数据 / nothing new since the last sync")
