"""The request and response bodies of the fair-traffic API that are not the service's own records.

Responses that are exactly a service record (``FeedSettings``, ``Placement``, ``GiniPoint``) are served as that
dataclass, so a field added there reaches the API without a second definition to keep in step.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StrictInt, StrictStr, field_validator

from wanghong.domain import FollowerTier
from wanghong.traffic.engine.types import TierSharesTooLarge, check_tier_share_total
from wanghong.traffic.service import MAX_CANDIDATES, MAX_SLATE_SIZE, Placement

# JSON has no NaN, but Python's parser accepts the NaN/Infinity literals: refuse them explicitly,
# and refuse numbers sent as strings rather than guessing.
Score = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False, strict=True)]


class CandidateIn(BaseModel):
    item_id: StrictInt | Annotated[StrictStr, Field(min_length=1, max_length=128)]
    creator_id: StrictInt = Field(description="creators.id of the item's creator")
    score: Score = Field(description="the ranker's predicted engagement; higher is better")


class AllocateIn(BaseModel):
    viewer_id: StrictInt | Annotated[StrictStr, Field(max_length=128)] = Field(
        description="echoed back for the caller's logs; personalisation is already in the scores"
    )
    candidates: list[CandidateIn] = Field(min_length=1, max_length=MAX_CANDIDATES)
    k: StrictInt = Field(10, ge=1, le=MAX_SLATE_SIZE, description="slate size")


class AllocateOut(BaseModel):
    viewer_id: int | str
    k: int
    slate: list[Placement]
    measured_gini: float = Field(description="windowed exposure Gini at the allocator's last controller refresh")
    target_gini: float


class SettingsIn(BaseModel):
    target_gini: float = Field(ge=0.0, le=1.0, allow_inf_nan=False, strict=True)
    min_tier_share: dict[FollowerTier, Share] = Field(
        default_factory=dict, description="follower tier -> minimum share of windowed exposure; total ≤ 1"
    )

    @field_validator("min_tier_share")
    @classmethod
    def _total_at_most_one(cls, value: dict[FollowerTier, float]) -> dict[FollowerTier, float]:
        try:
            check_tier_share_total(value.values())
        except TierSharesTooLarge as exc:
            raise ValueError(f"the tier shares add up to {exc.total:.3f}; they must total at most 1") from None
        return value
