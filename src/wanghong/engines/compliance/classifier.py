"""Semantic claim classifier for health and efficacy claims that no keyword catches.

"吃了三天血糖就降下来了" or "用完皱纹全没了" contain no banned word; the claim lies in the combination of a
dose or duration and a bodily effect. A character n-gram TF-IDF + multinomial logistic regression
(scikit-learn) over the *normalised* text learns those combinations from ``data/claims.jsonl`` (see the
README beside it). Training is deterministic (lbfgs, fixed data order) and takes well under a second,
so the model is trained when a reviewer is built instead of shipping a pickled artefact.

Labels: ``clean``, ``medical`` (disease or body-function effect of ordinary food, 《广告法》第十七条),
``cosmetics`` (medical or exaggerated effect of a cosmetic, 《化妆品监督管理条例》第四十三条).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

CLEAN = "clean"
LABELS = (CLEAN, "medical", "cosmetics")


@dataclass(frozen=True, slots=True)
class LabelledText:
    text: str
    label: str
    group: str


@dataclass(frozen=True, slots=True)
class HeldOutReport:
    """Binary claim-vs-clean quality on groups of templates never seen in training."""

    precision: float
    recall: float
    false_positive_rate: float
    train_size: int
    test_size: int


def load_claims() -> list[LabelledText]:
    raw = resources.files(__package__).joinpath("data/claims.jsonl").read_text(encoding="utf-8")
    rows = []
    for number, line in enumerate(raw.splitlines(), start=1):
        item = json.loads(line)
        if item.get("label") not in LABELS:
            raise ValueError(f"claims.jsonl 第{number}行标签无效 / line {number}: label must be one of {LABELS}")
        rows.append(LabelledText(item["text"], item["label"], item["group"]))
    return rows


def split_by_group(rows: Sequence[LabelledText], every: int = 4) -> tuple[list[LabelledText], list[LabelledText]]:
    """Hold out every ``every``-th template group per label family, so the test set holds effect phrasings
    and clean templates the model never saw — a random row split would leak templates and flatter it."""
    families: dict[str, list[str]] = {}
    for row in rows:
        family = row.group.split(":", 1)[0]
        if row.group not in families.setdefault(family, []):
            families[family].append(row.group)
    held = {g for groups in families.values() for i, g in enumerate(sorted(groups)) if i % every == every - 1}
    train = [r for r in rows if r.group not in held]
    test = [r for r in rows if r.group in held]
    return train, test


class ClaimClassifier:
    def __init__(self, fold: Callable[[str], str]) -> None:
        self._fold = fold
        self._pipeline = Pipeline(
            [
                ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, dtype=np.float32)),
                ("logreg", LogisticRegression(C=2.0, max_iter=2000, class_weight="balanced")),
            ]
        )
        self._clean_index = -1

    def fit(self, rows: Sequence[LabelledText]) -> ClaimClassifier:
        self._pipeline.fit([self._fold(r.text) for r in rows], [r.label for r in rows])
        self._clean_index = list(self._pipeline.classes_).index(CLEAN)
        return self

    def predict(self, texts: Sequence[str]) -> list[tuple[float, str]]:
        """(probability that the text makes a claim, most likely claim label) for each text."""
        if not texts:
            return []
        if self._clean_index < 0:
            raise RuntimeError("ClaimClassifier.fit() 尚未调用 / call fit() before predict()")
        proba = self._pipeline.predict_proba([self._fold(t) for t in texts])
        claim = 1.0 - proba[:, self._clean_index]
        proba[:, self._clean_index] = -1.0
        classes = self._pipeline.classes_
        return [(float(p), str(classes[i])) for p, i in zip(claim, proba.argmax(axis=1), strict=True)]


def evaluate_held_out(fold: Callable[[str], str], threshold: float = 0.5) -> HeldOutReport:
    train, test = split_by_group(load_claims())
    model = ClaimClassifier(fold).fit(train)
    scores = model.predict([r.text for r in test])
    predicted = np.array([p >= threshold for p, _ in scores])
    actual = np.array([r.label != CLEAN for r in test])
    true_pos = int((predicted & actual).sum())
    return HeldOutReport(
        precision=true_pos / max(int(predicted.sum()), 1),
        recall=true_pos / max(int(actual.sum()), 1),
        false_positive_rate=int((predicted & ~actual).sum()) / max(int((~actual).sum()), 1),
        train_size=len(train),
        test_size=len(test),
    )
