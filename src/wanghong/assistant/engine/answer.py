"""Grounded answers to viewers' questions from a product's facts only.

1. **Retrieve** the facts closest to the question (:mod:`retrieval`, bigram BM25 + sentence embeddings).
2. **Match the question type**: a question about a slot (price, net content, size, shipping, …, see :mod:`slots`)
   is answered only from clauses that state that slot; a question about no known slot needs the best fact to
   cover the question's words or meaning (calibrated thresholds, :class:`Thresholds`). Otherwise: abstain.
3. **Compose** the answer from the supporting clauses, verbatim (or let a :class:`Composer`, e.g. an LLM,
   draft it from those facts).
4. **Check** the draft whatever composed it: every number it states must appear in a cited fact, and it must
   pass the compliance checker (with lawful rewrites tried once) — or the assistant abstains.
5. **Label** it: the explicit AI notice at the start of the text, and the label in the result.

An abstention hands the question over to the host; it cites no fact.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import numpy as np

from wanghong.assistant.engine.dense import Encoder
from wanghong.assistant.engine.labels import LABEL, with_explicit_label
from wanghong.assistant.engine.retrieval import HybridRetriever, Passage, Scores, Weights
from wanghong.assistant.engine.rewrites import Checker, Rewrite, make_lawful
from wanghong.assistant.engine.slots import SLOTS, Slot, about_the_room, asked_slots, states, strength
from wanghong.assistant.engine.text import char_bigrams, fold, numbers_in

HANDOVER = "这个问题请主播为您解答，请稍等。/ The host will answer this question shortly."

# Product cards are short: jieba adds little over bigrams and costs a second to load, so facts use bigrams + dense.
FACT_WEIGHTS = Weights(bigram=1.0, words=0.0, dense=1.0)

# Words that carry the asking, not the subject: "请问主播这个可以吗" covers nothing about the product.
_FILLER = re.compile(
    r"请问|主播|小姐姐|小哥哥|老师|宝宝们|家人们|你好|您好|这个|那个|这款|那款|这件|一下|有没有|是不是|能不能|可不可以|"
    r"可以|能否|怎么样|咋样|如何|什么|啥|吗|呢|吧|啊|呀|哦|嘛|么|的|了|我|你|想|问|下|还|也|都|就|是|有|在"
)
_FACTS_PER_SLOT = 2
_CLAUSE = re.compile(r"[^，,。；;！!？?\n]+[，,。；;！!？?\n]?")


class Reason(StrEnum):
    ANSWERED = "answered"
    NO_FACT = "no_fact"  # no fact states what was asked
    UNGROUNDED_NUMBER = "ungrounded_number"  # a draft stated a number no cited fact holds
    NOT_COMPLIANT = "not_compliant"  # still flagged after the lawful rewrite
    EMPTY_QUESTION = "empty_question"
    WHICH_PRODUCT = "which_product"  # in a live room of several products, more than one answers: the host says which


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Support for a question that names no slot (or whose slot a fact states only weakly).

    Chosen on the even-numbered products of the product QA set (tests/assistant/qaset.py) and checked on the
    odd ones: there, the questions no card answers reach coverage 0.0 and cosine ≤ 0.27, the answerable
    free-form ones cosine 0.23-0.58 with coverage 0.0-0.75; a grid search keeps every unanswerable one out at
    (0.7, 0.45, 0.3, 0.2). We keep a margin above the unanswerable ones' cosine, since a real audience asks
    subtler off-card questions than the set.
    """

    coverage: float = 0.6  # idf-weighted share of the question's content bigrams found in the fact
    dense: float = 0.55  # cosine of the question to the fact's best sentence
    dense_with_overlap: float = 0.33  # a lower cosine suffices when the fact also shares real words
    overlap: float = 0.2


@dataclass(frozen=True, slots=True)
class Draft:
    text: str
    fact_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the composer may use: the question, its slots, and the supporting facts with their clauses."""

    question: str
    slots: tuple[Slot, ...]
    facts: tuple[Passage, ...]
    clauses: tuple[tuple[str, ...], ...]  # per fact, the clauses that answer (all of them for a slot-less question)


class Composer(Protocol):
    def compose(self, evidence: Evidence) -> Draft | None: ...


@dataclass(frozen=True, slots=True)
class Answer:
    answer: str
    fact_ids: tuple[str, ...]
    abstained: bool
    reason: Reason
    slots: tuple[str, ...] = ()
    rewrites: tuple[Rewrite, ...] = field(default=())
    label: str = LABEL

    def to_json(self) -> dict[str, object]:
        """The CLI contract: {"answer", "fact_ids", "abstained", "label"}."""
        return {
            "answer": self.answer,
            "fact_ids": list(self.fact_ids),
            "abstained": self.abstained,
            "label": self.label,
        }


class TemplateComposer:
    """The offline default: the supporting clauses themselves, joined; nothing is paraphrased or invented."""

    def compose(self, evidence: Evidence) -> Draft | None:
        parts = ["，".join(c.rstrip("，,。；;！!？?\n") for c in clauses) for clauses in evidence.clauses if clauses]
        if not parts:
            return None
        return Draft("；".join(parts) + "。", tuple(f.id for f in evidence.facts))


def ungrounded_numbers(text: str, cited: Sequence[str]) -> set[str]:
    """Numbers the text states that no cited text holds."""
    allowed: set[str] = set()
    for fact in cited:
        allowed |= numbers_in(fact)
    return numbers_in(text) - allowed


class GroundedAnswerer:
    """Index one product's facts (or a shop's); answer any number of questions from them."""

    def __init__(
        self,
        facts: Sequence[Passage],
        encoder: Encoder | None,
        checker: Checker | None,
        *,
        composer: Composer | None = None,
        thresholds: Thresholds = Thresholds(),
    ) -> None:
        self.facts = list(facts)
        self.checker = checker
        self.fallback = TemplateComposer()
        self.composer: Composer = composer or self.fallback
        self.thresholds = thresholds
        self.encoder = encoder
        self.retriever = HybridRetriever(self.facts, encoder, weights=FACT_WEIGHTS, use_words=False)
        self.clauses = [tuple(m.group().strip() for m in _CLAUSE.finditer(f.text) if m.group().strip()) for f in facts]
        self._fact_bigrams = [set(char_bigrams(f.text)) for f in facts]

    def answer(self, question: str) -> Answer:
        return self.answer_many([question])[0]

    def answer_many(self, questions: Sequence[str]) -> list[Answer]:
        live = [q for q in questions if q.strip()]
        scores = self.retriever.scores(live) if live and self.facts else None
        answers: list[Answer] = []
        row = 0
        for question in questions:
            if not question.strip():
                answers.append(_abstain(Reason.EMPTY_QUESTION))
                continue
            answers.append(self._answer_one(question, scores, row) if scores is not None else _abstain(Reason.NO_FACT))
            row += 1
        return answers

    def _answer_one(self, question: str, scores: Scores, row: int) -> Answer:
        fused = scores.fused[row]
        order = np.lexsort((np.arange(len(fused)), -fused))
        slots = tuple(asked_slots(question))
        if about_the_room(question):
            return _abstain(Reason.NO_FACT, slots)
        evidence = (
            self._slot_evidence(question, slots, order, lambda fact: self._supported(question, scores, row, fact))
            if slots
            else self._open_evidence(question, scores, row)
        )
        if evidence is None:
            return _abstain(Reason.NO_FACT, slots)
        return self._checked(evidence)

    def _slot_evidence(
        self, question: str, slots: tuple[Slot, ...], order: np.ndarray, supported: Callable[[int], bool]
    ) -> Evidence | None:
        """Per asked slot, the fact that states it most clearly (ties: the better retrieved), and its clauses
        that state it, each followed by the clauses after it that state no other slot ("首次使用请先充满电，
        长按电源键三秒开机": the second clause is the instruction). A fact that states the slot only weakly
        must also be close to the question, as for a question of no known type."""
        rank = {int(index): position for position, index in enumerate(order)}
        chosen: dict[int, set[int]] = {}
        answered: list[Slot] = []
        for slot in slots:
            candidates: list[tuple[int, bool, int, int]] = []  # (-strength, mixed, rank, fact)
            for index in order:
                clauses = self.clauses[index]
                level = max((strength(slot, c) for c in clauses), default=0)
                if level == 0 and states(slot, self.facts[index].text):
                    level = 1  # the evidence spans a clause boundary
                if level:
                    # "送同款小样2支" states a quantity, but it is a gift: a clause about this slot alone ranks first.
                    pure = any(strength(slot, c) == 2 and not self._states_another(slot, c) for c in clauses)
                    candidates.append((-level, not pure, rank[int(index)], int(index)))
            candidates.sort()
            if not candidates or (candidates[0][0] == -1 and not supported(candidates[0][3])):
                continue
            answered.append(slot)
            first = candidates[0][3]
            chosen.setdefault(first, set()).update(self._clauses_for(slot, first))
            # A second fact about this slot alone is said too ("3C认证" and "质检合格"); more would be a list.
            for level, mixed, _rank, fact in candidates[1:_FACTS_PER_SLOT]:
                if level == -2 and not mixed:
                    chosen.setdefault(fact, set()).update(self._clauses_for(slot, fact))
        if not chosen:
            return None
        picked = list(chosen)
        return Evidence(
            question,
            tuple(answered),
            tuple(self.facts[i] for i in picked),
            tuple(tuple(self.clauses[i][j] for j in sorted(chosen[i])) for i in picked),
        )

    @staticmethod
    def _states_another(slot: Slot, clause: str) -> bool:
        return any(strength(other, clause) == 2 for other in SLOTS if other is not slot)

    def _clauses_for(self, slot: Slot, fact: int) -> list[int]:
        clauses = self.clauses[fact]
        stating = [j for j, c in enumerate(clauses) if states(slot, c)]
        if not stating:
            return list(range(len(clauses)))
        keep: list[int] = []
        for j in stating:
            keep.append(j)
            follow = j + 1
            while (
                follow < len(clauses)
                and follow not in stating
                and not any(states(other, clauses[follow]) for other in SLOTS if other is not slot)
            ):
                keep.append(follow)
                follow += 1
        return sorted(set(keep))

    def _open_evidence(self, question: str, scores: Scores, row: int) -> Evidence | None:
        """A question of no known type: the top fact, if it covers the question well enough."""
        best = int(np.argmax(scores.fused[row]))
        if not self._supported(question, scores, row, best):
            return None
        return Evidence(question, (), (self.facts[best],), (self._best_sentence(question, best),))

    def _supported(self, question: str, scores: Scores, row: int, fact: int) -> bool:
        coverage = self._coverage(question, fact)
        dense = float(scores.dense[row, fact]) if scores.dense is not None else 0.0
        t = self.thresholds
        return coverage >= t.coverage or dense >= t.dense or (dense >= t.dense_with_overlap and coverage >= t.overlap)

    def support(self, question: str) -> tuple[float, float]:
        """(coverage, dense cosine) of the question's best fact: what :class:`Thresholds` are calibrated on."""
        scores = self.retriever.scores([question])
        best = int(np.argmax(scores.fused[0]))
        dense = float(scores.dense[0, best]) if scores.dense is not None else 0.0
        return self._coverage(question, best), dense

    def _coverage(self, question: str, fact: int) -> float:
        content = [t for t in char_bigrams(_FILLER.sub(" ", fold(question)))]
        if not content:
            return 0.0
        index = self.retriever.bigram
        ceiling = float(index.idf.max()) if len(index.idf) else 1.0
        weights = [float(index.idf[index.vocabulary[t]]) if t in index.vocabulary else ceiling for t in content]
        found = sum(w for t, w in zip(content, weights, strict=True) if t in self._fact_bigrams[fact])
        return found / sum(weights)

    def _best_sentence(self, question: str, fact: int) -> tuple[str, ...]:
        clauses = self.clauses[fact]
        if len(clauses) <= 2:
            return clauses
        wanted = set(char_bigrams(_FILLER.sub(" ", fold(question))))
        overlap = [len(wanted & set(char_bigrams(c))) for c in clauses]
        if max(overlap) == 0:
            return clauses
        best = int(np.argmax(overlap))
        return clauses[max(best - 1, 0) : best + 2]  # the clause with its neighbours, which usually carry its subject

    def _checked(self, evidence: Evidence) -> Answer:
        draft = self.composer.compose(evidence)
        if self.composer is not self.fallback and (draft is None or not self._grounded(draft, evidence)):
            draft = self.fallback.compose(evidence)  # no draft, or one that strays from its facts: not sent
        if draft is None:
            return _abstain(Reason.NO_FACT, tuple(s.name for s in evidence.slots))
        slot_names = tuple(s.name for s in evidence.slots)
        if not self._grounded(draft, evidence):
            return _abstain(Reason.UNGROUNDED_NUMBER, slot_names)
        text, rewrites = draft.text, list[Rewrite]()
        if self.checker is not None:
            lawful, rewrites = make_lawful(draft.text, self.checker)
            if lawful is None:
                return _abstain(Reason.NOT_COMPLIANT, slot_names)
            if ungrounded_numbers(lawful, [f.text for f in evidence.facts]):
                return _abstain(Reason.UNGROUNDED_NUMBER, slot_names)
            text = lawful
        return Answer(with_explicit_label(text), draft.fact_ids, False, Reason.ANSWERED, slot_names, tuple(rewrites))

    @staticmethod
    def _grounded(draft: Draft, evidence: Evidence) -> bool:
        known = {f.id: f.text for f in evidence.facts}
        if not draft.fact_ids or any(i not in known for i in draft.fact_ids):
            return False
        return not ungrounded_numbers(draft.text, [known[i] for i in draft.fact_ids])


def _abstain(reason: Reason, slots: tuple[Slot, ...] | tuple[str, ...] = ()) -> Answer:
    names = tuple(s if isinstance(s, str) else s.name for s in slots)
    return Answer(with_explicit_label(HANDOVER), (), True, reason, names)
