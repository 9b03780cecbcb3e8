"""Export a simulated `Ecosystem` (wanghong.simulator.engine) into the event store.

The simulator keeps times as seconds since its period start and foreign keys as row indexes with -1 for
"none"; the store wants UTC timestamps, nulls and integer cents.  Row indexes become ids plus `id_offset`, so
one store holds one simulated ecosystem: exporting a different one into the same root is refused.

`id_offset=1` gives the ids `services/simulation.load_ecosystem` gives the same ecosystem in the platform
database (row i → id i + 1), so web dashboards, which select by database ids, find the right rows; such
batches carry the `DB_ID_SUFFIX` so `analytics sync` knows their ids are database ids.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa

from wanghong.analytics.engine.store import EventStore, EventStoreError, IngestResult, to_timestamps
from wanghong.simulator.engine.tables import CATEGORIES, FOLLOWER_TIERS, VIEWER_ACTIONS, Ecosystem

ProgressCallback = Callable[[str], None]

# What export_ecosystem writes, in order (Chinese first, English second), for progress bars.
EXPORT_STEPS: tuple[str, ...] = (
    "维度表 / dimensions",
    "直播场次 / livestream sessions",
    "直播分钟数据 / minute stats",
    "订单 / orders",
    "行为事件 / behaviour events",
)


class StoreHoldsAnotherSimulation(EventStoreError):
    """The store already holds a different simulated ecosystem, whose ids would collide with this one."""


DB_ID_SUFFIX = "-dbids"


def simulation_batch_id(eco: Ecosystem, id_offset: int = 0) -> str:
    base = f"sim-s{eco.seed}-c{len(eco.creators)}-d{eco.days}-{eco.period_start.date().isoformat()}"
    if id_offset == 0:
        return base
    return base + (DB_ID_SUFFIX if id_offset == 1 else f"-o{id_offset}")


def _ids(values: np.ndarray, offset: int = 0) -> pa.Array:
    """Row-index foreign keys as nullable int64 ids (-1 → null), shifted by `offset`."""
    values = np.asarray(values, dtype=np.int64)
    return pa.array(values + offset, type=pa.int64(), mask=values < 0)


def _cents(yuan: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(yuan, dtype=np.float64) * 100.0).astype(np.int64)


def _labels(codes: np.ndarray, vocabulary: tuple) -> pa.Array:
    values = pa.array([member.value for member in vocabulary], pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)), values).cast(pa.string())


def export_ecosystem(
    eco: Ecosystem, store: EventStore, progress: ProgressCallback | None = None, id_offset: int = 0
) -> list[IngestResult]:
    """Write every event table and dimension of `eco` into `store`; exporting it again writes nothing new.

    Ids are row indexes plus `id_offset` (1 matches the platform database loaded by `load_ecosystem`).
    """
    if id_offset < 0:
        raise EventStoreError(f"id_offset must be 0 or more, got {id_offset}")
    batch = simulation_batch_id(eco, id_offset)
    for kind in ("behaviour", "orders"):
        others = [b for b in store.committed_batches(kind) if b.startswith("sim-") and b != batch]
        if others:
            raise StoreHoldsAnotherSimulation(
                f"the event store at {store.root} already holds simulation {others[0]}; "
                f"export {batch} into an empty store root instead (their ids would collide)"
            )
    base = int(eco.period_start.timestamp())

    def step(index: int) -> None:
        if progress is not None:
            progress(EXPORT_STEPS[index])

    k = id_offset

    def row_ids(table: Any) -> np.ndarray:
        return np.arange(len(table), dtype=np.int64) + k

    def ref(ids: np.ndarray) -> np.ndarray:
        return ids.astype(np.int64) + k

    def optional_ref(ids: np.ndarray) -> pa.Array:
        return _ids(ids, k)

    def instants(seconds: np.ndarray) -> pa.Array:
        """Seconds since the period's start as UTC timestamps."""
        return to_timestamps(base + seconds.astype(np.int64))

    creators, products, collabs = eco.creators, eco.products, eco.collaborations
    store.write_dimension(
        "creators",
        {
            "creator_id": row_ids(creators),
            "handle": creators.handle,
            "display_name": creators.display_name,
            "followers": creators.followers,
            "follower_tier": _labels(creators.follower_tier, FOLLOWER_TIERS),
            "mcn_id": optional_ref(creators.mcn_id),
        },
    )
    store.write_dimension("mcns", {"mcn_id": row_ids(eco.mcns), "name": eco.mcns.name})
    store.write_dimension("brands", {"brand_id": row_ids(eco.brands), "name": eco.brands.name})
    store.write_dimension(
        "products",
        {
            "product_id": row_ids(products),
            "brand_id": ref(products.brand_id),
            "name": products.name,
            "category": _labels(products.category, CATEGORIES),
            "price_cents": _cents(products.price),
        },
    )
    store.write_dimension(
        "campaigns",
        {
            "campaign_id": row_ids(eco.campaigns),
            "brand_id": ref(eco.campaigns.brand_id),
            "name": eco.campaigns.name,
            "budget_cents": _cents(eco.campaigns.budget),
        },
    )
    live_at = collabs.live_at.astype(np.int64)
    store.write_dimension(
        "collaborations",
        {
            "collaboration_id": row_ids(collabs),
            "campaign_id": ref(collabs.campaign_id),
            "creator_id": ref(collabs.creator_id),
            "product_id": optional_ref(collabs.product_id),
            "fee_cents": _cents(collabs.fee),
            "commission_bp": np.round(collabs.commission_rate * 10_000).astype(np.int64),
            "live_at": pa.array(to_timestamps(base + live_at), mask=live_at < 0),
        },
    )
    step(0)

    results: list[IngestResult] = []

    def ingest(kind: str, columns: dict[str, Any]) -> None:
        results.append(store.ingest(kind, batch, columns))
        step(len(results))

    ls = eco.livestreams
    started = base + ls.started_at.astype(np.int64)
    ingest(
        "sessions",
        {
            "livestream_id": row_ids(ls),
            "creator_id": ref(ls.creator_id),
            "collaboration_id": optional_ref(ls.collaboration_id),
            "started_at": to_timestamps(started),
            "ended_at": to_timestamps(started + ls.duration_min.astype(np.int64) * 60),
            "unique_viewers": ls.unique_viewers.astype(np.int64),
            # The simulator does not model re-entries, so its entry count equals its unique viewers.
            "views": ls.unique_viewers.astype(np.int64),
        },
    )
    ms = eco.minute_stats
    ingest(
        "minute_stats",
        {
            "livestream_id": ref(ms.livestream_id),
            "minute_at": instants(ms.minute_at),
            "viewers": ms.viewers.astype(np.int64),
            "orders": ms.orders.astype(np.int64),
            "gmv_cents": _cents(ms.gmv),
            "tip_cents": _cents(ms.tips),
            "comments": ms.comments.astype(np.int64),
        },
    )
    orders = eco.orders
    ingest(
        "orders",
        {
            "order_id": row_ids(orders),
            "viewer_id": optional_ref(orders.viewer_id),
            "creator_id": optional_ref(orders.creator_id),
            "product_id": ref(orders.product_id),
            "collaboration_id": optional_ref(orders.collaboration_id),
            "livestream_id": optional_ref(orders.livestream_id),
            "video_id": optional_ref(orders.video_id),
            "quantity": orders.quantity.astype(np.int64),
            "amount_cents": _cents(orders.amount),
            "ordered_at": instants(orders.ordered_at),
        },
    )
    ev = eco.behaviour_events
    ingest(
        "behaviour",
        {
            "event_id": row_ids(ev),
            "viewer_id": ref(ev.viewer_id),
            "creator_id": ref(ev.creator_id),
            "video_id": optional_ref(ev.video_id),
            "livestream_id": optional_ref(ev.livestream_id),
            "action": _labels(ev.action, VIEWER_ACTIONS),
            "value_cents": _cents(ev.value),
            "at": instants(ev.at),
        },
    )
    return results
