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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import ibis
import ibis.expr.types as ir
import pandas as pd

from wanghong.analytics.engine.backends import ATTRIBUTION_WINDOW, AnalyticsError, Backend, Sources, Window, run_by_day
from wanghong.analytics.engine.catalog import JOB_TITLES, Engine
from wanghong.analytics.engine.store import EventStore

HALF_LIFE = timedelta(days=1)


# ---------------------------------------------------------------------------------------------- helpers


def _zero(value: ir.NumericValue) -> ir.NumericValue:
    return value.coalesce(0)


def _ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
    """numerator / denominator as float64, null when the denominator is 0."""
    return numerator.cast("float64") / denominator.nullif(0).cast("float64")


def _epoch_s(ts: ir.TimestampValue) -> ir.IntegerValue:
    return ts.epoch_seconds().cast("int64")


def _order_totals(orders: ir.Table, keys: list[str], **distinct: str) -> ir.Table:
    """Orders, units, GMV and buyers per `keys`, plus a distinct count of each column named in `distinct`."""
    return orders.group_by(keys).aggregate(
        orders=orders.order_id.count(),
        units=orders.quantity.sum(),
        gmv_cents=orders.amount_cents.sum(),
        buyers=orders.viewer_id.nunique(),
        **{name: orders[column].nunique() for name, column in distinct.items()},
    )


def _brand_orders(s: Sources, w: Window) -> ir.Table:
    """The window's orders with the brand of their product."""
    o = s.orders.filter(w.covers(s.orders.day))
    return o.join(s.products.select("product_id", "brand_id"), "product_id")


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
    # Unique viewers (观看人数) are the people who *viewed* (analytics.metrics): distinct (day, creator, viewer)
    # rows of view events, so they never exceed views (counting any action made them exceed views in 68 % of
    # creator-days, issue 14). A branch of its own: written as COUNT(DISTINCT) beside the other aggregates,
    # DuckDB first copies every event column the query reads into a temporary result for the two aggregations
    # to share, which costs more than reading the file twice.
    viewed = b.filter(b.action == "view")
    pairs = viewed.select(*keys, "viewer_id").distinct()
    audience = pairs.group_by(keys).aggregate(unique_viewers=pairs.count())
    with_audience = engagement.left_join(audience, keys)
    engagement = with_audience.select(
        *[engagement[c] for c in engagement.columns], unique_viewers=_zero(audience.unique_viewers)
    )
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
    return _order_totals(_brand_orders(s, w), ["day", "product_id", "brand_id"], creators="creator_id")


def brand_daily(s: Sources, w: Window) -> ir.Table:
    """Per day and brand: orders, units, GMV, buyers, products sold and selling creators."""
    return _order_totals(_brand_orders(s, w), ["day", "brand_id"], products="product_id", creators="creator_id")


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
    name: str  # one of `catalog.JOB_TITLES`
    build: Callable[[Sources, Window], ir.Table]
    keys: tuple[str, ...]  # unique per row; results are sorted by them
    # True when each output row belongs to one day and depends on that day's events only (no look-back): such a
    # job can run one day partition at a time, see `run_by_day`.
    day_local: bool = False

    @property
    def title(self) -> str:
        return JOB_TITLES[self.name]


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("creator_daily", creator_daily, ("day", "creator_id"), day_local=True),
        Job("livestream", livestream_kpis, ("livestream_id",)),
        Job("product_daily", product_daily, ("day", "product_id"), day_local=True),
        Job("brand_daily", brand_daily, ("day", "brand_id"), day_local=True),
        Job("campaign_roi", campaign_roi, ("campaign_id",)),
        Job("tip_by_tier", tip_income_by_tier, ("follower_tier",)),
        Job("mcn_share", mcn_share, ("week_start", "mcn_id")),
        Job("mcn_concentration", mcn_concentration, ("week_start",)),
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
        # Each day's views hold exactly one day's rows, so the job needs no window of its own.
        return run_by_day(lambda sources: job.build(sources, Window()).order_by(list(job.keys)), backend, store, window)
    expr = job.build(backend.sources(store, window), window).order_by(list(job.keys))
    return backend.execute(expr)
