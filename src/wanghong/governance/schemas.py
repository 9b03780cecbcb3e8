"""Request and response shapes of governance's API: 直播主体 records, operator decisions, the regulator's export."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from wanghong.domain import Category
from wanghong.governance.engine.subjects import DocumentKind, SubjectAction, SubjectKind, SubjectState
from wanghong.kit.paging import page_schema


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: DocumentKind
    number: str = Field(min_length=1, max_length=64)
    valid_from: date
    valid_until: date | None = Field(
        None, description="最后有效日（北京时间）；空 = 长期 / last valid day; empty: no end"
    )
    holder_uscc: str | None = Field(None, max_length=32)
    revoked: bool = False

    @model_validator(mode="after")
    def _term(self) -> DocumentIn:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class SubjectIn(BaseModel):
    """A subject's record as submitted for verification: its state becomes pending until an operator decides."""

    model_config = ConfigDict(extra="forbid")

    kind: SubjectKind
    org_id: int = Field(gt=0, description="品牌、MCN 或达人的 id / the brand's, MCN's or creator's id")
    legal_name: str = Field("", max_length=200)
    uscc: str | None = Field(None, description="统一社会信用代码 (brand, MCN)", max_length=32)
    categories: list[Category] = Field(default_factory=list, description="限制类目 it asks to sell in (brand)")
    documents: list[DocumentIn] = Field(default_factory=list, max_length=20)
    real_name_verified: bool = False
    birth_date: date | None = None
    guardian_consent: bool = False
    id_valid_until: date | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> SubjectIn:
        if self.kind is SubjectKind.CREATOR:
            if self.uscc or self.documents or self.categories:
                raise ValueError("a creator is verified by real name and birth date, not by licences")
        elif self.real_name_verified or self.birth_date or self.guardian_consent or self.id_valid_until:
            raise ValueError("an organisation is verified by its credit code and licences, not by real name")
        return self


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: SubjectAction
    reason: str = Field("", max_length=500, description="驳回、暂停、拉黑必填 / required to reject, suspend, blacklist")


class DocumentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: DocumentKind
    number: str
    valid_from: date
    valid_until: date | None
    holder_uscc: str | None
    revoked: bool


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    action: str
    from_state: SubjectState
    to_state: SubjectState
    reason: str
    actor_id: int | None
    at: datetime
    entry_id: str = Field(description="透明日志条目 / its transparency log entry")


class SubjectOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: SubjectKind
    org_id: int
    state: SubjectState = Field(description="运营的决定 / the operator's decision")
    effective_state: SubjectState = Field(description="按今日证照计算 / the decision as today's documents allow")
    legal_name: str
    uscc: str | None
    categories: list[str]
    real_name_verified: bool
    birth_date: date | None
    guardian_consent: bool
    id_valid_until: date | None
    expires_on: date | None
    reason: str
    problems: list[str] = Field(description="材料问题代码 / what the documents lack today")
    updated_at: datetime


class SubjectDetailOut(SubjectOut):
    documents: list[DocumentOut]
    history: list[EventOut]


SubjectPage = page_schema(SubjectOut)


class ExportOut(BaseModel):
    """The regulator's export: the newest ``limit`` records of each kind, across every tenant."""

    generated_at: datetime
    limit: int
    transparency: dict[str, Any]
    subjects: list[dict[str, Any]]
    subject_events: list[dict[str, Any]]
    violations: list[dict[str, Any]]
    penalties: list[dict[str, Any]]
    appeals: list[dict[str, Any]]
    standings: list[dict[str, Any]]
    truncated: dict[str, bool] = Field(description="该类记录是否多于 limit / whether more records of a kind exist")
