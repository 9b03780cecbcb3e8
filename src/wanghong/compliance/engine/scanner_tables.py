"""The scanner's compiled lexicon: every library term, exception context and regular-expression trigger as keys of
both channels, what each key does in each channel, and the Aho-Corasick automata that find them (see `scanner`)."""

from __future__ import annotations

import codecs
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick_rs
import numpy as np

from wanghong.compliance.engine.glyphs import decomposed_variants
from wanghong.compliance.engine.library import LibraryEntry, ViolationCategory, ViolationLibrary
from wanghong.compliance.engine.normalize import UNICODE_SIZE
from wanghong.compliance.engine.phonetic import INITIAL_BASE
from wanghong.compliance.engine.regex_first import FirstCharPattern
from wanghong.compliance.engine.scanner_haystack import Haystacks, LatinRun

# LATIN_TERM: a pinyin reading of an entry whose homophones are everyday words (唯一, 第一名…); believed
# only when spelt with Latin letters (wei一, di一名), which nobody writes by accident.
TERM, EXCEPTION, TRIGGER, LATIN_TERM = 0, 1, 2, 3
NORMAL, PHONETIC = 0, 1
LATIN = 2  # a candidate of the phonetic channel that needs Latin letters in its span (see LATIN_TERM)
# Initial codes (phonetic.py): produced only by the segmentation of Latin runs, never by a Chinese character.
_INITIAL_LOW, _INITIAL_HIGH = chr(INITIAL_BASE), chr(INITIAL_BASE + 0x100)


@dataclass(frozen=True, slots=True)
class CompiledLexicon:
    """What compiling a library for scanning yields, as plain data: it depends only on the library, the fold and
    the pinyin tables, and is what the compiled cache keeps between processes (see `compiled`). The automata are
    built from ``patterns`` by each process (ahocorasick-rs cannot be pickled; ≈11 ms)."""

    word_bound: tuple[bool, ...]
    patterns: tuple[str, ...]  # the main automaton's keys, then the Latin-only ones
    main_count: int
    channel_actions: tuple[tuple[tuple[tuple[int, int], ...], ...], tuple[tuple[tuple[int, int], ...], ...]]
    productive: bytes
    productive_latin: bytes
    trigger_targets: dict[int, tuple[int, ...]]  # trigger-only pattern → the regex entries it triggers


def compile_lexicon(library: ViolationLibrary, haystacks: Haystacks, *, phonetic: bool = True) -> CompiledLexicon:
    """Every key of ``library`` in both channels and what each does there (≈0.4 s for the shipped library, most of
    it the pinyin variants of each term)."""
    entries = library.entries
    fold = haystacks.normalizer.fold
    phonetics = haystacks.phonetics
    # Two-character everyday words (唯一, 一流, 绝对) also occur across word joins (一流水线, 一流动); their exact
    # hits are believed on word boundaries only, like homophone hits.
    word_bound = tuple(not e.phonetic and e.pattern is None and len(fold(e.term)) <= 2 for e in entries)

    actions: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # pattern → (channel, kind, entry)

    def add(key: str, channel: int, kind: int, entry: int) -> None:
        if key and (channel, kind, entry) not in actions[key]:
            actions[key].append((channel, kind, entry))

    for index, entry in enumerate(entries):
        if entry.pattern is not None:
            for trigger in entry.triggers:
                add(fold(trigger), NORMAL, TRIGGER, index)
            continue
        key = fold(entry.term)
        add(key, NORMAL, TERM, index)
        for variant in decomposed_variants(key):  # 根氵台 for 根治
            add(variant, NORMAL, TERM, index)
        if phonetic and entry.phonetic:
            for variant in phonetics.variants(key):
                add(variant, PHONETIC, TERM, index)
        elif phonetic:
            for variant in phonetics.variants(key, with_initials=False):
                add(variant, PHONETIC, LATIN_TERM, index)
    exceptions = {fold(x) for e in entries for x in e.exceptions} | {fold(x) for x in library.exceptions}
    for exception in exceptions:
        add(exception, NORMAL, EXCEPTION, -1)
        if phonetic:
            for variant in phonetics.variants(exception, with_initials=False):
                add(variant, PHONETIC, EXCEPTION, -1)
    # Keys that can only match where the text has Latin letters go to an automaton of their own, searched
    # only around the Latin runs of such texts: the Latin-only readings, and every key with an initial code
    # (zh好 for 最好), which only the segmentation of a Latin run ever produces. They are six keys in seven;
    # kept in the main automaton they made it several times larger, and a larger automaton slows every scan
    # (cache misses), clean text included.
    latin_only = [
        p
        for p, acts in actions.items()
        if all(k == LATIN_TERM for _, k, _ in acts) or any(_INITIAL_LOW <= c < _INITIAL_HIGH for c in p)
    ]
    latin_set = set(latin_only)
    main = [p for p in actions if p not in latin_set]
    patterns = (*main, *latin_only)
    # Per channel, what each pattern does there; and a bit mask per pattern: 1 = can yield a hit in the
    # normalised channel, 2 = in the phonetic one (exception contexts alone never can).
    normal_actions, phonetic_actions = (
        tuple(tuple((kind, entry) for ch, kind, entry in actions[p] if ch == channel) for p in patterns)
        for channel in (NORMAL, PHONETIC)
    )
    # Latin-only readings are homophones of everyday words (唯一 reads like 为一): in a text without Latin
    # letters they can never stand, so that text is checked against the table that leaves them out.
    productive_latin = bytes(
        sum(1 << ch for ch in (NORMAL, PHONETIC) if any(c == ch and k != EXCEPTION for c, k, _ in actions[p]))
        for p in patterns
    )
    productive = bytes(
        sum(
            1 << ch
            for ch in (NORMAL, PHONETIC)
            if any(c == ch and k not in (EXCEPTION, LATIN_TERM) for c, k, _ in actions[p])
        )
        for p in patterns
    )
    # Patterns whose only productive action is triggering regular expressions (最 for 最+形容词): a text is
    # worth resolving for them only when one of those expressions matches, which one search() tells far
    # more cheaply than resolution (最近, 最后 and 最好 are everywhere in sales talk).
    trigger_targets: dict[int, tuple[int, ...]] = {}
    for index, pattern in enumerate(patterns):
        kinds = {(c, k) for c, k, _ in actions[pattern] if k != EXCEPTION}
        if kinds == {(NORMAL, TRIGGER)}:
            trigger_targets[index] = tuple(sorted({e for c, k, e in actions[pattern] if k == TRIGGER}))
    return CompiledLexicon(
        word_bound,
        patterns,
        len(main),
        (normal_actions, phonetic_actions),
        productive,
        productive_latin,
        trigger_targets,
    )


class ActionTable:
    """The lexicon's per-channel actions (`CompiledLexicon.channel_actions`) as flat arrays: pattern p's actions in
    the normalised channel are rows ``start[p]:start[p + 1]``, in the phonetic one ``start[P + p]:start[P + p + 1]``
    (P patterns), each row a kind and a target entry."""

    def __init__(self, channel_actions: tuple[Sequence[Sequence[tuple[int, int]]], ...]) -> None:
        kinds: list[int] = []
        targets: list[int] = []
        starts = [0]
        for channel in channel_actions:
            for actions in channel:
                for kind, target in actions:
                    kinds.append(kind)
                    targets.append(target)
                starts.append(len(kinds))
        self.patterns = len(channel_actions[0])
        self.start = np.array(starts, dtype=np.int64)
        self.kind = np.array(kinds, dtype=np.int8)
        self.target = np.array(targets, dtype=np.int64)


class Symbols:
    """The main automaton's alphabet — every character of its keys, in both channels — numbered and written as
    fixed-width byte symbols, and the tables that turn normalised code points into them.

    Why: ``ahocorasick-rs`` over a ``str`` first encodes it to UTF-8 (3 bytes a Chinese character or a syllable code)
    and maps every match's byte offsets back to characters; over bytes, 2 per character (``BytesAhoCorasick``), the
    scanner builds the haystack straight from the code array, with no string of the phonetic channel at all. Measured
    on the benchmark's 748 lines of 100 characters (bench/compliance.py): the search alone 3.9 µs a line against
    5.0–7.9 µs for the str automaton of the same keys (whose speed varies with where in the process it is built:
    6.4 M or 17 M instructions under callgrind for the same keys and haystacks, by construction order alone), same
    matches in the same order; scan_many() −10 % instructions. Every character outside the alphabet becomes one
    symbol, OTHER, that no key contains: no key can match across it, as none could across the character.

    A symbol is little-endian: its first byte below 0x80, every other one from 0x80 up, so a key (whose first byte
    is a first byte) can only match where a symbol starts — never across two — and a byte offset is a symbol offset
    times the width. Two bytes number 16,383 characters; a larger alphabet takes four."""

    def __init__(self, patterns: Sequence[str], phonetic_array: np.ndarray) -> None:
        alphabet = sorted({c for p in patterns for c in p})
        self.width = 2 if len(alphabet) < 1 << 14 else 4
        self.shift = self.width.bit_length() - 1  # byte offset >> shift = symbol offset
        number = np.arange(len(alphabet) + 1, dtype=np.uint32)  # 0 is OTHER
        code = number & 0x7F
        for byte in range(1, self.width):
            code |= (((number >> (7 * byte)) & 0x7F) | 0x80) << (8 * byte)
        dtype = np.uint16 if self.width == 2 else np.uint32
        # Indexed by any code point of either channel, and by the values past U+10FFFF the tables use as marks.
        table = np.full(max(UNICODE_SIZE, int(phonetic_array.max())) + 1, code[0], dtype=dtype)
        table[np.array([ord(c) for c in alphabet], dtype=np.int64)] = code[1:].astype(dtype)
        # Row 0: the symbol of each normalised code point; row 1: that of its reading. One take along axis 1 gives
        # both channels of a text at once, as bytes (the automaton takes only one-dimensional byte buffers).
        pair = np.stack((table[: phonetic_array.size], table.take(phonetic_array)))
        pair.setflags(write=False)
        self.table = pair[0]  # a view: no text or key has a code point past the phonetic table's (2 MiB saved)
        self.pair = pair.view(np.uint8).reshape(2, phonetic_array.size, self.width)

    def encode(self, keys: Sequence[str]) -> list[bytes]:
        """Each key as symbols."""
        joined = self.table.take(
            np.frombuffer(codecs.utf_32_le_encode("".join(keys), "surrogatepass")[0], dtype=np.uint32)
        ).tobytes()
        ends = np.cumsum([len(k) * self.width for k in keys]).tolist()
        return [joined[end - len(key) * self.width : end] for key, end in zip(keys, ends, strict=True)]

    def of_text(self, text: str) -> np.ndarray:
        """``text``'s symbols as bytes (a haystack the caller built as a string: Latin runs spelt out, NUL, …)."""
        codes = np.frombuffer(codecs.utf_32_le_encode(text, "surrogatepass")[0], dtype=np.uint32)
        symbols: np.ndarray = self.table.take(codes).view(np.uint8)
        return symbols


class _Patterns(dict[int, FirstCharPattern]):
    """The library's regular expressions by entry index, each compiled when first used: compiling all of them
    costs a one-line CLI run ≈30 ms, and most texts trigger none."""

    def __init__(self, sources: dict[int, str]) -> None:
        super().__init__()
        self._sources = sources

    def __missing__(self, index: int) -> FirstCharPattern:
        compiled = self[index] = FirstCharPattern(self._sources[index])
        return compiled


class Lexicon(Haystacks):
    """A :class:`ViolationLibrary` compiled for scanning; `Scanner` adds the scan loop. ``compiled`` is what
    :func:`compile_lexicon` made of this very library before (the compiled cache's copy); None compiles it."""

    def __init__(
        self, library: ViolationLibrary, *, phonetic: bool = True, compiled: CompiledLexicon | None = None
    ) -> None:
        super().__init__()
        self.library = library
        self._entries: tuple[LibraryEntry, ...] = library.entries
        if compiled is None:
            compiled = compile_lexicon(library, self, phonetic=phonetic)
        elif len(compiled.word_bound) != len(self._entries):
            raise ValueError("编译词库与词库不符 / the compiled lexicon belongs to another library")
        self.compiled = compiled
        self._word_bound = compiled.word_bound
        self._regexes = _Patterns({i: e.pattern for i, e in enumerate(self._entries) if e.pattern is not None})
        self._patterns = compiled.patterns
        self._main_count = compiled.main_count
        self._channel_actions = compiled.channel_actions
        self._productive = compiled.productive
        self._productive_latin = compiled.productive_latin
        self._productive_array = np.frombuffer(self._productive, dtype=np.uint8).astype(np.int64)
        self._productive_latin_array = np.frombuffer(self._productive_latin, dtype=np.uint8).astype(np.int64)
        self._trigger_targets = compiled.trigger_targets
        # Per entry as arrays, for resolving a whole batch at once (scanner_batch); the action table is built by
        # the first batch (≈4 ms, which a one-line CLI scan need not pay).
        self._action_table_built: ActionTable | None = None
        self._word_bound_array = np.array(self._word_bound, dtype=bool)
        categories = {category: number for number, category in enumerate(ViolationCategory)}
        self._category_array = np.array([categories[e.category] for e in self._entries], dtype=np.int64)
        self._trigger_only = np.zeros(len(self._patterns), dtype=bool)
        self._trigger_only[list(self._trigger_targets)] = True
        # The main automaton searches symbols, not the text (see `Symbols`). A contiguous NFA, not a DFA: the DFA of the
        # shipped library's ≈4,800 main keys took ≈12 MiB as a str automaton (past the 2 MiB L2 cache) and one line at
        # a time reloaded its states for every line; scan() measured 3–23 % more calls a second with the NFA.
        self._symbols = Symbols(self._patterns[: self._main_count], self._phon_array)
        # Typed loosely on purpose: it searches any buffer, NumPy arrays included, which the stubs' Buffer cannot say
        # here (as `scanner_haystack.utf32_decode`).
        self._automaton: Any = ahocorasick_rs.BytesAhoCorasick(
            self._symbols.encode(self._patterns[: self._main_count]),
            matchkind=ahocorasick_rs.MatchKind.Standard,
            implementation=ahocorasick_rs.Implementation.ContiguousNFA,
        )
        # Built on the first text with Latin letters (≈20 ms, which a one-line CLI run need not pay).
        self._latin_built: ahocorasick_rs.AhoCorasick | None = None
        # A Latin key's match covers at least one code of a Latin run, so it lies within this many codes of one.
        self._latin_reach = max(map(len, self._patterns[self._main_count :]), default=1) - 1

    @property
    def _action_table(self) -> ActionTable:
        table = self._action_table_built
        if table is None:  # two threads may both build it; either copy is the same table
            table = self._action_table_built = ActionTable(self._channel_actions)
        return table

    @property
    def _latin_automaton(self) -> ahocorasick_rs.AhoCorasick | None:
        automaton = self._latin_built
        if automaton is None and len(self._patterns) > self._main_count:
            # Two threads may both build it; either copy is the same automaton.
            automaton = self._latin_built = ahocorasick_rs.AhoCorasick(
                self._patterns[self._main_count :], matchkind=ahocorasick_rs.MatchKind.Standard
            )
        return automaton

    def _symbol_matches(self, haystack: str) -> list[tuple[int, int, int]]:
        """The main automaton's matches in a haystack built as a string (normalised text, NUL, phonetic text), in its
        character offsets."""
        symbols = self._symbols
        shift = symbols.shift
        found = self._automaton.find_matches_as_indexes(symbols.of_text(haystack), overlapping=True)
        return [(index, start >> shift, end >> shift) for index, start, end in found]

    def _latin_matches(self, haystack: str, offset: int, runs: Sequence[LatinRun]) -> list[tuple[int, int, int]]:
        """Matches of the Latin keys, numbered like the patterns of the main automaton. ``offset`` is where the
        phonetic channel starts in ``haystack``; ``runs`` are the Latin runs of the normalised channel (empty:
        search the whole phonetic channel, for the string path that keeps no runs). Only the stretches of the
        phonetic channel around each run are searched."""
        automaton = self._latin_automaton
        if automaton is None:
            return []
        base = self._main_count
        if not runs:
            found = automaton.find_matches_as_indexes(haystack[offset:], overlapping=True)
            return [(index + base, start + offset, end + offset) for index, start, end in found]
        reach = self._latin_reach
        size = len(haystack)
        windows: list[list[int]] = []
        shift = 0  # how much shorter the phonetic channel is than the normalised one before this run
        for start, end, segments in runs:
            code = offset + start - shift
            lo, hi = max(offset, code - reach), min(size, code + len(segments) + reach)
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = hi
            else:
                windows.append([lo, hi])
            shift += end - start - len(segments)
        matches = []
        for lo, hi in windows:
            for index, start, end in automaton.find_matches_as_indexes(haystack[lo:hi], overlapping=True):
                matches.append((index + base, start + lo, end + lo))
        return matches

    @property
    def pattern_count(self) -> int:
        return len(self._patterns)

    @property
    def main_pattern_count(self) -> int:
        """Keys of the automaton every scan searches (the rest are searched around Latin runs only)."""
        return self._main_count
