"""The human track: the reviewers' queue and their decisions.

A decision keeps the sentence behind the finding as a labelled example (what the claim classifier retrains on);
a confirmation of a creator's text also becomes a confirmed violation, which meets the penalty policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.compliance import audit
from wanghong.compliance.models import ComplianceExample, ComplianceScan, ReviewTask, Violation
from wanghong.compliance.penalties import apply_policy
from wanghong.compliance.scanning import SEVERITY_RANK, scan_for_task
from wanghong.domain import Decision, ReviewStatus, Role, Severity, ViolationStatus
from wanghong.domain import Verdict as VerdictKind
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import update_if
from wanghong.kit.errors import Conflict


@dataclass(frozen=True)
class QueueItem:
    task: ReviewTask
    segments: list[tuple[str, dict[str, Any] | None]]  # text pieces, each with the hit it belongs to (or None)
    hits: list[dict[str, Any]]
    library_version: int | None


def highlight(text: str, hits: Sequence[dict[str, Any]]) -> list[tuple[str, dict[str, Any] | None]]:
    """Split ``text`` into plain and hit pieces; overlapping hits merge into the first one's piece."""
    pieces: list[tuple[str, dict[str, Any] | None]] = []
    pos = 0
    for hit in sorted(hits, key=lambda h: (h["start"], -h["end"])):
        start, end = max(int(hit["start"]), pos), min(int(hit["end"]), len(text))
        if end <= start:
            continue
        if start > pos:
            pieces.append((text[pos:start], None))
        pieces.append((text[start:end], hit))
        pos = end
    if pos < len(text):
        pieces.append((text[pos:], None))
    return pieces


def review_queue(
    session: Session,
    principal: Principal,
    limit: int = 50,
    *,
    verdict: VerdictKind | None = None,
    subject_type: str | None = None,
    creator_id: int | None = None,
) -> list[QueueItem]:
    """Pending tasks, most urgent first; optionally only one AI verdict, one kind of subject or one creator's."""
    require_role(principal, Role.REVIEWER, action="working the review queue")
    query = access.visible_rows(ReviewTask, principal).where(ReviewTask.status == ReviewStatus.PENDING)
    if verdict is not None:
        query = query.where(ReviewTask.ai_verdict == verdict)
    if subject_type:
        query = query.where(ReviewTask.subject_type == subject_type)
    if creator_id is not None:
        query = query.where(ReviewTask.creator_id == creator_id)
    tasks = session.scalars(
        query.order_by(ReviewTask.priority.desc(), ReviewTask.due_at, ReviewTask.id).limit(limit)
    ).all()
    scans = {
        s.review_task_id: s
        for s in session.scalars(select(ComplianceScan).where(ComplianceScan.review_task_id.in_([t.id for t in tasks])))
    }
    items = []
    for task in tasks:
        scan = scans.get(task.id)
        hits = list(scan.hits) if scan is not None else []
        items.append(QueueItem(task, highlight(task.text, hits), hits, scan.library_version if scan else None))
    return items


def decide_review(session: Session, principal: Principal, task_id: int, decision: Decision, note: str) -> ReviewTask:
    """Upheld, the AI's flag is confirmed (a creator's text becomes a violation); dismissed, it is overturned."""
    task = access.get_visible(session, ReviewTask, task_id, principal)
    require_role(principal, Role.REVIEWER, action="deciding review tasks")
    if task.status is not ReviewStatus.PENDING:
        raise Conflict(f"review task {task_id} was already decided ({task.status.value})")
    # Decided only while still pending, checked by the database itself: of two reviewers deciding at once exactly
    # one wins, and the other does not add a second example, violation or penalty.
    decided = {
        "status": ReviewStatus.CONFIRMED if decision is Decision.UPHOLD else ReviewStatus.OVERTURNED,
        "decision_note": note,
        "decided_by_id": principal.user_id,
        "decided_at": utcnow(),
    }
    if not update_if(session, task, ReviewTask.status == ReviewStatus.PENDING, decided):
        raise Conflict(f"review task {task_id} was decided meanwhile by another reviewer ({task.status.value})")
    detail = {"decision": decision.value, "status": task.status.value, "note": note}
    record(session, principal, audit.REVIEW_TASK_DECIDE, task, detail)
    scan = scan_for_task(session, task.id)
    _keep_example(session, task, scan)
    if decision is Decision.UPHOLD and task.creator_id is not None:
        violation = _confirmed_violation(session, principal, task, scan)
        apply_policy(session, principal, violation)
    return task


def _lead(hits: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    return max(hits, key=lambda h: (SEVERITY_RANK[Severity(h["severity"])], -h["start"]), default=None)


def _keep_example(session: Session, task: ReviewTask, scan: ComplianceScan | None) -> None:
    """The sentence behind the leading finding, labelled by the reviewer: its category when confirmed, clean when
    overturned. Only medical/cosmetics/clean labels train the claim classifier; the rest are kept for audits."""
    from wanghong.compliance.engine.reviewer import sentence_spans

    if scan is None:
        # Raised by another detector (a 刷单 ring, a room's risk, product monitoring, an originality claim): no
        # scanned copy stands behind the decision, and a "clean" label on its summary would teach the classifier
        # nothing true.
        return
    lead = _lead(list(scan.hits))
    text = task.text
    if lead is not None:
        spans = [s for s in sentence_spans(text) if s[0] <= lead["start"] < s[1]]
        if spans:
            text = text[spans[0][0] : spans[0][1]]
    category = lead["category"] if lead is not None else ""
    label = category if task.status is ReviewStatus.CONFIRMED else "clean"
    session.add(
        ComplianceExample(
            review_task_id=task.id, text=text[:2000], label=label or "unknown", category=category, decision=task.status
        )
    )
    session.flush()


def _confirmed_violation(
    session: Session, principal: Principal, task: ReviewTask, scan: ComplianceScan | None
) -> Violation:
    hits = list(scan.hits) if scan is not None else []
    severity = max((Severity(h["severity"]) for h in hits), key=SEVERITY_RANK.__getitem__, default=None)
    if severity is None:
        severity = Severity.HIGH if task.ai_verdict is VerdictKind.BLOCK else Severity.MEDIUM
    described = "；".join(f"{h['term']}（{h['article']}）" for h in hits[:10])
    assert task.creator_id is not None
    violation = Violation(
        creator_id=task.creator_id,
        subject_type=task.subject_type,
        subject_id=task.subject_id,
        category=(scan.category if scan is not None and scan.category else "unspecified"),
        severity=severity,
        description=f"审核任务 #{task.id} 确认 / confirmed in review task #{task.id}: {described}"[:5000],
        status=ViolationStatus.CONFIRMED,
    )
    session.add(violation)
    session.flush()
    detail = {"review_task_id": task.id, "severity": severity.value}
    record(session, principal, audit.VIOLATION_CONFIRM, violation, detail)
    return violation
