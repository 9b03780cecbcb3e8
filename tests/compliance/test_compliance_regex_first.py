"""regex_first.FirstCharPattern must find exactly what re finds, on the library's expressions and on edge cases."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from wanghong.compliance.engine import Scanner
from wanghong.compliance.engine.regex_first import FirstCharPattern, first_class

DATA = Path(__file__).resolve().parent / "data" / "evasion_eval.jsonl"


def _same(source: str, texts: list[str]) -> None:
    plain, fast = re.compile(source), FirstCharPattern(source)
    for text in texts:
        expected, found = plain.search(text), fast.search(text)
        assert (expected and (expected.span(), expected.groups())) == (found and (found.span(), found.groups()))
        assert [(m.span(), m.groups()) for m in plain.finditer(text)] == [
            (m.span(), m.groups()) for m in fast.finditer(text)
        ], (source, text)


@pytest.mark.parametrize(
    ("source", "texts"),
    [
        (r"(?<![超城])市长", ["超市长城市长", "市长", "副市长说", "城市长"]),
        (r"(?<!\d)[12]折", ["12折 2折", "1折", "折1折", "212折"]),
        (r"^(a|b)c", ["bcac", "ac", "xac"]),
        (r"\b(ab|c)d", ["abd cd xcd", "cd"]),
        (r"x(a|b)?c", ["xxcxac", "xbc", "xc"]),
        (r"(?:a|)b+", ["aabbb", "b", "cab"]),
        (r"(?=\d)[0-9]{2}", ["a12b3", "123456"]),
    ],
)
def test_edge_cases_match_re(source: str, texts: list[str]) -> None:
    assert first_class(source) is not None
    _same(source, texts)


@pytest.mark.parametrize("source", [r"a*", r"(?i)abc", r".b", r"\w+", r"(a|)\1b", r"(?:x|)", r"[^a]b"])
def test_unbounded_expressions_are_used_as_they_are(source: str) -> None:
    assert first_class(source) is None
    _same(source, ["", "abc", "ABC xb", "aa", "bb"])


def test_library_expressions_match_re(scanner: Scanner) -> None:
    texts = [json.loads(line)["text"] for line in DATA.read_text(encoding="utf-8").splitlines()]
    folded = [scanner.normalizer.fold(t) for t in texts]
    rng = random.Random(4)
    folded += ["".join(rng.sample(t, len(t))) for t in folded[:400]]  # the same characters, other starts
    sources = [e.pattern for e in scanner.library.entries if e.pattern is not None]
    assert sum(first_class(s) is not None for s in sources) > len(sources) // 2  # the fast path is exercised
    for source in sources:
        _same(source, folded)
