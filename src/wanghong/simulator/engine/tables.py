"""Struct-of-arrays tables of a simulated ecosystem.

Every table is a frozen dataclass of equally long numpy arrays; row `i` of a table has id `i`, and a foreign
key holds the referenced row's index (`-1` where the reference is absent, e.g. an independent creator has
`mcn_id == -1`).  Enumerated columns hold small integer codes into the tuples below, so a column of a million
rows costs a megabyte rather than a million Python strings; `decode()` turns codes back into vocabulary.

Times are int32 seconds since `Ecosystem.period_start`, which keeps event tables compact and makes the whole
ecosystem independent of the wall clock.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from wanghong.domain import (
    AgeBand,
    CampaignStatus,
    Category,
    CityTier,
    CollaborationMode,
    CollaborationStatus,
    FollowerTier,
    Gender,
    McnTier,
    Platform,
    Segment,
    ViewerAction,
)

IntArray = npt.NDArray[np.int32]
BigIntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.int8]
FloatArray = npt.NDArray[np.float64]
StrArray = npt.NDArray[np.str_]

# Code order of each enumerated column; persona matrices use the same column order.
PLATFORMS: tuple[Platform, ...] = tuple(Platform)
FOLLOWER_TIERS: tuple[FollowerTier, ...] = tuple(FollowerTier)
MCN_TIERS: tuple[McnTier, ...] = tuple(McnTier)
CITY_TIERS: tuple[CityTier, ...] = tuple(CityTier)
GENDERS: tuple[Gender, ...] = tuple(Gender)
AGE_BANDS: tuple[AgeBand, ...] = tuple(AgeBand)
SEGMENTS: tuple[Segment, ...] = tuple(Segment)
CATEGORIES: tuple[Category, ...] = tuple(Category)
COLLABORATION_MODES: tuple[CollaborationMode, ...] = tuple(CollaborationMode)
COLLABORATION_STATUSES: tuple[CollaborationStatus, ...] = tuple(CollaborationStatus)
CAMPAIGN_STATUSES: tuple[CampaignStatus, ...] = tuple(CampaignStatus)
VIEWER_ACTIONS: tuple[ViewerAction, ...] = tuple(ViewerAction)

E = TypeVar("E", bound=StrEnum)


def decode(codes: npt.NDArray[np.integer], vocabulary: tuple[E, ...]) -> list[E]:
    """The enum members a code column stands for, in row order."""
    members = np.array(vocabulary, dtype=object)
    return list(members[codes])


def code_of(member: StrEnum, vocabulary: tuple[E, ...]) -> int:
    """The integer code a member is stored as (raises ValueError naming the vocabulary if absent)."""
    for index, candidate in enumerate(vocabulary):
        if candidate == member:
            return index
    raise ValueError(f"{member!r} is not one of {[m.value for m in vocabulary]}")


class _Table:
    """Shared behaviour: row count and a check that all columns are equally long."""

    def __len__(self) -> int:
        first = fields(self)[0]  # type: ignore[arg-type]
        return int(getattr(self, first.name).shape[0])

    def __post_init__(self) -> None:
        lengths = {f.name: getattr(self, f.name).shape[0] for f in fields(self)}  # type: ignore[arg-type]
        if len(set(lengths.values())) > 1:
            raise ValueError(f"{type(self).__name__} columns differ in length: {lengths}")


@dataclass(frozen=True, eq=False)
class Mcns(_Table):
    name: StrArray
    tier: CodeArray  # into MCN_TIERS
    founded_day: IntArray  # days before period start; the MCN's created_at


@dataclass(frozen=True, eq=False)
class Creators(_Table):
    handle: StrArray
    display_name: StrArray
    platform: CodeArray  # into PLATFORMS
    followers: BigIntArray
    follower_tier: CodeArray  # into FOLLOWER_TIERS, always wanghong.domain.follower_tier(followers)
    mcn_id: IntArray  # -1: independent
    primary_segment: CodeArray  # into SEGMENTS
    secondary_segment: CodeArray
    primary_category: CodeArray  # into CATEGORIES
    secondary_category: CodeArray
    city_tier: CodeArray  # into CITY_TIERS, where the creator is based
    region: StrArray
    joined_day: IntArray  # days before period start


@dataclass(frozen=True, eq=False)
class Personas(_Table):
    """One fan persona per creator (row i belongs to creator i); every row of every matrix sums to 1."""

    gender: FloatArray  # (n, len(GENDERS))
    age_band: FloatArray  # (n, len(AGE_BANDS))
    city_tier: FloatArray  # (n, len(CITY_TIERS))
    segment: FloatArray  # (n, len(SEGMENTS))
    interest: FloatArray  # (n, len(CATEGORIES))


@dataclass(frozen=True, eq=False)
class Brands(_Table):
    name: StrArray
    category: CodeArray  # into CATEGORIES; the brand's industry


@dataclass(frozen=True, eq=False)
class Products(_Table):
    brand_id: IntArray
    name: StrArray
    category: CodeArray
    price: FloatArray  # yuan


@dataclass(frozen=True, eq=False)
class Campaigns(_Table):
    brand_id: IntArray
    name: StrArray
    mode: CodeArray  # into COLLABORATION_MODES
    status: CodeArray  # into CAMPAIGN_STATUSES
    starts_at: IntArray
    ends_at: IntArray
    budget: FloatArray  # yuan; the fees the brand set aside, at least what its collaborations agreed


@dataclass(frozen=True, eq=False)
class Collaborations(_Table):
    campaign_id: IntArray
    creator_id: IntArray
    product_id: IntArray
    mode: CodeArray  # into COLLABORATION_MODES
    status: CodeArray  # into COLLABORATION_STATUSES
    fee: FloatArray  # yuan, agreed fixed fee (坑位费/广告费); paid when the collaboration is settled
    commission_rate: FloatArray  # creator's share of the GMV the collaboration sells
    created_at: IntArray
    live_at: IntArray  # when its content went live; -1 if it never did


@dataclass(frozen=True, eq=False)
class Videos(_Table):
    creator_id: IntArray
    collaboration_id: IntArray  # -1: organic content
    category: CodeArray
    published_at: IntArray
    duration_s: IntArray
    views: BigIntArray
    likes: BigIntArray


@dataclass(frozen=True, eq=False)
class Livestreams(_Table):
    """Sessions; the money columns are sums of the tip and order rows, kept for cheap reads."""

    creator_id: IntArray
    collaboration_id: IntArray  # -1: a show without a commerce slot
    started_at: IntArray
    duration_min: IntArray
    peak_viewers: IntArray
    unique_viewers: IntArray
    tips: FloatArray
    gmv: FloatArray
    orders: IntArray


@dataclass(frozen=True, eq=False)
class LivestreamTips(_Table):
    """One row per viewer gift batch (打赏) in a session: the raw record tipping income is summed from."""

    livestream_id: IntArray
    viewer_id: IntArray
    at: IntArray
    amount: FloatArray  # yuan paid by the viewer, before the platform's share


@dataclass(frozen=True, eq=False)
class LivestreamMinuteStats(_Table):
    """Per-session time buckets of `SimulationConfig.minute_stat_interval` minutes."""

    livestream_id: IntArray
    minute_at: IntArray  # start of the bucket
    viewers: IntArray  # online viewers at the bucket start
    tips: FloatArray
    gmv: FloatArray
    orders: IntArray
    comments: IntArray


@dataclass(frozen=True, eq=False)
class Orders(_Table):
    viewer_id: IntArray
    creator_id: IntArray
    product_id: IntArray
    collaboration_id: IntArray  # the deal that sets the creator's commission
    livestream_id: IntArray  # -1: sold from a short video
    video_id: IntArray  # -1: sold in a livestream
    ordered_at: IntArray
    quantity: IntArray
    amount: FloatArray  # yuan


@dataclass(frozen=True, eq=False)
class Viewers(_Table):
    home_creator_id: IntArray  # the creator whose fan base the viewer was drawn from
    gender: CodeArray
    age_band: CodeArray
    city_tier: CodeArray
    segment: CodeArray


@dataclass(frozen=True, eq=False)
class BehaviourEvents(_Table):
    viewer_id: IntArray
    creator_id: IntArray
    video_id: IntArray  # -1 unless the action was on a video
    livestream_id: IntArray  # -1 unless the action was in a livestream
    action: CodeArray  # into VIEWER_ACTIONS
    value: FloatArray  # yuan for tips, 0 otherwise
    at: IntArray


@dataclass(frozen=True, eq=False)
class Ecosystem:
    """A whole simulated platform for one seed: every table plus the period it covers."""

    seed: int
    period_start: datetime  # timezone-aware, midnight China Standard Time
    days: int
    mcns: Mcns
    creators: Creators
    personas: Personas
    brands: Brands
    products: Products
    campaigns: Campaigns
    collaborations: Collaborations
    videos: Videos
    livestreams: Livestreams
    livestream_tips: LivestreamTips
    minute_stats: LivestreamMinuteStats
    orders: Orders
    viewers: Viewers
    behaviour_events: BehaviourEvents

    @property
    def period_end(self) -> datetime:
        return self.period_start + timedelta(days=self.days)

    @property
    def reference_date(self) -> date:
        """The last day of the simulated period."""
        return (self.period_end - timedelta(days=1)).date()

    def at(self, seconds: int) -> datetime:
        """The moment `seconds` after the period start."""
        return self.period_start + timedelta(seconds=int(seconds))

    def row_counts(self) -> dict[str, int]:
        return {f.name: len(getattr(self, f.name)) for f in fields(self) if isinstance(getattr(self, f.name), _Table)}
