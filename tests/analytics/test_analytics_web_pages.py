"""Each role's board renders its charts; another tenant's board is a 404; tables download as CSV and Excel."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from tests.fixtures.metrics import chinese_figure_names
from tests.fixtures.world import World

from wanghong.analytics.metrics import METRICS


def chart_titles(html: str) -> list[str]:
    return re.findall(r'data-chart-title="([^"]+)"', html)


def test_brand_board_shows_campaign_roi_under_both_models(client_for, world: World) -> None:
    page = client_for("brandA").get(f"/analytics/brand/{world['brandA']}")
    assert page.status_code == 200, page.text
    titles = chart_titles(page.text)
    assert "活动归因 GMV：末次触点 vs 时间衰减（元）" in titles and "活动投产比 ROI（倍）" in titles
    assert all("（" in t and "）" in t for t in titles)  # every title carries its unit
    assert page.text.count('class="plotly-graph-div"') == len(titles) and "/static/plotly.min.js" in page.text
    assert "双十一 A" in page.text and "双十一 B" not in page.text


def test_brand_sees_only_its_own_board(client_for, world: World) -> None:
    client = client_for("brandA")
    assert client.get(f"/analytics/brand/{world['brandB']}").status_code == 404
    assert client.get(f"/analytics/brand/{world['brandB']}/export/campaigns.csv").status_code == 404
    assert client.get(f"/analytics/mcn/{world['mcnA']}").status_code == 404
    home = client.get("/analytics", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == f"/analytics/brand/{world['brandA']}"
    # The operator's overview is not a brand's: it is sent back to its own board.
    assert client.get("/analytics/platform", follow_redirects=False).headers["location"] == "/analytics"
    assert client_for(None).get("/analytics", follow_redirects=False).headers["location"] == "/login"


def test_brand_csv_and_excel_exports_hold_the_campaign_figures(client_for, world: World) -> None:
    client = client_for("brandA")
    csv = client.get(f"/analytics/brand/{world['brandA']}/export/campaigns.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    frame = pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig")
    assert list(frame["活动"]) == ["双十一 A"]
    # Touches: the content went live at T0-11d and the sponsored session began at T0-10d; with the 7-day window
    # they reach the orders of days T0-9 … T0-4 (day 4: two orders, days 5–9: one each) = 7 × ¥99, all to the one
    # collaboration under either model.  Spend: the ¥100 fee plus 20 % commission.
    assert frame["末次触点归因 GMV（元）"].iloc[0] == 7 * 99
    assert frame["时间衰减归因 GMV（元）"].iloc[0] == 7 * 99
    assert frame["末次触点 ROI（倍）"].iloc[0] == pytest.approx(693 / (100 + 0.2 * 693), rel=1e-3)
    xlsx = client.get(f"/analytics/brand/{world['brandA']}/export/daily.xlsx")
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx.headers["content-type"]
    daily = pd.read_excel(io.BytesIO(xlsx.content))
    assert daily["GMV（元）"].sum() == 16 * 99  # the world's own order at T0 too
    assert client.get(f"/analytics/brand/{world['brandA']}/export/nope.csv").status_code == 404
    assert client.get(f"/analytics/brand/{world['brandA']}/export/daily.pdf").status_code == 404


def test_mcn_board_lists_only_its_creators_with_growth(client_for, world: World) -> None:
    client = client_for("mcnA")
    page = client.get(f"/analytics/mcn/{world['mcnA']}")
    assert page.status_code == 200, page.text
    assert "旗下达人 GMV 与打赏收入（元）" in chart_titles(page.text)
    assert "达人 GMV 增长率（%，近 7 日对比前 7 日）" in chart_titles(page.text)
    assert client.get(f"/analytics/mcn/{world['mcnB']}").status_code == 404
    csv = client.get(f"/analytics/mcn/{world['mcnA']}/export/creators.csv")
    frame = pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig")
    assert set(frame["达人ID"]) == {world["creatorA1"], world["creatorA2"]}
    star = frame[frame["达人ID"] == world["creatorA1"]].iloc[0]
    assert star["GMV（元）"] == 16 * 99 and star["打赏收入（元）"] == 10 * 5
    # Last 7 days (T0-6 … T0): 3 + 4 × 2 + 2 × 1 = 13 orders; the 7 days before hold days 7–9: 3 orders.
    assert star["GMV 增长率（近7日对比前7日）"] == pytest.approx((13 - 3) / 3)


def test_creator_board_and_tenancy(client_for, world: World) -> None:
    own = client_for("creatorA1").get(f"/analytics/creator/{world['creatorA1']}")
    assert own.status_code == 200
    assert {"每日 GMV 与打赏收入（元）", "累计新增关注（人）"} <= set(chart_titles(own.text))
    assert client_for("creatorA1").get(f"/analytics/creator/{world['creatorB1']}").status_code == 404
    # An MCN may open the boards of its own creators only.
    mcn = client_for("mcnA")
    assert mcn.get(f"/analytics/creator/{world['creatorA2']}").status_code == 200
    assert mcn.get(f"/analytics/creator/{world['creatorB1']}").status_code == 404
    csv = client_for("creatorA1").get(f"/analytics/creator/{world['creatorA1']}/export/daily.csv")
    frame = pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig")
    assert len(frame) == 10 and frame["关注（次）"].sum() == 10


def test_platform_board_for_the_operator(client_for) -> None:
    client = client_for("admin")
    page = client.get("/analytics/platform")
    assert page.status_code == 200, page.text
    titles = chart_titles(page.text)
    for title in (
        "平台每日 GMV（元）",
        "打赏收入按粉丝层级（元）",
        "MCN 周 GMV 市场份额（%）",
        "MCN 集中度：CR5（%）与 HHI（0–10000）",
    ):
        assert title in titles
    xlsx = client.get("/analytics/platform/export/concentration.xlsx")
    frame = pd.read_excel(io.BytesIO(xlsx.content))
    assert {"CR5（前五份额）", "HHI（0–10000）"} <= set(frame.columns)
    assert ((frame["HHI（0–10000）"] > 0) & (frame["HHI（0–10000）"] <= 10_000)).all()


CJK = re.compile(r"[\u3400-\u9fff]")


def _figure_words(html_text: str) -> list[str]:
    """Every chart's title, axis titles and series names, as the page hands them to plotly."""
    import html as markup
    import json

    words: list[str] = []
    for raw in re.findall(r'data-figure="([^"]+)"', html_text):
        figure = json.loads(markup.unescape(raw))
        layout = figure.get("layout", {})
        words.append((layout.get("title") or {}).get("text") or "")
        for name, axis in layout.items():
            if name.startswith(("xaxis", "yaxis")):
                words.append((axis.get("title") or {}).get("text") or "")
        words += [trace.get("name") or "" for trace in figure.get("data", [])]
    return [w for w in words if w]


def test_every_board_reads_in_english_and_in_chinese(client_for, world: World) -> None:
    """The English switch translates each board's title, cards, chart titles, axes, series, tables and note; the
    cards name figures as 指标说明 defines them, money in 元 with 万/亿; the Chinese page keeps its Chinese."""
    boards = [
        ("brandA", f"/analytics/brand/{world['brandA']}"),
        ("mcnA", f"/analytics/mcn/{world['mcnA']}"),
        ("creatorA1", f"/analytics/creator/{world['creatorA1']}"),
        ("admin", "/analytics/platform"),
    ]
    compared: set[str] = set()
    for user, path in boards:
        client = client_for(user)
        chinese = client.get(path).text
        assert "GMV（全部订单）（元）" in chinese and "¥" in chinese, path
        client.cookies.set("lang", "en")
        english = client.get(path)
        assert english.status_code == 200, english.text[:300]
        text = english.text
        labels = re.findall(r'<div class="label">([^<]*)</div>', text)
        assert "GMV, all orders (yuan)" in labels, (path, labels)
        shown = [
            *labels,
            *chart_titles(text),
            *_figure_words(text),
            *re.findall(r'<p class="note">([^<]*)</p>', text),
            *re.findall(r"<h2>([^<]*)</h2>", text),
            re.search(r"<h1>([^<]*)</h1>", text).group(1).rpartition(" · ")[2],  # type: ignore[union-attr]
        ]
        # The tables' column headers too, a figure's header being its one definition's English name and unit.
        headers = re.findall(r"<th>([^<]*)</th>", text)
        assert headers, path
        shown += headers
        untranslated = [word for word in shown if CJK.search(word)]
        assert not untranslated, (path, untranslated)
        assert not chinese_figure_names(text), (path, chinese_figure_names(text))
        chinese_headers = re.findall(r"<th>([^<]*)</th>", chinese)
        for metric in METRICS.values():
            if metric.columns and metric.titled("en") in headers:
                assert metric.column_header in chinese_headers, (path, metric.key)
                compared.add(metric.key)
        client.cookies.set("lang", "zh")
    assert {"views", "unique_viewers", "gmv_all", "orders", "roi_last_touch"} <= compared, compared
    # The downloads keep their Chinese headers and sheet names whatever the page's language.
    client = client_for("admin")
    client.cookies.set("lang", "en")
    xlsx = client.get("/analytics/platform/export/concentration.xlsx")
    assert list(pd.read_excel(io.BytesIO(xlsx.content), sheet_name=None)) == ["MCN 集中度"]
