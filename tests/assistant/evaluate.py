"""Score an answerer on the product QA set (used by the test and by bench/assistant.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from tests.assistant.qaset import Product, Question, build

from wanghong.assistant.engine.answer import Answer, GroundedAnswerer
from wanghong.assistant.engine.retrieval import Passage


@dataclass(frozen=True, slots=True)
class Report:
    questions: int
    unanswerable: int
    answered: int
    correct: int
    abstained_unanswerable: int
    answered_answerable: int
    uncited: int
    latencies_s: tuple[float, ...]
    products: tuple[int, ...]  # which products (by index parity, for tune/check splits) were scored

    @property
    def precision(self) -> float:
        return self.correct / max(self.answered, 1)

    @property
    def abstention(self) -> float:
        return self.abstained_unanswerable / max(self.unanswerable, 1)

    @property
    def coverage(self) -> float:
        return self.answered_answerable / max(self.questions - self.unanswerable, 1)

    @property
    def p95_ms(self) -> float:
        return float(np.percentile(self.latencies_s, 95)) * 1000


def is_correct(question: Question, answer: Answer) -> bool:
    return (
        question.gold_fact is not None
        and question.gold_fact in answer.fact_ids
        and question.gold_value is not None
        and question.gold_value in answer.answer
    )


def evaluate(build_answerer: Callable[[list[Passage]], GroundedAnswerer], parity: int | None = None) -> Report:
    products, questions = build()
    chosen: list[Product] = [p for i, p in enumerate(products) if parity is None or i % 2 == parity]
    answered = correct = abstained_unanswerable = answered_answerable = uncited = unanswerable = asked = 0
    latencies: list[float] = []
    for product in chosen:
        answerer = build_answerer([Passage(f["id"], f["text"]) for f in product.facts])
        for question in (q for q in questions if q.product == product.id):
            asked += 1
            start = time.perf_counter()
            answer = answerer.answer(question.text)
            latencies.append(time.perf_counter() - start)
            unanswerable += question.gold_fact is None
            if answer.abstained:
                abstained_unanswerable += question.gold_fact is None
                continue
            answered += 1
            uncited += not answer.fact_ids
            answered_answerable += question.gold_fact is not None
            correct += is_correct(question, answer)
    return Report(
        asked,
        unanswerable,
        answered,
        correct,
        abstained_unanswerable,
        answered_answerable,
        uncited,
        tuple(latencies),
        (parity,) if parity is not None else (0, 1),
    )
