"""Where the analytics jobs run: DuckDB (embedded, the default) or PySpark (local mode), over the event store.

A `Backend` holds one engine's Ibis connection and exposes the store's Parquet files to it as `Sources`, the
tables a job reads; `run_by_day` is DuckDB's way of running a day-local job one partition at a time.  What the
jobs compute, and why both engines give the same numbers, is in `wanghong.analytics.engine.jobs`.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from wanghong.analytics.engine.catalog import Engine
from wanghong.analytics.engine.store import DIMENSIONS, KINDS, EventStore, day_bounds

# How long before an order a touch may claim it (see `jobs`); it decides how far back the sources reach.
ATTRIBUTION_WINDOW = timedelta(days=7)
# Rows a job reads beyond its window: touches up to the attribution window before it, and orders and minute
# stats of sessions that run past midnight on the window's last day.
LOOKBACK = ATTRIBUTION_WINDOW
LOOKAHEAD = timedelta(days=1)


class AnalyticsError(ValueError):
    """Bad input to an analytics job; the message says what to fix."""


@dataclass(frozen=True)
class Window:
    """Inclusive China-time days a job reports on; None leaves that side open."""

    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise AnalyticsError(f"--since {self.since} is after --until {self.until}; swap them")

    def covers(self, day: ir.DateValue) -> ir.BooleanValue:
        condition = ibis.literal(True)
        if self.since is not None:
            condition &= day >= self.since
        if self.until is not None:
            condition &= day <= self.until
        return condition

    def covers_instant(self, ts: ir.TimestampValue) -> ir.BooleanValue:
        condition = ibis.literal(True)
        if self.since is not None:
            condition &= ts >= day_bounds(self.since)[0]
        if self.until is not None:
            condition &= ts < day_bounds(self.until)[1]
        return condition

    def with_margin(self) -> Window:
        return Window(
            self.since - LOOKBACK if self.since else None,
            self.until + LOOKAHEAD if self.until else None,
        )


@dataclass(frozen=True)
class Sources:
    """The store's tables as Ibis tables of one backend; event tables carry their `day` partition column."""

    behaviour: ir.Table
    sessions: ir.Table
    minute_stats: ir.Table
    orders: ir.Table
    creators: ir.Table
    mcns: ir.Table
    brands: ir.Table
    products: ir.Table
    campaigns: ir.Table
    collaborations: ir.Table


# ---------------------------------------------------------------------------------------------- backends


def spark_session(
    cores: int = 2, shuffle_partitions: int = 2, driver_memory: str = "2g", extra: dict[str, str] | None = None
) -> Any:
    """A local-mode SparkSession sized for one machine (reused if one is running); `extra` adds settings."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("wanghong-analytics")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", str(cores))
        .config("spark.driver.memory", driver_memory)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    for key, value in (extra or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


_SPARK_TYPES = {pa.int64(): "bigint", pa.string(): "string", pa.date32(): "date", pa.float64(): "double"}


def _spark_ddl(schema: pa.Schema) -> str:
    """A Spark DDL schema string for an Arrow schema, so Spark need not sample files to infer one."""

    def spark_type(dtype: pa.DataType) -> str:
        if pa.types.is_timestamp(dtype):
            return "timestamp"
        return _SPARK_TYPES[dtype]

    return ", ".join(f"`{field.name}` {spark_type(field.type)}" for field in schema)


class Backend:
    """One engine's Ibis connection plus how to expose the store's files to it.

    The tables of a store are registered once per (window, committed files) and reused by later jobs, so
    running every job costs one scan setup, and a newly committed batch is picked up by the next job.
    """

    def __init__(self, engine: Engine | str = Engine.DUCKDB, spark: Any = None) -> None:
        try:
            self.engine = Engine(engine)
        except ValueError:
            raise AnalyticsError(f"unknown engine '{engine}'; use one of {[e.value for e in Engine]}") from None
        if self.engine is Engine.DUCKDB:
            self.con = ibis.duckdb.connect()
            self._spark: Any = None
        else:
            self._spark = spark if spark is not None else spark_session()
            self.con = ibis.pyspark.connect(self._spark)
        self._cache: dict[tuple[Any, ...], Sources] = {}

    def _parquet(self, files: list[str], schema: pa.Schema, base: str | None) -> ir.Table:
        if self.engine is Engine.DUCKDB:
            return self.con.read_parquet(files, hive_partitioning=base is not None)
        reader = self._spark.read.schema(_spark_ddl(schema))
        if base is not None:
            reader = reader.option("basePath", base)
        name = f"wh_{uuid.uuid4().hex}"
        reader.parquet(*files).createOrReplaceTempView(name)
        return self.con.table(name)

    @staticmethod
    def _empty(schema: pa.Schema) -> ir.Table:
        # Nullable like every column read back from Parquet, so empty and stored tables union cleanly.
        return ibis.memtable(pa.schema([f.with_nullable(True) for f in schema]).empty_table())

    def sources(self, store: EventStore, window: Window = Window()) -> Sources:
        margin = window.with_margin()
        files = {kind: [str(p) for p in store.committed_files(kind, margin.since, margin.until)] for kind in KINDS}
        dims = {name: store.dimension_path(name) for name in DIMENSIONS}
        stamps = tuple((name, p.stat().st_mtime_ns) for name, p in dims.items() if p.exists())
        key = (str(store.root.resolve()), window, tuple((k, tuple(v)) for k, v in files.items()), stamps)
        if key in self._cache:
            return self._cache[key]
        tables: dict[str, ir.Table] = {}
        for kind, spec in KINDS.items():
            schema = spec.schema.append(pa.field("day", pa.date32()))
            if files[kind]:
                table = self._parquet(files[kind], schema, str(store.kind_dir(kind)))
            else:
                table = self._empty(schema)
            # Hive partition discovery types `day` as a date on both engines; the cast pins it.
            tables[kind] = table.mutate(day=table.day.cast("date"))
        for name, schema in DIMENSIONS.items():
            path = dims[name]
            tables[name] = self._parquet([str(path)], schema, None) if path.exists() else self._empty(schema)
        self._cache[key] = Sources(**tables)
        return self._cache[key]

    def execute(self, expr: ir.Table) -> pd.DataFrame:
        return self.con.to_pyarrow(expr).to_pandas()


# ---------------------------------------------------------------------------------------------- DuckDB, day by day


def _day_view(kind: str) -> str:
    return f"wh_day_{kind}"


def _empty_select(schema: pa.Schema) -> str:
    columns = ", ".join(f'NULL::{_DUCKDB_TYPES[str(f.type)]} AS "{f.name}"' for f in schema)
    return f"(SELECT {columns} WHERE false)"


def _bind_events(cursor: Any, kinds: Iterable[str], day: date, files: dict[str, list[str]]) -> None:
    """Point this connection's temporary event views at one day's files (an empty view where there are none)."""
    for kind in kinds:
        # hive_partitioning off: the day is known, and is added as a constant rather than parsed per file.
        source = (
            f"read_parquet({files[kind]!r}, hive_partitioning = false)"
            if files.get(kind)
            else _empty_select(KINDS[kind].schema)
        )
        cursor.execute(
            f"CREATE OR REPLACE TEMP VIEW {_day_view(kind)} AS SELECT *, DATE '{day.isoformat()}' AS day FROM {source}"
        )


def _bind_dimensions(cursor: Any, store: EventStore, names: Iterable[str]) -> None:
    """Point this connection's temporary dimension views at the snapshots (empty where never written)."""
    for name in names:
        path = store.dimension_path(name)
        source = f"read_parquet('{path}')" if path.exists() else _empty_select(DIMENSIONS[name])
        cursor.execute(f"CREATE OR REPLACE TEMP VIEW {_day_view(name)} AS SELECT * FROM {source}")


_DUCKDB_TYPES = {"int64": "BIGINT", "string": "VARCHAR", "timestamp[us, tz=UTC]": "TIMESTAMPTZ", "date32[day]": "DATE"}


def run_by_day(
    query: Callable[[Sources], ir.Table], backend: Backend, store: EventStore, window: Window = Window()
) -> pd.DataFrame:
    """Run a day-local job's `query` once per China-time day partition, the days spread over DuckDB's threads.

    Why: the costly step of `creator_daily` is its unique viewers, a hash aggregate keyed by (day, creator,
    viewer) with a group for every viewer–creator pair of every day: 62M groups, gigabytes of hash table, for
    the bench's 100M events.  Each day's events only meet their own day's, so aggregating one partition at a
    time keeps the table at one day's size (under 1M groups) and needs no global sort: days come out in
    order.  Days run concurrently, one DuckDB thread each, because a day's file holds few row groups and so
    parallelises poorly inside one query.  The SQL is compiled once by Ibis against temporary views, and each
    worker re-points its own connection's views (temporary objects are per connection) at its day's files.
    """
    by_day: dict[date, dict[str, list[str]]] = {}
    for kind in KINDS:
        for path in store.committed_files(kind, window.since, window.until):
            day = date.fromisoformat(path.parent.name.removeprefix("day="))
            by_day.setdefault(day, {}).setdefault(kind, []).append(str(path))
    days = sorted(by_day)
    con = backend.con.con  # the raw duckdb connection under Ibis
    threads = int(con.execute("SELECT current_setting('threads')").fetchone()[0])

    template_day = days[0] if days else date(1970, 1, 1)
    _bind_events(con, KINDS, template_day, by_day.get(template_day, {}))
    _bind_dimensions(con, store, DIMENSIONS)
    sources = Sources(**{name: backend.con.table(_day_view(name)) for name in (*KINDS, *DIMENSIONS)})
    expr = query(sources)
    schema = expr.schema().to_pyarrow()
    if not days:
        return schema.empty_table().to_pandas()
    sql = str(backend.con.compile(expr))
    # Re-pointing a view makes DuckDB read the file's footer, so each worker binds only what the job reads,
    # and the dimensions once.
    kinds = [kind for kind in KINDS if f'"{_day_view(kind)}"' in sql]
    dimensions = [name for name in DIMENSIONS if f'"{_day_view(name)}"' in sql]
    cursors: list[Any] = []
    local = threading.local()

    def run_day(day: date) -> pa.Table:
        if not hasattr(local, "cursor"):
            local.cursor = con.cursor()
            cursors.append(local.cursor)
            _bind_dimensions(local.cursor, store, dimensions)
        _bind_events(local.cursor, kinds, day, by_day[day])
        return local.cursor.sql(sql).to_arrow_table()

    try:
        con.execute("SET threads = 1")
        with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
            parts = list(pool.map(run_day, days))
    finally:
        for cursor in cursors:
            cursor.close()
        con.execute(f"SET threads = {threads}")
    return pa.concat_tables([p.cast(schema) for p in parts]).to_pandas()
