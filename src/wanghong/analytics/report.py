"""A brand's commerce report as a self-contained HTML page (Plotly, JS inlined) or an Excel workbook.

Every chart is titled in Chinese with its unit.  The HTML carries plotly.js from the installed plotly package
inside the page, so it opens offline and never calls a CDN.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart, Reference
from plotly.offline import get_plotlyjs

from wanghong.analytics.engine.backends import ATTRIBUTION_WINDOW
from wanghong.analytics.engine.jobs import HALF_LIFE
from wanghong.analytics.options import ReportFormat
from wanghong.analytics.tables import BrandDashboard, chinese_headers, export_xlsx

# One chart each, in the order the report shows them; titles carry their units.
CHART_TITLES = {
    "daily_gmv": "每日 GMV（元）",
    "daily_orders": "每日订单数（单）与买家数（人）",
    "product_gmv": "商品 GMV 排名（元）",
    "campaign_gmv": "活动归因 GMV：末次触点 vs 时间衰减（元）",
    "campaign_roi": "活动投产比 ROI（倍）",
}


ATTRIBUTION_NOTE = (
    f"归因：订单前 {ATTRIBUTION_WINDOW.days} 天内同商品的合作触点（内容上线、带货直播开播）；"
    f"时间衰减半衰期 {HALF_LIFE.total_seconds() / 3600:g} 小时。ROI = 归因 GMV ÷（合作费用 + 佣金）。"
)


def _window_text(dash: BrandDashboard) -> str:
    since = dash.window.since.isoformat() if dash.window.since else "最早"
    until = dash.window.until.isoformat() if dash.window.until else "最新"
    return f"{since} 至 {until}"


def brand_figures(dash: BrandDashboard) -> dict[str, go.Figure]:
    """The report's charts as Plotly figures (also what a web page would embed)."""
    daily, products, campaigns = dash.daily, dash.products, dash.campaigns
    layout = {"template": "plotly_white", "height": 380, "margin": {"l": 60, "r": 20, "t": 60, "b": 60}}
    figures: dict[str, go.Figure] = {}
    figures["daily_gmv"] = go.Figure(
        go.Scatter(x=daily["day"], y=daily["gmv_yuan"], mode="lines+markers", name="GMV（元）"),
        layout={**layout, "title": CHART_TITLES["daily_gmv"], "xaxis_title": "日期", "yaxis_title": "元"},
    )
    figures["daily_orders"] = go.Figure(
        [
            go.Bar(x=daily["day"], y=daily["orders"], name="订单数（单）"),
            go.Bar(x=daily["day"], y=daily["buyers"], name="买家数（人）"),
        ],
        layout={**layout, "title": CHART_TITLES["daily_orders"], "xaxis_title": "日期", "yaxis_title": "单 / 人"},
    )
    top = products.head(20)
    figures["product_gmv"] = go.Figure(
        go.Bar(x=top["gmv_yuan"], y=top["product"], orientation="h", name="GMV（元）"),
        layout={
            **layout,
            "title": CHART_TITLES["product_gmv"],
            "xaxis_title": "元",
            "yaxis": {"autorange": "reversed"},
        },
    )
    figures["campaign_gmv"] = go.Figure(
        [
            go.Bar(x=campaigns["campaign"], y=campaigns["last_touch_gmv_yuan"], name="末次触点（元）"),
            go.Bar(x=campaigns["campaign"], y=campaigns["time_decay_gmv_yuan"], name="时间衰减（元）"),
            go.Bar(x=campaigns["campaign"], y=campaigns["fee_yuan"], name="合作费用（元）"),
        ],
        layout={**layout, "title": CHART_TITLES["campaign_gmv"], "yaxis_title": "元"},
    )
    figures["campaign_roi"] = go.Figure(
        [
            go.Bar(x=campaigns["campaign"], y=campaigns["last_touch_roi"], name="末次触点 ROI（倍）"),
            go.Bar(x=campaigns["campaign"], y=campaigns["time_decay_roi"], name="时间衰减 ROI（倍）"),
        ],
        layout={**layout, "title": CHART_TITLES["campaign_roi"], "yaxis_title": "倍（GMV ÷ 花费）"},
    )
    return figures


def _table_html(frame: pd.DataFrame) -> str:
    return chinese_headers(frame).to_html(
        index=False, border=0, classes="data", na_rep="—", float_format="{:,.2f}".format
    )


def brand_report_html(dash: BrandDashboard) -> str:
    title = f"{dash.brand_name} 带货数据报告"
    charts = "\n".join(
        f'<section class="chart">{fig.to_html(full_html=False, include_plotlyjs=False)}</section>'
        for fig in brand_figures(dash).values()
    )
    total_gmv = float(dash.daily["gmv_yuan"].sum()) if not dash.daily.empty else 0.0
    total_orders = int(dash.daily["orders"].sum()) if not dash.daily.empty else 0
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
<p>统计区间 / period: {html.escape(_window_text(dash))}（中国标准时间 / China Standard Time）</p>
<p class="summary"><span>总 GMV（元）: {total_gmv:,.2f}</span><span>总订单数（单）: {total_orders:,}</span></p>
{charts}
<h2>活动投产比明细 / campaign ROI</h2>
<p>{html.escape(ATTRIBUTION_NOTE)}</p>
{_table_html(dash.campaigns)}
<h2>商品明细 / products</h2>
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
        line.title, line.y_axis.title, line.x_axis.title = CHART_TITLES["daily_gmv"], "元", "日期"
        gmv = column_of(dash.daily, "gmv_yuan")
        line.add_data(Reference(sheet, min_col=gmv, min_row=1, max_row=rows), titles_from_data=True)
        line.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows))
        sheet.add_chart(line, "J2")
        bars = BarChart()
        bars.title, bars.y_axis.title = CHART_TITLES["daily_orders"], "单 / 人"
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
        bars.title, bars.x_axis.title = CHART_TITLES["product_gmv"], "商品"
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
            bars.y_axis.title = "倍" if key == "campaign_roi" else "元"
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
