"""How pages write money, shares and instants: 元 with 万/亿, % for shares, 北京时间.

One place, so that a figure reads the same on every page; the page frame registers these as Jinja filters
(`|yuan`, `|percent`, `|beijing`) that follow the page's language.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

from wanghong.kit.instants import BEIJING

_WAN = Decimal(10_000)
_YI = Decimal(100_000_000)


def yuan(value: Decimal | float | int | None, language: str = "zh") -> str:
    """¥1,234.56 below ten thousand; above it ¥12.35万 / ¥3.20亿 in Chinese and ¥123.5K / ¥3.2M / ¥1.25B in English."""
    amount = Decimal(str(value or 0))
    sign, size = ("-" if amount < 0 else ""), abs(amount)
    if size < _WAN:
        return f"{sign}¥{size:,.2f}"
    if language == "zh":
        unit, scale = ("亿", _YI) if size >= _YI else ("万", _WAN)
        return f"{sign}¥{size / scale:,.2f}{unit}"
    for unit, scale in (("B", Decimal(10**9)), ("M", Decimal(10**6)), ("K", Decimal(10**3))):
        if size >= scale:
            return f"{sign}¥{size / scale:,.2f}{unit}"
    raise AssertionError("unreachable: sizes of ten thousand and more have a unit")


def percent(share: float | None, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage: 0.153 → 15.3%."""
    return "—" if share is None else f"{share * 100:.{digits}f}%"


def beijing(instant: datetime | None, with_seconds: bool = False) -> str:
    """An instant in 北京时间 (Asia/Shanghai), the zone every page shows; naive values are taken as UTC."""
    if instant is None:
        return "—"
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")


def time_left(due: datetime | None, language: str = "zh", now: datetime | None = None) -> str:
    """A deadline as a person reads it: 剩余 1小时20分 / 已超时 35分 (2 h 5 min left / 35 min overdue)."""
    if due is None:
        return "—"
    if due.tzinfo is None:
        due = due.replace(tzinfo=UTC)
    seconds = int((due - (now or datetime.now(UTC))).total_seconds())
    minutes = abs(seconds) // 60
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if language == "zh":
        span = f"{days}天{hours}小时" if days else (f"{hours}小时{mins}分" if hours else f"{mins}分")
        return f"剩余 {span}" if seconds >= 0 else f"已超时 {span}"
    span = f"{days} d {hours} h" if days else (f"{hours} h {mins} min" if hours else f"{mins} min")
    return f"{span} left" if seconds >= 0 else f"{span} overdue"


CJK = re.compile(r"[\u3400-\u9fff]")  # a Chinese character: which language a text is in


def in_language(text: str, language: str) -> str:
    """The reader's half of a text written "中文 / English" (a penalty's reason, a refusal); any other text as it is."""
    zh, sep, en = text.partition(" / ")
    if sep and CJK.search(zh) and not CJK.search(en):
        return en if language == "en" else zh
    return text
