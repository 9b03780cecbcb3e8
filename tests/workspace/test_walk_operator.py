"""The operator's loop in Chromium, through the pages alone: on 主体管理 it verifies a brand waiting for review, the
brand proposes from 选品中心; it then suspends the brand, and the brand's next proposal is refused on the page with
the reason the operator gave."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.browser import chromium, serving, signed_in_page
from tests.fixtures.world import PASSWORD, World

from wanghong.commerce.models import Collaboration
from wanghong.governance.engine.subjects import SubjectState
from wanghong.governance.models import GovernanceSubject
from wanghong.kit.db.session import Database

SHOTS = Path("/tmp/shots")
REASON = "虚假宣传，暂停合作待整改"


def _proposals(db: Database, world: World) -> int:
    with db.transaction() as s:
        query = select(func.count()).select_from(Collaboration).where(Collaboration.campaign_id == world["campaignA"])
        return s.scalar(query) or 0


@pytest.mark.browser
def test_operator_verifies_then_suspends_and_the_brand_is_told_why(
    app_client: TestClient, world: World, db: Database, database_url: str
) -> None:
    # Brand A has sent its licence and cosmetics filing and waits for an operator (its products are 美妆: a
    # restricted category, sold only by a verified brand).
    with db.transaction() as s:
        s.get(GovernanceSubject, world["subjectBrandA"]).state = SubjectState.PENDING  # type: ignore[union-attr]
    before = _proposals(db, world)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium(database_url) as browser, serving(app_client.app) as url:
        operator = signed_in_page(browser, url, f"admin_{world.tag}", PASSWORD)
        brand = signed_in_page(browser, url, f"brandA_{world.tag}", PASSWORD)

        def subject_page() -> None:
            operator.goto(f"{url}/workspace/subjects?kind=brand&q=Brand A {world.tag}")
            operator.locator(f'tr[data-subject="brand-{world["brandA"]}"] a').click()
            operator.wait_for_load_state()

        subject_page()
        operator.locator("button", has_text="通过认证").click()
        operator.wait_for_selector("p[role=status]")
        assert "已认证" in operator.locator("dl.facts").inner_text()

        def propose(row: int) -> None:
            brand.goto(f"{url}/matching?product_id={world['productA']}")
            brand.fill("#fee", "2000")
            brand.locator("button.propose").nth(row).click()

        propose(0)
        brand.wait_for_selector("button.propose:disabled")
        assert brand.locator("button.propose").nth(0).inner_text() == "已发起"
        assert _proposals(db, world) == before + 1

        subject_page()
        operator.fill("input[name=reason]", REASON)
        operator.locator("button", has_text="暂停").click()
        operator.wait_for_selector("p[role=status]")
        facts = operator.locator("dl.facts").inner_text()
        assert "已暂停" in facts
        assert REASON in operator.content()  # the history names the decision and its reason
        operator.screenshot(path=str(SHOTS / "A-operator-suspended.png"), full_page=True)

        propose(1)
        refusal = brand.wait_for_selector("#propose-error:not([hidden])")
        assert refusal is not None
        said = refusal.inner_text()
        assert "暂停" in said and REASON in said and "/" not in said.replace(REASON, ""), said
        assert brand.locator("button.propose").nth(1).inner_text() != "已发起"
        brand.screenshot(path=str(SHOTS / "A-brand-proposal-refused.png"), full_page=True)
        # Another brand's campaign report, typed into the address bar: the error page, not the other's figures.
        missing = brand.goto(f"{url}/workspace/campaigns/{world['campaignB']}/report")
        assert missing is not None and missing.status == 404
        assert brand.locator("section.failure h1").inner_text() == "页面不存在"
        brand.screenshot(path=str(SHOTS / "A-error-404.png"), full_page=True)

        # The regulator, read-only, lands on its home and finds the suspension on 监管看板.
        regulator = signed_in_page(browser, url, f"regulator_{world.tag}", PASSWORD)
        assert "监管账号只读" in regulator.locator("p.read-only").inner_text()
        regulator.screenshot(path=str(SHOTS / "A-regulator-home.png"), full_page=True)
        regulator.locator("nav.workspaces a", has_text="监管看板").click()
        regulator.wait_for_load_state()
        brands = regulator.locator('tr[data-kind="brand"] td').all_inner_texts()
        states = regulator.locator("table").first.locator("thead th").all_inner_texts()
        assert int(brands[states.index("已暂停")]) >= 1
    assert _proposals(db, world) == before + 1
    with db.transaction() as s:
        assert s.get(GovernanceSubject, world["subjectBrandA"]).state is SubjectState.SUSPENDED  # type: ignore[union-attr]
