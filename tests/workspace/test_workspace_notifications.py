"""站内信 (issue 12, item 6): every workflow step notifies the other side, worded in the reader's language."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.fixtures.world import World

URL = "/api/v1/notifications"


def _inbox(client: TestClient, headers: dict[str, str], **params: str) -> dict:  # type: ignore[type-arg]
    response = client.get(URL, params={"limit": "200", **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _about(inbox: dict, collaboration_id: int) -> list[dict]:  # type: ignore[type-arg]
    return [n for n in inbox["items"] if n["collaboration_id"] == collaboration_id]


def test_each_step_notifies_the_other_side(app_client: TestClient, world: World, as_user) -> None:
    proposal = {
        "campaign_id": world["campaignA"],
        "creator_id": world["creatorA1"],
        "mode": "creator_distribution",
        "fee": "12000.00",
        "commission_rate": 0.1,
        "note": "春季新品",
    }
    made = app_client.post("/api/v1/collaborations", json=proposal, headers=as_user("brandA"))
    assert made.status_code == 201, made.text
    collaboration = made.json()["id"]

    creator_inbox = _inbox(app_client, as_user("creatorA1"))
    [offer] = _about(creator_inbox, collaboration)
    assert offer["kind"] == "offer_received" and offer["read_at"] is None
    assert "¥1.20万" in offer["text"] and "10.0%" in offer["text"] and "双十一 A" in offer["text"]
    assert creator_inbox["unread"] >= 1
    # The creator's MCN hears of it as well; the other tenant and the brand that sent it do not.
    assert [n["kind"] for n in _about(_inbox(app_client, as_user("mcnA")), collaboration)] == ["offer_received"]
    assert _about(_inbox(app_client, as_user("mcnB")), collaboration) == []
    assert _about(_inbox(app_client, as_user("brandA")), collaboration) == []

    step = f"/api/v1/collaborations/{collaboration}/transitions"
    assert app_client.post(step, json={"to": "accepted"}, headers=as_user("creatorA1")).status_code == 200
    submit = {"to": "content_submitted", "content_url": "https://example.com/v/9"}
    assert app_client.post(step, json=submit, headers=as_user("creatorA1")).status_code == 200
    back = {"to": "accepted", "note": "请补充产品特写"}
    assert app_client.post(step, json=back, headers=as_user("brandA")).status_code == 200

    brand_kinds = [n["kind"] for n in _about(_inbox(app_client, as_user("brandA")), collaboration)]
    assert brand_kinds == ["content_submitted", "offer_accepted"]  # newest first
    [sent_back, first] = _about(_inbox(app_client, as_user("creatorA1")), collaboration)
    assert (sent_back["kind"], first["kind"]) == ("content_sent_back", "offer_received")
    assert "请补充产品特写" in sent_back["text"]

    reader = TestClient(app_client.app, cookies={"lang": "en"})  # not entered: the shared app's lifespan stays
    english = reader.get(URL, headers=as_user("creatorA1")).json()
    reader.close()
    assert "sent back your content" in _about(english, collaboration)[0]["text"]


def test_marking_read_and_the_unread_count(app_client: TestClient, world: World, as_user) -> None:
    proposal = {"campaign_id": world["campaignB"], "creator_id": world["creatorB1"], "mode": "brand_self_live"}
    made = app_client.post("/api/v1/collaborations", json=proposal | {"fee": "500"}, headers=as_user("brandB"))
    assert made.status_code == 201, made.text
    count = lambda user: app_client.get(f"{URL}/unread-count", headers=as_user(user)).json()["unread"]  # noqa: E731
    before = count("creatorB1")
    assert before >= 1
    [offer] = _about(_inbox(app_client, as_user("creatorB1")), made.json()["id"])
    # Another tenant cannot mark it read.
    assert app_client.post(f"{URL}/read", json={"ids": [offer["id"]]}, headers=as_user("creatorA1")).json() == {
        "marked": 0
    }
    assert count("creatorB1") == before
    marked = app_client.post(f"{URL}/read", json={"ids": [offer["id"]]}, headers=as_user("creatorB1")).json()
    assert marked == {"marked": 1} and count("creatorB1") == before - 1
    assert app_client.post(f"{URL}/read", json={}, headers=as_user("creatorB1")).json()["marked"] == before - 1
    assert count("creatorB1") == 0


def test_penalties_and_appeal_decisions_reach_the_creator_and_its_mcn(
    app_client: TestClient, world: World, as_user
) -> None:
    # The world issued one warning per side when it was built: each creator and its MCN hear of their own only.
    [warned] = [n for n in _inbox(app_client, as_user("creatorA1"))["items"] if n["kind"] == "penalty_issued"]
    assert "警告" in warned["text"] and "申诉" in warned["text"]
    assert len([n for n in _inbox(app_client, as_user("mcnA"))["items"] if n["kind"] == "penalty_issued"]) == 1

    decided = app_client.post(
        f"/api/v1/compliance/appeals/{world['appealA']}/decision",
        json={"decision": "uphold", "note": "证据不足"},
        headers=as_user("reviewer"),
    )
    assert decided.status_code == 200, decided.text
    [outcome] = [n for n in _inbox(app_client, as_user("creatorA1"))["items"] if n["kind"] == "appeal_decided"]
    assert "已接受" in outcome["text"] and "证据不足" in outcome["text"]
    assert any(n["kind"] == "appeal_decided" for n in _inbox(app_client, as_user("mcnA"))["items"])
