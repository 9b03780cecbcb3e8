"""Commerce-loop analytics jobs, written once in Ibis and run on DuckDB (default) or PySpark (local mode).

Every job is a function from the store's tables (`Sources`) and a date window to one Ibis expression; the
`Backend` decides which engine compiles and runs it.  DuckDB is embedded and needs nothing; Spark is for the
user whose event store has outgrown one machine, and is tested to give the same numbers.

Why the numbers agree exactly between engines: money is integer cents and counts are integers, so their sums
do not depend on summation order; every ratio is one IEEE-754 division of exact integers (or a fixed sequence
of such operations), which is correctly rounded on any engine.  The two places that need floating-point
*sums* or transcendental functions round in the job itself: time-decay credit is rounded to whole cents per
order and collaboration, and the HHI is rounded to two decimals.

Attribution (campaign ROI)
--------------------------
A *touch* is a moment a collaboration put its product in front of buyers: its content going live
(`collaborations.live_at`) and the start of each livestream session that sold it.  An order of product P is
attributed among the touches of collaborations promoting P that happened in the `ATTRIBUTION_WINDOW` (7 days,
the click-to-order window Douyin and Kuaishou use for creator commission) before the order.

* last touch: the whole order goes to the collaboration of the latest touch (ties → the higher id);
* time decay: each touch gets weight 2^(−Δt / half-life) with a half-life of `HALF_LIFE` (1 day) and Δt the
  time from touch to order; the order's amount is split in proportion to the collaborations' summed weights
  (the time-decay model of Google Analytics' attribution modelling, there with a 7-day half-life; livestream
  commerce decides within hours, hence one day here).

Orders without a touch in the window are organic and credited to no campaign.  Campaign spend is the fixed
fees of its collaborations whose content went live within the run's window, plus the commission each model
implies (commission rate × credited GMV).  ROI is GMV ÷ spend (投产比), as Chinese platforms report it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from wanghong.analytics.engine.store import DIMENSIONS, KINDS, EventStore, day_bounds

ATTRIBUTION_WINDOW = timedelta(days=7)
HALF_LIFE = timedelta(days=1)
# Rows a job reads beyond its window: touches up to the attribution window before it, and orders and minute
# stats of sessions that run past midnight on the window's last day.
LOOKBACK = ATTRIBUTION_WINDOW
LOOKAHEAD = timedelta(days=1)


class Engine(StrEnum):
    DUCKDB = "duckdb"
    SPARK = "spark"


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


# ---------------------------------------------------------------------------------------------- helpers


def _zero(value: ir.NumericValue) -> ir.NumericValue:
    return value.coalesce(0)


def _ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
    """numerator / denominator as float64, null when the denominator is 0."""
    return numerator.cast("float64") / denominator.nullif(0).cast("float64")


def _epoch_s(ts: ir.TimestampValue) -> ir.IntegerValue:
    return ts.epoch_seconds().cast("int64")


def _order_totals(orders: ir.Table, keys: list[str]) -> ir.Table:
    return orders.group_by(keys).aggregate(
        orders=orders.order_id.count(),
        units=orders.quantity.sum(),
        gmv_cents=orders.amount_cents.sum(),
        buyers=orders.viewer_id.nunique(),
    )


# ---------------------------------------------------------------------------------------------- jobs

_ACTIONS = ("view", "like", "comment", "share", "follow", "click")


def creator_daily(s: Sources, w: Window) -> ir.Table:
    """Per China-time day and creator: engagement counts, tips, unique viewers, orders and GMV."""
    b = s.behaviour.filter(w.covers(s.behaviour.day))
    keys = ["day", "creator_id"]
    # COUNT(*) rather than COUNT(event_id): the key is never null, and counting rows spares reading the column.
    engagement = b.group_by(keys).aggregate(
        events=b.count(),
        **{f"{action}s": b.count(where=b.action == action) for action in _ACTIONS},
        tips=b.count(where=b.action == "tip"),
        tip_cents=b.value_cents.sum(where=b.action == "tip"),
    )
    # Unique viewers as the count of distinct (day, creator, viewer) rows, a branch of its own: written as
    # COUNT(DISTINCT) beside the other aggregates, DuckDB first copies every event column the query reads into
    # a temporary result for the two aggregations to share, which costs more than reading the file twice.
    pairs = b.select(*keys, "viewer_id").distinct()
    audience = pairs.group_by(keys).aggregate(unique_viewers=pairs.count())
    engagement = engagement.join(audience, keys)
    o = s.orders.filter(w.covers(s.orders.day) & s.orders.creator_id.notnull())
    sales = o.group_by(keys).aggregate(
        orders=o.order_id.count(), units=o.quantity.sum(), gmv_cents=o.amount_cents.sum()
    )
    joined = engagement.outer_join(sales, [engagement.day == sales.day, engagement.creator_id == sales.creator_id])
    counts = ["events", "unique_viewers", *(f"{a}s" for a in _ACTIONS), "tips", "tip_cents"]
    return joined.select(
        day=engagement.day.coalesce(sales.day),
        creator_id=engagement.creator_id.coalesce(sales.creator_id),
        **{name: _zero(engagement[name]) for name in counts},
        orders=_zero(sales.orders),
        units=_zero(sales.units),
        gmv_cents=_zero(sales.gmv_cents),
    )


def livestream_kpis(s: Sources, w: Window) -> ir.Table:
    """Per livestream session started in the window: GMV, orders, viewers, conversion, UV value and GPM.

    conversion_rate = orders ÷ unique viewers; uv_value_yuan = GMV ÷ unique viewers (UV价值);
    gpm_yuan = GMV per thousand views (千次观看成交金额); peak/avg viewers are over the minute-stat buckets.
    """
    sessions = s.sessions.filter(w.covers(s.sessions.day))
    ms = s.minute_stats
    minutes = ms.group_by("livestream_id").aggregate(
        peak_viewers=ms.viewers.max(),
        viewer_sum=ms.viewers.sum(),
        buckets=ms.livestream_id.count(),
        tip_cents=ms.tip_cents.sum(),
        comments=ms.comments.sum(),
    )
    live_orders = s.orders.filter(s.orders.livestream_id.notnull())
    sales = _order_totals(live_orders, ["livestream_id"])
    j = sessions.left_join(minutes, sessions.livestream_id == minutes.livestream_id).left_join(
        sales, sessions.livestream_id == sales.livestream_id
    )
    gmv = _zero(sales.gmv_cents)
    orders = _zero(sales.orders)
    return j.select(
        day=sessions.day,
        livestream_id=sessions.livestream_id,
        creator_id=sessions.creator_id,
        collaboration_id=sessions.collaboration_id,
        duration_min=_ratio(_epoch_s(sessions.ended_at) - _epoch_s(sessions.started_at), ibis.literal(60)),
        unique_viewers=sessions.unique_viewers,
        views=sessions.views,
        peak_viewers=_zero(minutes.peak_viewers),
        avg_viewers=_ratio(minutes.viewer_sum, minutes.buckets),
        comments=_zero(minutes.comments),
        tip_cents=_zero(minutes.tip_cents),
        orders=orders,
        units=_zero(sales.units),
        buyers=_zero(sales.buyers),
        gmv_cents=gmv,
        conversion_rate=_ratio(orders, sessions.unique_viewers),
        uv_value_yuan=_ratio(gmv, sessions.unique_viewers * 100),
        gpm_yuan=_ratio(gmv * 10, sessions.views),
    )


def product_daily(s: Sources, w: Window) -> ir.Table:
    """Per day and product: orders, units, GMV, distinct buyers and selling creators."""
    o = s.orders.filter(w.covers(s.orders.day))
    o = o.join(s.products.select("product_id", "brand_id"), "product_id")
    return o.group_by(["day", "product_id", "brand_id"]).aggregate(
        orders=o.order_id.count(),
        units=o.quantity.sum(),
        gmv_cents=o.amount_cents.sum(),
        buyers=o.viewer_id.nunique(),
        creators=o.creator_id.nunique(),
    )


def brand_daily(s: Sources, w: Window) -> ir.Table:
    """Per day and brand: orders, units, GMV, buyers, products sold and selling creators."""
    o = s.orders.filter(w.covers(s.orders.day))
    o = o.join(s.products.select("product_id", "brand_id"), "product_id")
    return o.group_by(["day", "brand_id"]).aggregate(
        orders=o.order_id.count(),
        units=o.quantity.sum(),
        gmv_cents=o.amount_cents.sum(),
        buyers=o.viewer_id.nunique(),
        products=o.product_id.nunique(),
        creators=o.creator_id.nunique(),
    )


def attribution_pairs(s: Sources, w: Window) -> ir.Table:
    """Each order in the window joined to every touch that may claim it (see the module docstring)."""
    c = s.collaborations.filter(s.collaborations.product_id.notnull())
    content = c.filter(c.live_at.notnull()).select(
        touch_collaboration_id=c.collaboration_id, touch_product_id=c.product_id, touch_s=_epoch_s(c.live_at)
    )
    live = s.sessions.filter(s.sessions.collaboration_id.notnull())
    live = live.join(c, live.collaboration_id == c.collaboration_id)
    streams = live.select(
        touch_collaboration_id=c.collaboration_id,
        touch_product_id=c.product_id,
        touch_s=_epoch_s(live.started_at),
    )
    touches = content.union(streams, distinct=False)
    o = s.orders.filter(w.covers(s.orders.day))
    o = o.select("order_id", "product_id", "amount_cents", order_s=_epoch_s(o.ordered_at))
    window_s = int(ATTRIBUTION_WINDOW.total_seconds())
    pairs = o.join(
        touches,
        [
            o.product_id == touches.touch_product_id,
            touches.touch_s <= o.order_s,
            touches.touch_s > o.order_s - window_s,
        ],
    )
    return pairs.select(
        "order_id",
        "amount_cents",
        "order_s",
        "touch_s",
        collaboration_id=pairs.touch_collaboration_id,
    )


def campaign_roi(s: Sources, w: Window) -> ir.Table:
    """Per campaign: spend, and GMV, commission and ROI under last-touch and time-decay attribution."""
    pairs = attribution_pairs(s, w)
    latest = ibis.row_number().over(
        group_by=pairs.order_id, order_by=[pairs.touch_s.desc(), pairs.collaboration_id.desc()]
    )
    last = pairs.mutate(rank=latest).filter(lambda t: t.rank == 0)
    last_touch = last.group_by("collaboration_id").aggregate(
        lt_orders=last.order_id.count(), lt_gmv_cents=last.amount_cents.sum()
    )

    half_life_s = HALF_LIFE.total_seconds()
    weighted = pairs.mutate(weight=ibis.literal(0.5) ** ((pairs.order_s - pairs.touch_s).cast("float64") / half_life_s))
    per_collab = weighted.group_by(["order_id", "collaboration_id", "amount_cents"]).aggregate(
        weight=weighted.weight.sum()
    )
    per_collab = per_collab.mutate(order_weight=per_collab.weight.sum().over(group_by=per_collab.order_id))
    credited = per_collab.mutate(
        credit_cents=(per_collab.amount_cents * per_collab.weight / per_collab.order_weight).round().cast("int64")
    )
    time_decay = credited.group_by("collaboration_id").aggregate(td_gmv_cents=credited.credit_cents.sum())

    c = s.collaborations
    j = c.left_join(last_touch, c.collaboration_id == last_touch.collaboration_id).left_join(
        time_decay, c.collaboration_id == time_decay.collaboration_id
    )
    went_live = c.live_at.notnull() & w.covers_instant(c.live_at)
    lt_gmv = _zero(last_touch.lt_gmv_cents)
    td_gmv = _zero(time_decay.td_gmv_cents)
    per_deal = j.select(
        campaign_id=c.campaign_id,
        live=went_live.ifelse(1, 0),
        fee_cents=went_live.ifelse(c.fee_cents, 0),
        lt_orders=_zero(last_touch.lt_orders),
        lt_gmv_cents=lt_gmv,
        lt_commission_cents=(lt_gmv * c.commission_bp / 10_000).round().cast("int64"),
        td_gmv_cents=td_gmv,
        td_commission_cents=(td_gmv * c.commission_bp / 10_000).round().cast("int64"),
    )
    totals = per_deal.group_by("campaign_id").aggregate(
        collaborations_live=per_deal.live.sum(),
        fee_cents=per_deal.fee_cents.sum(),
        last_touch_orders=per_deal.lt_orders.sum(),
        last_touch_gmv_cents=per_deal.lt_gmv_cents.sum(),
        last_touch_commission_cents=per_deal.lt_commission_cents.sum(),
        time_decay_gmv_cents=per_deal.td_gmv_cents.sum(),
        time_decay_commission_cents=per_deal.td_commission_cents.sum(),
    )
    camp = s.campaigns
    r = camp.join(totals, camp.campaign_id == totals.campaign_id)
    return r.select(
        campaign_id=camp.campaign_id,
        brand_id=camp.brand_id,
        budget_cents=camp.budget_cents,
        collaborations_live=r.collaborations_live,
        fee_cents=r.fee_cents,
        last_touch_orders=r.last_touch_orders,
        last_touch_gmv_cents=r.last_touch_gmv_cents,
        last_touch_commission_cents=r.last_touch_commission_cents,
        last_touch_roi=_ratio(r.last_touch_gmv_cents, r.fee_cents + r.last_touch_commission_cents),
        time_decay_gmv_cents=r.time_decay_gmv_cents,
        time_decay_commission_cents=r.time_decay_commission_cents,
        time_decay_roi=_ratio(r.time_decay_gmv_cents, r.fee_cents + r.time_decay_commission_cents),
    )


def tip_income_by_tier(s: Sources, w: Window) -> ir.Table:
    """Livestream tipping (打赏) income per follower tier: totals, share of all tips, mean per creator."""
    b = s.behaviour
    tips = b.filter(w.covers(b.day) & (b.action == "tip"))
    tips = tips.join(s.creators.select("creator_id", "follower_tier"), "creator_id")
    by_tier = tips.group_by("follower_tier").aggregate(
        tips=tips.event_id.count(),
        tip_cents=tips.value_cents.sum(),
        tipping_creators=tips.creator_id.nunique(),
        tippers=tips.viewer_id.nunique(),
    )
    cr = s.creators
    tiers = cr.group_by("follower_tier").aggregate(creators=cr.creator_id.count())
    j = tiers.left_join(by_tier, tiers.follower_tier == by_tier.follower_tier)
    j = j.select(
        follower_tier=tiers.follower_tier,
        creators=tiers.creators,
        tipping_creators=_zero(by_tier.tipping_creators),
        tippers=_zero(by_tier.tippers),
        tips=_zero(by_tier.tips),
        tip_cents=_zero(by_tier.tip_cents),
    )
    return j.mutate(
        share_of_tips=_ratio(j.tip_cents, j.tip_cents.sum().over()),
        tip_cents_per_creator=_ratio(j.tip_cents, j.creators),
    )


def mcn_share(s: Sources, w: Window) -> ir.Table:
    """Weekly GMV market share of each MCN among MCN-signed creators' sales, with its rank that week."""
    o = s.orders.filter(w.covers(s.orders.day))
    signed = s.creators.filter(s.creators.mcn_id.notnull()).select("creator_id", "mcn_id")
    o = o.join(signed, "creator_id")
    o = o.mutate(week_start=o.day.truncate("W").cast("date"))  # ISO weeks, starting Monday
    weekly = o.group_by(["week_start", "mcn_id"]).aggregate(
        orders=o.order_id.count(), gmv_cents=o.amount_cents.sum(), creators=o.creator_id.nunique()
    )
    rank = ibis.row_number().over(group_by=weekly.week_start, order_by=[weekly.gmv_cents.desc(), weekly.mcn_id.asc()])
    return weekly.mutate(
        market_gmv_cents=weekly.gmv_cents.sum().over(group_by=weekly.week_start),
        rank=rank + 1,
    ).mutate(share=lambda t: _ratio(t.gmv_cents, t.market_gmv_cents))


def mcn_concentration(s: Sources, w: Window) -> ir.Table:
    """Weekly concentration of the MCN market: CR5 (top-five share) and the Herfindahl–Hirschman index.

    HHI = Σ (100 · share_i)², 0–10,000; the US DOJ/FTC 2023 Merger Guidelines call a market above 1,800
    highly concentrated.
    """
    shares = mcn_share(s, w)
    return (
        shares.group_by("week_start")
        .aggregate(
            mcns=shares.mcn_id.count(),
            market_gmv_cents=shares.gmv_cents.sum(),
            top5_gmv_cents=shares.gmv_cents.sum(where=shares.rank <= 5),
        )
        .mutate(cr5=lambda t: _ratio(t.top5_gmv_cents, t.market_gmv_cents))
        .join(
            shares.group_by("week_start").aggregate(hhi=(shares.share * shares.share).sum() * 10_000),
            "week_start",
        )
        .mutate(hhi=lambda t: t.hhi.round(2))
    )


@dataclass(frozen=True)
class Job:
    name: str
    title: str  # Chinese first, English second
    build: Callable[[Sources, Window], ir.Table]
    keys: tuple[str, ...]  # unique per row; results are sorted by them
    # True when each output row belongs to one day and depends on that day's events only (no look-back): such a
    # job can run one day partition at a time, see `run_by_day`.
    day_local: bool = False


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job(
            "creator_daily",
            "达人每日指标 / daily KPIs per creator",
            creator_daily,
            ("day", "creator_id"),
            day_local=True,
        ),
        Job("livestream", "直播场次指标 / livestream KPIs", livestream_kpis, ("livestream_id",)),
        Job("product_daily", "商品每日指标 / product daily KPIs", product_daily, ("day", "product_id"), day_local=True),
        Job("brand_daily", "品牌每日指标 / brand daily KPIs", brand_daily, ("day", "brand_id"), day_local=True),
        Job("campaign_roi", "活动投产比与归因 / campaign ROI and attribution", campaign_roi, ("campaign_id",)),
        Job("tip_by_tier", "打赏收入按粉丝层级 / tip income by follower tier", tip_income_by_tier, ("follower_tier",)),
        Job("mcn_share", "MCN 市场份额 / MCN market share", mcn_share, ("week_start", "mcn_id")),
        Job("mcn_concentration", "MCN 集中度 CR5/HHI / MCN concentration", mcn_concentration, ("week_start",)),
    )
}


def get_job(name: str) -> Job:
    try:
        return JOBS[name]
    except KeyError:
        raise AnalyticsError(f"unknown job '{name}'; choose one of {', '.join(JOBS)}") from None


def run_job(name: str, backend: Backend, store: EventStore, window: Window = Window()) -> pd.DataFrame:
    """Run one job on `backend` over `store`, rows sorted by the job's keys.

    Day-local jobs run partition by partition on DuckDB (`run_by_day`); the result is the same.
    """
    job = get_job(name)
    if job.day_local and backend.engine is Engine.DUCKDB:
        return run_by_day(job, backend, store, window)
    expr = job.build(backend.sources(store, window), window).order_by(list(job.keys))
    return backend.execute(expr)


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


def run_by_day(job: Job, backend: Backend, store: EventStore, window: Window = Window()) -> pd.DataFrame:
    """Run a day-local job once per China-time day partition, the days spread over DuckDB's threads.

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
    # Each view holds exactly one day's rows, so the job needs no window of its own.
    expr = job.build(sources, Window()).order_by(list(job.keys))
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
