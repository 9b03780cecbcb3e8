"""The live review socket: transcript lines (the host's speech) and barrage comments reviewed as they happen.

``/api/v1/compliance/live/{livestream_id}``. Send one JSON object per message:

* ``{"kind": "transcript", "text", "at"}`` — a line of the host's speech;
* ``{"kind": "comment", "text", "at", "viewer_id", "product_id"?}`` — a barrage comment (a question in it is
  answered by the assistant);
* ``{"kind": "question", "text", "at", "viewer_id"?, "product_id"?}`` — a viewer's question relayed from the host's
  assistant panel on the live page: always answered (or handed over);
* ``{"kind": "enter"|"leave", "viewer_id", "at"}`` — a viewer enters or leaves (what the viewbot signals read).

Every connection of the room receives, typed by ``kind``: each transcript and comment's verdict ``{"kind", "at",
"viewer_id", "text", "verdict", "score", "hits", "library_version", "review_task_id"}``; the assistant's answers
``{"kind": "answer", "question", "answer", "fact_ids", "abstained", "label", "metadata", ...}`` (AI-labelled, explicit
and implicit); and the room's risk ``{"kind": "risk", "score", "components", "crossed", "review_task_id"}`` every
``live_room.SCORE_EVERY_MESSAGES`` messages or ``SCORE_EVERY_S`` seconds. ``enter``/``leave`` are acknowledged to
their sender only, as are refusals. A room's connections on different workers share it through Redis when
``Settings.live_rooms`` is ``"redis"`` (see ``live_hub``).

What a transcript line says can become a penalty on the host, so who may feed the socket is narrow:

* **Senders**: the session's creator, the creator's MCN, or the platform's ingest service account (an
  administrator account: ``/api/v1/events:batch`` is fed by the same one). Anyone else who may watch the session
  (its sponsor brand, a reviewer) is refused with 4403; someone who may not see it at all gets 4404.
* **Attribution**: every flagged message's scan is audited with the sender as actor, and comments name their
  viewer, so neither host nor audience is blamed for words the other said.
* **Ended sessions** refuse input (4409), at connection and for every message after the session ends.
* **Rate**: a token bucket per connection (``RATE_PER_SECOND``, bursts of ``BURST``); a message over it is
  answered ``{"status": 429, "retry_after": s}`` and dropped, and a client that keeps sending through the
  refusals is disconnected (4429).
* **Credentials** travel in the ``Authorization: Bearer`` handshake header or the web session cookie, never in the
  URL, where access logs would keep them: ``?token=`` is refused (4401).
* **Origin**: a browser handshake from any origin but this site's own is refused before the upgrade (HTTP 403),
  so another site cannot ride a signed-in viewer's cookie.

Application close codes (4000–4999) are the HTTP status the same failure would have had, plus 4000.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal, Self
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import Field, StringConstraints, ValidationError, model_validator
from starlette.concurrency import run_in_threadpool

from wanghong.accounts.auth import principal_for_token
from wanghong.accounts.deps import SESSION_COOKIE
from wanghong.accounts.principal import Principal
from wanghong.commerce.models import LivestreamSession
from wanghong.compliance import live_room, scanning
from wanghong.compliance.engine_cache import REVIEWERS
from wanghong.compliance.live_hub import HUB, Outbox, RoomHub
from wanghong.compliance.schemas import MAX_TEXT
from wanghong.domain import Verdict as VerdictKind
from wanghong.kit import audit
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Conflict, Forbidden, NotFound, ServiceError, Unauthorized
from wanghong.kit.runtime import Runtime
from wanghong.kit.schemas import INTEGER_MAX, Input

router = APIRouter(prefix="/compliance", tags=["合规审核 / compliance"])

RATE_PER_SECOND = 5.0
BURST = 10
FUTURE_SLACK = timedelta(minutes=5)  # clocks differ; an "at" further ahead is a mistake, not a visit
_CLOSE_POLICY = 1008  # before the upgrade: uvicorn answers the handshake with HTTP 403
_BIGINT = 2**63 - 1


class LiveMessage(Input):
    kind: Literal["transcript", "comment", "question", "enter", "leave"]
    text: Annotated[str, StringConstraints(max_length=MAX_TEXT)] = ""
    at: datetime | None = None
    viewer_id: Annotated[int, Field(ge=1, le=_BIGINT)] | None = None
    product_id: Annotated[int, Field(ge=1, le=INTEGER_MAX)] | None = None

    @model_validator(mode="after")
    def _fields_go_with_kinds(self) -> Self:
        if self.kind in ("comment", "enter", "leave") and self.viewer_id is None:
            raise ValueError(f"a {self.kind} message names its viewer: send viewer_id / 须带观众编号 viewer_id")
        if self.kind == "transcript" and self.viewer_id is not None:
            raise ValueError("a transcript line is the host's speech and names no viewer / 主播口播不带 viewer_id")
        if self.kind in ("enter", "leave") and (self.text or self.product_id is not None):
            raise ValueError(f"a {self.kind} message carries no text or product / 进出场消息不带文字或商品")
        if self.kind == "question" and not self.text.strip():
            raise ValueError("a question needs its text / 问题不能为空")
        if self.kind == "transcript" and self.product_id is not None:
            raise ValueError("product_id goes with a viewer's comment or question / 商品编号只随弹幕或提问")
        if self.at is not None:
            if self.at.tzinfo is None:
                self.at = self.at.replace(tzinfo=UTC)  # ingest sends UTC; a bare time is read as UTC
            if self.at > utcnow() + FUTURE_SLACK:
                raise ValueError("at lies in the future / 时间不能晚于现在")
        return self


_FLOODED = {"error": "too many messages; disconnected / 发送过快，已断开", "status": 429}
_FORMAT = (
    '消息格式应为 / send {"kind": "transcript"|"comment"|"question"|"enter"|"leave", "text": ..., "at": ISO time, '
    '"viewer_id": int (viewers), "product_id": int (optional, comments and questions)}'
)


@dataclass
class _Bucket:
    """Messages a connection may still send now; refills at RATE_PER_SECOND up to BURST."""

    tokens: float = BURST
    stamp: float = field(default_factory=time.monotonic)
    refused: int = 0  # refusals in a row; reset by an accepted message

    def take(self) -> float:
        """0 when a message may go now, else the seconds until one may."""
        now = time.monotonic()
        self.tokens = min(BURST, self.tokens + (now - self.stamp) * RATE_PER_SECOND)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            self.refused = 0
            return 0.0
        self.refused += 1
        return (1 - self.tokens) / RATE_PER_SECOND


def _own_origin(origin: str, host: str) -> bool:
    # The scheme is not compared: behind a TLS-terminating proxy the app sees ws while the browser says wss.
    return bool(host) and urlsplit(origin).netloc.lower() == host.lower()


def _credential(websocket: WebSocket) -> str:
    if "token" in websocket.query_params:
        raise Unauthorized(
            "a token in the URL is refused (access logs keep URLs): send it as the Authorization: Bearer header "
            "of the handshake / 令牌不可放在网址中，请放在握手的 Authorization 头"
        )
    scheme, _, value = websocket.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return websocket.cookies.get(SESSION_COOKIE, "")


def _live_for_sender(session: Any, principal: Principal, livestream_id: int) -> LivestreamSession:
    """The session if `principal` may feed it; NotFound when it is not theirs to see, Forbidden when they may only
    watch it, Conflict once it has ended."""
    live = scanning.monitorable_livestream(session, principal, livestream_id)
    if not live_room.feeds(session, principal, live):
        raise Forbidden(
            "only the session's creator, its MCN or the ingest service account may send speech and comments / "
            "仅本场达人、其 MCN 或平台接入账号可发送口播与弹幕"
        )
    if live.ended_at is not None:
        raise Conflict(f"livestream session {live.id} has ended and takes no more input / 直播已结束，不再接收内容")
    return live


def _open(db: Database, credential: str, livestream_id: int) -> Principal:
    with db.transaction() as session:
        if not credential:
            raise Unauthorized("sign in first: send Authorization: Bearer <token> / 请先登录")
        principal = principal_for_token(session, credential)
        _live_for_sender(session, principal, livestream_id)
        return principal


@dataclass
class _Outcome:
    """What one message produced: for the room (verdicts, answers, risk) and for its sender alone."""

    room: list[dict[str, Any]] = field(default_factory=list)
    sender: list[dict[str, Any]] = field(default_factory=list)


def _review(db: Database, runtime: Runtime, principal: Principal, livestream_id: int, message: LiveMessage) -> _Outcome:
    outcome = _Outcome()
    with db.transaction() as session:
        live = _live_for_sender(session, principal, livestream_id)
        at = message.at.isoformat() if message.at is not None else None
        if message.kind in ("enter", "leave"):
            assert message.viewer_id is not None
            note = live_room.enter if message.kind == "enter" else live_room.leave
            note(session, live.id, message.viewer_id, message.at or utcnow())
            outcome.sender.append({"kind": message.kind, "at": at, "viewer_id": message.viewer_id, "accepted": True})
        else:
            outcome.room.append(_scanned(session, runtime, principal, live, message))
            if message.kind != "transcript" and message.viewer_id is not None:
                live_room.commented(session, live.id, message.viewer_id, message.text)
            if message.kind != "transcript" and outcome.room[-1]["verdict"] == VerdictKind.PASS.value:
                _answer(session, runtime, principal, live, message, outcome)
        if live_room.observe(session, live, message.kind):
            scored = live_room.score(session, live)
            if scored is not None:
                outcome.room.append(scored.to_json())
    return outcome


def _scanned(
    session: Any, runtime: Runtime, principal: Principal, live: LivestreamSession, message: LiveMessage
) -> dict[str, Any]:
    speech = message.kind == "transcript"
    # A relayed question is a viewer's words like any comment.
    subject = "live_transcript" if speech else "live_comment"
    result = scanning.scan_text(
        session,
        reviewers=runtime.get(REVIEWERS),
        subject_type=subject,
        subject_id=live.id,
        # A comment is a viewer's words, not the host's: queued, but confirming it never penalises the host.
        creator_id=live.creator_id if speech else None,
        text=message.text,
        keep_pass=False,
    )
    task = result.task
    if result.scan is not None:
        audit.record(
            session,
            principal,
            f"{subject}.flagged",
            result.scan,
            {
                "livestream_id": live.id,
                "viewer_id": message.viewer_id,
                "review_task_id": task.id if task is not None else None,
                "at": message.at.isoformat() if message.at is not None else None,
            },
        )
    verdict = result.verdict
    return {
        "kind": message.kind,
        "at": message.at.isoformat() if message.at is not None else None,
        "viewer_id": message.viewer_id,
        "text": message.text,
        "verdict": verdict.verdict.value,
        "score": round(verdict.score, 4),
        "hits": [h.to_json() for h in verdict.hits],
        "library_version": verdict.library_version,
        "review_task_id": task.id if task is not None else None,
    }


def _answer(
    session: Any, runtime: Runtime, principal: Principal, live: LivestreamSession, message: LiveMessage, out: _Outcome
) -> None:
    question = live_room.RoomQuestion(
        livestream_id=live.id,
        text=message.text,
        viewer_id=message.viewer_id,
        product_id=message.product_id,
        asked=message.kind == "question",
    )
    try:
        with session.begin_nested():  # a refused answer leaves the scan and the counts of this message in place
            answer = live_room.answer_question(session, principal, question, runtime.settings)
    except ServiceError as error:
        out.sender.append({"kind": "answer_refused", "error": error.detail, "status": error.status})
        return
    if answer is not None:
        out.room.append(answer)


async def _refuse(websocket: WebSocket, error: ServiceError) -> None:
    await websocket.send_json({"error": error.detail, "status": error.status})
    await websocket.close(code=4000 + error.status)


async def _write(websocket: WebSocket, queue: Outbox) -> None:
    """The connection's one writer: the room's broadcasts and its own replies, in the order they were queued."""
    while (item := await queue.get()) is not None:
        await websocket.send_json(item)


@router.websocket("/live/{livestream_id}")
async def live(websocket: WebSocket, livestream_id: int) -> None:
    """Review live speech and barrage, answer viewers' questions, stream the room's risk; see the module docstring."""
    origin = websocket.headers.get("origin")
    if origin is not None and not _own_origin(origin, websocket.headers.get("host", "")):
        await websocket.close(code=_CLOSE_POLICY)
        return
    db: Database = websocket.app.state.db
    runtime: Runtime = websocket.app.state.runtime
    await websocket.accept()
    try:
        principal = await run_in_threadpool(_open, db, _credential(websocket), livestream_id)
    except ServiceError as error:
        await _refuse(websocket, error)
        return
    hub = runtime.get(HUB)
    queue: Outbox = asyncio.Queue()
    writer = asyncio.create_task(_write(websocket, queue))
    await hub.join(livestream_id, queue)

    async def close(payload: dict[str, Any], code: int) -> None:
        await hub.leave(livestream_id, queue)
        queue.put_nowait(payload)
        queue.put_nowait(None)
        await writer
        await websocket.close(code=code)

    try:
        await _serve(websocket, db, runtime, principal, livestream_id, hub, queue, close)
    except WebSocketDisconnect:
        pass
    finally:
        await hub.leave(livestream_id, queue)
        if not writer.done():
            writer.cancel()


async def _serve(
    websocket: WebSocket,
    db: Database,
    runtime: Runtime,
    principal: Principal,
    livestream_id: int,
    hub: RoomHub,
    queue: Outbox,
    close: Any,
) -> None:
    bucket = _Bucket()
    while True:
        raw = await websocket.receive_text()
        wait = bucket.take()
        if wait:
            if bucket.refused > BURST:
                await close(_FLOODED, 4429)
                return
            queue.put_nowait(
                {
                    "error": f"too many messages: at most {RATE_PER_SECOND:g} a second / 发送过快，请稍后再发",
                    "status": 429,
                    "retry_after": round(wait, 3),
                }
            )
            continue
        try:
            message = LiveMessage.model_validate(json.loads(raw))
        except (json.JSONDecodeError, ValidationError) as exc:
            detail = exc.errors() if isinstance(exc, ValidationError) else str(exc)
            queue.put_nowait({"error": _FORMAT, "detail": json.loads(json.dumps(detail, default=str))})
            continue
        try:
            outcome = await run_in_threadpool(_review, db, runtime, principal, livestream_id, message)
        except (Conflict, Forbidden, NotFound) as error:
            # The session ended, or the sender lost their standing with it: nothing more will be taken.
            await close({"error": error.detail, "status": error.status}, 4000 + error.status)
            return
        except ServiceError as error:
            queue.put_nowait({"error": error.detail, "status": error.status})
            continue
        for payload in outcome.room:
            await hub.publish(livestream_id, payload)
        for payload in outcome.sender:
            queue.put_nowait(payload)
