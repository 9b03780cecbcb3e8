"""Request and response shapes of fraud's API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from wanghong.analytics.metrics import described


class ScanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: date | None = Field(None, description="北京时间的扫描日，默认今天 / the Beijing day scanned (default: today)")


class ScanOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    day: date
    replaced: bool = False
    creators: int
    orders: int
    flagged_orders: int
    rings: int
    rooms: int
    holds: int
    review_tasks: int


class QualityOut(BaseModel):
    creator_id: int
    score: int = Field(description="0–100，100 = 观众全部真实且互动正常 / 100 = an entirely genuine audience")
    low: bool = Field(description="低于 60 / below 60")
    real_share: float
    sample_size: int
    reasons: list[str]
    day: date


class OrderScoreOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    order_id: int
    score: float
    flagged: bool
    ring_number: int | None
    buyer_score: float
    held: bool


class GmvOut(BaseModel):
    day: date | None = Field(description="最近一次扫描日 / the latest scan's day (null: never scanned)")
    reported: Decimal = Field(description=described("gmv_all"))
    flagged: Decimal = Field(description=described("gmv_flagged"))
    adjusted: Decimal = Field(description=described("gmv_adjusted"))
    flagged_orders: int
