"""人群洞察 in Chromium: release segment sizes, build a pack, open its expansion, move the slider, open a targeted
creator's audience page and target the pack in 选品中心 — pages alone."""

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
        # ε 1: half noises the size, half the reach over creators that targeting reads.
        brand.select_option("#builder select[name=epsilon]", "1.0")
        brand.click("#builder button[type=submit]")
        brand.wait_for_selector("p[role=status]")
        row = brand.locator("#packs tr", has_text="母婴达人粉丝")
        assert "ε 1.0" in row.inner_text()
        assert "3.50" in brand.locator("#budget").inner_text()  # 5 − 0.5 (segments) − 1 (pack)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        brand.screenshot(path=str(SCREENSHOTS / "audience-packs.png"), full_page=True)

        row.locator("a", has_text="扩量与定向").click()
        brand.wait_for_selector("#expansion")
        before = brand.locator("#expansion-reading").inner_text()
        brand.locator("#expansion").fill("3")
        after = brand.locator("#expansion-reading").inner_text()
        assert before != after and "预估精确率" in after
        # The mom creator is among the targets; at ε 1 on a test world's few hundred viewers whether its count clears
        # the noise over every creator of the release, and whether it leads creatorA1 (whose livestream a third of
        # the moms watched), is up to the noise: neither is asserted.
        mom_row = brand.locator(f'#targets tbody tr[data-creator="{crowd["momCreator"]}"]')
        assert mom_row.count() == 1
        brand.screenshot(path=str(SCREENSHOTS / "audience-lookalike.png"), full_page=True)

        pack_url = brand.url

        # The targeted creator's own audience page: composition with TGI, its sample, a chart.
        mom_row.locator("a").click()
        brand.wait_for_selector("svg.composition")
        assert brand.locator("#segments tbody tr").first.get_attribute("data-segment") == "young_mothers"
        assert brand.locator("svg.composition rect.share").count() == 9
        brand.screenshot(path=str(SCREENSHOTS / "audience-creator.png"), full_page=True)

        # 选品中心 with the pack: TGI shown, the note says where it comes from.
        brand.goto(f"{url}/matching?product_id={crowd['babyProduct']}&exclude_penalised=false&submitted=true&k=50")
        pack_id = brand.locator("select[name=pack] option", has_text="母婴达人粉丝").get_attribute("value")
        brand.select_option("select[name=pack]", pack_id)
        brand.click("form.filters button[type=submit]")
        brand.wait_for_selector("#targeted")
        assert brand.locator("table th", has_text="TGI").count() == 1
        # Other test worlds' look-alike mom creators may fill the first 50; where ours is listed, its TGI shows.
        mom = brand.locator("tr", has=brand.locator(f'button[data-creator="{crowd["momCreator"]}"]'))
        if mom.count():
            assert int(mom.locator("td.tgi").get_attribute("data-tgi") or 0) > 100
        brand.screenshot(path=str(SCREENSHOTS / "audience-matching.png"), full_page=True)

        brand.context.add_cookies([{"name": "lang", "value": "en", "url": url}])
        brand.goto(pack_url)
        assert "Lookalike expansion" in brand.locator("#lookalike h2").inner_text()
        brand.screenshot(path=str(SCREENSHOTS / "audience-lookalike-en.png"), full_page=True)
