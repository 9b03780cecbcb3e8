"""商品监测: every price change on record (a trigger, whatever wrote it), a raise before a cut found as a fake
discount, speech checked against the listing and the observed prices, findings kept once and sent to a reviewer
past the threshold, who sees what, and the 绿色直播间 evaluation of a room."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text, update
from tests.commerce.racing import race, statuses
from tests.fixtures.world import World

from wanghong.commerce.models import Order, Product
from wanghong.compliance.models import ReviewTask, Violation
from wanghong.domain import ReviewStatus
from wanghong.governance import monitoring
from wanghong.governance.models import MonitoringFinding, PriceObservation
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database

LISTING = "纯棉T恤，夏季百搭\n面料：100%棉\n产地：新疆阿克苏\n"


def _observations(db: Database, product_id: int) -> list[tuple[int, str]]:
    with db.transaction() as s:
        rows = s.execute(
            select(PriceObservation.fen, PriceObservation.channel)
            .where(PriceObservation.product_id == product_id)
            .order_by(PriceObservation.id)
        )
        return [(int(f), c) for f, c in rows]


def _new_product(app_client: TestClient, headers: dict[str, str], price: str, description: str = LISTING) -> int:
    body = {"name": f"T恤 {uuid.uuid4().hex[:6]}", "category": "fashion", "price": price, "description": description}
    made = app_client.post("/api/v1/products", json=body, headers=headers)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def _backdate_last(db: Database, product_id: int, days: float) -> None:
    with db.transaction() as s:
        last = s.scalar(
            select(PriceObservation.id)
            .where(PriceObservation.product_id == product_id)
            .order_by(PriceObservation.id.desc())
            .limit(1)
        )
        s.execute(
            update(PriceObservation)
            .where(PriceObservation.id == last)
            .values(observed_at=utcnow() - timedelta(days=days))
        )


def test_every_price_change_is_on_record_whoever_wrote_it(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    product_id = _new_product(app_client, as_user("brandA"), "99.00")
    assert _observations(db, product_id) == [(9900, "self")]
    changed = app_client.patch(f"/api/v1/products/{product_id}", json={"price": "89.90"}, headers=as_user("brandA"))
    assert changed.status_code == 200, changed.text
    renamed = app_client.patch(f"/api/v1/products/{product_id}", json={"name": "新名字"}, headers=as_user("brandA"))
    assert renamed.status_code == 200
    with db.transaction() as s:  # a bulk load or plain SQL goes past every hook, not past the trigger
        s.execute(text("UPDATE products SET price = 79.5 WHERE id = :id"), {"id": product_id})
    assert _observations(db, product_id) == [(9900, "self"), (8990, "self"), (7950, "self")]


def test_a_raise_just_before_a_cut_is_a_fake_discount(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    brand = as_user("brandA")
    product_id = _new_product(app_client, brand, "99.00")
    _backdate_last(db, product_id, 20)
    with db.transaction() as s:
        s.add(Order(product_id=product_id, amount=Decimal("99.00"), ordered_at=utcnow() - timedelta(days=15)))
        s.execute(update(Product).where(Product.id == product_id).values(price=Decimal("159.00")))
    _backdate_last(db, product_id, 3)
    # 159 → 129 three days after the raise: "原价159" would be fictitious (it last sold at 99).
    cut = app_client.patch(f"/api/v1/products/{product_id}", json={"price": "129.00"}, headers=brand)
    assert cut.status_code == 200, cut.text
    found = app_client.get("/api/v1/governance/monitoring/findings", params={"product_id": product_id}, headers=brand)
    assert found.status_code == 200, found.text
    (finding,) = found.json()["items"]
    assert finding["kind"] == "fake_discount" and finding["severity"] == "high"  # 129 is no lower than 99
    assert "虚构原价" in finding["reason"] and finding["evidence"]["reference_fen"] == 9900
    assert finding["outcome"] == "in_review" and finding["creator_id"] is None
    with db.transaction() as s:
        task = s.get(ReviewTask, finding["review_task_id"])
        assert task is not None and task.subject_type == "product_monitoring" and task.subject_id == product_id
        assert task.status is ReviewStatus.PENDING and "159.00元 → 129.00元" in task.text
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == monitoring.FINDING_DETECT)) is not None
    # Judged again (the batch scan, a write that leaves the price alone): nothing is kept twice.
    again = app_client.post("/api/v1/governance/monitoring/scan", headers=as_user("admin"))
    assert again.status_code == 200 and again.json()["price_cuts"] >= 3
    app_client.patch(f"/api/v1/products/{product_id}", json={"name": "T恤 改名"}, headers=brand)
    assert (
        len(
            app_client.get(
                "/api/v1/governance/monitoring/findings", params={"product_id": product_id}, headers=brand
            ).json()["items"]
        )
        == 1
    )
    # A cut with no raise before it is an honest discount; the other brand sees none of brand A's findings.
    plain = _new_product(app_client, brand, "99.00")
    _backdate_last(db, plain, 20)
    assert app_client.patch(f"/api/v1/products/{plain}", json={"price": "79.00"}, headers=brand).status_code == 200
    with db.transaction() as s:
        assert s.scalar(select(MonitoringFinding.id).where(MonitoringFinding.product_id == plain)) is None
    other = app_client.get(
        "/api/v1/governance/monitoring/findings", params={"product_id": product_id}, headers=as_user("brandB")
    )
    assert other.status_code == 200 and other.json()["items"] == []
    export = app_client.get("/api/v1/governance/export", headers=as_user("regulator")).json()
    assert finding["id"] in {f["id"] for f in export["monitoring_findings"]}
    prices = app_client.get(f"/api/v1/governance/products/{product_id}/prices", headers=as_user("regulator")).json()
    assert [p["fen"] for p in prices["listed"]] == [9900, 15900, 12900] and prices["sold"][0]["fen"] == 9900
    assert (
        app_client.get(f"/api/v1/governance/products/{product_id}/prices", headers=as_user("brandB")).status_code == 404
    )


def test_speech_is_checked_against_the_listing_and_the_prices(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    product_id = _new_product(app_client, as_user("brandA"), "99.00")
    observed = {
        "observations": [
            {
                "external_id": f"tmall-{product_id}",
                "product_id": product_id,
                "channel": "天猫旗舰店",
                "price": "89.00",
                "observed_at": (utcnow() - timedelta(days=1)).isoformat(),
            }
        ]
    }
    stored = app_client.post("/api/v1/governance/price-observations", json=observed, headers=as_user("admin"))
    assert stored.status_code == 200 and stored.json() == {"received": 1, "stored": 1, "duplicates": 0}
    replay = app_client.post("/api/v1/governance/price-observations", json=observed, headers=as_user("admin"))
    assert replay.json() == {"received": 1, "stored": 0, "duplicates": 1}
    said = (utcnow() - timedelta(minutes=5)).isoformat()
    speech = {
        "segments": [
            {"seq": 1, "text": "家人们这件是天丝的，垂感特别好", "said_at": said, "product_id": product_id},
            {"seq": 2, "text": "全网最低价，只有我们直播间有", "said_at": said, "product_id": product_id},
            {"seq": 3, "text": "纯棉的，新疆阿克苏的棉花，放心买", "said_at": said, "product_id": product_id},
        ]
    }
    url = f"/api/v1/governance/livestreams/{world['liveA']}/speech"
    # The host speaks only of products it carries; the ingest account's transcription names any.
    assert app_client.post(url, json=speech, headers=as_user("creatorA1")).status_code == 422
    sent = app_client.post(url, json=speech, headers=as_user("admin"))
    assert sent.status_code == 200, sent.text
    body = sent.json()
    assert body["stored"] == 3 and {(f["kind"], f["claim"]) for f in body["findings"]} == {
        ("listing_mismatch", "天丝"),
        ("price_claim", "全网最低价"),
    }
    assert sent.json()["findings"][0]["creator_id"] == world["creatorA1"]
    retried = app_client.post(url, json=speech, headers=as_user("admin")).json()
    assert retried["stored"] == 0 and retried["duplicates"] == 3 and retried["findings"] == []
    # Two medium findings by one host on one product weigh 4 ≥ 3: one review task, naming the host.
    with db.transaction() as s:
        tasks = set(
            s.scalars(select(MonitoringFinding.review_task_id).where(MonitoringFinding.product_id == product_id))
        )
        assert len(tasks) == 1 and None not in tasks
        task_id = tasks.pop()
        assert s.get(ReviewTask, task_id).creator_id == world["creatorA1"]  # type: ignore[union-attr]
    # The reviewer upholds it: a confirmed violation on the host, and the findings read as confirmed.
    decided = app_client.post(
        f"/api/v1/review-tasks/{task_id}/decision", json={"decision": "uphold"}, headers=as_user("reviewer")
    )
    assert decided.status_code == 200, decided.text
    with db.transaction() as s:
        violation = s.scalar(
            select(Violation).where(Violation.subject_type == "product_monitoring", Violation.subject_id == product_id)
        )
        assert violation is not None and violation.creator_id == world["creatorA1"]
    own = app_client.get("/api/v1/governance/monitoring/findings", headers=as_user("creatorA1")).json()["items"]
    assert {f["outcome"] for f in own if f["product_id"] == product_id} == {"confirmed"}
    assert (
        app_client.get(
            "/api/v1/governance/monitoring/findings", params={"product_id": product_id}, headers=as_user("creatorB1")
        ).json()["items"]
        == []
    )
    # Only the session's creator, its MCN or the ingest account speaks for it.
    assert app_client.post(url, json=speech, headers=as_user("brandA")).status_code == 403
    assert app_client.post(url, json=speech, headers=as_user("creatorB1")).status_code == 404
    bad = {"segments": [{"seq": 9, "text": "x", "said_at": "2026-11-01T12:00:00"}]}  # no time zone
    assert app_client.post(url, json=bad, headers=as_user("creatorA1")).status_code == 422
    own_line = {"segments": [{"seq": 4, "text": "这款面霜是有机的", "said_at": said}]}  # the session's product
    assert app_client.post(url, json=own_line, headers=as_user("creatorA1")).json()["stored"] == 1


def test_the_same_speech_sent_at_once_is_kept_and_escalated_once(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    product_id = _new_product(app_client, as_user("brandA"), "99.00")
    said = (utcnow() - timedelta(minutes=1)).isoformat()
    lines = ("这件是天丝的", "产地是山东的", "全棉的哦")  # fabric and origin contradict the listing; the last agrees
    speech = {
        "segments": [{"seq": i, "text": t, "said_at": said, "product_id": product_id} for i, t in enumerate(lines)]
    }
    url = f"/api/v1/governance/livestreams/{world['liveB']}/speech"
    responses = race(app_client.app, [("POST", url, speech, as_user("admin"))] * 4)
    assert statuses(responses) == [200] * 4, [r.text for r in responses]
    assert sum(r.json()["stored"] for r in responses) == 3
    with db.transaction() as s:
        kinds = s.execute(
            select(MonitoringFinding.kind, MonitoringFinding.review_task_id).where(
                MonitoringFinding.product_id == product_id
            )
        ).all()
        assert sorted(k.value for k, _ in kinds) == ["listing_mismatch", "listing_mismatch"]
        tasks = s.scalar(
            select(func.count())
            .select_from(ReviewTask)
            .where(ReviewTask.subject_type == "product_monitoring", ReviewTask.subject_id == product_id)
        )
        assert tasks == 1 and len({t for _, t in kinds}) == 1


def test_a_room_is_evaluated_against_the_green_room_criteria(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    body = app_client.get("/api/v1/governance/rooms", params={"limit": 200}, headers=as_user("regulator"))
    assert body.status_code == 200, body.text
    rooms = {r["creator_id"]: r for r in body.json()["items"]}
    while body.json()["next_cursor"] and world["creatorA1"] not in rooms:
        params = {"limit": 200, "cursor": body.json()["next_cursor"]}
        body = app_client.get("/api/v1/governance/rooms", params=params, headers=as_user("regulator"))
        rooms |= {r["creator_id"]: r for r in body.json()["items"]}
    room = rooms[world["creatorA1"]]
    met = {c["code"]: c["met"] for c in room["criteria"]}
    # creatorA1 and brand A are verified, an adult host and a cosmetics filing in force for the 美妆 it sells.
    assert met["subject.verified"] and met["subject.no_minor_hosts"] and met["goods.qualifications"]
    assert "subject.licences_displayed" not in met and "service.returns" in room["unmeasured"]
    assert 0 <= room["score"] <= 1 and room["credit_colour"] in ("green", "yellow", "red")
    assert app_client.get("/api/v1/governance/rooms", headers=as_user("brandA")).status_code == 403
