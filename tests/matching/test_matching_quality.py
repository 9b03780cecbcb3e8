"""选品中心 by audience quality: the fraud scan's stored score filters (只看优质流量) and sorts the matches."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from tests.fixtures.metrics import chinese_figure_names
from tests.fixtures.world import World

from wanghong.analytics.metrics import METRICS
from wanghong.fraud.models import CreatorQuality, FraudScan
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database


def _items(client: TestClient, world: World, headers: dict[str, str], **params: object) -> list[dict[str, object]]:
    response = client.get(
        f"/api/v1/products/{world['productA']}/matches",
        params={"k": 1000, "exclude_penalised": False, **params},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


@pytest.fixture
def scored(matching_db: Database, matching_world: World) -> Iterator[dict[int, int]]:
    """A finished scan (the newest one for these two creators) that scores creatorA1 low and creatorA2 high."""
    quality = {matching_world["creatorA1"]: 35, matching_world["creatorA2"]: 92}
    day = date(1990, 1, 1) + timedelta(days=uuid.uuid4().int % 3_000)  # one scan per day; others' tests use theirs
    with matching_db.transaction() as session:
        scan = FraudScan(day=day, finished_at=utcnow())
        session.add(scan)
        session.flush()
        scan_id = scan.id
        session.add_all(
            CreatorQuality(
                scan_id=scan_id, creator_id=c, score=s, real_share=s / 100, mass_follower_share=0.0, sample_size=200
            )
            for c, s in quality.items()
        )
    yield quality
    with matching_db.transaction() as session:
        session.execute(delete(CreatorQuality).where(CreatorQuality.scan_id == scan_id))
        session.execute(delete(FraudScan).where(FraudScan.id == scan_id))


def test_items_carry_the_stored_quality_and_the_minimum_filters(  # type: ignore[no-untyped-def]
    matching_client, matching_world: World, headers, scored: dict[int, int]
) -> None:
    brand = headers("brandA")
    everyone = {i["creator_id"]: i["audience_quality"] for i in _items(matching_client, matching_world, brand)}
    for creator, score in scored.items():
        assert everyone[creator] == score
    good = _items(matching_client, matching_world, brand, quality_min=60)
    ids = {i["creator_id"] for i in good}
    low, high = sorted(scored, key=scored.__getitem__)
    assert high in ids and low not in ids
    # a creator no scan has scored is not proven clean: left out too
    assert all(isinstance(i["audience_quality"], int) and i["audience_quality"] >= 60 for i in good)
    assert len(good) < len(everyone)


def test_sort_by_quality_puts_the_best_audience_first(  # type: ignore[no-untyped-def]
    matching_client, matching_world: World, headers, scored: dict[int, int]
) -> None:
    items = _items(matching_client, matching_world, headers("brandA"), sort="quality")
    qualities = [-1 if i["audience_quality"] is None else i["audience_quality"] for i in items]
    assert qualities == sorted(qualities, reverse=True)
    assert [i["rank"] for i in items] == list(range(1, len(items) + 1))
    ids = [i["creator_id"] for i in items]
    low, high = sorted(scored, key=scored.__getitem__)
    assert ids.index(high) < ids.index(low)
    by_score = _items(matching_client, matching_world, headers("brandA"))
    assert [i["score"] for i in by_score] == sorted((i["score"] for i in by_score), reverse=True)


@pytest.mark.parametrize("params", [{"quality_min": 101}, {"quality_min": -1}, {"sort": "followers"}])
def test_bad_quality_parameters_are_422(matching_client, matching_world: World, headers, params) -> None:  # type: ignore[no-untyped-def]
    response = matching_client.get(
        f"/api/v1/products/{matching_world['productA']}/matches", params=params, headers=headers("brandA")
    )
    assert response.status_code == 422, response.text


def test_page_filters_quality_traffic_and_shows_the_column(  # type: ignore[no-untyped-def]
    matching_client, matching_world: World, headers, scored: dict[int, int]
) -> None:
    token = headers("brandA")["Authorization"].split()[1]
    matching_client.cookies.set("wanghong_session", token)
    try:
        base = {"product_id": matching_world["productA"], "submitted": "true", "k": 200}
        page = matching_client.get("/matching", params={**base, "premium_only": "true", "sort": "quality"})
        assert page.status_code == 200, page.text
        assert "只看优质流量" in page.text and "观众质量" in page.text
        assert 'data-quality="92"' in page.text and 'data-quality="35"' not in page.text
        assert 'data-quality=""' not in page.text  # unscored creators are filtered out
        matching_client.cookies.set("lang", "en")
        english = matching_client.get("/matching", params=base)
        assert "Audience quality" in english.text and "Quality traffic only" in english.text
        assert "观众质量" not in english.text
        # The GMV range is the matching model's forecast: named as 指标说明 names it and marked an estimate.
        assert f"<th>{METRICS['predicted_gmv'].en} (estimate) P10–P90</th>" in english.text
        assert f"<th>{METRICS['predicted_gmv'].zh}（预估） P10–P90</th>" in page.text
        assert not chinese_figure_names(english.text), chinese_figure_names(english.text)
        matching_client.cookies.delete("lang")
        refused = matching_client.get("/matching", params={**base, "quality_min": "150"})
        assert "quality_min" in refused.text
    finally:
        matching_client.cookies.clear()


@pytest.mark.browser
def test_quality_filter_in_chromium(  # type: ignore[no-untyped-def]
    matching_client, matching_world: World, scored: dict[int, int], database_url: str
) -> None:
    from tests.browser import chromium, serving, signed_in_page
    from tests.fixtures.world import PASSWORD

    with chromium(database_url) as browser, serving(matching_client.app) as url:
        page = signed_in_page(browser, url, f"brandA_{matching_world.tag}", PASSWORD)
        page.goto(f"{url}/matching?product_id={matching_world['productA']}&exclude_penalised=false&submitted=true")
        page.check("input[name=premium_only]")
        page.select_option("select[name=sort]", "quality")
        page.click("form.filters button[type=submit]")
        page.wait_for_selector("td.quality", timeout=30_000)
        shown = [int(q) for q in page.eval_on_selector_all("td.quality", "cells => cells.map(c => c.dataset.quality)")]
        assert shown and shown == sorted(shown, reverse=True) and min(shown) >= 60
        assert page.is_checked("input[name=premium_only]")
        page.screenshot(path="/tmp/matching-quality.png", full_page=True)
