"""原创申诉 schemas: what the claims API reads and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, computed_field

from wanghong.domain import ClaimStatus, Decision
from wanghong.kit.schemas import decision_words

# The reviewer's older verbs, still accepted beside uphold / dismiss; the claim's status records the outcome.
CLAIM_DECISION_WORDS = {"confirm": Decision.UPHOLD, "reject": Decision.DISMISS}


class ClaimIn(BaseModel):
    original_video_id: StrictInt = Field(description="your video (videos.id) that was copied")
    copy_video_id: StrictInt = Field(description="the other creator's video (videos.id) that copies it")
    reason: str = Field("", max_length=2000, description="what was copied, in your words")


class DecisionIn(BaseModel):
    """Does the claim stand? uphold (the video copies the original: confirmed) or dismiss (rejected)."""

    decision: Annotated[Decision, decision_words(CLAIM_DECISION_WORDS)]
    note: str = Field("", max_length=2000)


class ClaimOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: ClaimStatus
    claimant_creator_id: int
    accused_creator_id: int
    original_video_id: int
    copy_video_id: int
    reason: str
    similarity: float
    evidence: dict[str, Any] = Field(
        description="the engine's findings at filing time and the evidence-log entries that fix them"
    )
    violation_id: int | None
    decided_by_id: int | None
    decided_at: datetime | None
    decision_note: str
    created_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status_label(self) -> str:
        return self.status.label
