"""What the compliance API takes and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints, model_validator

from wanghong.domain import (
    AppealStatus,
    Decision,
    PenaltyKind,
    PenaltyStatus,
    ReviewStatus,
    Severity,
    Verdict,
    ViolationStatus,
)
from wanghong.kit.schemas import Input, Output, decision_words

MAX_TEXT = 20_000
_PENALTY_RANK = {PenaltyKind.WARNING: 0, PenaltyKind.TRAFFIC_LIMIT: 1, PenaltyKind.SUSPENSION: 2}


class LibraryEntryIn(Input):
    """One library entry, as in ``library.json``; the engine validates it (ids look like ``ABS-001``)."""

    id: str
    term: str
    category: str
    severity: str
    article: str
    explanation: str
    exceptions: list[str] | None = None
    phonetic: bool | None = None
    pattern: str | None = None
    triggers: list[str] | None = None
    examples: list[str] | None = None
    change_summary: str = Field("", max_length=500)


class LibraryEntryPatch(Input):
    """Fields of a library entry to change; ``id`` never changes."""

    term: str | None = None
    category: str | None = None
    severity: str | None = None
    article: str | None = None
    explanation: str | None = None
    exceptions: list[str] | None = None
    phonetic: bool | None = None
    pattern: str | None = None
    triggers: list[str] | None = None
    examples: list[str] | None = None
    change_summary: Annotated[str, StringConstraints(max_length=500)] = ""


class PolicyStep(Input):
    min_points: int = Field(ge=1, le=10_000)
    kind: PenaltyKind
    days: int = Field(ge=0, le=3650, description="0 = no end (a warning stays on record)")


class PolicyIn(Input):
    window_days: int = Field(ge=1, le=3650)
    points: dict[Severity, int] = Field(description="points a confirmed violation of each severity adds")
    steps: list[PolicyStep] = Field(min_length=1, max_length=10)

    @model_validator(mode="after")
    def _escalates(self) -> PolicyIn:
        missing = [s.value for s in Severity if s not in self.points]
        if missing:
            raise ValueError(f"points needs a value for every severity; missing {missing}")
        if any(v < 0 or v > 1000 for v in self.points.values()):
            raise ValueError("points must be between 0 and 1000")
        thresholds = [s.min_points for s in self.steps]
        ranks = [_PENALTY_RANK[s.kind] for s in self.steps]
        if thresholds != sorted(set(thresholds)) or ranks != sorted(ranks):
            raise ValueError("steps must escalate: strictly rising min_points, warning → traffic_limit → suspension")
        return self


# Older clients name a decision by the status it leads to; those words stay accepted beside uphold / dismiss.
REVIEW_DECISION_WORDS = {ReviewStatus.CONFIRMED.value: Decision.UPHOLD, ReviewStatus.OVERTURNED.value: Decision.DISMISS}
APPEAL_DECISION_WORDS = {AppealStatus.ACCEPTED.value: Decision.UPHOLD, AppealStatus.REJECTED.value: Decision.DISMISS}


class ReviewDecisionIn(Input):
    """Does the AI's flag stand? uphold (the text violates: confirmed) or dismiss (it does not: overturned)."""

    decision: Annotated[Decision, decision_words(REVIEW_DECISION_WORDS)]
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


class AppealIn(Input):
    penalty_id: int | None = None
    violation_id: int | None = None
    reason: Annotated[str, StringConstraints(min_length=1, max_length=5000, strip_whitespace=True)]

    @model_validator(mode="after")
    def _one_subject(self) -> AppealIn:
        if self.penalty_id is None and self.violation_id is None:
            raise ValueError("name the penalty_id or the violation_id you appeal against")
        return self


class AppealDecisionIn(Input):
    """Does the appeal stand? uphold (accepted: its penalties are lifted) or dismiss (rejected)."""

    decision: Annotated[Decision, decision_words(APPEAL_DECISION_WORDS)]
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


class LibraryVersionOut(Output):
    version: int
    change_summary: str
    created_by_id: int | None
    created_at: datetime


class LibraryOut(BaseModel):
    version: int
    name: str
    created_at: datetime
    change_summary: str
    entry_count: int
    exceptions: list[str]
    entries: list[dict[str, Any]]


class LibraryChangeOut(BaseModel):
    version: int
    entry: dict[str, Any] | None


class PenaltyOut(Output):
    id: int
    creator_id: int
    violation_id: int | None
    kind: PenaltyKind
    status: PenaltyStatus
    points: int
    reason: str
    starts_at: datetime
    ends_at: datetime | None
    lifted_at: datetime | None
    created_at: datetime


class AppealOut(Output):
    id: int
    creator_id: int
    penalty_id: int | None
    violation_id: int | None
    filed_by_id: int | None
    reason: str
    status: AppealStatus
    decided_by_id: int | None
    decided_at: datetime | None
    decision_note: str
    created_at: datetime


class ModelRunOut(Output):
    id: int
    examples: int
    metrics: dict[str, Any]
    created_at: datetime


class PrecisionRowOut(BaseModel):
    key: str
    confirmed: int
    decided: int
    precision: float | None


class PrecisionOut(BaseModel):
    pending: int
    by_verdict: list[PrecisionRowOut]
    by_category: list[PrecisionRowOut]
    by_day: list[dict[str, Any]]


class ViolationIn(Input):
    creator_id: int
    subject_type: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    subject_id: int | None = None
    category: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    severity: Severity
    description: Annotated[str, StringConstraints(max_length=5000)] = ""


class ViolationUpdate(Input):
    status: ViolationStatus | None = None
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None


class ViolationOut(Output):
    id: int
    creator_id: int
    subject_type: str
    subject_id: int | None
    category: str
    severity: Severity
    description: str
    status: ViolationStatus
    created_at: datetime


class ReviewTaskIn(Input):
    subject_type: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    subject_id: int | None = None
    creator_id: int | None = None
    text: Annotated[str, StringConstraints(max_length=20000)] = ""
    ai_verdict: Verdict
    ai_score: Annotated[float, Field(ge=0, le=1)] = 0.0
    priority: Annotated[int, Field(ge=0, le=100)] = 0
    due_at: AwareDatetime | None = None


class ReviewTaskOut(Output):
    id: int
    subject_type: str
    subject_id: int | None
    creator_id: int | None
    text: str
    ai_verdict: Verdict
    ai_score: float
    priority: int
    due_at: datetime | None
    status: ReviewStatus
    decided_by_id: int | None
    decided_at: datetime | None
    decision_note: str
    created_at: datetime
