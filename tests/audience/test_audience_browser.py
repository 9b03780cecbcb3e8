"""人群洞察 in Chromium: release segment sizes, build a pack, open its expansion, move the slider — pages alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.audience.crowd import build_crowd
from tests.browser import chromium, serving
from tests.fixtures.world import PASSWORD, World
from wanghong.kit.db.session import Database

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.mark.browser
def test_the_audience_loop_in_chromium(app_client: TestClient, world: World, db: Database, database_url: str) -> None:
    crowd = build_crowd(db, world)
    with chromium(database_url) as browser, serving(app_client.app) as url:
        brand = browser.new_page(viewport={"width": 1280, "height": 900})
        brand.goto(f"{url}/login")
        brand.fill("input[name=username]", f"brandA_{world.tag}")
        brand.fill("input[name=password]", PASSWORD)
        brand.click("button[type=submit]")
        brand.goto(f"{url}/workspace/audience")
        brand.click("#segments button[type=submit]")
        brand.wait_for_selector("p[role=status]")
        assert brand.locator("svg.bars rect").count() == 9

        brand.fill("#builder input[name=name]", "母婴达人粉丝")
        brand.fill("#builder input[name=followed_creator]", str(crowd["momCreator"]))
        brand.check("#builder input[name=exclude][value=silver]")
        brand.select_option("#builder select[name=epsilon]", "0.5")
        brand.click("#builder button[type=submit]")
        brand.wait_for_selector("p[role=status]")
        row = brand.locator("#packs tr", has_text="母婴达人粉丝")
        assert "ε 0.5" in row.inner_text()
        assert "4.00" in brand.locator("#budget").inner_text()  # 5 − 0.5 (segments) − 0.5 (pack)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        brand.screenshot(path=str(SCREENSHOTS / "audience-packs.png"), full_page=True)

        row.locator("a", has_text="扩量与定向").click()
        brand.wait_for_selector("#expansion")
        before = brand.locator("#expansion-reading").inner_text()
        brand.locator("#expansion").fill("3")
        after = brand.locator("#expansion-reading").inner_text()
        assert before != after and "预估精确率" in after
        assert brand.locator("#targets tbody tr").first.get_attribute("data-creator") == str(crowd["momCreator"])
        brand.screenshot(path=str(SCREENSHOTS / "audience-lookalike.png"), full_page=True)

        brand.context.add_cookies([{"name": "lang", "value": "en", "url": url}])
        brand.reload()
        assert "Lookalike expansion" in brand.locator("#lookalike h2").inner_text()
        brand.screenshot(path=str(SCREENSHOTS / "audience-lookalike-en.png"), full_page=True)
