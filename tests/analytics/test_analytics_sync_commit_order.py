"""The database sync loses no committed row whatever order concurrent transactions commit in (PostgreSQL)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session
from tests.fixtures.world import T0, World

from wanghong.analytics.engine.store import EventStore
from wanghong.analytics.sync import sync_database, watermark
from wanghong.commerce.models import LivestreamMinuteStat, Order
from wanghong.kit.db.session import Database


def _sync(db: Database, store: EventStore) -> int:
    with db.transaction() as s:
        return sync_database(s, store).rows_written


def _write(s: Session, world: World, cents: int, minute_at: datetime) -> tuple[int, int]:
    """One order and one livestream minute, flushed so their ids are drawn now; returns (order id, minute id)."""
    order = Order(
        product_id=world["productA"],
        creator_id=world["creatorA1"],
        quantity=1,
        amount=Decimal(cents) / 100,
        ordered_at=T0 + timedelta(hours=2),
    )
    minute = LivestreamMinuteStat(session_id=world["liveA"], minute_at=minute_at, viewers=cents, gmv=Decimal(0))
    s.add_all([order, minute])
    s.flush()
    return order.id, minute.id


def _stored(store: EventStore) -> tuple[list[int], list[int]]:
    orders = store.read("orders").column("order_id").to_pylist()
    minutes = store.read("minute_stats").column("viewers").to_pylist()
    return orders, minutes


def _settled(store: EventStore, kind: str) -> int:
    state = store.read_state(f"oltp-sync-{kind}")
    assert state is not None
    return int(state["settled"])


@pytest.fixture
def postgres(db: Database) -> Database:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: its rows commit in id order")
    return db


def test_a_row_committed_after_a_later_one_still_arrives(postgres: Database, world: World, tmp_path) -> None:
    db = postgres
    store = EventStore(tmp_path / "events")
    _sync(db, store)
    minute0 = T0 + timedelta(days=3)
    late = db.sessions()
    try:
        late_order, _ = _write(late, world, 70_001, minute0)  # draws the lower ids, commits last
        with db.transaction() as early:
            early_order, _ = _write(early, world, 70_002, minute0 + timedelta(minutes=1))
        assert early_order > late_order

        assert _sync(db, store) == 2
        orders, minutes = _stored(store)
        assert early_order in orders and late_order not in orders and 70_001 not in minutes
        assert watermark(store, "orders") == early_order  # the watermark is past the row still to come
        # However long the writer stays open, nothing settles past its row.
        for _ in range(3):
            assert _sync(db, store) == 0
        assert _settled(store, "orders") < late_order
        late.commit()
    finally:
        late.close()

    assert _sync(db, store) == 2
    orders, minutes = _stored(store)
    assert orders.count(late_order) == 1 and orders.count(early_order) == 1
    assert minutes.count(70_001) == 1 and minutes.count(70_002) == 1
    assert _sync(db, store) == 0
    # With no writer left open the settled mark catches up within two syncs, so re-reading stays short.
    _sync(db, store)
    assert _settled(store, "orders") >= early_order and _settled(store, "minute_stats") > 0
    orders, _ = _stored(store)
    assert len(orders) == len(set(orders))


def test_a_rolled_back_id_is_a_gap_not_a_row(postgres: Database, world: World, tmp_path) -> None:
    db = postgres
    store = EventStore(tmp_path / "events")
    abandoned = db.sessions()
    try:
        dropped, _ = _write(abandoned, world, 70_003, T0 + timedelta(days=4))
        with db.transaction() as s:
            kept, _ = _write(s, world, 70_004, T0 + timedelta(days=4, minutes=1))
        _sync(db, store)
        abandoned.rollback()  # as a killed writer's transaction ends
    finally:
        abandoned.close()
    for _ in range(3):
        _sync(db, store)
    orders, minutes = _stored(store)
    assert kept in orders and dropped not in orders and 70_003 not in minutes
    # The mark settles behind every transaction still open on the server, and parallel test workers share it:
    # sync until theirs have ended too (each is short), rather than asserting that none is open right now.
    for _ in range(200):
        if _settled(store, "orders") >= kept:
            break
        time.sleep(0.05)
        _sync(db, store)
    assert _settled(store, "orders") >= kept


def test_losing_the_sync_state_only_costs_a_reread(postgres: Database, world: World, tmp_path) -> None:
    db = postgres
    store = EventStore(tmp_path / "events")
    with db.transaction() as s:
        _write(s, world, 70_005, T0 + timedelta(days=5))
    _sync(db, store)
    before = {kind: store.read(kind).num_rows for kind in ("orders", "minute_stats", "behaviour")}
    for kind in before:
        (store.root / "_state" / f"oltp-sync-{kind}.json").unlink()
    assert _sync(db, store) == 0
    assert {kind: store.read(kind).num_rows for kind in before} == before
