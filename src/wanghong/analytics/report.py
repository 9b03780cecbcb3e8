"""A brand's commerce report as a self-contained HTML page (Plotly, JS inlined) or an Excel workbook.

Every chart is titled "中文 / English" with its unit, as the boards title theirs (the boards show these same
figures, in the reader's half); amounts read in 元 with 万/亿 on the axes and in the hover, as on every page.  The
HTML carries plotly.js from the installed plotly package inside the page, so it opens offline and never calls a
CDN.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart, Reference
from plotly.offline import get_plotlyjs

from wanghong.analytics.engine.backends import ATTRIBUTION_WINDOW
from wanghong.analytics.engine.jobs import HALF_LIFE
from wanghong.analytics.metrics import METRICS
from wanghong.analytics.options import ReportFormat
from wanghong.analytics.tables import BrandDashboard, chinese_headers, export_xlsx, for_reader, headers_for
from wanghong.kit.formats import yuan
from wanghong.kit.pages import CHART_FONT

# One chart each, in the order the report shows them; titles carry their units, in both languages.
CHART_TITLES = {
    "daily_gmv": "每日 GMV（元） / Daily GMV (yuan)",
    "daily_orders": "每日订单数（单）与买家数（人） / Daily orders and buyers (people)",
    "product_gmv": "商品 GMV 排名（元） / GMV by product (yuan)",
    "campaign_gmv": "活动归因 GMV：末次触点 vs 时间衰减（元） / "
    "Attributed GMV per campaign: last touch vs time decay (yuan)",
    "campaign_roi": "活动投产比 ROI（倍） / Campaign ROI (×)",
}
DATE_AXIS = "日期 / Date"
# Days written as the tables write them: plotly's own "Jan 8, 2024" would be English on a Chinese page.
DAY_FORMAT = "%Y-%m-%d"
# The legend sits between the title and the plot: below it, plotly would draw it over the x axis's title.
CHART_LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}
CHART_MARGIN = {"l": 60, "r": 20, "t": 90, "b": 60}
YUAN_AXIS = "元 / yuan"

ATTRIBUTION_NOTE = (
    f"归因：订单前 {ATTRIBUTION_WINDOW.days} 天内同商品的合作触点（内容上线、带货直播开播）；"
    f"时间衰减半衰期 {HALF_LIFE.total_seconds() / 3600:g} 小时。ROI = 归因 GMV ÷（合作费用 + 佣金）。"
)
ATTRIBUTION_NOTE_EN = (
    f"Attribution: the collaboration touches on the same product (content going live, a sponsored livestream "
    f"starting) within {ATTRIBUTION_WINDOW.days} days before an order; time decay halves every "
    f"{HALF_LIFE.total_seconds() / 3600:g} hours. ROI = attributed GMV ÷ (fees + commission)."
)


def named(key: str) -> str:
    """A figure's name with its unit in both languages, from its one definition (指标说明, `analytics.metrics`)."""
    metric = METRICS[key]
    return f"{metric.titled('zh')} / {metric.titled('en')}"


# ---------------------------------------------------------------------------------------------- amounts in 元

# A trace's `meta` says what a chart's localisation needs to know of it: {"yuan": True} when its values are
# amounts in yuan (its axis and hover then read in 元 with 万/亿), {"words": "x"} when that axis's categories
# are words written "中文 / English" (a follower tier) rather than names, which stay as they are.
YUAN_META: dict[str, Any] = {"yuan": True}


def tick_yuan(value: float, language: str = "zh") -> str:
    """An axis tick's amount: `kit.formats.yuan` without the fen a tick does not need (¥2,000, ¥1.5万, ¥3亿)."""
    return re.sub(r"\.?0+(?=\D*$)", "", yuan(value, language)) if value else "¥0"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round steps (1, 2, 2.5 or 5 × 10ⁿ) covering [low, high], zero included."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        return [0.0]
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first, last = math.floor(low / step), math.ceil(high / step)
    return [round(step * i, 2) for i in range(first, last + 1)]


def _meta(trace: Any) -> dict[str, Any]:
    return trace.meta if isinstance(trace.meta, dict) else {}


def yuan_axes(figure: go.Figure, language: str = "zh") -> go.Figure:
    """Amount traces' axes ticked, and their hovers written, in 元 with 万/亿 in `language` (plotly itself would
    write 20k and 1.5M)."""
    spans: dict[str, list[float]] = {}
    for trace in figure.data:
        if not _meta(trace).get("yuan"):
            continue
        horizontal = getattr(trace, "orientation", None) == "h"
        values = pd.to_numeric(pd.Series(trace.x if horizontal else trace.y), errors="coerce")
        trace.customdata = [yuan(float(v), language) if pd.notna(v) else "—" for v in values]
        trace.hovertemplate = "%{" + ("y" if horizontal else "x") + "}: %{customdata}<extra>%{fullData.name}</extra>"
        anchor = (trace.xaxis if horizontal else trace.yaxis) or ("x" if horizontal else "y")
        axis = ("xaxis" if horizontal else "yaxis") + anchor[1:]
        spans.setdefault(axis, []).extend(float(v) for v in values.dropna())
    for axis, values in spans.items():
        low, high = min(values, default=0.0), max(values, default=0.0)
        ticks = nice_ticks(low, high)
        figure.layout[axis].update(tickmode="array", tickvals=ticks, ticktext=[tick_yuan(t, language) for t in ticks])
        if len(ticks) > 1:
            # The axis spans its ticks (plotly's own range around a lone point would show none of them), with room
            # for a marker at the extremes.
            pad = (ticks[-1] - ticks[0]) * 0.04
            figure.layout[axis].update(range=[min(ticks[0], low - pad), max(ticks[-1], high + pad)])
    return figure


def _window_text(dash: BrandDashboard) -> str:
    since = dash.window.since.isoformat() if dash.window.since else ""
    until = dash.window.until.isoformat() if dash.window.until else ""
    return f"{since or '最早'} 至 {until or '最新'} / {since or 'earliest'} to {until or 'latest'}"


def brand_figures(dash: BrandDashboard) -> dict[str, go.Figure]:
    """The report's charts as Plotly figures, every word "中文 / English" (the boards embed them in the reader's
    half, `boards.localize`)."""
    daily, products, campaigns = dash.daily, dash.products, dash.campaigns
    layout = {
        "template": "plotly_white",
        "height": 380,
        "margin": CHART_MARGIN,
        "legend": CHART_LEGEND,
        "font": CHART_FONT,
    }
    figures: dict[str, go.Figure] = {}
    figures["daily_gmv"] = go.Figure(
        go.Scatter(x=daily["day"], y=daily["gmv_yuan"], mode="lines+markers", name=named("gmv_all"), meta=YUAN_META),
        layout={
            **layout,
            "title": CHART_TITLES["daily_gmv"],
            "xaxis": {"title": DATE_AXIS, "tickformat": DAY_FORMAT, "hoverformat": DAY_FORMAT},
            "yaxis_title": YUAN_AXIS,
        },
    )
    figures["daily_orders"] = go.Figure(
        [
            go.Bar(x=daily["day"], y=daily["orders"], name=named("orders")),
            go.Bar(x=daily["day"], y=daily["buyers"], name="买家数（人） / Buyers (people)"),
        ],
        layout={
            **layout,
            "title": CHART_TITLES["daily_orders"],
            "xaxis": {"title": DATE_AXIS, "tickformat": DAY_FORMAT, "hoverformat": DAY_FORMAT},
            "yaxis_title": "单、人 / orders, people",
        },
    )
    top = products.head(20)
    figures["product_gmv"] = go.Figure(
        go.Bar(x=top["gmv_yuan"], y=top["product"], orientation="h", name=named("gmv_all"), meta=YUAN_META),
        layout={
            **layout,
            "title": CHART_TITLES["product_gmv"],
            "xaxis_title": YUAN_AXIS,
            "yaxis": {"autorange": "reversed"},
        },
    )
    figures["campaign_gmv"] = go.Figure(
        [
            go.Bar(
                x=campaigns["campaign"],
                y=campaigns["last_touch_gmv_yuan"],
                name="末次触点（元） / Last touch (yuan)",
                meta=YUAN_META,
            ),
            go.Bar(
                x=campaigns["campaign"],
                y=campaigns["time_decay_gmv_yuan"],
                name="时间衰减（元） / Time decay (yuan)",
                meta=YUAN_META,
            ),
            go.Bar(
                x=campaigns["campaign"], y=campaigns["fee_yuan"], name="合作费用（元） / Fees (yuan)", meta=YUAN_META
            ),
        ],
        layout={
            **layout,
            "title": CHART_TITLES["campaign_gmv"],
            "xaxis_title": "活动 / Campaign",
            "yaxis_title": YUAN_AXIS,
        },
    )
    figures["campaign_roi"] = go.Figure(
        [
            go.Bar(x=campaigns["campaign"], y=campaigns["last_touch_roi"], name=named("roi_last_touch")),
            go.Bar(x=campaigns["campaign"], y=campaigns["time_decay_roi"], name=named("roi_time_decay")),
        ],
        layout={
            **layout,
            "title": CHART_TITLES["campaign_roi"],
            "xaxis_title": "活动 / Campaign",
            "yaxis_title": "倍（GMV ÷ 花费） / × (GMV ÷ spend)",
        },
    )
    return figures


def _table_html(frame: pd.DataFrame) -> str:
    """A table as the boards show it (tiers in words, shares as %, money in 元 with 万/亿), headed in both
    languages where they differ: 'GMV（元） / GMV, all orders (yuan)'."""
    zh, en = chinese_headers(frame).columns, headers_for(frame, "en").columns
    both = {z: z if z == e else f"{z} / {e}" for z, e in zip(zh, en, strict=True)}
    return (
        for_reader(frame, "zh")
        .rename(columns=both)
        .to_html(index=False, border=0, classes="data", na_rep="—", float_format="{:,.2f}".format)
    )


def brand_report_html(dash: BrandDashboard) -> str:
    title = f"{dash.brand_name} 带货数据报告 / sales report"
    charts = "\n".join(
        f'<section class="chart">{yuan_axes(fig).to_html(full_html=False, include_plotlyjs=False)}</section>'
        for fig in brand_figures(dash).values()
    )
    total_gmv = float(dash.daily["gmv_yuan"].sum()) if not dash.daily.empty else 0.0
    total_orders = int(dash.daily["orders"].sum()) if not dash.daily.empty else 0
    gmv, orders = METRICS["gmv_all"], METRICS["orders"]
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<script>{get_plotlyjs()}</script>
<style>
body {{ font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2rem; color: #222; }}
table.data {{ border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }}
table.data th, table.data td {{ padding: 0.25rem 0.6rem; border-bottom: 1px solid #ddd; text-align: right; }}
.summary span {{ display: inline-block; margin-right: 2rem; font-size: 1.1rem; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p>统计区间 / period: {html.escape(_window_text(dash))}（北京时间 / Beijing time）</p>
<p class="summary"><span>{html.escape(gmv.zh)} / {html.escape(gmv.en)}: {yuan(total_gmv)}</span>\
<span>{html.escape(orders.titled("zh"))} / {html.escape(orders.en)}: {total_orders:,}</span></p>
{charts}
<h2>活动投产比明细 / Campaign ROI</h2>
<p>{html.escape(ATTRIBUTION_NOTE)}<br>{html.escape(ATTRIBUTION_NOTE_EN)}</p>
{_table_html(dash.campaigns)}
<h2>商品明细 / Products</h2>
{_table_html(dash.products)}
</body>
</html>
"""


def brand_report_xlsx(dash: BrandDashboard, path: Path | str) -> Path:
    """A workbook with the daily, product and campaign sheets, each with its native Excel chart."""
    path = export_xlsx({"每日销售": dash.daily, "商品": dash.products, "活动ROI": dash.campaigns}, Path(path))
    book = load_workbook(path)

    def column_of(sheet_frame: pd.DataFrame, name: str) -> int:
        return list(sheet_frame.columns).index(name) + 1

    rows = len(dash.daily) + 1
    sheet = book["每日销售"]
    if len(dash.daily):
        line = LineChart()
        line.title, line.y_axis.title, line.x_axis.title = CHART_TITLES["daily_gmv"], YUAN_AXIS, DATE_AXIS
        gmv = column_of(dash.daily, "gmv_yuan")
        line.add_data(Reference(sheet, min_col=gmv, min_row=1, max_row=rows), titles_from_data=True)
        line.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows))
        sheet.add_chart(line, "J2")
        bars = BarChart()
        bars.title, bars.y_axis.title = CHART_TITLES["daily_orders"], "单、人 / orders, people"
        for name in ("orders", "buyers"):
            col = column_of(dash.daily, name)
            bars.add_data(Reference(sheet, min_col=col, min_row=1, max_row=rows), titles_from_data=True)
        bars.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows))
        sheet.add_chart(bars, "J20")
    sheet = book["商品"]
    if len(dash.products):
        n = min(len(dash.products), 20) + 1
        bars = BarChart()
        bars.type = "bar"
        bars.title, bars.x_axis.title = CHART_TITLES["product_gmv"], "商品 / Product"
        col = column_of(dash.products, "gmv_yuan")
        bars.add_data(Reference(sheet, min_col=col, min_row=1, max_row=n), titles_from_data=True)
        bars.set_categories(Reference(sheet, min_col=column_of(dash.products, "product"), min_row=2, max_row=n))
        sheet.add_chart(bars, "G2")
    sheet = book["活动ROI"]
    if len(dash.campaigns):
        n = len(dash.campaigns) + 1
        names = Reference(sheet, min_col=column_of(dash.campaigns, "campaign"), min_row=2, max_row=n)
        for anchor, key, columns in (
            ("B" + str(n + 3), "campaign_gmv", ("last_touch_gmv_yuan", "time_decay_gmv_yuan", "fee_yuan")),
            ("L" + str(n + 3), "campaign_roi", ("last_touch_roi", "time_decay_roi")),
        ):
            bars = BarChart()
            bars.title = CHART_TITLES[key]
            bars.y_axis.title = "倍 / ×" if key == "campaign_roi" else YUAN_AXIS
            for name in columns:
                col = column_of(dash.campaigns, name)
                bars.add_data(Reference(sheet, min_col=col, min_row=1, max_row=n), titles_from_data=True)
            bars.set_categories(names)
            sheet.add_chart(bars, anchor)
    book.save(path)
    return path


def write_brand_report(dash: BrandDashboard, fmt: ReportFormat | str, out: Path | str) -> Path:
    out = Path(out)
    if ReportFormat(fmt) is ReportFormat.XLSX:
        return brand_report_xlsx(dash, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(brand_report_html(dash), encoding="utf-8")
    return out
