"""In Chromium, 选品中心 proposes with the terms the brand typed, and a double click makes one collaboration."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.browser import chromium, serving
from tests.fixtures.world import PASSWORD, World

from wanghong.commerce.models import Collaboration
from wanghong.kit.db.session import Database

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _proposals(db: Database, campaign_id: int) -> list[Collaboration]:
    with db.transaction() as s:
        query = select(Collaboration).where(Collaboration.campaign_id == campaign_id).order_by(Collaboration.id)
        return list(s.scalars(query))


@pytest.mark.browser
def test_proposal_carries_terms_and_a_double_click_makes_one(
    app_client, world: World, db: Database, database_url: str
) -> None:  # type: ignore[no-untyped-def]
    before = {c.id for c in _proposals(db, world["campaignA"])}
    with chromium(database_url) as browser, serving(app_client.app) as url:
        page = browser.new_page()
        page.goto(f"{url}/login")
        page.fill("input[name=username]", f"brandA_{world.tag}")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{url}/matching?product_id={world['productA']}&exclude_penalised=false&submitted=true")
        page.wait_for_selector("button.propose", timeout=30_000)
        page.select_option("#campaign", str(world["campaignA"]))
        page.select_option("#mode", "creator_distribution")
        page.fill("#fee", "1200")
        page.fill("#commission", "15")
        page.fill("#brief", "双十一开箱短视频一条")
        first = page.locator("button.propose").first
        first.dblclick()
        page.wait_for_selector("button.propose:disabled", timeout=20_000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "matching-proposed.png"), full_page=True)
    made = [c for c in _proposals(db, world["campaignA"]) if c.id not in before]
    assert len(made) == 1, [(c.id, c.creator_id) for c in made]
    assert made[0].fee == Decimal("1200.00")
    assert made[0].commission_rate == pytest.approx(0.15)
    assert made[0].note == "双十一开箱短视频一条"
