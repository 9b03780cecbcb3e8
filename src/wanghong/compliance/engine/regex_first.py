"""Library expressions that skip to where a match can start.

The library's expressions mostly begin with a long alternation of words ((转氨酶|视力|近视|痛经|…)…), for which
Python's ``re`` has no quick scan: it tries every alternative at every position, ≈14 µs per 100-character line for
the longest, the largest cost of resolving sales talk after the context rules. Every match of such an expression
begins with one of a known set of characters (the first characters of the alternatives), which a one-class
expression finds at C speed; :class:`FirstCharPattern` tries the expression only at those characters, or not at
all when none occurs (on the benchmark's lines all the expressions' searches together take ≈0.47× the time).

Exact by construction: the set is computed from the parsed expression and contains every character any match can
begin with (zero-width assertions at the start are skipped, which can only widen it), and ``match(text, pos)`` at a
position finds what ``search(text)`` finds when it gets there — ``re`` lets look-behinds and ``\\b`` see the
characters before ``pos``, and ``^`` matches at the real start only. Expressions whose first character cannot be
bounded this way (one that can match the empty string, a case-insensitive one, a leading ``.`` or ``\\w``, a
back-reference…) are used as they are.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

try:  # the parser ``re`` compiles with (``sre_parse`` before Python 3.11); its absence only costs speed
    _sre_parser: Any = importlib.import_module("re._parser")
    _sre_constants: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - another Python layout
    _sre_parser = _sre_constants = None

# Flags under which a literal matches only itself (no case folding).
_PLAIN_FLAGS = re.UNICODE | re.MULTILINE | re.DOTALL | re.VERBOSE


class _Unbounded(Exception):
    """The first character of a match cannot be bounded to a character class."""


def _first(items: Any, out: list[str]) -> bool:
    """Add to ``out`` the class members (escaped literals and ranges) a match of the sequence ``items`` can begin
    with; True when the sequence can also match the empty string (then what follows it counts too)."""
    c = _sre_constants
    for op, av in items:
        if op is c.LITERAL:
            out.append(re.escape(chr(av)))
            return False
        if op is c.IN:
            for member_op, member in av:
                if member_op is c.LITERAL:
                    out.append(re.escape(chr(member)))
                elif member_op is c.RANGE:
                    out.append(f"{re.escape(chr(member[0]))}-{re.escape(chr(member[1]))}")
                else:  # NEGATE, CATEGORY (\d, \w…): not a plain set of characters
                    raise _Unbounded
            return False
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, pattern = av
            if add_flags or del_flags:
                raise _Unbounded
            if not _first(pattern, out):
                return False
        elif op is c.BRANCH:
            nullable = False
            for alternative in av[1]:
                nullable |= _first(alternative, out)
            if not nullable:
                return False
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            minimum, _maximum, pattern = av
            if not _first(pattern, out) and minimum > 0:
                return False
        elif op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue  # zero-width: what follows begins the match
        elif op is c.ATOMIC_GROUP:
            if not _first(av, out):
                return False
        else:  # ANY, NOT_LITERAL, GROUPREF, conditionals…
            raise _Unbounded
    return True


def first_class(source: str) -> re.Pattern[str] | None:
    """A one-class expression matching every character a match of ``source`` can begin with, or None when
    that cannot be bounded (see the module docstring)."""
    if _sre_parser is None:
        return None
    try:
        parsed = _sre_parser.parse(source)
        if parsed.state.flags & ~_PLAIN_FLAGS:
            return None
        members: list[str] = []
        if _first(parsed, members) or not members:
            return None
        return re.compile("[" + "".join(dict.fromkeys(members)) + "]")
    except (_Unbounded, re.error, AttributeError, TypeError, ValueError):
        return None


class FirstCharPattern:
    """``re.compile(source)`` whose ``search`` and ``finditer`` start at the first character a match can begin
    with (same results; see the module docstring)."""

    __slots__ = ("_first", "_pattern", "pattern")

    def __init__(self, source: str) -> None:
        self._pattern = re.compile(source)
        self._first = first_class(source)
        self.pattern = source

    def search(self, text: str) -> re.Match[str] | None:
        first = self._first
        if first is None:
            return self._pattern.search(text)
        # The match at the leftmost possible start that has one is search()'s: re tries starts left to right,
        # and at each start the same alternatives in the same order as match() does.
        candidate, match = first.search, self._pattern.match
        position = 0
        while (found := candidate(text, position)) is not None:
            start = found.start()
            result = match(text, start)
            if result is not None:
                return result
            position = start + 1
        return None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        first = self._first
        if first is None:
            return self._pattern.finditer(text)
        return self._iterate(text, first)

    def _iterate(self, text: str, first: re.Pattern[str]) -> Iterator[re.Match[str]]:
        # finditer() goes on from the end of each match; no match is empty here (first_class bounds only
        # expressions that cannot match the empty string), so that is all it does.
        candidate, match = first.search, self._pattern.match
        position = 0
        while (found := candidate(text, position)) is not None:
            start = found.start()
            result = match(text, start)
            if result is None:
                position = start + 1
            else:
                yield result
                position = result.end()
