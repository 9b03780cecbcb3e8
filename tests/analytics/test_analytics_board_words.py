"""Every value a board shows a person is a word in their language, not a code: follower tiers read "腰部 (10万–100万)"
or "Mid-tier (100K–1M)" in the tables and on the tier chart's axis, shares read as %, money in 元 with 万/亿; the
downloads keep Chinese words and plain numbers.  The brand report's charts are titled in both languages and tick
their amounts in 元 with 万/亿."""

from __future__ import annotations

import html as markup
import io
import json
import re

import pandas as pd
import plotly.graph_objects as go
import pytest
from tests.fixtures.world import World

from wanghong.analytics.report import CHART_TITLES, YUAN_META, nice_ticks, tick_yuan, yuan_axes
from wanghong.analytics.tables import for_reader, tier_name
from wanghong.domain import FOLLOWER_TIER_EN, FollowerTier
from wanghong.kit.formats import in_language, yuan

CJK = re.compile(r"[\u3400-\u9fff]")
CODES = {t.value for t in FollowerTier}


def table_columns(page: str, name: str) -> dict[str, list[str]]:
    """A board table's cells by column header, as the page shows them."""
    section = re.search(rf'<section class="table" id="table-{name}">(.*?)</section>', page, re.S)
    assert section is not None, f"no table {name}"
    headers = [markup.unescape(h) for h in re.findall(r"<th>([^<]*)</th>", section[1])]
    rows = re.findall(r"<tr>(.*?)</tr>", section[1].split("<tbody>")[1], re.S)
    cells = [[markup.unescape(c) for c in re.findall(r"<td>([^<]*)</td>", row)] for row in rows]
    return {header: [row[i] for row in cells] for i, header in enumerate(headers)}


def tier_axis(page: str) -> list[str]:
    """The categories of the tips-by-tier chart, as the page hands them to plotly."""
    for raw in re.findall(r'data-figure="([^"]+)"', page):
        figure = json.loads(markup.unescape(raw))
        for trace in figure.get("data", []):
            if (trace.get("meta") or {}).get("words") == "x":
                return [str(x) for x in trace["x"]]
    raise AssertionError("no chart with worded categories")


def test_a_tier_reads_as_a_word_from_its_code_or_its_chinese_label() -> None:
    for tier in FollowerTier:
        assert tier_name(tier.value) == tier_name(tier.label) == tier.label
        assert tier_name(tier.value, "en") == tier_name(tier.label, "en") == FOLLOWER_TIER_EN[tier]
        assert not CJK.search(FOLLOWER_TIER_EN[tier])
    assert tier_name(None) is None and tier_name("no such tier", "en") == "no such tier"


def test_a_page_table_writes_tiers_shares_and_money_for_its_reader() -> None:
    frame = pd.DataFrame(
        {"follower_tier": ["mid", "头部 (100万–1000万)"], "share": [0.1234, None], "gmv_yuan": [158_400.0, 12.5]}
    )
    chinese, english = for_reader(frame, "zh"), for_reader(frame, "en")
    assert list(chinese["粉丝层级"]) == ["腰部 (10万–100万)", "头部 (100万–1000万)"]
    assert list(english["Follower tier"]) == ["Mid-tier (100K–1M)", "Head (1M–10M)"]
    assert list(chinese["市场份额"]) == ["12.3%", "—"] and list(english["Market share"]) == ["12.3%", "—"]
    assert list(chinese["GMV（元）"]) == ["¥15.84万", "¥12.50"]
    assert list(english["GMV, all orders (yuan)"]) == ["¥158.40K", "¥12.50"]
    assert list(frame["follower_tier"]) == ["mid", "头部 (100万–1000万)"]  # the board's own frame is untouched


def test_mcn_and_platform_boards_show_tiers_in_the_readers_words(client_for, world: World) -> None:
    mcn, admin = client_for("mcnA"), client_for("admin")
    mcn_path = f"/analytics/mcn/{world['mcnA']}"
    chinese = table_columns(mcn.get(mcn_path).text, "creators")
    assert set(chinese["粉丝层级"]) == {FollowerTier.NANO.label, FollowerTier.MID.label}  # not 'nano', 'mid'
    assert all(v.startswith("¥") for v in chinese["GMV（元）"])
    assert all(v.endswith("%") for v in chinese["GMV 增长率（近7日对比前7日）"] if v != "—")
    platform = admin.get("/analytics/platform").text
    tiers = table_columns(platform, "tiers")
    assert tiers["粉丝层级"] and not set(tiers["粉丝层级"]) & CODES
    assert all(v.endswith("%") for v in tiers["打赏收入占比"])
    assert tier_axis(platform) == tiers["粉丝层级"]

    for client in (mcn, admin):
        client.cookies.set("lang", "en")
    english = table_columns(mcn.get(mcn_path).text, "creators")
    assert set(english["Follower tier"]) == {FOLLOWER_TIER_EN[FollowerTier.NANO], FOLLOWER_TIER_EN[FollowerTier.MID]}
    platform = admin.get("/analytics/platform").text
    tiers = table_columns(platform, "tiers")
    assert tiers["Follower tier"] and not [v for v in tiers["Follower tier"] if CJK.search(v) or v in CODES]
    assert tier_axis(platform) == tiers["Follower tier"]
    # Every cell of both boards' tables but a name the tenant chose reads without Chinese on the English page.
    for page, table in ((mcn.get(mcn_path).text, "daily"), (platform, "mcn_share"), (platform, "concentration")):
        for header, cells in table_columns(page, table).items():
            if header not in ("Creator", "MCN"):
                assert not [c for c in cells if CJK.search(c)], (table, header)

    # The downloads keep Chinese words for the codes and plain numbers, whatever the page's language.
    csv = mcn.get(f"{mcn_path}/export/creators.csv")
    frame = pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig")
    assert set(frame["粉丝层级"]) == {FollowerTier.NANO.label, FollowerTier.MID.label}
    assert pd.api.types.is_float_dtype(frame["GMV（元）"]) and pd.api.types.is_float_dtype(
        frame["GMV 增长率（近7日对比前7日）"]
    )
    xlsx = admin.get("/analytics/platform/export/tiers.xlsx")
    sheet = pd.read_excel(io.BytesIO(xlsx.content))
    assert not set(sheet["粉丝层级"]) & CODES and sheet["打赏收入占比"].between(0, 1).all()


def test_report_chart_titles_read_in_both_languages() -> None:
    for title in CHART_TITLES.values():
        zh, en = in_language(title, "zh"), in_language(title, "en")
        assert zh != en and CJK.search(zh) and not CJK.search(en), title
        assert "（" in zh and "(" in en  # each with its unit


def test_amount_axes_tick_and_hover_in_yuan_with_wan_and_yi() -> None:
    assert nice_ticks(0, 150_000) == [0, 50_000, 100_000, 150_000]
    assert nice_ticks(0, 9) == [0, 2, 4, 6, 8, 10]
    assert [tick_yuan(v) for v in (0, 2_000, 15_000, 100_000, 320_000_000)] == [
        "¥0",
        "¥2,000",
        "¥1.5万",
        "¥10万",
        "¥3.2亿",
    ]
    assert tick_yuan(150_000, "en") == "¥150K"

    def chart() -> go.Figure:
        return go.Figure(
            [
                go.Bar(x=["a", "b"], y=[120_000, 35_000], meta=YUAN_META),
                go.Scatter(x=["a", "b"], y=[3, 4], yaxis="y2"),  # a count on a second axis stays plotly's
            ],
            layout={"yaxis2": {"overlaying": "y", "side": "right"}},
        )

    chinese, english = yuan_axes(chart()), yuan_axes(chart(), "en")
    assert list(chinese.data[0].customdata) == ["¥12.00万", "¥3.50万"]
    assert list(english.data[0].customdata) == ["¥120.00K", "¥35.00K"]
    assert "万" in "".join(chinese.layout.yaxis.ticktext) and max(chinese.layout.yaxis.tickvals) >= 120_000
    assert not CJK.search("".join(english.layout.yaxis.ticktext))
    assert chinese.data[1].customdata is None and chinese.layout.yaxis2.ticktext is None
    horizontal = yuan_axes(go.Figure(go.Bar(x=[20_000], y=["p"], orientation="h", meta=YUAN_META)))
    assert horizontal.layout.xaxis.ticktext and horizontal.layout.yaxis.ticktext is None


@pytest.mark.parametrize("language", ["zh", "en"])
def test_brand_board_charts_tick_amounts_for_the_reader(client_for, world: World, language: str) -> None:
    client = client_for("brandA")
    client.cookies.set("lang", language)
    page = client.get(f"/analytics/brand/{world['brandA']}").text
    ticks, day_formats = [], []
    for raw in re.findall(r'data-figure="([^"]+)"', page):
        layout = json.loads(markup.unescape(raw))["layout"]
        day_formats.append(layout.get("xaxis", {}).get("tickformat"))
        ticks += [
            t for name, axis in layout.items() if name.startswith(("xaxis", "yaxis")) for t in axis.get("ticktext", [])
        ]
    assert ticks and all(t.startswith(("¥", "-¥")) for t in ticks)
    # The daily charts write their days as the tables do, not as plotly's English "Jan 8, 2024".
    assert day_formats.count("%Y-%m-%d") == 2, day_formats
    if language == "en":
        assert not CJK.search("".join(ticks))  # ¥1.5K, not ¥1.5万


def test_live_page_names_its_figures_and_writes_amounts_as_every_page(client_for, world: World) -> None:
    client = client_for("brandA")
    url = f"/analytics/live/{world['liveA']}"
    for language, gmv_name in (("zh", "直播 GMV（元）"), ("en", "Livestream GMV (yuan)")):
        client.cookies.set("lang", language)
        page = client.get(url).text
        assert gmv_name in page and "CNY" not in page
        minutes = client.get(url + "/minutes").json()
        shown = minutes["shown"]
        assert shown["gmv_yuan"] == yuan(minutes["totals"]["gmv_yuan"], language)
        assert f'id="gmv_yuan">{markup.escape(shown["gmv_yuan"])}<' in page
