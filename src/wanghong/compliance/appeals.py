"""Appeals: a creator or its MCN contests a penalty or a violation; a reviewer's acceptance lifts the penalties."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.compliance import audit
from wanghong.compliance.models import ComplianceAppeal, CompliancePenalty, Violation
from wanghong.compliance.schemas import AppealDecisionIn, AppealIn
from wanghong.domain import AppealStatus, Decision, PenaltyStatus, Role, ViolationStatus
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import update_if
from wanghong.kit.errors import Conflict, InvalidInput
from wanghong.kit.listing import PageRequest, visible_page
from wanghong.kit.paging import Page


def file_appeal(session: Session, principal: Principal, data: AppealIn) -> ComplianceAppeal:
    require_role(principal, Role.CREATOR, Role.MCN_MANAGER, action="filing appeals")
    penalty = None
    if data.penalty_id is not None:
        penalty = access.get_visible(session, CompliancePenalty, data.penalty_id, principal)
        if penalty.status is not PenaltyStatus.ACTIVE:
            raise Conflict(f"penalty {penalty.id} is {penalty.status.value}; only an active penalty can be appealed")
    violation_id = data.violation_id if data.violation_id is not None else (penalty.violation_id if penalty else None)
    violation = access.get_visible(session, Violation, violation_id, principal) if violation_id is not None else None
    if penalty is not None and violation is not None and penalty.violation_id not in (None, violation.id):
        raise InvalidInput(f"penalty {penalty.id} was not imposed for violation {violation.id}")
    creator_id = penalty.creator_id if penalty is not None else violation.creator_id  # type: ignore[union-attr]
    pending = session.scalar(
        select(ComplianceAppeal.id).where(
            ComplianceAppeal.status == AppealStatus.PENDING,
            (ComplianceAppeal.penalty_id == data.penalty_id)
            if data.penalty_id is not None
            else (ComplianceAppeal.violation_id == violation_id),
        )
    )
    if pending is not None:
        raise Conflict(f"appeal {pending} on this is still pending; wait for its decision")
    appeal = ComplianceAppeal(
        creator_id=creator_id,
        penalty_id=penalty.id if penalty is not None else None,
        violation_id=violation.id if violation is not None else None,
        filed_by_id=audit.account_id(principal),
        reason=data.reason,
    )
    session.add(appeal)
    if violation is not None and violation.status is ViolationStatus.CONFIRMED:
        violation.status = ViolationStatus.APPEALED
    session.flush()
    record(session, principal, audit.APPEAL_CREATE, appeal, data.model_dump())
    return appeal


def decide_appeal(session: Session, principal: Principal, appeal_id: int, data: AppealDecisionIn) -> ComplianceAppeal:
    appeal = access.get_visible(session, ComplianceAppeal, appeal_id, principal)
    require_role(principal, Role.REVIEWER, action="deciding appeals")
    if appeal.status is not AppealStatus.PENDING:
        raise Conflict(f"appeal {appeal_id} was already decided ({appeal.status.value})")
    now = utcnow()
    # Decided only while still pending, checked by the database itself: of two reviewers deciding at once exactly
    # one wins, so penalties are lifted (or a violation reinstated) once.
    decision = {
        # An upheld appeal is accepted: what it contested falls.
        "status": AppealStatus.ACCEPTED if data.decision is Decision.UPHOLD else AppealStatus.REJECTED,
        "decided_by_id": audit.account_id(principal),
        "decided_at": now,
        "decision_note": data.note,
    }
    if not update_if(session, appeal, ComplianceAppeal.status == AppealStatus.PENDING, decision):
        raise Conflict(f"appeal {appeal_id} was decided meanwhile by another reviewer ({appeal.status.value})")
    violation = session.get(Violation, appeal.violation_id) if appeal.violation_id is not None else None
    lifted: list[int] = []
    if appeal.status is AppealStatus.ACCEPTED:
        penalties = []
        if appeal.penalty_id is not None:
            penalties.append(session.get(CompliancePenalty, appeal.penalty_id))
        if violation is not None:
            violation.status = ViolationStatus.DISMISSED
            penalties += session.scalars(
                select(CompliancePenalty).where(CompliancePenalty.violation_id == violation.id)
            ).all()
        for penalty in penalties:
            if penalty is not None and penalty.status is PenaltyStatus.ACTIVE:
                penalty.status = PenaltyStatus.LIFTED
                penalty.lifted_at = now
                lifted.append(penalty.id)
    elif violation is not None and violation.status is ViolationStatus.APPEALED:
        violation.status = ViolationStatus.CONFIRMED
    session.flush()
    detail = {"decision": data.decision.value, "status": appeal.status.value, "note": data.note, "lifted": lifted}
    record(session, principal, audit.APPEAL_DECIDE, appeal, detail)
    return appeal


def list_appeals(
    session: Session,
    principal: Principal,
    page: PageRequest,
    status: AppealStatus | None = None,
    creator_id: int | None = None,
) -> Page[ComplianceAppeal]:
    return visible_page(session, principal, ComplianceAppeal, page, status=status, creator_id=creator_id)
