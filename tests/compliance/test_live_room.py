"""One live risk score per room (issue 18, 行为检测): its components, the viewbot and originality signals it reads,
and one review task per threshold crossing, even when connections score the room at once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from tests.fixtures.world import T0, World

from wanghong.commerce.models import LivestreamSession
from wanghong.compliance import live_room
from wanghong.compliance.engine.live_risk import (
    FlaggedLine,
    RoomSignals,
    compliance_component,
    crossings,
    room_risk,
)
from wanghong.compliance.models import ComplianceScan, LiveRoom, ReviewTask, Violation
from wanghong.domain import Severity, Verdict, ViolationStatus
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database


def _live(db: Database, world: World) -> int:
    with db.transaction() as s:
        live = LivestreamSession(creator_id=world["creatorB1"], started_at=T0 + timedelta(days=3))
        s.add(live)
        s.flush()
        return live.id


def test_components_combine_as_independent_risks() -> None:
    one_block = compliance_component([FlaggedLine(0.0, blocked=True, speech=True)])
    assert one_block.value == pytest.approx(39.35, abs=0.01)
    # A viewer's flagged comment weighs a tenth of the host's line; an old line has faded.
    assert compliance_component([FlaggedLine(0.0, True, speech=False)]).value < 5
    assert compliance_component([FlaggedLine(3 * 600.0, True, speech=True)]).value < one_block.value / 5
    bots = RoomSignals([], visits=100, expected_bots=50.0, bot_bursts=1, copied_confirmed=0)
    assert room_risk(bots).score == pytest.approx(80.0)  # fraud alone reaches its weight
    both = RoomSignals([FlaggedLine(0.0, True, True)], 100, 50.0, 1, 1)
    risk = room_risk(both)
    # Noisy-OR: 1 − (1 − 0.39)(1 − 0.8)(1 − 0.2), higher than any component, never above 100.
    assert risk.score == pytest.approx(100 * (1 - (1 - 0.3935) * 0.2 * 0.8), abs=0.05)
    few = RoomSignals([], visits=10, expected_bots=10.0, bot_bursts=0, copied_confirmed=0)
    assert room_risk(few).score == 0.0  # ten visits say nothing about bots yet


def test_a_threshold_raises_once_per_crossing_and_rearms_below_it() -> None:
    crossed, above = crossings(70.0, frozenset())
    assert crossed == ["review"] and above == {"review"}
    assert crossings(75.0, above) == ([], above)  # still above: nothing new
    assert crossings(55.0, above) == ([], above)  # within the margin: not re-armed
    crossed, above = crossings(45.0, above)
    assert crossed == [] and above == frozenset()
    assert crossings(90.0, above) == (["review", "urgent"], {"review", "urgent"})


def test_a_viewbot_burst_and_confirmed_copies_raise_the_room(db: Database, world: World) -> None:
    live_id = _live(db, world)
    start = utcnow() - timedelta(minutes=30)
    with db.transaction() as s:
        for k in range(60):  # a genuine audience: one arrival every 20 s, staying five minutes
            at = start + timedelta(seconds=20 * k)
            live_room.enter(s, live_id, 1000 + k, at)
            live_room.leave(s, live_id, 1000 + k, at + timedelta(minutes=5))
        live = s.get(LivestreamSession, live_id)
        assert live is not None
        calm = live_room.signals(s, live, utcnow())
    assert room_risk(calm).component("fraud").value == 0.0
    with db.transaction() as s:
        burst = start + timedelta(minutes=10)
        for k in range(150):  # 150 accounts in two seconds, out one second later, each saying 666
            at = burst + timedelta(milliseconds=13 * k)
            live_room.enter(s, live_id, 5000 + k, at)
            live_room.commented(s, live_id, 5000 + k, "666")
            live_room.leave(s, live_id, 5000 + k, at + timedelta(seconds=1))
        s.add(
            Violation(
                creator_id=world["creatorB1"],
                subject_type="video",
                subject_id=world["videoB"],
                category="copied_content",
                severity=Severity.MEDIUM,
                status=ViolationStatus.CONFIRMED,
            )
        )
    with db.transaction() as s:
        live = s.get(LivestreamSession, live_id)
        assert live is not None
        scored = live_room.score(s, live)
    assert scored is not None
    fraud = scored.risk.component("fraud")
    assert fraud.figures["visits"] == 210 and fraud.figures["bursts"] >= 1
    assert fraud.value == 100.0 and scored.risk.component("originality").value == 40.0
    # 1 − (1 − 0.8)(1 − 0.2): bots and a copier make a room worth a review, not yet an urgent one.
    assert scored.risk.score == pytest.approx(84.0) and scored.crossed == ("review",)
    with db.transaction() as s:
        task = s.get(ReviewTask, scored.review_task_id)
        assert task is not None and task.ai_verdict is Verdict.REVIEW and task.subject_id == live_id


def test_connections_scoring_at_once_raise_one_task(db: Database, world: World) -> None:
    live_id = _live(db, world)
    with db.transaction() as s:
        for k in range(4):  # four flagged lines of the host: compliance ≈ 86
            s.add(
                ComplianceScan(
                    subject_type="live_transcript",
                    subject_id=live_id,
                    creator_id=world["creatorB1"],
                    text=f"第一名 {k}",
                    verdict=Verdict.BLOCK,
                    score=0.9,
                    category="absolute_claim",
                    hits=[],
                    library_version=1,
                )
            )
        live = s.get(LivestreamSession, live_id)
        assert live is not None
        live_room.observe(s, live, "transcript")
    results: list[object] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(4)

    def score() -> None:
        try:
            gate.wait(timeout=10)
            with db.transaction() as s:
                live = s.get(LivestreamSession, live_id)
                assert live is not None
                results.append(live_room.score(s, live))
        except BaseException as exc:  # the race's loser on PostgreSQL may also see a serialization refusal
            errors.append(exc)

    threads = [threading.Thread(target=score) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    with db.transaction() as s:
        tasks = s.scalar(
            select(func.count(ReviewTask.id)).where(
                ReviewTask.subject_type == "live_room", ReviewTask.subject_id == live_id
            )
        )
        room = s.get(LiveRoom, live_id)
    assert tasks == 1
    assert room is not None and room.above == ["review", "urgent"]
    assert sum(r is not None and r.review_task_id is not None for r in results) == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("message", "accepted"),
    [
        ({"kind": "enter", "viewer_id": 3}, True),
        ({"kind": "leave", "viewer_id": 3, "at": "2026-11-05T12:00:00"}, True),  # a bare time is read as UTC
        ({"kind": "enter"}, False),  # whose visit?
        ({"kind": "enter", "viewer_id": 3, "text": "hi"}, False),
        ({"kind": "question", "text": "多少钱", "product_id": 5}, True),  # relayed: the viewer may be unknown
        ({"kind": "question", "text": "  "}, False),
        ({"kind": "transcript", "text": "大家好", "product_id": 5}, False),
        ({"kind": "comment", "text": "好看", "viewer_id": 3, "at": "2999-01-01T00:00:00+00:00"}, False),
    ],
)
def test_the_socket_takes_visits_and_questions_in_their_shape(message: dict[str, object], accepted: bool) -> None:
    from pydantic import ValidationError

    from wanghong.compliance.live_socket import LiveMessage

    if accepted:
        parsed = LiveMessage.model_validate(message)
        assert parsed.at is None or parsed.at.tzinfo is not None
    else:
        with pytest.raises(ValidationError):
            LiveMessage.model_validate(message)
