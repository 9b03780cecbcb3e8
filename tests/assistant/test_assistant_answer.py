from __future__ import annotations

import pytest

from wanghong.assistant.compliance_gate import ComplianceGate
from wanghong.assistant.engine.answer import Draft, Evidence, GroundedAnswerer, Reason, ungrounded_numbers
from wanghong.assistant.engine.dense import UniversalSentenceEncoder
from wanghong.assistant.engine.labels import LABEL, is_labelled
from wanghong.assistant.engine.retrieval import Passage
from wanghong.assistant.engine.text import numbers_in

CARD = [
    Passage("p1", "【水光面霜】直播间到手价129元，日常价199元。"),
    Passage("p2", "【水光面霜】净含量50克。"),
    Passage("p3", "【水光面霜】付款后48小时内发货，全国包邮。"),
    Passage("p4", "【水光面霜】支持七天无理由退货，未拆封可退。"),
    Passage("p5", "【水光面霜】可以和其他护肤品叠加使用，建议先用精华再用面霜。"),
]


@pytest.fixture(scope="module")
def answerer(encoder: UniversalSentenceEncoder, gate: ComplianceGate) -> GroundedAnswerer:
    return GroundedAnswerer(CARD, encoder, gate)


@pytest.mark.parametrize(
    ("question", "fact", "value"),
    [
        ("这个要多少米", "p1", "129元"),
        ("一瓶装了多少", "p2", "50克"),
        ("啥时候能寄出来", "p3", "48小时内发货"),
        ("不喜欢能退回吗", "p4", "七天无理由退货"),
        ("能跟别的护肤品一块儿用不", "p5", "叠加使用"),
    ],
)
def test_answers_from_the_fact_that_states_it_and_cites_it(
    answerer: GroundedAnswerer, question: str, fact: str, value: str
) -> None:
    answer = answerer.answer(question)
    assert not answer.abstained, answer
    assert answer.fact_ids == (fact,)
    assert value in answer.answer
    assert is_labelled(answer.answer) and answer.label == LABEL


def test_two_slots_in_one_question_cite_both_facts(answerer: GroundedAnswerer) -> None:
    answer = answerer.answer("多少钱，包邮吗")
    assert set(answer.fact_ids) == {"p1", "p3"}
    assert "129元" in answer.answer and "包邮" in answer.answer


@pytest.mark.parametrize("question", ["有保修吗", "保质期多久", "主播多高", "明天还播吗", "你们公司在哪个城市", "   "])
def test_abstains_without_a_supporting_fact(answerer: GroundedAnswerer, question: str) -> None:
    answer = answerer.answer(question)
    assert answer.abstained and answer.fact_ids == ()
    assert is_labelled(answer.answer)  # the hand-over notice is generated text too


def test_no_answer_states_a_number_missing_from_its_facts(answerer: GroundedAnswerer) -> None:
    questions = ["多少钱", "多重", "几天发货", "能退吗", "包邮吗", "叠加使用可以吗", "七天能退吗", "一百块能买吗"]
    for answer in answerer.answer_many(questions):
        if answer.abstained:
            continue
        cited = [f.text for f in CARD if f.id in answer.fact_ids]
        assert numbers_in(answer.answer) <= set().union(*(numbers_in(t) for t in cited)), answer


class Inventing:
    """A composer that states a number no fact holds: what a careless LLM does."""

    def compose(self, evidence: Evidence) -> Draft | None:
        return Draft(f"现在下单只要99元！{evidence.facts[0].text}", (evidence.facts[0].id,))


class CitingStrangers:
    def compose(self, evidence: Evidence) -> Draft | None:
        return Draft("直播间到手价129元。", ("not-a-fact",))


@pytest.mark.parametrize("composer", [Inventing(), CitingStrangers()])
def test_a_draft_that_strays_from_its_facts_is_replaced_by_the_grounded_one(
    encoder: UniversalSentenceEncoder, gate: ComplianceGate, composer: Inventing | CitingStrangers
) -> None:
    answer = GroundedAnswerer(CARD, encoder, gate, composer=composer).answer("多少钱")
    assert not answer.abstained
    assert "99" not in numbers_in(answer.answer) and "129元" in answer.answer
    assert answer.fact_ids == ("p1",)


def test_ungrounded_numbers_compares_canonical_forms() -> None:
    assert ungrounded_numbers("到手价一百二十九元", ["到手价129元"]) == set()
    assert ungrounded_numbers("到手价99元", ["到手价129元"]) == {"99"}


def test_unlawful_fact_wording_is_rewritten_before_it_is_said(
    encoder: UniversalSentenceEncoder, gate: ComplianceGate
) -> None:
    card = [Passage("a", "这款面霜是全网最好的面霜，直播间价格129元。"), Passage("b", "保证三天祛斑，全国包邮。")]
    answerer = GroundedAnswerer(card, encoder, gate)
    price = answerer.answer("多少钱")
    assert not price.abstained and "129元" in price.answer
    assert gate.flags([price.answer])[0] == []
    shipping = answerer.answer("包邮吗")
    assert "祛斑" not in shipping.answer and gate.flags([shipping.answer])[0] == []


def test_an_answer_that_no_rewrite_makes_lawful_is_handed_over(
    encoder: UniversalSentenceEncoder, gate: ComplianceGate
) -> None:
    answer = GroundedAnswerer([Passage("a", "包治百病，根治糖尿病。")], encoder, gate).answer(
        "有什么功效，能治糖尿病吗"
    )
    assert answer.abstained and answer.reason in {Reason.NOT_COMPLIANT, Reason.NO_FACT}


def test_no_facts_means_no_answer(encoder: UniversalSentenceEncoder, gate: ComplianceGate) -> None:
    answer = GroundedAnswerer([], encoder, gate).answer("多少钱")
    assert answer.abstained and answer.to_json() == {
        "answer": answer.answer,
        "fact_ids": [],
        "abstained": True,
        "label": LABEL,
    }


def test_traditional_and_english_questions_find_their_slot(answerer: GroundedAnswerer) -> None:
    assert answerer.answer("這個多少錢").fact_ids == ("p1",)
    assert answerer.answer("How much is it?").fact_ids == ("p1",)
    assert answerer.answer("運費要另外付嗎").fact_ids == ("p3",)


def test_a_clause_about_the_slot_alone_wins_over_one_that_mentions_it_in_passing(
    encoder: UniversalSentenceEncoder, gate: ComplianceGate
) -> None:
    card = [Passage("f1", "面霜净含量50克，直播间价格129元。"), Passage("f7", "前100名下单送同款小样2支。")]
    answerer = GroundedAnswerer(card, encoder, gate)
    size = answerer.answer("这个面霜多大容量？")
    assert size.fact_ids == ("f1",) and size.answer.endswith("面霜净含量50克。")  # the price clause is not said
    assert answerer.answer("有赠品吗").fact_ids == ("f7",)
