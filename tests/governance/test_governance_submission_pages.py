"""主体认证 and 商品监测 pages: a brand and a creator submit their own documents from the workspace (USCC and ID
check characters, terms shown, expiry honoured by the restricted-category gate), the operator decides, only
tenants submit; the monitoring page per role; and both in Chromium."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from tests.browser import chromium, serving
from tests.fixtures.pages import post_form, remote_assets, sign_in
from tests.fixtures.world import PASSWORD, WORLD_USCC, World

from wanghong.commerce.models import Order, Product
from wanghong.domain import CollaborationMode
from wanghong.governance import monitoring, subjects
from wanghong.governance.engine.idcard import check_character
from wanghong.governance.engine.subjects import DocumentKind, SubjectKind, SubjectState
from wanghong.governance.models import GovernanceSubject, PriceObservation, SubjectDocument
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database

SHOTS = Path("/tmp/shots")
BRAND_DOCS = [
    ("business_licence", WORLD_USCC, "2015-01-01", ""),
    ("food_production_licence", "", "", ""),
    ("food_business_licence", "JY13301060001", "2021-01-01", ""),  # its end date is set per test
    ("cosmetics_filing", "国妆网备字2020001", "2020-01-01", ""),
    ("special_cosmetics_registration", "", "", ""),
    ("health_food_registration", "", "", ""),
    ("medical_device_registration", "", "", ""),
]


def _id_number(born: date) -> str:
    body = f"330106{born:%Y%m%d}123"
    return body + check_character(body)


def _brand_form(food_until: str) -> dict[str, object]:
    docs = [(k, n, f, food_until if k == "food_business_licence" else u) for k, n, f, u in BRAND_DOCS]
    return {
        "legal_name": "品牌甲有限公司",
        "uscc": WORLD_USCC.lower(),  # read as the code, whatever the case
        "categories": ["food", "beauty"],
        "doc_kind": [d[0] for d in docs],
        "doc_number": [d[1] for d in docs],
        "doc_from": [d[2] for d in docs],
        "doc_until": [d[3] for d in docs],
    }


def _propose(client: TestClient, headers: dict[str, str], world: World, product_id: int) -> int:
    body = {
        "campaign_id": world["campaignA"],
        "creator_id": world["creatorA1"],
        "product_id": product_id,
        "mode": CollaborationMode.CREATOR_DISTRIBUTION.value,
        "commission_rate": 0.2,
    }
    response = client.post("/api/v1/collaborations", json=body, headers=headers)
    return response.status_code


def test_a_brand_submits_its_documents_and_expiry_stops_restricted_sales(
    web_client: TestClient, app_client: TestClient, world: World, db: Database, as_user
) -> None:
    token = sign_in(web_client, world, "brandA")
    page = web_client.get("/workspace/verification")
    assert page.status_code == 200 and "主体认证" in page.text and 'data-today="verified"' in page.text
    assert not remote_assets(page.text)
    yesterday = (date.today() - timedelta(days=2)).isoformat()
    bad = _brand_form("") | {"uscc": WORLD_USCC[:-1] + "0"}
    refused = post_form(web_client, token, "/workspace/verification", **bad)
    assert refused.status_code == 422 and "统一社会信用代码无效" in refused.text
    done = post_form(web_client, token, "/workspace/verification", **_brand_form(yesterday))
    assert done.status_code == 303, done.text
    pending = web_client.get("/workspace/verification").text
    assert 'data-today="pending"' in pending and "材料审核中" in pending and 'name="uscc"' not in pending
    food_row = re.search(r'<tr data-document="food_business_licence">.*?</tr>', pending, re.S)
    assert food_row and "已过期" in food_row.group() and 'data-problem="qualification.lapsed:food"' in pending
    # The operator verifies (the licence and the cosmetics filing are in force); food stays closed: its licence
    # has lapsed, and a proposal of a food product is refused with that reason.
    with db.transaction() as s:
        row = subjects.find(s, SubjectKind.BRAND, world["brandA"])
        assert row is not None and row.state is SubjectState.PENDING and row.categories == ["food", "beauty"]
        subject_id = row.id
        food = Product(brand_id=world["brandA"], name="坚果礼盒", category="food", price=Decimal("59"))
        beauty = Product(brand_id=world["brandA"], name="精华", category="beauty", price=Decimal("199"))
        s.add_all([food, beauty])
        s.flush()
        food_id, beauty_id = food.id, beauty.id
    admin = as_user("admin")
    verified = app_client.post(
        f"/api/v1/governance/subjects/{subject_id}/decision", json={"action": "verify"}, headers=admin
    )
    assert verified.status_code == 200, verified.text
    rights = web_client.get("/workspace/verification").text
    food_line = re.search(r'<tr data-category="food">.*?</tr>', rights, re.S)
    beauty_line = re.search(r'<tr data-category="beauty">.*?</tr>', rights, re.S)
    assert food_line and "不可销售" in food_line.group() and beauty_line and "可销售" in beauty_line.group()
    assert _propose(app_client, as_user("brandA"), world, food_id) == 409
    assert _propose(app_client, as_user("brandA"), world, beauty_id) == 201
    # Time passes: the business licence ends. The verified record now reads expired and sells nothing restricted.
    with db.transaction() as s:
        s.execute(
            update(SubjectDocument)
            .where(SubjectDocument.subject_id == subject_id, SubjectDocument.kind == DocumentKind.BUSINESS_LICENCE)
            .values(valid_until=date.today() - timedelta(days=3))
        )
    lapsed = web_client.get("/workspace/verification").text
    assert 'data-today="expired"' in lapsed and 'data-problem="licence.expired"' in lapsed
    with db.transaction() as s:
        other = Product(brand_id=world["brandA"], name="面膜", category="beauty", price=Decimal("69"))
        s.add(other)
        s.flush()
        other_id = other.id
    assert _propose(app_client, as_user("brandA"), world, other_id) == 409
    web_client.get("/lang/en", follow_redirects=False)
    english = web_client.get("/workspace/verification").text
    web_client.get("/lang/zh", follow_redirects=False)
    assert "Verification status" in english and "Expired" in english
    assert "Business licence" in english and "主体认证" not in english


def test_a_creator_submits_its_id_number(web_client: TestClient, world: World, db: Database, as_user) -> None:
    token = sign_in(web_client, world, "creatorA1")
    wrong = _id_number(date(1995, 5, 5))
    wrong = wrong[:-1] + ("0" if wrong[-1] != "0" else "1")
    refused = post_form(web_client, token, "/workspace/verification", id_number=wrong)
    assert refused.status_code == 422 and "校验码" in refused.text
    young = date.today().replace(year=date.today().year - 15) - timedelta(days=1)
    done = post_form(web_client, token, "/workspace/verification", id_number=_id_number(young), id_valid_until="")
    assert done.status_code == 303, done.text
    page = web_client.get("/workspace/verification").text
    assert 'data-problem="age.under_16"' in page and "330106********" in page and _id_number(young) not in page
    with db.transaction() as s:
        row = s.get(GovernanceSubject, world["subjectCreatorA1"])
        assert row is not None and row.birth_date == young and row.real_name_verified
        assert row.id_number_masked is not None and row.id_number_masked.startswith("330106")
    decided = web_client.post(
        f"/api/v1/governance/subjects/{world['subjectCreatorA1']}/decision",
        json={"action": "verify"},
        headers=as_user("admin"),
    )
    assert decided.status_code == 422 and "age.under_16" in decided.text  # the operator cannot verify a minor


def test_only_tenants_submit_their_own_documents(web_client: TestClient, world: World, db: Database) -> None:
    for user in ("admin", "reviewer", "regulator"):
        web_client.cookies.clear()
        token = sign_in(web_client, world, user)
        assert web_client.get("/workspace/verification").status_code == 403, user
        posted = post_form(web_client, token, "/workspace/verification", **_brand_form(""))
        assert posted.status_code == 403, user
    with db.transaction() as s:
        assert subjects.state_of(s, SubjectKind.BRAND, world["brandA"]) is SubjectState.VERIFIED


def test_the_monitoring_page_per_role(web_client: TestClient, world: World, db: Database) -> None:
    sign_in(web_client, world, "regulator")
    board = web_client.get("/workspace/monitoring")
    assert board.status_code == 200, board.text
    for words in ("商品监测", "虚构原价（先涨后降）", "绿色直播间评估", "只读", f'data-room="{world["creatorA1"]}"'):
        assert words in board.text, words
    chart = web_client.get("/workspace/monitoring", params={"product": world["productA"]})
    assert chart.status_code == 200 and "<svg" in chart.text and "价格历史" in chart.text
    web_client.get("/lang/en", follow_redirects=False)
    english = web_client.get("/workspace/monitoring").text
    web_client.get("/lang/zh", follow_redirects=False)
    assert "Green livestream rooms" in english and "商品监测" not in english
    web_client.cookies.clear()
    sign_in(web_client, world, "brandB")
    own = web_client.get("/workspace/monitoring")
    assert own.status_code == 200 and "仅显示本品牌" in own.text and "绿色直播间评估" not in own.text
    foreign = web_client.get("/workspace/monitoring", params={"product": world["productA"]})
    assert foreign.status_code == 404 and "text/html" in foreign.headers["content-type"]


@pytest.mark.browser
def test_submission_and_monitoring_in_chromium(app_client, world: World, db: Database, database_url: str) -> None:  # type: ignore[no-untyped-def]
    """A brand files a food licence in the browser; the regulator reads 商品监测 with the product's price chart."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    # The product's price history: 99 for weeks, raised to 129 a week ago, cut to 89 two days ago.
    for price, days in (("129.00", 7), ("89.00", 2)):
        with db.transaction() as s:
            s.execute(update(Product).where(Product.id == world["productA"]).values(price=Decimal(price)))
            s.execute(
                update(PriceObservation)
                .where(PriceObservation.id == s.scalar(select(func.max(PriceObservation.id))))
                .values(observed_at=utcnow() - timedelta(days=days))
            )
    with db.transaction() as s:
        s.execute(
            update(PriceObservation)
            .where(PriceObservation.product_id == world["productA"], PriceObservation.fen == 9900)
            .values(observed_at=utcnow() - timedelta(days=40))
        )
        # ...and sold at 99 three weeks ago: the world's order carries its fixed date T0, which from 2026-12-03 on lay
        # outside the 30 days of history before a cut two days ago, leaving no sale to judge the 原价 by.
        s.execute(update(Order).where(Order.id == world["orderA"]).values(ordered_at=utcnow() - timedelta(days=21)))
        # Written past the hooks, as a bulk load is: the batch scan finds the raise before the cut.
        assert monitoring.scan(s, None).findings >= 1
    with chromium(database_url) as browser, serving(app_client.app) as url:

        def signed_in(user: str):  # type: ignore[no-untyped-def]
            page = browser.new_context().new_page()
            page.goto(f"{url}/login")
            page.fill("input[name=username]", f"{user}_{world.tag}")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            return page

        brand = signed_in("brandA")
        brand.goto(f"{url}/workspace/verification")
        brand.check("input[name=categories][value=food]")
        brand.fill('input[aria-label="食品经营许可证 编号"]', "JY13301060001")
        brand.fill('input[aria-label="食品经营许可证 生效日期"]', "2024-01-01")
        brand.fill('input[aria-label="食品经营许可证 有效期至（空为长期）"]', "2029-12-31")
        brand.locator("button", has_text="提交审核").click()
        brand.wait_for_selector("p[role=status]")
        assert "待审核" in brand.locator("dl.facts").inner_text()
        assert "有效" in brand.locator('tr[data-document="food_business_licence"]').inner_text()
        brand.screenshot(path=str(SHOTS / "H-verification-brand.png"), full_page=True)

        regulator = signed_in("regulator")
        regulator.goto(f"{url}/workspace/monitoring?product={world['productA']}")
        assert "价格历史" in regulator.content()
        assert "虚构原价" in regulator.locator('tr[data-finding="fake_discount"]').first.inner_text()
        regulator.screenshot(path=str(SHOTS / "H-monitoring-regulator.png"), full_page=True)
    with db.transaction() as s:
        assert subjects.state_of(s, SubjectKind.BRAND, world["brandA"]) is SubjectState.PENDING
