"""Reading instants from text: ISO 8601, with one rule for times written without an offset.

The platform stores UTC and shows 北京时间; a person who writes ``2024-03-04T08:00:00`` in China means Beijing
time, so input that may come from people reads offset-less times in a stated zone (Asia/Shanghai by default),
while machine interfaces that must not guess pass ``naive_as=None`` and refuse them.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

BEIJING = ZoneInfo("Asia/Shanghai")


class BadInstant(ValueError):
    """The text is no ISO 8601 instant, or has no offset where one is required; the message says which."""


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInstant(f"未知时区 / unknown time zone {name!r} (an IANA name such as Asia/Shanghai or UTC)") from None


def parse_instant(raw: str, *, naive_as: tzinfo | None = BEIJING) -> datetime:
    """A timezone-aware datetime; an offset-less time is read in ``naive_as``, or refused when it is None."""
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise BadInstant(
            f"无法解析的时间 / bad timestamp {raw!r} (expected ISO 8601, e.g. 2024-05-01T12:00:00+08:00)"
        ) from None
    if parsed.tzinfo is not None:
        return parsed
    if naive_as is None:
        raise BadInstant(f"时间缺少时区 / timestamp {raw!r} needs a UTC offset (e.g. +08:00 or Z)")
    return parsed.replace(tzinfo=naive_as)
