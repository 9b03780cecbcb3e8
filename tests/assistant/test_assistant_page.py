"""商品事实与 AI 助手 in the browser (issue 19, deliver 1): a brand states a fact from the page, asks a viewer's
question and composes a script there; another brand's product is a 404 page."""

from __future__ import annotations

from pathlib import Path

from tests.browser import chromium, serving
from tests.fixtures.world import PASSWORD, World

from wanghong.kit.db.session import Database

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_a_brand_edits_facts_and_tries_the_assistant_in_chromium(  # type: ignore[no-untyped-def]
    app_client, world: World, db: Database, database_url: str
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    product = world["productA"]
    with chromium(database_url) as browser, serving(app_client.app) as url:
        page = browser.new_page()
        page.goto(f"{url}/login")
        page.fill("input[name=username]", f"brandA_{world.tag}")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{url}/workspace/products")
        page.click(f"tr[data-product='{product}'] a[href$='/facts']")
        page.fill("input[name=key]", "shipping")
        page.fill("textarea[name=text]", "下单后 48 小时内从杭州仓发货，默认中通快递。")
        page.click("form.create button[type=submit]")
        assert page.locator(f"tr[data-fact='p{product}.shipping.v1']").count() == 1
        page.fill("input[name=question]", "什么时候发货")
        page.click("button:has-text('提问')")
        answer = page.locator("[data-answer]").inner_text()
        assert "48" in answer and f"p{product}.shipping.v1" in answer and "AI" in answer
        page.click("button[value=script]")
        script = page.locator("[data-composition=script]").inner_text()
        assert "开场" in script and "AI 生成" in script
        page.screenshot(path=str(SCREENSHOTS / "assistant-facts.png"), full_page=True)

        other = browser.new_page()
        other.goto(f"{url}/login")
        other.fill("input[name=username]", f"brandB_{world.tag}")
        other.fill("input[name=password]", PASSWORD)
        other.click("button[type=submit]")
        response = other.goto(f"{url}/workspace/products/{product}/facts")
        assert response is not None and response.status == 404
        assert "shipping" not in other.content()
