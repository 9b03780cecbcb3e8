"""A batch hands `Haystacks._spell_latin_runs` the Latin runs it found in its code array (`latin_run_spans`)
instead of letting it search them with ``re``: both must spell the same phonetic channel and runs."""

from __future__ import annotations

import random

import numpy as np

from wanghong.compliance.engine import Scanner
from wanghong.compliance.engine.normalize import BATCH_SEPARATOR
from wanghong.compliance.engine.scanner_haystack import LatinRun, latin_run_spans

_PIECES = ["zui", "hao", "zh", "vx", "加", "微信", "最", "1", "23", "ab", "zzz", "uuui", "q", "号", "，", "好", " "]


def test_runs_from_the_code_array_spell_as_the_regex_runs(scanner: Scanner) -> None:
    rng = random.Random(5)
    texts = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 30))) for _ in range(400)]
    normalized = BATCH_SEPARATOR.join(scanner.normalizer.fold(t) for t in texts)
    aligned = "".join(
        chr(c) for c in scanner._aligned_array.take(np.array([ord(c) for c in normalized], dtype=np.int64))
    )
    spans = list(latin_run_spans(np.array([ord(c) for c in normalized], dtype=np.uint32)))
    assert len(spans) > 50  # the texts have Latin runs, at the ends of texts too
    by_regex: list[LatinRun] = []
    by_mask: list[LatinRun] = []
    expected = scanner._spell_latin_runs(normalized, aligned, by_regex)
    assert scanner._spell_latin_runs(normalized, aligned, by_mask, spans) == expected
    assert by_mask == by_regex
    assert any(start == 0 or normalized[start - 1] == BATCH_SEPARATOR for start, _, _ in by_regex)
