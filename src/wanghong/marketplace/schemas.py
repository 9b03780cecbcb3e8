"""Request and response shapes of the 达人广场 API: the market's creator rows, rate cards and favourites."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from wanghong.commerce.schemas import Amount
from wanghong.domain import FollowerTier, McnTier, Platform
from wanghong.kit.schemas import Input, Output


class Sort(StrEnum):
    """How the market orders creators, largest first."""

    FOLLOWERS = "followers"
    GMV = "gmv"  # livestream GMV to date, the figure brands weigh engagement by
    NEWEST = "newest"


INDEPENDENT = "independent"  # the MCN-tier filter's value for creators no agency manages


class McnTierFilter(StrEnum):
    """The MCN-tier filter: an agency tier, or independent creators."""

    S = "S"
    A = "A"
    B = "B"
    UNRATED = "unrated"
    INDEPENDENT = INDEPENDENT


class RateCardIn(Input):
    """The whole rate card (PUT semantics): a price left out or null is one the creator does not quote."""

    video_short: Amount | None = Field(default=None, description="短视频 1–20 秒 / short video 1–20 s, CNY")
    video_medium: Amount | None = Field(default=None, description="短视频 21–60 秒 / short video 21–60 s, CNY")
    video_long: Amount | None = Field(default=None, description="短视频 60 秒以上 / short video over 60 s, CNY")
    live_slot_fee: Amount | None = Field(default=None, description="直播坑位费 / livestream slot fee, CNY")
    live_commission_rate: Annotated[float, Field(ge=0, le=1)] | None = Field(
        default=None, description="直播佣金比例 / livestream commission as a share of GMV, 0–1 (0.2 = 20 %)"
    )


class RateCardOut(Output):
    creator_id: int
    video_short: Decimal | None
    video_medium: Decimal | None
    video_long: Decimal | None
    live_slot_fee: Decimal | None
    live_commission_rate: float | None
    updated_at: datetime | None = Field(description="null: the creator has not quoted yet")


class MarketCreatorOut(Output):
    """A creator's marketplace profile, as every brand may read it."""

    id: int
    handle: str
    display_name: str
    platform: Platform
    categories: list[str]
    region: str
    followers: int
    follower_tier: FollowerTier
    mcn_id: int | None
    mcn_name: str | None
    mcn_tier: McnTier | None = Field(description="null: independent, no agency manages the creator")
    gmv: Decimal = Field(description="livestream GMV to date, CNY")
    segments: dict[str, float] = Field(description="fan persona: audience share by segment")
    rate_card: RateCardOut | None
    favourite: bool = Field(description="whether the reader's brand keeps the creator in its 收藏夹")


class MarketPageOut(Output):
    items: list[MarketCreatorOut]
    next_cursor: str | None


class FavouriteIn(Input):
    creator_id: int
    brand_id: int | None = Field(default=None, description="only for administrators; a brand saves for itself")


class FavouriteOut(Output):
    id: int
    brand_id: int
    creator_id: int
    created_at: datetime


class FavouritePageOut(Output):
    items: list[FavouriteOut]
    next_cursor: str | None
