"""The role boards: what the brand, MCN, creator and platform dashboards show, and their downloads.

A `Board` is cards, figures and downloadable tables, computed from the whole-platform job tables of the event
store (kept warm across requests by `JOB_TABLES`, recomputed when the store changes).  `BOARDS` says for each
kind of board which row it shows (whose visibility decides, as everywhere, who may open it), how it is built
and whose livestreams it lists beside it; the pages only route and render.  The store is kept seconds fresh
by the server's background sync (`analytics.freshness`), and each board carries the time its data is as of;
money (the ledger) and after-sales are read from the database itself.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.analytics.engine.backends import Backend
from wanghong.analytics.engine.store import EventStore
from wanghong.analytics.freshness import last_updated
from wanghong.analytics.live import roster
from wanghong.analytics.report import (
    ATTRIBUTION_NOTE,
    ATTRIBUTION_NOTE_EN,
    CHART_LEGEND,
    CHART_MARGIN,
    DATE_AXIS,
    DAY_FORMAT,
    YUAN_AXIS,
    YUAN_META,
    brand_figures,
    named,
    yuan_axes,
)
from wanghong.analytics.tables import (
    BrandNotInStore,
    JobTableCache,
    brand_dashboard,
    export_csv,
    export_xlsx,
    tier_name,
)
from wanghong.commerce.models import Brand, Creator, Mcn
from wanghong.kit import access
from wanghong.kit.db.base import Base
from wanghong.kit.errors import NotFound
from wanghong.kit.formats import in_language
from wanghong.kit.pages import CHART_FONT
from wanghong.kit.runtime import Runtime, Warm
from wanghong.settlement import ledger
from wanghong.settlement.engine import PLATFORM_ID, OwnerKind, Purpose
from wanghong.settlement.refunds import complaint_rate

GROWTH_DAYS = 7
TOP_MCNS = 5
WEEK_AXIS = "周起始日 / Week from"
GROWTH_NOTE = "增长率：数据最后 7 天对比之前 7 天的 GMV。 / Growth: GMV of the data's last 7 days against the 7 before."

EVENT_STORE = Warm("analytics.event_store", build=lambda settings: EventStore(settings.event_store_dir))
# Every board reads whole-platform job tables; they are computed once per store state, not once per request.
JOB_TABLES = Warm("analytics.job_tables", build=lambda settings: JobTableCache())

DOWNLOAD_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class UnknownExport(NotFound):
    """A download names a table the board does not have, or a format other than csv/xlsx."""


class BoardData:
    """The job tables of one store, through the warm cache; a backend is opened only if a table must be computed."""

    def __init__(self, store: EventStore, cache: JobTableCache) -> None:
        self.store = store
        self.cache = cache

    @classmethod
    def of(cls, runtime: Runtime) -> BoardData:
        return cls(runtime.get(EVENT_STORE), runtime.get(JOB_TABLES))

    @cached_property
    def backend(self) -> Backend:
        return Backend()

    def table(self, name: str) -> pd.DataFrame:
        return self.cache(name, self.backend, self.store)


@dataclass
class Board:
    """What one dashboard shows; `tables` are the downloadable frames, by URL-safe name."""

    # Every word a board shows is written "中文 / English" (its title, cards, charts' titles, axes and series, tables,
    # note): the page shows the reader's half (`kit.formats.in_language`), the downloads the Chinese one.
    title: str
    subtitle: str = ""
    name: str = ""  # whose board it is (a brand's, an agency's or a creator's name), in no language of its own
    # A card's value is text, or an amount in yuan (a float) that the page writes in 元 with 万/亿 for its reader.
    cards: list[tuple[str, str | float]] = field(default_factory=list)
    figures: list[tuple[str, go.Figure]] = field(default_factory=list)  # (title with unit, figure)
    tables: dict[str, tuple[str, pd.DataFrame]] = field(default_factory=dict)
    note: str = ""
    updated: datetime | None = None  # until when the event store holds the database's writes


def _chart(figure: go.Figure, title: str, y_title: str, x_title: str = DATE_AXIS) -> tuple[str, go.Figure]:
    """A board's chart: its title (with the unit) and the figure laid out like every other.  On an axis in yuan
    every series is an amount, so each is marked one, to be read in 元 with 万/亿 (`localize`)."""
    if x_title in (DATE_AXIS, WEEK_AXIS):
        figure.update_xaxes(tickformat=DAY_FORMAT, hoverformat=DAY_FORMAT)
    if y_title == YUAN_AXIS:
        for trace in figure.data:
            trace.meta = {**(trace.meta if isinstance(trace.meta, dict) else {}), **YUAN_META}
    figure.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis_title=y_title,
        template="plotly_white",
        height=380,
        margin=CHART_MARGIN,
        legend=CHART_LEGEND,
        font=CHART_FONT,
    )
    return title, figure


def _yuan(value: float) -> float:
    """A card's amount: the page writes it in 元 with 万/亿 in the reader's language (`kit.formats.yuan`)."""
    return round(value, 2)


_named = named  # a figure's name with its unit in both languages, from 指标说明


def reword(figure: go.Figure, say: Callable[[str], str]) -> go.Figure:
    """The figure with every word it shows (its title, axes' titles, series' names, and the categories of an axis
    its traces mark as words) passed through `say`."""

    def said(text: str | None) -> str | None:
        return say(text) if text else text

    def categories(trace: Any) -> None:
        axis = trace.meta.get("words") if isinstance(trace.meta, dict) else None
        if axis in ("x", "y"):
            trace.update({axis: [said(str(value)) for value in trace[axis]]})

    figure.update_layout(title_text=said(figure.layout.title.text))
    figure.for_each_xaxis(lambda axis: axis.update(title_text=said(axis.title.text)))
    figure.for_each_yaxis(lambda axis: axis.update(title_text=said(axis.title.text)))
    figure.for_each_trace(lambda trace: trace.update(name=said(trace.name)))
    figure.for_each_trace(categories)
    return figure


def localize(figure: go.Figure, language: str) -> go.Figure:
    """A board's chart for its reader: every word in their half of "中文 / English", amounts in 元 with 万/亿 as
    their language writes them (¥12.35万, ¥123.5K)."""
    return yuan_axes(reword(figure, lambda text: in_language(text, language)), language)


def _report_chart(figure: go.Figure) -> tuple[str, go.Figure]:
    """One of the report's charts (already worded in both languages) laid out like the board's own."""
    figure.update_layout(font=CHART_FONT, legend=CHART_LEGEND)
    return str(figure.layout.title.text), figure


def _sum(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].sum()) if column in frame and len(frame) else 0.0


# ---------------------------------------------------------------------------------------------- boards


def brand_board(data: BoardData, brand: Brand) -> Board:
    board = Board(title="品牌看板 / Brand board", name=brand.name, note=f"{ATTRIBUTION_NOTE} / {ATTRIBUTION_NOTE_EN}")
    try:
        dash = brand_dashboard(data.backend, data.store, brand.id, tables=data.cache)
    except BrandNotInStore:  # not synced yet
        return board
    campaigns = dash.campaigns
    board.cards = [
        (_named("gmv_all"), _yuan(_sum(dash.daily, "gmv_yuan"))),
        (_named("orders"), f"{int(_sum(dash.daily, 'orders')):,}"),
        ("营销活动（个） / Campaigns", f"{len(campaigns):,}"),
        ("末次触点归因 GMV（元） / GMV attributed, last touch (yuan)", _yuan(_sum(campaigns, "last_touch_gmv_yuan"))),
        ("时间衰减归因 GMV（元） / GMV attributed, time decay (yuan)", _yuan(_sum(campaigns, "time_decay_gmv_yuan"))),
    ]
    figures = brand_figures(dash)
    for key in ("campaign_gmv", "campaign_roi", "daily_gmv", "daily_orders", "product_gmv"):
        board.figures.append(_report_chart(figures[key]))
    board.tables = {
        "campaigns": ("活动投产比（末次触点 vs 时间衰减） / Campaign ROI (last touch vs time decay)", campaigns),
        "daily": ("每日销售 / Daily sales", dash.daily),
        "products": ("商品销售 / Sales by product", dash.products),
    }
    return board


def gmv_growth(daily: pd.DataFrame, key: str) -> pd.Series:
    """GMV growth of each `key` over the data's last GROWTH_DAYS days against the GROWTH_DAYS before (a ratio)."""
    if daily.empty:
        return pd.Series(dtype="float64")
    last = max(daily["day"])
    recent_from = last - timedelta(days=GROWTH_DAYS - 1)
    before_from = recent_from - timedelta(days=GROWTH_DAYS)
    recent = daily[daily["day"] >= recent_from].groupby(key)["gmv_yuan"].sum()
    before = daily[(daily["day"] >= before_from) & (daily["day"] < recent_from)].groupby(key)["gmv_yuan"].sum()
    before = before.reindex(recent.index.union(before.index), fill_value=0.0)
    recent = recent.reindex(before.index, fill_value=0.0)
    return (recent - before) / before.where(before > 0)


def _creator_daily(data: BoardData, creator_ids: list[int]) -> pd.DataFrame:
    daily = data.table("creator_daily")
    return daily[daily["creator_id"].isin(creator_ids)].reset_index(drop=True)


def mcn_board(data: BoardData, mcn: Mcn) -> Board:
    board = Board(title="MCN 看板 / MCN board", name=mcn.name, note=GROWTH_NOTE)
    creators = data.store.read_dimension("creators").to_pandas()
    roster = creators[creators["mcn_id"] == mcn.id]
    if roster.empty:
        return board
    daily = _creator_daily(data, roster["creator_id"].tolist())
    totals = (
        daily.groupby("creator_id")[["gmv_yuan", "tip_yuan", "orders", "unique_viewers", "follows"]].sum()
        if len(daily)
        else pd.DataFrame(columns=["gmv_yuan", "tip_yuan", "orders", "unique_viewers", "follows"])
    )
    table = roster[["creator_id", "display_name", "followers", "follower_tier"]].rename(
        columns={"display_name": "creator"}
    )
    table = table.merge(totals, left_on="creator_id", right_index=True, how="left").fillna(
        {"gmv_yuan": 0.0, "tip_yuan": 0.0, "orders": 0, "unique_viewers": 0, "follows": 0}
    )
    table["gmv_growth"] = table["creator_id"].map(gmv_growth(daily, "creator_id"))
    table = table.sort_values(["gmv_yuan", "creator_id"], ascending=[False, True]).reset_index(drop=True)
    board.cards = [
        ("旗下达人（人） / Signed creators (people)", f"{len(roster):,}"),
        (_named("gmv_all"), _yuan(_sum(table, "gmv_yuan"))),
        (_named("tip_income"), _yuan(_sum(table, "tip_yuan"))),
        (_named("orders"), f"{int(_sum(table, 'orders')):,}"),
    ]
    top = table.head(20)
    board.figures.append(
        _chart(
            go.Figure(
                [
                    go.Bar(x=top["creator"], y=top["gmv_yuan"], name=_named("gmv_all")),
                    go.Bar(x=top["creator"], y=top["tip_yuan"], name=_named("tip_income")),
                ]
            ),
            "旗下达人 GMV 与打赏收入（元） / GMV and tips of signed creators (yuan)",
            YUAN_AXIS,
            "达人 / Creator",
        )
    )
    by_day = daily.groupby("day", as_index=False)[["gmv_yuan", "tip_yuan"]].sum() if len(daily) else daily
    board.figures.append(
        _chart(
            go.Figure(
                [
                    go.Scatter(
                        x=by_day.get("day"), y=by_day.get("gmv_yuan"), mode="lines+markers", name=_named("gmv_all")
                    ),
                    go.Scatter(
                        x=by_day.get("day"), y=by_day.get("tip_yuan"), mode="lines+markers", name=_named("tip_income")
                    ),
                ]
            ),
            "旗下达人每日 GMV 与打赏（元） / Daily GMV and tips of signed creators (yuan)",
            YUAN_AXIS,
        )
    )
    growth = table.dropna(subset=["gmv_growth"]).head(20)
    # With no creator selling in both weeks there is no growth to draw: an empty axis would only look broken.
    if not growth.empty:
        board.figures.append(
            _chart(
                go.Figure(go.Bar(x=growth["creator"], y=growth["gmv_growth"] * 100, name="增长率（%） / Growth (%)")),
                "达人 GMV 增长率（%，近 7 日对比前 7 日） / "
                "GMV growth per creator (%, last 7 days against the 7 before)",
                "%",
                "达人 / Creator",
            )
        )
    board.tables = {
        "creators": ("旗下达人 / Signed creators", table),
        "daily": ("达人每日指标 / Creators' daily figures", daily),
    }
    return board


def creator_board(data: BoardData, creator: Creator) -> Board:
    board = Board(title="达人看板 / Creator board", name=creator.display_name, subtitle=f"@{creator.handle}")
    daily = _creator_daily(data, [creator.id])
    if daily.empty:
        return board
    daily = daily.sort_values("day").reset_index(drop=True)
    daily["cumulative_follows"] = daily["follows"].cumsum()
    growth = gmv_growth(daily, "creator_id").get(creator.id)
    board.cards = [
        ("粉丝数（人） / Followers (people)", f"{creator.followers:,}"),
        (_named("gmv_all"), _yuan(_sum(daily, "gmv_yuan"))),
        (_named("tip_income"), _yuan(_sum(daily, "tip_yuan"))),
        ("新增关注（人） / New follows (people)", f"{int(_sum(daily, 'follows')):,}"),
        (
            "GMV 增长率（近 7 日） / GMV growth (last 7 days)",
            "—" if growth is None or pd.isna(growth) else f"{growth:+.1%}",
        ),
    ]
    board.figures = [
        _chart(
            go.Figure(
                [
                    go.Scatter(x=daily["day"], y=daily["gmv_yuan"], mode="lines+markers", name=_named("gmv_all")),
                    go.Scatter(x=daily["day"], y=daily["tip_yuan"], mode="lines+markers", name=_named("tip_income")),
                ]
            ),
            "每日 GMV 与打赏收入（元） / Daily GMV and tips (yuan)",
            YUAN_AXIS,
        ),
        _chart(
            go.Figure(
                [
                    go.Bar(x=daily["day"], y=daily["unique_viewers"], name=_named("unique_viewers")),
                    go.Scatter(
                        x=daily["day"],
                        y=daily["likes"] + daily["comments"] + daily["shares"],
                        mode="lines",
                        name="点赞+评论+分享（次） / Likes + comments + shares",
                    ),
                ]
            ),
            "每日观看人数（人）与互动（次） / Daily unique viewers (people) and interactions",
            "人、次 / people, actions",
        ),
        _chart(
            go.Figure(
                go.Scatter(
                    x=daily["day"],
                    y=daily["cumulative_follows"],
                    mode="lines",
                    fill="tozeroy",
                    name="累计新增关注（人） / Cumulative new follows (people)",
                )
            ),
            "累计新增关注（人） / Cumulative new follows (people)",
            "人 / people",
        ),
    ]
    board.tables = {"daily": ("每日指标 / Daily figures", daily)}
    board.note = GROWTH_NOTE
    return board


def platform_board(data: BoardData, _: None = None) -> Board:
    board = Board(title="平台运营看板 / Platform board")
    brand_daily = data.table("brand_daily")
    if brand_daily.empty:
        return board
    gmv = brand_daily.groupby("day", as_index=False)[["gmv_yuan", "orders"]].sum()
    tiers = data.table("tip_by_tier")
    share = data.table("mcn_share")
    concentration = data.table("mcn_concentration")
    board.cards = [
        (_named("gmv_all"), _yuan(_sum(gmv, "gmv_yuan"))),
        (_named("orders"), f"{int(_sum(gmv, 'orders')):,}"),
        (_named("tip_income"), _yuan(_sum(tiers, "tip_yuan"))),
        ("最新周 HHI / HHI, latest week", f"{concentration['hhi'].iloc[-1]:,.0f}" if len(concentration) else "—"),
    ]
    board.figures.append(
        _chart(
            go.Figure(go.Scatter(x=gmv["day"], y=gmv["gmv_yuan"], mode="lines+markers", name=_named("gmv_all"))),
            "平台每日 GMV（元） / Platform GMV per day (yuan)",
            YUAN_AXIS,
        )
    )
    board.figures.append(
        _chart(
            go.Figure(
                go.Bar(
                    # Each tier in both languages, the axis's categories marked as words: the page shows its half.
                    x=[f"{tier_name(t)} / {tier_name(t, 'en')}" for t in tiers["follower_tier"]],
                    y=tiers["tip_yuan"],
                    name=_named("tip_income"),
                    text=[f"{s:.1%}" for s in tiers["share_of_tips"].fillna(0)],
                    meta={"words": "x"},
                )
            ),
            "打赏收入按粉丝层级（元） / Tips by follower tier (yuan)",
            YUAN_AXIS,
            "粉丝层级 / Follower tier",
        )
    )
    if len(share):
        # The five largest agencies over the whole period by name, the rest as one band, so the chart stays legible.
        leaders = share.groupby("mcn")["gmv_yuan"].sum().nlargest(TOP_MCNS).index
        banded = share.assign(band=share["mcn"].where(share["mcn"].isin(leaders), "其他 MCN / Other MCNs"))
        weekly = banded.groupby(["week_start", "band"], as_index=False)["share"].sum()
        share_figure = go.Figure(
            [
                go.Bar(x=part["week_start"], y=part["share"] * 100, name=str(band))
                for band, part in weekly.groupby("band", sort=False)
            ]
        )
        share_figure.update_layout(barmode="stack")
        board.figures.append(
            _chart(share_figure, "MCN 周 GMV 市场份额（%） / MCN share of weekly GMV (%)", "%", WEEK_AXIS)
        )
    if len(concentration):
        conc = make_subplots(specs=[[{"secondary_y": True}]])
        conc.add_trace(
            go.Scatter(
                x=concentration["week_start"], y=concentration["cr5"] * 100, mode="lines+markers", name="CR5（%）"
            ),
            secondary_y=False,
        )
        conc.add_trace(
            go.Scatter(
                x=concentration["week_start"], y=concentration["hhi"], mode="lines+markers", name="HHI（0–10000）"
            ),
            secondary_y=True,
        )
        chart = _chart(
            conc,
            "MCN 集中度：CR5（%）与 HHI（0–10000） / MCN concentration: CR5 (%) and HHI (0–10000)",
            "CR5 (%)",
            WEEK_AXIS,
        )
        conc.update_yaxes(title_text="HHI（0–10000） / HHI (0–10000)", secondary_y=True)
        board.figures.append(chart)
    board.tables = {
        "gmv": ("平台每日 GMV / Platform GMV per day", gmv),
        "tiers": ("打赏收入按粉丝层级 / Tips by follower tier", tiers),
        "mcn_share": ("MCN 市场份额 / MCN market share", share),
        "concentration": ("MCN 集中度 / MCN concentration", concentration),
    }
    board.note = (
        "HHI 超过 1800 为高度集中（美国司法部/联邦贸易委员会 2023 年《并购指南》）。 / An HHI above 1,800 is highly "
        "concentrated (US DOJ/FTC Merger Guidelines, 2023)."
    )
    return board


# ---------------------------------------------------------------------------------------------- which board, for whom


@dataclass(frozen=True)
class BoardKind:
    """One kind of board: its URL, the row it shows, how it is built and whose livestreams it lists."""

    segment: str  # /analytics/<segment>, then /{param} for a tenant's board
    param: str | None  # the path parameter with the row's id; None for the platform's one board
    model: type[Base] | None
    build: Callable[[BoardData, Any], Board]
    # Whose sessions on air the board lists beside it (by the row's id); None: all the reader may see.
    live_creators: Callable[[Session, int], list[int] | None] = lambda session, ident: None
    operators_only: bool = False

    def path(self, ident: int | None) -> str:
        return f"/analytics/{self.segment}" + (f"/{ident}" if self.param else "")

    def stem(self, ident: int | None) -> str:
        """The downloads' file-name prefix."""
        return f"{self.segment}-{ident}" if self.param else self.segment


BOARDS: tuple[BoardKind, ...] = (
    BoardKind("brand", "brand_id", Brand, brand_board),
    BoardKind("mcn", "mcn_id", Mcn, mcn_board, live_creators=roster),
    BoardKind("creator", "creator_id", Creator, creator_board, live_creators=lambda session, ident: [ident]),
    BoardKind("platform", None, None, platform_board, operators_only=True),
)


def open_board(session: Session, principal: Principal, kind: BoardKind, ident: int | None, data: BoardData) -> Board:
    """The board of the row `ident`, if the principal may see it (another tenant's row is a 404, as in the API)."""
    row = access.get_visible(session, kind.model, ident, principal) if kind.model is not None else None
    board = kind.build(data, row)
    board.cards += ledger_cards(session, kind, ident) + aftersales_cards(session, kind, ident)
    board.updated = last_updated(data.store)
    return board


# The ledger's accounts a board shows, read from the database like the after-sales cards, so a posting is on its
# board once committed: (the owner kind, its accounts, the card's label and the sign that makes it read positive).
_LEDGER_CARDS: dict[str, tuple[OwnerKind, tuple[tuple[tuple[Purpose, ...], str, int], ...]]] = {
    # What left the brand for good: frozen fees released and commissions paid, net of claw-backs.
    "brand": (
        OwnerKind.BRAND,
        (
            ((Purpose.FROZEN,), "冻结预算（元） / Frozen budget (yuan)", 1),
            ((Purpose.BUDGET, Purpose.FROZEN), "已结算支出（元） / Settled spend (yuan)", -1),
        ),
    ),
    "creator": (
        OwnerKind.CREATOR,
        (
            ((Purpose.COMMISSION_PENDING,), _named("commission_pending"), 1),
            ((Purpose.RECEIVABLE,), "待打款（元） / Awaiting payout (yuan)", 1),
            ((Purpose.PAID,), "已打款（元） / Paid out (yuan)", 1),
        ),
    ),
    "mcn": (OwnerKind.MCN, (((Purpose.SHARE,), "MCN 分成（元） / MCN share (yuan)", 1),)),
    "platform": (
        OwnerKind.PLATFORM,
        (((Purpose.SERVICE_FEE,), "平台服务费收入（元） / Platform service fees (yuan)", 1),),
    ),
}


def ledger_cards(session: Session, kind: BoardKind, ident: int | None) -> list[tuple[str, str | float]]:
    owner_kind, cards = _LEDGER_CARDS[kind.segment]
    owner_id = PLATFORM_ID if ident is None else ident
    found: dict[Purpose, int] = {}
    for line in ledger.balances(session, owner_kind=owner_kind, owner_id=owner_id):
        found[line.account.purpose] = found.get(line.account.purpose, 0) + line.balance
    return [(label, _yuan(sign * sum(found.get(p, 0) for p in purposes) / 100)) for purposes, label, sign in cards]


def aftersales_cards(session: Session, kind: BoardKind, ident: int | None) -> list[tuple[str, str | float]]:
    """客诉率 and 退款率 of the board's brand, creator or the platform, read from the platform's own records (a
    complaint or refund is on its board as soon as it is recorded; no event-store sync stands between)."""
    if kind.segment not in ("brand", "creator", "platform"):
        return []
    rate = complaint_rate(
        session,
        brand_id=ident if kind.segment == "brand" else None,
        creator_id=ident if kind.segment == "creator" else None,
    )

    def share(value: float | None) -> str:
        return "—" if value is None else f"{value:.2%}"

    return [
        (_named("complaint_rate"), share(rate.complaint_rate)),
        (_named("refund_rate"), share(rate.refund_rate)),
    ]


def download(board: Board, table: str, fmt: str) -> bytes:
    """One of a board's tables as a CSV or Excel file, with Chinese headers."""
    if table not in board.tables:
        raise UnknownExport(f"no table '{table}' here; choose one of {', '.join(board.tables) or 'none (no data yet)'}")
    if fmt not in DOWNLOAD_TYPES:
        raise UnknownExport(f"format '{fmt}' is not offered; use csv or xlsx")
    title, frame = board.tables[table]
    buffer = io.BytesIO()
    if fmt == "csv":
        export_csv(frame, buffer)
    else:
        export_xlsx({in_language(title, "zh"): frame}, buffer)
    return buffer.getvalue()
