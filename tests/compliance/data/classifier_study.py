"""Does a learned window classifier, trained on the labelled outside sets we hold, raise recall on a set it was
not trained on (issue #20)? Run from the repository root::

    PYTHONPATH=src .venv/bin/python tests/compliance/data/classifier_study.py [--quick]

Training: ``outside_eval``, ``outside_heldout``, ``outside_heldout2``, ``outside_heldout3``, ``real_cases``
(violation vs clean), optionally with the claim classifier's ``claims.jsonl`` and ``evasion_eval.jsonl`` as extra
rows (``+extra``). Test: ``outside_heldout4`` — never used to fit a model or to choose a threshold. Thresholds are
chosen on out-of-fold scores of the training sets, one fold per set (leave-one-set-out inside the training data),
which imitates meeting a set the model was not fitted on:

- ``or``: flag a text the rules pass when p ≥ t, with t the lowest threshold whose out-of-fold false-positive cost
  (clean rows the rules pass that the classifier would flag) stays ≤ ``--or-budget`` (0.01);
- ``veto``: downgrade a rule ``review`` (never a ``block``) to pass when p ≤ v, with v the highest threshold whose
  out-of-fold cost (violations the rules send to review that the veto would pass) stays ≤ ``--veto-budget`` (0.01).

Models: char n-gram TF-IDF (sublinear tf, l2) on the reviewer's normalised text with logistic regression or a linear
SVM; ``whole`` scores the whole text, ``window`` scores every clause and pair of adjacent clauses and takes the
maximum (trained on whole rows plus the clauses of clean rows as extra negatives: every clause of a clean row is
clean, while a violation's label belongs to the row, not to each clause).
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from wanghong.compliance.engine import ComplianceReviewer
from wanghong.compliance.engine.normalize import Normalizer
from wanghong.compliance.engine.reviewer import sentence_spans
from wanghong.compliance.engine.window_classifier import window_texts

DATA = Path(__file__).parent
ENGINE_DATA = DATA.parents[2] / "src/wanghong/compliance/engine/data"
TRAIN_SETS = ("outside_eval", "outside_heldout", "outside_heldout2", "outside_heldout3", "real_cases")
TEST_SET = "outside_heldout4"
# What engine/window_classifier.py ships: chosen by out-of-fold AUC on the training sets (0.919 against ≤ 0.917 for
# the other specs with extra rows; without them the model sends ≈2 % of the clean claims to review).
SHIPPED = "svm 1-3 short-whole"
SHIPPED_WEIGHT = 0.2
LOSO_SETS = ("outside_heldout2", "outside_heldout3", "outside_heldout4")
# Clause ends in the raw text (the normaliser drops punctuation, so windows are cut before folding).
_CLAUSE = re.compile(r"[。！？!?；;，,、\n~～…]+|\s{2,}")


@dataclass(frozen=True, slots=True)
class Row:
    text: str
    violation: bool
    gold: str
    source: str


def load_set(name: str) -> list[Row]:
    rows = []
    for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            rows.append(Row(item["text"], item["label"] == "violation", item.get("gold", ""), name))
    return rows


def load_extra() -> tuple[list[Row], list[Row], list[Row]]:
    """(all extra training rows, the 1,094 clean claims, the 306 clean evasion rows)."""
    claims = [json.loads(line) for line in (ENGINE_DATA / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    claim_rows = [Row(c["text"], c["label"] != "clean", "", "claims") for c in claims]
    evasion = load_set("evasion_eval")
    evasion = [Row(r.text, r.violation, r.gold, "evasion_eval") for r in evasion]
    return (
        claim_rows + evasion,
        [r for r in claim_rows if not r.violation],
        [r for r in evasion if not r.violation],
    )


def clauses(text: str) -> list[str]:
    parts = [p for p in _CLAUSE.split(text) if p.strip()]
    return parts or [text]


def windows(text: str) -> list[str]:
    """Every clause, every pair of adjacent clauses and the whole text."""
    parts = clauses(text)
    found = parts + ["，".join(parts[i : i + 2]) for i in range(len(parts) - 1)]
    if len(parts) > 2:
        found.append(text)
    return found


def sentence_windows(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)] or [text]


def short_whole(text: str) -> list[str]:
    """What the reviewer ships (engine/window_classifier.window_texts): a short text whole, a longer one sentence by
    sentence; no window under MIN_CHARS (a text with none is never flagged)."""
    return [text[a:b] for a, b in window_texts(text, sentence_spans)]


NEVER = -1e9  # the score of a text with no window to read (finite, so that AUC can rank it)


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    model: str  # "lr" or "svm"
    ngram: tuple[int, int]
    # "whole", "clause" (clauses and adjacent pairs), "sentence" (the reviewer's sentence windows) or
    # "short-whole" (the reviewer's: whole up to 30 characters, sentence windows beyond; every row here is ≤ 28)
    window: str
    c: float
    negatives: bool = False  # the clauses of clean rows as extra negatives (always so for "clause")


class TextModel:
    """TF-IDF + linear model over folded text; ``score`` is the decision function (max over windows)."""

    def __init__(self, spec: Spec, fold: Callable[[Sequence[str]], list[str]], extra_weight: float = 1.0) -> None:
        self.spec = spec
        self.fold = fold
        self.extra_weight = extra_weight  # weight of the templated extra rows (claims, evasion set)

    def fit(self, rows: Sequence[Row]) -> TextModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        texts = [r.text for r in rows]
        labels = [int(r.violation) for r in rows]
        weights = [self.extra_weight if r.source in ("claims", "evasion_eval") else 1.0 for r in rows]
        if self.spec.window == "clause" or self.spec.negatives:
            # The clauses of clean rows are clean too; a violation's clauses are not all violations.
            for r, w in zip(rows, list(weights), strict=True):
                if not r.violation:
                    extra = [c for c in clauses(r.text) if c != r.text]
                    texts.extend(extra)
                    labels.extend([0] * len(extra))
                    weights.extend([w] * len(extra))
        self.vectorizer = TfidfVectorizer(
            analyzer="char", ngram_range=self.spec.ngram, sublinear_tf=True, dtype=np.float32
        )
        x = self.vectorizer.fit_transform(self.fold(texts))
        if self.spec.model == "lr":
            self.estimator = LogisticRegression(C=self.spec.c, max_iter=3000, class_weight="balanced")
        else:
            self.estimator = LinearSVC(C=self.spec.c, class_weight="balanced", max_iter=20000)
        self.estimator.fit(x, labels, sample_weight=np.array(weights))
        return self

    def score(self, texts: Sequence[str]) -> np.ndarray:
        if self.spec.window == "whole":
            return self._decide(list(texts))
        cut = {"clause": windows, "sentence": sentence_windows, "short-whole": short_whole}[self.spec.window]
        owners, pieces = [], []
        for i, t in enumerate(texts):
            for w in cut(t):
                owners.append(i)
                pieces.append(w)
        out = np.full(len(texts), NEVER)
        if pieces:
            np.maximum.at(out, np.array(owners, dtype=np.int64), self._decide(pieces))
        return out

    def _decide(self, texts: list[str]) -> np.ndarray:
        x = self.vectorizer.transform(self.fold(texts))
        if self.spec.model == "lr":
            return self.estimator.predict_proba(x)[:, 1]
        return self.estimator.decision_function(x)


def auc(scores: np.ndarray, positive: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(positive, scores))


def threshold_or(scores: np.ndarray, positive: np.ndarray, rules_pass: np.ndarray, budget: float) -> float:
    """Lowest t with (clean rows the rules pass and p ≥ t) / clean rows ≤ budget."""
    clean = ~positive
    candidates = np.sort(scores[clean & rules_pass])[::-1]
    allowed = int(np.floor(budget * clean.sum()))
    # Flagging strictly above the (allowed+1)-th highest clean score keeps at most `allowed` clean rows.
    if allowed >= candidates.size:
        return float(candidates[-1]) if candidates.size else -np.inf
    return float(np.nextafter(candidates[allowed], np.inf))


def threshold_veto(scores: np.ndarray, positive: np.ndarray, rules_review: np.ndarray, budget: float) -> float:
    """Highest v with (violations the rules review and p ≤ v) / violations ≤ budget."""
    candidates = np.sort(scores[positive & rules_review])
    allowed = int(np.floor(budget * positive.sum()))
    if allowed >= candidates.size:
        return float(candidates[-1]) if candidates.size else -np.inf
    return float(np.nextafter(candidates[allowed], -np.inf))


def combine(verdicts: Sequence[str], scores: np.ndarray, t_or: float | None, t_veto: float | None) -> list[str]:
    out = []
    for v, p in zip(verdicts, scores, strict=True):
        if t_or is not None and v == "pass" and p >= t_or:
            v = "review"
        elif t_veto is not None and v == "review" and p <= t_veto:
            v = "pass"
        out.append(v)
    return out


def figures(rows: Sequence[Row], verdicts: Sequence[str]) -> tuple[float, float, float]:
    """(recall, FPR, block-only recall over gold-block rows)."""
    viol = [v for r, v in zip(rows, verdicts, strict=True) if r.violation]
    clean = [v for r, v in zip(rows, verdicts, strict=True) if not r.violation]
    block = [v for r, v in zip(rows, verdicts, strict=True) if r.gold == "block"]
    return (
        sum(v != "pass" for v in viol) / max(len(viol), 1),
        sum(v != "pass" for v in clean) / max(len(clean), 1),
        sum(v == "block" for v in block) / max(len(block), 1),
    )


def fpr(verdicts: Sequence[str]) -> float:
    return sum(v != "pass" for v in verdicts) / max(len(verdicts), 1)


# 0: the outside sets alone; otherwise the extra rows (claims, evasion set) join at this sample weight.
EXTRA_WEIGHTS = (0.0, 0.2, 1.0)

SPECS = (
    Spec("lr 1-3 whole", "lr", (1, 3), "whole", 4.0),
    Spec("lr 1-4 whole", "lr", (1, 4), "whole", 4.0),
    Spec("lr 1-4 clause", "lr", (1, 4), "clause", 4.0),
    Spec("lr 1-3 clause", "lr", (1, 3), "clause", 4.0),
    Spec("svm 1-4 whole", "svm", (1, 4), "whole", 0.5),
    Spec("svm 1-4 clause", "svm", (1, 4), "clause", 0.5),
    Spec("lr 2-4 clause C=16", "lr", (2, 4), "clause", 16.0),
    Spec("svm 1-3 whole", "svm", (1, 3), "whole", 0.5),
    Spec("lr 1-3 whole C=2", "lr", (1, 3), "whole", 2.0),
    Spec("lr 1-3 sentence", "lr", (1, 3), "sentence", 4.0),
    Spec("lr 1-3 sentence C=2", "lr", (1, 3), "sentence", 2.0),
    Spec("svm 1-3 sentence", "svm", (1, 3), "sentence", 0.5),
    Spec("svm 1-3 short-whole", "svm", (1, 3), "short-whole", 0.5),
    Spec("svm 1-3 short-whole +neg", "svm", (1, 3), "short-whole", 0.5, negatives=True),
    Spec("lr 1-3 short-whole +neg", "lr", (1, 3), "short-whole", 4.0, negatives=True),
)


def out_of_fold(
    spec: Spec, fold: Callable[[Sequence[str]], list[str]], train: list[Row], extra: list[Row], weight: float
) -> np.ndarray:
    """Scores of each training row by a model fitted without its set (plus the extra rows, always in)."""
    scores = np.zeros(len(train))
    for name in sorted({r.source for r in train}):
        inside = np.array([r.source == name for r in train])
        fitted = TextModel(spec, fold, weight).fit([r for r, i in zip(train, inside, strict=True) if not i] + extra)
        scores[inside] = fitted.score([r.text for r, i in zip(train, inside, strict=True) if i])
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--or-budget", type=float, default=0.01)
    parser.add_argument("--veto-budget", type=float, default=0.01)
    parser.add_argument("--quick", action="store_true", help="first two model specs only")
    parser.add_argument("--only", nargs="*", default=None, help="model specs by name (default: all)")
    parser.add_argument("--no-loso", action="store_true", help="skip the leave-one-set-out table")
    args = parser.parse_args()

    normalizer = Normalizer()
    fold = normalizer.fold_many
    # The rules (library, context, claim classifier) without the shipped window classifier, which has seen heldout4.
    reviewer = ComplianceReviewer().with_window(None)
    train = [r for name in TRAIN_SETS for r in load_set(name)]
    test = load_set(TEST_SET)
    extra_rows, clean_claims, clean_evasion = load_extra()

    def rules(rows: Sequence[Row]) -> list[str]:
        return [v.verdict.value for v in reviewer.review_many([r.text for r in rows])]

    rules_train, rules_test = rules(train), rules(test)
    rules_claims, rules_evasion = rules(clean_claims), rules(clean_evasion)
    positive = np.array([r.violation for r in train])
    r_pass = np.array([v == "pass" for v in rules_train])
    r_review = np.array([v == "review" for v in rules_train])
    rec, fp, blk = figures(test, rules_test)
    print(f"train rows {len(train)} (+{len(extra_rows)} extra), test {TEST_SET} {len(test)} rows")
    print(f"rules on training sets (fitted on them): {figures(train, rules_train)}")
    header = (
        f"{'model':<22} {'extra':<6} {'oof AUC':>7} {'h4 AUC':>7} {'t_or':>7} {'t_veto':>7} | "
        f"{'combination':<10} {'recall':>6} {'FPR':>6} {'block':>6} {'evasFPR':>7} {'claimFPR':>8}"
    )
    print(header)
    print(
        f"{'rules alone':<22} {'':<6} {'':>7} {'':>7} {'':>7} {'':>7} | {'rules':<10} {rec:6.3f} {fp:6.3f} {blk:6.3f}"
        f" {fpr(rules_evasion):7.4f} {fpr(rules_claims):8.4f}"
    )
    specs: tuple[Spec, ...] = SPECS[:2] if args.quick else SPECS
    if args.only:
        specs = tuple(s for s in SPECS if s.name in args.only)
    for spec in specs:
        for weight in EXTRA_WEIGHTS:
            extra = extra_rows if weight else []
            tag = f"+x{weight:g}" if weight else ""
            oof = out_of_fold(spec, fold, train, extra, weight)
            t_or = threshold_or(oof, positive, r_pass, args.or_budget)
            t_veto = threshold_veto(oof, positive, r_review, args.veto_budget)
            model = TextModel(spec, fold, weight).fit(train + extra)
            s_test = model.score([r.text for r in test])
            s_claims = model.score([r.text for r in clean_claims])
            s_evasion = model.score([r.text for r in clean_evasion])
            h4_auc = auc(s_test, np.array([r.violation for r in test]))
            for label, a, b in (("or", t_or, None), ("veto", None, t_veto), ("or+veto", t_or, t_veto)):
                rec, fp, blk = figures(test, combine(rules_test, s_test, a, b))
                print(
                    f"{spec.name:<22} {tag:<6} {auc(oof, positive):7.3f} {h4_auc:7.3f}"
                    f" {t_or:7.3f} {t_veto:7.3f} | {label:<10} {rec:6.3f} {fp:6.3f} {blk:6.3f}"
                    f" {fpr(combine(rules_evasion, s_evasion, a, b)):7.4f}"
                    f" {fpr(combine(rules_claims, s_claims, a, b)):8.4f}"
                )
            # The classifier alone at the OR threshold: what it would catch without the rules.
            alone = ["review" if p >= t_or else "pass" for p in s_test]
            rec, fp, _ = figures(test, alone)
            print(f"{'':<22} {'':<6} {'':>7} {'':>7} {'':>7} {'':>7} | {'clf alone':<10} {rec:6.3f} {fp:6.3f}")

    # The shipped spec (engine/window_classifier.py) at other false-positive budgets: how much the budget, fixed at
    # 0.01 before heldout4 was scored, matters. Reported, not chosen on.
    shipped = next(s for s in SPECS if s.name == SHIPPED)
    oof = out_of_fold(shipped, fold, train, extra_rows, SHIPPED_WEIGHT)
    model = TextModel(shipped, fold, SHIPPED_WEIGHT).fit(train + extra_rows)
    s_test = model.score([r.text for r in test])
    s_claims = model.score([r.text for r in clean_claims])
    print(f"\nshipped spec ({SHIPPED}, extra weight {SHIPPED_WEIGHT:g}): rules OR classifier at other budgets")
    print(f"{'budget':>6} {'t_or':>7} {'recall':>6} {'FPR':>6} {'block':>6} {'claimFPR':>8}")
    for budget in (0.005, 0.01, 0.02, 0.03):
        t = threshold_or(oof, positive, r_pass, budget)
        rec, fp, blk = figures(test, combine(rules_test, s_test, t, None))
        claim_fpr = fpr(combine(rules_claims, s_claims, t, None))
        print(f"{budget:6.3f} {t:7.3f} {rec:6.3f} {fp:6.3f} {blk:6.3f} {claim_fpr:8.4f}")
    if args.no_loso:
        return
    print("\nleave one set out, classifier alone (threshold: out-of-fold on the other sets at FPR ≤ 0.03)")
    every = train + test
    print(f"{'model':<22} {'extra':<6} {'test set':<18} {'AUC':>6} {'recall':>6} {'FPR':>6} {'rec@FPR.10':>10}")
    for spec in specs:
        for weight in EXTRA_WEIGHTS:
            extra = extra_rows if weight else []
            tag = f"+x{weight:g}" if weight else ""
            for held in LOSO_SETS:
                rest = [r for r in every if r.source != held]
                target = [r for r in every if r.source == held]
                oof = out_of_fold(spec, fold, rest, extra, weight)
                rest_pos = np.array([r.violation for r in rest])
                t = threshold_or(oof, rest_pos, np.ones(len(rest), dtype=bool), 0.03)
                scores = TextModel(spec, fold, weight).fit(rest + extra).score([r.text for r in target])
                tpos = np.array([r.violation for r in target])
                flagged = scores >= t
                clean_sorted = np.sort(scores[~tpos])[::-1]
                t10 = clean_sorted[int(0.10 * clean_sorted.size)]
                print(
                    f"{spec.name:<22} {tag:<6} {held:<18} {auc(scores, tpos):6.3f}"
                    f" {flagged[tpos].mean():6.3f} {flagged[~tpos].mean():6.3f} {(scores[tpos] > t10).mean():10.3f}"
                )


if __name__ == "__main__":
    main()
