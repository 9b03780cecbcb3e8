"""Issue 12, first part: a brand creates and launches a campaign and a product, proposes, and the creator answers,
all through the workspace pages' forms; refused steps show the reason and change nothing."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.browser import chromium, serving
from tests.fixtures.pages import post_form as _post
from tests.fixtures.pages import sign_in as _sign_in
from tests.fixtures.world import PASSWORD, World

from wanghong.commerce.models import Campaign, Collaboration, Product
from wanghong.domain import CampaignStatus, CollaborationStatus, PenaltyKind
from wanghong.kit.db.session import Database

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_brand_runs_campaigns_and_products_from_the_pages(web_client: TestClient, world: World, db: Database) -> None:
    token = _sign_in(web_client, world, "brandA")
    name = f"春季上新 {world.tag}"
    created = _post(web_client, token, "/workspace/campaigns", name=name, budget="120000", ends="2099-03-31")
    assert created.status_code == 303
    with db.transaction() as s:
        campaign = s.scalars(select(Campaign).where(Campaign.name == name)).one()
        assert (campaign.brand_id, campaign.status, campaign.budget) == (world["brandA"], CampaignStatus.DRAFT, 120000)
        assert campaign.ends_at is not None and campaign.ends_at.isoformat().startswith("2099-03-31T15:59:59")
    page = web_client.get("/workspace/campaigns")
    assert name in page.text and "¥12.00万" in page.text and "2099-03-31 23:59" in page.text
    launched = _post(web_client, token, f"/workspace/campaigns/{campaign.id}/status", to="active")
    assert launched.status_code == 303
    # Another brand's campaign is a 404 page, not a change.
    foreign = _post(web_client, token, f"/workspace/campaigns/{world['campaignB']}/status", to="closed")
    assert foreign.status_code == 404 and "text/html" in foreign.headers["content-type"]
    with db.transaction() as s:
        assert s.get(Campaign, campaign.id).status is CampaignStatus.ACTIVE  # type: ignore[union-attr]
        assert s.get(Campaign, world["campaignB"]).status is CampaignStatus.ACTIVE  # type: ignore[union-attr]

    clean = f"保湿面霜 {world.tag}"
    assert (
        _post(web_client, token, "/workspace/products", name=clean, category="beauty", price="129").status_code == 303
    )
    loud = f"神奇面霜 {world.tag}"
    copy = "国家级最佳面霜，根治皮炎，百分百有效"
    made = _post(web_client, token, "/workspace/products", name=loud, category="beauty", price="99", description=copy)
    assert made.status_code == 303
    products = web_client.get("/workspace/products")
    assert clean in products.text and loud in products.text
    assert "拦截" in products.text  # the blocked product says so where the brand manages it
    bad = _post(web_client, token, "/workspace/products", name="x", category="no-such-category", price="1")
    assert bad.status_code == 422 and "category" in bad.text
    with db.transaction() as s:
        assert s.scalars(select(Product).where(Product.name == "x")).first() is None


def test_creator_answers_offers_on_the_board(web_client: TestClient, world: World, db: Database) -> None:
    with db.transaction() as s:
        s.get(Collaboration, world["collabA"]).fee = Decimal("3000")  # type: ignore[union-attr]
    token = _sign_in(web_client, world, "creatorA1")
    board = web_client.get("/workspace/collaborations?status=proposed")
    assert board.status_code == 200
    assert (
        f'data-collaboration="{world["collabA"]}"' in board.text and "接受" in board.text and "¥3,000.00" in board.text
    )
    # Submitting content before accepting is refused with the workflow's reason, and nothing moves.
    early = _post(
        web_client,
        token,
        f"/workspace/collaborations/{world['collabA']}/transitions",
        to="content_submitted",
        content_url="https://example.com/v/1",
    )
    assert early.status_code == 409 and "accepted" in early.text
    assert (
        _post(web_client, token, f"/workspace/collaborations/{world['collabA']}/transitions", to="accepted").status_code
        == 303
    )
    submitted = _post(
        web_client,
        token,
        f"/workspace/collaborations/{world['collabA']}/transitions",
        to="content_submitted",
        content_url="https://example.com/v/1",
    )
    assert submitted.status_code == 303
    with db.transaction() as s:
        row = s.get(Collaboration, world["collabA"])
        assert row is not None and (row.status, row.content_url) == (
            CollaborationStatus.CONTENT_SUBMITTED,
            "https://example.com/v/1",
        )
    # The other tenant's collaboration is not there for this creator.
    foreign = _post(web_client, token, f"/workspace/collaborations/{world['collabB']}/transitions", to="accepted")
    assert foreign.status_code == 404


@pytest.mark.browser
def test_the_loop_in_chromium(app_client, world: World, db: Database, database_url: str) -> None:  # type: ignore[no-untyped-def]
    """Brand launches a campaign in the page; creator accepts and submits; brand approves — no API calls."""
    with chromium(database_url) as browser, serving(app_client.app) as url:
        brand = browser.new_page()
        brand.goto(f"{url}/login")
        brand.fill("input[name=username]", f"brandA_{world.tag}")
        brand.fill("input[name=password]", PASSWORD)
        brand.click("button[type=submit]")
        brand.goto(f"{url}/workspace/campaigns")
        brand.fill("input[name=name]", f"浏览器活动 {world.tag}")
        brand.fill("input[name=budget]", "88000")
        brand.click("form.create button[type=submit]")
        brand.wait_for_selector("p[role=status]")
        row = brand.locator("tr", has_text=f"浏览器活动 {world.tag}")
        row.locator("button", has_text="启动").click()
        brand.wait_for_selector("p[role=status]")
        assert "进行中" in brand.locator("tr", has_text=f"浏览器活动 {world.tag}").inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        brand.screenshot(path=str(SCREENSHOTS / "workspace-campaigns.png"), full_page=True)

        creator = browser.new_context().new_page()
        creator.goto(f"{url}/login")
        creator.fill("input[name=username]", f"creatorA1_{world.tag}")
        creator.fill("input[name=password]", PASSWORD)
        creator.click("button[type=submit]")
        creator.goto(f"{url}/workspace/collaborations")
        offer = creator.locator(f'tr[data-collaboration="{world["collabA"]}"]')
        offer.locator("button", has_text="接受").click()
        creator.wait_for_selector("p[role=status]")
        creator.screenshot(path=str(SCREENSHOTS / "workspace-board-creator.png"), full_page=True)
        # Submitting content goes through its 预检 page: title, script and link, the scan, then confirm.
        offer = creator.locator(f'tr[data-collaboration="{world["collabA"]}"]')
        offer.locator("a", has_text="提交内容").click()
        creator.fill("input[name=title]", "面霜开箱")
        creator.fill("textarea[name=script]", "质地清爽，适合秋冬")
        creator.fill("input[name=video_url]", "https://example.com/draft/7")
        creator.locator("form.create button[type=submit]").click()
        creator.wait_for_selector("section.scan[data-verdict=pass]")
        creator.locator("button.confirm").click()
        creator.wait_for_selector("p[role=status]")

        brand.goto(f"{url}/workspace/collaborations?status=content_submitted")
        submitted = brand.locator(f'tr[data-collaboration="{world["collabA"]}"]')
        assert (
            submitted.locator("a.versions").get_attribute("href")
            == f"/workspace/collaborations/{world['collabA']}/content"
        )
        submitted.locator("button", has_text="通过").click()
        brand.wait_for_selector("p[role=status]")
        brand.screenshot(path=str(SCREENSHOTS / "workspace-board-brand.png"), full_page=True)
    with db.transaction() as s:
        assert s.get(Collaboration, world["collabA"]).status is CollaborationStatus.APPROVED  # type: ignore[union-attr]


def test_the_money_page_reads_the_ledger(web_client: TestClient, world: World, db: Database, as_user) -> None:
    # A fee released through the workflow is what the creator's money page shows as earned.
    api = web_client
    with db.transaction() as s:
        s.get(Collaboration, world["collabA"]).fee = Decimal("20000")  # type: ignore[union-attr]
    step = f"/api/v1/collaborations/{world['collabA']}/transitions"
    for user, body in (
        ("creatorA1", {"to": "accepted"}),
        ("creatorA1", {"to": "content_submitted", "content_url": "https://example.com/v/m"}),
        ("brandA", {"to": "approved"}),
        ("creatorA1", {"to": "live"}),
        ("brandA", {"to": "settled"}),
    ):
        assert api.post(step, json=body, headers=as_user(user)).status_code == 200, (user, body)
    _sign_in(web_client, world, "creatorA1")
    page = web_client.get("/workspace/money")
    assert page.status_code == 200
    assert 'data-account="receivable"' in page.text and "合作费结算" in page.text
    receivable = re.search(
        r'data-account="receivable"><div class="label">[^<]+</div><div class="value">([^<]+)<', page.text
    )
    assert receivable is not None and receivable.group(1).startswith("¥")
    assert receivable.group(1) != "¥0.00"
    _sign_in(web_client, world, "brandA")
    assert "冻结中预算" in web_client.get("/workspace/money").text


def test_a_creator_appeals_a_penalty_from_the_page(web_client: TestClient, world: World, db: Database) -> None:
    from wanghong.compliance.models import ComplianceAppeal, CompliancePenalty

    with db.transaction() as s:
        penalty = CompliancePenalty(creator_id=world["creatorA1"], kind=PenaltyKind.WARNING, reason="全网最低价")
        s.add(penalty)
        s.flush()
        penalty_id = penalty.id
    token = _sign_in(web_client, world, "creatorA1")
    page = web_client.get("/workspace/penalties")
    assert f'data-penalty="{penalty_id}"' in page.text and "提交申诉" in page.text
    empty = _post(web_client, token, f"/workspace/penalties/{penalty_id}/appeal", reason="  ")
    assert empty.status_code == 422
    filed = _post(
        web_client, token, f"/workspace/penalties/{penalty_id}/appeal", reason="价格为当日全网实测最低，附截图"
    )
    assert filed.status_code == 303
    with db.transaction() as s:
        appeals = s.scalars(select(ComplianceAppeal).where(ComplianceAppeal.penalty_id == penalty_id)).all()
        assert len(appeals) == 1 and appeals[0].reason.startswith("价格为当日")
    # Another creator's penalty cannot be appealed from this account.
    other = _post(web_client, token, f"/workspace/penalties/{world['penaltyB']}/appeal", reason="x")
    assert other.status_code == 404
