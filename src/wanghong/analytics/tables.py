"""Chart-ready tables from the jobs, with names, yuan and Chinese column headers, plus the CSV and Excel exporter.

Jobs return ids and integer cents (exact, engine-independent); this module is where they become what a person
reads: names joined from the dimension snapshots, cents turned into yuan, headers in Chinese with units.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from wanghong.analytics.engine.backends import AnalyticsError, Backend, Window
from wanghong.analytics.engine.jobs import run_job
from wanghong.analytics.engine.store import DIMENSIONS, KINDS, EventStore
from wanghong.analytics.metrics import column_labels
from wanghong.domain import FOLLOWER_TIER_EN, FollowerTier
from wanghong.kit.exports import Sink, write_csv, write_xlsx
from wanghong.kit.formats import percent, yuan

# Column headers: Chinese with units first, the English column name in brackets; the metrics' own from
# `analytics.metrics`, the one place a figure is defined.
COLUMN_LABELS: dict[str, str] = {
    "day": "日期",
    "week_start": "周起始日",
    "creator_id": "达人ID",
    "creator": "达人",
    "brand_id": "品牌ID",
    "brand": "品牌",
    "product_id": "商品ID",
    "product": "商品",
    "campaign_id": "活动ID",
    "campaign": "活动",
    "mcn_id": "MCN ID",
    "mcn": "MCN",
    "livestream_id": "直播场次ID",
    "collaboration_id": "合作ID",
    "follower_tier": "粉丝层级",
    "events": "行为事件数（次）",
    "likes": "点赞（次）",
    "comments": "评论（条）",
    "shares": "分享（次）",
    "follows": "关注（次）",
    "clicks": "点击（次）",
    "tips": "打赏（笔）",
    "units": "件数（件）",
    "buyers": "买家数（人）",
    "products": "动销商品数（个）",
    "creators": "达人数（人）",
    "tipping_creators": "获打赏达人数（人）",
    "tippers": "打赏人数（人）",
    "duration_min": "时长（分钟）",
    "peak_viewers": "峰值在线（人）",
    "avg_viewers": "平均在线（人）",
    "collaborations_live": "已上线合作数（个）",
    "last_touch_orders": "末次触点归因订单（单）",
    "share_of_tips": "打赏收入占比",
    "share": "市场份额",
    "rank": "排名",
    "mcns": "MCN 数（家）",
    "cr5": "CR5（前五份额）",
    "hhi": "HHI（0–10000）",
    "tip_yuan_per_creator": "人均打赏收入（元）",
    "gmv_growth": "GMV 增长率（近7日对比前7日）",
    "cumulative_follows": "累计新增关注（人）",
    "followers": "粉丝数（人）",
    # The figures (GMV, views, unique viewers, conversion, UV value, GPM, ROI …) from their one definition.
    **column_labels(),
}


# The same headers for an English page (the downloads keep the Chinese ones above).
COLUMN_LABELS_EN: dict[str, str] = {
    "day": "Date",
    "week_start": "Week starting",
    "creator_id": "Creator ID",
    "creator": "Creator",
    "brand_id": "Brand ID",
    "brand": "Brand",
    "product_id": "Product ID",
    "product": "Product",
    "campaign_id": "Campaign ID",
    "campaign": "Campaign",
    "mcn_id": "MCN ID",
    "mcn": "MCN",
    "livestream_id": "Livestream ID",
    "collaboration_id": "Collaboration ID",
    "follower_tier": "Follower tier",
    "events": "Events",
    "likes": "Likes",
    "comments": "Comments",
    "shares": "Shares",
    "follows": "Follows",
    "clicks": "Clicks",
    "tips": "Tips (count)",
    "units": "Units",
    "buyers": "Buyers (people)",
    "products": "Products sold",
    "creators": "Creators",
    "tipping_creators": "Creators tipped",
    "tippers": "Tippers (people)",
    "duration_min": "Duration (minutes)",
    "peak_viewers": "Peak viewers online (people)",
    "avg_viewers": "Average viewers online (people)",
    "collaborations_live": "Collaborations live",
    "last_touch_orders": "Orders, last touch",
    "share_of_tips": "Share of tips",
    "share": "Market share",
    "rank": "Rank",
    "mcns": "MCNs",
    "cr5": "CR5 (top-five share)",
    "hhi": "HHI (0–10000)",
    "tip_yuan_per_creator": "Tips per creator (yuan)",
    "gmv_growth": "GMV growth (last 7 days vs the 7 before)",
    "cumulative_follows": "New follows, cumulative",
    "followers": "Followers",
    **column_labels("en"),
}
_YUAN_BASES_EN = {
    "gmv_cents": "GMV",
    "tip_cents": "Tips",
    "fee_cents": "Collaboration fees",
    "budget_cents": "Budget",
    "price_cents": "Price",
    "last_touch_gmv_cents": "Attributed GMV, last touch",
    "last_touch_commission_cents": "Commission, last touch",
    "time_decay_gmv_cents": "Attributed GMV, time decay",
    "time_decay_commission_cents": "Commission, time decay",
    "market_gmv_cents": "Market GMV",
    "top5_gmv_cents": "Top-five GMV",
}


def _yuan_label_en(cents_column: str) -> str:
    return f"{_YUAN_BASES_EN.get(cents_column, cents_column.removesuffix('_cents'))} (yuan)"


def _yuan_label(cents_column: str) -> str:
    base = {
        "gmv_cents": "GMV",
        "tip_cents": "打赏收入",
        "fee_cents": "合作费用",
        "budget_cents": "预算",
        "price_cents": "价格",
        "last_touch_gmv_cents": "末次触点归因 GMV",
        "last_touch_commission_cents": "末次触点佣金",
        "time_decay_gmv_cents": "时间衰减归因 GMV",
        "time_decay_commission_cents": "时间衰减佣金",
        "market_gmv_cents": "市场 GMV",
        "top5_gmv_cents": "前五 GMV",
    }.get(cents_column, cents_column.removesuffix("_cents"))
    return f"{base}（元）"


def to_yuan(frame: pd.DataFrame) -> pd.DataFrame:
    """Cents columns as yuan rounded to the fen (`gmv_cents` → `gmv_yuan`)."""
    out = frame.copy()
    for column in [c for c in frame.columns if "_cents" in c]:
        name = column.replace("_cents", "_yuan")
        out[name] = (frame[column].astype("float64") / 100).round(2)
        out = out.drop(columns=column)
    return out


_TIERS = {**{t.value: t for t in FollowerTier}, **{t.label: t for t in FollowerTier}}


def tier_name(value: object, language: str = "zh") -> object:
    """A follower tier as a person reads it, from its code ('mid') or its Chinese label: '腰部 (10万–100万)' or
    'Mid-tier (100K–1M)'; anything else (a missing value) as it is."""
    tier = _TIERS.get(str(value))
    if tier is None:
        return value
    return FOLLOWER_TIER_EN[tier] if language == "en" else tier.label


# Columns holding a code or a word rather than a number or a name: shown and exported in the reader's words, never
# as the code the store keeps (the tables keep Chinese ones, as their exports do).
WORDED_COLUMNS: dict[str, Callable[[object, str], object]] = {"follower_tier": tier_name}
# Columns holding a share in [0, 1] (or a growth ratio): a page writes them as %, the downloads keep the number.
SHARE_COLUMNS = frozenset({"share_of_tips", "share", "cr5", "gmv_growth", "conversion_rate"})


def worded(frame: pd.DataFrame, language: str = "zh") -> pd.DataFrame:
    """The frame with its coded columns (`WORDED_COLUMNS`) in the reader's words."""
    out = frame.copy()
    for column, word in WORDED_COLUMNS.items():
        if column in out.columns:
            out[column] = out[column].map(lambda value, word=word: word(value, language)).astype(object)
    return out


def for_reader(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """A table as a page shows it: coded columns in words, shares as %, money in 元 with 万/亿 (`kit.formats`),
    headers in the reader's language.  Text throughout, for showing; the downloads keep numbers."""
    out = worded(frame, language)
    for column in out.columns:
        if column in SHARE_COLUMNS:
            out[column] = out[column].map(lambda v: percent(None if pd.isna(v) else float(v))).astype(object)
        elif "_yuan" in column:
            out[column] = out[column].map(lambda v: "—" if pd.isna(v) else yuan(float(v), language)).astype(object)
    return headers_for(out, language)


def _headed(frame: pd.DataFrame, labels: dict[str, str], yuan_label: Callable[[str], str]) -> pd.DataFrame:
    """The frame with each column renamed to its header; a yuan column without one is named from its cents base."""
    headers = {
        column: yuan_label(column.replace("_yuan", "_cents"))
        if column.endswith("_yuan") and column not in labels
        else labels.get(column, column)
        for column in frame.columns
    }
    return frame.rename(columns=headers)


def chinese_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """Rename columns to their Chinese headers with units, coded values in Chinese words (for export to people,
    not for further processing)."""
    return _headed(worded(frame, "zh"), COLUMN_LABELS, _yuan_label)


def headers_for(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """The columns as a page shows them to its reader: Chinese headers, or English ones on an English page."""
    return _headed(frame, COLUMN_LABELS_EN, _yuan_label_en) if language == "en" else chinese_headers(frame)


def job_table(name: str, backend: Backend, store: EventStore, window: Window = Window()) -> pd.DataFrame:
    """A job's rows for charting: names joined in, money in yuan, tier labels in Chinese."""
    frame = run_job(name, backend, store, window)
    dims = {
        "creator_id": ("creators", "display_name", "creator"),
        "brand_id": ("brands", "name", "brand"),
        "product_id": ("products", "name", "product"),
        "campaign_id": ("campaigns", "name", "campaign"),
        "mcn_id": ("mcns", "name", "mcn"),
    }
    for key, (dimension, column, label) in dims.items():
        if key in frame.columns:
            names = store.read_dimension(dimension).select([key, column]).to_pandas()
            frame = frame.merge(names.rename(columns={column: label}), on=key, how="left")
    if "follower_tier" in frame.columns:
        order = [t.value for t in FollowerTier]
        frame["follower_tier"] = pd.Categorical(frame["follower_tier"], categories=order, ordered=True)
        frame = frame.sort_values("follower_tier").reset_index(drop=True)
        frame["follower_tier"] = frame["follower_tier"].map(tier_name).astype(str)
    return to_yuan(frame)


@dataclass(frozen=True)
class BrandDashboard:
    """What a brand manager's dashboard and report show; every frame is ready to chart."""

    brand_id: int
    brand_name: str
    window: Window
    daily: pd.DataFrame  # day, gmv_yuan, orders, units, buyers, products, creators
    products: pd.DataFrame  # product, gmv_yuan, orders, units (summed over the window), by GMV descending
    campaigns: pd.DataFrame  # campaign, spend and attributed GMV/ROI under both attribution models


class BrandNotInStore(AnalyticsError):
    """The brand has no row in the store's dimension snapshot: a wrong id, or not synced yet."""


JobTable = Callable[[str, Backend, EventStore, Window], pd.DataFrame]


class JobTableCache:
    """`job_table` results kept until the store changes, for callers that show the same tables again and again.

    The key includes the modification times of the store's manifest folders and dimension files: committing a
    batch renames a manifest into its folder and replacing a dimension rewrites its file, so either invalidates
    the entry.  A folder's entry count is in the key too: the file system stamps times at its clock's tick (a
    few milliseconds), and two commits inside one tick, one before and one after a read, would leave the time
    alone.  Thread-safe; holds at most `capacity` tables, dropping the oldest first.
    """

    def __init__(self, capacity: int = 32) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[tuple[object, ...], pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def version(store: EventStore) -> tuple[int, ...]:
        folders = [store.root / "_manifest" / kind for kind in KINDS]
        paths = folders + [store.dimension_path(n) for n in DIMENSIONS]
        times = tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in paths)
        return times + tuple(len(os.listdir(f)) if f.is_dir() else 0 for f in folders)

    def __call__(self, name: str, backend: Backend, store: EventStore, window: Window = Window()) -> pd.DataFrame:
        key = (str(store.root.resolve()), name, window, self.version(store))
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key].copy()
        frame = job_table(name, backend, store, window)
        with self._lock:
            self._entries[key] = frame
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
        return frame.copy()


def brand_dashboard(
    backend: Backend, store: EventStore, brand_id: int, window: Window = Window(), tables: JobTable = job_table
) -> BrandDashboard:
    """A brand's figures; `tables` computes job tables (pass a `JobTableCache` to reuse them across calls)."""
    brands = store.read_dimension("brands").to_pandas()
    match = brands[brands["brand_id"] == brand_id]
    if match.empty:
        raise BrandNotInStore(f"brand {brand_id} is not in the event store at {store.root}; check the id")
    daily = tables("brand_daily", backend, store, window)
    daily = daily[daily["brand_id"] == brand_id].drop(columns=["brand_id", "brand"]).reset_index(drop=True)
    products = tables("product_daily", backend, store, window)
    products = products[products["brand_id"] == brand_id]
    products = (
        products.groupby(["product_id", "product"], as_index=False)[["gmv_yuan", "orders", "units"]]
        .sum()
        .sort_values(["gmv_yuan", "product_id"], ascending=[False, True])
        .reset_index(drop=True)
    )
    campaigns = tables("campaign_roi", backend, store, window)
    campaigns = campaigns[campaigns["brand_id"] == brand_id].drop(columns=["brand_id"]).reset_index(drop=True)
    return BrandDashboard(
        brand_id=brand_id,
        brand_name=str(match.iloc[0]["name"]),
        window=window,
        daily=daily,
        products=products,
        campaigns=campaigns,
    )


def _for_people(frame: pd.DataFrame, chinese: bool) -> pd.DataFrame:
    return chinese_headers(frame) if chinese else frame


def export_csv(frame: pd.DataFrame, target: Sink, chinese: bool = True) -> Sink:
    """CSV in UTF-8 with a byte-order mark and Chinese headers; formula-like text neutralised (`kit.exports`).
    `target` is a file path (its folder is created) or an open binary stream, such as a download's buffer."""
    return write_csv(_for_people(frame, chinese), target)


def export_xlsx(sheets: dict[str, pd.DataFrame], target: Sink, chinese: bool = True) -> Sink:
    """One worksheet per frame (sheet names are cut to Excel's 31 characters); as for `export_csv`."""
    return write_xlsx({name: _for_people(frame, chinese) for name, frame in sheets.items()}, target)
