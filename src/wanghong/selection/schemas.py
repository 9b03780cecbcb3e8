"""Request and response shapes of 选品广场's API: listings, the catalog creators browse, sample requests, cart items
and content versions with their compliance scans."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from wanghong.domain import Verdict
from wanghong.kit.schemas import Input, Output
from wanghong.selection.models import ListingStatus, SamplePolicy, SampleStatus

Rate = Annotated[float, Field(ge=0.0, le=0.9, description="commission rate, 0–0.9 (0.2 = 20%)")]


def _http_only(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("the video link must be an http:// or https:// address")
    return value.strip()


VideoUrl = Annotated[str, StringConstraints(max_length=500), AfterValidator(_http_only)]


class ListingIn(Input):
    product_id: int
    commission_rate: Rate
    sample_policy: SamplePolicy = SamplePolicy.NONE
    sample_note: Annotated[str, StringConstraints(max_length=500)] = ""


class ListingUpdate(Input):
    commission_rate: Rate | None = None
    sample_policy: SamplePolicy | None = None
    sample_note: Annotated[str, StringConstraints(max_length=500)] | None = None
    status: ListingStatus | None = Field(default=None, description="open 上架 / closed 下架")


class ListingOut(Output):
    id: int
    product_id: int
    brand_id: int
    commission_rate: float
    sample_policy: SamplePolicy
    sample_note: str
    status: ListingStatus
    created_at: datetime
    updated_at: datetime


class MarketSort(StrEnum):
    NEWEST = "newest"
    COMMISSION = "commission"
    PRICE = "price"
    PRICE_DESC = "price_desc"


class OfferOut(Output):
    """An open listing as a creator reads it in 选品广场."""

    listing_id: int
    product_id: int
    product: str
    description: str
    category: str
    price: Decimal
    brand: str
    commission_rate: float
    commission_per_sale: Decimal = Field(description="price × commission rate: what one sale earns the creator")
    sample_policy: SamplePolicy
    sample_note: str
    listed_at: datetime


class OfferPage(Output):
    items: list[OfferOut]
    next_cursor: str | None
    total: int


class SampleIn(Input):
    listing_id: int
    creator_id: int | None = Field(default=None, description="the creator the sample is for (an MCN names one)")
    address: Annotated[str, StringConstraints(strip_whitespace=True, min_length=4, max_length=300)]
    note: Annotated[str, StringConstraints(max_length=1000)] = ""


class SampleDecision(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"


class SampleDecisionIn(Input):
    decision: SampleDecision
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""

    @model_validator(mode="after")
    def _declined_with_reason(self) -> SampleDecisionIn:
        if self.decision is SampleDecision.DECLINED and not self.reason:
            raise ValueError("declining a sample request needs a reason the creator can read")
        return self


class SampleOut(Output):
    id: int
    listing_id: int
    product_id: int
    brand_id: int
    creator_id: int
    address: str
    note: str
    status: SampleStatus
    reason: str
    decided_at: datetime | None
    created_at: datetime


class CartItemIn(Input):
    livestream_id: int
    listing_id: int


class CartItemOut(Output):
    id: int
    livestream_id: int
    listing_id: int
    product_id: int
    brand_id: int
    creator_id: int
    commission_rate: float
    price: Decimal
    added_at: datetime


Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Script = Annotated[str, StringConstraints(max_length=10_000)]


class ContentCheckIn(Input):
    title: Title
    script: Script = ""


class HitOut(Output):
    term: str
    category: str
    article: str
    start: int
    end: int
    severity: str
    explanation: str = ""


class ScanOut(Output):
    verdict: Verdict
    score: float
    hits: list[HitOut]


class ContentIn(Input):
    collaboration_id: int
    title: Title
    script: Script = ""
    video_url: VideoUrl


class ContentVersionOut(Output):
    id: int
    collaboration_id: int
    creator_id: int
    number: int
    title: str
    script: str
    video_url: str
    verdict: Verdict | None = Field(description="the scan of title + script; null: submitted without text")
    score: float | None
    hits: list[dict[str, Any]]
    submitted_at: datetime
