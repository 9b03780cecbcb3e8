"""Request and response shapes of the MCN 后台 API: roster, signing requests and their decisions, the agency tier."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator

from wanghong.agency.models import SigningKind, SigningStatus
from wanghong.domain import FollowerTier, McnTier
from wanghong.kit.schemas import Input, Output


class SigningIn(Input):
    """An agency's offer of a contract to a creator not yet signed with any agency; name it by id or handle."""

    creator_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="the creator to sign")
    handle: str | None = Field(default=None, min_length=1, max_length=64, description="or the creator's handle")
    share_rate: float = Field(
        ge=0,
        le=1,
        description="the agency's share of the creator's earnings after the platform's service fee, 0–1 (0.3 = 30%;"
        " kept to four decimals)",
    )
    term_months: int = Field(default=12, ge=1, le=120, description="the contract's term in months")
    message: str = Field(default="", max_length=500, description="a word to the creator")

    @model_validator(mode="after")
    def _names_one_creator(self) -> SigningIn:
        if (self.creator_id is None) == (self.handle is None):
            raise ValueError("name the creator by creator_id or by handle (one of them)")
        # A percentage with two decimals is as fine as a contract goes; settlement reads it back exactly.
        self.share_rate = round(self.share_rate, 4)
        return self


class ReleaseIn(Input):
    """An agency's request to end its contract with a creator on its roster."""

    creator_id: int = Field(ge=1, le=2**31 - 1)
    message: str = Field(default="", max_length=500, description="why, in a word to the creator")


class DecisionIn(Input):
    decision: Literal["confirm", "decline", "withdraw"] = Field(
        description="confirm or decline (the creator), withdraw (the agency, while the request is pending)"
    )
    note: str = Field(default="", max_length=500, description="the reason, shown to the other side")


class SigningOut(Output):
    id: int
    kind: SigningKind = Field(description="sign 签约 or release 解约")
    status: SigningStatus
    mcn_id: int
    creator_id: int
    share_rate: float = Field(description="the agency's share, 0–1")
    term_months: int
    contract_id: int | None = Field(description="for a release: the contract it ends")
    message: str
    decision_note: str
    created_at: datetime
    decided_at: datetime | None
    starts_at: datetime | None = Field(description="a confirmed contract's start")
    ends_at: datetime | None = Field(description="a confirmed contract's term end")
    released_at: datetime | None = Field(description="when a confirmed release ended the contract")


class RosterCreatorOut(Output):
    creator_id: int
    handle: str
    display_name: str
    followers: int
    follower_tier: FollowerTier
    share_rate: float | None = Field(description="the share of the contract in force; null: none on record")
    contract_id: int | None
    contract_ends_at: datetime | None
    open_offers: int = Field(description="collaborations waiting for the creator's answer")
    earned: str = Field(description="yuan earned: receivable plus paid out")
    commission_pending: str = Field(description="yuan of commission held through the return window")
    release_pending: bool
    board_url: str = Field(description="the creator's collaboration board")


class RosterOut(Output):
    mcn_id: int
    items: list[RosterCreatorOut]


class TierGrantOut(Output):
    tier: McnTier
    traffic_pack: int = Field(description="专属流量包: extra exposures a month")
    exposure_boost: float = Field(description="the largest exposure boost for one creator, 0–1")
    service_fee_discount: float = Field(description="off the platform's service fee, 0–1")
    brand_priority_hours: int = Field(description="品牌优先合作权: hours of first look at brands' new offers")
    account_manager: bool


class TierChangeOut(Output):
    tier: McnTier
    effective_at: datetime
    reason: str


class SplitOut(Output):
    creator_id: int
    display_name: str
    share_rate: float | None
    contract_id: int | None
    share_earned: str = Field(description="yuan of the agency's share earned from this creator")


class AgencyTierOut(Output):
    mcn_id: int
    name: str
    tier: McnTier
    grant: TierGrantOut
    grants: list[TierGrantOut] = Field(description="what every tier grants")
    history: list[TierChangeOut] = Field(description="newest first")
    split: list[SplitOut]
    share_total: str = Field(description="yuan in the agency's share account")
