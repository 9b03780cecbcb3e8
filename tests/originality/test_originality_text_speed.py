"""The text index's faster paths give exactly what the slower ones they replace gave (issue #20): the exact
weighted Jaccard of candidate pairs, the sketch agreement that screens them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from tests.fixtures.titlegen import iter_feed_corpus

from wanghong.originality.engine import load_eval_rows
from wanghong.originality.engine.minhash import _jaccard_packed, _weighted_jaccard_sparse, jaccard_pairs, shingle_batch
from wanghong.originality.engine.normalize import normalize_batch
from wanghong.originality.engine.text_index import _agreement

DATA = Path(__file__).parent / "data"


def _titles() -> list[str]:
    texts = [row["text"] for row in load_eval_rows()][:600]
    for path in sorted(DATA.glob("outside_titles*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line.strip()][:200]
    # Generated feed titles carry runs of characters jieba's dictionary lacks, which go to its HMM.
    texts += [text for _, text, _ in iter_feed_corpus(400, seed=3)]
    return list(dict.fromkeys(normalize_batch(texts)))


def test_weighted_jaccard_is_bit_for_bit_jaccard_pairs() -> None:
    texts = [text for _, text, _ in iter_feed_corpus(3000, seed=5)] + ["", "！！！", "a"]
    shingles = shingle_batch(normalize_batch(texts), 2, True)
    rng = np.random.default_rng(5)
    rows_a = rng.integers(0, len(texts), 20_000)
    rows_b = rng.integers(0, len(texts), 20_000)
    rows_a[:3], rows_b[:3] = len(texts) - 3, [len(texts) - 2, len(texts) - 1, 0]  # empty sets pair too
    weights = np.log(1000.0 / (rng.integers(0, 999, 1 << 22) + 1.0)) + 1.0
    ours = _weighted_jaccard_sparse(shingles, rows_a, shingles, rows_b, weights)
    theirs = _jaccard_packed(shingles, rows_a, shingles, rows_b, weights)
    assert ours.dtype == theirs.dtype and np.array_equal(ours.view(np.uint64), theirs.view(np.uint64))
    assert (ours > 0.5).sum() > 0  # the pairs include similar ones (edited re-uploads of one title)
    assert np.array_equal(
        jaccard_pairs(shingles, rows_a, shingles, rows_b, weights).view(np.uint64), ours.view(np.uint64)
    )


def test_agreement_is_the_mean_of_equal_values() -> None:
    rng = np.random.default_rng(2)
    for width in (1, 8, 64):
        a = rng.integers(0, 3, (500, width)).astype(np.uint8)
        b = rng.integers(0, 3, (500, width)).astype(np.uint8)
        expected = (a == b).mean(axis=1)
        assert np.array_equal(_agreement(a, b).view(np.uint64), expected.view(np.uint64))
