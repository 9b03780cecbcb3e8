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
    creators, products, collabs = eco.creators, eco.products, eco.collaborations
    store.write_dimension(
        "creators",
        {
            "creator_id": np.arange(len(creators), dtype=np.int64) + k,
            "handle": creators.handle,
            "display_name": creators.display_name,
            "followers": creators.followers,
            "follower_tier": _labels(creators.follower_tier, FOLLOWER_TIERS),
            "mcn_id": _ids(creators.mcn_id, k),
        },
    )
    store.write_dimension("mcns", {"mcn_id": np.arange(len(eco.mcns), dtype=np.int64) + k, "name": eco.mcns.name})
    store.write_dimension(
        "brands", {"brand_id": np.arange(len(eco.brands), dtype=np.int64) + k, "name": eco.brands.name}
    )
    store.write_dimension(
        "products",
        {
            "product_id": np.arange(len(products), dtype=np.int64) + k,
            "brand_id": products.brand_id.astype(np.int64) + k,
            "name": products.name,
            "category": _labels(products.category, CATEGORIES),
            "price_cents": _cents(products.price),
        },
    )
    store.write_dimension(
        "campaigns",
        {
            "campaign_id": np.arange(len(eco.campaigns), dtype=np.int64) + k,
            "brand_id": eco.campaigns.brand_id.astype(np.int64) + k,
            "name": eco.campaigns.name,
            "budget_cents": _cents(eco.campaigns.budget),
        },
    )
    live_at = collabs.live_at.astype(np.int64)
    store.write_dimension(
        "collaborations",
        {
            "collaboration_id": np.arange(len(collabs), dtype=np.int64) + k,
            "campaign_id": collabs.campaign_id.astype(np.int64) + k,
            "creator_id": collabs.creator_id.astype(np.int64) + k,
            "product_id": _ids(collabs.product_id, k),
            "fee_cents": _cents(collabs.fee),
            "commission_bp": np.round(collabs.commission_rate * 10_000).astype(np.int64),
            "live_at": pa.array(to_timestamps(base + live_at), mask=live_at < 0),
        },
    )
    step(0)

    results: list[IngestResult] = []
    ls = eco.livestreams
    started = base + ls.started_at.astype(np.int64)
    results.append(
        store.ingest(
            "sessions",
            batch,
            {
                "livestream_id": np.arange(len(ls), dtype=np.int64) + k,
                "creator_id": ls.creator_id.astype(np.int64) + k,
                "collaboration_id": _ids(ls.collaboration_id, k),
                "started_at": to_timestamps(started),
                "ended_at": to_timestamps(started + ls.duration_min.astype(np.int64) * 60),
                "unique_viewers": ls.unique_viewers.astype(np.int64),
                # The simulator does not model re-entries, so its entry count equals its unique viewers.
                "views": ls.unique_viewers.astype(np.int64),
            },
        )
    )
    step(1)
    ms = eco.minute_stats
    results.append(
        store.ingest(
            "minute_stats",
            batch,
            {
                "livestream_id": ms.livestream_id.astype(np.int64) + k,
                "minute_at": to_timestamps(base + ms.minute_at.astype(np.int64)),
                "viewers": ms.viewers.astype(np.int64),
                "orders": ms.orders.astype(np.int64),
                "gmv_cents": _cents(ms.gmv),
                "tip_cents": _cents(ms.tips),
                "comments": ms.comments.astype(np.int64),
            },
        )
    )
    step(2)
    orders = eco.orders
    results.append(
        store.ingest(
            "orders",
            batch,
            {
                "order_id": np.arange(len(orders), dtype=np.int64) + k,
                "viewer_id": _ids(orders.viewer_id, k),
                "creator_id": _ids(orders.creator_id, k),
                "product_id": orders.product_id.astype(np.int64) + k,
                "collaboration_id": _ids(orders.collaboration_id, k),
                "livestream_id": _ids(orders.livestream_id, k),
                "video_id": _ids(orders.video_id, k),
                "quantity": orders.quantity.astype(np.int64),
                "amount_cents": _cents(orders.amount),
                "ordered_at": to_timestamps(base + orders.ordered_at.astype(np.int64)),
            },
        )
    )
    step(3)
    ev = eco.behaviour_events
    results.append(
        store.ingest(
            "behaviour",
            batch,
            {
                "event_id": np.arange(len(ev), dtype=np.int64) + k,
                "viewer_id": ev.viewer_id.astype(np.int64) + k,
                "creator_id": ev.creator_id.astype(np.int64) + k,
                "video_id": _ids(ev.video_id, k),
                "livestream_id": _ids(ev.livestream_id, k),
                "action": _labels(ev.action, VIEWER_ACTIONS),
                "value_cents": _cents(ev.value),
                "at": to_timestamps(base + ev.at.astype(np.int64)),
            },
        )
    )
    step(4)
    return results
