"""Score `wanghong originality dedup` on a labelled titles file (issue #20).

    .venv/bin/python tests/originality/data/score_titles.py tests/originality/data/outside_titles.jsonl

Each line of FILE is {id, text, published_at, cluster}; `cluster` is the id of the line's original (its own id for
a singleton). The CLI is run as a subprocess, through its unchanged contract, on FILE itself: the labels travel to
it as extra fields, which it must ignore (`--check-ignored-fields` runs it a second time on a copy without them and
fails unless both outputs agree). Prints pairwise precision / recall / F1 over all same-cluster pairs, the share of
true clusters whose earliest post is named original of the predicted cluster holding it, and every miss and false
merge with its texts, so that a person can sort them into kinds.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from itertools import combinations
from pathlib import Path

Pair = tuple[str, str]


def _pairs(groups: list[list[str]]) -> set[Pair]:
    return {tuple(sorted(pair)) for group in groups for pair in combinations(group, 2)}  # type: ignore[misc]


def run_dedup(path: Path, threshold: float | None) -> list[dict[str, object]]:
    command = [sys.executable, "-m", "wanghong.cli", "originality", "dedup", str(path)]
    if threshold is not None:
        command += ["--threshold", str(threshold)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"dedup exited {done.returncode}:\n{done.stderr}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def _without_labels(path: Path, folder: str) -> Path:
    stripped = Path(folder) / path.name
    with path.open(encoding="utf-8") as source, stripped.open("w", encoding="utf-8") as target:
        for line in source:
            if line.strip():
                record = json.loads(line)
                target.write(
                    json.dumps({key: record[key] for key in ("id", "text", "published_at")}, ensure_ascii=False) + "\n"
                )
    return stripped


def _canonical(output: list[dict[str, object]]) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((str(c["original"]), tuple(sorted(map(str, c["copies"])))) for c in output)  # type: ignore[call-overload]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--threshold", type=float, default=None, help="passed to dedup; its default if absent")
    parser.add_argument(
        "--check-ignored-fields",
        action="store_true",
        help="also run on a copy without `cluster` and require the same clusters",
    )
    parser.add_argument("--quiet", action="store_true", help="figures only, no list of misses")
    args = parser.parse_args()

    records = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    text = {r["id"]: r["text"] for r in records}
    when = {r["id"]: r["published_at"] for r in records}
    truth: dict[str, list[str]] = defaultdict(list)
    for r in records:
        truth[r["cluster"]].append(r["id"])

    output = run_dedup(args.file, args.threshold)
    if args.check_ignored_fields:
        with tempfile.TemporaryDirectory() as folder:
            bare = run_dedup(_without_labels(args.file, folder), args.threshold)
        same = _canonical(bare) == _canonical(output)
        print(f"extra fields ignored: {'yes' if same else 'NO - output differs without `cluster`'}")
        if not same:
            return 1

    predicted = [[str(c["original"]), *map(str, c["copies"])] for c in output]  # type: ignore[call-overload]
    true_pairs = _pairs(list(truth.values()))
    found_pairs = _pairs(predicted)
    hits = true_pairs & found_pairs
    precision = len(hits) / len(found_pairs) if found_pairs else 1.0
    recall = len(hits) / len(true_pairs) if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    named_original = {member: group[0] for group in predicted for member in group}
    multi = {original: members for original, members in truth.items() if len(members) > 1}
    # the original must be the earliest post of its cluster, or the label itself is wrong
    for original, members in multi.items():
        assert min(members, key=lambda m: when[m]) == original, f"label: {original} is not its cluster's earliest"
    right = [o for o in multi if named_original.get(o) == o]
    wrong_original = [o for o in multi if o not in right]

    print(
        f"file: {args.file}  lines: {len(records)}  true clusters (≥2): {len(multi)}  "
        f"predicted clusters: {len(predicted)}"
    )
    print(f"pairs: true {len(true_pairs)}  predicted {len(found_pairs)}  correct {len(hits)}")
    print(f"pairwise precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}")
    print(f"earliest post named original: {len(right)}/{len(multi)} = {len(right) / max(len(multi), 1):.4f}")
    if args.quiet:
        return 0

    label = {member: original for original, members in truth.items() for member in members}
    print("\n== missed pairs (same video, not merged), by true cluster ==")
    missed: dict[str, list[Pair]] = defaultdict(list)
    for a, b in sorted(true_pairs - found_pairs):
        missed[label[a]].append((a, b))
    for original, pairs in missed.items():
        print(f"[{original}] original: {text[original]}")
        for member in sorted({m for pair in pairs for m in pair} - {original}):
            where = named_original.get(member, "-")
            print(f"    {member} (in cluster of {where}): {text[member]}")
    print("\n== false merges (different videos merged) ==")
    for a, b in sorted(found_pairs - true_pairs):
        print(f"    {a}: {text[a]}\n    {b}: {text[b]}\n")
    print("== clusters whose earliest post is not named original ==")
    for original in wrong_original:
        print(f"    {original} {when[original]} {text[original]} -> named: {named_original.get(original, 'not found')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
