"""Lexicon scanner: normalisation + pinyin keys + one Aho-Corasick pass, hits on ORIGINAL offsets.

The scanned haystack is ``normalised text + NUL + phonetic text``, searched once by an Aho-Corasick
automaton holding three kinds of patterns for both channels: library terms, exception contexts
(最近, 第一次, 最佳食用时间… — a hit lying wholly inside an exception occurrence is dropped) and
literal triggers of regular-expression entries. NUL never occurs in a pattern, so no match straddles
the two channels.

Matcher choice (measured by ``bench/compliance.py`` on this machine): ``ahocorasick-rs`` searches
≈40 M chars/s and costs ≈1 µs per 100-character call, against ≈7 M chars/s and ≈14 µs per call for
``pyahocorasick`` on the same Chinese lexicon — with two channels pyahocorasick alone would spend the
whole per-line budget, so the scanner uses ``ahocorasick-rs`` and the benchmark keeps both as baselines.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

import ahocorasick_rs
import numpy as np

from wanghong.domain import Severity
from wanghong.engines.compliance.library import LibraryEntry, ViolationCategory, ViolationLibrary
from wanghong.engines.compliance.normalize import Normalizer
from wanghong.engines.compliance.phonetic import SLOW_PATH, Phonetics

_TERM, _EXCEPTION, _TRIGGER = 0, 1, 2
_NORMAL, _PHONETIC = 0, 1


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


_EMPTY = ScanResult()


class Scanner:
    """Compile a :class:`ViolationLibrary` once (≈1 s for the shipped library, most of it the shared
    Unicode tables) and call :meth:`scan` from any thread; the scanner holds no per-call state."""

    def __init__(self, library: ViolationLibrary, *, phonetic: bool = True) -> None:
        self.library = library
        self.normalizer = Normalizer()
        self.phonetics = Phonetics()
        self._fold_array = self.normalizer.array
        self._phon_array = self.phonetics.array
        self._entries: tuple[LibraryEntry, ...] = library.entries
        self._regexes: dict[int, re.Pattern[str]] = {
            i: re.compile(e.pattern) for i, e in enumerate(self._entries) if e.pattern is not None
        }

        actions: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # pattern → (channel, kind, entry)

        def add(key: str, channel: int, kind: int, entry: int) -> None:
            if key and (channel, kind, entry) not in actions[key]:
                actions[key].append((channel, kind, entry))

        fold = self.normalizer.fold
        for index, entry in enumerate(self._entries):
            if entry.pattern is not None:
                for trigger in entry.triggers:
                    add(fold(trigger), _NORMAL, _TRIGGER, index)
                continue
            key = fold(entry.term)
            add(key, _NORMAL, _TERM, index)
            if phonetic and entry.phonetic:
                for variant in self.phonetics.variants(key):
                    add(variant, _PHONETIC, _TERM, index)
        exceptions = {fold(x) for e in self._entries for x in e.exceptions} | {fold(x) for x in library.exceptions}
        for context in exceptions:
            add(context, _NORMAL, _EXCEPTION, -1)
            if phonetic:
                for variant in self.phonetics.variants(context, with_initials=False):
                    add(variant, _PHONETIC, _EXCEPTION, -1)
        self._patterns = list(actions)
        self._actions = [tuple(actions[p]) for p in self._patterns]
        self._automaton = ahocorasick_rs.AhoCorasick(self._patterns, matchkind=ahocorasick_rs.MatchKind.Standard)

    @property
    def pattern_count(self) -> int:
        return len(self._patterns)

    def scan(self, text: str) -> ScanResult:
        if not isinstance(text, str):
            raise TypeError(f"scan() 需要 str / scan() takes str, got {type(text).__name__}; decode bytes first")
        normalized, phonetic, phon_map = self._channels(text)
        if not normalized:
            return _EMPTY
        haystack = f"{normalized}\x00{phonetic}"
        matches = self._automaton.find_matches_as_indexes(haystack, overlapping=True)
        if not matches:
            return ScanResult(normalized=normalized)
        return self._resolve(text, normalized, phon_map, matches)

    # -- normalisation -----------------------------------------------------------------------------

    def _channels(self, text: str) -> tuple[str, str, tuple[list[int], list[int]] | None]:
        """(normalised text, phonetic text, phonetic→normalised map or None when aligned 1:1)."""
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        folded = self._fold_array[codes]
        kept = folded[folded != 0]
        if kept.size > 1:
            differs = kept[1:] != kept[:-1]
            if not differs.all():
                # Collapse runs of a repeated character, never digits or Latin letters (see normalize.py).
                rest = kept[1:]
                differs |= ((rest - 0x30) <= 9) | ((rest - 0x61) <= 25)
                kept = kept[np.concatenate(([True], differs))]
        sounds = self._phon_array[kept]
        if kept.size and sounds.max() >= SLOW_PATH:
            # Latin letters (pinyin spellings) or a code point folding to several characters.
            normalized = self.normalizer.fold(text)
            encoded = self.phonetics.encode(normalized)
            phon_map = None if encoded.starts is None else (encoded.starts, encoded.ends or [])
            return normalized, encoded.text, phon_map
        return kept.tobytes().decode("utf-32-le"), sounds.tobytes().decode("utf-32-le"), None

    # -- hit resolution (only runs when something matched) ------------------------------------------

    def _resolve(
        self,
        text: str,
        normalized: str,
        phon_map: tuple[list[int], list[int]] | None,
        matches: list[tuple[int, int, int]],
    ) -> ScanResult:
        offset = len(normalized) + 1
        exceptions: list[list[tuple[int, int]]] = [[], []]
        candidates: list[tuple[int, int, int, int, MatchKind]] = []  # (channel, start, end, entry, kind)
        triggered: set[int] = set()
        for pattern_index, start, end in matches:
            channel = _PHONETIC if start >= offset else _NORMAL
            if channel == _PHONETIC:
                start -= offset
                end -= offset
            for want_channel, action, target in self._actions[pattern_index]:
                if want_channel != channel:
                    continue
                if action == _EXCEPTION:
                    exceptions[channel].append((start, end))
                elif action == _TRIGGER:
                    triggered.add(target)
                else:
                    candidates.append(
                        (channel, start, end, target, MatchKind.EXACT if channel == _NORMAL else MatchKind.PHONETIC)
                    )
        for target in sorted(triggered):
            for found in self._regexes[target].finditer(normalized):
                if found.end() > found.start():
                    candidates.append((_NORMAL, found.start(), found.end(), target, MatchKind.PATTERN))

        seen: dict[tuple[int, int, int], MatchKind] = {}
        for channel, start, end, target, match in candidates:
            if any(lo <= start and end <= hi for lo, hi in exceptions[channel]):
                continue
            if channel == _PHONETIC and phon_map is not None:
                start, end = phon_map[0][start], phon_map[1][end - 1]
            key = (target, start, end)
            if key not in seen or seen[key] == MatchKind.PHONETIC:
                seen[key] = match
        if not seen:
            return ScanResult(normalized=normalized)

        # Within one category keep the longest reading: 全网最低价 rather than also 全网最低 and 最低价.
        # Spans come sorted by start (longer first), so an earlier kept span contains this one exactly when
        # its end reaches ours — tracking the furthest end per category makes this linear.
        spans = sorted(seen.items(), key=lambda item: (item[0][1], -(item[0][2] - item[0][1])))
        kept: list[tuple[tuple[int, int, int], MatchKind]] = []
        furthest: dict[ViolationCategory, tuple[int, int]] = {}  # category → (end, smallest start with it)
        for (target, start, end), match in spans:
            category = self._entries[target].category
            best = furthest.get(category)
            if best is not None and (best[0] > end or (best[0] == end and best[1] < start)):
                continue
            kept.append(((target, start, end), match))
            if best is None or end > best[0]:
                furthest[category] = (end, start)

        mapper = self.normalizer.span_mapper(text)
        hits = []
        for (entry_index, start, end), match in kept:
            entry = self._entries[entry_index]
            orig_start, orig_end = mapper(start, end)
            hits.append(
                Hit(
                    term=entry.term,
                    category=entry.category,
                    article=entry.article,
                    start=orig_start,
                    end=orig_end,
                    severity=entry.severity,
                    entry_id=entry.id,
                    explanation=entry.explanation,
                    match=match,
                    matched_text=text[orig_start:orig_end],
                )
            )
        hits.sort(key=lambda h: (h.start, h.end, h.entry_id))
        return ScanResult(hits=tuple(hits), normalized=normalized)
