"""Live monitoring returns minutes ingested through the API; `sync` copies the database once and only once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from tests.fixtures.world import T0, World, login

from wanghong.analytics.engine.backends import Backend
from wanghong.analytics.engine.store import EventStore
from wanghong.analytics.sync import StoreHoldsSimulatorIds, sync_database, watermark
from wanghong.analytics.tables import JobTableCache
from wanghong.commerce.models import Order
from wanghong.kit.db.session import Database


def _minute(world: World, minute: int, viewers: int, gmv: str) -> dict:
    return {
        "event_id": f"live-{world.tag}-{minute}",
        "type": "livestream_minute",
        "payload": {
            "session_id": world["liveA"],
            "minute_at": (T0 + timedelta(minutes=minute)).isoformat(),
            "viewers": viewers,
            "gmv": gmv,
            "orders": 1,
        },
    }


def test_live_json_returns_new_minutes_after_ingestion(client_for, world: World) -> None:
    admin = client_for(None)
    api = login(admin, world, "admin")
    brand = client_for("brandA")
    url = f"/analytics/live/{world['liveA']}/minutes"
    before = brand.get(url).json()
    assert before["live"] is True and before["session_id"] == world["liveA"]
    batch = {"events": [_minute(world, 0, 120, "10.00"), _minute(world, 1, 180, "25.50")]}
    assert admin.post("/api/v1/events:batch", headers=api, json=batch).json()["stored"] == 2
    after = brand.get(url).json()
    assert [m["viewers"] for m in after["minutes"]][-2:] == [120, 180]
    assert after["minutes"][-1]["gmv_yuan"] == 25.5
    assert after["totals"]["peak_viewers"] >= 180
    # The page asks only for what it has not drawn yet.
    newest = after["minutes"][-1]["minute_at"]
    assert brand.get(url, params={"after": newest}).json()["minutes"] == []
    admin.post("/api/v1/events:batch", headers=api, json={"events": [_minute(world, 2, 150, "5.00")]})
    fresh = brand.get(url, params={"after": newest}).json()["minutes"]
    assert [m["viewers"] for m in fresh] == [150]
    assert brand.get(url, params={"after": "yesterday"}).status_code == 422


def test_live_json_and_page_follow_tenancy(client_for, world: World) -> None:
    url = f"/analytics/live/{world['liveA']}"
    assert client_for("brandB").get(url + "/minutes").status_code == 404
    assert client_for("creatorB1").get(url).status_code == 404
    assert client_for(None).get(url + "/minutes").status_code == 401
    page = client_for("mcnA").get(url)
    assert page.status_code == 200
    assert "Plotly.react" in page.text and f"/analytics/live/{world['liveA']}/minutes" in page.text
    assert "实时在线人数（人）" in page.text


def test_sync_is_idempotent_and_incremental(db: Database, world: World, tmp_path) -> None:
    store = EventStore(tmp_path / "events")
    with db.transaction() as s:
        first = sync_database(s, store, chunk_rows=7)
    assert first.rows_written > 0
    orders = store.read("orders")
    assert orders.num_rows == len(set(orders.column("order_id").to_pylist()))
    batches = {kind: store.committed_batches(kind) for kind in ("orders", "behaviour", "sessions", "minute_stats")}
    assert len(batches["orders"]) > 1  # chunked: several batches of at most 7 rows
    with db.transaction() as s:
        again = sync_database(s, store, chunk_rows=7)
    assert again.rows_written == 0
    assert {kind: store.committed_batches(kind) for kind in batches} == batches
    cache = JobTableCache()
    gmv_before = cache("brand_daily", Backend(), store)["gmv_yuan"].sum()

    with db.transaction() as s:
        s.add(
            Order(
                product_id=world["productA"],
                creator_id=world["creatorA1"],
                quantity=2,
                amount=Decimal("12.34"),
                ordered_at=T0 + timedelta(hours=1),
            )
        )
        s.flush()
        newest = s.query(Order).order_by(Order.id.desc()).first()
        assert newest is not None
        new_id = newest.id
    with db.transaction() as s:
        third = sync_database(s, store)
    assert third.rows_written == 1 and watermark(store, "orders") == new_id
    row = [r for r in store.read("orders").to_pylist() if r["order_id"] == new_id]
    assert len(row) == 1 and row[0]["amount_cents"] == 1234 and row[0]["quantity"] == 2
    # A committed batch invalidates the dashboards' cached job tables.
    assert cache("brand_daily", Backend(), store)["gmv_yuan"].sum() == pytest.approx(gmv_before + 12.34)
    # Sessions are copied once they have ended, and never twice.
    sessions = store.read("sessions").column("livestream_id").to_pylist()
    assert world["liveA"] not in sessions and len(sessions) == len(set(sessions))


def test_sync_refuses_a_store_with_row_index_ids(db: Database, tmp_path) -> None:
    store = EventStore(tmp_path / "sim")
    store.ingest(
        "orders",
        "sim-s7-c10-d3-2026-01-01",
        {
            "order_id": [0],
            "viewer_id": [0],
            "creator_id": [0],
            "product_id": [0],
            "collaboration_id": [None],
            "livestream_id": [None],
            "video_id": [None],
            "quantity": [1],
            "amount_cents": [100],
            "ordered_at": [T0],
        },
    )
    with db.transaction() as s, pytest.raises(StoreHoldsSimulatorIds, match="id_offset=1"):
        sync_database(s, store)


def test_unknown_roles_have_no_board(client_for) -> None:
    client: TestClient = client_for("reviewer")
    assert client.get("/analytics", follow_redirects=False).status_code == 404
