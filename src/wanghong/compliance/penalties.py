"""The penalty policy and its consequences: a confirmed violation adds points, the points reach a step of the
policy (data, edited by administrators), the step becomes a warning, a traffic limit or a suspension.

This is the public door for other capabilities: whatever confirms a violation (a review decision here, a
confirmed copy in originality) calls `apply_policy` so that every violation meets the same consequences.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.compliance import audit
from wanghong.compliance.models import CompliancePenalty, CompliancePolicy, Violation
from wanghong.compliance.schemas import PolicyIn
from wanghong.domain import PenaltyKind, PenaltyStatus, ViolationStatus
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.base import utcnow
from wanghong.kit.listing import PageRequest, visible_page
from wanghong.kit.paging import Page

DEFAULT_POLICY: dict[str, Any] = {
    "window_days": 90,
    "points": {"low": 1, "medium": 2, "high": 4},
    "steps": [
        {"min_points": 1, "kind": "warning", "days": 0},
        {"min_points": 4, "kind": "traffic_limit", "days": 7},
        {"min_points": 8, "kind": "suspension", "days": 30},
    ],
}


def load_policy(session: Session) -> dict[str, Any]:
    row = session.get(CompliancePolicy, 1)
    return dict(row.rules) if row is not None and row.rules else dict(DEFAULT_POLICY)


def get_policy(session: Session, principal: Principal) -> dict[str, Any]:
    return load_policy(session)


def put_policy(session: Session, principal: Principal, policy: PolicyIn) -> dict[str, Any]:
    require_role(principal, action="changing the penalty policy")
    rules = policy.model_dump(mode="json")
    row = session.get(CompliancePolicy, 1)
    before = dict(row.rules) if row is not None else None
    if row is None:
        row = CompliancePolicy(id=1, rules=rules, updated_by_id=audit.account_id(principal))
        session.add(row)
    else:
        row.rules = rules
        row.updated_by_id = audit.account_id(principal)
        row.updated_at = utcnow()
    session.flush()
    record(session, principal, audit.POLICY_UPDATE, row, {"before": before, "after": rules})
    return rules


def policy_points(session: Session, creator_id: int, policy: dict[str, Any], now: datetime | None = None) -> int:
    """Points of the creator's confirmed violations inside the policy window."""
    now = now or utcnow()
    since = now - timedelta(days=int(policy["window_days"]))
    severities = session.scalars(
        select(Violation.severity).where(
            Violation.creator_id == creator_id,
            Violation.status == ViolationStatus.CONFIRMED,
            Violation.created_at >= since,
        )
    ).all()
    return sum(int(policy["points"].get(s.value, 0)) for s in severities)


def apply_policy(session: Session, principal: Principal | None, violation: Violation) -> CompliancePenalty | None:
    """Impose the strongest step the creator's points reach; every confirmed violation gets its consequence."""
    policy = load_policy(session)
    points = policy_points(session, violation.creator_id, policy)
    reached = [s for s in policy["steps"] if points >= int(s["min_points"])]
    if not reached:
        return None
    step = reached[-1]
    now = utcnow()
    days = int(step["days"])
    penalty = CompliancePenalty(
        creator_id=violation.creator_id,
        violation_id=violation.id,
        kind=PenaltyKind(step["kind"]),
        status=PenaltyStatus.ACTIVE,
        points=points,
        reason=f"{policy['window_days']} 天内累计 {points} 分 / {points} points in {policy['window_days']} days",
        starts_at=now,
        ends_at=now + timedelta(days=days) if days else None,
    )
    session.add(penalty)
    session.flush()
    detail = {"kind": penalty.kind.value, "points": points, "days": days}
    record(session, principal, audit.PENALTY_CREATE, penalty, detail)
    return penalty


def list_penalties(
    session: Session, principal: Principal, page: PageRequest, creator_id: int | None = None
) -> Page[CompliancePenalty]:
    return visible_page(session, principal, CompliancePenalty, page, creator_id=creator_id)


def get_penalty(session: Session, principal: Principal, penalty_id: int) -> CompliancePenalty:
    return access.get_visible(session, CompliancePenalty, penalty_id, principal)
