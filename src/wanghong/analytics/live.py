"""Live monitoring: the livestreams on air, and a session's minute stats as they arrive.

Read from the OLTP database rather than the event store, so that minutes ingested through
``/api/v1/events:batch`` show up at once; the store only learns of a session once it has ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Creator, LivestreamMinuteStat, LivestreamSession
from wanghong.kit import access

LIVE_SESSIONS_SHOWN = 20
LIVE_MINUTES_SHOWN = 720  # the last 12 hours of a session: longer than any livestream the platform runs


def live_sessions(
    session: Session, principal: Principal, creator_ids: Sequence[int] | None = None
) -> list[LivestreamSession]:
    """The principal's visible sessions on air now, newest first; only those of `creator_ids` when given."""
    stmt = access.visible_rows(LivestreamSession, principal).where(LivestreamSession.ended_at.is_(None))
    if creator_ids is not None:
        stmt = stmt.where(LivestreamSession.creator_id.in_(creator_ids))
    return list(session.scalars(stmt.order_by(LivestreamSession.started_at.desc()).limit(LIVE_SESSIONS_SHOWN)))


def roster(session: Session, mcn_id: int) -> list[int]:
    """The ids of an MCN's creators."""
    return list(session.scalars(select(Creator.id).where(Creator.mcn_id == mcn_id)))


@dataclass(frozen=True)
class LiveMinutes:
    live: LivestreamSession
    minutes: list[LivestreamMinuteStat]  # oldest first


def live_minutes(session: Session, principal: Principal, session_id: int, after: datetime | None = None) -> LiveMinutes:
    """A visible session's latest minute stats (only those after `after` when given), oldest first."""
    live = access.get_visible(session, LivestreamSession, session_id, principal)
    stmt = select(LivestreamMinuteStat).where(LivestreamMinuteStat.session_id == live.id)
    if after is not None:
        stmt = stmt.where(LivestreamMinuteStat.minute_at > after)
    rows = list(session.scalars(stmt.order_by(LivestreamMinuteStat.minute_at.desc()).limit(LIVE_MINUTES_SHOWN)))
    rows.reverse()
    return LiveMinutes(live, rows)


def live_session(session: Session, principal: Principal, session_id: int) -> tuple[LivestreamSession, Creator | None]:
    """A visible session and its creator, for the monitoring page."""
    live = access.get_visible(session, LivestreamSession, session_id, principal)
    return live, session.get(Creator, live.creator_id)
