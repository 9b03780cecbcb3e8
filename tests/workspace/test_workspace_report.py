"""Issue 12, the post-campaign report: collaborations by state, spend from the ledger (fees + commissions) against
the budget, GMV, orders, ROI and each creator's results; another brand's campaign is an HTML 404."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.fixtures.metrics import card_label, chinese_figure_names
from tests.fixtures.world import World

from wanghong.accounts.principal import Principal
from wanghong.analytics.metrics import METRICS
from wanghong.commerce.models import LivestreamSession
from wanghong.domain import CollaborationStatus, Role
from wanghong.kit.db.session import Database
from wanghong.workspace import report, report_page

SAME_ORIGIN = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(autouse=True)
def _mounted(app_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"WANGHONG_SERVICE_FEE_RATE": "0.05", "WANGHONG_FEE_RELEASE_ON_APPROVAL": "0.5"}.items():
        monkeypatch.setenv(name, value)
    # The composition root mounts the report page; until it does, the shared test app gets it here.
    app: Any = app_client.app
    if not any(getattr(r, "path", "") == "/workspace/campaigns/{campaign_id}/report" for r in app.routes):
        app.include_router(report_page.router)


def _step(client: TestClient, headers: dict[str, str], collab: int, to: str, **extra: str) -> None:
    response = client.post(f"/api/v1/collaborations/{collab}/transitions", headers=headers, json={"to": to, **extra})
    assert response.status_code == 200, response.text


def _propose(client: TestClient, world: World, headers: dict[str, str], creator: str, fee: str) -> int:
    body = {
        "campaign_id": world["campaignA"],
        "creator_id": world[creator],
        "mode": "creator_distribution",
        "fee": fee,
        "commission_rate": 0.2,
    }
    response = client.post("/api/v1/collaborations", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def run_campaign(client: TestClient, world: World, db: Database, as_user: Any) -> dict[str, int]:
    """Campaign A: a settled collaboration with two attributed orders, one accepted, one declined."""
    brand, creator, mcn, admin = as_user("brandA"), as_user("creatorA1"), as_user("mcnA"), as_user("admin")
    settled = _propose(client, world, brand, "creatorA1", "8000.00")
    _step(client, creator, settled, "accepted")
    _step(client, creator, settled, "content_submitted", content_url="https://v.example/report")
    _step(client, brand, settled, "approved")
    _step(client, creator, settled, "live")
    with db.transaction() as s:
        live = LivestreamSession(creator_id=world["creatorA1"], collaboration_id=settled, started_at=datetime.now(UTC))
        s.add(live)
        s.flush()
        live_id = live.id
    now = datetime.now(UTC)
    orders = [("old", "199.99", now - timedelta(days=3)), ("new", "99.00", now)]
    batch = {
        "events": [
            {
                "event_id": f"report-{world.tag}-{name}",
                "type": "order",
                "payload": {
                    "product_id": world["productA"],
                    "creator_id": world["creatorA1"],
                    "livestream_id": live_id,
                    "amount": amount,
                    "ordered_at": at.isoformat(),
                },
            }
            for name, amount, at in orders
        ]
    }
    assert client.post("/api/v1/events:batch", headers=admin, json=batch).status_code == 200
    _step(client, brand, settled, "settled")
    accepted = _propose(client, world, brand, "creatorA2", "2000.00")
    _step(client, mcn, accepted, "accepted")
    declined = _propose(client, world, brand, "creatorB1", "500.00")
    _step(client, as_user("mcnB"), declined, "rejected", note="档期已满")
    return {"settled": settled, "accepted": accepted, "declined": declined}


def test_the_report_adds_up(app_client: TestClient, world: World, db: Database, as_user: Any) -> None:
    run_campaign(app_client, world, db, as_user)
    brand = Principal(0, "brandA", Role.BRAND_MANAGER, brand_id=world["brandA"])
    with db.transaction() as s:
        view = report.campaign_report(s, brand, world["campaignA"])
    S = CollaborationStatus
    # The world's own proposal (collabA), the settled one, the accepted one, the declined one.
    assert {k: v for k, v in view.by_status.items() if v} == {S.PROPOSED: 1, S.SETTLED: 1, S.ACCEPTED: 1, S.REJECTED: 1}
    assert view.budget_fen == 5_000_000
    assert view.fees_fen == 800_000  # both halves of the settled fee
    # 20% of ¥199.99 (4,000 fen after rounding) and of ¥99.00 (1,980 fen), both taken from the budget.
    assert view.commissions_fen == 4_000 + 1_980
    assert view.committed_fen == 200_000  # the accepted fee, frozen
    # The two new orders and the world's order on collabA's livestream.
    assert (view.gmv_fen, view.orders) == (19_999 + 9_900 + 9_900, 3)
    assert view.roi == pytest.approx(39_799 / 805_980)
    assert view.budget_used == pytest.approx((805_980 + 200_000) / 5_000_000)
    lines = {line.creator_id: line for line in view.creators}
    a1 = lines[world["creatorA1"]]
    assert (a1.collaborations, a1.status, a1.fees_fen, a1.commissions_fen, a1.orders) == (
        2,
        S.SETTLED,
        800_000,
        5_980,
        3,
    )
    assert lines[world["creatorB1"]].status is S.REJECTED and lines[world["creatorB1"]].spend_fen == 0
    assert lines[world["creatorB1"]].roi is None
    assert view.creators[0].creator_id == world["creatorA1"]  # largest GMV first


def _sign_in(client: TestClient, world: World, user: str) -> None:
    from tests.fixtures.world import PASSWORD

    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    form = {"username": f"{user}_{world.tag}", "password": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/login", data=form, headers=SAME_ORIGIN, follow_redirects=False).status_code == 303


def test_the_report_page(web_client: TestClient, world: World, db: Database, as_user: Any) -> None:
    run_campaign(web_client, world, db, as_user)
    _sign_in(web_client, world, "brandA")
    page = web_client.get(f"/workspace/campaigns/{world['campaignA']}/report")
    assert page.status_code == 200, page.text
    text = page.text
    assert "活动复盘" in text and "双十一 A" in text
    assert re.search(r'data-figure="spend">.*?¥8,059\.80', text, re.S)
    assert re.search(r'data-figure="gmv">.*?¥397\.99', text, re.S)
    assert re.search(r'data-figure="budget">.*?¥5\.00万', text, re.S)
    assert "plotly-graph-div" in text and "已结算" in text and "0.05" in text  # ROI 397.99 / 8,059.80
    assert f'data-creator="{world["creatorA1"]}"' in text
    web_client.cookies.set("lang", "en")
    english = web_client.get(f"/workspace/campaigns/{world['campaignA']}/report").text
    assert "Campaign report" in english and "Spend (fees + commissions)" in english and "活动复盘" not in english
    # The figures are named as their one definition names them, an estimate marked as one, in either language.
    assert not chinese_figure_names(english), chinese_figure_names(english)
    assert card_label(english, 'data-figure="gmv"') == METRICS["gmv_attributed"].en
    assert card_label(english, 'data-figure="adjusted-gmv"') == "GMV less fake orders (estimate)"
    assert card_label(text, 'data-figure="gmv"') == METRICS["gmv_attributed"].zh == "归因 GMV"
    assert card_label(text, 'data-figure="adjusted-gmv"') == "剔除刷单后 GMV（预估）"
    assert METRICS["roi_campaign"].en in english and METRICS["roi_campaign"].zh in text
    web_client.cookies.set("lang", "zh")
    # Another brand's campaign, and a campaign that does not exist: an HTML 404, not JSON.
    for campaign in (world["campaignB"], 2**31 - 1):
        foreign = web_client.get(f"/workspace/campaigns/{campaign}/report")
        assert foreign.status_code == 404 and "text/html" in foreign.headers["content-type"]
        assert "双十一 B" not in foreign.text


def test_roles_without_campaigns_get_no_report(web_client: TestClient, world: World) -> None:
    _sign_in(web_client, world, "creatorA1")
    page = web_client.get(f"/workspace/campaigns/{world['campaignA']}/report")
    assert page.status_code == 403 and "text/html" in page.headers["content-type"]


def _flag_the_old_order(db: Database, world: World) -> int:
    """A finished fraud scan, the newest of the suite, that flags campaign A's ¥199.99 order as 刷单; its id."""
    import uuid
    from datetime import date

    from sqlalchemy import select

    from wanghong.commerce.models import Order
    from wanghong.fraud.models import FraudScan, OrderFraudScore
    from wanghong.kit.db.base import utcnow

    day = date(2999, 1, 1) + timedelta(days=uuid.uuid4().int % 300)  # later than any real scan's day
    with db.transaction() as s:
        order_id = s.scalar(
            select(Order.id)
            .join(LivestreamSession, LivestreamSession.id == Order.livestream_id)
            .where(Order.product_id == world["productA"], Order.amount == 199.99)
            .order_by(Order.id.desc())
        )
        scan = FraudScan(day=day, finished_at=utcnow())
        s.add(scan)
        s.flush()
        s.add(OrderFraudScore(scan_id=scan.id, order_id=order_id, score=0.97, flagged=True, ring_number=0))
        return int(scan.id)


def _drop_scan(db: Database, scan_id: int) -> None:
    from sqlalchemy import delete

    from wanghong.fraud.models import FraudScan, OrderFraudScore

    with db.transaction() as s:
        s.execute(delete(OrderFraudScore).where(OrderFraudScore.scan_id == scan_id))
        s.execute(delete(FraudScan).where(FraudScan.id == scan_id))


def test_fraud_adjusted_gmv_stands_beside_gmv(web_client: TestClient, world: World, db: Database, as_user: Any) -> None:
    run_campaign(web_client, world, db, as_user)
    scan_id = _flag_the_old_order(db, world)
    try:
        brand = Principal(0, "brandA", Role.BRAND_MANAGER, brand_id=world["brandA"])
        with db.transaction() as s:
            view = report.campaign_report(s, brand, world["campaignA"])
        assert view.gmv_fen == 39_799  # GMV itself keeps every attributed order
        assert (view.flagged_gmv_fen, view.flagged_orders, view.adjusted_gmv_fen) == (19_999, 1, 19_800)
        a1 = next(line for line in view.creators if line.creator_id == world["creatorA1"])
        assert (a1.flagged_orders, a1.adjusted_gmv_fen) == (1, 19_800)
        assert view.scanned_on is not None and view.scanned_on.startswith("29")
        _sign_in(web_client, world, "brandA")
        text = web_client.get(f"/workspace/campaigns/{world['campaignA']}/report").text
        assert re.search(r'data-figure="gmv">.*?¥397\.99', text, re.S)
        assert re.search(r'data-figure="adjusted-gmv">.*?剔除刷单后 GMV.*?¥198\.00.*?疑似刷单 ¥199\.99', text, re.S)
        assert 'data-adjusted="19800"' in text
        web_client.cookies.set("lang", "en")
        english = web_client.get(f"/workspace/campaigns/{world['campaignA']}/report").text
        assert "GMV less fake orders" in english and "Suspected fake orders" in english and "剔除" not in english
        web_client.cookies.set("lang", "zh")
    finally:
        _drop_scan(db, scan_id)


@pytest.mark.browser
def test_fraud_adjusted_gmv_in_chromium(
    app_client: TestClient, world: World, db: Database, as_user: Any, database_url: str
) -> None:
    from tests.browser import chromium, serving, signed_in_page
    from tests.fixtures.world import PASSWORD

    run_campaign(app_client, world, db, as_user)
    scan_id = _flag_the_old_order(db, world)
    try:
        with chromium(database_url) as browser, serving(app_client.app) as url:
            page = signed_in_page(browser, url, f"brandA_{world.tag}", PASSWORD)
            page.goto(f"{url}/workspace/campaigns/{world['campaignA']}/report")
            card = page.locator('[data-figure="adjusted-gmv"]')
            assert "¥198.00" in card.inner_text()
            page.screenshot(path="/tmp/report-adjusted-gmv.png", full_page=True)
            page.context.add_cookies([{"name": "lang", "value": "en", "url": url}])
            page.reload()
            assert "GMV less fake orders" in page.locator('[data-figure="adjusted-gmv"]').inner_text()
            page.screenshot(path="/tmp/report-adjusted-gmv-en.png", full_page=True)
    finally:
        _drop_scan(db, scan_id)
