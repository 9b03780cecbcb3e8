"""Request and response shapes of governance's API: 直播主体 records, operator decisions, the regulator's export."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from wanghong.domain import Category, Severity
from wanghong.governance.engine.subjects import DocumentKind, SubjectAction, SubjectKind, SubjectState
from wanghong.governance.models import FindingKind
from wanghong.kit.paging import page_schema
from wanghong.kit.schemas import Count, Input, Instant, RowId


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: DocumentKind
    number: str = Field(min_length=1, max_length=64)
    valid_from: date
    valid_until: date | None = Field(
        default=None, description="最后有效日（北京时间）；空 = 长期 / last valid day; empty: no end"
    )
    holder_uscc: str | None = Field(default=None, max_length=32)
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
    legal_name: str = Field(default="", max_length=200)
    uscc: str | None = Field(default=None, description="统一社会信用代码 (brand, MCN)", max_length=32)
    categories: list[Category] = Field(default_factory=list, description="限制类目 it asks to sell in (brand)")
    documents: list[DocumentIn] = Field(default_factory=list, max_length=20)
    real_name_verified: bool = Field(
        default=False,
        description="实名已核验：租户提交时由 id_number 校验得出；运营可当面核验后直接设定 / set from id_number when "
        "a tenant submits; an operator may set it after checking the document in person",
    )
    id_number: str | None = Field(
        default=None,
        max_length=32,
        description="居民身份证号码 (creator): checked by its GB 11643 check character, stored masked only",
    )
    birth_date: date | None = Field(default=None, description="默认取自身份证号码 / taken from id_number when absent")
    guardian_consent: bool = False
    id_valid_until: date | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> SubjectIn:
        if self.kind is SubjectKind.CREATOR:
            if self.uscc or self.documents or self.categories:
                raise ValueError("a creator is verified by real name and birth date, not by licences")
        elif (
            self.real_name_verified or self.birth_date or self.guardian_consent or self.id_valid_until or self.id_number
        ):
            raise ValueError("an organisation is verified by its credit code and licences, not by real name")
        return self


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: SubjectAction
    reason: str = Field(
        default="", max_length=500, description="驳回、暂停、拉黑必填 / required to reject, suspend, blacklist"
    )


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
    id_number_masked: str | None
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
    monitoring_findings: list[dict[str, Any]] = Field(description="商品监测发现 / product monitoring findings")
    standings: list[dict[str, Any]]
    truncated: dict[str, bool] = Field(description="该类记录是否多于 limit / whether more records of a kind exist")


# ------------------------------------------------------------------------------------------------- 商品监测

MAX_SPEECH = 5000


class PricePointOut(BaseModel):
    at: datetime
    fen: int = Field(description="价格（分）/ price in fen")
    kind: str = Field(description="listed（标价）or sold（成交）")
    channel: str = Field(description="self：本店；其他：外部渠道 / another shop or platform")


class PriceHistoryOut(BaseModel):
    product_id: int
    name: str
    listed: list[PricePointOut]
    sold: list[PricePointOut]
    elsewhere: list[PricePointOut]


class ObservationIn(Input):
    external_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field(
        description="观测记录的编号，重试只记一次 / the observation's own id: a retry stores it once"
    )
    product_id: RowId
    channel: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field(
        description="外部渠道名（非 self）/ the other shop or platform"
    )
    price: Decimal = Field(ge=0, max_digits=14, decimal_places=2, description="观测到的售价（元）/ price seen (元)")
    observed_at: Instant


class ObservationBatchIn(Input):
    observations: list[ObservationIn] = Field(min_length=1, max_length=500)


class BatchOut(BaseModel):
    received: int
    stored: int
    duplicates: int


class SegmentIn(Input):
    seq: Count = Field(description="本场内的序号，重试只记一次 / order within the livestream: a retry stores it once")
    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_SPEECH)]
    said_at: Instant
    product_id: RowId | None = Field(
        default=None, description="讲解的商品；默认本场合作的商品 / default: the session's product"
    )


class SpeechIn(Input):
    segments: list[SegmentIn] = Field(min_length=1, max_length=200)


class FindingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: FindingKind
    product_id: int
    brand_id: int
    creator_id: int | None
    livestream_id: int | None
    segment_id: int | None
    severity: Severity
    claim: str
    listed: str
    reason: str
    evidence: dict[str, Any]
    review_task_id: int | None
    detected_at: datetime
    outcome: str = Field(default="open", description="open（未达阈值）, in_review, confirmed, dismissed")


FindingPage = page_schema(FindingOut)


class SpeechOut(BatchOut):
    findings: list[FindingOut]


class ScanOut(BaseModel):
    price_cuts: int
    segments: int
    findings: int


class CriterionOut(BaseModel):
    code: str
    title: str
    basis: str
    required: bool
    met: bool


class RoomOut(BaseModel):
    creator_id: int
    name: str
    sessions: int
    last_live: datetime
    green: bool
    score: float = Field(description="计分项得分占比 / share of the scored criteria's weight met")
    reason: str
    credit_score: float
    credit_colour: str
    criteria: list[CriterionOut]
    unmeasured: list[str] = Field(description="平台无数据、未计入的标准 / criteria without data, not evaluated")


RoomPage = page_schema(RoomOut)
