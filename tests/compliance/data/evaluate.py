"""Quality of the compliance reviewer on a labelled JSON Lines set, as the outside evaluation measures it.

Run from the repository root::

    .venv/bin/python tests/compliance/data/evaluate.py tests/compliance/data/outside_eval.jsonl [--show] [--no-model]

Each row has ``text``, ``label`` (``violation`` / ``clean``) and ``gold`` (``block`` / ``review`` for a
violation: what the statute calls for, see README.md; ``pass`` for clean text). Reported: recall (a violation
is caught when its verdict is not ``pass``), false-positive rate (clean text not passed), block-only recall
(violations blocked, over those whose gold is ``block`` and over all), the gold × verdict table that measures
block-vs-review calibration, and the figures per ``kind``. ``--show`` lists every miss and false positive.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from wanghong.compliance.engine import ComplianceReviewer


@dataclass(frozen=True, slots=True)
class Report:
    recall: float
    false_positive_rate: float
    block_recall: float  # blocked, over violations whose gold verdict is block
    block_share: float  # blocked, over all violations
    over_blocked: float  # gold-review violations that were blocked, over gold-review violations
    violations: int
    clean: int
    table: dict[tuple[str, str], int]
    by_kind: dict[str, tuple[int, int]]  # kind → (rows judged right, rows)
    wrong: list[tuple[dict[str, str], str, list[str]]]


def load(path: Path, split: str | None = None) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split is None or r.get("split", split) == split]


# Rows without a `gold` verdict (evasion_eval.jsonl: generated, labelled violation/clean only).
UNGRADED = "ungraded"


def evaluate(reviewer: ComplianceReviewer, rows: list[dict[str, str]]) -> Report:
    verdicts = reviewer.review_many([r["text"] for r in rows])
    table: Counter[tuple[str, str]] = Counter()
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong = []
    for row, verdict in zip(rows, verdicts, strict=True):
        got = verdict.verdict.value
        table[row.get("gold", UNGRADED), got] += 1
        right = (got != "pass") == (row["label"] == "violation")
        by_kind[row.get("kind", "")][0] += right
        by_kind[row.get("kind", "")][1] += 1
        if not right:
            wrong.append((row, got, [f"{h.term}@{h.start}" for h in verdict.hits]))
    violations = [v for r, v in zip(rows, verdicts, strict=True) if r["label"] == "violation"]
    gold_block = [v for r, v in zip(rows, verdicts, strict=True) if r.get("gold") == "block"]
    gold_review = [v for r, v in zip(rows, verdicts, strict=True) if r.get("gold") == "review"]
    clean = [v for r, v in zip(rows, verdicts, strict=True) if r["label"] == "clean"]

    def share(items: list, kinds: tuple[str, ...]) -> float:
        return sum(v.verdict.value in kinds for v in items) / max(len(items), 1)

    return Report(
        recall=share(violations, ("review", "block")),
        false_positive_rate=share(clean, ("review", "block")),
        block_recall=share(gold_block, ("block",)),
        block_share=share(violations, ("block",)),
        over_blocked=share(gold_review, ("block",)),
        violations=len(violations),
        clean=len(clean),
        table=dict(table),
        by_kind={k: (v[0], v[1]) for k, v in sorted(by_kind.items())},
        wrong=wrong,
    )


def print_report(name: str, report: Report, *, show: bool) -> None:
    print(f"{name}: {report.violations} violations, {report.clean} clean")
    print(
        f"  recall {report.recall:.3f}  FPR {report.false_positive_rate:.3f}  "
        f"block-only recall {report.block_recall:.3f} (gold block), {report.block_share:.3f} (all violations)  "
        f"gold-review blocked {report.over_blocked:.3f}"
    )
    print("  gold \\ verdict   pass  review  block")
    for gold in ("block", "review", "pass", UNGRADED):
        cells = [report.table.get((gold, got), 0) for got in ("pass", "review", "block")]
        if any(cells):
            print(f"  {gold:<15} {cells[0]:5d} {cells[1]:7d} {cells[2]:6d}")
    print("  right by kind: " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in report.by_kind.items()))
    if show:
        for row, got, hits in report.wrong:
            print(f"    [{row['label']}/{row.get('kind', '')}] {got:<6} {row['text']}  {hits}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--split", default=None, help="only rows of this split (rows without one always count)")
    parser.add_argument("--show", action="store_true", help="list misses and false positives")
    parser.add_argument("--no-model", action="store_true", help="lexicon only")
    args = parser.parse_args()
    reviewer = ComplianceReviewer(use_model=not args.no_model)
    for path in args.paths:
        print_report(str(path), evaluate(reviewer, load(path, args.split)), show=args.show)


if __name__ == "__main__":
    main()
