"""普惠流量分发 operations page: exposure Gini over time, the current settings and a form to change them.

Administrators only; anybody else is sent to the sign-in page. The chart reads the Gini snapshots all
workers write, so it shows the platform's window, not just this process's.
"""

from __future__ import annotations

from typing import Annotated, Any

import plotly.graph_objects as go
from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from wanghong.accounts.deps import signed_in
from wanghong.accounts.principal import Principal
from wanghong.domain import Role
from wanghong.kit.errors import InvalidInput
from wanghong.kit.http import DbSession, WarmEngines
from wanghong.kit.i18n import FRAME
from wanghong.kit.pages import CHART_FONT, chart_html, language_of, page_router, render_page, sign_in, text_for
from wanghong.traffic import service as traffic

router = page_router(__file__)

PAGE_PATH = "/operations/traffic"
HISTORY_POINTS = 2000

MESSAGES = FRAME.extend(
    {
        "zh": {
            "page_title": "普惠流量分发",
            "chart_title": "曝光基尼系数走势（基尼系数，0–1，越低越均衡）",
            "axis_time": "时间（UTC）",
            "axis_gini": "基尼系数（0–1）",
            "measured": "实测基尼系数",
            "target": "目标基尼系数",
            "measured_gini": "最新实测基尼系数",
            "target_gini": "目标基尼系数",
            "snapshots": "快照数",
            "no_snapshots": "暂无快照：分发流量后或调用 POST /api/v1/feed/gini-history 记录",
            "settings": "分发设置",
            "min_share": "最低曝光占比",
            "target_hint": "0–1，窗口内达人曝光的基尼系数上限",
            "share_hint": "0–1，各层级合计不超过 1；留空或 0 表示不设下限",
            "updated": "最后修改",
            "save": "保存",
            "saved": "已保存，各工作进程将在数秒内生效",
        },
        "en": {
            "page_title": "Fair traffic distribution",
            "chart_title": "Exposure Gini over time (Gini coefficient, 0–1, lower is more even)",
            "axis_time": "Time (UTC)",
            "axis_gini": "Gini coefficient (0–1)",
            "measured": "Measured Gini",
            "target": "Target Gini",
            "measured_gini": "Latest measured Gini",
            "target_gini": "Target Gini",
            "snapshots": "Snapshots",
            "no_snapshots": "No snapshots yet: allocate traffic or POST /api/v1/feed/gini-history",
            "settings": "Settings",
            "min_share": "Minimum exposure share",
            "target_hint": "0–1, ceiling on the Gini of creator exposure in the window",
            "share_hint": "0–1, all tiers together at most 1; empty or 0 means no floor",
            "updated": "Last changed",
            "save": "Save",
            "saved": "Saved; every worker applies it within seconds",
        },
    }
)


def _admin(request: Request, session: Session) -> Principal | None:
    return signed_in(request, session, Role.ADMIN)


def _chart(points: list[traffic.GiniPoint], t: dict[str, str]) -> str | None:
    if not points:
        return None
    times = [p.at for p in points]
    figure = go.Figure(
        [
            go.Scatter(x=times, y=[p.measured_gini for p in points], mode="lines+markers", name=t["measured"]),
            go.Scatter(
                x=times, y=[p.target_gini for p in points], mode="lines", name=t["target"], line={"dash": "dash"}
            ),
        ]
    )
    figure.update_layout(
        xaxis_title=t["axis_time"],
        yaxis_title=t["axis_gini"],
        yaxis_range=[0, 1],
        margin={"l": 60, "r": 20, "t": 10, "b": 50},
        height=360,
        legend={"orientation": "h"},
        font=CHART_FONT,
    )
    return chart_html(figure)


def _render(
    request: Request,
    session: Session,
    principal: Principal | None,
    *,
    form: dict[str, Any] | None = None,
    error: str | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    """The page for `principal`; a reader its guard turned away (None) is sent to sign in."""
    if principal is None:
        return sign_in()
    language = language_of(request)
    settings = traffic.load_settings(session)
    points = traffic.gini_history(session, principal, HISTORY_POINTS)
    tiers = [(tier.value, tier.label if language == "zh" else tier.value) for tier in traffic.TIER_ORDER]
    if form is None:
        form = {"target_gini": settings.target_gini}
        form |= {f"share_{tier.value}": settings.min_tier_share.get(tier, "") for tier in traffic.TIER_ORDER}
    return render_page(
        request,
        "traffic.html",
        principal,
        {
            "settings": settings,
            "measured_gini": points[-1].measured_gini if points else None,
            "n_points": len(points),
            "chart": _chart(points, text_for(request, MESSAGES)),
            "tiers": tiers,
            "form": form,
            "error": error,
            "saved": saved,
        },
        messages=MESSAGES,
        status_code=status_code,
    )


@router.get(PAGE_PATH, response_class=HTMLResponse)
def traffic_page(request: Request, session: DbSession, saved: bool = False) -> Response:
    return _render(request, session, _admin(request, session), saved=saved)


def _number(raw: str, field: str) -> float | None:
    text = raw.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise InvalidInput(f"{field} must be a number between 0 and 1 (须为 0–1 之间的数字), got {text!r}") from None


@router.post(PAGE_PATH, response_class=HTMLResponse)
def save_settings(
    request: Request,
    session: DbSession,
    runtime: WarmEngines,
    target_gini: Annotated[str, Form()] = "",
    share_nano: Annotated[str, Form()] = "",
    share_micro: Annotated[str, Form()] = "",
    share_mid: Annotated[str, Form()] = "",
    share_head: Annotated[str, Form()] = "",
    share_top: Annotated[str, Form()] = "",
) -> Response:
    principal = _admin(request, session)
    if principal is None:
        return sign_in()
    raw_shares = {"nano": share_nano, "micro": share_micro, "mid": share_mid, "head": share_head, "top": share_top}
    form: dict[str, Any] = {"target_gini": target_gini} | {f"share_{k}": v for k, v in raw_shares.items()}
    try:
        target = _number(target_gini, "target_gini")
        if target is None:
            raise InvalidInput("target_gini is required (请填写目标基尼系数)")
        shares = {
            tier: share
            for tier, raw in raw_shares.items()
            if (share := _number(raw, f"min_tier_share.{tier}")) is not None
        }
        runtime.get(traffic.TRAFFIC).update_settings(session, principal, target, shares)
    except InvalidInput as exc:
        return _render(request, session, principal, form=form, error=exc.detail, status_code=422)
    return RedirectResponse(f"{PAGE_PATH}?saved=true", status_code=303)
