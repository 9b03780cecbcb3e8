"""达人广场 pages through the forms, signed in through /login: search, 收藏, compare, 达人详情 and 我的报价; refusals
are worded in the page's language and another tenant's creator is an HTML 404 page."""

from __future__ import annotations

import re
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.fixtures.pages import post_form as _post
from tests.fixtures.pages import sign_in as _sign_in
from tests.fixtures.world import T0, World

from wanghong.commerce.models import LivestreamSession
from wanghong.kit.db.session import Database
from wanghong.marketplace.models import Favourite, RateCard


def test_brand_searches_saves_and_compares(web_client: TestClient, world: World, db: Database) -> None:
    token = _sign_in(web_client, world, "brandA")
    search = f"/workspace/creators?keyword={world.tag}&segment=young_mothers&sort=followers"
    page = web_client.get(search)
    assert page.status_code == 200
    rows = re.findall(r'<tr data-creator="(\d+)"', page.text)
    assert rows == [str(world[k]) for k in ("creatorB1", "creatorA1", "creatorA2")]
    assert "宝妈 60%" in page.text and "腰部 (10万–100万)" in page.text
    assert 'value="young_mothers" selected' in page.text  # the filters stay as chosen
    # 收藏 goes back to the very search, filters kept.
    saved = _post(web_client, token, f"/workspace/creators/{world['creatorB1']}/favourite", keep="1", back=search)
    assert saved.status_code == 303 and saved.headers["location"] == search + "&saved=1"
    elsewhere = _post(
        web_client, token, f"/workspace/creators/{world['creatorB1']}/favourite", keep="1", back="https://evil.example/"
    )
    assert elsewhere.headers["location"] == "/workspace/creators?saved=1"
    with db.transaction() as s:
        kept = s.scalars(select(Favourite.creator_id).where(Favourite.brand_id == world["brandA"])).all()
        assert sorted(kept) == sorted([world["creatorA1"], world["creatorB1"]])
    favourites = web_client.get("/workspace/favourites")
    assert favourites.status_code == 200
    assert re.findall(r'<tr data-creator="(\d+)"', favourites.text) == [
        str(world["creatorB1"]),
        str(world["creatorA1"]),
    ]
    dropped = _post(
        web_client, token, f"/workspace/creators/{world['creatorB1']}/favourite", keep="0", back="/workspace/favourites"
    )
    assert dropped.headers["location"] == "/workspace/favourites?saved=1"
    assert re.findall(r'<tr data-creator="(\d+)"', web_client.get("/workspace/favourites").text) == [
        str(world["creatorA1"])
    ]

    ids = [world["creatorB1"], world["creatorA1"]]
    compared = web_client.get("/workspace/creators/compare", params={"ids": ",".join(map(str, ids))})
    assert compared.status_code == 200
    assert compared.text.index(f"creatorB1_{world.tag}") < compared.text.index(f"creatorA1_{world.tag}")
    assert "直播坑位费" in compared.text and "合规状态" in compared.text
    # The search page's checkboxes send ids=…&ids=…; that is the same compare.
    ticked = web_client.get("/workspace/creators/compare", params=[("ids", str(i)) for i in ids])
    assert ticked.status_code == 200 and f"creatorA1_{world.tag}" in ticked.text
    five = web_client.get("/workspace/creators/compare", params={"ids": "1,2,3,4,5"})
    assert five.status_code == 422 and "最多只能同时对比 4 位达人，当前选择了 5 位" in five.text
    web_client.get("/lang/en", headers={"Referer": "/workspace/creators"})
    english = web_client.get("/workspace/creators/compare", params={"ids": "1,2,3,4,5"})
    assert english.status_code == 422 and "At most 4 creators can be compared at once; you chose 5" in english.text
    market = web_client.get(search)
    assert (
        "Young mothers 60%" in market.text and "Mid-tier (100K–1M)" in market.text and "Creator market" in market.text
    )
    assert "young_mothers 60" not in market.text
    bad = web_client.get("/workspace/creators?follower_tier=huge")
    assert bad.status_code == 422 and "Invalid filter: Size tier" in bad.text


def test_detail_page_shows_persona_rate_card_gmv_and_records(
    web_client: TestClient, world: World, db: Database
) -> None:
    with db.transaction() as s:
        s.add(RateCard(creator_id=world["creatorB1"], video_short=Decimal("800"), live_commission_rate=0.25))
        s.add(LivestreamSession(creator_id=world["creatorB1"], started_at=T0, gmv=Decimal("123456")))
    _sign_in(web_client, world, "brandA")
    page = web_client.get(f"/workspace/creators/{world['creatorB1']}")
    assert page.status_code == 200
    text = page.text
    assert "¥800.00" in text and "25.0%" in text and "未报价" in text  # the prices not quoted say so
    assert text.count('<svg class="bars"') == 2  # audience segments (the one persona dimension given) and GMV
    assert "人群分布" in text and "直播 GMV 分布（场次）" in text
    assert text.count("直播 GMV 分布（场次）") == 1 + text.count('aria-label="直播 GMV 分布（场次）"')
    assert "¥12.35万" in text  # the best livestream, in 万
    assert "原创记录" in text and "被申诉方" in text
    assert 'href="/matching"' in text
    missing = web_client.get("/workspace/creators/999999999")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert "没有找到这位达人" in missing.text


def test_creator_edits_its_rate_card_and_brands_see_it(web_client: TestClient, world: World, db: Database) -> None:
    token = _sign_in(web_client, world, "creatorA1")
    form = web_client.get("/workspace/rate-card")
    assert form.status_code == 200 and f'name="creator_id" value="{world["creatorA1"]}"' in form.text
    wrong = _post(
        web_client,
        token,
        "/workspace/rate-card",
        creator_id=str(world["creatorA1"]),
        video_short="500",
        live_commission="120",
    )
    assert wrong.status_code == 422 and "佣金比例必须在 0 到 100 之间" in wrong.text
    assert 'value="500"' in wrong.text  # what was typed is kept for correcting
    negative = _post(web_client, token, "/workspace/rate-card", creator_id=str(world["creatorA1"]), video_long="-1")
    assert negative.status_code == 422 and "短视频 60 秒以上必须是不小于 0 的金额" in negative.text
    saved = _post(
        web_client,
        token,
        "/workspace/rate-card",
        creator_id=str(world["creatorA1"]),
        video_short="500",
        video_medium="1,200",
        video_long="",
        live_slot_fee="30000",
        live_commission="18.5",
    )
    assert saved.status_code == 303, saved.text
    with db.transaction() as s:
        card = s.get(RateCard, world["creatorA1"])
        assert card is not None
        assert (card.video_medium, card.video_long, card.live_slot_fee) == (Decimal("1200"), None, Decimal("30000"))
        assert card.live_commission_rate is not None and abs(card.live_commission_rate - 0.185) < 1e-9
    again = web_client.get(saved.headers["location"])
    assert 'value="1200.00"' in again.text and 'value="18.5"' in again.text and "已保存" in again.text
    foreign = _post(web_client, token, "/workspace/rate-card", creator_id=str(world["creatorB1"]), video_short="1")
    assert foreign.status_code == 404 and "text/html" in foreign.headers["content-type"]
    assert web_client.get(f"/workspace/rate-card?creator_id={world['creatorB1']}").status_code == 404
    assert web_client.get(f"/workspace/creators/{world['creatorB1']}").status_code == 404
    refused = web_client.get("/workspace/creators")
    assert refused.status_code == 403 and "达人广场、收藏夹与达人对比仅对品牌经理和平台管理员开放" in refused.text

    brand = TestClient(web_client.app)
    _sign_in(brand, world, "brandB")
    detail = brand.get(f"/workspace/creators/{world['creatorA1']}").text
    assert "¥500.00" in detail and "¥1,200.00" in detail and "¥3.00万" in detail and "18.5%" in detail
    market = brand.get(f"/workspace/creators?keyword=creatorA1_{world.tag}").text
    assert "¥1,200.00" in market


def test_an_mcn_quotes_for_its_roster_only(web_client: TestClient, world: World, db: Database) -> None:
    token = _sign_in(web_client, world, "mcnA")
    page = web_client.get(f"/workspace/rate-card?creator_id={world['creatorA2']}")
    assert page.status_code == 200 and f'<option value="{world["creatorA2"]}" selected' in page.text
    assert f"creatorB1_{world.tag}" not in page.text
    saved = _post(web_client, token, "/workspace/rate-card", creator_id=str(world["creatorA2"]), video_short="66")
    assert saved.status_code == 303 and f"creator_id={world['creatorA2']}" in saved.headers["location"]
    with db.transaction() as s:
        assert s.get(RateCard, world["creatorA2"]).video_short == Decimal("66")  # type: ignore[union-attr]
