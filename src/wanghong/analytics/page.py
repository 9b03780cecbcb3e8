"""数据看板: analytics dashboards per role, their CSV/Excel downloads, and live livestream monitoring.

Pages (session cookie, as every web page; unauthenticated visitors go to the sign-in page):

* ``/analytics`` sends each role to its own board;
* ``/analytics/brand/{brand_id}`` campaigns and ROI under last-touch and time-decay attribution;
* ``/analytics/mcn/{mcn_id}`` the agency's creators: GMV, tips, growth;
* ``/analytics/creator/{creator_id}`` one creator's growth;
* ``/analytics/platform`` the operator's overview: GMV per day, tips by follower tier, MCN share, CR5/HHI;
* ``/analytics/live/{session_id}`` a livestream's minute stats, refreshed every few seconds while it is live
  from ``/analytics/live/{session_id}/minutes`` (JSON, read from the OLTP database, so minutes ingested through
  ``/api/v1/events:batch`` show up at once);
* ``…/export/{table}.csv`` and ``….xlsx`` download any table a board shows.

Tenancy: whose board may be opened is decided by `services.access` (`get_visible` on Brand, Mcn, Creator and
LivestreamSession): another tenant's board is a 404.  The boards read the Parquet event store, whose ids are the
database's own ids when it is filled by ``wanghong analytics sync`` (see `wanghong.analytics.sync`), so a brand
manager's `brand_id` selects its rows directly.  The store's root is ``app.state.event_store`` if set, else
``Settings.event_store_dir`` (``$WANGHONG_EVENT_STORE``, default ``var/events``).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from plotly.subplots import make_subplots
from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.deps import CurrentPrincipal, signed_in
from wanghong.accounts.principal import Principal
from wanghong.analytics.boards import AnalyticsError, JobTableCache, brand_dashboard, chinese_headers
from wanghong.analytics.engine.jobs import Backend
from wanghong.analytics.engine.store import EventStore
from wanghong.analytics.report import ATTRIBUTION_NOTE, brand_figures
from wanghong.commerce.models import Brand, Creator, LivestreamMinuteStat, LivestreamSession, Mcn
from wanghong.domain import Role
from wanghong.kit import access
from wanghong.kit.db.base import Base
from wanghong.kit.errors import InvalidInput, NotFound
from wanghong.kit.http import DbSession
from wanghong.kit.pages import add_templates, chart_html, language_of, render_page

add_templates(Path(__file__).with_name("templates"))

M = TypeVar("M", bound=Base)

router = APIRouter(include_in_schema=False)

# Every board reads whole-platform job tables; they are computed once per store state, not once per request.
JOB_TABLES = JobTableCache()

PREFIX = "/analytics"
POLL_SECONDS = 5
LIVE_MINUTES_SHOWN = 720  # the last 12 hours of a session: longer than any livestream the platform runs
TABLE_ROWS_SHOWN = 50
GROWTH_DAYS = 7
TOP_MCNS = 5
CHINA_TIME = timezone(timedelta(hours=8), "CST")
FONT = {"family": "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"}

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "analytics": "数据看板",
        "brand_board": "品牌看板",
        "mcn_board": "MCN 看板",
        "creator_board": "达人看板",
        "platform_board": "平台运营看板",
        "live_board": "直播实时监控",
        "no_data": "暂无数据：请先运行 wanghong analytics sync 把数据库同步到事件库",
        "download": "下载",
        "rows_shown": "仅显示前 {n} 行，下载可得全部",
        "live_now": "正在直播",
        "no_live": "当前没有正在直播的场次",
        "home": "返回首页",
        "status_live": "直播中，每 {s} 秒刷新",
        "status_ended": "已结束",
        "started": "开播时间",
        "attribution": ATTRIBUTION_NOTE,
        "growth_note": "增长率：数据最后 7 天对比之前 7 天的 GMV。",
    },
    "en": {
        "analytics": "Analytics",
        "brand_board": "Brand dashboard",
        "mcn_board": "MCN dashboard",
        "creator_board": "Creator dashboard",
        "platform_board": "Platform overview",
        "live_board": "Live monitoring",
        "no_data": "No data yet: run `wanghong analytics sync` to copy the database into the event store",
        "download": "Download",
        "rows_shown": "First {n} rows shown; download for all",
        "live_now": "Live now",
        "no_live": "No session is live",
        "home": "Home",
        "status_live": "Live, refreshed every {s} s",
        "status_ended": "Ended",
        "started": "Started",
        "attribution": ATTRIBUTION_NOTE,
        "growth_note": "Growth: GMV of the data's last 7 days against the 7 days before.",
    },
}


class UnknownExport(NotFound):
    """A download names a table the board does not have, or a format other than csv/xlsx."""


# ---------------------------------------------------------------------------------------------- plumbing


def event_store(request: Request) -> EventStore:
    store = getattr(request.app.state, "event_store", None)
    if store is None:
        store = EventStore(request.app.state.settings.event_store_dir)
        request.app.state.event_store = store
    return store


@dataclass
class Board:
    """What one dashboard shows; `tables` are the downloadable frames, by URL-safe name."""

    title: str
    subtitle: str = ""
    cards: list[tuple[str, str]] = field(default_factory=list)
    figures: list[tuple[str, go.Figure]] = field(default_factory=list)  # (Chinese title with unit, figure)
    tables: dict[str, tuple[str, pd.DataFrame]] = field(default_factory=dict)
    note: str = ""


def _layout(figure: go.Figure, title: str, y_title: str, x_title: str = "日期") -> go.Figure:
    figure.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis_title=y_title,
        template="plotly_white",
        height=380,
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
        legend={"orientation": "h"},
        font=FONT,
    )
    return figure


def _chart_html(figure: go.Figure, index: int) -> str:
    return chart_html(figure, height="380px", div_id=f"chart-{index}")


def _yuan(value: float) -> str:
    return f"¥{value:,.2f}"


def _sum(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].sum()) if column in frame and len(frame) else 0.0


# ---------------------------------------------------------------------------------------------- boards


def brand_board(store: EventStore, brand: Brand) -> Board:
    board = Board(title=f"{brand.name} · 品牌看板", note=ATTRIBUTION_NOTE)
    try:
        dash = brand_dashboard(Backend(), store, brand.id, tables=JOB_TABLES)
    except AnalyticsError:  # the brand is not in the store yet
        return board
    campaigns = dash.campaigns
    board.cards = [
        ("总 GMV（元）", _yuan(_sum(dash.daily, "gmv_yuan"))),
        ("订单数（单）", f"{int(_sum(dash.daily, 'orders')):,}"),
        ("营销活动（个）", f"{len(campaigns):,}"),
        ("末次触点归因 GMV（元）", _yuan(_sum(campaigns, "last_touch_gmv_yuan"))),
        ("时间衰减归因 GMV（元）", _yuan(_sum(campaigns, "time_decay_gmv_yuan"))),
    ]
    figures = brand_figures(dash)
    for key in ("campaign_gmv", "campaign_roi", "daily_gmv", "daily_orders", "product_gmv"):
        figure = figures[key]
        figure.update_layout(font=FONT, legend={"orientation": "h"})
        board.figures.append((str(figure.layout.title.text), figure))
    board.tables = {
        "campaigns": ("活动投产比（末次触点 vs 时间衰减）", campaigns),
        "daily": ("每日销售", dash.daily),
        "products": ("商品销售", dash.products),
    }
    return board


def _growth(daily: pd.DataFrame, key: str) -> pd.Series:
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


def _creator_daily(store: EventStore, creator_ids: list[int]) -> pd.DataFrame:
    daily = JOB_TABLES("creator_daily", Backend(), store)
    return daily[daily["creator_id"].isin(creator_ids)].reset_index(drop=True)


def mcn_board(store: EventStore, mcn: Mcn) -> Board:
    board = Board(title=f"{mcn.name} · MCN 看板", note=MESSAGES["zh"]["growth_note"])
    creators = store.read_dimension("creators").to_pandas()
    roster = creators[creators["mcn_id"] == mcn.id]
    if roster.empty:
        return board
    daily = _creator_daily(store, roster["creator_id"].tolist())
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
    table["gmv_growth"] = table["creator_id"].map(_growth(daily, "creator_id"))
    table = table.sort_values(["gmv_yuan", "creator_id"], ascending=[False, True]).reset_index(drop=True)
    board.cards = [
        ("旗下达人（人）", f"{len(roster):,}"),
        ("总 GMV（元）", _yuan(_sum(table, "gmv_yuan"))),
        ("打赏收入（元）", _yuan(_sum(table, "tip_yuan"))),
        ("订单数（单）", f"{int(_sum(table, 'orders')):,}"),
    ]
    top = table.head(20)
    board.figures.append(
        (
            "旗下达人 GMV 与打赏收入（元）",
            _layout(
                go.Figure(
                    [
                        go.Bar(x=top["creator"], y=top["gmv_yuan"], name="GMV（元）"),
                        go.Bar(x=top["creator"], y=top["tip_yuan"], name="打赏收入（元）"),
                    ]
                ),
                "旗下达人 GMV 与打赏收入（元）",
                "元",
                "达人",
            ),
        )
    )
    by_day = daily.groupby("day", as_index=False)[["gmv_yuan", "tip_yuan"]].sum() if len(daily) else daily
    board.figures.append(
        (
            "旗下达人每日 GMV 与打赏（元）",
            _layout(
                go.Figure(
                    [
                        go.Scatter(
                            x=by_day.get("day"), y=by_day.get("gmv_yuan"), mode="lines+markers", name="GMV（元）"
                        ),
                        go.Scatter(
                            x=by_day.get("day"), y=by_day.get("tip_yuan"), mode="lines+markers", name="打赏（元）"
                        ),
                    ]
                ),
                "旗下达人每日 GMV 与打赏（元）",
                "元",
            ),
        )
    )
    growth = table.dropna(subset=["gmv_growth"]).head(20)
    board.figures.append(
        (
            "达人 GMV 增长率（%，近 7 日对比前 7 日）",
            _layout(
                go.Figure(go.Bar(x=growth["creator"], y=growth["gmv_growth"] * 100, name="增长率（%）")),
                "达人 GMV 增长率（%，近 7 日对比前 7 日）",
                "%",
                "达人",
            ),
        )
    )
    board.tables = {"creators": ("旗下达人", table), "daily": ("达人每日指标", daily)}
    return board


def creator_board(store: EventStore, creator: Creator) -> Board:
    board = Board(title=f"{creator.display_name} · 达人看板", subtitle=f"@{creator.handle}")
    daily = _creator_daily(store, [creator.id])
    if daily.empty:
        return board
    daily = daily.sort_values("day").reset_index(drop=True)
    daily["cumulative_follows"] = daily["follows"].cumsum()
    growth = _growth(daily, "creator_id").get(creator.id)
    board.cards = [
        ("粉丝数（人）", f"{creator.followers:,}"),
        ("总 GMV（元）", _yuan(_sum(daily, "gmv_yuan"))),
        ("打赏收入（元）", _yuan(_sum(daily, "tip_yuan"))),
        ("新增关注（人）", f"{int(_sum(daily, 'follows')):,}"),
        ("GMV 增长率（近 7 日）", "—" if growth is None or pd.isna(growth) else f"{growth:+.1%}"),
    ]
    board.figures = [
        (
            "每日 GMV 与打赏收入（元）",
            _layout(
                go.Figure(
                    [
                        go.Scatter(x=daily["day"], y=daily["gmv_yuan"], mode="lines+markers", name="GMV（元）"),
                        go.Scatter(x=daily["day"], y=daily["tip_yuan"], mode="lines+markers", name="打赏收入（元）"),
                    ]
                ),
                "每日 GMV 与打赏收入（元）",
                "元",
            ),
        ),
        (
            "每日观看人数（人）与互动（次）",
            _layout(
                go.Figure(
                    [
                        go.Bar(x=daily["day"], y=daily["unique_viewers"], name="观看人数（人）"),
                        go.Scatter(
                            x=daily["day"],
                            y=daily["likes"] + daily["comments"] + daily["shares"],
                            mode="lines",
                            name="点赞+评论+分享（次）",
                        ),
                    ]
                ),
                "每日观看人数（人）与互动（次）",
                "人 / 次",
            ),
        ),
        (
            "累计新增关注（人）",
            _layout(
                go.Figure(
                    go.Scatter(
                        x=daily["day"],
                        y=daily["cumulative_follows"],
                        mode="lines",
                        fill="tozeroy",
                        name="累计新增关注（人）",
                    )
                ),
                "累计新增关注（人）",
                "人",
            ),
        ),
    ]
    board.tables = {"daily": ("每日指标", daily)}
    board.note = MESSAGES["zh"]["growth_note"]
    return board


def platform_board(store: EventStore) -> Board:
    board = Board(title="平台运营看板")
    backend = Backend()
    brand_daily = JOB_TABLES("brand_daily", backend, store)
    if brand_daily.empty:
        return board
    gmv = brand_daily.groupby("day", as_index=False)[["gmv_yuan", "orders"]].sum()
    tiers = JOB_TABLES("tip_by_tier", backend, store)
    share = JOB_TABLES("mcn_share", backend, store)
    concentration = JOB_TABLES("mcn_concentration", backend, store)
    board.cards = [
        ("总 GMV（元）", _yuan(_sum(gmv, "gmv_yuan"))),
        ("订单数（单）", f"{int(_sum(gmv, 'orders')):,}"),
        ("打赏收入（元）", _yuan(_sum(tiers, "tip_yuan"))),
        ("最新周 HHI", f"{concentration['hhi'].iloc[-1]:,.0f}" if len(concentration) else "—"),
    ]
    board.figures.append(
        (
            "平台每日 GMV（元）",
            _layout(
                go.Figure(go.Scatter(x=gmv["day"], y=gmv["gmv_yuan"], mode="lines+markers", name="GMV（元）")),
                "平台每日 GMV（元）",
                "元",
            ),
        )
    )
    board.figures.append(
        (
            "打赏收入按粉丝层级（元）",
            _layout(
                go.Figure(
                    go.Bar(
                        x=tiers["follower_tier"],
                        y=tiers["tip_yuan"],
                        name="打赏收入（元）",
                        text=[f"{s:.1%}" for s in tiers["share_of_tips"].fillna(0)],
                    )
                ),
                "打赏收入按粉丝层级（元）",
                "元",
                "粉丝层级",
            ),
        )
    )
    if len(share):
        # The five largest agencies over the whole period by name, the rest as one band, so the chart stays legible.
        leaders = share.groupby("mcn")["gmv_yuan"].sum().nlargest(TOP_MCNS).index
        banded = share.assign(band=share["mcn"].where(share["mcn"].isin(leaders), "其他 MCN"))
        weekly = banded.groupby(["week_start", "band"], as_index=False)["share"].sum()
        share_figure = go.Figure(
            [
                go.Bar(x=part["week_start"], y=part["share"] * 100, name=str(band))
                for band, part in weekly.groupby("band", sort=False)
            ]
        )
        share_figure.update_layout(barmode="stack")
        board.figures.append(
            ("MCN 周 GMV 市场份额（%）", _layout(share_figure, "MCN 周 GMV 市场份额（%）", "%", "周起始日"))
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
        _layout(conc, "MCN 集中度：CR5（%）与 HHI（0–10000）", "CR5（%）", "周起始日")
        conc.update_yaxes(title_text="HHI（0–10000）", secondary_y=True)
        board.figures.append(("MCN 集中度：CR5（%）与 HHI（0–10000）", conc))
    board.tables = {
        "gmv": ("平台每日 GMV", gmv),
        "tiers": ("打赏收入按粉丝层级", tiers),
        "mcn_share": ("MCN 市场份额", share),
        "concentration": ("MCN 集中度", concentration),
    }
    board.note = "HHI 超过 1800 为高度集中（美国司法部/联邦贸易委员会 2023 年《并购指南》）。"
    return board


# ---------------------------------------------------------------------------------------------- rendering


def _live_sessions(session: Session, principal: Principal, creator_ids: list[int] | None = None) -> list[Any]:
    stmt = access.visible_rows(LivestreamSession, principal).where(LivestreamSession.ended_at.is_(None))
    if creator_ids is not None:
        stmt = stmt.where(LivestreamSession.creator_id.in_(creator_ids))
    return list(session.scalars(stmt.order_by(LivestreamSession.started_at.desc()).limit(20)))


def _render(request: Request, principal: Principal, board: Board, base_path: str, live: list[Any]) -> Response:
    language = language_of(request)
    m = MESSAGES.get(language, MESSAGES["zh"])
    tables = [
        (
            name,
            title,
            chinese_headers(frame.head(TABLE_ROWS_SHOWN)).to_html(
                index=False, border=0, classes="data", na_rep="—", float_format="{:,.2f}".format
            ),
            len(frame),
        )
        for name, (title, frame) in board.tables.items()
    ]
    return render_page(
        request,
        "analytics.html",
        principal,
        {
            "m": m,
            "board": board,
            "charts": [(title, _chart_html(figure, i)) for i, (title, figure) in enumerate(board.figures)],
            "tables": tables,
            "rows_shown": TABLE_ROWS_SHOWN,
            "base_path": base_path,
            "live": live,
        },
    )


def _export(board: Board, table: str, fmt: str, stem: str) -> Response:
    if table not in board.tables:
        raise UnknownExport(f"no table '{table}' here; choose one of {', '.join(board.tables) or 'none (no data yet)'}")
    title, frame = board.tables[table]
    frame = chinese_headers(frame)
    filename = f"{stem}-{table}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "csv":
        # A byte-order mark, so Excel on Chinese Windows opens the file without mojibake.
        return Response(
            frame.to_csv(index=False).encode("utf-8-sig"), media_type="text/csv; charset=utf-8", headers=headers
        )
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            frame.to_excel(writer, sheet_name=title[:31], index=False)
        return Response(
            buffer.getvalue(),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers=headers,
        )
    raise UnknownExport(f"format '{fmt}' is not offered; use csv or xlsx")


def _split(filename: str) -> tuple[str, str]:
    table, _, fmt = filename.rpartition(".")
    return table, fmt


# ---------------------------------------------------------------------------------------------- routes


@router.get(PREFIX, response_class=HTMLResponse)
def analytics_home(request: Request, session: DbSession) -> Response:
    principal = signed_in(request, session)
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    targets = {
        Role.ADMIN: f"{PREFIX}/platform",
        Role.BRAND_MANAGER: f"{PREFIX}/brand/{principal.brand_id}",
        Role.MCN_MANAGER: f"{PREFIX}/mcn/{principal.mcn_id}",
        Role.CREATOR: f"{PREFIX}/creator/{principal.creator_id}",
    }
    target = targets.get(principal.role)
    if target is None:
        raise NotFound(f"no analytics board for the {principal.role.value} role")
    return RedirectResponse(target, status_code=303)


def _owned_board(
    request: Request,
    session: Session,
    model: type[M],
    ident: int,
    make_board: Callable[[EventStore, M], Board],
    segment: str,
) -> tuple[Principal, Board, str] | Response:
    """A tenant's board (brand, MCN, creator): sign-in first, then the same visibility rule as the API (404)."""
    principal = signed_in(request, session)
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    row = access.get_visible(session, model, ident, principal)
    return principal, make_board(event_store(request), row), f"{PREFIX}/{segment}/{ident}"


@router.get(PREFIX + "/brand/{brand_id}", response_class=HTMLResponse)
def brand_page(brand_id: int, request: Request, session: DbSession) -> Response:
    page = _owned_board(request, session, Brand, brand_id, brand_board, "brand")
    if isinstance(page, Response):
        return page
    principal, board, path = page
    return _render(request, principal, board, path, _live_sessions(session, principal))


@router.get(PREFIX + "/brand/{brand_id}/export/{filename}")
def brand_export(brand_id: int, filename: str, request: Request, session: DbSession) -> Response:
    page = _owned_board(request, session, Brand, brand_id, brand_board, "brand")
    if isinstance(page, Response):
        return page
    return _export(page[1], *_split(filename), stem=f"brand-{brand_id}")


@router.get(PREFIX + "/mcn/{mcn_id}", response_class=HTMLResponse)
def mcn_page(mcn_id: int, request: Request, session: DbSession) -> Response:
    page = _owned_board(request, session, Mcn, mcn_id, mcn_board, "mcn")
    if isinstance(page, Response):
        return page
    principal, board, path = page
    roster = list(session.scalars(select(Creator.id).where(Creator.mcn_id == mcn_id)))
    return _render(request, principal, board, path, _live_sessions(session, principal, roster))


@router.get(PREFIX + "/mcn/{mcn_id}/export/{filename}")
def mcn_export(mcn_id: int, filename: str, request: Request, session: DbSession) -> Response:
    page = _owned_board(request, session, Mcn, mcn_id, mcn_board, "mcn")
    if isinstance(page, Response):
        return page
    return _export(page[1], *_split(filename), stem=f"mcn-{mcn_id}")


@router.get(PREFIX + "/creator/{creator_id}", response_class=HTMLResponse)
def creator_page(creator_id: int, request: Request, session: DbSession) -> Response:
    page = _owned_board(request, session, Creator, creator_id, creator_board, "creator")
    if isinstance(page, Response):
        return page
    principal, board, path = page
    return _render(request, principal, board, path, _live_sessions(session, principal, [creator_id]))


@router.get(PREFIX + "/creator/{creator_id}/export/{filename}")
def creator_export(creator_id: int, filename: str, request: Request, session: DbSession) -> Response:
    page = _owned_board(request, session, Creator, creator_id, creator_board, "creator")
    if isinstance(page, Response):
        return page
    return _export(page[1], *_split(filename), stem=f"creator-{creator_id}")


def _platform_page(request: Request, session: Session) -> tuple[Principal, Board, str] | Response:
    principal = signed_in(request, session)
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    if principal.role is not Role.ADMIN:  # operators only; everybody else is sent to their own board
        return RedirectResponse(PREFIX, status_code=303)
    return principal, platform_board(event_store(request)), f"{PREFIX}/platform"


@router.get(PREFIX + "/platform", response_class=HTMLResponse)
def platform_page(request: Request, session: DbSession) -> Response:
    page = _platform_page(request, session)
    if isinstance(page, Response):
        return page
    principal, board, path = page
    return _render(request, principal, board, path, _live_sessions(session, principal))


@router.get(PREFIX + "/platform/export/{filename}")
def platform_export(filename: str, request: Request, session: DbSession) -> Response:
    page = _platform_page(request, session)
    if isinstance(page, Response):
        return page
    return _export(page[1], *_split(filename), stem="platform")


# ---------------------------------------------------------------------------------------------- live monitoring


def _minute_json(row: LivestreamMinuteStat) -> dict[str, Any]:
    return {
        "minute_at": row.minute_at.isoformat(),
        "viewers": row.viewers,
        "orders": row.orders,
        "gmv_yuan": float(row.gmv),
        "tips_yuan": float(row.tips),
        "comments": row.comments,
    }


@router.get(PREFIX + "/live/{session_id}/minutes")
def live_minutes(
    session_id: int, session: DbSession, principal: CurrentPrincipal, after: str | None = None
) -> JSONResponse:
    """A session's minute stats (only those after `after`, an ISO-8601 instant, when given) and its totals."""
    live = access.get_visible(session, LivestreamSession, session_id, principal)
    stmt = select(LivestreamMinuteStat).where(LivestreamMinuteStat.session_id == live.id)
    if after:
        try:
            since = datetime.fromisoformat(after)
        except ValueError:
            raise InvalidInput(
                f"after must be an ISO-8601 instant such as 2026-11-01T12:00:00+00:00, got {after!r}"
            ) from None
        if since.tzinfo is None:
            raise InvalidInput("after needs a time zone offset, e.g. +00:00")
        stmt = stmt.where(LivestreamMinuteStat.minute_at > since)
    rows = list(session.scalars(stmt.order_by(LivestreamMinuteStat.minute_at.desc()).limit(LIVE_MINUTES_SHOWN)))
    rows.reverse()
    return JSONResponse(
        {
            "session_id": live.id,
            "live": live.ended_at is None,
            "poll_seconds": POLL_SECONDS,
            "minutes": [_minute_json(r) for r in rows],
            "totals": {
                "peak_viewers": live.peak_viewers,
                "orders": live.orders,
                "gmv_yuan": float(live.gmv),
                "tips_yuan": float(live.tips),
            },
        },
        headers={"Cache-Control": "no-store"},
    )


@router.get(PREFIX + "/live/{session_id}", response_class=HTMLResponse)
def live_page(session_id: int, request: Request, session: DbSession) -> Response:
    principal = signed_in(request, session)
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    live = access.get_visible(session, LivestreamSession, session_id, principal)
    creator = session.get(Creator, live.creator_id)
    language = language_of(request)
    return render_page(
        request,
        "analytics_live.html",
        principal,
        {
            "m": MESSAGES.get(language, MESSAGES["zh"]),
            "live": live,
            "creator": creator,
            "poll_seconds": POLL_SECONDS,
            "minutes_url": f"{PREFIX}/live/{live.id}/minutes",
            "started": live.started_at.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M"),
        },
    )
