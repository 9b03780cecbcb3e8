"""The MCN's loop in Chromium, through the pages alone: from its roster to a signed creator's board, where it
accepts the brand's offer on the creator's behalf; the brand sees the acceptance on its board and in 站内信, and
the creator on its own board."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.browser import chromium, serving, signed_in_page
from tests.fixtures.world import PASSWORD, World

from wanghong.commerce.models import Collaboration
from wanghong.domain import CollaborationStatus
from wanghong.kit.db.session import Database

SHOTS = Path("/tmp/shots")


@pytest.mark.browser
def test_mcn_accepts_its_creators_offer_and_the_brand_sees_it(
    app_client: TestClient, world: World, db: Database, as_user: Callable[[str], dict[str, str]], database_url: str
) -> None:
    # Brand A's offer to creator A1, whom MCN A has signed, made as the workflow makes it (the walk is the MCN's).
    proposal = {
        "campaign_id": world["campaignA"],
        "creator_id": world["creatorA1"],
        "product_id": world["productA"],
        "mode": "creator_distribution",
        "fee": "3000",
        "commission_rate": 0.2,
        "note": "双十一面霜专场",
    }
    made = app_client.post("/api/v1/collaborations", json=proposal, headers=as_user("brandA"))
    assert made.status_code == 201, made.text
    offer = made.json()["id"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium(database_url) as browser, serving(app_client.app) as url:
        mcn = signed_in_page(browser, url, f"mcnA_{world.tag}", PASSWORD)
        mcn.goto(f"{url}/workspace/roster")
        signed = mcn.locator(f'tr[data-creator="{world["creatorA1"]}"]')
        assert f"@creatorA1_{world.tag}" in signed.inner_text() and "30.0%" in signed.inner_text()
        mcn.screenshot(path=str(SHOTS / "A-mcn-roster.png"), full_page=True)
        signed.locator("a", has_text="合作看板").click()
        mcn.wait_for_load_state()
        assert f"creator={world['creatorA1']}" in mcn.url
        row = mcn.locator(f'tr[data-collaboration="{offer}"]')
        assert "已发起" in row.inner_text() and "3,000" in row.inner_text()
        row.locator("button", has_text="接受").click()
        mcn.wait_for_selector("p[role=status]")
        assert "已接受" in mcn.locator(f'tr[data-collaboration="{offer}"]').inner_text()
        mcn.screenshot(path=str(SHOTS / "A-mcn-accepted.png"), full_page=True)

        brand = signed_in_page(browser, url, f"brandA_{world.tag}", PASSWORD)
        brand.goto(f"{url}/workspace/collaborations?status=accepted")
        assert "已接受" in brand.locator(f'tr[data-collaboration="{offer}"]').inner_text()
        brand.screenshot(path=str(SHOTS / "A-brand-board-accepted.png"), full_page=True)
        brand.goto(f"{url}/workspace/notifications")
        assert "接受了合作「双十一 A」" in brand.locator("table").inner_text()

        creator = signed_in_page(browser, url, f"creatorA1_{world.tag}", PASSWORD)
        creator.goto(f"{url}/workspace/collaborations")
        mine = creator.locator(f'tr[data-collaboration="{offer}"]')
        assert "已接受" in mine.inner_text()
        # The next step is the creator's own: submitting its content.
        assert mine.locator("a", has_text="提交内容").count() == 1
    with db.transaction() as s:
        assert s.get(Collaboration, offer).status is CollaborationStatus.ACCEPTED  # type: ignore[union-attr]
