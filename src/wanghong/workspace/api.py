"""站内信 over the API: the reader's notifications (newest first), the unread count, marking read."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.kit.http import DbSession
from wanghong.kit.listing import PageQuery
from wanghong.kit.pages import language_of
from wanghong.kit.paging import paged_route
from wanghong.workspace import notifications
from wanghong.workspace.schemas import InboxOut, MarkedOut, MarkReadIn, UnreadOut

router = APIRouter(prefix="/notifications", tags=["站内信 / notifications"])


@paged_route(router, "", InboxOut, "站内信 / The reader's notifications, newest first")
def list_notifications(
    request: Request, session: DbSession, principal: CurrentPrincipal, page: PageQuery
) -> dict[str, Any]:
    inbox = notifications.inbox(session, principal, limit=page.limit, cursor=page.cursor)
    language = language_of(request)
    items = [
        {
            "id": n.id,
            "kind": n.kind,
            "text": notifications.wording(n, language),
            "params": n.params,
            "collaboration_id": n.collaboration_id,
            "created_at": n.created_at,
            "read_at": n.read_at,
        }
        for n in inbox.page.items
    ]
    return {"items": items, "next_cursor": inbox.page.next_cursor, "unread": inbox.unread}


@router.get("/unread-count", response_model=UnreadOut, summary="未读数 / How many notifications are unread")
def unread(session: DbSession, principal: CurrentPrincipal) -> dict[str, int]:
    return {"unread": notifications.unread_count(session, principal)}


@router.post("/read", response_model=MarkedOut, summary="标为已读 / Mark notifications read (named ones, or all)")
def mark_read(data: MarkReadIn, session: DbSession, principal: CurrentPrincipal) -> dict[str, int]:
    return {"marked": notifications.mark_read(session, principal, data.ids)}
