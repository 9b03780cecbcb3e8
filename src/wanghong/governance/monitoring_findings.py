"""商品监测's findings: each stored once (keyed by what it judged), weighed by severity, and sent to one compliance
review task per product and host once they weigh ``REVIEW_THRESHOLD`` (see `wanghong.governance.monitoring`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Product
from wanghong.compliance import audit as compliance_audit
from wanghong.compliance.models import ReviewTask
from wanghong.domain import ReviewStatus, Severity, Verdict
from wanghong.governance.models import FindingKind, MonitoringFinding
from wanghong.kit.audit import record
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import insert_once

SUBJECT_TYPE = "product_monitoring"  # the review tasks this module opens
POINTS = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}
REVIEW_THRESHOLD = 3
REVIEW_WINDOW = timedelta(days=30)
REVIEW_DUE = timedelta(hours=24)
FINDING_DETECT = "monitoring_finding.detect"


@dataclass(frozen=True)
class Detected:
    key: str
    kind: FindingKind
    severity: Severity
    claim: str
    listed: str
    reason: str
    evidence: dict[str, Any]


def keep_findings(
    session: Session,
    principal: Principal | None,
    product: Product,
    detected: Iterable[Detected],
    *,
    creator_id: int | None = None,
    livestream_id: int | None = None,
    segment_id: int | None = None,
) -> list[MonitoringFinding]:
    """Store the findings not stored before (a finding's key names what it judged), then escalate."""
    fresh = {d.key: d for d in detected}
    if not fresh:
        return []
    known = set(session.scalars(select(MonitoringFinding.key).where(MonitoringFinding.key.in_(list(fresh)))))
    kept = []
    for key, d in fresh.items():
        if key in known:
            continue
        row = MonitoringFinding(
            key=key,
            kind=d.kind,
            product_id=product.id,
            brand_id=product.brand_id,
            creator_id=creator_id,
            livestream_id=livestream_id,
            segment_id=segment_id,
            severity=d.severity,
            claim=d.claim[:200],
            listed=d.listed[:200],
            reason=d.reason,
            evidence=d.evidence,
        )
        if not insert_once(session, row):
            continue  # the same judgement stored by a concurrent writer
        record(session, principal, FINDING_DETECT, row, {"kind": d.kind.value, "severity": d.severity.value})
        kept.append(row)
    if kept:
        escalate(session, product, creator_id)
    return kept


def escalate(session: Session, product: Product, creator_id: int | None) -> ReviewTask | None:
    """One review task for the unreviewed findings on ``product`` by ``creator_id`` once they weigh enough."""
    # The product's row lock orders escalations of one product: of two writers each adding a finding at once, the
    # second waits, then sees the first's task (or findings) and joins it instead of opening another.
    session.execute(select(Product.id).where(Product.id == product.id).with_for_update())
    who = (
        MonitoringFinding.creator_id == creator_id if creator_id is not None else MonitoringFinding.creator_id.is_(None)
    )
    waiting = list(
        session.scalars(
            select(MonitoringFinding)
            .where(
                MonitoringFinding.product_id == product.id,
                who,
                MonitoringFinding.review_task_id.is_(None),
                MonitoringFinding.detected_at >= utcnow() - REVIEW_WINDOW,
            )
            .order_by(MonitoringFinding.id)
            .with_for_update()
        )
    )
    points = sum(POINTS[f.severity] for f in waiting)
    if points < REVIEW_THRESHOLD:
        return None
    task_who = ReviewTask.creator_id == creator_id if creator_id is not None else ReviewTask.creator_id.is_(None)
    task = session.scalar(
        select(ReviewTask).where(
            ReviewTask.subject_type == SUBJECT_TYPE,
            ReviewTask.subject_id == product.id,
            task_who,
            ReviewTask.status == ReviewStatus.PENDING,
        )
    )
    summary = "\n".join(f"[{f.kind.value}] {f.claim}：{f.reason.partition(' / ')[0]}" for f in waiting)
    if task is None:
        severe = max((POINTS[f.severity] for f in waiting), default=0)
        task = ReviewTask(
            subject_type=SUBJECT_TYPE,
            subject_id=product.id,
            creator_id=creator_id,
            text=f"商品监测 / product monitoring — {product.name}\n{summary}"[:20000],
            ai_verdict=Verdict.REVIEW,
            ai_score=round(min(1.0, points / 10), 4),
            # The compliance queue's scale: a REVIEW verdict starts at 100, severity adds up to 30.
            priority=100 + 15 * (severe - 1) + min(points, 100),
            due_at=utcnow() + REVIEW_DUE,
            status=ReviewStatus.PENDING,
        )
        session.add(task)
        session.flush()
        record(session, None, compliance_audit.REVIEW_TASK_FLAG, task, {"subject": SUBJECT_TYPE, "points": points})
    else:
        task.text = f"{task.text}\n{summary}"[:20000]
    for finding in waiting:
        finding.review_task_id = task.id
    session.flush()
    return task
