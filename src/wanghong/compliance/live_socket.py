"""The live review socket: transcript lines (the host's speech) and barrage comments reviewed as they happen.

``/api/v1/compliance/live/{livestream_id}``. Send ``{"kind": "transcript"|"comment", "text": ..., "at": ISO time,
"viewer_id": int}`` (``viewer_id``: the commenter, for comments only); receive one verdict per message,
``{"kind", "at", "viewer_id", "verdict", "score", "hits", "library_version", "review_task_id"}``.

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

import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal, Self
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import Field, StringConstraints, ValidationError, model_validator
from starlette.concurrency import run_in_threadpool

from wanghong.accounts.auth import principal_for_token
from wanghong.accounts.deps import SESSION_COOKIE
from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Creator, LivestreamSession
from wanghong.compliance import scanning
from wanghong.compliance.engine_cache import REVIEWERS
from wanghong.compliance.schemas import MAX_TEXT
from wanghong.domain import Role
from wanghong.kit import audit
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Conflict, Forbidden, NotFound, ServiceError, Unauthorized
from wanghong.kit.runtime import Runtime
from wanghong.kit.schemas import Input

router = APIRouter(prefix="/compliance", tags=["合规审核 / compliance"])

RATE_PER_SECOND = 5.0
BURST = 10
_CLOSE_POLICY = 1008  # before the upgrade: uvicorn answers the handshake with HTTP 403
_BIGINT = 2**63 - 1


class LiveMessage(Input):
    kind: Literal["transcript", "comment"]
    text: Annotated[str, StringConstraints(max_length=MAX_TEXT)]
    at: datetime | None = None
    viewer_id: Annotated[int, Field(ge=1, le=_BIGINT)] | None = None

    @model_validator(mode="after")
    def _viewer_goes_with_comments(self) -> Self:
        if self.kind == "comment" and self.viewer_id is None:
            raise ValueError("a barrage comment names its viewer: send viewer_id / 弹幕须带观众编号 viewer_id")
        if self.kind == "transcript" and self.viewer_id is not None:
            raise ValueError("a transcript line is the host's speech and names no viewer / 主播口播不带 viewer_id")
        return self


_FLOODED = {"error": "too many messages; disconnected / 发送过快，已断开", "status": 429}
_FORMAT = (
    '消息格式应为 / send {"kind": "transcript"|"comment", "text": ..., "at": ISO time, "viewer_id": int (comments)}'
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
    if principal.role is Role.ADMIN:
        allowed = True
    elif principal.role is Role.CREATOR:
        allowed = principal.creator_id == live.creator_id
    elif principal.role is Role.MCN_MANAGER:
        creator = session.get(Creator, live.creator_id)
        allowed = creator is not None and creator.mcn_id is not None and creator.mcn_id == principal.mcn_id
    else:
        allowed = False
    if not allowed:
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


def _review(
    db: Database, runtime: Runtime, principal: Principal, livestream_id: int, message: LiveMessage
) -> dict[str, Any]:
    with db.transaction() as session:
        live = _live_for_sender(session, principal, livestream_id)
        speech = message.kind == "transcript"
        outcome = scanning.scan_text(
            session,
            reviewers=runtime.get(REVIEWERS),
            subject_type=f"live_{message.kind}",
            subject_id=live.id,
            # A comment is a viewer's words, not the host's: queued, but confirming it never penalises the host.
            creator_id=live.creator_id if speech else None,
            text=message.text,
            keep_pass=False,
        )
        task = outcome.task
        if outcome.scan is not None:
            audit.record(
                session,
                principal,
                f"live_{message.kind}.flagged",
                outcome.scan,
                {
                    "livestream_id": live.id,
                    "viewer_id": message.viewer_id,
                    "review_task_id": task.id if task is not None else None,
                    "at": message.at.isoformat() if message.at is not None else None,
                },
            )
        verdict = outcome.verdict
        return {
            "kind": message.kind,
            "at": message.at.isoformat() if message.at is not None else None,
            "viewer_id": message.viewer_id,
            "verdict": verdict.verdict.value,
            "score": round(verdict.score, 4),
            "hits": [h.to_json() for h in verdict.hits],
            "library_version": verdict.library_version,
            "review_task_id": task.id if task is not None else None,
        }


async def _refuse(websocket: WebSocket, error: ServiceError) -> None:
    await websocket.send_json({"error": error.detail, "status": error.status})
    await websocket.close(code=4000 + error.status)


@router.websocket("/live/{livestream_id}")
async def live(websocket: WebSocket, livestream_id: int) -> None:
    """Review live transcript lines and barrage comments; the module docstring has the rules."""
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
    bucket = _Bucket()
    try:
        while True:
            raw = await websocket.receive_text()
            wait = bucket.take()
            if wait:
                if bucket.refused > BURST:
                    await websocket.send_json(_FLOODED)
                    await websocket.close(code=4429)
                    return
                await websocket.send_json(
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
                await websocket.send_json({"error": _FORMAT, "detail": json.loads(json.dumps(detail, default=str))})
                continue
            try:
                result = await run_in_threadpool(_review, db, runtime, principal, livestream_id, message)
            except (Conflict, Forbidden, NotFound) as error:
                # The session ended, or the sender lost their standing with it: nothing more will be taken.
                await _refuse(websocket, error)
                return
            except ServiceError as error:
                await websocket.send_json({"error": error.detail, "status": error.status})
                continue
            await websocket.send_json(result)
    except WebSocketDisconnect:
        return
