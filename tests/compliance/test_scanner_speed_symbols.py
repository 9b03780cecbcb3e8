"""The main automaton searches byte symbols (`scanner_tables.Symbols`) instead of the string haystack
``normalised + NUL + phonetic``: it must find the same matches, in the same order, as a string automaton of the same
keys over that haystack — for two- and four-byte symbols, across the join of the two channels (which the symbol
haystack of `Scanner.scan` has no separator at) and in a batch."""

from __future__ import annotations

import random

import ahocorasick_rs
import numpy as np
import pytest

from wanghong.compliance.engine import Scanner
from wanghong.compliance.engine.scanner_tables import Symbols

_PIECES = [
    "最",
    "好",
    "最好",
    "第一",
    "一",
    "加",
    "微信",
    "治疗",
    "根治",
    "zui",
    "hao",
    "vx",
    "1",
    "23",
    "，",
    "！",
    " ",
    "最最",
]


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 25))) for _ in range(count)]


def _string_automaton(keys: tuple[str, ...]) -> ahocorasick_rs.AhoCorasick:
    return ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard)


def test_symbol_matches_are_the_string_haystack_matches(scanner: Scanner) -> None:
    keys = scanner._patterns[: scanner._main_count]
    reference = _string_automaton(keys)
    texts = _texts(300, 1)
    found = 0
    for text in texts:
        prepared = scanner._haystack(text)
        if prepared is None:
            continue
        haystack = prepared[0]
        expected = reference.find_matches_as_indexes(haystack, overlapping=True)
        assert scanner._symbol_matches(haystack) == expected
        found += len(expected)
    assert found > 300  # the texts do hit keys of both channels


def test_one_take_of_both_channels_matches_as_the_separated_haystack(scanner: Scanner) -> None:
    """scan()'s haystack has no NUL between the channels: `_char_matches` drops what crosses the join."""
    keys = scanner._patterns[: scanner._main_count]
    reference = _string_automaton(keys)
    symbols = scanner._symbols
    texts = [*_texts(300, 2), "好最", "最好好", "一最"]
    for text in texts:
        normalized = scanner.normalizer.fold(text)
        if not normalized or any("a" <= c <= "z" for c in normalized):
            continue  # empty, or the Latin path, which keeps the string haystack
        codes = np.array([ord(c) for c in normalized], dtype=np.uint32)
        joined = symbols.pair.take(codes, axis=1).reshape(-1)
        found = scanner._automaton.find_matches_as_indexes(joined, overlapping=True)
        join = len(normalized) << symbols.shift
        prepared = scanner._haystack(text)
        assert prepared is not None
        assert scanner._char_matches(found, join) == reference.find_matches_as_indexes(prepared[0], overlapping=True)


def test_a_match_across_the_join_is_dropped(scanner: Scanner) -> None:
    """Whether a key of the shipped library spans a character and a syllable code is the library's affair, so the
    join is tested on byte offsets directly: 3 characters, the phonetic channel from byte 3 << shift."""
    shift = scanner._symbols.shift
    join = 3 << shift
    found = [(7, 0, 2 << shift), (8, 2 << shift, 4 << shift), (9, 3 << shift, 5 << shift), (10, 1 << shift, join)]
    # Normalised-channel offsets stay, phonetic ones move past the NUL of the string haystack (at 3).
    assert scanner._char_matches(found, join) == [(7, 0, 2), (9, 4, 6), (10, 1, 3)]


@pytest.mark.parametrize("extra_alphabet", [0, 20_000])
def test_symbols_of_any_width_find_the_string_matches(scanner: Scanner, extra_alphabet: int) -> None:
    """Past 16,383 characters the symbols take four bytes; they still match only where a symbol starts."""
    keys = list(scanner._patterns[: scanner._main_count][:800])
    # Rare CJK characters as extra one-character keys, to widen the alphabet.
    keys += [chr(0x3400 + i) for i in range(extra_alphabet)]
    symbols = Symbols(keys, scanner._phon_array)
    assert symbols.width == (4 if extra_alphabet else 2)
    automaton = ahocorasick_rs.BytesAhoCorasick(symbols.encode(keys), matchkind=ahocorasick_rs.MatchKind.Standard)
    reference = _string_automaton(tuple(keys))
    rng = random.Random(3)
    for text in _texts(200, 4):
        # Mix in characters of the extra keys, and characters in no key at all.
        haystack = "".join(c + (chr(0x3400 + rng.randrange(40)) if rng.random() < 0.2 else "") for c in text)
        expected = reference.find_matches_as_indexes(haystack, overlapping=True)
        shift = symbols.shift
        got = [
            (i, s >> shift, e >> shift)
            for i, s, e in automaton.find_matches_as_indexes(symbols.of_text(haystack), overlapping=True)
        ]
        assert got == expected


def test_scan_many_is_scan_with_and_without_latin_letters(scanner: Scanner) -> None:
    """A batch without Latin letters takes the separator-less symbol haystack, one with them the string one."""
    plain = [t for t in _texts(400, 5) if not any("a" <= c <= "z" for c in t)]
    mixed = _texts(400, 6)
    for texts in (plain, mixed):
        assert scanner.scan_many(texts) == [scanner.scan(t) for t in texts]
    assert any(scanner.scan(t).hits for t in plain)
