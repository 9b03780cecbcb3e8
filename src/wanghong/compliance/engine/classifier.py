"""Semantic claim classifier for health and efficacy claims that no keyword catches.

"吃了三天血糖就降下来了" or "用完皱纹全没了" contain no banned word; the claim lies in the combination of a
dose or duration and a bodily effect. A character n-gram TF-IDF + multinomial logistic regression
(scikit-learn) over the *normalised* text learns those combinations from ``data/claims.jsonl`` (see the
README beside it). Training is deterministic (lbfgs, fixed data order). The model fitted on the shipped claims
is shipped too, as plain arrays (``data/claims_model.npz``, no pickle, written by ``tools/make_compliance_claims.py``)
together with the digest of the claims it was fitted on: a reviewer then needs neither scikit-learn (≈2 s to
import) nor training to start, which is what makes a one-line ``wanghong compliance scan`` quick. When the
claims change and the arrays do not, the reviewer fits afresh; a test checks that the arrays equal a fresh fit.

Prediction does not go through ``TfidfVectorizer.transform``: the reviewer classifies dozens of overlapping
windows per transcript segment, and the vectoriser's Python loop over every n-gram of every window cost
≈3 ms of a 5 ms budget per 2,000 characters. :class:`NgramTfidf` computes the same matrix (same
vocabulary, idf, sublinear tf and l2 norm, taken from the fitted vectoriser) with array operations over all
windows at once; the tests check it against the vectoriser.

Labels: ``clean``, ``medical`` (disease or body-function effect of ordinary food, 《广告法》第十七条),
``cosmetics`` (medical or exaggerated effect of a cosmetic, 《化妆品监督管理条例》第四十三条).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

from wanghong.compliance.engine.normalize import Normalizer

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


CLAIMS_RESOURCE = "data/claims.jsonl"
SHIPPED_MODEL_RESOURCE = "data/claims_model.npz"


def claims_digest() -> str:
    """SHA-256 of the shipped claims: what a shipped model must have been fitted on."""
    return hashlib.sha256(resources.files(__package__).joinpath(CLAIMS_RESOURCE).read_bytes()).hexdigest()


def load_claims() -> list[LabelledText]:
    raw = resources.files(__package__).joinpath(CLAIMS_RESOURCE).read_text(encoding="utf-8")
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


_CODE_BITS = 21  # every code point fits in 21 bits, so an n-gram of up to three packs into one uint64
_WHITE_SPACES = re.compile(r"(?u)\s\s+")  # TfidfVectorizer's own whitespace rule for char analyzers


class NgramTfidf:
    """``TfidfVectorizer(analyzer="char", ngram_range=(1, n ≤ 3), sublinear_tf=True, norm="l2").transform``
    of a fitted vectoriser, vectorised: each n-gram becomes one packed integer, looked up in the sorted
    vocabulary with ``searchsorted``, and the documents' counts are summed by one sparse-matrix build."""

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        low, high = vectorizer.ngram_range
        if vectorizer.analyzer != "char" or high > 3 or vectorizer.norm != "l2" or not vectorizer.lowercase:
            raise ValueError(
                "NgramTfidf 只支持 char 1–3 元、l2 归一化、小写的向量器 / "
                "NgramTfidf needs a lowercasing char vectoriser with n ≤ 3 and l2 norm"
            )
        self.orders = range(low, high + 1)
        self.sublinear = bool(vectorizer.sublinear_tf)
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float32)
        self.n_features = len(vectorizer.vocabulary_)
        by_order: dict[int, list[tuple[int, int]]] = {n: [] for n in self.orders}
        for gram, column in vectorizer.vocabulary_.items():
            by_order[len(gram)].append((_pack(gram), column))
        self.keys: dict[int, np.ndarray] = {}
        self.columns: dict[int, np.ndarray] = {}
        for n, pairs in by_order.items():
            pairs.sort()
            self.keys[n] = np.array([k for k, _ in pairs], dtype=np.uint64)
            self.columns[n] = np.array([c for _, c in pairs], dtype=np.int64)

    @classmethod
    def from_arrays(
        cls, keys: dict[int, np.ndarray], columns: dict[int, np.ndarray], idf: np.ndarray, *, sublinear: bool
    ) -> NgramTfidf:
        """The same transform, rebuilt from the arrays a fitted one holds (see :meth:`ClaimClassifier.save`)."""
        features = object.__new__(cls)
        features.orders = range(min(keys), max(keys) + 1)
        features.sublinear = sublinear
        features.idf = np.asarray(idf, dtype=np.float32)
        features.n_features = int(features.idf.size)
        features.keys = {n: np.asarray(k, dtype=np.uint64) for n, k in keys.items()}
        features.columns = {n: np.asarray(c, dtype=np.int64) for n, c in columns.items()}
        return features

    def transform(self, documents: Sequence[str]) -> sp.csr_matrix:
        """The vectoriser's matrix of ``documents`` (float32 CSR, sorted indices)."""
        import scipy.sparse as sp  # only here: prediction (probabilities) needs no sparse matrix, see weights()

        data, columns, row_starts = self.weights(documents)
        return sp.csr_matrix((data, columns, row_starts), shape=(len(documents), self.n_features))

    def weights(self, documents: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(values, columns, row starts) of :meth:`transform`'s CSR matrix, computed with NumPy alone: the one
        use of scipy here was that matrix, and importing ``scipy.sparse`` took longer (≈0.2–0.4 s) than the
        rest of a one-line ``wanghong compliance scan``. Same entries, same order, same float32 steps."""
        docs = [_WHITE_SPACES.sub(" ", d.lower()) for d in documents]
        lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
        codes = np.frombuffer(codecs.utf_32_le_encode("".join(docs), "surrogatepass")[0], dtype=np.uint32)
        codes = codes.astype(np.uint64)
        owner = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
        cells: list[np.ndarray] = []  # row * n_features + column of each n-gram occurrence
        for n in self.orders:
            count = codes.size - n + 1
            keys = self.keys[n]
            if count <= 0 or not keys.size:
                continue
            packed = codes[:count].copy()
            for shift in range(1, n):
                packed <<= np.uint64(_CODE_BITS)
                packed |= codes[shift : shift + count]
            at = np.minimum(np.searchsorted(keys, packed), keys.size - 1)
            known = keys[at] == packed
            if n > 1:
                known &= owner[:count] == owner[n - 1 :]  # an n-gram never spans two documents
            cells.append(owner[:count][known] * self.n_features + self.columns[n][at[known]])
        # Counting equal cells sorts them by row, then column: the order of a CSR matrix after sum_duplicates().
        cell, counts = np.unique(np.concatenate(cells) if cells else np.zeros(0, dtype=np.int64), return_counts=True)
        entry_row, columns = np.divmod(cell, self.n_features)
        data = counts.astype(np.float32)
        if self.sublinear:
            np.log(data, out=data)
            data += 1.0
        data *= self.idf[columns]
        # l2 per row; every stored value is positive, so no row that has entries has a zero norm.
        norms = np.sqrt(np.bincount(entry_row, weights=data * data, minlength=len(docs))).astype(np.float32)
        data /= norms[entry_row]
        row_starts = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(np.bincount(entry_row, minlength=len(docs)), out=row_starts[1:])
        return data, columns, row_starts


def _pack(gram: str) -> int:
    key = 0
    for ch in gram:
        key = (key << _CODE_BITS) | ord(ch)
    return key


class ClaimClassifier:
    """Claim-vs-clean model over normalised text. ``fold`` is the normaliser; ``fold_many``, its batched
    form, is found automatically for :meth:`Normalizer.fold` and otherwise defaults to ``fold`` per text."""

    def __init__(
        self, fold: Callable[[str], str], fold_many: Callable[[Sequence[str]], list[str]] | None = None
    ) -> None:
        self._fold = fold
        if fold_many is None:
            owner = getattr(fold, "__self__", None)
            # Normalizer.fold has a batched twin; other callables are applied one text at a time.
            if isinstance(owner, Normalizer) and getattr(fold, "__func__", None) is Normalizer.fold:
                fold_many = owner.fold_many
        self._fold_many = fold_many or (lambda texts: [fold(t) for t in texts])
        # The scikit-learn pipeline of the last fit(); None for a model loaded from its arrays.
        self._pipeline: Any = None
        self._features: NgramTfidf | None = None
        self._coef = np.zeros((0, 0))
        self._intercept = np.zeros(0)
        self._classes: list[str] = []
        self._clean_index = -1
        self.trained_on = ""  # claims_digest() of the data a shipped model was fitted on

    def fit(
        self, rows: Sequence[LabelledText], *, estimator: Any = None, weights: Sequence[float] | None = None
    ) -> ClaimClassifier:
        """Fit on ``rows``; ``estimator`` replaces the logistic regression by another linear scikit-learn model
        (its ``coef_`` and ``intercept_`` are all prediction uses: a binary linear SVM's margin then comes out
        through the logistic function, a score rather than a calibrated probability), ``weights`` are sample
        weights (see ``window_classifier``)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline

        self._pipeline = Pipeline(
            [
                ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, dtype=np.float32)),
                ("logreg", estimator or LogisticRegression(C=2.0, max_iter=2000, class_weight="balanced")),
            ]
        )
        extra = {} if weights is None else {"logreg__sample_weight": np.asarray(weights, dtype=np.float64)}
        self._pipeline.fit(self._fold_many([r.text for r in rows]), [r.label for r in rows], **extra)
        model = self._pipeline.named_steps["logreg"]
        self._coef, self._intercept = np.asarray(model.coef_), np.asarray(model.intercept_)
        self._classes = [str(c) for c in self._pipeline.classes_]
        self._clean_index = self._classes.index(CLEAN)
        self._features = NgramTfidf(self._pipeline.named_steps["tfidf"])
        return self

    def save(self, target: Path | IO[bytes], *, trained_on: str, extra: dict[str, np.ndarray] | None = None) -> None:
        """Write the fitted arrays (no pickle) with the digest of the claims they were fitted on; ``extra`` arrays
        (e.g. the window classifier's threshold) are stored beside them and ignored by :meth:`load`."""
        features = self._fitted_features()
        arrays: dict[str, Any] = {
            "idf": features.idf,
            "coef": self._coef,
            "intercept": self._intercept,
            "classes": np.array(self._classes),
            "sublinear": np.array(features.sublinear),
            "trained_on": np.array(trained_on),
        }
        for n in features.orders:
            arrays[f"keys_{n}"], arrays[f"columns_{n}"] = features.keys[n], features.columns[n]
        arrays.update(extra or {})
        np.savez_compressed(target, **arrays)

    @classmethod
    def load(cls, source: Path | IO[bytes], fold: Callable[[str], str]) -> ClaimClassifier:
        model = cls(fold)
        with np.load(source, allow_pickle=False) as arrays:
            orders = sorted(int(name.split("_")[1]) for name in arrays.files if name.startswith("keys_"))
            model._features = NgramTfidf.from_arrays(
                {n: arrays[f"keys_{n}"] for n in orders},
                {n: arrays[f"columns_{n}"] for n in orders},
                arrays["idf"],
                sublinear=bool(arrays["sublinear"]),
            )
            model._coef, model._intercept = arrays["coef"], arrays["intercept"]
            model._classes = [str(c) for c in arrays["classes"]]
            model.trained_on = str(arrays["trained_on"])
        model._clean_index = model._classes.index(CLEAN)
        return model

    def _fitted_features(self) -> NgramTfidf:
        if self._features is None:
            raise RuntimeError("ClaimClassifier.fit() 尚未调用 / call fit() before predict()")
        return self._features

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities (columns in ``classes`` order) of the fitted pipeline for ``texts`` — the same
        numbers as ``Pipeline.predict_proba`` on the folded texts, computed by :class:`NgramTfidf` and one
        matrix product instead of the vectoriser's per-n-gram Python loop and the estimator's input checks."""
        data, columns, row_starts = self._fitted_features().weights(self._fold_many(texts))
        # features @ coef.T as scipy's CSR product computes it, to the last bit: in the common type of the two
        # (float32 for the shipped arrays), each row's entries added one after another in column order.
        dtype = np.result_type(data.dtype, self._coef.dtype)
        values = data.astype(dtype, copy=False)
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), np.diff(row_starts))
        by_class = np.zeros((self._coef.shape[0], len(texts)), dtype=dtype)
        for weights, sums in zip(self._coef.astype(dtype, copy=False), by_class, strict=True):
            np.add.at(sums, rows, values * weights[columns])  # one class at a time: ≈8× faster than a 2-D add.at
        scores = by_class.T + self._intercept
        if scores.shape[1] == 1:  # two classes: scikit-learn's binary logistic model
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack((1.0 - positive, positive))
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    @property
    def classes(self) -> list[str]:
        return list(self._classes)

    def predict(self, texts: Sequence[str]) -> list[tuple[float, str]]:
        """(probability that the text makes a claim, most likely claim label) for each text."""
        if not texts:
            return []
        if self._clean_index < 0:
            raise RuntimeError("ClaimClassifier.fit() 尚未调用 / call fit() before predict()")
        proba = self.probabilities(texts)
        claim = 1.0 - proba[:, self._clean_index]
        proba[:, self._clean_index] = -1.0
        return [(float(p), self._classes[i]) for p, i in zip(claim, proba.argmax(axis=1), strict=True)]


def shipped_classifier(fold: Callable[[str], str]) -> ClaimClassifier:
    """The model of the shipped claims: loaded from its arrays when they were fitted on these very claims,
    fitted afresh otherwise (a changed claims file whose arrays were not regenerated)."""
    digest = claims_digest()
    shipped = resources.files(__package__).joinpath(SHIPPED_MODEL_RESOURCE)
    if shipped.is_file():
        with shipped.open("rb") as source:
            model = ClaimClassifier.load(source, fold)
        if model.trained_on == digest:
            return model
    return ClaimClassifier(fold).fit(load_claims())


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
