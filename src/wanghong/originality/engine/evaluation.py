"""Pairwise precision / recall / F1 of text deduplication on the labelled title set.

Ground truth: titles of one ``group`` (an original and its edited copies) are copies of each
other; everything else is not — in particular the hard negatives, which share a template or a
product with an original without copying it. Prediction: titles in one cluster of the dedup
output. Overall figures count every pair of titles (the standard pairwise clustering measure);
per edit type, a pair involving a copy made with that edit is attributed to that edit type, and
for each kind of hard negative we report how often it was wrongly merged with its anchor.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from itertools import combinations

from wanghong.originality.engine.attribution import AttributionGraph
from wanghong.originality.engine.scores import Rates
from wanghong.originality.engine.text_index import DEFAULT_THRESHOLD, TextItem, TextNearDupIndex

EVAL_RESOURCE = "titles_eval.jsonl"


@dataclass(frozen=True, slots=True)
class EvalReport:
    threshold: float
    overall: Rates
    by_edit: dict[str, Rates]
    negative_merge_rate: dict[str, tuple[int, int]]  # kind → (merged with anchor, total)


def load_eval_rows(limit: int | None = None) -> list[dict[str, str]]:
    """The shipped labelled set; ``limit`` keeps the first groups whole (originals with their copies
    and negatives), for fast tests."""
    text = resources.files("wanghong.originality.engine.data").joinpath(EVAL_RESOURCE).read_text("utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    if limit is None:
        return rows
    keep_groups = sorted({r["group"] for r in rows if r["role"] == "original"})[:limit]
    keep = set(keep_groups)
    return [r for r in rows if r["group"] in keep or r.get("anchor") in keep]


def predict_clusters(
    rows: Sequence[dict[str, str]], threshold: float, batch_size: int = 1000, synonyms: bool = True
) -> dict[str, str]:
    """Dedup the rows in arrival-order batches (as content would arrive); id → predicted original."""
    index = TextNearDupIndex(threshold=threshold, synonyms=synonyms)
    graph = AttributionGraph()
    for start in range(0, len(rows), batch_size):
        batch = [
            TextItem(r["id"], r["text"], datetime.fromisoformat(r["published_at"]))
            for r in rows[start : start + batch_size]
        ]
        pairs = index.add_batch(batch)
        for item in batch:
            graph.add(item.id, item.published_at)
        graph.link_all(pairs)
    return {r["id"]: graph.original_of(r["id"]) for r in rows}


def evaluate(rows: Sequence[dict[str, str]], threshold: float = DEFAULT_THRESHOLD, synonyms: bool = True) -> EvalReport:
    """Score dedup at ``threshold``; ``synonyms=False`` switches synonym folding off for comparison."""
    predicted = predict_clusters(rows, threshold, synonyms=synonyms)
    truth = {r["id"]: r["group"] for r in rows}
    edit_of = {r["id"]: r["edit"] for r in rows if r["role"] == "copy"}

    def pairs_within(label: dict[str, str]) -> set[tuple[str, str]]:
        members: dict[str, list[str]] = {}
        for content_id, cluster in label.items():
            members.setdefault(cluster, []).append(content_id)
        return {tuple(sorted(p)) for group in members.values() for p in combinations(group, 2)}  # type: ignore[misc]

    true_pairs = pairs_within(truth)
    predicted_pairs = pairs_within(predicted)
    overall = Rates(
        len(true_pairs & predicted_pairs), len(predicted_pairs - true_pairs), len(true_pairs - predicted_pairs)
    )
    # Per edit type: the labelled (original, copy) pairs, plus every wrongly predicted pair that
    # involves a copy made with that edit.
    counts: dict[str, Counter[str]] = {}
    for r in rows:
        if r["role"] == "copy":
            hit = predicted[r["id"]] == predicted[r["group"]]
            counts.setdefault(r["edit"], Counter())["tp" if hit else "fn"] += 1
    for pair in predicted_pairs - true_pairs:
        for edit in _edits_of(pair, edit_of):
            counts.setdefault(edit, Counter())["fp"] += 1
    by_edit = {edit: Rates(c["tp"], c["fp"], c["fn"]) for edit, c in sorted(counts.items())}
    negatives: dict[str, list[int]] = {}
    for r in rows:
        if r["role"] == "negative" and r.get("anchor") in predicted:
            tally = negatives.setdefault(r["edit"], [0, 0])
            tally[0] += predicted[r["id"]] == predicted[r["anchor"]]
            tally[1] += 1
    return EvalReport(
        threshold, overall, by_edit, {kind: (merged, total) for kind, (merged, total) in sorted(negatives.items())}
    )


def _edits_of(pair: Iterable[str], edit_of: dict[str, str]) -> set[str]:
    return {edit_of[content_id] for content_id in pair if content_id in edit_of}


def format_report(report: EvalReport) -> str:
    lines = [
        f"阈值 threshold = {report.threshold:.2f}",
        f"{'编辑类型 edit':<28}{'pairs':>7}{'P':>8}{'R':>8}{'F1':>8}",
    ]
    for edit, scores in [("overall 全部", report.overall), *report.by_edit.items()]:
        n = scores.true_positives + scores.false_negatives
        lines.append(f"{edit:<28}{n:>7}{scores.precision:>8.3f}{scores.recall:>8.3f}{scores.f1:>8.3f}")
    for kind, (merged, total) in report.negative_merge_rate.items():
        lines.append(f"hard negative {kind}: merged with anchor {merged}/{total}")
    return "\n".join(lines)
