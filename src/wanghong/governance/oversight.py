"""The regulator's view (监管): every tenant's governance records, read and never written.

The regulator role reads subjects, their history, violations, penalties, appeals, 商品监测 findings, standings and
the transparency log's head across tenants; operators (admins) see the same. Nothing here writes: the regulator's
account is refused every writing route by `accounts.deps` as well.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.models import Creator
from wanghong.compliance.models import ComplianceAppeal, CompliancePenalty, Violation
from wanghong.domain import AppealStatus, Role, ViolationStatus
from wanghong.governance import standing, subjects, transparency
from wanghong.governance.engine.subjects import SubjectKind, SubjectState
from wanghong.governance.models import GovernanceSubject, MonitoringFinding, SubjectEvent, TransparencyTreeHead
from wanghong.kit.db.base import Base, utcnow

EXPORT_LIMIT = 500
MAX_EXPORT_LIMIT = 5000
RECENT = 20


def _require(principal: Principal) -> None:
    require_role(principal, Role.REGULATOR, action="reading governance records across tenants")


@dataclass(frozen=True)
class LogHead:
    tree_size: int
    root_hash: str
    signed_size: int | None
    signed_at: datetime | None


@dataclass(frozen=True)
class PenaltyLine:
    penalty: CompliancePenalty
    creator: str


@dataclass(frozen=True)
class ExpiringLine:
    subject: GovernanceSubject
    name: str


@dataclass(frozen=True)
class Dashboard:
    counts: dict[SubjectKind, dict[SubjectState, int]]
    standings: dict[standing.Standing, int]
    penalties: list[PenaltyLine]
    expiring: list[ExpiringLine]
    head: LogHead
    violations_open: int
    appeals_pending: int


def log_head(session: Session) -> LogHead:
    state = transparency.current_state(session)
    signed = session.execute(
        select(TransparencyTreeHead.tree_size, TransparencyTreeHead.timestamp_ms)
        .order_by(TransparencyTreeHead.tree_size.desc())
        .limit(1)
    ).first()
    signed_at = datetime.fromtimestamp(signed.timestamp_ms / 1000, tz=utcnow().tzinfo) if signed else None
    return LogHead(state.tree_size, state.root_hash.hex(), int(signed.tree_size) if signed else None, signed_at)


def standing_counts(session: Session) -> dict[standing.Standing, int]:
    """Creators per standing: those not in good standing from `governance.standing`, the rest good."""
    total = session.scalar(select(func.count()).select_from(Creator)) or 0
    found = Counter(s.state for s in standing.standings(session).values())
    counts = {st: int(found.get(st, 0)) for st in standing.Standing}
    counts[standing.Standing.GOOD] = max(0, total - sum(found.values()))
    return counts


def dashboard(session: Session, principal: Principal) -> Dashboard:
    _require(principal)
    penalties = session.execute(
        select(CompliancePenalty, Creator.display_name)
        .join(Creator, Creator.id == CompliancePenalty.creator_id)
        .order_by(CompliancePenalty.id.desc())
        .limit(RECENT)
    ).all()
    soon = subjects.expiring(session)
    return Dashboard(
        counts=subjects.state_counts(session),
        standings=standing_counts(session),
        penalties=[PenaltyLine(p, name) for p, name in penalties],
        expiring=[ExpiringLine(s, subjects.org_name(session, s.kind, s.org_id)) for s in soon],
        head=log_head(session),
        violations_open=session.scalar(
            select(func.count())
            .select_from(Violation)
            .where(Violation.status.in_([ViolationStatus.OPEN, ViolationStatus.APPEALED]))
        )
        or 0,
        appeals_pending=session.scalar(
            select(func.count()).select_from(ComplianceAppeal).where(ComplianceAppeal.status == AppealStatus.PENDING)
        )
        or 0,
    )


def _plain(row: Base, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in row.__table__.columns:
        if column.key in skip:
            continue
        value = getattr(row, column.key)
        out[column.key] = getattr(value, "value", value)
    return out


def _newest(session: Session, model: type[Base], limit: int) -> tuple[list[Any], bool]:
    pk = model.__mapper__.primary_key[0]
    rows = list(session.scalars(select(model).order_by(pk.desc()).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def export(session: Session, principal: Principal, limit: int = EXPORT_LIMIT) -> dict[str, Any]:
    """The newest ``limit`` records of each kind across every tenant, and the log head that proves them."""
    _require(principal)
    tables: dict[str, type[Base]] = {
        "subjects": GovernanceSubject,
        "subject_events": SubjectEvent,
        "violations": Violation,
        "penalties": CompliancePenalty,
        "appeals": ComplianceAppeal,
        "monitoring_findings": MonitoringFinding,
    }
    body: dict[str, Any] = {"generated_at": utcnow(), "limit": limit, "truncated": {}}
    for name, model in tables.items():
        rows, more = _newest(session, model, limit)
        body[name] = [_plain(r) for r in rows]
        body["truncated"][name] = more
    ranked = sorted(standing.standings(session).values(), key=lambda s: s.creator_id, reverse=True)
    body["standings"] = [
        {
            "creator_id": s.creator_id,
            "state": s.state.value,
            "exposure": s.exposure,
            "reasons": [{"cause": r.cause.value, "ref": r.ref, "until": r.until} for r in s.reasons],
        }
        for s in ranked[:limit]
    ]
    body["truncated"]["standings"] = len(ranked) > limit
    head = log_head(session)
    body["transparency"] = {
        "tree_size": head.tree_size,
        "root_hash": head.root_hash,
        "signed_tree_size": head.signed_size,
        "signed_at": head.signed_at,
    }
    return body
