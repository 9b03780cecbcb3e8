"""The event store: layout, idempotent ingestion, crash safety, and the simulator export."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from tests.analytics.conftest import D1, D2, cst

from wanghong.analytics.engine import store as store_module
from wanghong.analytics.engine.backends import Backend
from wanghong.analytics.engine.jobs import run_job
from wanghong.analytics.engine.store import BadBatch, EventStore, UnknownKind
from wanghong.analytics.simulated import StoreHoldsAnotherSimulation, export_ecosystem
from wanghong.simulator.engine import SimulationConfig, generate_ecosystem


def _orders(ids: list[int], days: list[date]) -> dict[str, list]:
    return {
        "order_id": ids,
        "viewer_id": [1] * len(ids),
        "creator_id": [1] * len(ids),
        "product_id": [1000] * len(ids),
        "collaboration_id": [None] * len(ids),
        "livestream_id": [None] * len(ids),
        "video_id": [None] * len(ids),
        "quantity": [1] * len(ids),
        "amount_cents": [100] * len(ids),
        "ordered_at": [cst(d, 12) for d in days],
    }


def test_layout_is_one_file_per_batch_and_china_day(tmp_path: Path) -> None:
    store = EventStore(tmp_path)
    result = store.ingest("orders", "b-1", _orders([1, 2, 3], [D1, D2, D2]))
    assert (result.rows, result.files, result.skipped) == (3, 2, False)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in store.committed_files("orders")) == [
        "orders/day=2024-03-04/part-b-1.parquet",
        "orders/day=2024-03-05/part-b-1.parquet",
    ]
    assert store.committed_files("orders", since=D2) == [tmp_path / "orders/day=2024-03-05/part-b-1.parquet"]
    assert store.read("orders").num_rows == 3


def test_reingesting_a_batch_writes_nothing(tmp_path: Path) -> None:
    store = EventStore(tmp_path)
    store.ingest("orders", "b-1", _orders([1, 2], [D1, D2]))
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    again = store.ingest("orders", "b-1", _orders([1, 2], [D1, D2]))
    assert (again.rows, again.files, again.skipped) == (0, 0, True)
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()} == before
    store.ingest("orders", "b-2", _orders([3], [D1]))
    assert sorted(store.read("orders").column("order_id").to_pylist()) == [1, 2, 3]


def test_crash_mid_batch_leaves_no_partial_partition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = EventStore(tmp_path)
    real_replace = os.replace
    calls = {"n": 0}

    def crash_on_second_file(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the first day's file is in place, the second day's is being renamed
            raise OSError("disk pulled out")
        real_replace(src, dst)

    monkeypatch.setattr(store_module.os, "replace", crash_on_second_file)
    with pytest.raises(OSError, match="disk pulled out"):
        store.ingest("orders", "b-1", _orders([1, 2], [D1, D2]))
    monkeypatch.setattr(store_module.os, "replace", real_replace)

    assert not store.is_committed("orders", "b-1")
    assert store.committed_files("orders") == []  # readers see nothing of the half-written batch
    assert run_job("brand_daily", Backend("duckdb"), store).empty
    assert not list(tmp_path.rglob("*.tmp"))  # the failed temp file was cleaned up

    # The orphaned first-day file is invisible, removed by vacuum, and the retried batch is whole.
    orphans = store.vacuum()
    assert [p.name for p in orphans] == ["part-b-1.parquet"]
    result = store.ingest("orders", "b-1", _orders([1, 2], [D1, D2]))
    assert (result.rows, result.files) == (2, 2)
    assert sorted(store.read("orders").column("order_id").to_pylist()) == [1, 2]


def test_crash_while_writing_parquet_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = EventStore(tmp_path)

    def half_write(table: pa.Table, where: Path, **_: object) -> None:
        Path(where).write_bytes(b"PAR1 half a parquet file")
        raise KeyboardInterrupt  # the process is being killed mid-write

    monkeypatch.setattr(store_module.pq, "write_table", half_write)
    with pytest.raises(KeyboardInterrupt):
        store.ingest("orders", "b-1", _orders([1], [D1]))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_bad_batches_are_explained(tmp_path: Path) -> None:
    store = EventStore(tmp_path)
    with pytest.raises(UnknownKind, match="unknown event kind 'clicks'"):
        store.ingest("clicks", "b-1", {})
    with pytest.raises(BadBatch, match="batch id"):
        store.ingest("orders", "../escape", _orders([1], [D1]))
    missing = _orders([1], [D1])
    del missing["amount_cents"]
    with pytest.raises(BadBatch, match=r"missing columns \['amount_cents'\]"):
        store.ingest("orders", "b-1", missing)
    with pytest.raises(BadBatch, match="repeat a key"):
        store.ingest("orders", "b-1", _orders([7, 7], [D1, D1]))
    null_product = _orders([1], [D1])
    null_product["product_id"] = [None]
    with pytest.raises(BadBatch, match="product_id"):
        store.ingest("orders", "b-1", null_product)
    assert store.committed_batches("orders") == []


def test_export_simulated_ecosystem(tmp_path: Path) -> None:
    eco = generate_ecosystem(SimulationConfig(creators=60, days=14), seed=11)
    store = EventStore(tmp_path)
    results = export_ecosystem(eco, store)
    assert {r.kind: r.rows for r in results} == {
        "sessions": len(eco.livestreams),
        "minute_stats": len(eco.minute_stats),
        "orders": len(eco.orders),
        "behaviour": len(eco.behaviour_events),
    }
    assert all(r.skipped for r in export_ecosystem(eco, store))  # idempotent
    assert len(store.days("behaviour")) <= eco.days
    orders = store.read("orders")
    assert sum(orders.column("amount_cents").to_pylist()) == pytest.approx(
        eco.orders.amount.sum() * 100, abs=len(eco.orders)
    )
    brand = run_job("brand_daily", Backend("duckdb"), store)
    assert int(brand["gmv_cents"].sum()) == sum(orders.column("amount_cents").to_pylist())
    tiers = run_job("tip_by_tier", Backend("duckdb"), store)
    assert int(tiers["creators"].sum()) == len(eco.creators)
    assert int(tiers["tip_cents"].sum()) == pytest.approx(
        eco.livestream_tips.amount.sum() * 100, abs=len(eco.livestream_tips)
    )

    other = generate_ecosystem(SimulationConfig(creators=60, days=14), seed=12)
    with pytest.raises(StoreHoldsAnotherSimulation, match="empty store root"):
        export_ecosystem(other, store)
