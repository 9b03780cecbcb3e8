"""The 达人广场 loop in Chromium, through the pages alone: a brand searches, saves, compares and opens 达人详情; the
creator edits its rate card and the brand then sees it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from tests.browser import chromium, serving
from tests.fixtures.world import PASSWORD, World

from wanghong.kit.db.session import Database
from wanghong.marketplace.models import Favourite, RateCard

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _sign_in(page, url: str, user: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda address: "/login" not in address)


@pytest.mark.browser
def test_the_marketplace_loop_in_chromium(app_client, world: World, db: Database, database_url: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with chromium(database_url) as browser, serving(app_client.app) as url:
        brand = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        _sign_in(brand, url, f"brandA_{world.tag}")
        brand.goto(f"{url}/workspace/campaigns")
        brand.click("nav.workspaces >> text=达人广场")
        brand.fill("input[name=keyword]", world.tag)
        brand.select_option("select[name=segment]", "young_mothers")
        brand.click("form.filters button[type=submit]")
        brand.wait_for_url(lambda address: "keyword=" in address)
        rows = brand.locator("tbody tr[data-creator]")
        assert rows.count() == 3
        star = brand.locator(f'tr[data-creator="{world["creatorB1"]}"]')
        star.locator("button.favourite").click()
        brand.wait_for_selector("p[role=status]")
        # Back on the same search, the button now offers to undo it.
        assert "keyword=" in brand.url
        assert brand.locator(f'tr[data-creator="{world["creatorB1"]}"] button.favourite').inner_text() == "取消收藏"
        brand.screenshot(path=str(SCREENSHOTS / "marketplace-creators.png"), full_page=True)

        brand.click("nav.workspaces >> text=收藏夹")
        assert brand.locator(f'tr[data-creator="{world["creatorB1"]}"]').count() == 1
        brand.screenshot(path=str(SCREENSHOTS / "marketplace-favourites.png"), full_page=True)

        brand.go_back()
        for key in ("creatorB1", "creatorA1", "creatorA2"):
            brand.check(f'tr[data-creator="{world[key]}"] input[name=ids]')
        brand.click("button[form=compare]")
        brand.wait_for_url(lambda address: "/compare" in address)
        assert brand.locator("table.compare thead th").count() == 4  # the row headings and three creators
        brand.screenshot(path=str(SCREENSHOTS / "marketplace-compare.png"), full_page=True)

        brand.click("table.compare thead >> text=creatorA1")
        brand.wait_for_url(lambda address: address.rstrip("/").endswith(f"/workspace/creators/{world['creatorA1']}"))
        assert "该达人尚未填写报价" in brand.content()
        brand.screenshot(path=str(SCREENSHOTS / "marketplace-detail.png"), full_page=True)

        creator = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        _sign_in(creator, url, f"creatorA1_{world.tag}")
        creator.goto(f"{url}/workspace/collaborations")
        creator.click("nav.workspaces >> text=我的报价")
        creator.fill("input[name=video_short]", "680")
        creator.fill("input[name=video_medium]", "1500")
        creator.fill("input[name=live_slot_fee]", "28000")
        creator.fill("input[name=live_commission]", "20")
        creator.click("form.create button[type=submit]")
        creator.wait_for_selector("p[role=status]")
        creator.screenshot(path=str(SCREENSHOTS / "marketplace-rate-card.png"), full_page=True)

        brand.reload()
        shown = brand.content()
        assert "¥680.00" in shown and "¥2.80万" in shown and "20.0%" in shown
        brand.screenshot(path=str(SCREENSHOTS / "marketplace-detail-quoted.png"), full_page=True)
        brand.goto(f"{url}/lang/en")
        brand.goto(f"{url}/workspace/creators/{world['creatorA1']}")
        assert "Short video 1–20 s" in brand.content()
        brand.screenshot(path=str(SCREENSHOTS / "marketplace-detail-en.png"), full_page=True)
    with db.transaction() as s:
        assert s.get(RateCard, world["creatorA1"]) is not None
        kept = s.scalars(select(Favourite.creator_id).where(Favourite.brand_id == world["brandA"])).all()
        assert world["creatorB1"] in kept
