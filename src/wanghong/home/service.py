"""What each role's home page shows, computed within the role's own scope.

Figures leave here as values and codes (`Code`), never as words: the page says them in the reader's language
(money in 元 with 万/亿, tiers and states by their labels).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from wanghong.accounts.principal import Principal
from wanghong.commerce.models import (
    Brand,
    Campaign,
    Collaboration,
    Creator,
    FanPersona,
    LivestreamSession,
    Mcn,
    Product,
)
from wanghong.compliance.models import ReviewTask
from wanghong.domain import FollowerTier, ReviewStatus, Role
from wanghong.governance import standing
from wanghong.kit import access
from wanghong.kit.db.base import Base


class Code(str):
    """A vocabulary code (a tier, a state, a segment) that the page shows by its label."""

    __slots__ = ()


@dataclass(frozen=True)
class Series:
    """One chart's data: its categories (codes, or dates as text) and values; the unit as (中文, English)."""

    title_key: str
    unit: tuple[str, str]
    labels: list[str]
    values: list[float]
    kind: str = "bar"


@dataclass
class Dashboard:
    headline: dict[str, Any] = field(default_factory=dict)
    charts: list[Series] = field(default_factory=list)
    table_title_key: str = ""
    table_columns: list[str] = field(default_factory=list)
    table_rows: list[list[Any]] = field(default_factory=list)


def _count(session: Session, model: type[Base], principal: Principal) -> int:
    condition = access.scope_condition(model, principal)
    return session.scalar(select(func.count()).select_from(model).where(condition)) or 0


def _count_by(
    session: Session, principal: Principal, column: InstrumentedAttribute[Any], *where: ColumnElement[bool]
) -> dict[Any, int]:
    """How many of the principal's rows hold each value of `column`."""
    condition = access.scope_condition(column.parent.class_, principal)
    return dict(session.execute(select(column, func.count()).where(condition, *where).group_by(column)).all())


def _share_chart(title_key: str, unit: tuple[str, str], counts: dict[Any, int]) -> Series:
    return Series(title_key, unit, [Code(k.value) for k in counts], [float(n) for n in counts.values()])


def _creators_by_tier(session: Session, principal: Principal) -> Series:
    rows = _count_by(session, principal, Creator.follower_tier)
    # Every tier, empty ones too, in their natural order: the shape of the roster is the point of the chart.
    tiers = list(FollowerTier)
    return Series(
        "chart_creators_by_tier",
        ("人", "creators"),
        [Code(t.value) for t in tiers],
        [float(rows.get(t, 0)) for t in tiers],
    )


def _gmv_by_day(session: Session, principal: Principal) -> Series:
    day = func.date(LivestreamSession.started_at)
    rows = session.execute(
        select(day, func.sum(LivestreamSession.gmv))
        .where(access.scope_condition(LivestreamSession, principal))
        .group_by(day)
        .order_by(day)
    ).all()
    return Series(
        "chart_gmv_by_day", ("元", "CNY"), [str(d) for d, _ in rows], [float(v or 0) for _, v in rows], "line"
    )


def _money(value: Decimal | None) -> Decimal:
    return value or Decimal(0)


def build(session: Session, principal: Principal) -> Dashboard:
    builders = {
        Role.ADMIN: _admin,
        Role.REVIEWER: _reviewer,
        Role.BRAND_MANAGER: _brand,
        Role.MCN_MANAGER: _mcn,
        Role.CREATOR: _creator,
        Role.REGULATOR: _regulator,
    }
    return builders[principal.role](session, principal)


def _gmv_total(session: Session, principal: Principal) -> Decimal:
    return session.scalar(
        select(func.sum(LivestreamSession.gmv)).where(access.scope_condition(LivestreamSession, principal))
    ) or Decimal(0)


def _admin(session: Session, principal: Principal) -> Dashboard:
    return Dashboard(
        headline={
            "creators": _count(session, Creator, principal),
            "mcns": _count(session, Mcn, principal),
            "brands": _count(session, Brand, principal),
            "gmv": _money(_gmv_total(session, principal)),
        },
        charts=[_creators_by_tier(session, principal), _gmv_by_day(session, principal)],
    )


def _reviewer(session: Session, principal: Principal) -> Dashboard:
    pending = session.scalars(
        access.visible_rows(ReviewTask, principal)
        .where(ReviewTask.status == ReviewStatus.PENDING)
        .order_by(ReviewTask.priority.desc(), ReviewTask.due_at)
        .limit(20)
    ).all()
    by_verdict = _count_by(session, principal, ReviewTask.ai_verdict, ReviewTask.status == ReviewStatus.PENDING)
    return Dashboard(
        headline={"pending_reviews": sum(by_verdict.values())},
        charts=[_share_chart("chart_pending_by_verdict", ("件", "tasks"), by_verdict)],
        table_title_key="table_review_queue",
        table_columns=["ID", "text", "ai_verdict", "ai_score", "priority"],
        table_rows=[[t.id, t.text[:60], Code(t.ai_verdict.value), f"{t.ai_score:.2f}", t.priority] for t in pending],
    )


def _brand(session: Session, principal: Principal) -> Dashboard:
    by_status = _count_by(session, principal, Collaboration.status)
    campaigns = session.scalars(access.visible_rows(Campaign, principal).order_by(Campaign.id.desc()).limit(20)).all()
    return Dashboard(
        headline={
            "campaigns": _count(session, Campaign, principal),
            "products": _count(session, Product, principal),
            "collaborations": sum(by_status.values()),
            "gmv": _money(_gmv_total(session, principal)),
        },
        charts=[
            _share_chart("chart_collaborations_by_status", ("个", "collaborations"), by_status),
            _gmv_by_day(session, principal),
        ],
        table_title_key="table_campaigns",
        table_columns=["ID", "name", "status", "budget"],
        table_rows=[[c.id, c.name, Code(c.status.value), _money(c.budget)] for c in campaigns],
    )


def _mcn(session: Session, principal: Principal) -> Dashboard:
    top = session.scalars(access.visible_rows(Creator, principal).order_by(Creator.followers.desc()).limit(20)).all()
    return Dashboard(
        headline={"creators": _count(session, Creator, principal), "gmv": _money(_gmv_total(session, principal))},
        charts=[_creators_by_tier(session, principal), _gmv_by_day(session, principal)],
        table_title_key="table_creators",
        table_columns=["ID", "handle", "followers", "follower_tier"],
        table_rows=[[c.id, c.handle, f"{c.followers:,}", Code(c.follower_tier.value)] for c in top],
    )


def _creator(session: Session, principal: Principal) -> Dashboard:
    creator = access.get_visible(session, Creator, principal.creator_id, principal)
    persona = session.get(FanPersona, creator.id)
    charts = [_gmv_by_day(session, principal)]
    if persona is not None and persona.segments:
        charts.insert(
            0,
            Series(
                "chart_fan_segments",
                ("%", "share"),
                [Code(k) for k in persona.segments],
                [round(100 * v, 1) for v in persona.segments.values()],
                "pie",
            ),
        )
    return Dashboard(
        headline={
            "followers": f"{creator.followers:,}",
            "tier": Code(creator.follower_tier.value),
            "gmv": _money(_gmv_total(session, principal)),
        },
        charts=charts,
    )


def _regulator(session: Session, _: Principal) -> Dashboard:
    """What a regulator looks at first: how many creators are held back, and for what (every tenant's creators;
    the regulator reads across tenants and has no scope of its own)."""
    held = Counter(found.state for found in standing.standings(session).values())
    held_back = [s for s in standing.Standing if s is not standing.Standing.GOOD]
    # The distribution as a chart is the 监管看板's; the home page names the three figures and links there.
    return Dashboard(headline={f"standing_{s.value}": held.get(s, 0) for s in held_back})
