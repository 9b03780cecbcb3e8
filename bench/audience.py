"""人群洞察 benchmark: lookalike quality against the centroid anchor, and segments + lookalike at 10M viewers.

Run from the repository root: ``.venv/bin/python -m bench.audience [--viewers N] [--movielens DIR] [--skip-scale]``.

* **Quality**: from 50 seeds of one segment, ROC-AUC of the scores over every non-seed viewer, averaged over seed
  draws, for our PU ensemble and for the centroid cosine on the same embeddings (the issue's anchor), on viewers
  with planted segments (`simulator.engine.audience`) and, with ``--movielens DIR`` (a MovieLens-100K folder with
  ``u.data`` and ``u.user``; for evaluation only, never committed), on real ratings with user demographics,
  next to the ceiling: the same embeddings with every user's label (5-fold), which no seed list of 50 can pass.
* **Scale**: N viewers (default 10M) with planted behaviour: build the matrix, assign rule segments, release one
  segment's reach over the items as a targeting release would (≤ 5 items per viewer, OpenDP noise), and score
  every viewer from 50 seeds; times, peak resident memory, and the centroid scoring of the same viewers as baseline.

Prints the load average: the machine may be shared, so times are wall-clock under that load.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy as np
import scipy.sparse as sp
from rich.console import Console
from rich.table import Table
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from wanghong.audience.engine import (
    BehaviourEmbedding,
    LookalikeConfig,
    ViewerProfile,
    assign_rule_segments,
    bm25_weight,
    bounded_reach,
    fit_lookalike,
    interaction_matrix,
    interest_shares,
    noisy_counts,
)
from wanghong.simulator.engine.audience import planted_audience
from wanghong.simulator.engine.tables import SEGMENTS

SEEDS = 50
T = TypeVar("T")
console = Console()


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # Linux: KiB


def load() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


@dataclass(frozen=True)
class Quality:
    ours: list[float]  # one AUC per seed draw
    anchor: list[float]  # the centroid cosine's, same draws
    supervised: float | None = None  # 5-fold AUC of a classifier given every viewer's label: what the data allows


def segment_aucs(counts: sp.csr_matrix, segments: dict[str, np.ndarray], draws: int) -> dict[str, Quality]:
    """Per segment: AUC of ours and of the centroid cosine for each of `draws` seed lists of 50."""
    weighted = bm25_weight(counts)
    embedding = BehaviourEmbedding.fit(weighted, dims=LookalikeConfig().dims)
    embedded = embedding.transform(weighted)
    results = {}
    for name, truth in segments.items():
        ours, anchor = [], []
        for draw in range(draws):
            seeds = np.random.default_rng(draw).choice(np.flatnonzero(truth), size=SEEDS, replace=False)
            others = np.setdiff1d(np.arange(counts.shape[0]), seeds)
            scores = fit_lookalike(weighted, seeds, embedding=embedding).score(weighted)
            centroid = embedded @ embedded[seeds].mean(axis=0)
            ours.append(roc_auc_score(truth[others], scores[others]))
            anchor.append(roc_auc_score(truth[others], centroid[others]))
        results[name] = Quality(ours, anchor)
    return results


def supervised_auc(counts: sp.csr_matrix, truth: np.ndarray) -> float:
    """The ceiling a seed list of 50 is measured against: logistic regression on the same embeddings with every
    viewer's label (5-fold, best of a few regularisations), so about 750 labelled viewers per fit."""
    weighted = bm25_weight(counts)
    embedded = BehaviourEmbedding.fit(weighted, dims=LookalikeConfig().dims).transform(weighted)  # as segment_aucs
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    best = 0.0
    for c in (0.1, 0.3, 1.0, 3.0):
        classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        scores = cross_val_predict(classifier, embedded, truth, cv=folds, method="decision_function")
        best = max(best, float(roc_auc_score(truth, scores)))
    return best


def print_quality(title: str, results: dict[str, Quality], sizes: dict[str, int]) -> None:
    table = Table(title=f"ROC-AUC, {title}")
    # AUC columns: ours (mean, sd and worst over the draws), the centroid's mean, and the all-labels ceiling.
    columns = ["segment", "members", "ours", "sd", "min", "centroid", "ratio"]
    with_ceiling = any(q.supervised is not None for q in results.values())
    for column in [*columns, "all labels"] if with_ceiling else columns:
        table.add_column(column, justify="left" if column == "segment" else "right")
    for name, q in results.items():
        ours, anchor = float(np.mean(q.ours)), float(np.mean(q.anchor))
        row = [name, str(sizes[name]), f"{ours:.3f}", f"{np.std(q.ours):.3f}", f"{min(q.ours):.3f}", f"{anchor:.3f}"]
        row.append(f"{ours / anchor:.2f}×")
        if with_ceiling:
            row.append("" if q.supervised is None else f"{q.supervised:.3f}")
        table.add_row(*row)
    console.print(table)


def planted_quality(draws: int) -> None:
    audience = planted_audience(20_000, seed=1)
    counts = interaction_matrix(
        audience.event_viewer, audience.event_item, audience.event_weight, audience.n_viewers, audience.n_items
    )
    segments = {f"{s.label} {s.value}": audience.segment == code for code, s in enumerate(SEGMENTS)}
    results = segment_aucs(counts, segments, draws)
    sizes = {name: int(truth.sum()) for name, truth in segments.items()}
    print_quality(f"planted segments, 20,000 viewers, {SEEDS} seeds × {draws} draws", results, sizes)


def movielens_quality(folder: Path, draws: int) -> None:
    ratings = np.loadtxt(folder / "u.data", dtype=np.int64)
    lines = [line.split("|") for line in (folder / "u.user").read_text(encoding="latin-1").splitlines()]
    users = [fields for fields in lines if fields and fields[0].isdigit()]
    age = np.array([int(fields[1]) for fields in users])
    gender = np.array([fields[2] for fields in users])
    occupation = np.array([fields[3] for fields in users])
    n_users, n_items = int(ratings[:, 0].max()), int(ratings[:, 1].max())
    counts = interaction_matrix(ratings[:, 0] - 1, ratings[:, 1] - 1, ratings[:, 2].astype(float), n_users, n_items)
    segments = {
        "student": occupation == "student",
        "female": gender == "F",
        "age < 25": age < 25,
        "age ≥ 45": age >= 45,
        "educator": occupation == "educator",
        "engineer/prog.": np.isin(occupation, ["engineer", "programmer"]),
    }
    results = {
        name: replace(quality, supervised=supervised_auc(counts, segments[name]))
        for name, quality in segment_aucs(counts, segments, draws).items()
    }
    sizes = {name: int(truth.sum()) for name, truth in segments.items()}
    print_quality(
        f"MovieLens-100K ({n_users} users, ratings as weights), {SEEDS} seeds × {draws} draws", results, sizes
    )


def timed(label: str, work: Callable[[], T], rows: list[tuple[str, float, float]]) -> T:
    start = time.perf_counter()
    result = work()
    rows.append((label, time.perf_counter() - start, peak_rss_gib()))
    return result


def prepare(
    n_viewers: int, events_per_viewer: float, rows: list[tuple[str, float, float]]
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Counts matrix, rule-tag membership and 50 宝妈 seeds; the raw events are dropped on return."""
    audience = timed(
        "generate planted viewers (not timed work)",
        lambda: planted_audience(n_viewers, n_items=20_000, events_per_viewer=events_per_viewer, seed=2),
        rows,
    )
    counts = timed(
        "build viewer × item matrix",
        lambda: interaction_matrix(
            audience.event_viewer, audience.event_item, audience.event_weight, audience.n_viewers, audience.n_items
        ),
        rows,
    )

    def assign() -> np.ndarray:
        category = audience.item_category[audience.event_item]
        shares = interest_shares(audience.event_viewer, category, audience.event_weight, audience.n_viewers)
        return assign_rule_segments(ViewerProfile(audience.gender, audience.age_band, audience.city_tier, shares))

    membership = timed("segment assignment (9 rule tags)", assign, rows)
    reach = timed(
        "targeting: bounded reach (≤ 5 items per viewer)",
        lambda: bounded_reach(audience.event_viewer, audience.event_item, audience.n_items),
        rows,
    )
    pack = membership[:, 0]
    timed(
        "targeting: noised reach release (OpenDP, every item)",
        lambda: noisy_counts(reach.members(pack).tolist(), 0.5, contributions=reach.per_viewer),
        rows,
    )
    seeds = np.random.default_rng(0).choice(np.flatnonzero(audience.segment == 0), size=SEEDS, replace=False)
    return counts, membership, seeds


def scale(n_viewers: int, events_per_viewer: float) -> None:
    rows: list[tuple[str, float, float]] = []
    counts, membership, seeds = prepare(n_viewers, events_per_viewer, rows)
    weighted = timed("lookalike: BM25 weighting", partial(bm25_weight, counts), rows)
    del counts  # the weighted copy is all that scoring needs
    model = timed(
        "lookalike: fit (SVD of a 100k sample, 20 PU classifiers)", lambda: fit_lookalike(weighted, seeds), rows
    )
    scores = timed("lookalike: score every viewer", lambda: model.score(weighted), rows)
    embedding = model.embedding

    def centroid() -> np.ndarray:
        direction = embedding.transform(weighted[seeds]).mean(axis=0)
        out = np.empty(weighted.shape[0], dtype=np.float32)
        for part, embedded in embedding.chunks(weighted, LookalikeConfig().chunk_rows):
            norms = np.linalg.norm(embedded, axis=1)
            out[part] = (embedded @ direction) / np.maximum(norms, 1e-12)
        return out

    timed("baseline: centroid cosine, every viewer", centroid, rows)
    table = Table(title=f"{n_viewers:,} viewers, {weighted.nnz:,} (viewer, item) pairs — load {load()}")
    for column in ("stage", "seconds", "peak RSS GiB"):
        table.add_column(column, justify="left" if column == "stage" else "right")
    for label, seconds, rss in rows:
        table.add_row(label, f"{seconds:.1f}", f"{rss:.2f}")
    console.print(table)
    lookalike_total = sum(seconds for label, seconds, _ in rows if label.startswith("lookalike"))
    baseline = rows[-1][1]
    console.print(
        f"lookalike end to end (weighting + fit + scoring): {lookalike_total:.1f} s; scoring alone "
        f"{rows[-2][1]:.1f} s = {rows[-2][1] / baseline:.2f}× the centroid baseline's {baseline:.1f} s; "
        f"tags per viewer {membership.sum(axis=1).mean():.2f}; scores finite: {bool(np.isfinite(scores).all())}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--viewers", type=int, default=10_000_000)
    parser.add_argument("--events-per-viewer", type=float, default=8.0)
    parser.add_argument("--draws", type=int, default=5, help="seed lists per segment for the AUC means")
    parser.add_argument("--movielens", type=Path, help="MovieLens-100K folder (u.data, u.user)")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    args = parser.parse_args()
    console.print(f"cores: {os.cpu_count()}, load average at start: {load()}")
    if not args.skip_quality:
        planted_quality(args.draws)
        if args.movielens:
            movielens_quality(args.movielens, args.draws)
    if not args.skip_scale:
        scale(args.viewers, args.events_per_viewer)
    console.print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
