"""Copy the platform database (OLTP) into the Parquet event store, incrementally and idempotently.

What is copied:

* dimensions (creators, MCNs, brands, products, campaigns, collaborations) — small and edited in place, so each
  sync replaces their snapshots whole;
* orders, livestream minute stats and viewer events — append-only in the database, so each sync copies the rows
  whose id is above the highest id already in the store, in chunks of at most `chunk_rows` rows;
* livestream sessions — copied once each, when they have ended (a live session's totals still change, and the
  store's `sessions` rows are immutable).

Ids: the store keeps the database's own ids, so a brand manager's `brand_id` (a database id) is the store's
`brand_id` and the web dashboards filter by it directly.  The simulator export (`analytics/simulated.py`) uses
the simulator's row indexes instead, which are the database ids minus one when the same ecosystem is loaded with
`services/simulation.load_ecosystem`; pass `id_offset=1` to `export_ecosystem` to make them line up, or fill
the store with this sync.  A store that already holds a simulator export with row-index ids is refused, since
the two id spaces would collide.

Commit order: ids are drawn when a row is inserted, not when its transaction commits, so on PostgreSQL a row
can become visible after a row with a higher id has been copied; a plain "id above the watermark" would skip it
for good.  Each sync on PostgreSQL therefore also re-reads the ids between a *settled* mark and the watermark and
copies the rows the store lacks (checked against the store's own row keys, so re-reading is idempotent).  The
settled mark only moves up to the watermark of a sync whose every possibly-open writer has ended: a sync notes
its watermark and the snapshot's ``xmax`` (the next transaction id), and once a later snapshot's ``xmin`` (the
oldest transaction still running) has passed the ``xmax`` noted one sync *after* a watermark, every transaction
that could hold an id at or below that watermark has finished, so what the re-read sees there is final.  (The
one sync of slack covers a writer that had drawn its id but not yet its transaction id when the watermark's
snapshot was taken; PostgreSQL does both inside the one INSERT.)  The mark lives in ``_state/`` of the store;
losing it only makes the next sync re-read more.  SQLite has one writer at a time, so its commit order is its id
order and the plain watermark is exact there.

Idempotence and crash safety come from the store: an event batch's id is ``oltp-<kind>-<first id>-<last id>``
(sessions: ``oltp-sessions-<count>-<digest of their ids>``), so re-running a sync whose batch was committed
writes nothing, and a sync that crashed before its manifest was written leaves nothing visible.  The watermark
(highest id copied) is read back from the committed batch ids, so there is no separate state to lose.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from wanghong.analytics.engine.store import KINDS, TIMESTAMP, EventStore, EventStoreError, IngestResult, china_day
from wanghong.analytics.options import DEFAULT_CHUNK_ROWS
from wanghong.analytics.simulated import DB_ID_SUFFIX
from wanghong.commerce import models as m
from wanghong.domain import CollaborationStatus
from wanghong.kit.db.base import utcnow

_IN_LIST = 500
OLTP_PREFIX = "oltp-"
SYNCED_STATE = f"{OLTP_PREFIX}synced"
_RANGE_BATCH = re.compile(r"oltp-(?P<kind>[a-z_]+)-(?P<first>\d+)-(?P<last>\d+)")

# Collaborations whose content has gone live; the database keeps no separate go-live time, so the moment the
# collaboration last changed (its move to `live`) stands in for it.
_WENT_LIVE = (CollaborationStatus.LIVE, CollaborationStatus.SETTLED)

SyncProgress = Callable[[str, int], None]  # (step name, rows just written)

SYNC_STEPS: tuple[str, ...] = (
    "维度表 / dimensions",
    "直播场次 / livestream sessions",
    "直播分钟数据 / minute stats",
    "订单 / orders",
    "行为事件 / viewer events",
)


class StoreHoldsSimulatorIds(EventStoreError):
    """The store holds a simulator export keyed by row indexes; database ids would collide with them."""


@dataclass(frozen=True)
class SyncResult:
    dimensions: dict[str, int]  # rows per replaced dimension snapshot
    batches: list[IngestResult]
    # The counters of `SYNCED_TABLES` read before anything else, when nothing this sync copied can still change
    # (every id below the watermarks is final); a later sync that reads the same counters has nothing to copy.
    quiet_versions: dict[str, int] | None = None

    @property
    def rows_written(self) -> int:
        return sum(b.rows for b in self.batches)


def cents(amount: Decimal | float | None) -> int:
    """Yuan (Decimal from Numeric(14, 2) columns, or float) as integer cents, rounding half to even."""
    if amount is None:
        return 0
    value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    return int((value * 100).to_integral_value(rounding=ROUND_HALF_EVEN))


def _timestamps(values: Sequence[datetime | None]) -> pa.Array:
    # UTCDateTime hands back aware datetimes; Arrow converts them to UTC microseconds.
    return pa.array(list(values), type=TIMESTAMP)


def _column(rows: Sequence[Any], name: str) -> list[Any]:
    return [getattr(row, name) for row in rows]


def watermark(store: EventStore, kind: str) -> int:
    """The highest database id already copied into `kind` (0 if none)."""
    highest = 0
    for batch_id in store.committed_batches(kind):
        match = _RANGE_BATCH.fullmatch(batch_id)
        if match and match["kind"] == kind:
            highest = max(highest, int(match["last"]))
    return highest


def _refuse_simulator_ids(store: EventStore) -> None:
    for kind in ("behaviour", "orders", "sessions", "minute_stats"):
        for batch_id in store.committed_batches(kind):
            if batch_id.startswith("sim-") and not batch_id.endswith(DB_ID_SUFFIX):
                raise StoreHoldsSimulatorIds(
                    f"the event store at {store.root} holds simulator batch {batch_id} keyed by row indexes; "
                    "sync the database into an empty store root, or re-export the simulation with "
                    "id_offset=1 (`wanghong analytics ingest-sim --db-ids`) so its ids are database ids"
                )


# ---------------------------------------------------------------------------------------------- dimensions


def _dimension_tables(session: Session) -> dict[str, dict[str, Any]]:
    creators = session.execute(
        select(
            m.Creator.id,
            m.Creator.handle,
            m.Creator.display_name,
            m.Creator.followers,
            m.Creator.follower_tier,
            m.Creator.mcn_id,
        ).order_by(m.Creator.id)
    ).all()
    mcns = session.execute(select(m.Mcn.id, m.Mcn.name).order_by(m.Mcn.id)).all()
    brands = session.execute(select(m.Brand.id, m.Brand.name).order_by(m.Brand.id)).all()
    products = session.execute(
        select(m.Product.id, m.Product.brand_id, m.Product.name, m.Product.category, m.Product.price).order_by(
            m.Product.id
        )
    ).all()
    campaigns = session.execute(
        select(m.Campaign.id, m.Campaign.brand_id, m.Campaign.name, m.Campaign.budget).order_by(m.Campaign.id)
    ).all()
    collabs = session.execute(
        select(
            m.Collaboration.id,
            m.Collaboration.campaign_id,
            m.Collaboration.creator_id,
            m.Collaboration.product_id,
            m.Collaboration.fee,
            m.Collaboration.commission_rate,
            m.Collaboration.status,
            m.Collaboration.updated_at,
        ).order_by(m.Collaboration.id)
    ).all()
    return {
        "creators": {
            "creator_id": _column(creators, "id"),
            "handle": _column(creators, "handle"),
            "display_name": _column(creators, "display_name"),
            "followers": _column(creators, "followers"),
            "follower_tier": [str(row.follower_tier.value) for row in creators],
            "mcn_id": pa.array(_column(creators, "mcn_id"), pa.int64()),
        },
        "mcns": {"mcn_id": _column(mcns, "id"), "name": _column(mcns, "name")},
        "brands": {"brand_id": _column(brands, "id"), "name": _column(brands, "name")},
        "products": {
            "product_id": _column(products, "id"),
            "brand_id": _column(products, "brand_id"),
            "name": _column(products, "name"),
            "category": _column(products, "category"),
            "price_cents": [cents(row.price) for row in products],
        },
        "campaigns": {
            "campaign_id": _column(campaigns, "id"),
            "brand_id": _column(campaigns, "brand_id"),
            "name": _column(campaigns, "name"),
            "budget_cents": [cents(row.budget) for row in campaigns],
        },
        "collaborations": {
            "collaboration_id": _column(collabs, "id"),
            "campaign_id": _column(collabs, "campaign_id"),
            "creator_id": _column(collabs, "creator_id"),
            "product_id": pa.array(_column(collabs, "product_id"), pa.int64()),
            "fee_cents": [cents(row.fee) for row in collabs],
            "commission_bp": [round(row.commission_rate * 10_000) for row in collabs],
            "live_at": _timestamps([row.updated_at if row.status in _WENT_LIVE else None for row in collabs]),
        },
    }


# ---------------------------------------------------------------------------------------------- event tables


@dataclass(frozen=True)
class _Increment:
    """How one append-only table is read past a watermark and turned into store rows."""

    kind: str
    id_column: Any
    query: Callable[[], Any]  # a Select of the columns `to_rows` reads
    to_rows: Callable[[Sequence[Any]], dict[str, Any]]


def _order_rows(rows: Sequence[Any]) -> dict[str, Any]:
    return {
        "order_id": _column(rows, "id"),
        "viewer_id": pa.array(_column(rows, "viewer_id"), pa.int64()),
        "creator_id": pa.array(_column(rows, "creator_id"), pa.int64()),
        "product_id": _column(rows, "product_id"),
        # An order placed in a livestream selling a collaboration's product belongs to that collaboration.
        "collaboration_id": pa.array(_column(rows, "collaboration_id"), pa.int64()),
        "livestream_id": pa.array(_column(rows, "livestream_id"), pa.int64()),
        "video_id": pa.nulls(len(rows), pa.int64()),  # the database does not record which video sold it
        "quantity": _column(rows, "quantity"),
        "amount_cents": [cents(row.amount) for row in rows],
        "ordered_at": _timestamps(_column(rows, "ordered_at")),
    }


def _minute_rows(rows: Sequence[Any]) -> dict[str, Any]:
    return {
        "livestream_id": _column(rows, "session_id"),
        "minute_at": _timestamps(_column(rows, "minute_at")),
        "viewers": _column(rows, "viewers"),
        "orders": _column(rows, "orders"),
        "gmv_cents": [cents(row.gmv) for row in rows],
        "tip_cents": [cents(row.tips) for row in rows],
        "comments": _column(rows, "comments"),
    }


def _behaviour_rows(rows: Sequence[Any]) -> dict[str, Any]:
    return {
        "event_id": _column(rows, "id"),
        "viewer_id": _column(rows, "viewer_id"),
        "creator_id": _column(rows, "creator_id"),
        "video_id": pa.array(_column(rows, "video_id"), pa.int64()),
        "livestream_id": pa.array(_column(rows, "livestream_id"), pa.int64()),
        "action": [str(row.action.value) for row in rows],
        "value_cents": [cents(row.value) for row in rows],
        "at": _timestamps(_column(rows, "occurred_at")),
    }


_INCREMENTS: tuple[_Increment, ...] = (
    _Increment(
        "minute_stats",
        m.LivestreamMinuteStat.id,
        lambda: select(
            m.LivestreamMinuteStat.id,
            m.LivestreamMinuteStat.session_id,
            m.LivestreamMinuteStat.minute_at,
            m.LivestreamMinuteStat.viewers,
            m.LivestreamMinuteStat.orders,
            m.LivestreamMinuteStat.gmv,
            m.LivestreamMinuteStat.tips,
            m.LivestreamMinuteStat.comments,
        ),
        _minute_rows,
    ),
    _Increment(
        "orders",
        m.Order.id,
        lambda: select(
            m.Order.id,
            m.Order.viewer_id,
            m.Order.creator_id,
            m.Order.product_id,
            m.LivestreamSession.collaboration_id,
            m.Order.livestream_id,
            m.Order.quantity,
            m.Order.amount,
            m.Order.ordered_at,
        ).outerjoin(m.LivestreamSession, m.Order.livestream_id == m.LivestreamSession.id),
        _order_rows,
    ),
    _Increment(
        "behaviour",
        m.ViewerEvent.id,
        lambda: select(
            m.ViewerEvent.id,
            m.ViewerEvent.viewer_id,
            m.ViewerEvent.creator_id,
            m.ViewerEvent.video_id,
            m.ViewerEvent.livestream_id,
            m.ViewerEvent.action,
            m.ViewerEvent.value,
            m.ViewerEvent.occurred_at,
        ),
        _behaviour_rows,
    ),
)


@dataclass(frozen=True)
class _Horizon:
    """Where PostgreSQL's transactions stand: every transaction id below `xmin` has ended; `xmax` is the next one."""

    xmin: int
    xmax: int


def _horizon(session: Session) -> _Horizon | None:
    if session.get_bind().dialect.name != "postgresql":
        return None
    row = session.execute(
        text(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin, "
            "pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax"
        )
    ).one()
    return _Horizon(int(row.xmin), int(row.xmax))


def late_rows_settled(session: Session, store: EventStore) -> bool:
    """Whether no transaction still open at the last sync can commit a row below the store's watermarks (always,
    without PostgreSQL's horizon: SQLite's ids are final when a reader sees them)."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    for spec in _INCREMENTS:
        state = store.read_state(_state_name(spec.kind))
        if state is not None and int(state["settled"]) < watermark(store, spec.kind):
            return False
    return True


def _state_name(kind: str) -> str:
    return f"{OLTP_PREFIX}sync-{kind}"


def _settle(state: dict[str, Any], horizon: _Horizon) -> int:
    """The highest watermark whose ids are final now: one noted before a sync whose `xmax` `xmin` has passed."""
    seen: list[list[int]] = state["seen"]  # [watermark, xmax] per sync, oldest first
    settled = int(state["settled"])
    for index in range(1, len(seen)):
        if seen[index][1] <= horizon.xmin:
            settled = max(settled, seen[index - 1][0])
    return settled


def _copy_late(
    session: Session,
    store: EventStore,
    spec: _Increment,
    after: int,
    through: int,
    chunk_rows: int,
    progress: SyncProgress | None,
) -> list[IngestResult]:
    """Rows with `after` < id <= `through` that the store lacks: those whose transactions committed late."""
    key = KINDS[spec.kind].key
    time_column = KINDS[spec.kind].time_column
    known: dict[Any, set[tuple[int, ...]]] = {}
    results: list[IngestResult] = []
    while after < through:
        stmt = (
            spec.query()
            .where(spec.id_column > after, spec.id_column <= through)
            .order_by(spec.id_column)
            .limit(chunk_rows)
        )
        rows = session.execute(stmt).all()
        if not rows:
            break
        after = int(getattr(rows[-1], "id"))  # noqa: B009
        table = pa.table(spec.to_rows(rows))
        days = china_day(table.column(time_column))
        for day in set(days.tolist()) - known.keys():
            known[day] = store.keys(spec.kind, [day])
        columns = [pc.cast(table.column(name), pa.int64()).to_pylist() for name in key]
        missing = [
            index
            for index, (row_key, day) in enumerate(zip(zip(*columns, strict=True), days.tolist(), strict=True))
            if row_key not in known[day]
        ]
        if not missing:
            continue
        late = [rows[index] for index in missing]
        ids = np.array([int(getattr(row, "id")) for row in late], dtype=np.int64)  # noqa: B009
        # Late rows arrive out of id order, so a batch is named by a digest of exactly the ids it holds.
        digest = hashlib.sha256(ids.tobytes()).hexdigest()[:16]
        batch_id = f"{OLTP_PREFIX}{spec.kind}-late-{len(ids)}-{digest}"
        results.append(store.ingest(spec.kind, batch_id, spec.to_rows(late)))
        for index in missing:
            known[days[index].item()].add(tuple(column[index] for column in columns))
        if progress is not None:
            progress(spec.kind, len(late))
    return results


def _copy_increment(
    session: Session,
    store: EventStore,
    spec: _Increment,
    chunk_rows: int,
    progress: SyncProgress | None,
    horizon: _Horizon | None,
) -> list[IngestResult]:
    results: list[IngestResult] = []
    after = watermark(store, spec.kind)
    state: dict[str, Any] | None = None
    if horizon is not None:
        state = store.read_state(_state_name(spec.kind)) or {"settled": 0, "seen": []}
        settled = _settle(state, horizon)
        results.extend(_copy_late(session, store, spec, int(state["settled"]), after, chunk_rows, progress))
        state["settled"] = settled
    while True:
        stmt = spec.query().where(spec.id_column > after).order_by(spec.id_column).limit(chunk_rows)
        rows = session.execute(stmt).all()
        if not rows:
            break
        first, last = int(getattr(rows[0], "id")), int(getattr(rows[-1], "id"))  # noqa: B009
        batch_id = f"{OLTP_PREFIX}{spec.kind}-{first:012d}-{last:012d}"
        results.append(store.ingest(spec.kind, batch_id, spec.to_rows(rows)))
        if progress is not None:
            progress(spec.kind, len(rows))
        after = last
    if state is not None:
        # The xmax is read after the copy, so it is at or above the transaction id of every writer whose row
        # was seen; older notes than the one that just settled are no longer needed.
        end = _horizon(session)
        assert end is not None
        seen = [entry for entry in state["seen"] if entry[0] >= state["settled"]]
        state["seen"] = [*seen[-7:], [after, end.xmax]]
        store.write_state(_state_name(spec.kind), state)
    return results


def _copy_ended_sessions(
    session: Session, store: EventStore, chunk_rows: int, progress: SyncProgress | None
) -> list[IngestResult]:
    stored = set(store.read("sessions").column("livestream_id").to_pylist()) if store.days("sessions") else set()
    ended = session.scalars(
        select(m.LivestreamSession.id).where(m.LivestreamSession.ended_at.is_not(None)).order_by(m.LivestreamSession.id)
    ).all()
    fresh = [ident for ident in ended if ident not in stored]
    results: list[IngestResult] = []
    for start in range(0, len(fresh), chunk_rows):
        ids = np.array(fresh[start : start + chunk_rows], dtype=np.int64)
        sessions: list[m.LivestreamSession] = []
        # IN lists stay under SQLite's bound-parameter limit.
        for offset in range(0, len(ids), _IN_LIST):
            part = ids[offset : offset + _IN_LIST].tolist()
            sessions.extend(session.scalars(select(m.LivestreamSession).where(m.LivestreamSession.id.in_(part))))
        sessions.sort(key=lambda s: s.id)
        viewers = [s.unique_viewers for s in sessions]
        rows = {
            "livestream_id": ids,
            "creator_id": [s.creator_id for s in sessions],
            "collaboration_id": pa.array([s.collaboration_id for s in sessions], pa.int64()),
            "started_at": _timestamps([s.started_at for s in sessions]),
            "ended_at": _timestamps([s.ended_at for s in sessions]),
            "unique_viewers": viewers,
            # The database keeps unique viewers only; entries (人次) are at least that, so they stand in for views.
            "views": viewers,
        }
        # Sessions end out of id order, so a batch is named by a digest of exactly the ids it holds.
        digest = hashlib.sha256(ids.tobytes()).hexdigest()[:16]
        results.append(store.ingest("sessions", f"{OLTP_PREFIX}sessions-{len(ids)}-{digest}", rows))
        if progress is not None:
            progress("sessions", len(ids))
    return results


def sync_database(
    session: Session,
    store: EventStore,
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: SyncProgress | None = None,
) -> SyncResult:
    """Copy what the store lacks from the database; running it again with nothing new writes no event rows.

    Stamps the store with the instant the sync began reading (`SYNCED_STATE`): what the database had committed
    by then is in the store, which is what a board's "last updated" says."""
    if chunk_rows < 1:
        raise EventStoreError(f"chunk_rows must be at least 1, got {chunk_rows}")
    started = utcnow()
    _refuse_simulator_ids(store)
    dimensions = {name: store.write_dimension(name, rows) for name, rows in _dimension_tables(session).items()}
    if progress is not None:
        progress("dimensions", sum(dimensions.values()))
    batches = _copy_ended_sessions(session, store, chunk_rows, progress)
    horizon = _horizon(session)
    for spec in _INCREMENTS:
        batches.extend(_copy_increment(session, store, spec, chunk_rows, progress, horizon))
    store.write_state(SYNCED_STATE, {"as_of": started.isoformat()})
    return SyncResult(dimensions=dimensions, batches=batches)


# Every table a sync reads (dimensions, ended sessions, each increment and what it joins).
SYNCED_TABLES: frozenset[str] = frozenset(
    {
        model.__tablename__
        for model in (m.Creator, m.Mcn, m.Brand, m.Product, m.Campaign, m.Collaboration, m.LivestreamSession)
    }
    | {spec.id_column.table.name for spec in _INCREMENTS}
)
