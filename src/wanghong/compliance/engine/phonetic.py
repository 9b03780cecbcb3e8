"""Pinyin keys for homophone and romanised evasions (醉好, zui hao, zuihao, zh好 for 最好).

Every Chinese character becomes one private-use "syllable code" for its toneless default reading
(pypinyin's single-character dictionary), so homophones share a code and the phonetic string stays
aligned one-to-one with the normalised string. Arabic digits become the code of their numeral's
reading (1 → yi), because the normaliser already turned 一/壹/① into 1.

Latin runs are segmented greedily into pinyin syllables (longest first); letters that start no syllable
but are pinyin initials become *initial codes*, with zh/ch/sh folded into z/c/s (平翘舌不分, the usual
fuzzy-pinyin rule in Chinese input methods). Lexicon terms expand into every combination of their
characters' readings and initials, but a variant must keep at least one full syllable: a key made only
of initials (e.g. "zh") would fire on any Latin text.

Characters only ever produce full syllable codes, so initial-code variants can match Latin
abbreviations in the text but never ordinary Chinese.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from wanghong.compliance.engine.normalize import UNICODE_SIZE
from wanghong.compliance.engine.shared import ProcessTable

SYLLABLE_BASE = 0xE000
INITIAL_BASE = 0xF000
# Values ≥ this in the phonetic array mean "take the slow path": SLOW_PATH for Latin letters (pinyin
# spellings), EXPANDED for a code point whose fold is several characters — one max() tells both apart.
SLOW_PATH = 0x110000
EXPANDED = SLOW_PATH + 1

_DIGIT_READINGS = ("ling", "yi", "er", "san", "si", "wu", "liu", "qi", "ba", "jiu")
_INITIALS = (
    "zh",
    "ch",
    "sh",
    "b",
    "p",
    "m",
    "f",
    "d",
    "t",
    "n",
    "l",
    "g",
    "k",
    "h",
    "j",
    "q",
    "x",
    "r",
    "z",
    "c",
    "s",
    "y",
    "w",
)
_FUZZY_INITIAL = {"zh": "z", "ch": "c", "sh": "s"}
_LATIN_RUN = re.compile(r"[a-z]+")
_MAX_SYLLABLE = 6
_MAX_VARIANTS = 256


def toneless(reading: str) -> str:
    """'zuì' → 'zui', 'lǜ' → 'lv' (v for ü, as pinyin keyboards type it)."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def initial_of(syllable: str) -> str | None:
    for initial in _INITIALS:
        if syllable.startswith(initial) and syllable != initial:
            return _FUZZY_INITIAL.get(initial, initial)
    return None


@dataclass(frozen=True, slots=True)
class PhoneticText:
    """The phonetic string, and for the slow path the normalised span each phonetic code came from."""

    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None


class Phonetics:
    """Tables built once per process (≈0.2 s, and ≈0.4 s to import pypinyin); immutable afterwards.

    Scanning needs only the syllable codes and the array (SYLLABLE_TABLES, which the compiled cache can
    install); pypinyin's readings are loaded when a lexicon is compiled (:meth:`variants`)."""

    def __init__(self) -> None:
        self.syllable_code, self.initial_code, self.array = SYLLABLE_TABLES()
        self._full_codes = frozenset(self.syllable_code.values())
        self._segment_cached = functools.lru_cache(maxsize=8192)(self._segment)
        self._run_cached = functools.lru_cache(maxsize=8192)(self._encode_run)

    @property
    def readings(self) -> dict[str, list[str]]:
        """Toneless readings of each character (default first) and digit: pypinyin's dictionary, loaded on use."""
        return _readings()

    @property
    def table(self) -> dict[int, str]:
        """``str.translate`` table of the default reading codes, for the string path (:meth:`encode`)."""
        return _translate_table()

    # -- text side ---------------------------------------------------------------------------------

    def encode(self, normalized: str) -> PhoneticText:
        """Phonetic string of an already normalised text (slow path: handles Latin runs). A machine
        identifier (:func:`identifier_span`) keeps its plain characters."""
        if not _LATIN_RUN.search(normalized):
            return PhoneticText(normalized.translate(self.table))
        parts: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for run in _LATIN_RUN.finditer(normalized):
            if run.start() < pos:  # inside an identifier already copied whole
                continue
            identifier = identifier_span(normalized, *run.span())
            if identifier is not None:
                lo, hi = identifier
                parts.append(normalized[pos:lo].translate(self.table))
                parts.append(normalized[lo:hi])
                starts.extend(range(pos, hi))
                ends.extend(range(pos + 1, hi + 1))
                pos = hi
                continue
            chunk = normalized[pos : run.start()]
            parts.append(chunk.translate(self.table))
            starts.extend(range(pos, run.start()))
            ends.extend(range(pos + 1, run.start() + 1))
            for code, lo, hi in self.segment(run.group(), run.start()):
                parts.append(code)
                starts.append(lo)
                ends.append(hi)
            pos = run.end()
        parts.append(normalized[pos:].translate(self.table))
        starts.extend(range(pos, len(normalized)))
        ends.extend(range(pos + 1, len(normalized) + 1))
        return PhoneticText("".join(parts), starts, ends)

    def segment(self, letters: str, offset: int = 0) -> list[tuple[str, int, int]]:
        """Like :meth:`_segment`, shifted by ``offset``; Latin words repeat a lot, so results are cached."""
        pieces = self._segment_cached(letters)
        return [(code, start + offset, end + offset) for code, start, end in pieces]

    def encode_run(self, letters: str) -> tuple[str, tuple[tuple[str, int, int], ...]]:
        """(phonetic codes of a Latin run, its segmentation relative to the run's start), cached: the
        scanner's hot path then costs one dictionary hit per run instead of a list and a join."""
        return self._run_cached(letters)

    def _encode_run(self, letters: str) -> tuple[str, tuple[tuple[str, int, int], ...]]:
        pieces = self._segment_cached(letters)
        return "".join(code for code, _, _ in pieces), pieces

    def _segment(self, letters: str) -> tuple[tuple[str, int, int], ...]:
        """Split a Latin run into (code, start, end) triples at the lowest cost: a syllable costs 1, an
        initial 3, a stray letter 5. Greedy longest-match would read "zhuangong" as zhuang+o+ng instead
        of zhuan+gong; the dynamic programme prefers fewer, complete syllables."""
        n = len(letters)
        best: list[tuple[int, int, str]] = [(0, 0, "")] + [(1 << 30, 0, "")] * n  # (cost, previous, code)
        for i in range(n):
            cost_here = best[i][0]
            if cost_here >= 1 << 30:
                continue
            for length in range(1, min(_MAX_SYLLABLE, n - i) + 1):
                piece = letters[i : i + length]
                code = self.syllable_code.get(piece)
                # A lone initial letter (n, m) is far likelier an abbreviation than the syllable 嗯/呣.
                if code is not None and not (length == 1 and piece in _INITIALS):
                    cost = cost_here + 1
                elif piece in _FUZZY_INITIAL or (length == 1 and piece in _INITIALS):
                    code, cost = self.initial_code[_FUZZY_INITIAL.get(piece, piece)], cost_here + 3
                elif length == 1:
                    code, cost = piece, cost_here + 5
                else:
                    continue
                if cost < best[i + length][0]:
                    best[i + length] = (cost, i, code)
        out: list[tuple[str, int, int]] = []
        end = n
        while end > 0:
            _, start, code = best[end]
            out.append((code, start, end))
            end = start
        out.reverse()
        return tuple(out)

    # -- lexicon side ------------------------------------------------------------------------------

    def variants(self, normalized_term: str, *, with_initials: bool = True) -> set[str]:
        """Phonetic keys a term may appear as; empty when the term has no Chinese character to sound out."""
        options: list[list[tuple[str, bool]]] = []  # (code, is_full_syllable)
        # Default reading of each character plus its reading in this word (长效 → chang), but not every
        # rare heteronym: 除 also reads zhu, and 除皱 would then match 煮粥.
        from pypinyin import Style, lazy_pinyin  # ≈0.4 s to import: compiling a lexicon needs it, scanning not

        # pypinyin accepts a list-returning errors hook at run time; its annotations only say str.
        contextual = lazy_pinyin(normalized_term, style=Style.NORMAL, errors=_unknown_per_char)  # type: ignore[arg-type]
        if len(contextual) != len(normalized_term):
            contextual = ["?"] * len(normalized_term)
        pos = 0
        has_sound = False
        all_readings = _readings()
        for run in itertools.chain(_LATIN_RUN.finditer(normalized_term), [None]):
            stop = run.start() if run is not None else len(normalized_term)
            for position in range(pos, stop):
                ch = normalized_term[position]
                readings = all_readings.get(ch)
                if readings is not None:
                    wanted = {readings[0], contextual[position]}
                    readings = [r for r in readings if r in wanted]
                if readings is None:
                    options.append([(ch, False)])
                    continue
                has_sound = True
                alts = [(self.syllable_code[r], True) for r in readings]
                if with_initials:
                    initials = sorted({i for i in map(initial_of, readings) if i is not None})
                    alts += [(self.initial_code[i], False) for i in initials]
                options.append(alts)
            if run is not None:
                full_codes = self._full_codes
                options.extend([[(code, code in full_codes)] for code, _, _ in self.segment(run.group())])
                pos = run.end()
        if not has_sound:
            return set()
        total = 1
        for alts in options:
            total *= len(alts)
        if total > _MAX_VARIANTS:
            # Long terms with many heteronyms: keep the default reading of each character only.
            options = [[alts[0]] for alts in options]
        keys = set()
        for combo in itertools.product(*options):
            if any(full for _, full in combo):
                keys.add("".join(code for code, _ in combo))
        return keys


DIGITS = frozenset("0123456789")
_HEX = frozenset("0123456789abcdef")
_IDENTIFIER_MIN = 6


@functools.cache
def plain_segments(length: int) -> tuple[tuple[str, int, int], ...]:
    """The segmentation of a run kept as plain letters: one code per letter (the code itself is not used)."""
    return tuple(("", i, i + 1) for i in range(length))


# Units written as Latin letters, when they are a whole Latin run (5元/GB, 每小时3kWh); not tb, which is 淘宝 too.
_UNITS = frozenset(
    {"gb", "mb", "kb", "kg", "mg", "ml", "cm", "mm", "km", "mah", "kwh", "kw", "hz", "ghz", "mhz", "mbps", "gbps"}
)


def placeholder_or_unit(normalized: str, start: int, end: int) -> bool:
    """Whether the Latin run ``normalized[start:end]`` is a run of x alone (XX驾校, XXX小区: the writer's placeholder
    for a name left out, as 某 is — read as pinyin, x + 驾 spelled 雪茄) or a unit's symbol (5元/GB计费: b + 国 read
    保过); neither spells anything."""
    return (end - start >= 2 and normalized.count("x", start, end) == end - start) or normalized[start:end] in _UNITS


def identifier_span(normalized: str, start: int, end: int) -> tuple[int, int] | None:
    """The alphanumeric token around the Latin run ``normalized[start:end]`` when it reads as a machine
    identifier rather than words: a hex tag or hash (3c64334c, a9f0e2) or a code of digits with a letter or two
    (sku20231105, 8848a). Read as pinyin, their digits and letters spell syllables and initials by chance — 4c
    would be si + c, 私彩 — while an evasion spells words with letters (zui4hao3, wei一 → wei1), which this leaves
    alone. A placeholder or a unit's symbol (:func:`placeholder_or_unit`) is kept whole as well."""
    if placeholder_or_unit(normalized, start, end):
        return start, end
    lo, hi = start, end
    while lo and (normalized[lo - 1] in DIGITS or "a" <= normalized[lo - 1] <= "z"):
        lo -= 1
    size = len(normalized)
    while hi < size and (normalized[hi] in DIGITS or "a" <= normalized[hi] <= "z"):
        hi += 1
    if hi - lo < _IDENTIFIER_MIN:
        return None
    token = normalized[lo:hi]
    digits = sum(ch in DIGITS for ch in token)
    letters = len(token) - digits
    if (digits >= 2 and _HEX.issuperset(token)) or (letters <= 2 and digits >= 4):
        return lo, hi
    return None


def _unknown_per_char(chars: str) -> list[str]:
    """pypinyin ``errors`` hook: one placeholder per non-Chinese character keeps positions aligned."""
    return ["?"] * len(chars)


@functools.cache
def _readings() -> dict[str, list[str]]:
    """Each character's toneless readings from pypinyin's single-character dictionary (default first), and each
    digit's numeral reading."""
    from pypinyin.pinyin_dict import pinyin_dict

    readings: dict[str, list[str]] = {}
    for cp, raw in pinyin_dict.items():
        seen: list[str] = []
        for reading in raw.split(","):
            plain = toneless(reading)
            if plain and plain.isascii() and plain.isalpha() and plain not in seen:
                seen.append(plain)
        if seen:
            readings[chr(cp)] = seen
    for digit, reading in enumerate(_DIGIT_READINGS):
        readings[str(digit)] = [reading]
    return readings


SyllableTables = tuple[dict[str, str], dict[str, str], np.ndarray]


def _build_syllable_tables() -> SyllableTables:
    """(syllable → code, initial → code, code point → default reading code as a uint32 array)."""
    readings = _readings()
    syllables = sorted({r for rs in readings.values() for r in rs} | set(_DIGIT_READINGS))
    syllable_code = {s: chr(SYLLABLE_BASE + i) for i, s in enumerate(syllables)}
    initials = sorted({_FUZZY_INITIAL.get(i, i) for i in _INITIALS})
    initial_code = {s: chr(INITIAL_BASE + i) for i, s in enumerate(initials)}
    array = np.arange(UNICODE_SIZE + 1, dtype=np.uint32)
    for ch, rs in readings.items():
        array[ord(ch)] = ord(syllable_code[rs[0]])
    for letter in range(ord("a"), ord("z") + 1):
        array[letter] = SLOW_PATH
    array[UNICODE_SIZE] = EXPANDED
    array.setflags(write=False)
    return syllable_code, initial_code, array


SYLLABLE_TABLES: ProcessTable[SyllableTables] = ProcessTable("syllables", _build_syllable_tables)


@functools.cache
def _translate_table() -> dict[int, str]:
    """The code points the array gives a reading code as a ``str.translate`` table (every other entry maps a code
    point to itself, or a Latin letter or the expansion mark to the slow path); derived from the array, so a
    process that installed the tables never loads pypinyin for it."""
    array = SYLLABLE_TABLES()[2]
    read = np.flatnonzero((array < SLOW_PATH) & (array != np.arange(array.size, dtype=np.uint32)))
    return dict(zip(read.tolist(), map(chr, array[read].tolist()), strict=True))
