from __future__ import annotations

import pytest
from tests.assistant.evaluate import evaluate
from tests.assistant.qaset import build

from wanghong.assistant.compliance_gate import ComplianceGate
from wanghong.assistant.engine.answer import GroundedAnswerer
from wanghong.assistant.engine.dense import UniversalSentenceEncoder
from wanghong.assistant.engine.slots import asked_slots
from wanghong.assistant.engine.text import char_bigrams


def test_the_set_is_as_large_and_as_hard_as_promised() -> None:
    products, questions = build()
    assert len(questions) >= 300
    assert sum(q.gold_fact is None for q in questions) / len(questions) >= 0.2
    facts = {f["id"]: f["text"] for p in products for f in p.facts}
    overlaps = []
    for q in questions:
        if q.gold_fact is not None:
            asked, stated = set(char_bigrams(q.text)), set(char_bigrams(facts[q.gold_fact]))
            overlaps.append(len(asked & stated) / max(len(asked), 1))
    assert sum(overlaps) / len(overlaps) < 0.2  # paraphrased: few of a question's bigrams occur in its fact
    assert build() == build()  # deterministic


@pytest.mark.slow
def test_product_qa_goals(encoder: UniversalSentenceEncoder, gate: ComplianceGate) -> None:
    report = evaluate(lambda facts: GroundedAnswerer(facts, encoder, gate))
    assert report.precision >= 0.95, report
    assert report.abstention >= 0.90, report
    assert report.uncited == 0
    assert report.coverage >= 0.85, report  # abstaining on everything would meet the two goals above


def test_slot_cues_cover_the_set_questions_of_every_slot() -> None:
    _, questions = build()
    slotted = [q for q in questions if q.slot not in {"free", "off_card"}]
    assert all(q.slot in {s.name for s in asked_slots(q.text)} for q in slotted if q.gold_fact is not None)
