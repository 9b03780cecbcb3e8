"""The assistant over the API (issue 19, deliver 1–4): a brand states its product's facts (versioned), live
questions are answered from them alone with their ids cited, and scripts come out scanned and labelled."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.fixtures.world import World

from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database

FACTS = {
    "shelf-life": "保质期 24 个月，开封后请在 6 个月内用完。",
    "shipping": "下单后 48 小时内从杭州仓发货，默认中通快递，偏远地区除外。",
    "returns": "支持 7 天无理由退货，商品未拆封即可申请。",
    "volume": "净含量 50 毫升。",
}


def test_a_brand_states_facts_and_the_assistant_answers_from_them_only(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    product = world["productA"]
    base = f"/api/v1/products/{product}"
    for key, text in FACTS.items():
        put = app_client.put(f"{base}/facts/{key}", json={"text": text}, headers=as_user("brandA"))
        assert put.status_code == 200, put.text
    # Restating a fact is a new version; the same words again add none.
    changed = app_client.put(f"{base}/facts/volume", json={"text": "净含量 60 毫升。"}, headers=as_user("brandA"))
    same = app_client.put(f"{base}/facts/volume", json={"text": "净含量 60 毫升。"}, headers=as_user("brandA"))
    assert changed.json()["version"] == same.json()["version"] == 2
    versions = app_client.get(f"{base}/facts/volume/versions", headers=as_user("brandA")).json()
    assert [(v["version"], v["current"]) for v in versions] == [(1, False), (2, True)]
    assert app_client.put(f"{base}/facts/Bad Key", json={"text": "x"}, headers=as_user("brandA")).status_code == 422
    # Another brand neither reads nor edits them.
    assert app_client.get(f"{base}/facts", headers=as_user("brandB")).status_code == 404
    assert app_client.put(f"{base}/facts/volume", json={"text": "1"}, headers=as_user("brandB")).status_code == 404

    asked = app_client.post(f"{base}/assistant/answers", json={"question": "多久能发货？"}, headers=as_user("brandA"))
    assert asked.status_code == 200, asked.text
    answer = asked.json()
    assert not answer["abstained"] and answer["fact_ids"] == [f"p{product}.shipping.v1"]
    assert "48" in answer["answer"] and "AI" in answer["label"]
    volume = app_client.post(f"{base}/assistant/answers", json={"question": "容量多大"}, headers=as_user("brandA"))
    assert "60" in volume.json()["answer"] and volume.json()["fact_ids"] == [f"p{product}.volume.v2"]
    unknown = app_client.post(
        f"{base}/assistant/answers", json={"question": "主播今天穿的外套是什么牌子？"}, headers=as_user("brandA")
    ).json()
    assert unknown["abstained"] and unknown["fact_ids"] == []

    script = app_client.post(f"{base}/assistant/compositions", json={"kind": "script"}, headers=as_user("brandA"))
    assert script.status_code == 200, script.text
    body = script.json()
    assert body["kind"] == "script" and body["text"].startswith("【AI 生成】") and body["metadata"]
    assert {s["key"] for s in body["sections"]} >= {"opening", "call_to_action"}
    cited = {fact_id for s in body["sections"] for fact_id in s["fact_ids"]}
    assert cited and cited <= {f"p{product}.{key}.v{1 if key != 'volume' else 2}" for key in FACTS}
    # The implicit label's ProduceID leads back to the generated text, its facts and who asked for it.
    with db.transaction() as s:
        kept = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "assistant.compose", AuditEntry.entity_id == str(product))
        ).all()
    (entry,) = [e for e in kept if e.detail["produce_id"] == body["metadata"]["AIGC"]["ProduceID"]]
    assert entry.detail["text"] == body["text"] and set(entry.detail["fact_ids"]) == cited and entry.actor_id

    retired = app_client.delete(f"{base}/facts/shipping", headers=as_user("brandA"))
    assert retired.status_code == 200 and not retired.json()["current"]
    after = app_client.post(f"{base}/assistant/answers", json={"question": "多久能发货？"}, headers=as_user("brandA"))
    assert f"p{product}.shipping.v1" not in after.json()["fact_ids"]


def test_a_product_without_facts_is_a_clear_refusal(app_client: TestClient, world: World, as_user) -> None:
    asked = app_client.post(
        f"/api/v1/products/{world['productB']}/assistant/answers",
        json={"question": "保质期？"},
        headers=as_user("brandB"),
    )
    assert asked.status_code == 422 and "没有事实" in asked.json()["detail"]
