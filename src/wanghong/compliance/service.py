"""合规审核 service: the versioned violation library, AI scans, the dual-track review queue, penalties, appeals.

Two tracks. The AI track (``engines/compliance``) reviews every product copy, video title/script and live
transcript line as it arrives; a *block* or *review* verdict opens a :class:`ReviewTask` with a priority and
a deadline. The human track confirms or overturns it. A confirmed task becomes a confirmed
:class:`Violation`, which the penalty policy (data, edited by administrators) turns into a warning, a traffic
limit or a suspension; the creator or its MCN may appeal, and an accepted appeal lifts the penalty. Every
decision is also kept as a labelled example that the claim classifier retrains on when an administrator asks.

The engine is heavy to build (≈2 s: Unicode tables, automaton, classifier training), so each process builds
it once, lazily, and keeps it. Workers converge on the database's state by comparing two numbers — the
highest library version and the highest model generation — at most every ``CHECK_EVERY_S`` seconds (and
at once in the process that made the change); the engine module itself is imported only when first needed,
so importing this service (as ``services/resources`` hooks do) stays cheap.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.models import LivestreamSession, Product, Video
from wanghong.compliance.models import (
    ComplianceAppeal,
    ComplianceExample,
    ComplianceLibraryVersion,
    ComplianceModelRun,
    CompliancePenalty,
    CompliancePolicy,
    ComplianceScan,
    ReviewTask,
    Violation,
)
from wanghong.domain import AppealStatus, PenaltyKind, PenaltyStatus, ReviewStatus, Role, Severity, ViolationStatus
from wanghong.domain import Verdict as VerdictKind
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.base import Base, utcnow
from wanghong.kit.errors import Conflict, InvalidInput, NotFound
from wanghong.kit.paging import DEFAULT_PAGE_SIZE, Page, paginate

if TYPE_CHECKING:
    from wanghong.compliance.engine import ComplianceReviewer, Verdict, ViolationLibrary
    from wanghong.compliance.engine.classifier import ClaimClassifier

CHECK_EVERY_S = 2.0
# How soon a person must look at an AI finding: a block is probably live and visible to buyers right now.
DUE_AFTER = {VerdictKind.BLOCK: timedelta(hours=2), VerdictKind.REVIEW: timedelta(hours=24)}
_VERDICT_PRIORITY = {VerdictKind.BLOCK: 200, VerdictKind.REVIEW: 100, VerdictKind.PASS: 0}
_SEVERITY_PRIORITY = {Severity.HIGH: 30, Severity.MEDIUM: 15, Severity.LOW: 0}
_SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}
_PENALTY_RANK = {PenaltyKind.WARNING: 0, PenaltyKind.TRAFFIC_LIMIT: 1, PenaltyKind.SUSPENSION: 2}
LIVE_KINDS = ("transcript", "comment")
MAX_TEXT = 20_000

DEFAULT_POLICY: dict[str, Any] = {
    "window_days": 90,
    "points": {"low": 1, "medium": 2, "high": 4},
    "steps": [
        {"min_points": 1, "kind": "warning", "days": 0},
        {"min_points": 4, "kind": "traffic_limit", "days": 7},
        {"min_points": 8, "kind": "suspension", "days": 30},
    ],
}


# -- schemas -------------------------------------------------------------------------------------------------


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LibraryEntryPatch(_In):
    """Fields of a library entry to change; ``id`` never changes."""

    term: str | None = None
    category: str | None = None
    severity: str | None = None
    article: str | None = None
    explanation: str | None = None
    exceptions: list[str] | None = None
    phonetic: bool | None = None
    pattern: str | None = None
    triggers: list[str] | None = None
    examples: list[str] | None = None
    change_summary: Annotated[str, StringConstraints(max_length=500)] = ""


class PolicyStep(_In):
    min_points: int = Field(ge=1, le=10_000)
    kind: PenaltyKind
    days: int = Field(ge=0, le=3650, description="0 = no end (a warning stays on record)")


class PolicyIn(_In):
    window_days: int = Field(ge=1, le=3650)
    points: dict[Severity, int] = Field(description="points a confirmed violation of each severity adds")
    steps: list[PolicyStep] = Field(min_length=1, max_length=10)

    @model_validator(mode="after")
    def _escalates(self) -> PolicyIn:
        missing = [s.value for s in Severity if s not in self.points]
        if missing:
            raise ValueError(f"points needs a value for every severity; missing {missing}")
        if any(v < 0 or v > 1000 for v in self.points.values()):
            raise ValueError("points must be between 0 and 1000")
        thresholds = [s.min_points for s in self.steps]
        ranks = [_PENALTY_RANK[s.kind] for s in self.steps]
        if thresholds != sorted(set(thresholds)) or ranks != sorted(ranks):
            raise ValueError("steps must escalate: strictly rising min_points, warning → traffic_limit → suspension")
        return self


class AppealIn(_In):
    penalty_id: int | None = None
    violation_id: int | None = None
    reason: Annotated[str, StringConstraints(min_length=1, max_length=5000, strip_whitespace=True)]

    @model_validator(mode="after")
    def _one_subject(self) -> AppealIn:
        if self.penalty_id is None and self.violation_id is None:
            raise ValueError("name the penalty_id or the violation_id you appeal against")
        return self


class AppealDecisionIn(_In):
    decision: Literal["accepted", "rejected"]
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


class LiveMessageIn(_In):
    kind: Literal["transcript", "comment"]
    text: Annotated[str, StringConstraints(max_length=MAX_TEXT)]
    at: datetime | None = None


# -- the engine, once per process ------------------------------------------------------------------------------


@dataclass
class _Engine:
    library_version: int
    generation: int
    reviewer: ComplianceReviewer


class _EngineCache:
    """The process's reviewer, rebuilt when the database holds a newer library version or model generation."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._engine: _Engine | None = None
        self._base: ComplianceReviewer | None = None
        self._classifiers: dict[int, ClaimClassifier | None] = {}
        self._libraries: dict[int, ViolationLibrary] = {}
        self._checked_at = 0.0
        self._database = ""

    def invalidate(self) -> None:
        self._checked_at = 0.0

    def _follow(self, session: Session) -> None:
        """Forget what belongs to another database: version numbers are only unique within one."""
        database = session.get_bind().engine.url.render_as_string(hide_password=True)
        if database != self._database:
            with self._lock:
                self._engine, self._classifiers, self._libraries = None, {}, {}
                self._checked_at, self._database = 0.0, database

    def get(self, session: Session) -> _Engine:
        self._follow(session)
        engine = self._engine
        if engine is not None and time.monotonic() - self._checked_at < CHECK_EVERY_S:
            return engine
        version, generation = _latest_numbers(session)
        if version is None:
            version = _seed_library(session).version
        self._checked_at = time.monotonic()
        if engine is not None and engine.library_version == version and engine.generation == generation:
            return engine
        with self._lock:
            engine = self._engine
            if engine is None or engine.library_version != version or engine.generation != generation:
                engine = self._build(session, version, generation)
                self._engine = engine
            return engine

    def _build(self, session: Session, version: int, generation: int) -> _Engine:
        from wanghong.compliance.engine import ComplianceReviewer

        library = self.library(session, version)
        if self._base is None:
            self._base = ComplianceReviewer(library)
        base = self._base
        reviewer = base if base.library == library else base.with_library(library)
        if generation:
            if generation not in self._classifiers:
                self._classifiers = {generation: _train_classifier(session, generation, base)}
            reviewer = reviewer.with_classifier(self._classifiers[generation])
        return _Engine(version, generation, reviewer)

    def library(self, session: Session, version: int) -> ViolationLibrary:
        from wanghong.compliance.engine import parse_library

        self._follow(session)
        cached = self._libraries.get(version)
        if cached is None:
            row = session.scalar(select(ComplianceLibraryVersion).where(ComplianceLibraryVersion.version == version))
            if row is None:
                raise NotFound(f"compliance library version {version} not found")
            cached = parse_library(row.body, source=f"library v{version}")
            self._libraries = {k: v for k, v in self._libraries.items() if k >= version - 4} | {version: cached}
        return cached


_CACHE = _EngineCache()


def reviewer_for(session: Session) -> ComplianceReviewer:
    """The reviewer for the database's active library and model; cheap after the first call in a process."""
    return _CACHE.get(session).reviewer


def _latest_numbers(session: Session) -> tuple[int | None, int]:
    runs = select(func.max(ComplianceModelRun.id)).scalar_subquery()
    version, generation = session.execute(select(func.max(ComplianceLibraryVersion.version), runs)).one()
    return version, generation or 0


def _seed_library(session: Session) -> ComplianceLibraryVersion:
    """Store the shipped library as the first version; a racing worker that seeded first wins harmlessly."""
    from wanghong.compliance.engine import load_library

    shipped = load_library()
    row = ComplianceLibraryVersion(
        version=shipped.version, body=shipped.to_dict(), change_summary="随包词库 / shipped library.json"
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        existing = session.scalar(select(ComplianceLibraryVersion).where(ComplianceLibraryVersion.version == 1))
        if existing is None:
            raise
        return existing
    record(session, None, "seed", row, {"version": shipped.version, "entries": len(shipped)})
    return row


def _user_id(principal: Principal | None) -> int | None:
    # The CLI acts as user 0, which is no account: foreign keys get NULL, the audit log keeps the 0.
    return principal.user_id if principal is not None and principal.user_id > 0 else None


# -- library editing (administrators) --------------------------------------------------------------------------


def _require_library_reader(principal: Principal) -> None:
    require_role(principal, Role.REVIEWER, action="reading the compliance library")


def current_library(session: Session, principal: Principal) -> tuple[ViolationLibrary, ComplianceLibraryVersion]:
    _require_library_reader(principal)
    version, _ = _latest_numbers(session)
    if version is None:
        version = _seed_library(session).version
    row = session.scalar(select(ComplianceLibraryVersion).where(ComplianceLibraryVersion.version == version))
    assert row is not None
    return _CACHE.library(session, version), row


def library_versions(session: Session, principal: Principal, limit: int = 100) -> Sequence[ComplianceLibraryVersion]:
    _require_library_reader(principal)
    current_library(session, principal)  # seeds version 1 on first use
    return session.scalars(
        access.visible_rows(ComplianceLibraryVersion, principal)
        .order_by(ComplianceLibraryVersion.version.desc())
        .limit(limit)
    ).all()


def add_entry(session: Session, principal: Principal, raw: dict[str, Any], summary: str = "") -> ViolationLibrary:
    require_role(principal, action="editing the compliance library")
    library, _ = current_library(session, principal)
    new = _edit(lambda: library.add_entry(raw))
    entry_id = str(raw.get("id"))
    return _save(session, principal, new, summary or f"新增词条 / add {entry_id}", "library_add", {"entry": raw})


def update_entry(
    session: Session, principal: Principal, entry_id: str, changes: dict[str, Any], summary: str = ""
) -> ViolationLibrary:
    require_role(principal, action="editing the compliance library")
    if not changes:
        raise InvalidInput("nothing to change: send at least one field of the entry")
    library, _ = current_library(session, principal)
    before = _edit(lambda: library.get(entry_id)).to_dict()
    new = _edit(lambda: library.update_entry(entry_id, **changes))
    detail = {"entry_id": entry_id, "before": before, "after": new.get(entry_id).to_dict()}
    return _save(session, principal, new, summary or f"修改词条 / update {entry_id}", "library_update", detail)


def remove_entry(session: Session, principal: Principal, entry_id: str, summary: str = "") -> ViolationLibrary:
    require_role(principal, action="editing the compliance library")
    library, _ = current_library(session, principal)
    before = _edit(lambda: library.get(entry_id)).to_dict()
    new = _edit(lambda: library.remove_entry(entry_id))
    detail = {"entry_id": entry_id, "before": before}
    return _save(session, principal, new, summary or f"删除词条 / remove {entry_id}", "library_remove", detail)


def _edit(change: Any) -> Any:
    from wanghong.compliance.engine import LibraryError

    try:
        return change()
    except LibraryError as exc:
        if "没有该词条" in str(exc):
            raise NotFound(str(exc)) from None
        raise InvalidInput(str(exc)) from None
    except TypeError as exc:  # an unknown field name passed to update_entry
        raise InvalidInput(f"无效字段 / invalid field: {exc}") from None


def _save(
    session: Session, principal: Principal, library: ViolationLibrary, summary: str, action: str, detail: dict[str, Any]
) -> ViolationLibrary:
    row = ComplianceLibraryVersion(
        version=library.version, body=library.to_dict(), change_summary=summary[:500], created_by_id=_user_id(principal)
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict(
            f"词库已被他人修改为版本 {library.version} / library version {library.version} was saved by someone else "
            "meanwhile; reload the library and apply your change again"
        ) from None
    record(session, principal, action, row, {"version": library.version, "summary": summary} | detail)
    _CACHE.invalidate()
    return library


# -- scanning and the review queue -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanOutcome:
    verdict: Verdict
    scan: ComplianceScan | None
    task: ReviewTask | None


def _lead_hit(verdict: Verdict) -> Any:
    if not verdict.hits:
        return None
    return max(verdict.hits, key=lambda h: (_SEVERITY_RANK[h.severity], -h.start))


def hits_json(verdict: Verdict) -> list[dict[str, Any]]:
    return [
        h.to_json() | {"entry_id": h.entry_id, "match": h.match.value, "explanation": h.explanation}
        for h in verdict.hits
    ]


def scan_text(
    session: Session,
    *,
    subject_type: str,
    subject_id: int | None,
    creator_id: int | None,
    text: str,
    keep_pass: bool = True,
) -> ScanOutcome:
    """Review one text, record the scan (always, or only when flagged) and open a review task when flagged."""
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"text too long for one review ({len(text)} chars); send at most {MAX_TEXT}")
    engine = _CACHE.get(session)
    verdict = engine.reviewer.review(text)
    flagged = verdict.verdict is not VerdictKind.PASS
    if not flagged and not keep_pass:
        return ScanOutcome(verdict, None, None)
    lead = _lead_hit(verdict)
    scan = ComplianceScan(
        subject_type=subject_type,
        subject_id=subject_id,
        creator_id=creator_id,
        text=text,
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
        task = _open_task(session, subject_type, subject_id, creator_id, text, verdict)
        if task is not None:
            scan.review_task_id = task.id
    session.flush()
    return ScanOutcome(verdict, scan, task)


def _open_task(
    session: Session, subject_type: str, subject_id: int | None, creator_id: int | None, text: str, verdict: Verdict
) -> ReviewTask | None:
    duplicate = session.scalar(
        select(ReviewTask.id).where(
            ReviewTask.subject_type == subject_type,
            ReviewTask.subject_id == subject_id if subject_id is not None else ReviewTask.subject_id.is_(None),
            ReviewTask.status == ReviewStatus.PENDING,
            ReviewTask.text == text,
        )
    )
    if duplicate is not None:
        return None  # the same text of the same subject is already waiting for a person
    lead = _lead_hit(verdict)
    now = utcnow()
    task = ReviewTask(
        subject_type=subject_type,
        subject_id=subject_id,
        creator_id=creator_id,
        text=text,
        ai_verdict=verdict.verdict,
        ai_score=round(verdict.score, 4),
        priority=task_priority(verdict.verdict, verdict.score, lead.severity if lead is not None else None),
        due_at=now + DUE_AFTER[verdict.verdict],
        status=ReviewStatus.PENDING,
    )
    session.add(task)
    session.flush()
    record(session, None, "ai_flag", task, {"verdict": verdict.verdict.value, "score": round(verdict.score, 4)})
    return task


def task_priority(verdict: VerdictKind, score: float, severity: Severity | None) -> int:
    """Higher first: verdict, then the most severe hit, then the score (0–100)."""
    bonus = _SEVERITY_PRIORITY[severity] if severity is not None else 0
    return _VERDICT_PRIORITY[verdict] + bonus + round(100 * min(max(score, 0.0), 1.0))


def scan_subject(session: Session, principal: Principal | None, row: Base) -> ScanOutcome | None:
    """The ingestion hook: scan a product's copy or a video's title and script right after it is written."""
    if isinstance(row, Product):
        text, subject, creator_id = "\n".join(p for p in (row.name, row.description) if p), "product", None
    elif isinstance(row, Video):
        text, subject, creator_id = "\n".join(p for p in (row.title, row.script) if p), "video", row.creator_id
    else:
        raise TypeError(f"scan_subject() scans products and videos, not {type(row).__name__}")
    if not text.strip():
        return None
    return scan_text(session, subject_type=subject, subject_id=row.id, creator_id=creator_id, text=text[:MAX_TEXT])


def backfill(session: Session, limit: int | None = None, progress: Callable[[int], None] | None = None) -> int:
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
            scan_subject(session, None, row)
            scanned += 1
            if progress is not None:
                progress(1)
        if limit is not None and scanned >= limit:
            break
    return scanned


def review_live(session: Session, principal: Principal, livestream_id: int, message: LiveMessageIn) -> dict[str, Any]:
    """One live transcript line or barrage comment → its verdict; flagged ones are queued for reviewers.

    A barrage comment is a viewer's words, not the host's: it is queued (so a reviewer can act on the room)
    but carries no creator, so confirming it never penalises the host."""
    live = get_monitorable_livestream(session, livestream_id, principal)
    outcome = scan_text(
        session,
        subject_type=f"live_{message.kind}",
        subject_id=live.id,
        creator_id=live.creator_id if message.kind == "transcript" else None,
        text=message.text,
        keep_pass=False,
    )
    verdict = outcome.verdict
    return {
        "kind": message.kind,
        "at": message.at.isoformat() if message.at is not None else None,
        "verdict": verdict.verdict.value,
        "score": round(verdict.score, 4),
        "hits": [h.to_json() for h in verdict.hits],
        "library_version": verdict.library_version,
        "review_task_id": outcome.task.id if outcome.task is not None else None,
    }


def livestream_visible(session: Session, principal: Principal, livestream_id: int) -> LivestreamSession:
    return get_monitorable_livestream(session, livestream_id, principal)


def scan_for_task(session: Session, task_id: int) -> ComplianceScan | None:
    return session.scalar(
        select(ComplianceScan).where(ComplianceScan.review_task_id == task_id).order_by(ComplianceScan.id.desc())
    )


# -- decisions, labelled examples, violations, penalties ---------------------------------------------------------


def decide_review(
    session: Session, principal: Principal, task_id: int, decision: ReviewStatus, note: str
) -> ReviewTask:
    task = access.get_visible(session, ReviewTask, task_id, principal)
    require_role(principal, Role.REVIEWER, action="deciding review tasks")
    if task.status is not ReviewStatus.PENDING:
        raise Conflict(f"review task {task_id} was already decided ({task.status.value})")
    if decision is ReviewStatus.PENDING:
        raise InvalidInput("a decision is 'confirmed' or 'overturned'")
    task.status = decision
    task.decision_note = note
    task.decided_by_id = principal.user_id
    task.decided_at = utcnow()
    session.flush()
    record(session, principal, "decide", task, {"decision": decision.value, "note": note})
    scan = scan_for_task(session, task.id)
    _keep_example(session, task, scan)
    if decision is ReviewStatus.CONFIRMED and task.creator_id is not None:
        violation = _confirmed_violation(session, principal, task, scan)
        apply_policy(session, principal, violation)
    return task


def _keep_example(session: Session, task: ReviewTask, scan: ComplianceScan | None) -> None:
    """The sentence behind the leading finding, labelled by the reviewer: its category when confirmed, clean when
    overturned. Only medical/cosmetics/clean labels train the claim classifier; the rest are kept for audits."""
    from wanghong.compliance.engine.reviewer import sentence_spans

    hits = list(scan.hits) if scan is not None else []
    lead = max(hits, key=lambda h: (_SEVERITY_RANK[Severity(h["severity"])], -h["start"]), default=None)
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
    severity = max((Severity(h["severity"]) for h in hits), key=_SEVERITY_RANK.__getitem__, default=None)
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
    record(session, principal, "confirm", violation, {"review_task_id": task.id, "severity": severity.value})
    return violation


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
        row = CompliancePolicy(id=1, rules=rules, updated_by_id=_user_id(principal))
        session.add(row)
    else:
        row.rules = rules
        row.updated_by_id = _user_id(principal)
        row.updated_at = utcnow()
    session.flush()
    record(session, principal, "put_policy", row, {"before": before, "after": rules})
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
    record(session, principal, "penalise", penalty, {"kind": penalty.kind.value, "points": points, "days": days})
    return penalty


def penalised_creator_ids(
    session: Session,
    kinds: Iterable[PenaltyKind] = (PenaltyKind.TRAFFIC_LIMIT, PenaltyKind.SUSPENSION),
    at: datetime | None = None,
) -> set[int]:
    """Creators under an active penalty of these kinds at ``at`` — the traffic allocator's read.

    The allocator should drop suspended creators' items and down-weight (or cap the exposure of) creators under
    a traffic limit; this is platform-internal and not tenant-scoped."""
    at = at or utcnow()
    rows = session.scalars(
        select(CompliancePenalty.creator_id).where(
            CompliancePenalty.status == PenaltyStatus.ACTIVE,
            CompliancePenalty.kind.in_(list(kinds)),
            CompliancePenalty.starts_at <= at,
            (CompliancePenalty.ends_at.is_(None)) | (CompliancePenalty.ends_at > at),
        )
    ).all()
    return set(rows)


def list_penalties(
    session: Session,
    principal: Principal,
    creator_id: int | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> Page[CompliancePenalty]:
    stmt = access.visible_rows(CompliancePenalty, principal)
    if creator_id is not None:
        stmt = stmt.where(CompliancePenalty.creator_id == creator_id)
    return paginate(session, stmt, limit, cursor)


def get_penalty(session: Session, principal: Principal, penalty_id: int) -> CompliancePenalty:
    return access.get_visible(session, CompliancePenalty, penalty_id, principal)


# -- appeals -------------------------------------------------------------------------------------------------------


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
        filed_by_id=_user_id(principal),
        reason=data.reason,
    )
    session.add(appeal)
    if violation is not None and violation.status is ViolationStatus.CONFIRMED:
        violation.status = ViolationStatus.APPEALED
    session.flush()
    record(session, principal, "appeal", appeal, data.model_dump())
    return appeal


def decide_appeal(session: Session, principal: Principal, appeal_id: int, data: AppealDecisionIn) -> ComplianceAppeal:
    appeal = access.get_visible(session, ComplianceAppeal, appeal_id, principal)
    require_role(principal, Role.REVIEWER, action="deciding appeals")
    if appeal.status is not AppealStatus.PENDING:
        raise Conflict(f"appeal {appeal_id} was already decided ({appeal.status.value})")
    now = utcnow()
    appeal.status = AppealStatus(data.decision)
    appeal.decided_by_id = _user_id(principal)
    appeal.decided_at = now
    appeal.decision_note = data.note
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
    record(
        session, principal, "decide_appeal", appeal, {"decision": data.decision, "note": data.note, "lifted": lifted}
    )
    return appeal


def list_appeals(
    session: Session,
    principal: Principal,
    status: AppealStatus | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> Page[ComplianceAppeal]:
    stmt = access.visible_rows(ComplianceAppeal, principal)
    if status is not None:
        stmt = stmt.where(ComplianceAppeal.status == status)
    return paginate(session, stmt, limit, cursor)


# -- retraining ------------------------------------------------------------------------------------------------------


def _training_examples(session: Session, up_to_id: int | None) -> list[Any]:
    from wanghong.compliance.engine.classifier import LABELS, LabelledText

    stmt = select(ComplianceExample).where(ComplianceExample.label.in_(LABELS)).order_by(ComplianceExample.id)
    if up_to_id is not None:
        stmt = stmt.where(ComplianceExample.id <= up_to_id)
    # Each reviewed example is its own template group, so a held-out split never leaks it.
    return [LabelledText(e.text, e.label, f"review:{e.id}") for e in session.scalars(stmt)]


def _train_classifier(session: Session, generation: int, base: ComplianceReviewer) -> ClaimClassifier | None:
    from wanghong.compliance.engine.classifier import ClaimClassifier, load_claims

    run = session.get(ComplianceModelRun, generation)
    last = int(run.metrics.get("last_example_id", 0)) if run is not None else 0
    extra = _training_examples(session, last)
    return ClaimClassifier(base.scanner.normalizer.fold).fit([*load_claims(), *extra])


def retrain(session: Session, principal: Principal) -> ComplianceModelRun:
    """Retrain the claim classifier on the shipped set plus every reviewer-labelled example so far."""
    require_role(principal, action="retraining the compliance model")
    extra = _training_examples(session, None)
    last = session.scalar(select(func.max(ComplianceExample.id))) or 0
    run = ComplianceModelRun(
        examples=len(extra),
        metrics={"last_example_id": last, "by_label": dict(Counter(e.label for e in extra))},
        created_by_id=_user_id(principal),
    )
    session.add(run)
    session.flush()
    record(session, principal, "retrain", run, dict(run.metrics) | {"examples": len(extra)})
    _CACHE.invalidate()
    _CACHE.get(session)  # trains now, in this process, so the caller pays the cost rather than the next scan
    return run


# -- precision of the AI track ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrecisionRow:
    key: str
    confirmed: int
    decided: int

    @property
    def precision(self) -> float | None:
        return self.confirmed / self.decided if self.decided else None


@dataclass(frozen=True)
class PrecisionReport:
    by_verdict: list[PrecisionRow]
    by_category: list[PrecisionRow]
    by_day: list[tuple[str, PrecisionRow]]  # (ISO date, row keyed by verdict)
    pending: int


def precision_report(session: Session, principal: Principal, days: int = 90) -> PrecisionReport:
    """Share of decided AI flags that reviewers confirmed, by verdict, by category and by day."""
    require_role(principal, Role.REVIEWER, action="reading AI precision")
    since = utcnow() - timedelta(days=days)
    category = (
        select(ComplianceScan.category)
        .where(ComplianceScan.review_task_id == ReviewTask.id)
        .order_by(ComplianceScan.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(
        select(ReviewTask.ai_verdict, ReviewTask.status, ReviewTask.decided_at, category).where(
            access.scope_condition(ReviewTask, principal),
            ReviewTask.status != ReviewStatus.PENDING,
            ReviewTask.decided_at >= since,
        )
    ).all()
    pending = session.scalar(
        select(func.count())
        .select_from(ReviewTask)
        .where(access.scope_condition(ReviewTask, principal), ReviewTask.status == ReviewStatus.PENDING)
    )
    tallies: dict[str, dict[str, list[int]]] = {
        "verdict": defaultdict(lambda: [0, 0]),
        "category": defaultdict(lambda: [0, 0]),
    }
    daily: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for verdict, status, decided_at, cat in rows:
        confirmed = int(status is ReviewStatus.CONFIRMED)
        for kind, key in (("verdict", verdict.value), ("category", cat or "unspecified")):
            tallies[kind][key][0] += confirmed
            tallies[kind][key][1] += 1
        day = decided_at.date().isoformat()
        daily[(day, verdict.value)][0] += confirmed
        daily[(day, verdict.value)][1] += 1

    def table(kind: str) -> list[PrecisionRow]:
        return [PrecisionRow(k, c, d) for k, (c, d) in sorted(tallies[kind].items())]

    return PrecisionReport(
        by_verdict=table("verdict"),
        by_category=table("category"),
        by_day=[(day, PrecisionRow(v, c, d)) for (day, v), (c, d) in sorted(daily.items())],
        pending=int(pending or 0),
    )


# -- the reviewer's queue --------------------------------------------------------------------------------------------


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


def review_queue(session: Session, principal: Principal, limit: int = 50) -> list[QueueItem]:
    require_role(principal, Role.REVIEWER, action="working the review queue")
    tasks = session.scalars(
        access.visible_rows(ReviewTask, principal)
        .where(ReviewTask.status == ReviewStatus.PENDING)
        .order_by(ReviewTask.priority.desc(), ReviewTask.due_at, ReviewTask.id)
        .limit(limit)
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


def get_monitorable_livestream(session: Session, ident: int, principal: Principal) -> LivestreamSession:
    """A livestream whose talk the principal may watch for compliance: its creator, the creator's MCN, the brand
    that sponsors it and the administrator, as for any read, and also every reviewer — reviewing what is said on
    air is the reviewer's job, though a livestream's business figures are not theirs to read."""
    if principal.role is Role.REVIEWER:
        row = session.get(LivestreamSession, ident)
        if row is None:
            raise NotFound(f"livestream session {ident} not found")
        return row
    return access.get_visible(session, LivestreamSession, ident, principal)
