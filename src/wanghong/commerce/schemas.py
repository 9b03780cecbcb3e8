"""Typed shapes of what goes in and out of the use cases (and so of the HTTP API).

Inputs forbid unknown fields so that a typo in a field name is an error, not a silently ignored value.
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from wanghong.commerce.models import (
    EVENT_ID_LENGTH,
    EXTERNAL_ID_LENGTH,
    HANDLE_LENGTH,
    NAME_LENGTH,
    REASON_LENGTH,
    SHORT_LABEL_LENGTH,
    TITLE_LENGTH,
    URL_LENGTH,
)
from wanghong.domain import (
    AgeBand,
    CampaignStatus,
    Category,
    CityTier,
    CollaborationMode,
    CollaborationStatus,
    EventType,
    FollowerTier,
    Gender,
    McnTier,
    Platform,
    Segment,
    VerificationStatus,
    ViewerAction,
)
from wanghong.kit.schemas import Count, Input, Instant, Output, RowId

# Text bounded by its column's length (commerce.models), so whatever the schema accepts the column holds.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_LENGTH)]
Handle = Annotated[str, StringConstraints(strip_whitespace=True, pattern=rf"^[\w.\-]{{2,{HANDLE_LENGTH}}}$")]
ShortLabel = Annotated[str, StringConstraints(max_length=SHORT_LABEL_LENGTH)]
Title = Annotated[str, StringConstraints(max_length=TITLE_LENGTH)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


def _web_address(value: str) -> str:
    """http(s) with a host and nothing else: the address is shown to other tenants as a link, and a
    `javascript:` or `data:` one would run in their browser when clicked."""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// address with a host, e.g. https://v.example/123")
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        raise ValueError("must not contain spaces or control characters")
    return value


# Every URL field: the empty string stays allowed where a field may be cleared (the column's default).
WebUrl = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=URL_LENGTH),
    AfterValidator(lambda v: v if v == "" else _web_address(v)),
]


def _check_distribution(name: str, dist: dict[str, float], vocabulary: type[StrEnum]) -> dict[str, float]:
    allowed = {m.value for m in vocabulary}
    unknown = sorted(set(dist) - allowed)
    if unknown:
        raise ValueError(f"{name}: unknown keys {unknown}; allowed: {sorted(allowed)}")
    if any(not math.isfinite(v) or v < 0 for v in dist.values()):
        raise ValueError(f"{name}: shares must be finite and ≥ 0")
    total = sum(dist.values())
    if dist and abs(total - 1.0) > 1e-3:
        raise ValueError(f"{name}: shares must sum to 1 (they sum to {total:.4f})")
    return dist


class PersonaIn(Input):
    """Audience distribution; each field maps vocabulary values to shares summing to 1."""

    gender: dict[str, float] = Field(default_factory=dict)
    age_bands: dict[str, float] = Field(default_factory=dict)
    city_tiers: dict[str, float] = Field(default_factory=dict)
    segments: dict[str, float] = Field(default_factory=dict)
    interests: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _distributions(self) -> PersonaIn:
        for name, vocabulary in (
            ("gender", Gender),
            ("age_bands", AgeBand),
            ("city_tiers", CityTier),
            ("segments", Segment),
            ("interests", Category),
        ):
            _check_distribution(name, getattr(self, name), vocabulary)
        return self


class PersonaOut(Output):
    creator_id: int
    gender: dict[str, float]
    age_bands: dict[str, float]
    city_tiers: dict[str, float]
    segments: dict[str, float]
    interests: dict[str, float]
    updated_at: datetime


class McnIn(Input):
    name: Name


class McnUpdate(Input):
    name: Name | None = None


class McnOut(Output):
    id: int
    name: str
    tier: McnTier
    created_at: datetime


class McnTierIn(Input):
    tier: McnTier
    reason: Annotated[str, StringConstraints(max_length=REASON_LENGTH)] = ""


class McnTierChangeOut(Output):
    id: int
    mcn_id: int
    tier: McnTier
    effective_at: datetime
    reason: str


class CreatorIn(Input):
    handle: Handle
    display_name: Name
    platform: Platform = Platform.KUAISHOU
    categories: list[Category] = Field(default_factory=list, max_length=12)
    followers: Count = 0
    region: ShortLabel = ""
    city_tier: CityTier = CityTier.TIER3
    mcn_id: RowId | None = None


class CreatorUpdate(Input):
    display_name: Name | None = None
    categories: list[Category] | None = Field(default=None, max_length=12)
    followers: Count | None = None
    region: ShortLabel | None = None
    city_tier: CityTier | None = None
    mcn_id: RowId | None = None
    verification_status: VerificationStatus | None = None


class CreatorOut(Output):
    id: int
    handle: str
    display_name: str
    platform: Platform
    categories: list[str]
    followers: int
    follower_tier: FollowerTier
    region: str
    city_tier: CityTier
    mcn_id: int | None
    verification_status: VerificationStatus
    created_at: datetime


class BrandIn(Input):
    name: Name
    industry: ShortLabel = ""


class BrandUpdate(Input):
    name: Name | None = None
    industry: ShortLabel | None = None


class BrandOut(Output):
    id: int
    name: str
    industry: str
    created_at: datetime


class ProductIn(Input):
    brand_id: RowId | None = None
    name: Name
    category: Category
    price: Amount
    description: Annotated[str, StringConstraints(max_length=5000)] = ""
    target_persona: PersonaIn = Field(default_factory=PersonaIn)


class ProductUpdate(Input):
    name: Name | None = None
    category: Category | None = None
    price: Amount | None = None
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None
    target_persona: PersonaIn | None = None


class ProductOut(Output):
    id: int
    brand_id: int
    name: str
    category: str
    price: Decimal
    description: str
    target_persona: dict[str, Any]
    created_at: datetime


class CampaignIn(Input):
    brand_id: RowId | None = None
    name: Name
    budget: Amount = Decimal(0)
    status: CampaignStatus = CampaignStatus.DRAFT
    starts_at: Instant | None = None
    ends_at: Instant | None = None

    @model_validator(mode="after")
    def _ordered(self) -> CampaignIn:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValueError("ends_at must not be before starts_at")
        return self


class CampaignUpdate(Input):
    name: Name | None = None
    budget: Amount | None = None
    status: CampaignStatus | None = None
    starts_at: Instant | None = None
    ends_at: Instant | None = None


class CampaignOut(Output):
    id: int
    brand_id: int
    name: str
    budget: Decimal
    status: CampaignStatus
    starts_at: datetime | None
    ends_at: datetime | None
    created_at: datetime


class CollaborationIn(Input):
    campaign_id: RowId
    creator_id: RowId
    product_id: RowId | None = None
    mode: CollaborationMode
    fee: Amount = Decimal(0)
    commission_rate: Annotated[float, Field(ge=0, le=1)] = 0.0
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


class CollaborationUpdate(Input):
    """Terms can change only while the creator has not yet answered the proposal."""

    fee: Amount | None = None
    commission_rate: Annotated[float, Field(ge=0, le=1)] | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class TransitionIn(Input):
    to: CollaborationStatus
    content_url: WebUrl | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class CollaborationOut(Output):
    id: int
    campaign_id: int
    creator_id: int
    product_id: int | None
    mode: CollaborationMode
    fee: Decimal
    commission_rate: float
    status: CollaborationStatus
    content_url: str
    note: str
    created_at: datetime
    updated_at: datetime


class VideoIn(Input):
    creator_id: RowId | None = None
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_LENGTH)]
    script: Annotated[str, StringConstraints(max_length=20000)] = ""
    published_at: Instant
    duration_s: Count = 0
    views: Count = 0
    likes: Count = 0


class VideoUpdate(Input):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_LENGTH)] | None = None
    script: Annotated[str, StringConstraints(max_length=20000)] | None = None
    views: Count | None = None
    likes: Count | None = None


class VideoOut(Output):
    id: int
    creator_id: int
    title: str
    script: str
    published_at: datetime
    duration_s: int
    views: int
    likes: int


class LivestreamIn(Input):
    creator_id: RowId | None = None
    collaboration_id: RowId | None = None
    title: Title = ""
    started_at: Instant
    ended_at: Instant | None = None
    peak_viewers: Count = 0
    unique_viewers: Count = 0
    gmv: Amount = Decimal(0)
    orders: Count = 0
    tips: Amount = Decimal(0)

    @model_validator(mode="after")
    def _ordered(self) -> LivestreamIn:
        if self.ended_at is not None and self.ended_at < self.started_at:
            raise ValueError("ended_at must not be before started_at")
        return self


class LivestreamUpdate(Input):
    title: Title | None = None
    ended_at: Instant | None = None
    peak_viewers: Count | None = None
    unique_viewers: Count | None = None


class LivestreamOut(Output):
    id: int
    creator_id: int
    collaboration_id: int | None
    title: str
    started_at: datetime
    ended_at: datetime | None
    peak_viewers: int
    unique_viewers: int
    gmv: Decimal
    orders: int
    tips: Decimal


class OrderIn(Input):
    product_id: RowId
    creator_id: RowId | None = None
    livestream_id: RowId | None = None
    viewer_id: RowId | None = None
    quantity: Annotated[int, Field(gt=0, le=10_000)] = 1
    amount: Amount
    ordered_at: Instant


class OrderOut(Output):
    id: int
    product_id: int
    creator_id: int | None
    livestream_id: int | None
    viewer_id: int | None
    quantity: int
    amount: Decimal
    ordered_at: datetime


class ViewerIn(Input):
    external_id: Annotated[str, StringConstraints(min_length=1, max_length=EXTERNAL_ID_LENGTH)]
    gender: Gender | None = None
    age_band: AgeBand | None = None
    city_tier: CityTier | None = None
    segment: Segment | None = None


class ViewerOut(Output):
    id: int
    external_id: str
    gender: str
    age_band: str
    city_tier: str
    segment: str


class AuditEntryOut(Output):
    id: int
    at: datetime
    actor_id: int | None
    action: str
    entity: str
    entity_id: str
    detail: dict[str, Any]


class EventIn(Input):
    """One ingested event; `event_id` is the caller's idempotency key."""

    event_id: Annotated[str, StringConstraints(min_length=1, max_length=EVENT_ID_LENGTH)]
    type: EventType
    payload: dict[str, Any]


class EventBatchIn(Input):
    events: list[EventIn] = Field(min_length=1)


class MinuteStatPayload(Input):
    session_id: RowId
    minute_at: Instant
    viewers: Count = 0
    gmv: Amount = Decimal(0)
    orders: Count = 0
    tips: Amount = Decimal(0)
    comments: Count = 0


class BehaviourPayload(Input):
    viewer_external_id: Annotated[str, StringConstraints(min_length=1, max_length=EXTERNAL_ID_LENGTH)]
    creator_id: RowId
    action: ViewerAction
    video_id: RowId | None = None
    livestream_id: RowId | None = None
    value: float = 0.0
    occurred_at: Instant

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("value must be a finite number")
        return value


class EventBatchResult(BaseModel):
    received: int
    stored: int
    duplicates: int
