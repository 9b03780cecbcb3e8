"""The assistant in the live room (issue 19, deliver 2): which product a question is about, answers kept with their
labels, and the 直播间 page — answers, risk gauge and line, zh and en, another tenant's room a 404 — and in Chromium
the host's assistant panel asking over the live socket while the ingest account's barrage arrives."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.browser import chromium, serving
from tests.fixtures.pages import remote_assets, sign_in
from tests.fixtures.world import PASSWORD, T0, World
from websockets.sync.client import connect

from wanghong.accounts.principal import Principal
from wanghong.assistant import facts, live
from wanghong.assistant.models import LiveAnswer
from wanghong.commerce.models import LivestreamSession, Product
from wanghong.compliance import live_room
from wanghong.config import Settings
from wanghong.domain import Role
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database
from wanghong.kit.errors import InvalidInput
from wanghong.selection.models import CartItem, Listing

SHOTS = Path("/tmp/shots")
INGEST = Principal(0, "ingest", Role.ADMIN)


def _brand(world: World) -> Principal:
    return Principal(1, "brandA", Role.BRAND_MANAGER, brand_id=world["brandA"])


def _two_product_room(db: Database, world: World) -> tuple[int, int, int]:
    """A room of creatorA1 selling 面霜 A (its collaboration) and a 精华液 from its cart, both with a price."""
    with db.transaction() as s:
        serum = Product(
            brand_id=world["brandA"], name=f"玻尿酸精华液 {world.tag}", category="beauty", price=Decimal("59")
        )
        s.add(serum)
        s.flush()
        listing = Listing(product_id=serum.id, brand_id=world["brandA"], commission_rate=0.2)
        room = LivestreamSession(
            creator_id=world["creatorA1"], collaboration_id=world["collabA"], started_at=T0 + timedelta(days=4)
        )
        s.add_all([listing, room])
        s.flush()
        s.add(
            CartItem(
                livestream_id=room.id,
                listing_id=listing.id,
                product_id=serum.id,
                brand_id=world["brandA"],
                creator_id=world["creatorA1"],
                commission_rate=0.2,
                price=Decimal("59"),
            )
        )
        brand = _brand(world)
        facts.put_fact(s, brand, world["productA"], "price", "面霜直播间到手价 89 元。")
        facts.put_fact(s, brand, world["productA"], "shipping", "下单后 48 小时内发货。")
        facts.put_fact(s, brand, serum.id, "price", "精华液直播价 59 元一瓶。")
        facts.put_fact(s, brand, serum.id, "usage", "早晚洁面后取两滴轻拍至吸收。")
        return room.id, world["productA"], serum.id


def _ask(db: Database, room: int, text: str, product_id: int | None = None) -> dict[str, object]:
    question = live_room.RoomQuestion(room, text, viewer_id=3, product_id=product_id, asked=True)
    with db.transaction() as s:
        answer = live.answer_in_room(s, INGEST, question, Settings())
    assert answer is not None
    return answer


def test_the_room_picks_the_product_a_question_is_about(db: Database, world: World) -> None:
    room, cream, serum = _two_product_room(db, world)
    # Both products state a price: without a hint the question is the host's to answer.
    which = _ask(db, room, "多少钱？")
    assert which["abstained"] is True and which["reason"] == "which_product" and which["fact_ids"] == []
    named = _ask(db, room, "精华液多少钱？")
    assert named["product_id"] == serum and named["fact_ids"] == [f"p{serum}.price.v1"] and "59" in str(named["answer"])
    chosen = _ask(db, room, "多少钱？", product_id=cream)
    assert chosen["fact_ids"] == [f"p{cream}.price.v1"] and "89" in str(chosen["answer"])
    # Only the serum says how it is used: one product answers, so it is the one.
    usage = _ask(db, room, "怎么用呀")
    assert usage["product_id"] == serum and usage["abstained"] is False
    with pytest.raises(InvalidInput):
        _ask(db, room, "多少钱？", product_id=world["productB"])
    for chatter in ("666", "来了来了", "主播好美"):  # barrage that asks nothing gets no answer at all
        with db.transaction() as s:
            comment = live_room.RoomQuestion(room, chatter, viewer_id=4, product_id=None, asked=False)
            assert live.answer_in_room(s, INGEST, comment, Settings()) is None
    with db.transaction() as s:
        kept = s.scalars(select(LiveAnswer).where(LiveAnswer.livestream_id == room).order_by(LiveAnswer.id)).all()
        audited = s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "assistant_live_answers")).all()
    assert [a.reason for a in kept] == ["which_product", "answered", "answered", "answered"]
    assert all(a.answer.startswith("【AI 生成】") for a in kept)
    assert [a.produce_id for a in kept] == [f"live-{room}-answer-{a.id}" for a in kept]
    assert audited.count(live.ANSWER_SEND) >= 4


def test_the_live_page_shows_answers_and_risk_to_the_room_only(
    app_client: TestClient, db: Database, world: World
) -> None:
    room, _, serum = _two_product_room(db, world)
    _ask(db, room, "精华液多少钱？")
    with db.transaction() as s:
        stream = s.get(LivestreamSession, room)
        assert stream is not None
        live_room.observe(s, stream, "transcript")
        assert live_room.score(s, stream) is not None
    host = TestClient(app_client.app)
    sign_in(host, world, "creatorA1")
    page = host.get(f"/workspace/live/{room}")
    assert page.status_code == 200
    html = page.text
    assert "直播间风险分" in html and "AI 助手回答" in html and f"p{serum}.price.v1" in html
    assert 'id="ask"' in html and 'id="gauge-fill"' in html and 'id="risk-line"' in html
    assert not remote_assets(html)
    listing = host.get("/workspace/live").text
    assert f'data-live="{room}"' in listing and f'data-live="{world["liveB"]}"' not in listing
    host.cookies.set("lang", "en")
    english = host.get(f"/workspace/live/{room}").text
    assert "Room risk score" in english and "AI assistant answers" in english and "直播间风险分" not in english
    # The sponsor brand watches without the panel; another tenant's room is not there at all.
    sponsor = TestClient(app_client.app)
    sign_in(sponsor, world, "brandA")
    watched = sponsor.get(f"/workspace/live/{room}").text
    assert 'id="ask"' not in watched and "只有主播" in watched
    other = TestClient(app_client.app)
    sign_in(other, world, "brandB")
    assert other.get(f"/workspace/live/{room}").status_code == 404


def test_the_host_asks_from_the_live_page_in_chromium(  # type: ignore[no-untyped-def]
    app_client, world: World, db: Database, database_url: str, as_user
) -> None:
    room, cream, _ = _two_product_room(db, world)
    with chromium(database_url) as browser, serving(app_client.app) as url:
        page = browser.new_page()
        page.goto(f"{url}/login")
        page.fill("input[name=username]", f"creatorA1_{world.tag}")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{url}/workspace/live/{room}")
        page.wait_for_selector("#live-room[data-connected=yes]", timeout=15_000)
        # The ingest account feeds the room's barrage; the host's page hears it.
        socket_url = url.replace("http://", "ws://") + f"/api/v1/compliance/live/{room}"
        with connect(socket_url, additional_headers=as_user("admin"), open_timeout=10) as ingest:
            ingest.send(json.dumps({"kind": "comment", "text": "面霜几天能发货？", "viewer_id": 21}))
            page.wait_for_selector("#barrage li[data-kind=answer]", timeout=30_000)
            # The tenth message of the room makes it due for a score: the gauge moves off zero.
            ingest.send(json.dumps({"kind": "transcript", "text": "全网最低价，加vx私聊"}))
            for k in range(8):
                ingest.send(json.dumps({"kind": "comment", "text": "来了来了", "viewer_id": 30 + k}))
            page.wait_for_selector("[data-risk][data-score]", timeout=30_000)
        assert int(page.locator("[data-risk]").get_attribute("data-score") or 0) > 0
        assert page.locator("#barrage li[data-kind=transcript] .chip").count() == 1  # the flagged line, marked
        assert "面霜几天能发货？" in page.locator("#barrage").inner_text()
        page.fill("#ask-question", "多少钱？")
        page.select_option("select[name=product_id]", str(cream))
        page.click("#ask button[type=submit]")
        page.locator("#answers tr[data-answer]").nth(1).wait_for(timeout=30_000)
        newest = page.locator("#answers tr[data-answer]").first.inner_text()
        assert "89" in newest and f"p{cream}.price.v1" in newest and "AI 生成" in newest
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "G-live-room.png"), full_page=True)
