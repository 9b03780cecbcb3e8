"""The live room (直播间) behind the live socket: viewer visits, the room's one risk score, and the question hook.

* **Visits**: ``enter`` / ``leave`` messages and the first comment of each visit are kept (``LiveVisit``); the
  viewbot detector (``fraud.engine.viewbots``) reads them when the room is scored.
* **Risk**: every ``SCORE_EVERY_MESSAGES`` messages, or when ``SCORE_EVERY_S`` have passed since the last score,
  the room is scored from its recent flagged speech and barrage, its visits and its host's confirmed copies
  (``engine.live_risk``). Each score is a ``LiveRiskPoint``; a score that crosses a threshold upwards opens one
  review task (subject ``live_room``). The room row changes only by a conditional update on its ``revision``:
  of two connections scoring the same room at once, one writes and raises, the other stands down.
* **Questions**: compliance does not know the assistant (the assistant depends on compliance, not the other
  way round), so the assistant registers how a viewer's question is answered (``answer_questions_with``) and the
  socket asks through ``answer_question``. Without a registered answerer questions go unanswered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import numpy as np
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Creator, LivestreamSession
from wanghong.compliance import audit, scanning
from wanghong.compliance.engine.live_risk import (
    THRESHOLDS,
    WINDOW_S,
    FlaggedLine,
    RoomRisk,
    RoomSignals,
    crossings,
    room_risk,
)
from wanghong.compliance.models import ComplianceScan, LiveRiskPoint, LiveRoom, LiveVisit, ReviewTask, Violation
from wanghong.config import Settings
from wanghong.domain import ReviewStatus, Role, ViolationStatus
from wanghong.domain import Verdict as VerdictKind
from wanghong.fraud.engine.viewbots import detect_viewbots
from wanghong.kit.audit import record
from wanghong.kit.db.base import utcnow

SCORE_EVERY_MESSAGES = 10
SCORE_EVERY_S = 5.0
MAX_VISITS_READ = 50_000  # the newest visits a score reads; a room larger than this is scored on its latest crowd
COPY_WINDOW = timedelta(days=180)
# originality.claims.VIOLATION_CATEGORY: originality imports compliance, so compliance names the category itself.
COPIED_CONTENT = "copied_content"
LIVE_SUBJECTS = ("live_transcript", "live_comment")
RISK_RAISE = "live_room.risk_raise"
_TASK_VERDICT = {"review": VerdictKind.REVIEW, "urgent": VerdictKind.BLOCK}
_THRESHOLD_SCORE = {name: line for line, name in THRESHOLDS}
COMPONENT_NAMES = {
    "compliance": ("合规", "compliance"),
    "fraud": ("刷量", "fraud"),
    "originality": ("原创", "originality"),
}


def feeds(session: Session, principal: Principal, live: LivestreamSession) -> bool:
    """Whether `principal` may speak into the room: its creator, the creator's MCN, or the ingest service account
    (an administrator). Others who may watch it (its sponsor brand, reviewers) only watch."""
    if principal.role is Role.ADMIN:
        return True
    if principal.role is Role.CREATOR:
        return principal.creator_id == live.creator_id
    if principal.role is Role.MCN_MANAGER:
        creator = session.get(Creator, live.creator_id)
        return creator is not None and creator.mcn_id is not None and creator.mcn_id == principal.mcn_id
    return False


# ---- visits ------------------------------------------------------------------------------------------------


def enter(session: Session, livestream_id: int, viewer_id: int, at: datetime) -> None:
    open_visit = _open_visit(session, livestream_id, viewer_id)
    if open_visit is not None and open_visit.entered_at == at:
        return  # the same entry sent twice (an ingest retry): one visit
    if open_visit is not None:
        open_visit.left_at = max(at, open_visit.entered_at)  # a second entry closes the visit its leave never did
    session.add(LiveVisit(livestream_id=livestream_id, viewer_id=viewer_id, entered_at=at))
    session.flush()


def leave(session: Session, livestream_id: int, viewer_id: int, at: datetime) -> None:
    visit = _open_visit(session, livestream_id, viewer_id)
    if visit is not None:
        visit.left_at = max(at, visit.entered_at)
        session.flush()


def commented(session: Session, livestream_id: int, viewer_id: int, text: str) -> None:
    visit = _open_visit(session, livestream_id, viewer_id)
    if visit is not None and not visit.comment:
        visit.comment = text[:200]
        session.flush()


def _open_visit(session: Session, livestream_id: int, viewer_id: int) -> LiveVisit | None:
    return session.scalar(
        select(LiveVisit)
        .where(LiveVisit.livestream_id == livestream_id, LiveVisit.viewer_id == viewer_id, LiveVisit.left_at.is_(None))
        .order_by(LiveVisit.entered_at.desc(), LiveVisit.id.desc())
        .limit(1)
    )


# ---- the room's risk ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoomScore:
    livestream_id: int
    risk: RoomRisk
    crossed: tuple[str, ...]
    review_task_id: int | None
    computed_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "risk",
            "livestream_id": self.livestream_id,
            **self.risk.to_json(),
            "crossed": list(self.crossed),
            "review_task_id": self.review_task_id,
            "at": self.computed_at.isoformat(),
        }


def _room(session: Session, livestream_id: int) -> LiveRoom:
    room = session.get(LiveRoom, livestream_id)
    if room is not None:
        return room
    try:
        with session.begin_nested():  # the first message of a room: two connections may create it at once
            # Scored "at" its opening with nothing to score: the first score follows SCORE_EVERY_MESSAGES
            # messages or SCORE_EVERY_S seconds later, as every one after it.
            session.add(LiveRoom(livestream_id=livestream_id, scored_at=utcnow()))
    except IntegrityError:
        pass
    room = session.get(LiveRoom, livestream_id, populate_existing=True)
    assert room is not None
    return room


def observe(session: Session, live: LivestreamSession, kind: str, *, now: datetime | None = None) -> bool:
    """Count one accepted message; True when the room is due for a score."""
    _room(session, live.id)
    values: dict[str, Any] = {"messages": LiveRoom.messages + 1}
    if kind == "transcript":
        values["transcripts"] = LiveRoom.transcripts + 1
    elif kind in ("comment", "question"):
        values["comments"] = LiveRoom.comments + 1
    counted = session.execute(
        update(LiveRoom)
        .where(LiveRoom.livestream_id == live.id)
        .values(**values)
        .returning(LiveRoom.messages, LiveRoom.scored_messages, LiveRoom.scored_at)
        .execution_options(synchronize_session=False)
    ).one()
    messages, scored_messages, scored_at = counted
    now = now or utcnow()
    return (
        scored_at is None
        or messages - scored_messages >= SCORE_EVERY_MESSAGES
        or (now - scored_at).total_seconds() >= SCORE_EVERY_S
    )


def signals(session: Session, live: LivestreamSession, now: datetime) -> RoomSignals:
    since = now - timedelta(seconds=WINDOW_S)
    flagged = [
        FlaggedLine(
            age_s=(now - created).total_seconds(),
            blocked=verdict is VerdictKind.BLOCK,
            speech=subject == "live_transcript",
        )
        for subject, verdict, created in session.execute(
            select(ComplianceScan.subject_type, ComplianceScan.verdict, ComplianceScan.created_at).where(
                ComplianceScan.subject_type.in_(LIVE_SUBJECTS),
                ComplianceScan.subject_id == live.id,
                ComplianceScan.verdict != VerdictKind.PASS,
                ComplianceScan.created_at >= since,
            )
        )
    ]
    visits = session.execute(
        select(LiveVisit.entered_at, LiveVisit.left_at, LiveVisit.comment)
        .where(LiveVisit.livestream_id == live.id)
        .order_by(LiveVisit.id.desc())
        .limit(MAX_VISITS_READ)
    ).all()
    expected_bots, bursts = _bots(visits, now)
    copies = session.scalar(
        select(func.count(Violation.id)).where(
            Violation.creator_id == live.creator_id,
            Violation.category == COPIED_CONTENT,
            Violation.status == ViolationStatus.CONFIRMED,
            Violation.created_at >= now - COPY_WINDOW,
        )
    )
    return RoomSignals(flagged, len(visits), expected_bots, bursts, int(copies or 0))


def _bots(visits: Sequence[Any], now: datetime) -> tuple[float, int]:
    if not visits:
        return 0.0, 0
    origin = min(v.entered_at for v in visits)
    enter_s = np.array([(v.entered_at - origin).total_seconds() for v in visits])
    # A visit still open has lasted until now; one whose clock ran ahead of ours has lasted nothing yet.
    leave_s = np.array([((v.left_at or max(now, v.entered_at)) - origin).total_seconds() for v in visits])
    comments = np.array([v.comment or "" for v in visits], dtype=object)
    verdict = detect_viewbots(enter_s, np.maximum(leave_s, enter_s), comments)
    return float(verdict.bot_probability.sum()), len(verdict.burst_windows)


def score(session: Session, live: LivestreamSession, *, now: datetime | None = None) -> RoomScore | None:
    """Score the room now; None when another connection scored it meanwhile (its push carries the news)."""
    now = now or utcnow()
    room = _room(session, live.id)
    session.refresh(room)
    risk = room_risk(signals(session, live, now))
    crossed, above = crossings(risk.score, frozenset(room.above))
    written = session.execute(
        update(LiveRoom)
        .where(LiveRoom.livestream_id == live.id, LiveRoom.revision == room.revision)
        .values(
            score=round(risk.score, 3),
            peak=max(room.peak, round(risk.score, 3)),
            components=risk.to_json()["components"],
            above=sorted(above),
            scored_at=now,
            scored_messages=room.messages,
            revision=room.revision + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if cast("CursorResult[Any]", written).rowcount != 1:
        return None
    task = _raise(session, live, risk, crossed[-1]) if crossed else None
    session.add(
        LiveRiskPoint(
            livestream_id=live.id,
            computed_at=now,
            score=round(risk.score, 3),
            compliance=round(risk.component("compliance").value, 3),
            fraud=round(risk.component("fraud").value, 3),
            originality=round(risk.component("originality").value, 3),
            crossed=crossed[-1] if crossed else "",
            review_task_id=task.id if task is not None else None,
        )
    )
    session.flush()
    return RoomScore(live.id, risk, tuple(crossed), task.id if task is not None else None, now)


def _raise(session: Session, live: LivestreamSession, risk: RoomRisk, threshold: str) -> ReviewTask:
    """One review task for one crossing (the highest crossed, when a jump passes two). Its creator is left empty:
    upholding a room's risk asks a person to watch the room, it is no violation of its own — the flagged lines
    that drove it have tasks of their own, which can be."""
    verdict = _TASK_VERDICT[threshold]
    parts = "；".join(
        f"{COMPONENT_NAMES[c.name][0]} {c.value:.0f} / {COMPONENT_NAMES[c.name][1]} {c.value:.0f}"
        for c in risk.components
    )
    text = (
        f"直播间 #{live.id}（达人 #{live.creator_id}）风险分 {risk.score:.0f} 越过 {_THRESHOLD_SCORE[threshold]:.0f}："
        f"{parts} / room #{live.id} (creator #{live.creator_id}) risk {risk.score:.0f} crossed "
        f"{_THRESHOLD_SCORE[threshold]:.0f}"
    )
    now = utcnow()
    task = ReviewTask(
        subject_type="live_room",
        subject_id=live.id,
        creator_id=None,
        text=text,
        ai_verdict=verdict,
        ai_score=round(risk.score / 100, 4),
        priority=scanning.task_priority(verdict, risk.score / 100, None),
        due_at=now + scanning.DUE_AFTER[verdict],
        status=ReviewStatus.PENDING,
    )
    session.add(task)
    session.flush()
    detail = {"livestream_id": live.id, "threshold": threshold, **risk.to_json()}
    record(session, None, audit.REVIEW_TASK_FLAG, task, detail)
    record(session, None, RISK_RAISE, task, {"livestream_id": live.id, "threshold": threshold})
    return task


# ---- what the live page reads ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoomView:
    live: LivestreamSession
    room: LiveRoom | None
    points: list[LiveRiskPoint]  # oldest first, for the line


def room_view(session: Session, principal: Principal, livestream_id: int, *, points: int = 120) -> RoomView:
    """The room's risk as the live page shows it, for whoever may watch the session."""
    live = scanning.monitorable_livestream(session, principal, livestream_id)
    newest = session.scalars(
        select(LiveRiskPoint)
        .where(LiveRiskPoint.livestream_id == live.id)
        .order_by(LiveRiskPoint.id.desc())
        .limit(points)
    ).all()
    return RoomView(live, session.get(LiveRoom, live.id), list(reversed(newest)))


# ---- questions: answered by whoever registered (the assistant) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoomQuestion:
    livestream_id: int
    text: str
    viewer_id: int | None  # None: typed by the host's side on the live page
    product_id: int | None  # the product the question is about, when the sender knows it
    asked: bool  # relayed as a question (answered or handed over), not a comment that may be one


Answerer = Callable[[Session, Principal, RoomQuestion, Settings], dict[str, Any] | None]
_ANSWERERS: list[Answerer] = []


def answer_questions_with(answerer: Answerer) -> None:
    """Register the one answerer of viewers' questions (the assistant does, when it is imported)."""
    if answerer not in _ANSWERERS:
        _ANSWERERS[:] = [answerer]


def answer_question(
    session: Session, principal: Principal, question: RoomQuestion, settings: Settings
) -> dict[str, Any] | None:
    """The registered answerer's reply to the room (a dict to broadcast), or None: not a question, or no answerer."""
    if not _ANSWERERS:
        return None
    return _ANSWERERS[0](session, principal, question, settings)
