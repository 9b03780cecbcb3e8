"""The batched paths (Scanner.scan_many, Normalizer.fold_many, NgramTfidf) must equal the per-text ones."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from wanghong.compliance.engine import ComplianceReviewer, Scanner
from wanghong.compliance.engine import scanner as scanner_module
from wanghong.compliance.engine.classifier import ClaimClassifier, NgramTfidf, load_claims
from wanghong.compliance.engine.reviewer import sentence_spans

DATA = Path(__file__).resolve().parent / "data" / "evasion_eval.jsonl"
# Evasions of every kind the scanner folds, plus the batch's own separator (U+000A) inside texts, code points
# that expand (ﬁ, ⑽), Latin runs with doubled and tripled letters, and characters that fold to nothing.
_ALPHABET = [
    *"最好国家級第一①壹１ＡＢab zh*🔥\u200b\u3000好好好33\n\r\x00ﬁ⑽zuihaozzzuuuiＶＸvx加微信醉",
    "全网最低价",
    "包治百病",
    "加weixin",
    "最近",
    "第一次",
    "月入3万",
    *(chr(0x4E00 + i) for i in range(40)),
]


def _random_texts(seed: int, count: int, longest: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, longest))) for _ in range(count)]


def test_scan_many_equals_scan_on_random_evasions(scanner: Scanner) -> None:
    texts = _random_texts(seed=21, count=1500, longest=25)
    texts[10:10] = ["", "", "\n", "🔥🔥", ""]  # texts that fold to nothing, side by side
    assert scanner.scan_many(texts) == [scanner.scan(t) for t in texts]


def test_scan_many_equals_scan_on_the_evasion_set(scanner: Scanner) -> None:
    texts = [json.loads(line)["text"] for line in DATA.read_text(encoding="utf-8").splitlines()]
    batched = scanner.scan_many(texts)
    assert batched == [scanner.scan(t) for t in texts]
    assert sum(bool(r.hits) for r in batched) > len(texts) // 2  # the comparison covers real hits


@pytest.mark.parametrize("batch_chars", [scanner_module._BATCH_CHARS, 1 << 12])
def test_scan_many_handles_long_texts_and_batch_boundaries(
    scanner: Scanner, monkeypatch: pytest.MonkeyPatch, batch_chars: int
) -> None:
    monkeypatch.setattr(scanner_module, "_BATCH_CHARS", batch_chars)  # small batches: many boundaries
    long_text = "这款面霜质地很清爽，" * 4000 + "全网最低价"
    texts = [*_random_texts(seed=8, count=3000, longest=40), long_text, "最*好", ""]
    results = scanner.scan_many(texts)
    assert results == [scanner.scan(t) for t in texts]
    assert [h.term for h in results[-3].hits][:1] == ["全网最低价"]
    assert scanner.scan_many([]) == []


def test_scan_many_names_the_item_that_is_not_text(scanner: Scanner) -> None:
    with pytest.raises(TypeError, match="item 1"):
        scanner.scan_many(["最好", b"\xff"])  # type: ignore[list-item]


def test_fold_many_equals_fold(scanner: Scanner) -> None:
    normalizer = scanner.normalizer
    texts = _random_texts(seed=4, count=2000, longest=30)
    assert normalizer.fold_many(texts) == [normalizer.fold(t) for t in texts]
    assert normalizer.fold_many(["", "", "ﬁ"]) == ["", "", "fi"]
    assert normalizer.fold_many([]) == []


def test_ngram_tfidf_reproduces_the_vectoriser(reviewer: ComplianceReviewer) -> None:
    fold = reviewer.scanner.normalizer.fold
    classifier = ClaimClassifier(fold).fit(load_claims())
    texts = [row.text for row in load_claims()[::3]]
    transcript = "，".join(texts[:80])
    texts += [transcript[a:b] for a, b in sentence_spans(transcript)] + ["", "ＡＢ  c"]
    pipeline = classifier._pipeline
    vectorizer = pipeline.named_steps["tfidf"]
    folded = [fold(t) for t in texts]
    expected = vectorizer.transform(folded)
    actual = NgramTfidf(vectorizer).transform(folded)
    assert actual.shape == expected.shape and actual.nnz == expected.nnz
    np.testing.assert_allclose(actual.toarray(), expected.toarray(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(classifier.probabilities(texts), pipeline.predict_proba(folded), rtol=1e-4, atol=1e-6)


def test_classifier_with_a_plain_fold_callable_still_predicts(reviewer: ComplianceReviewer) -> None:
    rows = load_claims()
    plain = ClaimClassifier(lambda text: reviewer.scanner.normalizer.fold(text)).fit(rows)
    texts = [row.text for row in rows[:50]]
    assert reviewer.classifier is not None
    ours, theirs = plain.predict(texts), reviewer.classifier.predict(texts)
    assert [label for _, label in ours] == [label for _, label in theirs]
    # float32 probabilities: the two paths may round the last bit differently
    assert [p for p, _ in ours] == pytest.approx([p for p, _ in theirs], rel=1e-5)
    with pytest.raises(ValueError, match="char"):
        NgramTfidf(type(plain._pipeline.named_steps["tfidf"])(analyzer="word"))
