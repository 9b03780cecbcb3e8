"""Numbers as hosts say them: 五百, 一千五, 两百五, 一点五, 二五零, 1.5, 3千, 半 — and quantities with their units.

Hosts speak numbers in Chinese (ASR transcripts write them so) and mix units freely: 一斤 (500 g), 二两 (100 g),
一斤半, 一斤二两, 两公斤, 五百毫升, 1.5L. :func:`quantities` finds every mass or volume in a text with its span and
the value in grams or millilitres; :func:`chinese_number` reads one numeral.

Written by hand rather than with ``cn2an``: the reading we need is narrow (no negatives, no fractions other than
半, no ordinals), it must return ``None`` instead of raising, and it is ~40× faster and imports in no time
(``bench/governance.py`` measures both on the same inputs and checks that they agree).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

_CN_DIGIT = "零〇一壹二贰三叁四肆五伍六陆七柒八捌九玖"
_CN_UNIT = "十拾百佰千仟万亿"
# 两 is "two" only where a number starts or right after a unit (两百, 一千两百); after a digit (九两) it is the
# unit 两 = 50 g, so the pattern never lets a digit run into it.
NUMBER = (
    rf"(?:\d+(?:\.\d+)?[{_CN_UNIT}]*"
    rf"|(?:两|[{_CN_DIGIT}])(?:[{_CN_DIGIT}{_CN_UNIT}]|(?<=[{_CN_UNIT}])两)*(?:点[{_CN_DIGIT}]+)?"
    rf"|[十拾](?:[{_CN_DIGIT}{_CN_UNIT}]|(?<=[{_CN_UNIT}])两)*)"
)
_NUMBER_RE = re.compile(NUMBER)


def _integer(text: str) -> int | None:
    if all(ch in _DIGITS for ch in text):  # 二五零: read digit by digit
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total = section = number = 0
    last_unit = 0
    zero_since_unit = False
    for ch in text:
        if ch in _DIGITS:
            if number and not zero_since_unit:
                return None  # two digits in a row inside a positional numeral (一二百) is not a number
            number = _DIGITS[ch]
            zero_since_unit = zero_since_unit or number == 0
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            section += (number or (1 if unit == 10 else 0) or (1 if not section else 0)) * unit
            number, last_unit, zero_since_unit = 0, unit, False
        elif ch in _BIG_UNITS:
            total = (total + section + number) * _BIG_UNITS[ch]
            section = number = 0
            last_unit, zero_since_unit = _BIG_UNITS[ch], False
        else:
            return None
    # 一千五 = 1500, 两百五 = 250, 一万二 = 12000: a bare digit after a unit counts one place lower.
    if number and last_unit >= 100 and not zero_since_unit:
        number *= last_unit // 10
    return total + section + number


def chinese_number(text: str) -> float | None:
    """The value of one numeral (Chinese, Arabic or mixed such as 3千, 1.5万); ``None`` when it is not one."""
    if not text:
        return None
    if text == "半":
        return 0.5
    head = re.match(r"\d+(?:\.\d+)?", text)
    if head:
        value = float(head.group())
        for ch in text[head.end() :]:
            if ch in _SMALL_UNITS:
                value *= _SMALL_UNITS[ch]
            elif ch in _BIG_UNITS:
                value *= _BIG_UNITS[ch]
            else:
                return None
        return value
    whole, _, fraction = text.partition("点")
    integer = _integer(whole) if whole else 0
    if integer is None:
        return None
    if not fraction:
        return float(integer)
    if not all(ch in _DIGITS for ch in fraction):
        return None
    return float(f"{integer}.{''.join(str(_DIGITS[ch]) for ch in fraction)}")


class Dimension(StrEnum):
    MASS = "mass"  # grams
    VOLUME = "volume"  # millilitres


# Unit spelling → (dimension, size in grams or millilitres). Longest spellings first in the pattern.
UNITS: dict[str, tuple[Dimension, float]] = {
    "毫克": (Dimension.MASS, 0.001),
    "mg": (Dimension.MASS, 0.001),
    "克": (Dimension.MASS, 1.0),
    "g": (Dimension.MASS, 1.0),
    "千克": (Dimension.MASS, 1000.0),
    "公斤": (Dimension.MASS, 1000.0),
    "kg": (Dimension.MASS, 1000.0),
    "斤": (Dimension.MASS, 500.0),
    "两": (Dimension.MASS, 50.0),
    "毫升": (Dimension.VOLUME, 1.0),
    "ml": (Dimension.VOLUME, 1.0),
    "升": (Dimension.VOLUME, 1000.0),
    "l": (Dimension.VOLUME, 1000.0),
}
_UNIT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
# 一斤半, 两公斤半 (…and a half), 一斤二两 (a jin and two liang); a Latin unit must not run into a word (1gb, 5lb).
_QUANTITY_RE = re.compile(
    rf"(?P<number>{NUMBER}|半)\s*(?P<unit>{_UNIT})(?![a-z])(?P<half>半)?(?:(?P<liang>[{_CN_DIGIT}])两)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    value: float  # in grams (mass) or millilitres (volume)
    dimension: Dimension
    start: int
    end: int

    def describe(self) -> str:
        unit = "g" if self.dimension is Dimension.MASS else "ml"
        return f"{self.value:g}{unit}"


def quantities(text: str) -> list[Quantity]:
    """Every mass or volume in ``text``, left to right, with its span."""
    found = []
    for match in _QUANTITY_RE.finditer(text):
        number = chinese_number(match["number"])
        if number is None:
            continue
        dimension, size = UNITS[match["unit"].lower()]
        value = number * size
        if match["half"]:
            value += 0.5 * size
        if match["liang"] and match["unit"] == "斤":
            value += _DIGITS[match["liang"]] * UNITS["两"][1]
        found.append(Quantity(value, dimension, match.start(), match.end()))
    return found


def numbers(text: str) -> list[tuple[float, int, int]]:
    """Every numeral in ``text`` as (value, start, end)."""
    out = []
    for match in _NUMBER_RE.finditer(text):
        value = chinese_number(match.group())
        if value is not None:
            out.append((value, match.start(), match.end()))
    return out
