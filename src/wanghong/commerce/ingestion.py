"""Idempotent batch ingestion of platform events.

A batch is validated whole before anything is written and written in one transaction; every event id is
remembered in `ingested_events`, so a retried batch (or an overlapping one) stores nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce import hooks
from wanghong.commerce.audit import EVENT_BATCH_INGEST
from wanghong.commerce.models import (
    Creator,
    IngestedEvent,
    LivestreamMinuteStat,
    LivestreamSession,
    Order,
    Video,
    Viewer,
    ViewerEvent,
)
from wanghong.commerce.resources import RESOURCES, Resource, check_references
from wanghong.commerce.schemas import (
    BehaviourPayload,
    EventBatchIn,
    EventBatchResult,
    EventIn,
    MinuteStatPayload,
    OrderIn,
    VideoIn,
)
from wanghong.domain import EventType
from wanghong.kit.audit import record
from wanghong.kit.db.base import Base
from wanghong.kit.errors import InvalidInput, NotFound, PayloadTooLarge


def _store_video(session: Session, payload: VideoIn) -> Base:
    return Video(**payload.model_dump())


def _store_order(session: Session, payload: OrderIn) -> Base:
    return Order(**payload.model_dump())


def _store_minute(session: Session, payload: MinuteStatPayload) -> Base:
    live = session.get(LivestreamSession, payload.session_id)
    assert live is not None  # checked before writing
    # The session's totals are the sum of its minutes; peak is their maximum.
    live.peak_viewers = max(live.peak_viewers, payload.viewers)
    live.gmv += payload.gmv
    live.orders += payload.orders
    live.tips += payload.tips
    return LivestreamMinuteStat(**payload.model_dump())


def _store_behaviour(session: Session, payload: BehaviourPayload) -> Base:
    viewer = session.scalar(select(Viewer).where(Viewer.external_id == payload.viewer_external_id))
    if viewer is None:
        viewer = Viewer(external_id=payload.viewer_external_id)
        session.add(viewer)
        session.flush()
    values = payload.model_dump(exclude={"viewer_external_id"})
    return ViewerEvent(viewer_id=viewer.id, **values)


_MINUTE_REFERENCES: Resource[Any] = Resource(
    "livestream-minutes", LivestreamMinuteStat, MinuteStatPayload, references={"session_id": LivestreamSession}
)
_BEHAVIOUR_REFERENCES: Resource[Any] = Resource(
    "viewer-events",
    ViewerEvent,
    BehaviourPayload,
    references={
        "creator_id": Creator,
        "video_id": Video,
        "livestream_id": LivestreamSession,
    },
)

# Per event type: the payload schema, the declaration whose foreign keys it must honour, and how it is stored.
_HANDLERS: dict[EventType, tuple[type[BaseModel], Resource[Any], Callable[[Session, Any], Base]]] = {
    EventType.VIDEO_PUBLISHED: (VideoIn, RESOURCES["videos"], _store_video),
    EventType.ORDER: (OrderIn, RESOURCES["orders"], _store_order),
    EventType.LIVESTREAM_MINUTE: (MinuteStatPayload, _MINUTE_REFERENCES, _store_minute),
    EventType.VIEWER_BEHAVIOUR: (BehaviourPayload, _BEHAVIOUR_REFERENCES, _store_behaviour),
}


def ingest(session: Session, principal: Principal, batch: EventBatchIn, max_events: int) -> EventBatchResult:
    require_role(principal, action="ingesting events")
    if len(batch.events) > max_events:
        raise PayloadTooLarge(f"a batch holds at most {max_events} events; split these {len(batch.events)}")
    parsed = _parse_unique(batch.events)
    known = set(session.scalars(select(IngestedEvent.event_id).where(IngestedEvent.event_id.in_(list(parsed)))))
    fresh = {event_id: item for event_id, item in parsed.items() if event_id not in known}
    for event_id, (event, payload) in fresh.items():
        try:
            if event.type is EventType.VIDEO_PUBLISHED and payload.creator_id is None:
                raise InvalidInput("creator_id is required")
            check_references(session, _HANDLERS[event.type][1], principal, payload.model_dump())
        except InvalidInput as exc:
            raise InvalidInput(f"event {event_id!r}: {exc.detail}") from None
        except NotFound as exc:
            raise InvalidInput(f"event {event_id!r} refers to something that does not exist: {exc.detail}") from None
    for event_id, (event, payload) in fresh.items():
        row = _HANDLERS[event.type][2](session, payload)
        session.add(row)
        session.flush()
        entity_id = getattr(row, "id", None)
        # An ingested row is written like one created through the API (a published video's script is scanned).
        hooks.written(session, principal, row)
        session.add(IngestedEvent(event_id=event_id, event_type=event.type.value, entity_id=entity_id))
    session.flush()
    result = EventBatchResult(received=len(batch.events), stored=len(fresh), duplicates=len(batch.events) - len(fresh))
    if fresh:
        audit_anchor = session.get(IngestedEvent, next(iter(fresh)))
        assert audit_anchor is not None
        record(session, principal, EVENT_BATCH_INGEST, audit_anchor, result.model_dump())
    return result


def _parse_unique(events: list[EventIn]) -> dict[str, tuple[EventIn, Any]]:
    parsed: dict[str, tuple[EventIn, Any]] = {}
    for index, event in enumerate(events):
        schema = _HANDLERS[event.type][0]
        try:
            payload = schema.model_validate(event.payload)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise InvalidInput(f"events[{index}] ({event.event_id!r}, {event.type.value}): {problems}") from None
        previous = parsed.get(event.event_id)
        if previous is not None and previous[0] != event:
            raise InvalidInput(f"event id {event.event_id!r} appears twice in the batch with different contents")
        parsed[event.event_id] = (event, payload)
    return parsed
