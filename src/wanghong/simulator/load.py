"""Store a simulated ecosystem in the platform database with fast bulk inserts.

Row `i` of every simulator table becomes the database row with id `i + 1`, so ids are stable for a seed and
other tools (demo accounts, dashboards) can refer to simulated rows predictably.  Inserts go through
SQLAlchemy Core `insert()` with lists of parameter dicts in chunks (one `executemany` per chunk), which on
SQLite is an order of magnitude faster than ORM unit-of-work flushes.

`settle_loaded` then settles the stored collaborations and their attributed orders through the ledger (fee frozen,
released on approval and settlement, commission held and, past the return window, released), so the ledger's
check and reconciliation hold on simulated data.

Tips are money records and are always stored, as `viewer_events` rows with action `tip` and the yuan amount in
`value`; the sampled non-tip behaviour (views, likes, …) is optional because it is the largest table.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from wanghong.commerce import models as m
from wanghong.domain import FollowerTier, VerificationStatus, ViewerAction
from wanghong.kit.db.base import Base
from wanghong.kit.errors import Conflict
from wanghong.settlement import ledger
from wanghong.settlement.collaborations import attributed_orders, commission_drafts_of
from wanghong.settlement.engine import Draft, Parties, Policy, collaboration_drafts, to_fen
from wanghong.settlement.refunds import simulated_aftersales
from wanghong.simulator.engine.tables import (
    AGE_BANDS,
    CAMPAIGN_STATUSES,
    CATEGORIES,
    CITY_TIERS,
    COLLABORATION_MODES,
    COLLABORATION_STATUSES,
    FOLLOWER_TIERS,
    GENDERS,
    MCN_TIERS,
    PLATFORMS,
    SEGMENTS,
    VIEWER_ACTIONS,
    Ecosystem,
)

DEFAULT_CHUNK_ROWS = 20_000
INT32_MAX = 2**31 - 1


def _table(model: type[Base]) -> Table:
    table = model.__table__
    if not isinstance(table, Table):  # declarative models here map plain tables, never other selectables
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


# Tables this loader fills, in foreign-key order; also the order of LoadSummary.rows.
TABLES: tuple[Table, ...] = tuple(
    _table(model)
    for model in (
        m.Mcn,
        m.McnTierChange,
        m.Creator,
        m.FanPersona,
        m.Brand,
        m.Product,
        m.Campaign,
        m.Collaboration,
        m.Video,
        m.LivestreamSession,
        m.LivestreamMinuteStat,
        m.Viewer,
        m.Order,
        m.ViewerEvent,
    )
)

LoadProgress = Callable[[str, int], None]  # (table name, rows just written)


class SimulationTargetNotEmpty(Conflict, ValueError):
    """The database already holds creators, agencies, brands or viewers; simulated ids would collide."""

    title = "Database not empty"


@dataclass(frozen=True)
class LoadSummary:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    include_behaviour: bool = True

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def planned_rows(eco: Ecosystem, include_behaviour: bool = True) -> dict[str, int]:
    """How many rows `load_ecosystem` will write per table (for sizing a progress bar)."""
    return {
        "mcns": len(eco.mcns),
        "mcn_tier_changes": len(eco.mcns),
        "creators": len(eco.creators),
        "fan_personas": len(eco.personas),
        "brands": len(eco.brands),
        "products": len(eco.products),
        "campaigns": len(eco.campaigns),
        "collaborations": len(eco.collaborations),
        "videos": len(eco.videos),
        "livestream_sessions": len(eco.livestreams),
        "livestream_minute_stats": len(eco.minute_stats),
        "viewers": len(eco.viewers),
        "orders": len(eco.orders),
        "viewer_events": len(_stored_events(eco, include_behaviour)),
    }


def _stored_events(eco: Ecosystem, include_behaviour: bool) -> np.ndarray:
    """Indices of the behaviour events to store: all of them, or the tips alone (money is always stored)."""
    actions = eco.behaviour_events.action
    if include_behaviour:
        return np.arange(len(actions))
    return np.flatnonzero(actions == VIEWER_ACTIONS.index(ViewerAction.TIP))


# ------------------------------------------------------------------------------------------ column helpers


class _Clock:
    """Turns int32 second offsets into the timezone-aware UTC datetimes the models store."""

    def __init__(self, eco: Ecosystem) -> None:
        start = eco.period_start.astimezone(UTC).replace(tzinfo=None)
        self._base = np.datetime64(start, "s")

    def __call__(self, seconds: np.ndarray) -> list[datetime]:
        naive = (self._base + seconds.astype("timedelta64[s]")).astype("datetime64[us]").tolist()
        return [moment.replace(tzinfo=UTC) for moment in naive]


def _values(codes: np.ndarray, vocabulary: Sequence[Any]) -> list[str]:
    return list(np.array([member.value for member in vocabulary], dtype=object)[codes])


def _optional_id(ids: np.ndarray) -> list[int | None]:
    """Row index → database id, with -1 (no reference) → NULL."""
    return [None if i < 0 else i + 1 for i in ids.tolist()]


def _ids(ids: np.ndarray) -> list[int]:
    return (ids.astype(np.int64) + 1).tolist()


def _money(amounts: np.ndarray) -> list[float]:
    return np.round(amounts, 2).tolist()


def _numbered(model: type[Base], columns: dict[str, list[Any]]) -> tuple[Table, dict[str, list[Any]]]:
    """The model's table and its columns, with ids 1…n: row i of a simulator table is database row i + 1."""
    count = len(next(iter(columns.values())))
    return _table(model), {"id": list(range(1, count + 1)), **columns}


def _rows(columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _distribution(matrix: np.ndarray, vocabulary: Sequence[Any]) -> list[dict[str, float]]:
    keys = [member.value for member in vocabulary]
    return [dict(zip(keys, row, strict=True)) for row in matrix.tolist()]


# ------------------------------------------------------------------------------------------ table builders


def _table_columns(eco: Ecosystem, clock: _Clock, include_behaviour: bool) -> Iterator[tuple[Table, dict[str, Any]]]:
    """(table, column lists) in foreign-key order; built lazily so only one table is in memory at a time."""
    day = 86_400
    period_s = eco.days * day
    n_mcn = len(eco.mcns)
    mcn_created = clock(-eco.mcns.founded_day.astype(np.int64) * day)
    yield _numbered(
        m.Mcn,
        {
            "name": eco.mcns.name.tolist(),
            "tier": _values(eco.mcns.tier, MCN_TIERS),
            "created_at": mcn_created,
        },
    )
    yield _numbered(
        m.McnTierChange,
        {
            "mcn_id": list(range(1, n_mcn + 1)),
            "tier": _values(eco.mcns.tier, MCN_TIERS),
            "effective_at": mcn_created,
            "reason": ["模拟初始评级 / simulated initial rating"] * n_mcn,
        },
    )

    c = eco.creators
    n = len(c)
    verified_from = FOLLOWER_TIERS.index(FollowerTier.MID)  # 腰部 and above are verified accounts
    period_end = [clock(np.array([period_s - 1]))[0]] * n
    yield _numbered(
        m.Creator,
        {
            "handle": c.handle.tolist(),
            "display_name": c.display_name.tolist(),
            "platform": _values(c.platform, PLATFORMS),
            "categories": [
                [a, b]
                for a, b in zip(
                    _values(c.primary_category, CATEGORIES), _values(c.secondary_category, CATEGORIES), strict=True
                )
            ],
            "followers": c.followers.tolist(),
            "follower_tier": _values(c.follower_tier, FOLLOWER_TIERS),
            "region": c.region.tolist(),
            "city_tier": _values(c.city_tier, CITY_TIERS),
            "mcn_id": _optional_id(c.mcn_id),
            "verification_status": [
                VerificationStatus.VERIFIED.value if t >= verified_from else VerificationStatus.UNVERIFIED.value
                for t in c.follower_tier.tolist()
            ],
            "created_at": clock(-c.joined_day.astype(np.int64) * day),
            "updated_at": period_end,
        },
    )
    p = eco.personas
    yield (
        _table(m.FanPersona),
        {
            "creator_id": list(range(1, n + 1)),
            "gender": _distribution(p.gender, GENDERS),
            "age_bands": _distribution(p.age_band, AGE_BANDS),
            "city_tiers": _distribution(p.city_tier, CITY_TIERS),
            "segments": _distribution(p.segment, SEGMENTS),
            "interests": _distribution(p.interest, CATEGORIES),
            "updated_at": period_end,
        },
    )

    n_brand = len(eco.brands)
    yield _numbered(
        m.Brand,
        {
            "name": eco.brands.name.tolist(),
            "industry": _values(eco.brands.category, CATEGORIES),
            "created_at": clock(np.full(n_brand, -365 * day)),
        },
    )
    pr = eco.products
    product_category = _values(pr.category, CATEGORIES)
    yield _numbered(
        m.Product,
        {
            "brand_id": _ids(pr.brand_id),
            "name": pr.name.tolist(),
            "category": product_category,
            "price": _money(pr.price),
            "description": [""] * len(pr),
            "target_persona": [{"interests": [cat]} for cat in product_category],
            "created_at": clock(np.full(len(pr), -180 * day)),
        },
    )
    ca = eco.campaigns
    yield _numbered(
        m.Campaign,
        {
            "brand_id": _ids(ca.brand_id),
            "name": ca.name.tolist(),
            "budget": _money(ca.budget),
            "status": _values(ca.status, CAMPAIGN_STATUSES),
            "starts_at": clock(ca.starts_at),
            "ends_at": clock(ca.ends_at),
            "created_at": clock(ca.starts_at.astype(np.int64) - 7 * day),
        },
    )
    co = eco.collaborations
    yield _numbered(
        m.Collaboration,
        {
            "campaign_id": _ids(co.campaign_id),
            "creator_id": _ids(co.creator_id),
            "product_id": _ids(co.product_id),
            "mode": _values(co.mode, COLLABORATION_MODES),
            "fee": _money(co.fee),
            "commission_rate": co.commission_rate.tolist(),
            "status": _values(co.status, COLLABORATION_STATUSES),
            "content_url": [""] * len(co),
            "note": [""] * len(co),
            "created_at": clock(co.created_at),
            "updated_at": clock(np.maximum(co.live_at, co.created_at)),
        },
    )
    v = eco.videos
    category_label = np.array([cat.label for cat in CATEGORIES], dtype=object)[v.category]
    yield _numbered(
        m.Video,
        {
            "creator_id": _ids(v.creator_id),
            "title": [
                f"{label}{'推广' if collab >= 0 else '日常'} #{i + 1}"
                for i, (label, collab) in enumerate(
                    zip(category_label.tolist(), v.collaboration_id.tolist(), strict=True)
                )
            ],
            "script": [""] * len(v),
            "published_at": clock(v.published_at),
            "duration_s": v.duration_s.tolist(),
            "views": np.minimum(v.views, INT32_MAX).tolist(),
            "likes": np.minimum(v.likes, INT32_MAX).tolist(),
        },
    )
    ls = eco.livestreams
    yield _numbered(
        m.LivestreamSession,
        {
            "creator_id": _ids(ls.creator_id),
            "collaboration_id": _optional_id(ls.collaboration_id),
            "title": ["带货直播" if collab >= 0 else "才艺直播" for collab in ls.collaboration_id.tolist()],
            "started_at": clock(ls.started_at),
            "ended_at": clock(ls.started_at.astype(np.int64) + ls.duration_min.astype(np.int64) * 60),
            "peak_viewers": ls.peak_viewers.tolist(),
            "unique_viewers": ls.unique_viewers.tolist(),
            "gmv": _money(ls.gmv),
            "orders": ls.orders.tolist(),
            "tips": _money(ls.tips),
        },
    )
    ms = eco.minute_stats
    yield _numbered(
        m.LivestreamMinuteStat,
        {
            "session_id": _ids(ms.livestream_id),
            "minute_at": clock(ms.minute_at),
            "viewers": ms.viewers.tolist(),
            "gmv": _money(ms.gmv),
            "orders": ms.orders.tolist(),
            "tips": _money(ms.tips),
            "comments": ms.comments.tolist(),
        },
    )
    vw = eco.viewers
    yield _numbered(
        m.Viewer,
        {
            "external_id": [f"sim-{eco.seed}-{i + 1}" for i in range(len(vw))],
            "gender": _values(vw.gender, GENDERS),
            "age_band": _values(vw.age_band, AGE_BANDS),
            "city_tier": _values(vw.city_tier, CITY_TIERS),
            "segment": _values(vw.segment, SEGMENTS),
            "created_at": clock(np.zeros(len(vw), dtype=np.int64)),
        },
    )
    o = eco.orders
    yield _numbered(
        m.Order,
        {
            "product_id": _ids(o.product_id),
            "creator_id": _ids(o.creator_id),
            "livestream_id": _optional_id(o.livestream_id),
            "viewer_id": _ids(o.viewer_id),
            "quantity": o.quantity.tolist(),
            "amount": _money(o.amount),
            "ordered_at": clock(o.ordered_at),
        },
    )
    ev = eco.behaviour_events
    keep = _stored_events(eco, include_behaviour)
    yield _numbered(
        m.ViewerEvent,
        {
            "viewer_id": _ids(ev.viewer_id[keep]),
            "creator_id": _ids(ev.creator_id[keep]),
            "video_id": _optional_id(ev.video_id[keep]),
            "livestream_id": _optional_id(ev.livestream_id[keep]),
            "action": _values(ev.action[keep], VIEWER_ACTIONS),
            "value": np.round(ev.value[keep], 2).tolist(),
            "occurred_at": clock(ev.at[keep]),
        },
    )


# ------------------------------------------------------------------------------------------ loader


def _refuse_if_occupied(session: Session) -> None:
    for model in (m.Mcn, m.Creator, m.Brand, m.Viewer):
        count = session.execute(select(func.count()).select_from(model)).scalar_one()
        if count:
            raise SimulationTargetNotEmpty(
                f"表 {model.__tablename__} 已有 {count} 行数据，无法写入模拟数据 / table "
                f"'{model.__tablename__}' already holds {count} rows; load the simulation into an empty "
                "database (e.g. point WANGHONG_DATABASE_URL at a new SQLite file and run `wanghong db upgrade`)"
            )


def _advance_postgres_sequences(session: Session, tables: Sequence[Table]) -> None:
    """Explicit ids bypass PostgreSQL sequences; move each past the highest id so later inserts don't collide."""
    for table in tables:
        if "id" not in table.c:
            continue
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )


def load_ecosystem(
    session: Session,
    eco: Ecosystem,
    *,
    include_behaviour: bool = True,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: LoadProgress | None = None,
) -> LoadSummary:
    """Bulk-insert every simulated table the models have into an empty platform database.

    Runs inside the caller's transaction (commit is the caller's choice).  Raises SimulationTargetNotEmpty if
    agencies, creators, brands or viewers already exist, because simulated ids start at 1.
    """
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1, got {chunk_rows}")
    started = time.perf_counter()
    _refuse_if_occupied(session)
    clock = _Clock(eco)
    connection = session.connection()
    written: dict[str, int] = {}
    for table, columns in _table_columns(eco, clock, include_behaviour):
        rows = _rows(columns)
        for first in range(0, len(rows), chunk_rows):
            chunk = rows[first : first + chunk_rows]
            connection.execute(insert(table), chunk)
            if progress is not None:
                progress(table.name, len(chunk))
        written[table.name] = len(rows)
    if connection.dialect.name == "postgresql":
        _advance_postgres_sequences(session, TABLES)
    return LoadSummary(rows=written, seconds=time.perf_counter() - started, include_behaviour=include_behaviour)


@dataclass(frozen=True)
class SettleSummary:
    transactions: int = 0
    seconds: float = 0.0


def settle_loaded(
    session: Session, policy: Policy, now: datetime, *, batch: int = 1000, progress: LoadProgress | None = None
) -> SettleSummary:
    """Post the ledger transactions the stored collaborations and attributed orders owe as of `now` (the end of
    the simulated period): what the workflow's hooks would have posted had the history happened live. The
    simulated history is recorded as it happened, so campaign budgets are not enforced here. Keys make a second
    run a replay."""
    started = time.perf_counter()
    drafts: list[Draft] = []
    collaborations = session.execute(
        select(
            m.Collaboration.id,
            m.Campaign.brand_id,
            m.Collaboration.creator_id,
            m.Creator.mcn_id,
            m.Collaboration.fee,
            m.Collaboration.status,
            m.Collaboration.updated_at,
        )
        .join(m.Campaign, m.Campaign.id == m.Collaboration.campaign_id)
        .join(m.Creator, m.Creator.id == m.Collaboration.creator_id)
        .order_by(m.Collaboration.id)
    ).all()
    for collaboration_id, brand_id, creator_id, mcn_id, fee, status, at in collaborations:
        parties = Parties(collaboration_id, brand_id, creator_id, mcn_id)
        drafts += collaboration_drafts(parties, status, to_fen(fee), policy, at)
    # A small documented share of orders is refunded or complained about (settlement.refunds), so the boards show
    # after-sales and the ledger reverses or claws back those orders' commissions below.
    simulated_aftersales(session, now, policy.return_window)
    orders = session.execute(attributed_orders().order_by(m.Order.id)).all()
    drafts += commission_drafts_of(orders, now, policy)
    for first in range(0, len(drafts), batch):
        chunk = drafts[first : first + batch]
        ledger.post_many(session, chunk)
        if progress is not None:
            progress("ledger_transactions", len(chunk))
    return SettleSummary(transactions=len(drafts), seconds=time.perf_counter() - started)
