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

Nor is the skip used where ``re`` skips by itself or where it cannot pay (on the benchmark's lines this choice takes
all the expressions' searches from 0.51× the plain ones' time to 0.36×): ``re`` compiles a literal prefix or a
first-character set of its own for an expression that begins with a literal, a class or an alternation of literals
(最为?…, (保证|确保|包)…) and then searches in C, 2–3× faster than the Python loop over candidates here; and a class
that spans a whole script ([㐀-鿿]{1,4}界…) finds a candidate at nearly every character, where the loop costs 4× the
plain search.
"""

from __future__ import annotations

import importlib
import itertools
import re
from collections.abc import Iterator
from typing import Any

try:  # the parser and compiler ``re`` uses (``sre_parse`` before Python 3.11); their absence only costs speed
    _sre_parser: Any = importlib.import_module("re._parser")
    _sre_constants: Any = importlib.import_module("re._constants")
    _sre_compiler: Any = importlib.import_module("re._compiler")
except ImportError:  # pragma: no cover - another Python layout
    _sre_parser = _sre_constants = _sre_compiler = None

# Flags under which a literal matches only itself (no case folding).
_PLAIN_FLAGS = re.UNICODE | re.MULTILINE | re.DOTALL | re.VERBOSE
# A first-character class with more members than this finds a candidate almost everywhere (see the docstring).
_WIDE_CLASS = 256


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


def skip_pays(source: str, first: re.Pattern[str]) -> bool:
    """Whether searching candidates of the class ``first`` beats ``re``'s own search of ``source``: not when ``re``
    compiles a skip of its own (a literal prefix or a first-character set, what its compiler derives for the search's
    INFO block), nor when the class is wider than ``_WIDE_CLASS`` characters (see the module docstring)."""
    try:
        parsed = _sre_parser.parse(source)
        flags = parsed.state.flags
        prefix, _skip, _whole = _sre_compiler._get_literal_prefix(parsed, flags)
        if prefix or _sre_compiler._get_charset_prefix(parsed, flags) is not None:
            return False
        ((_op, members),) = _sre_parser.parse(first.pattern).data  # one IN of LITERALs and RANGEs
        width = sum(hi - lo + 1 if op is _sre_constants.RANGE else 1 for op, (lo, hi) in _members(members))
    except (re.error, AttributeError, TypeError, ValueError):  # another ``re`` layout: keep the skip, still exact
        return True
    return width <= _WIDE_CLASS


def _members(members: Any) -> Iterator[tuple[Any, tuple[int, int]]]:
    for op, av in members:
        yield op, (av if op is _sre_constants.RANGE else (av, av))


class FirstCharPattern:
    """``re.compile(source)`` whose ``search`` and ``finditer`` start at the first character a match can begin
    with (same results; see the module docstring)."""

    __slots__ = ("_first", "_pattern", "pattern")

    def __init__(self, source: str) -> None:
        self._pattern = re.compile(source)
        first = first_class(source)
        self._first = first if first is not None and skip_pays(source, first) else None
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

    def finditer_from(self, text: str, found: re.Match[str]) -> Iterator[re.Match[str]]:
        """``finditer(text)`` when ``search(text)`` gave ``found`` already (its first match, which the scanners' trigger
        test has in hand): the search goes on from its end, as finditer() goes on after a match that is not empty."""
        start, end = found.span()
        if start == end:  # after an empty match finditer() must move on a character: rare, so it starts over
            return self.finditer(text)
        first = self._first
        rest = self._pattern.finditer(text, end) if first is None else self._iterate(text, first, end)
        return itertools.chain((found,), rest)

    def _iterate(self, text: str, first: re.Pattern[str], position: int = 0) -> Iterator[re.Match[str]]:
        # finditer() goes on from the end of each match; no match is empty here (first_class bounds only
        # expressions that cannot match the empty string), so that is all it does.
        candidate, match = first.search, self._pattern.match
        while (found := candidate(text, position)) is not None:
            start = found.start()
            result = match(text, start)
            if result is None:
                position = start + 1
            else:
                yield result
                position = result.end()
