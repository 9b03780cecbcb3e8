"""Dashboard tables, CSV/Excel export, the brand report and the CLI, on the tiny world."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from plotly.offline import get_plotlyjs
from tests.analytics.conftest import D1
from typer.testing import CliRunner

from wanghong.analytics.cli import app
from wanghong.analytics.engine.backends import AnalyticsError, Backend
from wanghong.analytics.engine.store import EventStore
from wanghong.analytics.report import CHART_TITLES, brand_report_html, write_brand_report
from wanghong.analytics.tables import brand_dashboard, export_csv, job_table


def as_plotly_writes(text: str) -> str:
    """A string as plotly writes it into a page's figure JSON: non-ASCII escaped, and /, <, > and & too (so that
    no text can close the <script> it sits in)."""
    escaped = json.dumps(text)[1:-1]
    return "".join(f"\\u{ord(c):04x}" if c in "/<>&" else c for c in escaped)


def test_brand_dashboard_in_yuan(tiny_store: EventStore) -> None:
    dash = brand_dashboard(Backend(), tiny_store, 100)
    assert dash.brand_name == "鲜优品"
    first = dash.daily.iloc[0]
    assert (first["day"], first["gmv_yuan"], first["orders"]) == (D1, 670.01, 4)
    assert list(dash.products["product"]) == ["鲜优品精华液 1号", "鲜优品零食礼包 2号"]  # by GMV, descending
    assert dash.campaigns.iloc[0]["fee_yuan"] == 1500.0
    with pytest.raises(AnalyticsError, match="brand 7 is not in the event store"):
        brand_dashboard(Backend(), tiny_store, 7)


def test_tier_table_uses_chinese_labels_in_tier_order(tiny_store: EventStore) -> None:
    tiers = job_table("tip_by_tier", Backend(), tiny_store)
    assert list(tiers["follower_tier"]) == [
        "尾部 (<1万)",
        "小达人 (1万–10万)",
        "腰部 (10万–100万)",
        "头部 (100万–1000万)",
    ]
    assert list(tiers["tip_yuan"]) == [0.0, 20.0, 100.0, 0.0]


def test_csv_has_chinese_headers_with_units(tiny_store: EventStore, tmp_path: Path) -> None:
    path = export_csv(job_table("brand_daily", Backend(), tiny_store), tmp_path / "brand.csv")
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert "GMV（元）" in header and "订单数（单）" in header


def test_html_report_is_self_contained_and_titled(tiny_store: EventStore, tmp_path: Path) -> None:
    page = brand_report_html(brand_dashboard(Backend(), tiny_store, 100))
    for title in CHART_TITLES.values():
        assert as_plotly_writes(title) in page
    assert get_plotlyjs()[:500] in page  # plotly.js is inlined, so the page opens offline
    assert "<script src=" not in page  # and nothing is fetched from a CDN


def test_xlsx_report_has_titled_charts(tiny_store: EventStore, tmp_path: Path) -> None:
    path = write_brand_report(brand_dashboard(Backend(), tiny_store, 100), "xlsx", tmp_path / "r.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["每日销售", "商品", "活动ROI"]
    assert book["每日销售"]["A1"].value == "日期"
    titles = []
    for sheet in book.worksheets:
        for chart in sheet._charts:
            titles.append("".join(r.t for p in chart.title.tx.rich.p for r in (p.r or [])))
    assert CHART_TITLES["daily_gmv"] in titles and CHART_TITLES["campaign_roi"] in titles


def test_cli_ingest_run_and_report(tmp_path: Path) -> None:
    runner = CliRunner()
    store = str(tmp_path / "events")
    first = runner.invoke(app, ["ingest-sim", "--creators", "60", "--seed", "3", "--days", "14", "--store", store])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["ingest-sim", "--creators", "60", "--seed", "3", "--days", "14", "--store", store])
    assert "skipped" in again.output
    out = tmp_path / "csv"
    ran = runner.invoke(app, ["run", "brand_daily", "--store", store, "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    assert (out / "brand_daily.csv").exists()
    bad = runner.invoke(app, ["run", "no_such_job", "--store", store])
    assert bad.exit_code == 2 and "unknown job" in bad.output
    report = tmp_path / "brand.html"
    made = runner.invoke(app, ["report", "--brand", "0", "--format", "html", "--out", str(report), "--store", store])
    assert made.exit_code == 0, made.output
    assert json.dumps("每日 GMV（元）")[1:-1] in report.read_text(encoding="utf-8")
