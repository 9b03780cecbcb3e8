"""Chinese text for retrieval: one normal form, character bigrams, jieba words, sentences, and numbers.

Everything is folded the same way on both sides (NFKC, so full-width digits and letters become ASCII;
traditional characters to simplified; lower case) before any token is taken, so "５０Ｇ" in a question meets
"50g" in a fact and "運費" meets "运费".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any

Tokenizer = Callable[[str], list[str]]

# Punctuation and spacing split text into runs; a bigram never straddles a comma or a bracket.
_BREAK = re.compile(r"[\s\W_]+", re.UNICODE)
_SENTENCE = re.compile(r"(?<=[。！？!?；;\n])")


def fold(text: str) -> str:
    """NFKC, traditional → simplified characters (opencc ``t2s``: "多少錢" asks what "多少钱" asks), lower case."""
    return _to_simplified().convert(unicodedata.normalize("NFKC", text)).lower()


@cache
def _to_simplified() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def char_bigrams(text: str) -> list[str]:
    """Overlapping character pairs inside each run of letters, digits and ideographs; a one-character run
    stays a token of its own so that "价" or "码" alone still counts."""
    tokens: list[str] = []
    for run in _BREAK.split(fold(text)):
        if len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def jieba_words(text: str) -> list[str]:
    """jieba's words (precise mode), punctuation dropped."""
    return [word for word in _jieba().lcut(fold(text)) if not _BREAK.fullmatch(word)]


@cache
def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading banner goes to stderr otherwise
    jieba.initialize()
    return jieba


def sentences(text: str) -> list[str]:
    """Sentences on Chinese and Western end marks; a text without any stays whole."""
    parts = [part.strip() for part in _SENTENCE.split(text)]
    return [part for part in parts if part] or [text]


# A number as a seller would write it: 129, 1,299, 3.5, ５０ (folded), or in Chinese numerals (三十, 七, 一百二十).
_ARABIC = re.compile(r"\d+(?:[.,]\d+)*")
_CHINESE_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}


def chinese_numeral_value(numeral: str) -> int | None:
    """一百二十 → 120, 十五 → 15, 三万 → 30000; None for strings that are not a well-formed numeral."""
    total = section = digit = 0
    seen_digit = False
    for char in numeral:
        if char in _DIGITS:
            digit, seen_digit = _DIGITS[char], True
        elif char in _UNITS:
            section += (digit if seen_digit else 1) * _UNITS[char]
            digit, seen_digit = 0, False
        elif char in _BIG:
            total += (section + digit) * _BIG[char]
            section = digit = 0
            seen_digit = False
        else:
            return None
    return total + section + digit


# Words in which a numeral character is no quantity: 一般, 万一, 统一, 一些… Checking every 一 as a number would
# make the grounding check refuse ordinary sentences.
_NOT_A_NUMBER = re.compile(
    r"一般|一定|一起|一直|一样|一些|一下|一点|一旦|一致|一次性|一律|统一|唯一|万一|千万|十分|万分|一切|一共|一旁|"
    r"一边|一份|一款|一件|一种|一只|一瓶|一盒|一个|两者|三无|不二|一览|一流|之一|一体|第一时间"
)


def numbers_in(text: str) -> set[str]:
    """Every quantity the text states, in a canonical form ("1,299" and "1299" and "一千二百九十九" agree), so
    that a composed answer can be checked number by number against the facts it cites."""
    folded = fold(text)
    found = {_canonical_arabic(match) for match in _ARABIC.findall(folded)}
    for match in _CHINESE_NUMERAL.finditer(_NOT_A_NUMBER.sub(" ", folded)):
        value = chinese_numeral_value(match.group())
        if value is not None:
            found.add(str(value))
    return found


def _canonical_arabic(number: str) -> str:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", number):
        number = number.replace(",", "")
    if "." in number and re.fullmatch(r"\d+\.\d+", number):
        number = number.rstrip("0").rstrip(".")
    return number.lstrip("0") or "0"
