"""MCN 后台 in the browser's place: the agency signs a creator from 达人管理, the creator confirms on 签约, the
agency sees it on its roster and 机构等级与分成; refused steps show the reason; every page reads in English too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.browser import chromium, serving
from tests.fixtures.pages import post_form as _post
from tests.fixtures.pages import sign_in as _sign_in
from tests.fixtures.world import PASSWORD, World
from tests.workspace.test_workspace_report import run_campaign
from wanghong.agency.models import AgencySigning, SigningStatus
from wanghong.commerce.models import Creator, Mcn, McnTierChange
from wanghong.domain import McnTier
from wanghong.kit.db.session import Database
from wanghong.workspace import report_page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _tier(db: Database, world: World) -> None:
    with db.transaction() as s:
        mcn = s.get(Mcn, world["mcnA"])
        assert mcn is not None
        mcn.tier = McnTier.A
        s.add(McnTierChange(mcn_id=mcn.id, tier=McnTier.B, reason="首次评级"))
        s.add(McnTierChange(mcn_id=mcn.id, tier=McnTier.A, reason="GMV 增长"))


def test_sign_confirm_and_see_it_on_the_pages(
    web_client: TestClient, app_client: TestClient, world: World, db: Database, free_creator: Any
) -> None:
    solo = free_creator("pagesolo", 320_000)
    _tier(db, world)
    token = _sign_in(web_client, world, "mcnA")
    roster = web_client.get("/workspace/roster")
    assert roster.status_code == 200
    assert f'data-creator="{world["creatorA1"]}"' in roster.text and "腰部 (10万–100万)" in roster.text
    assert f"/workspace/collaborations?creator={world['creatorA1']}" in roster.text
    assert f'data-creator="{world["creatorB1"]}"' not in roster.text  # another agency's creator

    bad = _post(web_client, token, "/workspace/roster/sign", handle=f"pagesolo_{world.tag}", share="150", term="12")
    assert bad.status_code == 422 and "share_rate" in bad.text
    poach = _post(web_client, token, "/workspace/roster/sign", handle=f"creatorB1_{world.tag}", share="30", term="12")
    assert poach.status_code == 409 and "another agency" in poach.text
    sent = _post(web_client, token, "/workspace/roster/sign", handle=f"pagesolo_{world.tag}", share="27.5", term="24")
    assert sent.status_code == 303, sent.text
    with db.transaction() as s:
        signing = s.scalars(select(AgencySigning).where(AgencySigning.creator_id == solo)).one()
        assert (signing.share_rate, signing.term_months, signing.status) == (0.275, 24, SigningStatus.PENDING)
    listed = web_client.get("/workspace/roster").text
    assert f'data-signing="{signing.id}"' in listed and "待答复" in listed and "27.5%" in listed

    creator = TestClient(app_client.app)
    creator_token = _sign_in(creator, world, "pagesolo")
    inbox = creator.get("/workspace/signing")
    assert inbox.status_code == 200 and f"MCN A {world.tag}" in inbox.text and "你目前未签约任何机构" in inbox.text
    confirmed = _post(creator, creator_token, f"/workspace/signing/{signing.id}/decision", decision="confirm")
    assert confirmed.status_code == 303
    after = creator.get("/workspace/signing").text
    assert "已确认" in after and f"MCN A {world.tag}" in after and "27.5%" in after
    # Another creator's request: a 404 page, nothing changes.
    foreign = _post(creator, creator_token, f"/workspace/signing/{world['signingB']}/decision", decision="decline")
    assert foreign.status_code == 404 and "text/html" in foreign.headers["content-type"]
    creator.close()

    with db.transaction() as s:
        assert s.scalar(select(Creator.mcn_id).where(Creator.id == solo)) == world["mcnA"]
    roster = web_client.get("/workspace/roster").text
    assert f'data-creator="{solo}"' in roster and "已确认" in roster
    agency = web_client.get("/workspace/agency")
    assert agency.status_code == 200
    text = agency.text
    assert 'data-tier="A"' in text and "A 级" in text and "GMV 增长" in text and "首次评级" in text
    assert 'data-grant="S"' in text and "2,000,000" in text  # the A tier's traffic pack, from the grants table
    assert f'data-split="{solo}"' in text and "27.5%" in text
    web_client.cookies.set("lang", "en")
    english = web_client.get("/workspace/agency").text
    assert "What each tier grants" in english and "Tier A" in english and "机构等级" not in english
    roster_en = web_client.get("/workspace/roster").text
    assert "Mid-tier (100K–1M)" in roster_en and "Confirmed" in roster_en and "腰部" not in roster_en
    web_client.cookies.set("lang", "zh")


def test_other_roles_are_turned_away(web_client: TestClient, world: World) -> None:
    _sign_in(web_client, world, "brandA")
    for path in ("/workspace/roster", "/workspace/agency", "/workspace/signing"):
        page = web_client.get(path)
        assert page.status_code == 403 and "text/html" in page.headers["content-type"], path


@pytest.mark.browser
def test_the_agency_loop_in_chromium(  # type: ignore[no-untyped-def]
    app_client, world: World, db: Database, database_url: str, free_creator: Any, as_user: Any
) -> None:
    """MCN signs a creator, the creator confirms, the MCN sees it on roster and tier pages; the brand opens its
    campaign report — all through the pages."""
    solo = free_creator("browsersolo", 560_000)
    _tier(db, world)
    run_campaign(app_client, world, db, as_user)  # the report has fees, commissions and sales to show
    app: Any = app_client.app
    if not any(getattr(r, "path", "") == "/workspace/campaigns/{campaign_id}/report" for r in app.routes):
        app.include_router(report_page.router)  # until the composition root mounts it
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with chromium(database_url) as browser, serving(app_client.app) as url:

        def signed_in(user: str) -> Any:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.goto(f"{url}/login")
            page.fill("input[name=username]", f"{user}_{world.tag}")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            return page

        mcn = signed_in("mcnA")
        mcn.goto(f"{url}/workspace/roster")
        mcn.fill("input[name=handle]", f"browsersolo_{world.tag}")
        mcn.fill("input[name=share]", "22")
        mcn.fill("input[name=term]", "12")
        mcn.fill("form.create input[name=message]", "欢迎加入")
        mcn.click("form.create button[type=submit]")
        mcn.wait_for_selector("p[role=status]")
        assert "待答复" in mcn.locator("tr[data-signing]", has_text="browsersolo").first.inner_text()

        creator = signed_in("browsersolo")
        creator.goto(f"{url}/workspace/signing")
        request = creator.locator("tr[data-signing]", has_text=f"MCN A {world.tag}").first
        assert "欢迎加入" in request.inner_text()
        creator.screenshot(path=str(SCREENSHOTS / "agency-signing-creator.png"), full_page=True)
        request.locator("button", has_text="确认").click()
        creator.wait_for_selector("p[role=status]")
        assert f"MCN A {world.tag}" in creator.locator("[data-agency]").inner_text()

        mcn.goto(f"{url}/workspace/roster")
        row = mcn.locator(f'tr[data-creator="{solo}"]')
        assert "22.0%" in row.inner_text()
        mcn.screenshot(path=str(SCREENSHOTS / "agency-roster.png"), full_page=True)
        mcn.goto(f"{url}/workspace/agency")
        assert "A 级" in mcn.locator("[data-tier]").inner_text()
        assert "22.0%" in mcn.locator(f'tr[data-split="{solo}"]').inner_text()
        mcn.screenshot(path=str(SCREENSHOTS / "agency-tier.png"), full_page=True)

        brand = signed_in("brandA")
        brand.goto(f"{url}/workspace/campaigns/{world['campaignA']}/report")
        brand.wait_for_selector("[data-figure=spend]")
        assert "双十一 A" in brand.content()
        brand.wait_for_selector(".plotly-graph-div .main-svg", timeout=15_000)
        brand.screenshot(path=str(SCREENSHOTS / "workspace-report.png"), full_page=True)
        brand.goto(f"{url}/workspace/campaigns/{world['campaignB']}/report")
        assert "双十一 B" not in brand.content()
    with db.transaction() as s:
        assert s.scalar(select(Creator.mcn_id).where(Creator.id == solo)) == world["mcnA"]


@pytest.mark.browser
def test_the_roster_fits_its_card_at_1280_px_and_scrolls_inside_it_on_a_phone(  # type: ignore[no-untyped-def]
    app_client, world: World, database_url: str
) -> None:
    """达人管理's tables stay inside their cards: at 1280 px every column fits (no sideways scroll at all), on a
    390 px phone the page itself never scrolls sideways, only the table inside its card; in both languages."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    measure = """() => [...document.querySelectorAll('.table-card')].map(card => ({
        page: document.documentElement.scrollWidth - window.innerWidth,
        inside: card.scrollWidth - card.clientWidth,
        escapes: card.getBoundingClientRect().right - document.querySelector('main').getBoundingClientRect().right,
    }))"""
    with chromium(database_url) as browser, serving(app_client.app) as url:
        for language in ("zh", "en"):
            for width in (1280, 390):
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                page.goto(f"{url}/lang/{language}")
                page.goto(f"{url}/login")
                page.fill("input[name=username]", f"mcnA_{world.tag}")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.goto(f"{url}/workspace/roster")
                page.wait_for_selector(f'tr[data-creator="{world["creatorA1"]}"]')
                page.screenshot(path=str(SCREENSHOTS / f"agency-roster-{width}-{language}.png"), full_page=True)
                cards = page.evaluate(measure)
                assert len(cards) == 2, cards
                for card in cards:
                    assert card["page"] <= 0 and card["escapes"] <= 1, (language, width, card)
                    if width == 1280:
                        assert card["inside"] <= 0, (language, card)
                context.close()
