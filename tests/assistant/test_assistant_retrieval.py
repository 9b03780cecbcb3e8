from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from wanghong.assistant.engine.bm25 import BM25Index
from wanghong.assistant.engine.dense import CachedEncoder, UniversalSentenceEncoder
from wanghong.assistant.engine.retrieval import HybridRetriever, Passage
from wanghong.assistant.engine.text import char_bigrams

CMRC = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "qa" / "cmrc2018_dev.json"


def test_bm25_matches_the_textbook_formula() -> None:
    docs = ["面霜净含量五十克", "面霜价格一百元", "快递顺丰包邮"]
    index = BM25Index(docs, char_bigrams, k1=1.2, b=0.75)
    scores = index.scores(["面霜价格"])[0]
    tokens = [char_bigrams(d) for d in docs]
    average = sum(map(len, tokens)) / len(tokens)
    expected = []
    for doc in tokens:
        total = 0.0
        for term in set(char_bigrams("面霜价格")):
            df = sum(term in d for d in tokens)
            tf = doc.count(term)
            if df:
                idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
                total += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len(doc) / average))
        expected.append(total)
    assert np.allclose(scores, expected, atol=1e-5)
    assert index.scores(["完全无关"])[0].tolist() == [0.0, 0.0, 0.0]


def test_hybrid_ranks_by_meaning_when_words_differ(encoder: UniversalSentenceEncoder) -> None:
    passages = [
        Passage("ship", "付款后四十八小时内发货，默认顺丰快递。"),
        Passage("price", "直播间到手价一百二十九元。"),
        Passage("size", "尺码从S到XL，建议按平时尺码购买。"),
    ]
    retriever = HybridRetriever(passages, encoder)
    ranked = retriever.search(["什么时候寄出来", "多少钱", "尺码"], top=2)
    assert [r[0][0].id for r in ranked] == ["ship", "price", "size"]
    assert all(len(r) == 2 for r in ranked)
    assert retriever.search(["多少钱"], top=10)[0][0][0].id == "price"  # top beyond the corpus: all of it


def test_embedding_cache_returns_the_same_vectors_and_skips_the_model(
    tmp_path: Path, encoder: UniversalSentenceEncoder
) -> None:
    calls: list[int] = []

    class Counting:
        def encode(self, texts: Sequence[str]) -> np.ndarray:
            calls.append(len(texts))
            return encoder.encode(texts)

    texts = ["面霜多少钱", "包邮吗", "面霜多少钱"]
    first = CachedEncoder(Counting(), tmp_path).encode(texts)
    again = CachedEncoder(Counting(), tmp_path).encode(texts)
    assert calls == [2]  # the duplicate once, and the second encoder read the store
    assert np.array_equal(first, again)
    next(tmp_path.iterdir()).write_bytes(b"damaged")
    assert np.allclose(CachedEncoder(Counting(), tmp_path).encode(texts[:1]), first[:1], atol=1e-6)
    assert calls == [2, 1]  # a damaged store is rebuilt, not trusted


@pytest.mark.slow
@pytest.mark.skipif(not CMRC.exists(), reason="CMRC 2018 dev set not present at ../shared/data/qa")
def test_cmrc_question_to_passage_recall(encoder: UniversalSentenceEncoder) -> None:
    """A slice of CMRC 2018 dev (the first 60 passages and their questions); the full set is in bench/assistant.py."""
    data = json.loads(CMRC.read_text(encoding="utf-8"))["data"][:60]
    passages = [Passage(p["id"], p["context"]) for article in data for p in article["paragraphs"]]
    questions = [(q["question"], p["id"]) for article in data for p in article["paragraphs"] for q in p["qas"]]
    retriever = HybridRetriever(passages, encoder)
    ranked = retriever.search([q for q, _ in questions], top=1)
    recall = np.mean([r[0][0].id == gold for r, (_, gold) in zip(ranked, questions, strict=True)])
    bigram_only = HybridRetriever(passages, None, use_words=False).search([q for q, _ in questions], top=1)
    baseline = np.mean([r[0][0].id == gold for r, (_, gold) in zip(bigram_only, questions, strict=True)])
    assert recall >= 0.96, recall  # the whole dev set reaches 0.975 (bench/assistant.py)
    assert recall > baseline, (recall, baseline)
