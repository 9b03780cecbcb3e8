"""The money pages (issue 14): 售后 (a brand refunds and records 客诉 from the page), 对账单 with CSV/XLSX downloads
and the invoice record, 三方对账 for operators, and 指标说明 in both languages; one loop in Chromium."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.browser import chromium, serving
from tests.fixtures.pages import post_form, remote_assets, sign_in
from tests.fixtures.world import PASSWORD, World

from wanghong.analytics.metrics import METRICS
from wanghong.commerce.models import Collaboration, LivestreamSession, Order
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database
from wanghong.kit.instants import BEIJING
from wanghong.settlement import collaborations, ledger
from wanghong.settlement.engine import AccountRef, Kind, Leg, OwnerKind, Purpose
from wanghong.settlement.models import OrderComplaint, OrderRefund

SHOTS = Path("/tmp/shots")
LINK = '=HYPERLINK("https://evil.example/","点击")'


def _order(db: Database, world: World, amount: str, hours_ago: float) -> int:
    with db.transaction() as s:
        collab = s.query(Collaboration).filter_by(campaign_id=world["campaignA"]).first()
        assert collab is not None
        at = utcnow() - timedelta(hours=hours_ago)
        live = LivestreamSession(creator_id=collab.creator_id, collaboration_id=collab.id, started_at=at)
        s.add(live)
        s.flush()
        order = Order(
            product_id=world["productA"],
            creator_id=collab.creator_id,
            livestream_id=live.id,
            amount=Decimal(amount),
            ordered_at=at,
        )
        s.add(order)
        s.flush()
        collaborations.settle_orders(s, [order.id], collaborations.current_policy())
        return order.id


def test_a_brand_refunds_and_records_a_complaint_from_the_page(
    web_client: TestClient, world: World, db: Database
) -> None:
    inside, after = _order(db, world, "120.00", 1), _order(db, world, "300.00", 72)
    token = sign_in(web_client, world, "brandA")
    page = web_client.get("/workspace/aftersales")
    assert page.status_code == 200 and f'data-order="{inside}"' in page.text and not remote_assets(page.text)
    assert METRICS["complaint_rate"].titled("zh") in page.text
    done = post_form(web_client, token, f"/workspace/aftersales/{inside}/refund", reason="")
    assert done.status_code == 303
    refused = post_form(web_client, token, f"/workspace/aftersales/{after}/refund", reason="")
    assert refused.status_code == 422 and "reason" in refused.text  # past the window: a reason is required
    assert post_form(web_client, token, f"/workspace/aftersales/{after}/refund", reason="破损").status_code == 303
    again = post_form(web_client, token, f"/workspace/aftersales/{inside}/refund", reason="")
    assert again.status_code == 409
    filed = post_form(web_client, token, f"/workspace/aftersales/{inside}/complaint", category="quality", detail="漏液")
    assert filed.status_code == 303
    with db.transaction() as s:
        refunds = {
            r.order_id: r.within_window for r in s.query(OrderRefund).filter(OrderRefund.order_id.in_([inside, after]))
        }
        assert refunds == {inside: True, after: False}
        assert s.query(OrderComplaint).filter_by(order_id=inside).count() == 1
    shown = web_client.get("/workspace/aftersales").text
    assert 'data-refunded="inside"' in shown and 'data-refunded="after"' in shown and 'data-complaints="1"' in shown
    other = sign_in(web_client, world, "brandB")
    assert (
        post_form(web_client, other, f"/workspace/aftersales/{after}/complaint", category="quality").status_code == 404
    )


def test_a_creator_reads_downloads_and_invoices_its_statement(
    web_client: TestClient, world: World, db: Database
) -> None:
    _order(db, world, "500.00", 72)  # a released commission: earnings this month
    creator = world["creatorA1"]
    with db.transaction() as s:
        # An operator's correction whose memo a spreadsheet would run as a formula.
        receivable = AccountRef(OwnerKind.CREATOR, creator, Purpose.RECEIVABLE)
        platform = AccountRef(OwnerKind.PLATFORM, 0, Purpose.SERVICE_FEE)
        ledger.post(
            s,
            key=f"test:{world.tag}:correction",
            kind=Kind.CORRECTION,
            legs=[Leg(platform, -1), Leg(receivable, 1)],
            memo=LINK,
        )
    token = sign_in(web_client, world, "creatorA1")
    page = web_client.get("/workspace/statements")
    assert page.status_code == 200 and "本月结算金额" in page.text and 'data-account="receivable"' in page.text
    month = utcnow().astimezone(BEIJING).strftime("%Y-%m")
    raw = web_client.get(f"/workspace/statements/export/{month}.csv")
    assert raw.status_code == 200 and raw.content.startswith(b"\xef\xbb\xbf")
    assert web_client.get("/workspace/statements/export/latest.csv").status_code == 404
    rows = list(csv.DictReader(io.StringIO(raw.content.decode("utf-8-sig"), newline="")))
    memos = [r["摘要"] for r in rows]
    assert "'" + LINK in memos and LINK not in memos  # neutralised, shown as typed
    assert any(r["类型"] == "佣金结算" for r in rows)
    book = load_workbook(io.BytesIO(web_client.get(f"/workspace/statements/export/{month}.xlsx").content))
    assert book.sheetnames == ["账户汇总", "流水明细"]
    cells = [c.value for row in book["流水明细"].iter_rows() for c in row]
    assert "'" + LINK in cells
    # Another creator's statement is not there for this one.
    foreign = web_client.get(f"/workspace/statements?owner_kind=creator&owner_id={world['creatorB1']}")
    assert foreign.status_code == 404
    assert post_form(web_client, token, "/workspace/statements/invoice", month=month, number="=1+1").status_code == 422
    first = post_form(web_client, token, "/workspace/statements/invoice", month=month, number=f"FP-{world.tag}")
    assert first.status_code == 303 and f"month={month}" in first.headers["location"]
    assert f'data-invoice="FP-{world.tag}"' in web_client.get(f"/workspace/statements?month={month}").text
    second = post_form(web_client, token, "/workspace/statements/invoice", month=month, number="FP-2")
    assert second.status_code == 409
    web_client.cookies.set("lang", "en")
    assert "Settled this month" in web_client.get("/workspace/statements").text


def test_statements_over_the_api(app_client: TestClient, world: World, as_user: Any) -> None:
    brand = as_user("brandA")
    body = app_client.get("/api/v1/statements", headers=brand).json()
    assert body["owner_kind"] == "brand" and body["owner_id"] == world["brandA"]
    assert {a["purpose"] for a in body["accounts"]} >= {"budget", "frozen"}
    assert app_client.get("/api/v1/statements?month=2026-13", headers=brand).status_code == 422
    assert (
        app_client.get(f"/api/v1/statements?owner_kind=brand&owner_id={world['brandB']}", headers=brand).status_code
        == 404
    )
    csv_file = app_client.get("/api/v1/statements?format=csv", headers=brand)
    assert csv_file.status_code == 200 and csv_file.headers["content-type"].startswith("text/csv")
    admin = as_user("admin")
    platform = app_client.get("/api/v1/statements", headers=admin).json()
    assert platform["owner_kind"] == "platform"
    assert app_client.get("/api/v1/ledger/reconciliation", headers=brand).status_code == 403
    reconciled = app_client.get("/api/v1/ledger/reconciliation", headers=admin).json()
    assert set(reconciled) == {"orders", "discrepancies"}


def test_the_operator_reconciliation_page_and_who_may_open_it(web_client: TestClient, world: World) -> None:
    sign_in(web_client, world, "admin")
    page = web_client.get("/workspace/reconciliation")
    assert page.status_code == 200 and "三方对账" in page.text and "data-orders=" in page.text
    sign_in(web_client, world, "brandA")
    refused = web_client.get("/workspace/reconciliation")
    assert refused.status_code == 403 and "data-orders=" not in refused.text


def test_the_metric_definitions_page_lists_every_metric_in_both_languages(web_client: TestClient, world: World) -> None:
    sign_in(web_client, world, "creatorA1")
    zh = web_client.get("/analytics/metrics").text
    for metric in METRICS.values():
        assert f'data-metric="{metric.key}"' in zh and metric.zh in zh and metric.formula_zh in zh
    assert zh.count('data-estimate="1"') == sum(m.estimate for m in METRICS.values()) > 0
    web_client.cookies.set("lang", "en")
    en = web_client.get("/analytics/metrics").text
    assert "Metric definitions" in en and METRICS["unique_viewers"].formula_en in en


@pytest.mark.browser
def test_after_sales_and_statement_in_chromium(  # type: ignore[no-untyped-def]
    app_client, world: World, db: Database, database_url: str
) -> None:
    order_id = _order(db, world, "66.00", 2)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium(database_url) as browser, serving(app_client.app) as url:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{url}/login")
        page.fill("input[name=username]", f"brandA_{world.tag}")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda address: "/login" not in address)
        page.goto(f"{url}/workspace/campaigns")
        page.click("nav.workspaces >> text=售后与客诉")
        row = page.locator(f'tr[data-order="{order_id}"]')
        row.locator("select[name=category]").select_option("delivery")
        row.locator("input[name=detail]").fill("三天未发货")
        row.locator("text=登记客诉").click()
        page.wait_for_selector("p[role=status]")
        row = page.locator(f'tr[data-order="{order_id}"]')
        row.locator("button >> text=退款").click()
        page.wait_for_selector("p[role=status]")
        assert page.locator(f'tr[data-order="{order_id}"] [data-refunded="inside"]').count() == 1
        page.screenshot(path=str(SHOTS / "C-aftersales.png"), full_page=True)
        page.click("nav.workspaces >> text=对账单")
        page.wait_for_selector("[data-settled]")
        page.screenshot(path=str(SHOTS / "C-statements.png"), full_page=True)
        page.goto(f"{url}/analytics/metrics")
        page.screenshot(path=str(SHOTS / "C-metrics.png"), full_page=True)
