"""Fresh boards, on SQLite and PostgreSQL: with the server's background sync running, an order, an event batch, a
workflow step and the ledger postings it causes, all written through the API, reach their boards within the
goal's 5 s without anyone running `analytics sync`, and each board says as of when (北京时间).  Also: the sync
lock lets one syncer through at a time, two workers' syncs copy each row once, and an unchanged dimension is not
rewritten."""

from __future__ import annotations

import io
import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.fixtures.world import PASSWORD, World, login

from wanghong.analytics.engine.store import EventStore
from wanghong.analytics.freshness import BoardSync, last_updated, store_lock, sync_locked
from wanghong.analytics.tables import chinese_headers
from wanghong.app import create_app
from wanghong.commerce.models import Order
from wanghong.config import BOARD_SYNC_SECONDS, Settings
from wanghong.kit.db.session import Database
from wanghong.kit.formats import BEIJING

FRESH_WITHIN_S = 5.0  # the goal: a write is on its board within 5 s, on a machine with a core to spare


def _deadline_s() -> float:
    """The goal's 5 s, stretched by how oversubscribed the machine is: a board recomputes its job tables on the
    same cores as the other test workers, and a shared CI machine runs several times slower than an idle one."""
    return FRESH_WITHIN_S * max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))


STAMP = re.compile(r'id="board-updated">[^<]*<time>(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)</time>')


@pytest.fixture
def served(db: Database, database_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, EventStore]]:
    """The app as `wanghong serve` runs it: the lifespan starts the background sync at the server's interval."""
    settings = Settings(
        database_url=database_url, event_store_dir=str(tmp_path / "events"), board_sync_seconds=BOARD_SYNC_SECONDS
    )
    with TestClient(create_app(settings, db=db)) as client:
        yield client, EventStore(settings.event_store_dir)


def _signed_in(client: TestClient, world: World, user: str) -> TestClient:
    browser = TestClient(client.app)
    response = browser.post(
        "/login", data={"username": f"{user}_{world.tag}", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return browser


def _within(what: str, probe: Callable[[], Any]) -> Any:
    """Poll `probe` until it returns something truthy; fail, naming `what`, if the goal's deadline passes first."""
    allowed = _deadline_s()
    deadline = time.monotonic() + allowed
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"{what} was not on its board within {allowed:.0f} s (the goal's 5 s × the load average)")
        time.sleep(0.1)


def _export_sum(browser: TestClient, path: str, table: str, column: str) -> float:
    response = browser.get(f"{path}/export/{table}.csv")
    assert response.status_code == 200, response.text
    frame = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig")
    header = chinese_headers(pd.DataFrame(columns=[column])).columns[0]
    return float(frame[header].sum()) if header in frame else 0.0


def _card(browser: TestClient, path: str, label: str) -> float:
    page = browser.get(path).text
    value = re.search(rf'<div class="label">{re.escape(label)}</div><div class="value">¥([\d,.-]+)</div>', page)
    assert value is not None, f"no card {label} on {path}"
    return float(value[1].replace(",", ""))


def _stamp(browser: TestClient, path: str) -> datetime | None:
    found = STAMP.search(browser.get(path).text)
    return datetime.strptime(found[1], "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING) if found else None


def _step(client: TestClient, headers: dict[str, str], collab: int, to: str, **extra: str) -> None:
    response = client.post(f"/api/v1/collaborations/{collab}/transitions", headers=headers, json={"to": to, **extra})
    assert response.status_code == 200, response.text


def test_api_writes_reach_their_boards_within_seconds(
    served: tuple[TestClient, EventStore], world: World, db: Database
) -> None:
    client, store = served
    admin, brand_api, creator_api = (login(client, world, user) for user in ("admin", "brandA", "creatorA1"))
    brand = _signed_in(client, world, "brandA")
    creator = _signed_in(client, world, "creatorA1")
    brand_path, creator_path = f"/analytics/brand/{world['brandA']}", f"/analytics/creator/{world['creatorA1']}"

    # The first ticks copy what the database already holds; the stamp says until when, in Beijing time.
    before_first_sync = datetime.now(UTC).replace(microsecond=0)
    stamp = _within("the first sync", lambda: _stamp(brand, brand_path))
    assert stamp >= before_first_sync - timedelta(seconds=1)
    gmv = _within("the world's orders", lambda: _export_sum(brand, brand_path, "daily", "gmv_yuan"))
    likes = _export_sum(creator, creator_path, "daily", "likes")

    # An order, written through the API.
    now = datetime.now(UTC).isoformat()
    order = {"product_id": world["productA"], "creator_id": world["creatorA1"], "amount": "1234.56", "ordered_at": now}
    assert client.post("/api/v1/orders", headers=admin, json=order).status_code == 201
    _within("an order", lambda: _export_sum(brand, brand_path, "daily", "gmv_yuan") == pytest.approx(gmv + 1234.56))

    # An event batch: three likes from three fans.
    events = [
        {
            "event_id": f"fresh-{world.tag}-{n}",
            "type": "viewer_behaviour",
            "payload": {
                "viewer_external_id": f"fresh-fan-{world.tag}-{n}",
                "creator_id": world["creatorA1"],
                "action": "like",
                "occurred_at": now,
            },
        }
        for n in range(3)
    ]
    stored = client.post("/api/v1/events:batch", headers=admin, json={"events": events})
    assert stored.json()["stored"] == 3, stored.text
    _within("an event batch", lambda: _export_sum(creator, creator_path, "daily", "likes") == likes + 3)

    # Workflow steps and their postings: acceptance freezes the fee (a ledger card), going live puts the fee into
    # the campaign's spend (the collaborations snapshot the ROI table reads).
    frozen = _card(brand, brand_path, "冻结预算（元）")
    spend = _export_sum(brand, brand_path, "campaigns", "fee_yuan")
    proposal = {
        "campaign_id": world["campaignA"],
        "creator_id": world["creatorA1"],
        "product_id": world["productA"],
        "mode": "creator_distribution",
        "fee": "800.00",
        "commission_rate": 0.2,
    }
    created = client.post("/api/v1/collaborations", headers=brand_api, json=proposal)
    assert created.status_code == 201, created.text
    collab = int(created.json()["id"])
    _step(client, creator_api, collab, "accepted")
    _within("a budget freeze", lambda: _card(brand, brand_path, "冻结预算（元）") == pytest.approx(frozen + 800))
    _step(client, creator_api, collab, "content_submitted", content_url="https://v.example/fresh")
    _step(client, brand_api, collab, "approved")
    _step(client, creator_api, collab, "live")
    _within(
        "a collaboration gone live",
        lambda: _export_sum(brand, brand_path, "campaigns", "fee_yuan") == pytest.approx(spend + 800),
    )
    assert _card(creator, creator_path, "待打款（元）") > 0  # the fee released on approval

    latest = _stamp(brand, brand_path)
    assert latest is not None and latest >= stamp
    assert last_updated(store) is not None


def test_one_syncer_at_a_time(db: Database, world: World, tmp_path: Path) -> None:
    store = EventStore(tmp_path / "events")
    with store_lock(store, wait=False) as held:
        assert held
        # Another worker's tick finds the lock taken and skips, writing nothing.
        assert sync_locked(db, store, wait=False) is None
        assert BoardSync(db, store, interval=1.0).tick() is None
        assert last_updated(store) is None
    first = sync_locked(db, store, wait=False)
    assert first is not None and first.rows_written > 0
    stamped = last_updated(store)
    assert stamped is not None
    again = BoardSync(db, store, interval=1.0).tick()
    assert again is not None and again.rows_written == 0  # idempotent: nothing new, nothing written
    later = last_updated(store)
    assert later is not None and later >= stamped


def test_an_unchanged_dimension_is_not_rewritten(tmp_path: Path) -> None:
    store = EventStore(tmp_path)
    rows = {"mcn_id": [1, 2], "name": ["星辰传媒", "云海文化"]}
    store.write_dimension("mcns", rows)
    written = store.dimension_path("mcns").stat().st_mtime_ns
    time.sleep(0.01)  # past the file system's timestamp tick, so a rewrite would show
    assert store.write_dimension("mcns", rows) == 2
    assert store.dimension_path("mcns").stat().st_mtime_ns == written
    store.write_dimension("mcns", {"mcn_id": [1, 2], "name": ["星辰传媒", "海云文化"]})
    assert store.read_dimension("mcns").column("name").to_pylist() == ["星辰传媒", "海云文化"]


def test_board_sync_refuses_a_non_positive_interval(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="positive"):
        BoardSync(db, EventStore(tmp_path), interval=0)


def test_two_workers_syncing_one_store_copy_each_order_once(db: Database, world: World, tmp_path: Path) -> None:
    """Two servers' background syncs (as with `serve --workers 2`) on one store while orders keep arriving."""
    root = tmp_path / "events"
    workers = [BoardSync(db, EventStore(root), interval=0.05).start() for _ in range(2)]
    try:
        for n in range(20):
            with db.transaction() as s:
                s.add(
                    Order(
                        product_id=world["productB"],
                        creator_id=world["creatorB1"],
                        amount=Decimal("1.00") + n,
                        ordered_at=datetime.now(UTC),
                    )
                )
            time.sleep(0.02)
    finally:
        for worker in workers:
            worker.stop()
    store = EventStore(root)
    sync_locked(db, store, wait=True)  # whatever the last ticks had not seen yet
    ids = store.read("orders").column("order_id").to_pylist()
    with db.transaction() as s:
        expected = s.scalars(select(Order.id)).all()
    assert sorted(ids) == sorted(expected)  # every order, none twice


@pytest.fixture
def unsynced(db: Database, database_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, BoardSync]]:
    """The app with no background sync of its own, and a `BoardSync` on its store that the test drives."""
    settings = Settings(database_url=database_url, event_store_dir=str(tmp_path / "events"), board_sync_seconds=0)
    with TestClient(create_app(settings, db=db)) as client:
        yield client, BoardSync(db, EventStore(settings.event_store_dir), interval=BOARD_SYNC_SECONDS)


def _order(client: TestClient, world: World, amount: str) -> None:
    order = {
        "product_id": world["productA"],
        "creator_id": world["creatorA1"],
        "amount": amount,
        "ordered_at": datetime.now(UTC).isoformat(),
    }
    assert client.post("/api/v1/orders", headers=login(client, world, "admin"), json=order).status_code == 201


def test_a_write_is_on_its_board_after_the_next_sync(unsynced: tuple[TestClient, BoardSync], world: World) -> None:
    """What the 5-second goal rests on, without a clock: the board shows a write once one sync has run after it
    committed, and not before (the board reads the store, which only a sync fills)."""
    client, sync = unsynced
    brand, path = _signed_in(client, world, "brandA"), f"/analytics/brand/{world['brandA']}"
    assert _stamp(brand, path) is None  # nothing synced yet: the board says so rather than show a time
    first = sync.tick()
    assert first is not None and first.rows_written > 0
    gmv, stamp = _export_sum(brand, path, "daily", "gmv_yuan"), _stamp(brand, path)
    assert stamp is not None

    _order(client, world, "4321.09")
    assert _export_sum(brand, path, "daily", "gmv_yuan") == pytest.approx(gmv)  # committed, not yet synced
    synced = sync.tick()
    assert synced is not None and synced.rows_written >= 1
    assert _export_sum(brand, path, "daily", "gmv_yuan") == pytest.approx(gmv + 4321.09)
    later = _stamp(brand, path)
    assert later is not None and later >= stamp
    assert sync.tick() is not None and _export_sum(brand, path, "daily", "gmv_yuan") == pytest.approx(gmv + 4321.09)


def test_the_sync_thread_brings_a_write_within_two_ticks(unsynced: tuple[TestClient, BoardSync], world: World) -> None:
    """The running thread, counted in ticks, not seconds: a write committed after tick n is on its board once tick
    n + 2 has finished (tick n + 1 may have read the database just before the commit)."""
    client, sync = unsynced
    sync.interval = 0.05  # ticks back to back, so the test waits for ticks, not for the server's interval
    brand, path = _signed_in(client, world, "brandA"), f"/analytics/brand/{world['brandA']}"
    sync.start()
    try:
        assert sync.wait_past(0, timeout=120)  # a hang guard only, far above any tick's length
        gmv = _export_sum(brand, path, "daily", "gmv_yuan")
        _order(client, world, "777.77")
        done = sync.ticks
        assert sync.wait_past(done + 1, timeout=120)
        assert _export_sum(brand, path, "daily", "gmv_yuan") == pytest.approx(gmv + 777.77)
    finally:
        sync.stop()


def test_a_tick_with_nothing_committed_since_reads_no_table(db: Database, world: World, tmp_path: Path) -> None:
    """A server's tick once nothing it copied can change (PostgreSQL's horizon has passed every id) and no commit
    has reached the synced tables: only the "as of" stamp moves. The next commit is copied on the next tick."""
    store = EventStore(tmp_path / "events")
    sync = BoardSync(db, store, interval=1.0)
    first = sync.tick()
    assert first is not None and first.dimensions  # the first sync reads every dimension table
    # Parallel test workers' open transactions may hold the horizon back for a moment: tick until it passes.
    for _ in range(200):
        result = sync.tick()
        if result is not None and result.quiet_versions is not None:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the horizon never passed the store's watermarks")
    stamped = last_updated(store)
    time.sleep(0.01)
    quiet = sync.tick()
    assert quiet is not None and quiet.dimensions == {} and quiet.batches == []
    later = last_updated(store)
    assert stamped is not None and later is not None and later > stamped

    with db.transaction() as s:
        s.add(
            Order(
                product_id=world["productB"],
                creator_id=world["creatorB1"],
                amount=Decimal("9.90"),
                ordered_at=datetime.now(UTC),
            )
        )
    woken = sync.tick()
    assert woken is not None and woken.dimensions and woken.rows_written >= 1
    with db.transaction() as s:
        expected = s.scalars(select(Order.id)).all()
    assert sorted(store.read("orders").column("order_id").to_pylist()) == sorted(expected)
