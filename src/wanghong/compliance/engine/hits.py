"""What a scan finds: hits on the original text, and the result of one scan."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import repeat

from wanghong.compliance.engine.library import LibraryEntry, ViolationCategory
from wanghong.domain import Severity


class MatchKind(StrEnum):
    EXACT = "exact"  # the term itself after normalisation (width, traditional, separators, repeats…)
    PHONETIC = "phonetic"  # homophone or pinyin spelling of the term
    PATTERN = "pattern"  # a regular-expression entry
    MODEL = "model"  # the semantic classifier (see reviewer.py), not the lexicon


@dataclass(frozen=True, slots=True)
class Hit:
    """One finding. ``start``/``end`` index the ORIGINAL text (Python ``str`` indices, end exclusive)."""

    term: str
    category: ViolationCategory
    article: str
    start: int
    end: int
    severity: Severity
    entry_id: str
    explanation: str
    match: MatchKind
    matched_text: str

    def to_json(self) -> dict[str, object]:
        """The CLI/API contract shape."""
        return {
            "term": self.term,
            "category": self.category.value,
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "severity": self.severity.value,
        }


@dataclass(frozen=True, slots=True)
class ScanResult:
    hits: tuple[Hit, ...] = ()
    normalized: str = field(default="", repr=False)


EMPTY_RESULT = ScanResult()

# Frozen dataclasses assign each field through object.__setattr__, which costs about as much as the rest of
# a clean 100-character scan; the hot paths fill the slots directly instead (same objects, same equality).
_new = object.__new__
_set_hits = getattr(ScanResult, "hits").__set__  # noqa: B009 - the slot descriptor, not a field default
_set_normalized = getattr(ScanResult, "normalized").__set__  # noqa: B009
HIT_SLOTS = tuple(
    getattr(Hit, name).__set__
    for name in (
        "term",
        "category",
        "article",
        "start",
        "end",
        "severity",
        "entry_id",
        "explanation",
        "match",
        "matched_text",
    )
)


(
    _set_term,
    _set_category,
    _set_article,
    _set_start,
    _set_end,
    _set_severity,
    _set_entry_id,
    _set_explanation,
    _set_match,
    _set_matched_text,
) = HIT_SLOTS


def entry_hit(entry: LibraryEntry, start: int, end: int, match: MatchKind, matched_text: str) -> Hit:
    """``Hit(entry.term, …, match, matched_text)`` for a library entry found at ``start:end``, its slots filled
    directly (both scanners build one per reading they keep)."""
    hit: Hit = _new(Hit)
    _set_term(hit, entry.term)
    _set_category(hit, entry.category)
    _set_article(hit, entry.article)
    _set_start(hit, start)
    _set_end(hit, end)
    _set_severity(hit, entry.severity)
    _set_entry_id(hit, entry.id)
    _set_explanation(hit, entry.explanation)
    _set_match(hit, match)
    _set_matched_text(hit, matched_text)
    return hit


def scan_result(hits: tuple[Hit, ...], normalized: str) -> ScanResult:
    result: ScanResult = _new(ScanResult)
    _set_hits(result, hits)
    _set_normalized(result, normalized)
    return result


def clean_results(normalized: list[str]) -> list[ScanResult]:
    """``[scan_result((), n) for n in normalized]`` with the loop in C (``map``): a batch makes one per text,
    and the Python-level loop cost twice as much as the objects."""
    results = list(map(_new, repeat(ScanResult, len(normalized))))
    deque(map(_set_hits, results, repeat((), len(results))), maxlen=0)
    deque(map(_set_normalized, results, normalized), maxlen=0)
    return results


def hit_order(hit: Hit) -> tuple[int, int, str]:
    return hit.start, hit.end, hit.entry_id
