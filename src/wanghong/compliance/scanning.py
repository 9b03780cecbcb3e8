"""The AI track: review a text, record the scan, and open a review task when a person must look.

Products' copy and videos' titles and scripts are scanned as they are written (the commerce write hook),
bulk-loaded ones by `backfill`, and livestream talk line by line (the live socket, `live_socket`, through `scan_text`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.commerce import hooks
from wanghong.commerce.models import Collaboration, LivestreamSession, Product, Video
from wanghong.compliance import audit, verdicts
from wanghong.compliance.engine_cache import ReviewerCache, reviewers_for
from wanghong.compliance.models import ComplianceScan, ReviewTask
from wanghong.compliance.schemas import MAX_TEXT
from wanghong.domain import CollaborationStatus, ReviewStatus, Role, Severity
from wanghong.domain import Verdict as VerdictKind
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.base import Base, utcnow
from wanghong.kit.errors import Conflict, InvalidInput, NotFound

if TYPE_CHECKING:
    from wanghong.compliance.engine import Hit, Verdict

# How soon a person must look at an AI finding: a block is probably live and visible to buyers right now.
DUE_AFTER = {VerdictKind.BLOCK: timedelta(hours=2), VerdictKind.REVIEW: timedelta(hours=24)}
SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}
_VERDICT_PRIORITY = {VerdictKind.BLOCK: 200, VerdictKind.REVIEW: 100, VerdictKind.PASS: 0}
_SEVERITY_PRIORITY = {Severity.HIGH: 30, Severity.MEDIUM: 15, Severity.LOW: 0}


class _Subject(TypedDict):
    """The columns a scan and the review task it opens share: what was scanned, whose it is, and its text."""

    subject_type: str
    subject_id: int | None
    creator_id: int | None
    text: str


@dataclass(frozen=True)
class ScanOutcome:
    verdict: Verdict
    scan: ComplianceScan | None
    task: ReviewTask | None


def _lead_hit(verdict: Verdict) -> Hit | None:
    if not verdict.hits:
        return None
    return max(verdict.hits, key=lambda h: (SEVERITY_RANK[h.severity], -h.start))


def hits_json(verdict: Verdict) -> list[dict[str, Any]]:
    return [
        h.to_json() | {"entry_id": h.entry_id, "match": h.match.value, "explanation": h.explanation}
        for h in verdict.hits
    ]


def scan_text(
    session: Session,
    *,
    reviewers: ReviewerCache,
    subject_type: str,
    subject_id: int | None,
    creator_id: int | None,
    text: str,
    keep_pass: bool = True,
    fresh: bool = False,
) -> ScanOutcome:
    """Review one text, record the scan (always, or only when flagged) and open a review task when flagged."""
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"text too long for one review ({len(text)} chars); send at most {MAX_TEXT}")
    engine = reviewers.get(session, fresh=fresh)
    verdict = engine.reviewer.review(text)
    flagged = verdict.verdict is not VerdictKind.PASS
    if not flagged and not keep_pass:
        return ScanOutcome(verdict, None, None)
    lead = _lead_hit(verdict)
    subject = _Subject(subject_type=subject_type, subject_id=subject_id, creator_id=creator_id, text=text)
    scan = ComplianceScan(
        **subject,
        verdict=verdict.verdict,
        score=verdict.score,
        category=lead.category.value if lead is not None else "",
        hits=hits_json(verdict),
        library_version=verdict.library_version,
        model_generation=engine.generation,
    )
    session.add(scan)
    task = None
    if flagged:
        task = _open_task(session, subject, verdict)
        if task is not None:
            scan.review_task_id = task.id
    session.flush()
    return ScanOutcome(verdict, scan, task)


def _open_task(session: Session, subject: _Subject, verdict: Verdict) -> ReviewTask | None:
    subject_id = subject["subject_id"]
    duplicate = session.scalar(
        select(ReviewTask.id).where(
            ReviewTask.subject_type == subject["subject_type"],
            ReviewTask.subject_id == subject_id if subject_id is not None else ReviewTask.subject_id.is_(None),
            ReviewTask.status == ReviewStatus.PENDING,
            ReviewTask.text == subject["text"],
        )
    )
    if duplicate is not None:
        return None  # the same text of the same subject is already waiting for a person
    lead = _lead_hit(verdict)
    now = utcnow()
    task = ReviewTask(
        **subject,
        ai_verdict=verdict.verdict,
        ai_score=round(verdict.score, 4),
        priority=task_priority(verdict.verdict, verdict.score, lead.severity if lead is not None else None),
        due_at=now + DUE_AFTER[verdict.verdict],
        status=ReviewStatus.PENDING,
    )
    session.add(task)
    session.flush()
    detail = {"verdict": verdict.verdict.value, "score": round(verdict.score, 4)}
    record(session, None, audit.REVIEW_TASK_FLAG, task, detail)
    return task


def task_priority(verdict: VerdictKind, score: float, severity: Severity | None) -> int:
    """Higher first: verdict, then the most severe hit, then the score (0–100)."""
    bonus = _SEVERITY_PRIORITY[severity] if severity is not None else 0
    return _VERDICT_PRIORITY[verdict] + bonus + round(100 * min(max(score, 0.0), 1.0))


def scan_subject(
    session: Session, principal: Principal | None, row: Base, *, reviewers: ReviewerCache | None = None
) -> None:
    """The write hook: scan a product's copy or a video's title and script right after it is written.

    Called as a hook it finds the reviewer through the session and asks the database for the newest library:
    writes are rare, and whoever just edited the library expects the next write to be scanned with it."""
    if isinstance(row, Product):
        text, subject, creator_id = "\n".join(p for p in (row.name, row.description) if p), "product", None
    elif isinstance(row, Video):
        text, subject, creator_id = "\n".join(p for p in (row.title, row.script) if p), "video", row.creator_id
    else:
        raise TypeError(f"scan_subject() scans products and videos, not {type(row).__name__}")
    if not text.strip():
        return
    scan_text(
        session,
        reviewers=reviewers if reviewers is not None else reviewers_for(session),
        subject_type=subject,
        subject_id=row.id,
        creator_id=creator_id,
        text=text[:MAX_TEXT],
        fresh=reviewers is None,
    )


# A collaboration in one of these states sells or promotes its product; leaving one (decline, cancel, settle the
# work already done) stays possible after the product is blocked.
_SELLING = frozenset(
    {
        CollaborationStatus.PROPOSED,
        CollaborationStatus.ACCEPTED,
        CollaborationStatus.CONTENT_SUBMITTED,
        CollaborationStatus.APPROVED,
        CollaborationStatus.LIVE,
    }
)


def refuse_blocked_product(session: Session, principal: Principal | None, row: Collaboration) -> None:
    """The write hook on collaborations: a product under a 拦截 verdict enters none and moves none forward."""
    if row.product_id is None or row.status not in _SELLING:
        return
    if verdicts.blocked_products(session, [row.product_id]):
        raise Conflict(
            f"product {row.product_id} is blocked by compliance review (拦截): change its copy or have a reviewer "
            "overturn the verdict before it enters or moves a collaboration"
        )


hooks.on_write(Product, scan_subject)
hooks.on_write(Video, scan_subject)
hooks.on_write(Collaboration, refuse_blocked_product)


def backfill(
    session: Session,
    *,
    reviewers: ReviewerCache,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Scan products and videos that were written without the hook (bulk loads, imports); newest first.

    Returns how many subjects were scanned. Safe to run again: subjects with a scan are skipped.
    """
    scanned = 0
    for model, subject in ((Product, "product"), (Video, "video")):
        already = select(ComplianceScan.subject_id).where(ComplianceScan.subject_type == subject)
        pending = select(model).where(model.id.not_in(already)).order_by(model.id.desc())
        if limit is not None:
            pending = pending.limit(max(0, limit - scanned))
        for row in session.scalars(pending).all():
            scan_subject(session, None, row, reviewers=reviewers)
            scanned += 1
            if progress is not None:
                progress(1)
        if limit is not None and scanned >= limit:
            break
    return scanned


def monitorable_livestream(session: Session, principal: Principal, ident: int) -> LivestreamSession:
    """A livestream whose talk the principal may watch for compliance: its creator, the creator's MCN, the brand
    that sponsors it and the administrator, as for any read, and also every reviewer — reviewing what is said on
    air is the reviewer's job, though a livestream's business figures are not theirs to read."""
    if principal.role is Role.REVIEWER:
        row = session.get(LivestreamSession, ident)
        if row is None:
            raise NotFound(f"livestream session {ident} not found")
        return row
    return access.get_visible(session, LivestreamSession, ident, principal)


def scan_for_task(session: Session, task_id: int) -> ComplianceScan | None:
    return session.scalar(
        select(ComplianceScan).where(ComplianceScan.review_task_id == task_id).order_by(ComplianceScan.id.desc())
    )
