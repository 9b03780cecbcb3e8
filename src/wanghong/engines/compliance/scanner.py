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

import functools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import ahocorasick_rs
import numpy as np

from wanghong.domain import Severity
from wanghong.engines.compliance.library import LibraryEntry, ViolationCategory, ViolationLibrary
from wanghong.engines.compliance.normalize import Normalizer
from wanghong.engines.compliance.phonetic import EXPANDED, SLOW_PATH, Phonetics

_TERM, _EXCEPTION, _TRIGGER = 0, 1, 2
_NORMAL, _PHONETIC = 0, 1
_LEADING_TRUE = np.ones(1, dtype=bool)
DFA_MAX_PATTERNS = 50_000
_LATIN_RUN = re.compile(r"[a-z]+")
_LATIN_TRIPLE = re.compile(r"([a-z])\1\1")


def _collapse_mask(kept: np.ndarray, differs: np.ndarray) -> np.ndarray:
    """Normalizer.fold's repeat rule as a keep-mask: runs collapse to one character, digits never, Latin
    letters only from three in a row (pinyin doubles letters at syllable joins: fang+gan → "fanggan")."""
    changes = np.concatenate((_LEADING_TRUE, differs))
    run_id = np.cumsum(changes) - 1
    run_length = np.bincount(run_id)[run_id]
    mask: np.ndarray = changes | ((kept - 0x30) <= 9) | (((kept - 0x61) <= 25) & (run_length < 3))
    return mask


@functools.cache
def _aligned_phonetic_array() -> np.ndarray:
    """The phonetic table with Latin letters mapped to themselves (they are segmented run by run);
    built once per process, like the tables it copies."""
    array = Phonetics().array.copy()
    letters = np.arange(ord("a"), ord("z") + 1)
    array[letters] = letters
    array.setflags(write=False)
    return array


class _Layout:
    """How the two channels of one scanned text map back to it; materialised only when a scan has hits.

    ``folded`` is the per-code-point fold of the original (0 = deleted) and ``keep`` the collapse mask over
    its kept characters (None when nothing collapsed); ``latin_runs`` are the Latin runs of the normalised
    text with their pinyin segmentation. ``folded`` None means the string path (expanding code points)."""

    __slots__ = ("folded", "keep", "latin_runs", "phon_ends", "phon_starts")

    def __init__(self, folded: np.ndarray | None, keep: np.ndarray | None) -> None:
        self.folded = folded
        self.keep = keep
        self.latin_runs: list[tuple[int, int, list[tuple[str, int, int]]]] = []
        self.phon_starts: list[int] | None = None
        self.phon_ends: list[int] | None = None

    def phonetic_map(self, size: int) -> tuple[list[int], list[int]] | None:
        """(normalised start, normalised end) of each phonetic code, or None when both channels align."""
        if self.phon_starts is not None:
            return self.phon_starts, self.phon_ends or []
        if not self.latin_runs:
            return None
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for run_start, run_end, segments in self.latin_runs:
            starts.extend(range(pos, run_start))
            ends.extend(range(pos + 1, run_start + 1))
            for _code, lo, hi in segments:
                starts.append(lo)
                ends.append(hi)
            pos = run_end
        starts.extend(range(pos, size))
        ends.extend(range(pos + 1, size + 1))
        self.phon_starts, self.phon_ends = starts, ends
        return starts, ends

    def span_mapper(self, text: str, normalizer: Normalizer) -> Callable[[int, int], tuple[int, int]]:
        """Function mapping a normalised span to ``text``'s indices; the end covers a whole collapsed run.
        Only the spans asked for are looked up: most scans have one or two hits on a text of hundreds."""
        if self.folded is None:
            return normalizer.span_mapper(text)
        # ndarray.nonzero() directly: np.flatnonzero's Python wrapper costs more than the work on short lines.
        positions = self.folded.nonzero()[0]
        if self.keep is None:

            def plain(start: int, end: int) -> tuple[int, int]:
                return int(positions[start]), int(positions[end - 1]) + 1

            return plain
        run_starts = self.keep.nonzero()[0]
        n_runs, last = run_starts.size, positions.size - 1

        def collapsed(start: int, end: int) -> tuple[int, int]:
            stop = run_starts[end] - 1 if end < n_runs else last
            return int(positions[run_starts[start]]), int(positions[stop]) + 1

        return collapsed


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
        self._aligned_array = _aligned_phonetic_array()
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
        # Per channel, what each pattern does there; and a bit mask per pattern: 1 = can yield a hit in the
        # normalised channel, 2 = in the phonetic one (exception contexts alone never can).
        self._channel_actions: tuple[list[tuple[tuple[int, int], ...]], ...] = tuple(
            [tuple((kind, entry) for ch, kind, entry in actions[p] if ch == channel) for p in self._patterns]
            for channel in (_NORMAL, _PHONETIC)
        )
        self._productive = bytes(
            sum(1 << ch for ch in (_NORMAL, _PHONETIC) if any(c == ch and k != _EXCEPTION for c, k, _ in actions[p]))
            for p in self._patterns
        )
        # A DFA searches ≈1.6× faster than the default contiguous NFA on our two-channel haystacks (measured
        # with bench/compliance.py) but its memory grows with the pattern count; past DFA_MAX_PATTERNS
        # (e.g. a 20,000-term library with pinyin variants) the library's default is used.
        implementation = ahocorasick_rs.Implementation.DFA if len(self._patterns) <= DFA_MAX_PATTERNS else None
        self._automaton = ahocorasick_rs.AhoCorasick(
            self._patterns, matchkind=ahocorasick_rs.MatchKind.Standard, implementation=implementation
        )

    @property
    def pattern_count(self) -> int:
        return len(self._patterns)

    def scan(self, text: str) -> ScanResult:
        if not isinstance(text, str):
            raise TypeError(f"scan() 需要 str / scan() takes str, got {type(text).__name__}; decode bytes first")
        normalized, phonetic, layout = self._channels(text)
        if not normalized:
            return _EMPTY
        matches = self._automaton.find_matches_as_indexes(f"{normalized}\x00{phonetic}", overlapping=True)
        if not matches:
            return ScanResult(normalized=normalized)
        # Most matches in clean text are exception contexts (最近, 第一次…): skip resolution unless some match
        # can produce a hit in the channel it was found in.
        offset = len(normalized) + 1
        productive = self._productive
        for pattern_index, start, _end in matches:
            if productive[pattern_index] & (2 if start >= offset else 1):
                return self._resolve(text, normalized, layout, matches)
        return ScanResult(normalized=normalized)

    # -- normalisation -----------------------------------------------------------------------------

    def _channels(self, text: str) -> tuple[str, str, _Layout | None]:
        """(normalised text, phonetic text, how both map back to ``text``); computed with whole-array
        NumPy steps, because per-character Python would cost more than the automaton itself."""
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        folded = self._fold_array[codes]
        kept = folded[folded != 0]
        if not kept.size:
            return "", "", None
        sounds = self._phon_array[kept]
        loudest = sounds.max()
        if loudest >= SLOW_PATH:
            return self._latin_channels(text, folded, kept, expanded=loudest == EXPANDED)
        keep = None
        if kept.size > 1:
            differs = kept[1:] != kept[:-1]
            if not differs.all():
                # Collapse runs of a repeated character, never digits (see normalize.py); no Latin here.
                differs |= (kept[1:] - 0x30) <= 9
                keep = np.concatenate((_LEADING_TRUE, differs))
                kept = kept[keep]
                sounds = sounds[keep]
        return kept.tobytes().decode("utf-32-le"), sounds.tobytes().decode("utf-32-le"), _Layout(folded, keep)

    def _latin_channels(
        self, text: str, folded: np.ndarray, kept: np.ndarray, *, expanded: bool
    ) -> tuple[str, str, _Layout]:
        if expanded:
            # Ligatures, ⑽, ㍿…: rare enough for the string path, whose offsets handle expansion.
            normalized = self.normalizer.fold(text)
            encoded = self.phonetics.encode(normalized)
            layout = _Layout(None, None)
            if encoded.starts is not None:
                layout.phon_starts, layout.phon_ends = encoded.starts, encoded.ends or []
            return normalized, encoded.text, layout
        keep = None
        if kept.size > 1:
            differs = kept[1:] != kept[:-1]
            if not differs.all():
                # First collapse as if Latin letters never repeated; only a run of three equal letters (rare:
                # padding such as "zuuui") needs the run-length rule, and it is still visible after this step.
                rest = kept[1:]
                keep = np.concatenate((_LEADING_TRUE, differs | ((rest - 0x30) <= 9) | ((rest - 0x61) <= 25)))
                if _LATIN_TRIPLE.search(kept[keep].tobytes().decode("utf-32-le")):
                    keep = _collapse_mask(kept, differs)
                kept = kept[keep]
        normalized = kept.tobytes().decode("utf-32-le")
        # Letters keep their own code here and are replaced run by run with pinyin syllable codes below.
        aligned = self._aligned_array[kept].tobytes().decode("utf-32-le")
        layout = _Layout(folded, keep)
        pieces: list[str] = []
        pos = 0
        segment = self.phonetics.segment
        for run in _LATIN_RUN.finditer(normalized):
            start = run.start()
            pieces.append(aligned[pos:start])
            segments = segment(run.group(), start)
            pieces.append("".join(code for code, _, _ in segments))
            layout.latin_runs.append((start, run.end(), segments))
            pos = run.end()
        pieces.append(aligned[pos:])
        return normalized, "".join(pieces), layout

    # -- hit resolution (only runs when something matched) ------------------------------------------

    def _resolve(
        self,
        text: str,
        normalized: str,
        layout: _Layout | None,
        matches: list[tuple[int, int, int]],
    ) -> ScanResult:
        offset = len(normalized) + 1
        exceptions: list[list[tuple[int, int]]] = [[], []]
        candidates: list[tuple[int, int, int, int, MatchKind]] = []  # (channel, start, end, entry, kind)
        triggered: set[int] = set()
        by_channel = self._channel_actions
        for pattern_index, start, end in matches:
            if start >= offset:
                channel = _PHONETIC
                start -= offset
                end -= offset
            else:
                channel = _NORMAL
            for action, target in by_channel[channel][pattern_index]:
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

        phon_map = layout.phonetic_map(len(normalized)) if layout is not None else None
        seen: dict[tuple[int, int, int], MatchKind] = {}
        for channel, start, end, target, match in candidates:
            if exceptions[channel] and any(lo <= start and end <= hi for lo, hi in exceptions[channel]):
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
        kept: list[tuple[tuple[int, int, int], MatchKind]]
        if len(seen) == 1:
            kept = list(seen.items())
        else:
            spans = sorted(seen.items(), key=lambda item: (item[0][1], item[0][1] - item[0][2]))
            kept = []
            furthest: dict[ViolationCategory, tuple[int, int]] = {}  # category → (end, smallest start with it)
            for (target, start, end), match in spans:
                category = self._entries[target].category
                best = furthest.get(category)
                if best is not None and (best[0] > end or (best[0] == end and best[1] < start)):
                    continue
                kept.append(((target, start, end), match))
                if best is None or end > best[0]:
                    furthest[category] = (end, start)

        mapper = layout.span_mapper(text, self.normalizer) if layout is not None else self.normalizer.span_mapper(text)
        hits = []
        for (entry_index, start, end), match in kept:
            entry = self._entries[entry_index]
            orig_start, orig_end = mapper(start, end)
            hits.append(
                Hit(
                    entry.term,
                    entry.category,
                    entry.article,
                    orig_start,
                    orig_end,
                    entry.severity,
                    entry.id,
                    entry.explanation,
                    match,
                    text[orig_start:orig_end],
                )
            )
        if len(hits) == 1:
            return ScanResult(hits=(hits[0],), normalized=normalized)
        hits.sort(key=lambda h: (h.start, h.end, h.entry_id))
        return ScanResult(hits=tuple(hits), normalized=normalized)
