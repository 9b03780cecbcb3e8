"""选品广场's tables page newest first with a cursor (申样 records by status, the brand's 商品上架), and its filters
are read by the one parser every workspace page uses: a value the page does not offer is a 422 naming the field in
the reader's language, never a 500 nor a filter silently dropped."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.fixtures.pages import sign_in
from tests.fixtures.world import World

from wanghong.commerce.models import Product
from wanghong.domain import Category
from wanghong.kit.db.session import Database
from wanghong.kit.errors import InvalidInput
from wanghong.selection import page as selection_page
from wanghong.selection.models import SampleRequest, SampleStatus
from wanghong.workspace.screens import Filters


def _walk(client: TestClient, path: str, marker: str) -> list[list[int]]:
    """Every page of a table from `path`, following its older-rows link: the row ids each page shows."""
    pages: list[list[int]] = []
    while path:
        answer = client.get(path)
        assert answer.status_code == 200, answer.text
        pages.append([int(i) for i in re.findall(rf'{marker}="(\d+)"', answer.text)])
        older = re.search(r'<a href="([^"]+)" rel="next">', answer.text)
        path = older.group(1).replace("&amp;", "&") if older else ""
        assert len(pages) < 20
    return pages


def test_sample_records_page_newest_first_by_status(
    web_client: TestClient, world: World, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.transaction() as s:
        ours = {"listing_id": world["listingA"], "product_id": world["productA"], "brand_id": world["brandA"]}
        second = SampleRequest(**ours, creator_id=world["creatorA2"], address="南京市鼓楼区 2 号")
        s.add(second)
        s.flush()
        declined = SampleRequest(
            **ours,
            creator_id=world["creatorA1"],
            address="南京市鼓楼区 3 号",
            status=SampleStatus.DECLINED,
            reason="无库存",
        )
        s.add(declined)
        s.flush()
        ids = [declined.id, second.id, world["sampleA"]]
    monkeypatch.setattr(selection_page, "PER_PAGE", 1)
    sign_in(web_client, world, "brandA")
    assert _walk(web_client, "/workspace/samples", "data-sample") == [[i] for i in ids]
    assert _walk(web_client, "/workspace/samples?status=pending", "data-sample") == [[second.id], [world["sampleA"]]]
    first = web_client.get("/workspace/samples?status=declined")
    assert re.findall(r'data-sample="(\d+)"', first.text) == [str(declined.id)] and 'rel="next"' not in first.text
    # The second page links back to the newest; a tab the page does not offer shows every request.
    link = re.search(r'<a href="([^"]+)" rel="next">', web_client.get("/workspace/samples").text)
    assert link is not None
    older = web_client.get(link[1])
    assert 'href="/workspace/samples">回到最新' in older.text.replace("&amp;", "&")
    assert _walk(web_client, "/workspace/samples?status=lost", "data-sample")[0] == [declined.id]
    bad_cursor = web_client.get("/workspace/samples?cursor=not-a-cursor")
    assert bad_cursor.status_code == 422 and "cursor" in bad_cursor.text


def test_listings_page_through_every_product(
    web_client: TestClient, world: World, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.transaction() as s:
        for n in range(2):
            s.add(Product(brand_id=world["brandA"], name=f"枕套 {n}", category=Category.HOME, price=30, description=""))
    monkeypatch.setattr(selection_page, "PER_PAGE", 2)
    sign_in(web_client, world, "brandA")
    pages = _walk(web_client, "/workspace/selection/listings", "data-product")
    shown = [i for p in pages for i in p]
    assert all(len(p) <= 2 for p in pages) and len(pages) >= 2
    assert shown == sorted(set(shown), reverse=True) and world["productA"] in shown


def test_market_filters_the_page_does_not_offer_are_refused_in_the_readers_language(
    web_client: TestClient, world: World
) -> None:
    sign_in(web_client, world, "creatorA1")
    for query, field in (
        ("min_commission=abc", "最低佣金（%）"),
        ("max_commission=150", "最高佣金（%）"),
        ("category=jewellery", "类目"),
        ("sort=cheapest", "排序"),
    ):
        answer = web_client.get(f"/workspace/selection?{query}")
        assert answer.status_code == 422 and f"筛选条件无效：{field}" in answer.text, query
    ok = web_client.get("/workspace/selection?min_commission=15%25&category=beauty&sort=commission")
    assert ok.status_code == 200
    web_client.get("/lang/en")
    try:
        english = web_client.get("/workspace/selection?min_commission=abc")
        assert english.status_code == 422 and "Invalid filter: Min commission (%)" in english.text
    finally:
        web_client.get("/lang/zh")


def test_one_parser_for_counts_percentages_and_options() -> None:
    read = Filters("zh")
    assert read.whole("12,000", "粉丝") == 12000 and read.whole("  ", "粉丝") is None
    assert read.percent("20.5%", "佣金") == 0.205 and read.percent("", "佣金") is None
    assert read.choice("food", Category, "类目") is Category.FOOD and read.choice("", Category, "类目") is None
    for bad in ("1.5", "-3", "²", "9" * 12):
        with pytest.raises(InvalidInput, match="筛选条件无效：粉丝"):
            read.whole(bad, "粉丝")
    for bad in ("abc", "101", "-1", "nan", "inf"):
        with pytest.raises(InvalidInput, match="佣金"):
            read.percent(bad, "佣金")
    with pytest.raises(InvalidInput, match="Invalid filter: Category"):
        Filters("en").choice("jewellery", Category, "Category")
