"""Request and response shapes of the workspace API (站内信)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from wanghong.kit.schemas import Input, Output, RowId


class NotificationOut(Output):
    id: int
    kind: str = Field(description="what happened: offer_received, offer_accepted, content_submitted, settled, …")
    text: str = Field(description="the notification worded in the reader's language")
    params: dict[str, Any] = Field(description="the facts the wording uses (names, fee, commission, note, status)")
    collaboration_id: int | None
    created_at: datetime
    read_at: datetime | None


class InboxOut(Output):
    items: list[NotificationOut]
    next_cursor: str | None
    unread: int


class UnreadOut(Output):
    unread: int


class MarkReadIn(Input):
    ids: Annotated[list[RowId], Field(max_length=500)] | None = Field(
        default=None, description="the notifications to mark read; omitted or null: all of the reader's"
    )


class MarkedOut(Output):
    marked: int
