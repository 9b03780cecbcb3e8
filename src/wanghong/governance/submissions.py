"""A tenant's own 直播主体 record: a brand, an MCN or a creator submits its verification documents from its
workspace and reads where they stand — the operator's decision, what the documents allow today, each document's
term (in force, ending soon, expired) and what it may sell in the restricted categories.

Submitting goes through ``subjects.submit`` (the same transition, history, audit and log entry as the API); this
module only knows whose record a signed-in tenant speaks for and how its form reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.domain import Category, Role
from wanghong.governance import gate, subjects
from wanghong.governance.engine import subjects as rules
from wanghong.governance.engine.subjects import DocumentKind, SubjectKind, SubjectState
from wanghong.governance.models import GovernanceSubject, SubjectDocument, SubjectEvent
from wanghong.governance.schemas import DocumentIn, SubjectIn
from wanghong.kit.errors import Forbidden, InvalidInput

ENDING_SOON = timedelta(days=30)

# The qualifications a brand may file, per restricted category (the engine's REQUIRED, in the order shown).
QUALIFICATIONS: tuple[DocumentKind, ...] = (
    DocumentKind.FOOD_PRODUCTION_LICENCE,
    DocumentKind.FOOD_BUSINESS_LICENCE,
    DocumentKind.COSMETICS_FILING,
    DocumentKind.SPECIAL_COSMETICS_REGISTRATION,
    DocumentKind.HEALTH_FOOD_REGISTRATION,
    DocumentKind.MEDICAL_DEVICE_REGISTRATION,
)
RESTRICTED_CATEGORIES: tuple[Category, ...] = tuple(c for c in Category if c in rules.RESTRICTED)
_OWN_KIND = {
    Role.BRAND_MANAGER: SubjectKind.BRAND,
    Role.MCN_MANAGER: SubjectKind.MCN,
    Role.CREATOR: SubjectKind.CREATOR,
}


class Term(StrEnum):
    """Where one document's term stands today."""

    IN_FORCE = "in_force"
    ENDING_SOON = "ending_soon"  # in force, ends within ENDING_SOON
    EXPIRED = "expired"
    NOT_YET = "not_yet"
    REVOKED = "revoked"


def term_of(document: SubjectDocument | rules.Document, on: date) -> Term:
    if document.revoked:
        return Term.REVOKED
    if document.valid_from > on:
        return Term.NOT_YET
    if document.valid_until is not None and document.valid_until < on:
        return Term.EXPIRED
    if document.valid_until is not None and document.valid_until < on + ENDING_SOON:
        return Term.ENDING_SOON
    return Term.IN_FORCE


@dataclass(frozen=True)
class DocumentLine:
    document: SubjectDocument
    term: Term


@dataclass(frozen=True)
class CategoryLine:
    category: Category
    asked: bool
    decision: rules.Decision


@dataclass(frozen=True)
class OwnRecord:
    kind: SubjectKind
    org_id: int
    name: str
    subject: GovernanceSubject | None
    stored: SubjectState
    today_state: SubjectState
    problems: tuple[rules.Problem, ...]
    documents: tuple[DocumentLine, ...]
    categories: tuple[CategoryLine, ...]
    history: tuple[SubjectEvent, ...]

    @property
    def may_submit(self) -> bool:
        """A pending record waits for the operator; a sanctioned one is lifted by the operator, not resubmitted."""
        return self.stored not in (SubjectState.PENDING, SubjectState.SUSPENDED)


def own_organisation(principal: Principal) -> tuple[SubjectKind, int]:
    """The brand, MCN or creator a signed-in tenant speaks for; everyone else has no record of its own."""
    kind = _OWN_KIND.get(principal.role)
    org_id = {
        SubjectKind.BRAND: principal.brand_id,
        SubjectKind.MCN: principal.mcn_id,
        SubjectKind.CREATOR: principal.creator_id,
        None: None,
    }[kind]
    if kind is None or org_id is None:
        raise Forbidden(
            "只有品牌、MCN 和达人提交自己的认证材料 / only a brand, an MCN or a creator submits its own documents"
        )
    return kind, org_id


def own_record(session: Session, principal: Principal) -> OwnRecord:
    kind, org_id = own_organisation(principal)
    row = subjects.find(session, kind, org_id)
    on = subjects.today()
    verification = subjects.verification_of(row, on) if row is not None else None
    stored = row.state if row is not None else SubjectState.UNVERIFIED
    asked = set(row.categories) if row is not None else set()
    categories: tuple[CategoryLine, ...] = ()
    if kind is SubjectKind.BRAND:
        categories = tuple(
            CategoryLine(c, c.value in asked, gate.sale_decision(session, org_id, c)) for c in RESTRICTED_CATEGORIES
        )
    return OwnRecord(
        kind=kind,
        org_id=org_id,
        name=subjects.org_name(session, kind, org_id),
        subject=row,
        stored=stored,
        today_state=rules.effective_state(stored, verification) if verification else stored,
        problems=verification.problems if verification else (),
        documents=tuple(DocumentLine(d, term_of(d, on)) for d in row.documents) if row is not None else (),
        categories=categories,
        history=tuple(subjects.history(session, row.id)) if row is not None else (),
    )


# ------------------------------------------------------------------------------------------------- the form


def _day(raw: str, field: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{field}: 日期格式应为 YYYY-MM-DD / a date is written YYYY-MM-DD") from None


@dataclass(frozen=True)
class DocumentForm:
    kind: DocumentKind
    number: str
    valid_from: str
    valid_until: str


def _document(form: DocumentForm) -> DocumentIn | None:
    number = form.number.strip()
    if not number:
        return None
    start = _day(form.valid_from, f"{form.kind.value}.valid_from")
    if start is None:
        raise InvalidInput(f"{form.kind.value}: 请填写生效日期 / the first valid day is required")
    return DocumentIn(
        kind=form.kind, number=number, valid_from=start, valid_until=_day(form.valid_until, f"{form.kind.value}.until")
    )


@dataclass(frozen=True)
class SubmissionForm:
    """What the workspace form posts (strings as typed); :func:`submit_own` reads it into a ``SubjectIn``."""

    legal_name: str = ""
    uscc: str = ""
    categories: tuple[str, ...] = ()
    documents: tuple[DocumentForm, ...] = ()
    id_number: str = ""
    id_valid_until: str = ""
    guardian_consent: bool = False


def submit_own(session: Session, principal: Principal, form: SubmissionForm) -> GovernanceSubject:
    """The tenant's own record submitted for review: it becomes pending until an operator decides."""
    kind, org_id = own_organisation(principal)
    if kind is SubjectKind.CREATOR:
        if not form.id_number.strip():
            raise InvalidInput("请填写居民身份证号码 / the ID number is required")
        data = SubjectIn(
            kind=kind,
            org_id=org_id,
            id_number=form.id_number,
            id_valid_until=_day(form.id_valid_until, "id_valid_until"),
            guardian_consent=form.guardian_consent,
        )
    else:
        if not form.uscc.strip():
            raise InvalidInput("请填写统一社会信用代码 / the unified social credit code is required")
        unknown = sorted(set(form.categories) - {c.value for c in RESTRICTED_CATEGORIES})
        if unknown:
            raise InvalidInput(f"unknown restricted categories: {', '.join(unknown)}")
        documents = [d for d in (_document(f) for f in form.documents) if d is not None]
        if kind is SubjectKind.MCN and any(d.kind is not DocumentKind.BUSINESS_LICENCE for d in documents):
            raise InvalidInput("MCN 机构只需提交营业执照 / an MCN files its business licence only")
        data = SubjectIn(
            kind=kind,
            org_id=org_id,
            legal_name=form.legal_name.strip(),
            uscc=form.uscc,
            categories=[Category(c) for c in form.categories] if kind is SubjectKind.BRAND else [],
            documents=documents,
        )
    return subjects.submit(session, principal, data)
