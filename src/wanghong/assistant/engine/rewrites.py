"""Compliant rewrites of flagged spans: "最好" → "很好", "全网最低价" → "优惠价", a health claim → removed.

The compliance engine says *where* a text breaks the rules; this module proposes the lawful wording. Absolute
terms (《广告法》第九条) get a plain, provable phrase; claims that no wording makes lawful (disease cures, price
fraud, moving buyers off the platform) are removed with their clause. The caller scans the rewrite again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

LAWFUL = {
    "最好": "很好",
    "最佳": "优选",
    "最优": "优选",
    "最强": "强劲",
    "最低价": "优惠价",
    "全网最低价": "直播间优惠价",
    "全网最低": "优惠",
    "最便宜": "实惠",
    "最划算": "划算",
    "最实惠": "实惠",
    "最具性价比": "性价比高",
    "最受欢迎": "很受欢迎",
    "最畅销": "热销",
    "第一": "热门",
    "销量第一": "热销",
    "全网第一": "热门",
    "第一品牌": "知名品牌",
    "销量冠军": "热销",
    "顶级": "高品质",
    "最顶级": "高品质",
    "最高级": "高品质",
    "极品": "精选",
    "极致": "出色",
    "绝佳": "出色",
    "绝对": "确实",
    "完美": "出色",
    "万能": "多用途",
    "独一无二": "有特色",
    "唯一": "",
    "独家": "",
    "国家级": "",
    "世界级": "",
    "史无前例": "",
}

# Categories whose claim is unlawful however it is worded: the clause goes.
REMOVE_CLAUSE = frozenset(
    {
        "medical",
        "cosmetics",
        "investment",
        "education",
        "price",
        "false_promotion",
        "off_platform",
        "prohibited",
        "superstition",
        "authority",
        "minors",
    }
)
_CLAUSE_END = re.compile(r"[，,。；;！!？?\n]")
_END_MARKS = "。！!？?"


@dataclass(frozen=True, slots=True)
class Flag:
    """One finding, indexing the text it was found in (end exclusive)."""

    start: int
    end: int
    category: str
    matched: str


class Checker(Protocol):
    """Compliance: for each text, its findings (an empty list passes)."""

    def flags(self, texts: Sequence[str]) -> list[list[Flag]]: ...


@dataclass(frozen=True, slots=True)
class Rewrite:
    original: str
    replacement: str


def lawful_phrase(matched: str) -> str:
    """The suggested wording for an absolute term; "最X" without an entry becomes "很X"."""
    if matched in LAWFUL:
        return LAWFUL[matched]
    if matched.startswith("最") and len(matched) > 1:
        return "很" + matched[1:]
    return ""


def rewrite(text: str, flags: Sequence[Flag]) -> tuple[str, list[Rewrite]]:
    """The text with every flagged span replaced (absolute terms) or its clause removed (the rest)."""
    edits: list[tuple[int, int, str]] = []
    for flag in flags:
        if flag.category in REMOVE_CLAUSE:
            start, end = _clause_around(text, flag.start, flag.end)
            edits.append((start, end, ""))
        else:
            edits.append((flag.start, flag.end, lawful_phrase(flag.matched)))
    merged: list[tuple[int, int, str]] = []
    for start, end, replacement in sorted(edits):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2] if last[1] >= end else "")
        else:
            merged.append((start, end, replacement))
    pieces: list[str] = []
    done: list[Rewrite] = []
    cursor = 0
    for start, end, replacement in merged:
        pieces += [text[cursor:start], replacement]
        done.append(Rewrite(text[start:end], replacement))
        cursor = end
    pieces.append(text[cursor:])
    result = _tidy("".join(pieces))
    if result and text.rstrip()[-1:] in _END_MARKS and result[-1] not in _END_MARKS:
        result = result.rstrip("，,；;、") + text.rstrip()[-1]  # a removed last clause takes its full stop along
    return result, done


def make_lawful(text: str, checker: Checker, rounds: int = 2) -> tuple[str | None, list[Rewrite]]:
    """Scan, rewrite what was flagged, scan again (a rewrite can expose a neighbour); None when text remains
    flagged after ``rounds`` rewrites or nothing is left of it."""
    done: list[Rewrite] = []
    for _ in range(rounds):
        flags = checker.flags([text])[0]
        if not flags:
            return text, done
        text, applied = rewrite(text, flags)
        done += applied
        if not text:
            return None, done
    return (text, done) if not checker.flags([text])[0] else (None, done)


def _clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    right_mark = _CLAUSE_END.search(text, end)
    right = right_mark.end() if right_mark else len(text)
    return left, right


def _tidy(text: str) -> str:
    text = re.sub(r"([，,；;])\s*(?=[。！!？?]|$)", "", text)
    text = re.sub(r"([，,；;。])\1+", r"\1", text)
    return re.sub(r"^[，,；;。\s]+", "", text).strip()
