"""直播主体 use cases: a subject's record submitted for verification, the operator's decisions on it (verify,
reject, suspend, blacklist, reinstate), and the reads that answer "may this subject sell, take or host a deal?".

Every decision is one transaction: the state moves by a conditional UPDATE on the state that was checked (of two
operators deciding at once, one wins and the other gets a 409), its history row, its audit entry and its
transparency log entry (``transparency.append``, sealed at the same commit) are written together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.models import Brand, Creator, Mcn
from wanghong.domain import Category, Role
from wanghong.governance import transparency
from wanghong.governance.engine import subjects as rules
from wanghong.governance.engine.idcard import check_id_number
from wanghong.governance.engine.idcard import mask as mask_id_number
from wanghong.governance.engine.subjects import SubjectAction, SubjectKind, SubjectState
from wanghong.governance.engine.uscc import check_uscc
from wanghong.governance.models import GovernanceSubject, SubjectDocument, SubjectEvent
from wanghong.governance.schemas import DecisionIn, SubjectIn
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.base import Base, utcnow
from wanghong.kit.db.session import insert_once, update_if
from wanghong.kit.errors import Conflict, InvalidInput
from wanghong.kit.paging import Page, keyed_page, paginate

SUBJECT_SUBMIT = "governance_subject.submit"
SUBJECT_DECIDE = "governance_subject.decide"
LOG_KIND = "subject_verification"
EXPIRING_WITHIN = timedelta(days=30)

# Each kind's own table and the column a person reads it by.
ORG_MODELS: dict[SubjectKind, type[Brand] | type[Mcn] | type[Creator]] = {
    SubjectKind.BRAND: Brand,
    SubjectKind.MCN: Mcn,
    SubjectKind.CREATOR: Creator,
}


def today() -> date:
    """Document terms run in Beijing days."""
    return rules.beijing_date(utcnow())


# ------------------------------------------------------------------------------------------------------- reads


def documents_of(row: GovernanceSubject) -> list[rules.Document]:
    return [
        rules.Document(d.kind, d.number, d.valid_from, d.valid_until, d.holder_uscc, d.revoked) for d in row.documents
    ]


def _categories(raw: list[str]) -> list[Category]:
    return [Category(c) for c in raw if c in Category._value2member_map_]


def verification_of(row: GovernanceSubject, on: date | None = None) -> rules.Verification:
    """What the subject's documents allow on ``on`` (today in Beijing by default)."""
    on = on or today()
    if row.kind is SubjectKind.CREATOR:
        person = rules.Creator(row.real_name_verified, row.birth_date, row.guardian_consent, row.id_valid_until)
        return rules.verify_creator(person, on=on)
    return rules.verify_organisation(row.uscc or "", documents_of(row), on=on, categories=_categories(row.categories))


def effective(row: GovernanceSubject | None, on: date | None = None) -> SubjectState:
    if row is None:
        return SubjectState.UNVERIFIED
    return rules.effective_state(row.state, verification_of(row, on))


def find(session: Session, kind: SubjectKind, org_id: int) -> GovernanceSubject | None:
    return session.scalar(
        select(GovernanceSubject).where(GovernanceSubject.kind == kind, GovernanceSubject.org_id == org_id)
    )


def state_of(session: Session, kind: SubjectKind, org_id: int) -> SubjectState:
    """The stored decision (unverified when the subject has no record)."""
    stored = session.scalar(
        select(GovernanceSubject.state).where(GovernanceSubject.kind == kind, GovernanceSubject.org_id == org_id)
    )
    return stored or SubjectState.UNVERIFIED


def get_subject(session: Session, principal: Principal, subject_id: int) -> GovernanceSubject:
    return access.get_visible(session, GovernanceSubject, subject_id, principal)


def history(session: Session, subject_id: int) -> list[SubjectEvent]:
    """Newest first; the caller has already read the subject through its scope."""
    return list(
        session.scalars(
            select(SubjectEvent).where(SubjectEvent.subject_id == subject_id).order_by(SubjectEvent.id.desc())
        )
    )


def list_subjects(
    session: Session,
    principal: Principal,
    *,
    kind: SubjectKind | None = None,
    state: SubjectState | None = None,
    q: str = "",
    limit: int = 50,
    cursor: str | None = None,
) -> Page[GovernanceSubject]:
    """Subjects on record that the principal may read, newest first (the regulator and operators: all)."""
    query = access.visible_rows(GovernanceSubject, principal)
    if kind is not None:
        query = query.where(GovernanceSubject.kind == kind)
    if state is not None:
        query = query.where(GovernanceSubject.state == state)
    if q.strip():
        like = f"%{q.strip()}%"
        query = query.where(or_(GovernanceSubject.legal_name.ilike(like), GovernanceSubject.uscc.ilike(like)))
    return paginate(session, query, limit, cursor, newest_first=True)


@dataclass(frozen=True)
class DirectoryLine:
    """One brand, MCN or creator in 主体管理, with its record when it has one."""

    kind: SubjectKind
    org_id: int
    name: str
    subject: GovernanceSubject | None
    state: SubjectState  # effective today
    problems: tuple[rules.Problem, ...]
    actions: tuple[SubjectAction, ...]


def actions_for(stored: SubjectState) -> tuple[SubjectAction, ...]:
    """The operator actions the state machine allows from ``stored``, in the order the page shows them."""
    allowed = rules.TRANSITIONS[stored]
    out = []
    if stored is SubjectState.PENDING:
        out += [SubjectAction.VERIFY, SubjectAction.REJECT]
    if SubjectState.SUSPENDED in allowed:
        out.append(SubjectAction.SUSPEND)
    if SubjectState.BLACKLISTED in allowed and stored is not SubjectState.SUSPENDED:
        out.append(SubjectAction.BLACKLIST)
    if stored in rules.SANCTIONED:
        out.append(SubjectAction.REINSTATE)
    return tuple(out)


def _name_column(kind: SubjectKind) -> Any:
    return {SubjectKind.BRAND: Brand.name, SubjectKind.MCN: Mcn.name, SubjectKind.CREATOR: Creator.display_name}[kind]


def directory(
    session: Session,
    principal: Principal,
    kind: SubjectKind,
    *,
    state: SubjectState | None = None,
    q: str = "",
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[DirectoryLine], str | None]:
    """Every organisation of ``kind`` (also those never submitted: unverified), newest first, for operators."""
    require_role(principal, action="managing subjects (主体管理)")
    model = ORG_MODELS[kind]
    name = _name_column(kind)
    s = GovernanceSubject
    query: Select[Any] = select(model.id, name, s).outerjoin(s, (s.kind == kind) & (s.org_id == model.id))
    if state is SubjectState.UNVERIFIED:
        query = query.where(or_(s.id.is_(None), s.state == state))
    elif state is not None:
        query = query.where(s.state == state)
    if q.strip():
        like = f"%{q.strip()}%"
        extra = [Creator.handle.ilike(like)] if model is Creator else []
        query = query.where(or_(name.ilike(like), s.uscc.ilike(like), *extra))
    rows, next_cursor = keyed_page(session, query, model.id, limit, cursor or None)
    on = today()
    lines = []
    for org_id, label, subject in rows:
        verification = verification_of(subject, on) if subject is not None else None
        stored = subject.state if subject is not None else SubjectState.UNVERIFIED
        lines.append(
            DirectoryLine(
                kind,
                org_id,
                label,
                subject,
                rules.effective_state(stored, verification) if verification else stored,
                verification.problems if verification else (),
                actions_for(stored),
            )
        )
    return lines, next_cursor


def org_name(session: Session, kind: SubjectKind, org_id: int) -> str:
    return str(session.scalar(select(_name_column(kind)).where(ORG_MODELS[kind].id == org_id)) or org_id)


def state_counts(session: Session) -> dict[SubjectKind, dict[SubjectState, int]]:
    """How many subjects of each kind stand in each stored state (no record: unverified)."""
    out: dict[SubjectKind, dict[SubjectState, int]] = {}
    for kind, model in ORG_MODELS.items():
        total = session.scalar(select(func.count()).select_from(model)) or 0
        recorded = dict(
            session.execute(
                select(GovernanceSubject.state, func.count())
                .where(GovernanceSubject.kind == kind)
                .group_by(GovernanceSubject.state)
            ).all()
        )
        counts = {st: int(recorded.get(st, 0)) for st in SubjectState}
        counts[SubjectState.UNVERIFIED] += max(0, total - sum(recorded.values()))
        out[kind] = counts
    return out


def expiring(session: Session, within: timedelta = EXPIRING_WITHIN, limit: int = 50) -> list[GovernanceSubject]:
    """Verified subjects whose verification ends within ``within`` (soonest first)."""
    on = today()
    return list(
        session.scalars(
            select(GovernanceSubject)
            .where(
                GovernanceSubject.state == SubjectState.VERIFIED,
                GovernanceSubject.expires_on.is_not(None),
                GovernanceSubject.expires_on <= on + within,
            )
            .order_by(GovernanceSubject.expires_on, GovernanceSubject.id)
            .limit(limit)
        )
    )


# ------------------------------------------------------------------------------------------------------ writes


def _org(session: Session, principal: Principal, kind: SubjectKind, org_id: int) -> Base:
    """The organisation, read through its own scope: another tenant's is a 404."""
    return access.get_visible(session, ORG_MODELS[kind], org_id, principal)


def _locked(session: Session, kind: SubjectKind, org_id: int) -> GovernanceSubject:
    """The subject's row, created unverified the first time anyone acts on it; a racing creator's row is reused."""
    found = session.scalar(
        select(GovernanceSubject)
        .where(GovernanceSubject.kind == kind, GovernanceSubject.org_id == org_id)
        .with_for_update()
    )
    if found is not None:
        return found
    row = GovernanceSubject(kind=kind, org_id=org_id, state=SubjectState.UNVERIFIED, categories=[])
    if not insert_once(session, row):
        again = find(session, kind, org_id)
        assert again is not None  # the unique (kind, org_id) that refused ours is another transaction's row
        return again
    return row


def _event(
    session: Session,
    principal: Principal,
    row: GovernanceSubject,
    action: str,
    before: SubjectState,
    after: SubjectState,
    reason: str,
) -> SubjectEvent:
    at = utcnow()
    content = {
        "subject_id": row.id,
        "kind": row.kind.value,
        "org_id": row.org_id,
        "action": action,
        "from": before.value,
        "to": after.value,
        "reason": reason,
        "uscc": row.uscc,
        "expires_on": row.expires_on.isoformat() if row.expires_on else None,
        "actor_id": principal.user_id,
        "at": transparency.format_time(at),
    }
    entry_id = transparency.append(
        session, f"{LOG_KIND}.{action}", f"{GovernanceSubject.__tablename__}:{row.id}", content
    )
    event = SubjectEvent(
        subject_id=row.id,
        action=action,
        from_state=before,
        to_state=after,
        reason=reason,
        actor_id=principal.user_id,
        at=at,
        entry_id=entry_id,
    )
    session.add(event)
    session.flush()
    return event


def _move(session: Session, row: GovernanceSubject, before: SubjectState, values: dict[str, Any]) -> None:
    """The state change, applied only while the row still holds the state the decision was taken on."""
    if not update_if(session, row, GovernanceSubject.state == before, {**values, "updated_at": utcnow()}):
        current = row.state.value
        raise Conflict(
            f"主体 {row.id} 已被他人处理（现为 {current}）/ subject {row.id} changed meanwhile from '{before.value}' "
            f"(now '{current}'); reload and decide again"
        )


def _real_name(principal: Principal, data: SubjectIn) -> tuple[bool, date | None, str | None]:
    """A creator's real-name status, birth date and masked ID number as submitted.

    A tenant's word that the real name is verified counts for nothing: it comes from an ID number that passes its
    check character (and agrees with the birth date given). An operator may set it after seeing the document."""
    if data.id_number is None:
        if data.real_name_verified and not is_operator(principal):
            raise InvalidInput("实名认证须提交居民身份证号码 / real-name verification needs the ID number (id_number)")
        return data.real_name_verified, data.birth_date, None
    verdict = check_id_number(data.id_number, on=today())
    if not verdict.valid:
        raise InvalidInput(f"身份证号码无效 / invalid ID number: {verdict.reason}")
    if data.birth_date is not None and data.birth_date != verdict.birth_date:
        raise InvalidInput(
            f"出生日期与身份证号码不符（号码为 {verdict.birth_date}）/ the birth date differs from the ID number's"
        )
    return True, verdict.birth_date, mask_id_number(verdict.number)


def submit(session: Session, principal: Principal, data: SubjectIn) -> GovernanceSubject:
    """A subject's record submitted (or resubmitted) for verification by its tenant or an operator: pending."""
    _org(session, principal, data.kind, data.org_id)
    if data.uscc is not None and not (verdict := check_uscc(data.uscc)).valid:
        raise InvalidInput(f"统一社会信用代码无效 / invalid credit code: {verdict.reason}")
    real_name, birth_date, masked = _real_name(principal, data)
    row = _locked(session, data.kind, data.org_id)
    before = row.state
    try:
        after = rules.transition(before, SubjectState.PENDING)
    except rules.TransitionError as exc:
        raise Conflict(str(exc)) from None
    row.documents = [
        SubjectDocument(
            kind=d.kind,
            number=d.number,
            valid_from=d.valid_from,
            valid_until=d.valid_until,
            holder_uscc=check_uscc(d.holder_uscc).code if d.holder_uscc else None,
            revoked=d.revoked,
        )
        for d in data.documents
    ]
    session.flush()
    _move(
        session,
        row,
        before,
        {
            "state": after,
            "legal_name": data.legal_name,
            "uscc": check_uscc(data.uscc).code if data.uscc else None,
            "categories": [c.value for c in data.categories],
            "real_name_verified": real_name,
            "birth_date": birth_date,
            "id_number_masked": masked,
            "guardian_consent": data.guardian_consent,
            "id_valid_until": data.id_valid_until,
            "expires_on": None,
            "reason": "",
        },
    )
    _event(session, principal, row, "submit", before, after, "")
    record(session, principal, SUBJECT_SUBMIT, row, {"kind": row.kind.value, "org_id": row.org_id})
    return row


def _lifted_to(session: Session, row: GovernanceSubject) -> SubjectState:
    """Where a reinstated subject returns: the state its suspension interrupted; after a blacklisting, a review."""
    if row.state is SubjectState.BLACKLISTED:
        return SubjectState.PENDING
    interrupted = session.scalar(
        select(SubjectEvent.from_state)
        .where(SubjectEvent.subject_id == row.id, SubjectEvent.to_state == SubjectState.SUSPENDED)
        .order_by(SubjectEvent.id.desc())
        .limit(1)
    )
    return interrupted or SubjectState.UNVERIFIED


def _apply(session: Session, principal: Principal, row: GovernanceSubject, data: DecisionIn) -> GovernanceSubject:
    reason = data.reason.strip()
    if data.action in rules.NEEDS_REASON and not reason:
        raise InvalidInput("驳回、暂停或拉黑须填写原因 / rejecting, suspending or blacklisting needs a reason")
    before = row.state
    verification = verification_of(row)
    values: dict[str, Any] = {"reason": reason}
    try:
        if data.action in (SubjectAction.VERIFY, SubjectAction.REJECT):
            if before is not SubjectState.PENDING:
                raise Conflict(
                    f"只有待审核的主体才能通过或驳回 / subject {row.id} is '{before.value}': only a pending subject is "
                    "verified or rejected"
                )
            after = rules.state_after_review(before, data.action is SubjectAction.VERIFY, verification)
            if after is SubjectState.VERIFIED:
                values["expires_on"] = verification.expires_on
        elif data.action is SubjectAction.SUSPEND:
            after = rules.transition(before, SubjectState.SUSPENDED)
        elif data.action is SubjectAction.BLACKLIST:
            after = rules.transition(before, SubjectState.BLACKLISTED)
        else:
            if before not in rules.SANCTIONED:
                raise Conflict(
                    f"主体未被暂停或拉黑 / subject {row.id} is '{before.value}', not suspended or blacklisted"
                )
            after = rules.transition(before, _lifted_to(session, row))
    except rules.TransitionError as exc:
        raise Conflict(str(exc)) from None
    except ValueError as exc:  # the documents do not support verification
        raise InvalidInput(str(exc)) from None
    _move(session, row, before, {"state": after, **values})
    event = _event(session, principal, row, data.action.value, before, after, reason)
    record(
        session,
        principal,
        SUBJECT_DECIDE,
        row,
        {
            "action": data.action.value,
            "from": before.value,
            "to": after.value,
            "reason": reason,
            "entry": event.entry_id,
        },
    )
    return row


def decide(session: Session, principal: Principal, subject_id: int, data: DecisionIn) -> GovernanceSubject:
    """An operator's decision on a subject on record (another tenant's is a 404, a tenant's own a 403)."""
    row = get_subject(session, principal, subject_id)
    require_role(principal, action="deciding on subjects (主体管理)")
    locked = _locked(session, row.kind, row.org_id)
    return _apply(session, principal, locked, data)


def decide_org(
    session: Session, principal: Principal, kind: SubjectKind, org_id: int, data: DecisionIn
) -> GovernanceSubject:
    """The same decision from 主体管理, naming the organisation (which may have no record yet)."""
    require_role(principal, action="deciding on subjects (主体管理)")
    _org(session, principal, kind, org_id)
    return _apply(session, principal, _locked(session, kind, org_id), data)


def is_operator(principal: Principal) -> bool:
    return principal.role is Role.ADMIN


def enrol_verified(session: Session, principal: Principal, data: SubjectIn) -> GovernanceSubject:
    """Submit a subject's record and verify it in one step, as an operator does for a subject whose documents it
    has checked in person (and the demo does for its brand); refused like ``decide`` when the documents fall short."""
    row = submit(session, principal, data)
    return decide(session, principal, row.id, DecisionIn(action=SubjectAction.VERIFY, reason=""))
