from __future__ import annotations

import hashlib

import pytest
from tests.assistant.qaset import build

from wanghong.assistant.compliance_gate import ComplianceGate
from wanghong.assistant.engine.labels import LABEL, TEXT_MARK, implicit_metadata, is_labelled, with_explicit_label
from wanghong.assistant.engine.retrieval import Passage
from wanghong.assistant.engine.rewrites import Flag, lawful_phrase, rewrite
from wanghong.assistant.engine.scripts import livestream_script, product_copy
from wanghong.assistant.engine.text import numbers_in

UNLAWFUL = [
    Passage("x1", "【水光面霜】全网最低价，效果最好，三天祛斑。"),
    Passage("x2", "【水光面霜】销量第一的国家级配方，加微信领优惠。"),
]


def _cards() -> list[tuple[str, list[Passage]]]:
    products, _ = build()
    return [(p.name, [Passage(f["id"], f["text"]) for f in p.facts] + UNLAWFUL) for p in products]


@pytest.mark.parametrize("compose", [livestream_script, product_copy])
def test_every_composition_is_lawful_labelled_and_grounded(gate: ComplianceGate, compose) -> None:  # type: ignore[no-untyped-def]
    for name, facts in _cards():
        composition = compose(name, facts, gate)
        text = composition.text
        assert gate.flags([text])[0] == [], text
        assert is_labelled(text) and composition.label == LABEL
        assert composition.metadata["AIGC"]["ReservedCode1"] == hashlib.sha256(text.encode()).hexdigest()
        stated = set().union(*(numbers_in(f.text) for f in facts))
        assert numbers_in(text) <= stated
        cited = {i for s in composition.sections for i in s.fact_ids}
        assert cited <= {f.id for f in facts} and cited
        assert composition.rewrites  # the unlawful facts were rewritten, not passed through


def test_script_sections_speak_about_their_facts(gate: ComplianceGate) -> None:
    facts = [
        Passage("price", "直播间到手价129元。"),
        Passage("ship", "48小时内发货，全国包邮。"),
        Passage("size", "净含量50克。"),
        Passage("free", "可以和其他护肤品叠加使用。"),
    ]
    sections = {s.key: s for s in livestream_script("面霜", facts, gate).sections}
    assert sections["opening"].fact_ids == ("free",)
    assert sections["explanation"].fact_ids == ("size",)
    assert sections["call_to_action"].fact_ids == ("price",)
    assert sections["after_sales"].fact_ids == ("ship",)
    assert "129元" in sections["call_to_action"].text


def test_an_unlawful_product_name_is_rewritten(gate: ComplianceGate) -> None:
    composition = product_copy("最强面霜", [Passage("a", "净含量50克。")], gate)
    assert "最强" not in composition.text and gate.flags([composition.text])[0] == []


def test_rewrites_suggest_lawful_phrases_and_drop_unlawful_claims() -> None:
    assert lawful_phrase("最好") == "很好" and lawful_phrase("最受欢迎") == "很受欢迎" and lawful_phrase("国家级") == ""
    text = "效果最好，三天祛斑。"
    lawful, applied = rewrite(text, [Flag(2, 4, "absolute", "最好"), Flag(5, 9, "medical", "三天祛斑")])
    assert lawful == "效果很好。"
    assert [(r.original, r.replacement) for r in applied] == [("最好", "很好"), ("三天祛斑。", "")]


def test_labels() -> None:
    assert with_explicit_label(with_explicit_label("你好")) == f"{TEXT_MARK}你好"
    record = implicit_metadata("你好", produce_id="p1", propagator="wanghong", propagate_id="live-1")["AIGC"]
    assert record["Label"] == "1" and record["ProduceID"] == "p1" and record["PropagateID"] == "live-1"
    assert set(record) == {
        "Label",
        "ContentProducer",
        "ProduceID",
        "ReservedCode1",
        "ContentPropagator",
        "PropagateID",
        "ReservedCode2",
    }
