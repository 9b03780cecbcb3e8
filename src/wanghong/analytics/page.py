"""数据看板: analytics dashboards per role, their CSV/Excel downloads, and live livestream monitoring.

Pages (session cookie, as every web page; unauthenticated visitors go to the sign-in page):

* ``/analytics`` sends each role to its own board;
* ``/analytics/brand/{brand_id}`` campaigns and ROI under last-touch and time-decay attribution;
* ``/analytics/mcn/{mcn_id}`` the agency's creators: GMV, tips, growth;
* ``/analytics/creator/{creator_id}`` one creator's growth;
* ``/analytics/platform`` the operator's overview: GMV per day, tips by follower tier, MCN share, CR5/HHI;
* ``/analytics/live/{session_id}`` a livestream's minute stats, refreshed every few seconds while it is live
  from ``/analytics/live/{session_id}/minutes`` (JSON, read from the OLTP database, see `wanghong.analytics.live`);
* ``…/export/{table}.csv`` and ``….xlsx`` download any table a board shows.

The boards and their tenancy are `wanghong.analytics.boards`; the board and download routes are generated from
its `BOARDS` table.  The boards read the event store at ``Settings.event_store_dir``, kept warm in the runtime.

This module deliberately does not use `from __future__ import annotations`: the board routes are defined inside
a factory, and FastAPI must see each one's path parameter (named per board) as a real annotation.
"""

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from wanghong.accounts.deps import CurrentPrincipal, signed_in
from wanghong.accounts.principal import Principal
from wanghong.analytics import boards, live
from wanghong.analytics.boards import BOARDS, Board, BoardData, BoardKind
from wanghong.analytics.metrics import page_words
from wanghong.analytics.tables import for_reader
from wanghong.commerce.models import LivestreamMinuteStat, LivestreamSession
from wanghong.domain import Role
from wanghong.kit.errors import InvalidInput, NotFound
from wanghong.kit.formats import in_language, yuan
from wanghong.kit.http import DbSession, WarmEngines
from wanghong.kit.i18n import FRAME
from wanghong.kit.instants import BadInstant, parse_instant
from wanghong.kit.pages import chart_html, language_of, page_router, render_page, sign_in
from wanghong.kit.runtime import Runtime

router = page_router(__file__)

PREFIX = "/analytics"
POLL_SECONDS = 5
TABLE_ROWS_SHOWN = 50
CHINA_TIME = timezone(timedelta(hours=8), "CST")

MESSAGES = FRAME.extend(
    page_words({"gmv_yuan": "gmv_livestream", "orders": "orders", "tips_yuan": "tip_income"}, titled=True)
).extend(
    {
        "zh": {
            "analytics": "数据看板",
            "live_board": "直播实时监控",
            "no_data": "暂无数据：平台的新数据几秒内同步到看板；历史数据可运行 wanghong analytics sync 补录",
            "updated": "数据更新于 ",
            "download": "下载",
            "rows_shown": "仅显示前 {n} 行，下载可得全部",
            "live_now": "正在直播",
            "no_live": "当前没有正在直播的场次",
            "status_live": "直播中，每 {s} 秒刷新",
            "status_ended": "已结束",
            "started": "开播时间",
            "china_time": "（北京时间）",
            "peak_viewers": "峰值在线（人）",
            "viewers_chart": "实时在线人数（人）",
            "viewers_series": "在线人数（人）",
            "sales_chart": "每分钟 GMV（元）与订单数（单）",
            "axis_time": "时间",
            "unit_people": "人",
            "unit_yuan": "元",
            "unit_orders": "单",
        },
        "en": {
            "analytics": "Analytics",
            "live_board": "Live monitoring",
            "no_data": "No data yet: new platform data reaches the boards within seconds; "
            "backfill history with `wanghong analytics sync`",
            "updated": "Data as of ",
            "download": "Download",
            "rows_shown": "First {n} rows shown; download for all",
            "live_now": "Live now",
            "no_live": "No session is live",
            "status_live": "Live, refreshed every {s} s",
            "status_ended": "Ended",
            "started": "Started",
            "china_time": " (Beijing time) ",
            "peak_viewers": "Peak viewers (people)",
            "viewers_chart": "Viewers online (people)",
            "viewers_series": "Viewers (people)",
            "sales_chart": "GMV per minute (yuan) and orders",
            "axis_time": "Time",
            "unit_people": "people",
            "unit_yuan": "yuan",
            "unit_orders": "orders",
        },
    }
)


def _render(
    request: Request, principal: Principal, board: Board, base_path: str, on_air: list[LivestreamSession]
) -> Response:
    language = language_of(request)
    tables = [
        (
            name,
            title,
            for_reader(frame.head(TABLE_ROWS_SHOWN), language).to_html(
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
            "board": board,
            "charts": [
                (
                    in_language(title, language),
                    # The card's caption names the chart; the figure's own title would print it a second time.
                    chart_html(
                        boards.localize(figure, language).update_layout(title_text=None, margin_t=30),
                        "380px",
                        f"chart-{i}",
                    ),
                )
                for i, (title, figure) in enumerate(board.figures)
            ],
            "tables": tables,
            "rows_shown": TABLE_ROWS_SHOWN,
            "base_path": base_path,
            "live": on_air,
        },
        messages=MESSAGES,
    )


# ---------------------------------------------------------------------------------------------- routes


@router.get(PREFIX, response_class=HTMLResponse)
def analytics_home(request: Request, session: DbSession) -> Response:
    principal = signed_in(request, session)
    if principal is None:
        return sign_in()
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


def _row_id(kind: BoardKind) -> Callable[..., int | None]:
    """A dependency reading the board's row id from its own path parameter (brand_id, mcn_id, …), if it has one."""
    if kind.param is None:
        return lambda: None

    def row_id(ident: Annotated[int, PathParam(alias=kind.param)]) -> int:
        return ident

    return row_id


def _add_board_routes(kind: BoardKind) -> None:
    path = PREFIX + f"/{kind.segment}" + (f"/{{{kind.param}}}" if kind.param else "")
    RowId = Annotated[int | None, Depends(_row_id(kind))]

    def board_for(
        request: Request, session: Session, runtime: Runtime, ident: int | None
    ) -> tuple[Principal, Board] | Response:
        """The signed-in reader and the board, or where to send a reader who may not open it."""
        principal = signed_in(request, session)
        if principal is None:
            return sign_in()
        if kind.operators_only and principal.role is not Role.ADMIN:  # everybody else goes to their own board
            return RedirectResponse(PREFIX, status_code=303)
        return principal, boards.open_board(session, principal, kind, ident, BoardData.of(runtime))

    def board_page(request: Request, session: DbSession, runtime: WarmEngines, ident: RowId) -> Response:
        opened = board_for(request, session, runtime, ident)
        if isinstance(opened, Response):
            return opened
        principal, board = opened
        creators = kind.live_creators(session, ident) if ident is not None else None
        on_air = live.live_sessions(session, principal, creators)
        return _render(request, principal, board, kind.path(ident), on_air)

    def board_export(
        filename: str, request: Request, session: DbSession, runtime: WarmEngines, ident: RowId
    ) -> Response:
        opened = board_for(request, session, runtime, ident)
        if isinstance(opened, Response):
            return opened
        table, _, fmt = filename.rpartition(".")
        content = boards.download(opened[1], table, fmt)
        headers = {"Content-Disposition": f'attachment; filename="{kind.stem(ident)}-{table}.{fmt}"'}
        return Response(content, media_type=boards.DOWNLOAD_TYPES[fmt], headers=headers)

    router.add_api_route(path, board_page, methods=["GET"], response_class=HTMLResponse, name=f"{kind.segment}_page")
    router.add_api_route(path + "/export/{filename}", board_export, methods=["GET"], name=f"{kind.segment}_export")


for _kind in BOARDS:
    _add_board_routes(_kind)


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


def _instant(after: str | None) -> datetime | None:
    if not after:
        return None
    try:
        # A polling client resumes from an instant it was given, with its offset: nothing to guess here.
        return parse_instant(after, naive_as=None)
    except BadInstant as error:
        raise InvalidInput(f"after: {error}") from None


@router.get(PREFIX + "/live/{session_id}/minutes")
def live_minutes(
    request: Request, session_id: int, session: DbSession, principal: CurrentPrincipal, after: str | None = None
) -> JSONResponse:
    """A session's minute stats (only those after `after`, an ISO-8601 instant, when given) and its totals, with
    the amounts also written as the page shows them (`shown`: 元 with 万/亿 in the reader's language)."""
    found = live.live_minutes(session, principal, session_id, _instant(after))
    stream = found.live
    return JSONResponse(
        {
            "session_id": stream.id,
            "live": stream.ended_at is None,
            "poll_seconds": POLL_SECONDS,
            "minutes": [_minute_json(r) for r in found.minutes],
            "totals": {
                "peak_viewers": stream.peak_viewers,
                "orders": stream.orders,
                "gmv_yuan": float(stream.gmv),
                "tips_yuan": float(stream.tips),
            },
            "shown": {
                "gmv_yuan": yuan(stream.gmv, language_of(request)),
                "tips_yuan": yuan(stream.tips, language_of(request)),
            },
        },
        headers={"Cache-Control": "no-store"},
    )


@router.get(PREFIX + "/live/{session_id}", response_class=HTMLResponse)
def live_page(session_id: int, request: Request, session: DbSession) -> Response:
    principal = signed_in(request, session)
    if principal is None:
        return sign_in()
    stream, creator = live.live_session(session, principal, session_id)
    return render_page(
        request,
        "analytics_live.html",
        principal,
        {
            "live": stream,
            "creator": creator,
            "poll_seconds": POLL_SECONDS,
            "minutes_url": f"{PREFIX}/live/{stream.id}/minutes",
            "started": stream.started_at.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M"),
        },
        messages=MESSAGES,
    )
