"""主体管理 and 监管看板 pages: operators decide through the forms (history, 404 for unknown subjects, 403 for
other roles), the regulator reads its dashboard and can post nothing; and the whole walk in Chromium."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.browser import chromium, serving
from tests.fixtures.pages import post_form as _post
from tests.fixtures.pages import sign_in as _sign_in
from tests.fixtures.world import PASSWORD, World

from wanghong.accounts.models import User
from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Brand, Collaboration
from wanghong.domain import CollaborationStatus
from wanghong.governance import subjects
from wanghong.governance.engine.subjects import SubjectKind, SubjectState
from wanghong.governance.schemas import SubjectIn
from wanghong.kit.db.session import Database

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
USCC = "91110108551385082Q"


def _pending_brand(db: Database, world: World) -> tuple[int, str]:
    """A brand that has submitted its licence and a food licence: waiting for an operator."""
    name = f"待审品牌 {uuid.uuid4().hex[:6]}"
    with db.transaction() as s:
        brand = Brand(name=name, industry="food")
        s.add(brand)
        s.flush()
        admin = Principal.of(s.scalars(select(User).where(User.username == f"admin_{world.tag}")).one())
        record = {
            "kind": "brand",
            "org_id": brand.id,
            "legal_name": f"{name}有限公司",
            "uscc": USCC,
            "categories": ["food"],
            "documents": [
                {"kind": "business_licence", "number": USCC, "valid_from": "2012-01-01"},
                {"kind": "food_business_licence", "number": "JY13301060001", "valid_from": "2023-01-01"},
            ],
        }
        subjects.submit(s, admin, SubjectIn.model_validate(record))
        return brand.id, name


def test_operators_decide_from_the_subject_page(web_client: TestClient, world: World, db: Database) -> None:
    brand_id, name = _pending_brand(db, world)
    token = _sign_in(web_client, world, "admin")
    listing = web_client.get("/workspace/subjects", params={"kind": "brand", "state": "pending", "q": name})
    assert listing.status_code == 200 and name in listing.text and "待审核" in listing.text
    page = web_client.get(f"/workspace/subjects/brand/{brand_id}")
    assert "通过认证" in page.text and "食品经营许可证" in page.text and "材料齐全" in page.text
    refused = _post(web_client, token, f"/workspace/subjects/brand/{brand_id}/decision", action="reject")
    assert refused.status_code == 422 and "须填写原因" in refused.text  # shown again with the reason, in HTML
    done = _post(web_client, token, f"/workspace/subjects/brand/{brand_id}/decision", action="verify")
    assert done.status_code == 303 and done.headers["location"].endswith(
        f"/workspace/subjects/brand/{brand_id}?saved=1"
    )
    with db.transaction() as s:
        assert subjects.state_of(s, SubjectKind.BRAND, brand_id) is SubjectState.VERIFIED
    history = web_client.get(f"/workspace/subjects/brand/{brand_id}").text
    assert history.count('data-event="') == 2 and "待审核 → 已认证" in history
    web_client.get("/lang/en", follow_redirects=False)
    english = web_client.get(f"/workspace/subjects/brand/{brand_id}")
    web_client.get("/lang/zh", follow_redirects=False)
    assert "Pending review → Verified" in english.text and "Food business licence" in english.text
    missing = web_client.get("/workspace/subjects/creator/987654321")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    gone = _post(web_client, token, "/workspace/subjects/mcn/987654321/decision", action="suspend", reason="x")
    assert gone.status_code == 404 and "text/html" in gone.headers["content-type"]


@pytest.mark.parametrize("user", ["brandA", "mcnA", "creatorA1", "reviewer", "regulator"])
def test_only_operators_manage_subjects(web_client: TestClient, world: World, user: str) -> None:
    token = _sign_in(web_client, world, user)
    page = web_client.get("/workspace/subjects")
    assert page.status_code == 403 and "text/html" in page.headers["content-type"]
    post = _post(
        web_client, token, f"/workspace/subjects/brand/{world['brandA']}/decision", action="suspend", reason="x"
    )
    assert post.status_code == 403


def test_the_regulator_board(web_client: TestClient, world: World) -> None:
    _sign_in(web_client, world, "regulator")
    board = web_client.get("/workspace/regulator")
    assert board.status_code == 200
    for text in ("各类主体状态", "达人信用状态分布", "最近处罚", "30 天内到期的认证", "存证日志", "<svg"):
        assert text in board.text, text
    web_client.get("/lang/en", follow_redirects=False)
    english = web_client.get("/workspace/regulator").text
    web_client.get("/lang/zh", follow_redirects=False)
    assert "Creators by standing" in english and "Recent penalties" in english and "各类主体状态" not in english
    web_client.cookies.clear()
    _sign_in(web_client, world, "brandA")
    assert web_client.get("/workspace/regulator").status_code == 403


@pytest.mark.browser
def test_operator_regulator_and_creator_in_chromium(app_client, world: World, db: Database, database_url: str) -> None:  # type: ignore[no-untyped-def]
    """Operator verifies a brand and suspends a creator; the creator's accept is refused; the regulator reads."""
    brand_id, name = _pending_brand(db, world)
    with db.transaction() as s:
        s.get(Collaboration, world["collabA"]).fee = Decimal("3000")  # type: ignore[union-attr]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with chromium(database_url) as browser, serving(app_client.app) as url:

        def signed_in(user: str):  # type: ignore[no-untyped-def]
            page = browser.new_context().new_page()
            page.goto(f"{url}/login")
            page.fill("input[name=username]", f"{user}_{world.tag}")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            return page

        operator = signed_in("admin")
        operator.goto(f"{url}/workspace/subjects?kind=brand&state=pending")
        operator.locator(f'tr[data-subject="brand-{brand_id}"] a').click()
        operator.locator("button", has_text="通过认证").click()
        operator.wait_for_selector("p[role=status]")
        assert "已认证" in operator.locator("dl.facts").inner_text()
        operator.screenshot(path=str(SCREENSHOTS / "governance-subject-verified.png"), full_page=True)

        operator.goto(f"{url}/workspace/subjects?kind=creator&q=creatorA1_{world.tag}")
        operator.locator(f'tr[data-subject="creator-{world["creatorA1"]}"] a').click()
        operator.fill("input[name=reason]", "直播中诱导私下交易")
        operator.locator("button", has_text="暂停").click()
        operator.wait_for_selector("p[role=status]")
        operator.screenshot(path=str(SCREENSHOTS / "governance-creator-suspended.png"), full_page=True)
        operator.goto(f"{url}/workspace/subjects?kind=creator&state=suspended")
        assert "creatorA1" in operator.locator("table").inner_text()
        operator.screenshot(path=str(SCREENSHOTS / "governance-subjects.png"), full_page=True)

        creator = signed_in("creatorA1")
        creator.goto(f"{url}/workspace/collaborations")
        creator.locator(f'tr[data-collaboration="{world["collabA"]}"]').locator("button", has_text="接受").click()
        alert = creator.wait_for_selector("p.error[role=alert]")
        assert alert is not None and "暂停" in alert.inner_text()
        creator.screenshot(path=str(SCREENSHOTS / "governance-accept-refused.png"), full_page=True)

        regulator = signed_in("regulator")
        regulator.goto(f"{url}/workspace/regulator")
        assert "达人信用状态分布" in regulator.content()
        regulator.screenshot(path=str(SCREENSHOTS / "governance-regulator.png"), full_page=True)
        regulator.goto(f"{url}/lang/en")
        regulator.goto(f"{url}/workspace/regulator")
        regulator.screenshot(path=str(SCREENSHOTS / "governance-regulator-en.png"), full_page=True)
    with db.transaction() as s:
        assert s.get(Collaboration, world["collabA"]).status is CollaborationStatus.PROPOSED  # type: ignore[union-attr]
        assert subjects.state_of(s, SubjectKind.BRAND, brand_id) is SubjectState.VERIFIED
        assert subjects.state_of(s, SubjectKind.CREATOR, world["creatorA1"]) is SubjectState.SUSPENDED
    assert name
