"""Lexicon scanner: normalisation + pinyin keys + one Aho-Corasick pass, hits on ORIGINAL offsets.

The scanned haystack is ``normalised text + NUL + phonetic text`` (written as byte symbols, see
`scanner_tables.Symbols`), searched once by an Aho-Corasick automaton holding three kinds of patterns for both
channels: library terms, exception contexts
(最近, 第一次, 最佳食用时间… — a hit lying wholly inside an exception occurrence is dropped) and
literal triggers of regular-expression entries. NUL never occurs in a pattern, so no match straddles
the two channels. Keys that can only match where the text has Latin letters (pinyin initials such as
zh好, Latin-only readings such as wei一) — six keys in seven — live in a second automaton that searches only
the stretches of the phonetic channel around the Latin runs of such texts, which keeps the main automaton small
enough to stay in cache.

Matcher choice (measured by ``bench/compliance.py`` on this machine): ``ahocorasick-rs`` searches
≈40 M chars/s and costs ≈1 µs per 100-character call, against ≈7 M chars/s and ≈14 µs per call for
``pyahocorasick`` on the same Chinese lexicon — with two channels pyahocorasick alone would spend the
whole per-line budget, so the scanner uses ``ahocorasick-rs`` and the benchmark keeps both as baselines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import chain

import numpy as np

try:  # the C function itself: np.count_nonzero's Python wrapper costs more than counting 100 booleans
    from numpy._core.multiarray import count_nonzero as _count_nonzero
except ImportError:  # pragma: no cover - another NumPy layout
    _count_nonzero = np.count_nonzero

from wanghong.compliance.engine.context import ContextJudge
from wanghong.compliance.engine.hits import (
    EMPTY_RESULT,
    Hit,
    MatchKind,
    ScanResult,
    clean_results,
    entry_hit,
    hit_order,
    scan_result,
)
from wanghong.compliance.engine.library import ViolationCategory, ViolationLibrary
from wanghong.compliance.engine.normalize import (
    BATCH_SEPARATOR,
    BATCH_SEPARATOR_CODE,
    EXPANDS,
    collapse_mask,
)
from wanghong.compliance.engine.scanner_batch import resolve_batch
from wanghong.compliance.engine.scanner_haystack import (
    DIGIT_LIMIT,
    LEADING_TRUE,
    LatinRun,
    Layout,
    latin_run_spans,
    utf32_decode,
    utf32_encode,
)
from wanghong.compliance.engine.scanner_tables import (
    EXCEPTION,
    LATIN,
    LATIN_TERM,
    NORMAL,
    PHONETIC,
    TERM,
    CompiledLexicon,
    Lexicon,
)
from wanghong.compliance.engine.wordbreak import homophone_believed, on_word_boundaries

# Texts are batched up to this many characters (≈ a thousand lines of 100): each batch pays a few dozen NumPy
# and automaton calls whatever its size; 1 << 17 measured 1.24× the lines/s of 1 << 15 on 3,000 lines of
# the benchmark (bench/compliance.py), 1 << 18 less again (arrays past the L2 cache).
_BATCH_CHARS = 1 << 17
# Texts longer than LONG_TEXT are scanned in pieces of _PIECE characters, each with _MARGIN characters of
# context on both sides (see Scanner._scan_long).
LONG_TEXT = 1 << 17
_PIECE = 1 << 16
_MARGIN = 1 << 11
_LATIN_LETTER = re.compile(r"[a-z]")
# Module constants: an Enum member read from its class costs a dictionary lookup more each time.
_EXACT, _PHONETIC, _PATTERN = MatchKind.EXACT, MatchKind.PHONETIC, MatchKind.PATTERN
# NumPy arguments made once: frombuffer() with a dtype object skips parsing ``dtype=np.uint32`` (0.67 → 0.25 µs a
# call), and comparing with a 0-d array skips converting a Python int to an array scalar (1.2 → 0.4 µs on 100 codes).
_UINT32 = np.dtype(np.uint32)
_DIGIT_LIMIT = np.array(DIGIT_LIMIT, dtype=np.uint32)


class Scanner(Lexicon):
    """Compile a :class:`ViolationLibrary` once (≈1 s for the shipped library, most of it the shared
    Unicode tables) and call :meth:`scan` from any thread; the scanner holds no per-call state.
    ``compiled`` is the library's :class:`CompiledLexicon` from an earlier build (`compiled.CompiledCache`
    keeps it, and the shared tables, between processes); the scanner is the same with or without it."""

    def __init__(
        self,
        library: ViolationLibrary,
        *,
        phonetic: bool = True,
        context: bool = True,
        compiled: CompiledLexicon | None = None,
    ) -> None:
        super().__init__(library, phonetic=phonetic, compiled=compiled)
        # Context rules (negation, ordinals, consumer tips…, see context.py) run on the hits only.
        self._context = ContextJudge(self.normalizer.fold_chars) if context else None

    def scan(self, text: str) -> ScanResult:
        if not isinstance(text, str):
            raise TypeError(f"scan() 需要 str / scan() takes str, got {type(text).__name__}; decode bytes first")
        if len(text) > LONG_TEXT:
            return self._scan_long(text)
        # _haystack() inlined: on a 100-character line the fixed cost of each Python call and NumPy step is
        # what the scan costs, so this path keeps both to a minimum (see bench/compliance.py).
        codes = np.frombuffer(utf32_encode(text, "surrogatepass")[0], _UINT32)
        folded = self._fold_array.take(codes)
        kept = folded.compress(folded)  # compress() treats the codes as a mask: one call, not two
        size = kept.size
        if not size:
            return EMPTY_RESULT
        keep = differs = None
        collapsed = kept
        if size > 1:
            rest = kept[1:]
            differs = rest != kept[:-1]
            if _count_nonzero(differs) != size - 1:
                # Collapse runs of a repeated character, never digits (the only kept code points below ':').
                # Latin letters follow another rule, but a text with any fails the decode below.
                keep = np.concatenate((LEADING_TRUE, differs | (rest < _DIGIT_LIMIT)))
                collapsed = kept[keep]
                size = collapsed.size
        try:
            # A code point whose fold expands is past U+10FFFF in the fold array: the decode fails for it.
            normalized = utf32_decode(collapsed, "strict", True)[0]
            # Latin letters take the slow path too (their runs are spelt out in pinyin). The fold keeps no ASCII but
            # digits and a–z, so the ASCII part of the text tells: cheaper than any NumPy test over the array.
            ascii_part = normalized.encode("ascii", "ignore")
            latin = bool(ascii_part) and not ascii_part.isdigit()
        except UnicodeDecodeError:
            latin = True
        if not latin:
            layout = None
            # Both channels as symbols in one take, [normalised | phonetic] with no separator (see
            # scanner_tables.Symbols); matches keep their byte offsets until the text is resolved, which half the
            # lines are not.
            symbols = self._symbols
            matches = self._automaton.find_matches_as_indexes(
                symbols.pair.take(collapsed, axis=1).reshape(-1), overlapping=True
            )
            join = size << symbols.shift  # where the phonetic channel starts
        else:
            haystack, size, layout = self._latin_haystack(text, folded, kept, differs if keep is not None else None)
            normalized = haystack[:size]
            matches = self._symbol_matches(haystack)
            matches += self._latin_matches(haystack, size + 1, layout.latin_runs)
            join = size + 1
        if matches:
            # Most matches in clean text are exception contexts (最近, 第一次…): skip resolution unless some
            # match can produce a hit in the channel it was found in.
            productive = self._productive if layout is None else self._productive_latin
            trigger_targets = self._trigger_targets
            searched: dict[int, re.Match[str] | None] = {}
            for pattern_index, start, _end in matches:
                # A match across the join of the channels reads as one of the normalised channel here; it can only
                # cost a resolution, which drops it with the byte offsets.
                if productive[pattern_index] & (2 if start >= join else 1):
                    targets = trigger_targets.get(pattern_index)
                    if targets is not None and not self._triggered(targets, normalized, searched):
                        continue
                    if layout is None:
                        matches = self._char_matches(matches, join)
                    return self._resolve(text, normalized, layout or Layout(folded, keep), matches, searched)
        return scan_result((), normalized)

    def _char_matches(self, found: list[tuple[int, int, int]], join: int) -> list[tuple[int, int, int]]:
        """scan()'s matches in the offsets of the string haystack ``normalised + NUL + phonetic`` that `_resolve`
        reads, from the byte offsets of the symbol haystack whose phonetic channel starts at byte ``join``; a match
        across the join is dropped (the NUL of the string haystack stops it)."""
        shift = self._symbols.shift
        matches = []
        for index, start, end in found:
            if end <= join:
                matches.append((index, start >> shift, end >> shift))
            elif start >= join:
                matches.append((index, (start >> shift) + 1, (end >> shift) + 1))
        return matches

    def _triggered(self, targets: tuple[int, ...], normalized: str, searched: dict[int, re.Match[str] | None]) -> bool:
        """Whether one of the expressions ``targets`` matches ``normalized``. Each is searched once per text (最 and 包
        occur several times in a line, and several triggers share expressions); ``searched`` keeps each answer for
        `_resolve`, which then skips the misses and goes on from the first match of the others."""
        regexes = self._regexes
        for target in targets:
            found = searched[target] if target in searched else regexes[target].search(normalized)
            searched[target] = found
            if found is not None:
                return True
        return False

    def _scan_long(self, text: str) -> ScanResult:
        """scan() of a text longer than LONG_TEXT, piece by piece, so that time and memory grow linearly with
        it (a 30 MB line once took 75 s and 6.5 GB: arrays, haystack and match lists of the whole text at once).

        Each piece owns ``_PIECE`` characters and is scanned with ``_MARGIN`` characters of the text on either
        side; a hit is kept by the piece that owns its start. The margin is far longer than any keyword
        (at most 10 normalised characters; the longest expression spans about 30) plus the context the rules
        read (a clause of 24 characters each side, 12 for word boundaries), so a hit across a join is found
        whole and judged as in one pass. What differs only for such texts: a run of one repeated character
        longer than the margin is not collapsed whole across a join, and a 《title》 is recognised within the
        margin only."""
        size = len(text)
        hits: list[Hit] = []
        for own_start in range(0, size, _PIECE):
            own_end = min(size, own_start + _PIECE)
            lo = max(0, own_start - _MARGIN)
            for hit in self.scan(text[lo : min(size, own_end + _MARGIN)]).hits:
                if own_start <= hit.start + lo < own_end:
                    hits.append(replace(hit, start=hit.start + lo, end=hit.end + lo) if lo else hit)
        hits.sort(key=hit_order)
        return scan_result(tuple(hits), self.normalizer.fold_long(text))

    def scan_many(self, texts: Sequence[str]) -> list[ScanResult]:
        """``[scan(t) for t in texts]``, computed batch-wise: the texts are folded by one set of NumPy steps
        over their concatenation, searched by one automaton pass and their matches resolved together (see
        `scanner_batch`), so the per-call overhead that dominates short lines (≈20 NumPy and automaton calls
        each, and a Python loop over each text's matches) is paid once per batch instead of once per line.
        Results are identical to :meth:`scan` (checked by the tests)."""
        results: list[ScanResult] = []
        batch: list[str] = []
        chars = 0
        for number, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(
                    f"scan_many() 第{number}项不是 str / item {number} is {type(text).__name__}, not str; "
                    "decode bytes first"
                )
            if len(text) >= _BATCH_CHARS:
                # A long text amortises its own call overhead; batching it would only hold up the others.
                results.extend(self._scan_batch(batch))
                batch, chars = [], 0
                results.append(self.scan(text))
                continue
            batch.append(text)
            chars += len(text) + 1
            if chars >= _BATCH_CHARS:
                results.extend(self._scan_batch(batch))
                batch, chars = [], 0
        results.extend(self._scan_batch(batch))
        return results

    def _scan_batch(self, texts: list[str]) -> list[ScanResult]:
        """scan() of each text, for a batch of short texts joined by a separator that folds to itself and
        occurs in no pattern (so no match and no collapsed run crosses from one text into the next)."""
        if len(texts) <= 1:
            return [self.scan(t) for t in texts]
        joined = BATCH_SEPARATOR.join(texts)
        codes = np.frombuffer(utf32_encode(joined, "surrogatepass")[0], dtype=np.uint32)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        line_starts = np.zeros(len(texts), dtype=np.int64)
        np.cumsum(lengths[:-1] + 1, out=line_starts[1:])
        folded = self._fold_array.take(codes)
        folded[line_starts[1:] - 1] = BATCH_SEPARATOR_CODE  # the text's own separators stay deleted
        expanding = np.flatnonzero(folded == EXPANDS)
        if expanding.size:
            # Rare (ligatures, ⑽, ㍿…): those texts take scan()'s string path, the rest stay batched.
            odd = set(np.searchsorted(line_starts, expanding, side="right").tolist())
            rest = self._scan_batch([t for i, t in enumerate(texts, start=1) if i not in odd])
            rest.reverse()
            return [self.scan(t) if i in odd else rest.pop() for i, t in enumerate(texts, start=1)]

        positions = folded.nonzero()[0]
        kept = folded[positions]
        differs = kept[1:] != kept[:-1]
        keep = None
        if np.count_nonzero(differs) != differs.size:
            keep = collapse_mask(kept, differs)
            kept = kept[keep]
        normalized_all = utf32_decode(kept, "strict", True)[0]
        normalized = normalized_all.split(BATCH_SEPARATOR)
        offset = len(normalized_all) + 1
        results = clean_results(normalized)
        latin_runs: list[LatinRun] = []
        symbols, automaton = self._symbols, self._automaton
        extra: list[tuple[int, int, int]] = []
        join = None
        if np.count_nonzero((kept - 0x61) <= 25):
            # Latin runs are spelt out in the phonetic channel, which is then built as a string, as in scan().
            phonetic_all = utf32_decode(self._aligned_array.take(kept), "strict", True)[0]
            spans = latin_run_spans(kept)
            phonetic_all = self._spell_latin_runs(normalized_all, phonetic_all, latin_runs, spans)
            haystack = f"{normalized_all}\x00{phonetic_all}"
            matches = automaton.find_matches_as_indexes(symbols.of_text(haystack), overlapping=True)
            if latin_runs:
                extra = self._latin_matches(haystack, offset, latin_runs)
        else:
            # Both channels as symbols in one take, [normalised | phonetic], with no separator between them: a match
            # across the join (the end of the last text and the start of the first one's reading) is dropped below.
            matches = automaton.find_matches_as_indexes(symbols.pair.take(kept, axis=1).reshape(-1), overlapping=True)
            join = kept.size << symbols.shift
        if not matches and not extra:
            return results
        # fromiter over the flattened triples: half the time of np.array's shape discovery on a list of tuples
        found = np.fromiter(chain.from_iterable(matches), dtype=np.int64, count=3 * len(matches)).reshape(-1, 3)
        if join is not None:
            # Drop the matches across the join of the channels, and number the phonetic channel from offset.
            across = (found[:, 1] < join) & (found[:, 2] > join)
            if np.count_nonzero(across):
                found = found[~across]
            found[:, 1:] += np.where(found[:, 1] >= join, 1 << symbols.shift, 0)[:, None]
        found[:, 1:] >>= symbols.shift  # byte offsets → character offsets
        if extra:
            found = np.concatenate(
                (found, np.fromiter(chain.from_iterable(extra), dtype=np.int64, count=3 * len(extra)).reshape(-1, 3))
            )
        in_phonetic = found[:, 1] >= offset
        channel_bit = np.where(in_phonetic, 2, 1)
        productive = self._productive_array[found[:, 0]] & channel_bit
        if not latin_runs and not np.count_nonzero(productive):
            return results
        # Start of each text in both channels: the separators are the only U+000A in either.
        normal_starts = np.zeros(len(texts), dtype=np.int64)
        np.cumsum(np.fromiter(map(len, normalized), dtype=np.int64, count=len(texts))[:-1] + 1, out=normal_starts[1:])
        phonetic_starts = np.zeros(len(texts), dtype=np.int64)
        if latin_runs:
            phonetic_lines = phonetic_all.split(BATCH_SEPARATOR)
            phonetic_lengths = np.fromiter(map(len, phonetic_lines), dtype=np.int64, count=len(texts))
            np.cumsum(phonetic_lengths[:-1] + 1, out=phonetic_starts[1:])
        else:
            phonetic_starts[1:] = normal_starts[1:]
        phonetic_starts += offset
        line = np.where(
            in_phonetic,
            np.searchsorted(phonetic_starts, found[:, 1], side="right"),
            np.searchsorted(normal_starts, found[:, 1], side="right"),
        )
        line -= 1
        if latin_runs:
            # Latin-only readings count in the texts that have Latin letters, and nowhere else.
            latin_lines = np.searchsorted(normal_starts, [start for start, _, _ in latin_runs], side="right") - 1
            latin_productive = self._productive_latin_array[found[:, 0]] & channel_bit
            productive = np.where(np.isin(line, latin_lines), latin_productive, productive)
            if not np.count_nonzero(productive):
                return results
        # What search() found of each (entry, text) the trigger test asked (None: nothing), most of the pairs: the
        # expressions' readings (scanner_batch) then skip the misses and go on from the first match of the others.
        searched: dict[tuple[int, int], re.Match[str] | None] = {}
        regexes = self._regexes

        def regex_spans(entry: int, owner: int) -> list[tuple[int, int]]:
            key = (entry, owner)
            if key not in searched:
                return [m.span() for m in regexes[entry].finditer(normalized[owner])]
            first = searched[key]
            return [] if first is None else [m.span() for m in regexes[entry].finditer_from(normalized[owner], first)]

        trigger_only = (productive != 0) & self._trigger_only[found[:, 0]]
        # A text with another productive match is resolved anyway (its expressions searched there): the test
        # is asked only for the others.
        resolved = line[(productive != 0) & ~trigger_only]
        trigger_rows = np.flatnonzero(trigger_only & ~np.isin(line, resolved))
        if trigger_rows.size:
            # As in scan(): a trigger-only match counts when one of its expressions matches that text; asked
            # once per (pattern, text), since 最 occurs several times in a line.
            trigger_targets = self._trigger_targets
            answers: dict[tuple[int, int], bool] = {}
            for row, pattern, owner in zip(
                trigger_rows.tolist(), found[trigger_rows, 0].tolist(), line[trigger_rows].tolist(), strict=True
            ):
                answer = answers.get((pattern, owner))
                if answer is None:
                    answer = False
                    for target in trigger_targets[pattern]:
                        key = (target, owner)
                        first = searched[key] if key in searched else regexes[target].search(normalized[owner])
                        searched[key] = first
                        if first is not None:
                            answer = True
                            break
                    answers[pattern, owner] = answer
                if not answer:
                    productive[row] = 0
        wanted = np.unique(line[productive != 0])
        if not wanted.size:
            return results
        # Each normalised character's first and last original position in the batch, for every text at once
        # (what Layout.span_mapper computes per text).
        if keep is None:
            first_of = last_of = positions
        else:
            run_index = keep.nonzero()[0]
            first_of = positions[run_index]
            last_of = positions[np.append(run_index[1:], positions.size) - 1]
        resolve_batch(
            self,
            texts,
            normalized,
            results,
            found=found,
            line=line,
            in_phonetic=in_phonetic,
            wanted=wanted,
            offset=offset,
            normal_starts=normal_starts,
            line_starts=line_starts,
            kept_codes=kept,
            first_of=first_of,
            last_of=last_of,
            folded=folded,
            latin_runs=latin_runs,
            regex_spans=regex_spans,
        )
        return results

    # -- hit resolution (only runs when something matched) ------------------------------------------

    def _span_mapper(self, text: str, layout: Layout | None) -> Callable[[int, int], tuple[int, int]]:
        return layout.span_mapper(text, self.normalizer) if layout is not None else self.normalizer.span_mapper(text)

    def _resolve(
        self,
        text: str,
        normalized: str,
        layout: Layout | None,
        matches: list[tuple[int, int, int]],
        searched: dict[int, re.Match[str] | None],
    ) -> ScanResult:
        """The hits of ``text`` from its automaton ``matches``; ``searched`` holds what the trigger test found of the
        expressions it asked (see `_triggered`)."""
        offset = len(normalized) + 1
        normal_actions, phonetic_actions = self._channel_actions
        normal_exceptions: list[tuple[int, int]] = []
        phonetic_exceptions: list[tuple[int, int]] = []
        candidates: list[tuple[int, int, int, int, MatchKind]] = []  # (channel, start, end, entry, kind)
        triggered: list[int] = []
        for pattern_index, start, end in matches:
            if start >= offset:
                for action, target in phonetic_actions[pattern_index]:
                    if action == TERM:
                        candidates.append((PHONETIC, start - offset, end - offset, target, _PHONETIC))
                    elif action == LATIN_TERM:
                        candidates.append((LATIN, start - offset, end - offset, target, _PHONETIC))
                    else:
                        phonetic_exceptions.append((start - offset, end - offset))
                continue
            for action, target in normal_actions[pattern_index]:
                if action == TERM:
                    candidates.append((NORMAL, start, end, target, _EXACT))
                elif action == EXCEPTION:
                    normal_exceptions.append((start, end))
                else:
                    triggered.append(target)
        if triggered:
            regexes = self._regexes
            for target in sorted(set(triggered)) if len(triggered) > 1 else triggered:
                if target in searched:
                    first = searched[target]
                    if first is None:
                        continue
                    spans = regexes[target].finditer_from(normalized, first)
                else:
                    spans = regexes[target].finditer(normalized)
                for found in spans:
                    found_start, found_end = found.span()
                    if found_end > found_start:
                        candidates.append((NORMAL, found_start, found_end, target, _PATTERN))

        # Phonetic spans index the phonetic channel; it is longer than the normalised one only where Latin runs
        # were spelt out (or on the string path), and only then do they need mapping back.
        remap = layout if layout is not None and (layout.latin_runs or layout.phon_starts is not None) else None
        phon_map = None
        seen: dict[tuple[int, int, int], MatchKind] = {}
        # Whether any reading needs a word-boundary test: a phonetic one, or an exact one of a short everyday word.
        any_phonetic = bounded = False
        word_bound = self._word_bound
        for channel, start, end, target, match in candidates:
            if channel == NORMAL:
                if normal_exceptions and any(lo <= start and end <= hi for lo, hi in normal_exceptions):
                    continue
            else:
                if phonetic_exceptions and any(lo <= start and end <= hi for lo, hi in phonetic_exceptions):
                    continue
                if remap is not None:
                    phon_map = phon_map or remap.phonetic_map(len(normalized))
                    if phon_map is not None:
                        start, end = phon_map[0][start], phon_map[1][end - 1]
                if channel == LATIN and not _LATIN_LETTER.search(normalized, start, end):
                    continue
            key = (target, start, end)
            if seen.get(key, _PHONETIC) is _PHONETIC:
                seen[key] = match
                if match is _PHONETIC:
                    any_phonetic = True
                elif match is _EXACT and word_bound[target]:
                    bounded = True
        if not seen:
            return scan_result((), normalized)

        # Within one category keep the longest reading: 全网最低价 rather than also 全网最低 and 最低价.
        # Spans come sorted by start (longer first), so an earlier kept span contains this one exactly when
        # its end reaches ours — tracking the furthest end per category makes this linear.
        # Homophones of a short term also match across the words of a name (优品堂收纳盒 reads like 躺瘦), and
        # short everyday words across word joins (一流水线): such readings stand only on word boundaries, unless
        # spelt with Latin letters (躺shou, tang瘦), which nobody writes by accident. A reading dropped there must
        # not hide one it contains, so the test decides whether a reading is kept; it is asked only of readings
        # no kept one contains (each costs a jieba segmentation when its window is new, and a text with many
        # homophone readings of one category, as in a 20,000-term library, would otherwise ask for every one).
        entries = self._entries
        mapper: Callable[[int, int], tuple[int, int]] | None = None
        check = bounded or (any_phonetic and _PHONETIC in seen.values())
        kept: list[tuple[tuple[int, int, int], MatchKind]] = []
        furthest: dict[ViolationCategory, tuple[int, int]] = {}  # category → (end, smallest start with it)
        for (target, start, end), match in sorted(seen.items(), key=_span_order) if len(seen) > 1 else seen.items():
            category = entries[target].category
            best = furthest.get(category)
            if best is not None and (best[0] > end or (best[0] == end and best[1] <= start)):
                continue  # inside (or the very span of) an earlier reading of the same category
            homophone = match is _PHONETIC and not _LATIN_LETTER.search(normalized, start, end)
            if check and (homophone or (match is _EXACT and word_bound[target])):
                if mapper is None:
                    mapper = self._span_mapper(text, layout)
                span_start, span_end = mapper(start, end)
                believed = homophone_believed if homophone else on_word_boundaries
                if not believed(text, span_start, span_end):
                    continue
            kept.append(((target, start, end), match))
            if best is None or end > best[0]:
                furthest[category] = (end, start)
        if not kept:
            return scan_result((), normalized)

        if mapper is None:
            mapper = self._span_mapper(text, layout)
        hits = []
        for (entry_index, start, end), match in kept:
            entry = entries[entry_index]
            orig_start, orig_end = mapper(start, end)
            hit = entry_hit(entry, orig_start, orig_end, match, text[orig_start:orig_end])
            hits.append(hit)
        if self._context is not None:
            # The rules read folded slices of the text; the per-character fold is at hand on the array path.
            aligned = None
            if layout is not None and layout.folded is not None:
                aligned = utf32_decode(layout.folded, "strict", True)[0]
            hits = self._context.judge(text, hits, aligned)
            if not hits:
                return scan_result((), normalized)
        if len(hits) == 1:
            return scan_result((hits[0],), normalized)
        hits.sort(key=hit_order)
        return scan_result(tuple(hits), normalized)


def _span_order(item: tuple[tuple[int, int, int], MatchKind]) -> tuple[int, int]:
    (_target, start, end), _match = item
    return start, start - end
