"""Governance engines (数字治理 benchmark): USCC checks, Chinese numerals, listing-vs-speech consistency.

Run from the repository root: ``.venv/bin/python -m bench.governance [--repeat N]``. Each figure is a ratio
against a baseline measured in the same run, with the load average (the machine may be shared):

* ``check_uscc`` (full structure, both check characters, bilingual reason) against a bare mod-31 checksum;
* ``chinese_number`` against ``cn2an.cn2an(…, "smart")`` on the same numerals — agreement and speed (skipped
  when cn2an is not installed; it is no dependency of the project);
* the place gazetteer's Aho–Corasick scan against one regular expression over the same names;
* ``check_speech`` on the labelled cases: speeches per second, and precision/recall on each split.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from wanghong.governance.engine.consistency import Listing, check_speech, mismatches
from wanghong.governance.engine.numerals import chinese_number
from wanghong.governance.engine.regions import gazetteer
from wanghong.governance.engine.uscc import ALPHABET, AUTHORITIES, check_character, check_uscc, org_check_character

CASES = Path(__file__).resolve().parents[1] / "tests" / "governance" / "data" / "consistency_cases.jsonl"
NUMERALS = [
    "五百", "一千五", "两百五十", "一百零八", "三十五", "十二", "一万二千", "一点五", "五十五点五", "三千",
    "二十", "九十九", "一百九十九", "两千", "四百", "七十五", "一千零一", "六十", "二百五十", "八百八十八",
]  # fmt: skip


def _rate(fn: Callable[[], object], items: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return items / best


def _codes(n: int) -> list[str]:
    rng = random.Random(32100)
    codes = []
    for i in range(n):
        authority = rng.choice(sorted(AUTHORITIES))
        category = rng.choice(sorted(AUTHORITIES[authority].categories))
        body = "".join(rng.choice(ALPHABET) for _ in range(8))
        first17 = authority + category + f"{rng.randrange(110000, 660000)}" + body + org_check_character(body)
        code = first17 + check_character(first17)
        if i % 3 == 0:  # a third corrupted in one place
            position = rng.randrange(18)
            code = code[:position] + rng.choice(ALPHABET.replace(code[position], "")) + code[position + 1 :]
        codes.append(code)
    return codes


_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def _bare_checksum(code: str) -> bool:
    """The baseline: length, alphabet and position 18 only, no reason — what most validators do."""
    if len(code) != 18 or any(ch not in _VALUES for ch in code):
        return False
    return ALPHABET[(31 - sum(_VALUES[c] * w for c, w in zip(code, _WEIGHTS, strict=False)) % 31) % 31] == code[17]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    console = Console()
    table = Table(title="governance engines", show_lines=False)
    for column in ("what", "per second", "baseline per second", "ratio", "note"):
        table.add_column(column)

    codes = _codes(20_000)
    ours = _rate(lambda: [check_uscc(c) for c in codes], len(codes), args.repeat)
    bare = _rate(lambda: [_bare_checksum(c) for c in codes], len(codes), args.repeat)
    agree = sum(check_uscc(c).valid == _bare_checksum(c) for c in codes) / len(codes)
    table.add_row("check_uscc", f"{ours:,.0f}", f"{bare:,.0f}", f"{ours / bare:.2f}", f"verdicts agree {agree:.1%}")

    numerals = NUMERALS * 50
    ours = _rate(lambda: [chinese_number(n) for n in numerals], len(numerals), args.repeat)
    try:
        import cn2an
    except ImportError:
        table.add_row("chinese_number", f"{ours:,.0f}", "—", "—", "cn2an not installed: no baseline")
    else:
        theirs = _rate(lambda: [cn2an.cn2an(n, "smart") for n in numerals], len(numerals), args.repeat)
        same = sum(chinese_number(n) == float(cn2an.cn2an(n, "smart")) for n in NUMERALS) / len(NUMERALS)
        table.add_row(
            "chinese_number", f"{ours:,.0f}", f"{theirs:,.0f}", f"{ours / theirs:.1f}", f"cn2an agrees {same:.0%}"
        )

    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines()]
    speeches = [c["speech"] for c in cases] * 5
    places = gazetteer()
    names = sorted(places.names, key=len, reverse=True)
    alternation = re.compile("|".join(map(re.escape, names)))
    ours = _rate(lambda: [places.find(s) for s in speeches], len(speeches), args.repeat)
    theirs = _rate(lambda: [alternation.findall(s) for s in speeches], len(speeches), args.repeat)
    table.add_row("gazetteer.find", f"{ours:,.0f}", f"{theirs:,.0f}", f"{ours / theirs:.1f}", f"{len(names)} names")

    listings = [Listing.from_attributes(c["product"]) for c in cases]
    ours = _rate(lambda: [check_speech(c["speech"], li) for c, li in zip(cases, listings, strict=True)], len(cases),
                 args.repeat)  # fmt: skip
    table.add_row("check_speech", f"{ours:,.0f}", "—", "—", "speeches (1–3 clauses) per second")
    console.print(table)

    quality = Table(title="listing-vs-speech consistency: mismatch detection")
    for column in ("split", "cases", "precision", "recall"):
        quality.add_column(column)
    for split in ("dev", "heldout", "challenge"):
        rows = [(c, li) for c, li in zip(cases, listings, strict=True) if c["split"] == split]
        tp = fp = fn = 0
        for case, listing in rows:
            predicted, gold = bool(mismatches(case["speech"], listing)), case["label"] == "mismatch"
            tp, fp, fn = tp + (predicted and gold), fp + (predicted and not gold), fn + (gold and not predicted)
        quality.add_row(split, str(len(rows)), f"{tp / max(tp + fp, 1):.3f}", f"{tp / max(tp + fn, 1):.3f}")
    console.print(quality)
    console.print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
