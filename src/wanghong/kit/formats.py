"""How pages write money, shares and instants: 元 with 万/亿, % for shares, 北京时间.

One place, so that a figure reads the same on every page; the page frame registers these as Jinja filters
(`|yuan`, `|percent`, `|beijing`) that follow the page's language.
"""

from __future__ import annotations

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
