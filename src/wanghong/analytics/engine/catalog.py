"""The engines and jobs on offer, by name: what a command line lists without loading Ibis, DuckDB or Spark."""

from __future__ import annotations

from enum import StrEnum


class Engine(StrEnum):
    DUCKDB = "duckdb"
    SPARK = "spark"


# Job name → title (Chinese first, English second); `jobs.JOBS` defines each job under exactly these names.
JOB_TITLES: dict[str, str] = {
    "creator_daily": "达人每日指标 / daily KPIs per creator",
    "livestream": "直播场次指标 / livestream KPIs",
    "product_daily": "商品每日指标 / product daily KPIs",
    "brand_daily": "品牌每日指标 / brand daily KPIs",
    "campaign_roi": "活动投产比与归因 / campaign ROI and attribution",
    "tip_by_tier": "打赏收入按粉丝层级 / tip income by follower tier",
    "mcn_share": "MCN 市场份额 / MCN market share",
    "mcn_concentration": "MCN 集中度 CR5/HHI / MCN concentration",
}
