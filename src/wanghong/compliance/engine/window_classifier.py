"""Window classifier over phrases (issue #20): a second opinion on text the phrase rules pass.

The rules (library + context) catch what their writers have read: every blind outside set scored recall
0.67–0.82 at first sight. This model is a char 1–3-gram TF-IDF + linear SVM over the *normalised* text, fitted on
the labelled outside sets we hold (``tests/compliance/data``: outside_eval, outside_heldout 1–21, outside_dev6,
real_cases; rows weight 1) and on the claim classifier's claims and the evasion set (templated, so weight
``EXTRA_WEIGHT``).
The reviewer asks it only about texts the rules **pass**, one window at a time (a text up to ``WHOLE_UP_TO``
characters whole, a longer one sentence by sentence; none under ``MIN_CHARS``), and sends a text to ``review``
when the highest window reaches ``threshold``; it never blocks and never lowers a rule verdict.

Measured before shipping (``tests/compliance/data/classifier_study.py``, README there): fitted without
outside_heldout4, the rules + this model raised that blind set's recall 0.733 → 0.792 at an unchanged FPR 0.080;
a confident-clean veto of rule ``review`` verdicts lowered FPR by one row but cost recall, so it is not used.

The threshold is chosen on the training data alone: out-of-fold scores, one fold per outside set (leave-one-set-out,
the condition of meeting material written by someone else), and the lowest threshold at which the model flags at
most ``OR_BUDGET`` of the clean rows that the rules pass.

Shipped as plain arrays (``data/window_model.npz``, no pickle, written by
``tools/make_compliance_window_model.py``) with the digest of the files it was fitted on; the training sets are test
data, not package data, so the reviewer loads the arrays and never refits — a test checks that they equal a fresh
fit on the current files. Prediction is :class:`~wanghong.compliance.engine.classifier.ClaimClassifier`'s NumPy path
(no scikit-learn at scan time); the score is the logistic function of the SVM margin, not a calibrated probability.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import IO

import numpy as np

from wanghong.compliance.engine.classifier import CLEAN, ClaimClassifier, LabelledText, load_claims

VIOLATION = "violation"
WINDOW_MODEL_RESOURCE = "data/window_model.npz"
# The labelled outside sets (file stems under tests/compliance/data); each is one fold of the threshold's choice.
OUTSIDE_SETS = (
    "outside_eval",
    "outside_heldout",
    "outside_heldout2",
    "outside_heldout3",
    "outside_heldout4",
    "outside_heldout5",
    "outside_heldout6",
    "outside_dev6",
    "real_cases",
    "outside_heldout7",
    "outside_heldout8",
    "outside_heldout9",
    "outside_heldout10",
    "outside_heldout11",
    "outside_heldout12",
    "outside_heldout13",
    "outside_heldout14",
    "outside_heldout15",
    "outside_heldout16",
    "outside_heldout17",
    "outside_heldout18",
    "outside_heldout19",
    "outside_heldout20",
    "outside_heldout21",
)
EVASION_SET = "evasion_eval"
# Claims and the evasion set are generated from templates (≈3,200 rows against ≈1,170 outside rows): at full weight
# they taught the templates' phrasing (out-of-fold AUC 0.908 against 0.916 at 0.2); left out, the model sent 2 % of
# the clean claims to review.
EXTRA_WEIGHT = 0.2
SVM_C = 0.5
# False-positive cost the model may add, as a share of the clean outside rows. 0.01 until the fifth round; with
# heldout5 and dev6 among its sets the model reads guarantee wording more keenly, and at 0.01 it sent 8 of the 215
# lawful twins of test_compliance_context_round4 to review (2 at 0.005), for a leave-dev6-out recall of 0.951
# against 0.932 at 0.005 (FPR 0.019 either way). With heldout6 added it sends 7 of them (3.3 %) at 0.005.
# Heldout7–10 joined in the eighth round. Fitted with heldout7–9 but not the then-blind heldout10, the rules + model
# scored heldout10 at recall 0.863 (0.838 with the model before them), 0.887 at a budget of 0.01 and 0.931 at 0.02
# (rules alone 0.787), FPR 0.114 at each — the rules' own; but the 792 look-alikes of the round tests went 14 → 18 → 41
# flagged, and with heldout10 too, 0.01 sent 4 of round 3's 61 and 9 of round 4's 215 to review. So 0.005 stays.
# Heldout11 and heldout12 stayed out of its sets at first: fitted with them too, it scored heldout13 (then blind) at
# recall 0.831 against 0.838 without them, FPR 0.143 either way. Heldout11–21 joined in the twenty-first round, when
# eleven more sets had been read, and the budget went to 0.003. On heldout22 (blind) the rules + model went from
# recall 0.775 to 0.812 at the same FPR 0.186 (0.825 at 0.005, 0.850 / FPR 0.193 at 0.01, 0.787 at 0.002); of the 718
# lawful texts of the context round tests it flags 11 against 12 before, of round 3's 61 hard look-alikes 6 against 3
# (7 at 0.005, 4 at 0.002).
OR_BUDGET = 0.003
# A text this short is classified whole, as the training rows (one or two sentences, 2–28 characters) were.
WHOLE_UP_TO = 30
# Shorter windows are not judged: single words are the rules' business, and on 1,812 clean clauses the only ones the
# model flagged were forms of address of up to four characters (家人们, 姐妹们), a style of the sets' seller talk.
MIN_CHARS = 6


@dataclass(frozen=True, slots=True)
class TrainingSet:
    rows: list[LabelledText]  # ``group`` is the source set's name
    weights: list[float]
    digest: str  # SHA-256 over the source files: what a shipped model must have been fitted on


def load_training(data_dir: Path) -> TrainingSet:
    """The outside sets in ``data_dir`` (violation vs clean), then the shipped claims and the evasion set."""
    digest = hashlib.sha256()
    rows: list[LabelledText] = []
    weights: list[float] = []
    for name in (*OUTSIDE_SETS, EVASION_SET):
        raw = (data_dir / f"{name}.jsonl").read_bytes()
        digest.update(name.encode() + b"\0" + hashlib.sha256(raw).digest())
        weight = EXTRA_WEIGHT if name == EVASION_SET else 1.0
        for line in raw.decode("utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                rows.append(LabelledText(item["text"], VIOLATION if item["label"] == VIOLATION else CLEAN, name))
                weights.append(weight)
    claims = resources.files(__package__).joinpath("data/claims.jsonl").read_bytes()
    digest.update(b"claims\0" + hashlib.sha256(claims).digest())
    for claim in load_claims():
        rows.append(LabelledText(claim.text, CLEAN if claim.label == CLEAN else VIOLATION, "claims"))
        weights.append(EXTRA_WEIGHT)
    return TrainingSet(rows, weights, digest.hexdigest())


def fit_model(fold: Callable[[str], str], rows: Sequence[LabelledText], weights: Sequence[float]) -> ClaimClassifier:
    from sklearn.svm import LinearSVC

    svm = LinearSVC(C=SVM_C, class_weight="balanced", max_iter=20000)
    return ClaimClassifier(fold).fit(rows, estimator=svm, weights=weights)


def window_texts(text: str, spans: Callable[[str], Iterable[tuple[int, int]]]) -> list[tuple[int, int]]:
    """The spans of ``text`` the model reads: the whole text when short, else ``spans`` (the reviewer's sentence
    windows) one by one; none shorter than ``MIN_CHARS``. Not runs of sentences: the model learned from rows of one
    or two sentences, and read with its neighbours a claim lost its score (这款净水器过滤掉百分之百的细菌 0.72 alone,
    0.59 with the 7-character sentence after it, 0.41–0.49 in 60-character runs)."""
    found = [(0, len(text))] if len(text) <= WHOLE_UP_TO else list(spans(text))
    return [(a, b) for a, b in found if b - a >= MIN_CHARS]


def choose_threshold(
    fold: Callable[[str], str],
    training: TrainingSet,
    rules_pass: Sequence[bool],
    spans: Callable[[str], Iterable[tuple[int, int]]],
) -> float:
    """Lowest score at which the out-of-fold model flags at most ``OR_BUDGET`` of the clean outside rows among
    those the rules pass (``rules_pass``, one per row of ``training``; the extra rows are always trained on)."""
    outside = np.array([r.group in OUTSIDE_SETS for r in training.rows])
    scores = np.full(len(training.rows), np.nan)
    for name in OUTSIDE_SETS:
        held = np.array([r.group == name for r in training.rows])
        kept = [i for i in range(len(training.rows)) if not held[i]]
        model = fit_model(fold, [training.rows[i] for i in kept], [training.weights[i] for i in kept])
        for i in np.flatnonzero(held):
            scores[i] = max_window_score(model, training.rows[i].text, spans)
    clean = outside & np.array([r.label == CLEAN for r in training.rows])
    candidates = np.sort(scores[clean & np.asarray(rules_pass, dtype=bool)])[::-1]
    allowed = int(np.floor(OR_BUDGET * clean.sum()))
    if allowed >= candidates.size:
        return float(candidates[-1]) if candidates.size else 0.0
    # Just above the (allowed+1)-th highest clean score: at most `allowed` clean rows reach it.
    return float(np.nextafter(candidates[allowed], np.inf))


def max_window_score(model: ClaimClassifier, text: str, spans: Callable[[str], Iterable[tuple[int, int]]]) -> float:
    pieces = [text[a:b] for a, b in window_texts(text, spans)]
    return max((p for p, _ in model.predict(pieces)), default=0.0)


@dataclass(frozen=True, slots=True)
class WindowClassifier:
    model: ClaimClassifier
    threshold: float
    trained_on: str

    def save(self, target: Path | IO[bytes]) -> None:
        self.model.save(target, trained_on=self.trained_on, extra={"threshold": np.array(self.threshold)})

    @classmethod
    def load(cls, source: Path | IO[bytes], fold: Callable[[str], str]) -> WindowClassifier:
        model = ClaimClassifier.load(source, fold)
        if hasattr(source, "seek"):
            source.seek(0)
        with np.load(source, allow_pickle=False) as arrays:
            threshold = float(arrays["threshold"])
        return cls(model, threshold, model.trained_on)


def fit_window_classifier(
    fold: Callable[[str], str],
    data_dir: Path,
    rules_pass: Callable[[Sequence[str]], list[bool]],
    spans: Callable[[str], Iterable[tuple[int, int]]],
) -> WindowClassifier:
    """The shipped model afresh: fitted on every row of ``data_dir``'s sets, threshold by leave-one-set-out."""
    training = load_training(data_dir)
    threshold = choose_threshold(fold, training, rules_pass([r.text for r in training.rows]), spans)
    return WindowClassifier(fit_model(fold, training.rows, training.weights), threshold, training.digest)


def shipped_window_classifier(fold: Callable[[str], str]) -> WindowClassifier | None:
    """The shipped arrays, or None when the package carries none."""
    shipped = resources.files(__package__).joinpath(WINDOW_MODEL_RESOURCE)
    if not shipped.is_file():
        return None
    with shipped.open("rb") as source:
        return WindowClassifier.load(source, fold)
