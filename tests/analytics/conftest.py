"""Two worlds for the analytics tests: a tiny hand-made store whose every KPI is worked out by hand, and a
two-tenant platform world with a week of orders, viewer events and collaborations gone live, synced into a store."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.fixtures.world import PASSWORD, T0, World, build_world

from wanghong.analytics.engine.store import EventStore
from wanghong.analytics.sync import sync_database
from wanghong.app import create_app
from wanghong.commerce.models import Collaboration, LivestreamSession, Order, Viewer, ViewerEvent
from wanghong.config import Settings
from wanghong.domain import CollaborationStatus, ViewerAction
from wanghong.kit.db.session import Database
from wanghong.kit.runtime import Runtime

CST = timezone(timedelta(hours=8))
D1 = date(2024, 3, 4)  # a Monday
D2 = date(2024, 3, 5)
D9 = date(2024, 3, 12)  # the next week's Tuesday


def cst(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CST)


def _rows(columns: list[str], rows: list[tuple[Any, ...]]) -> dict[str, list[Any]]:
    return {name: [row[i] for row in rows] for i, name in enumerate(columns)}


def build_tiny_world(root: Path) -> EventStore:
    """Four creators in two MCNs (and one independent), one brand, one campaign of three collaborations."""
    store = EventStore(root)
    store.write_dimension(
        "creators",
        _rows(
            ["creator_id", "handle", "display_name", "followers", "follower_tier", "mcn_id"],
            [
                (1, "wh_1", "小鱼美妆日记", 5_000, "nano", 10),
                (2, "wh_2", "阿米穿搭", 50_000, "micro", 10),
                (3, "wh_3", "大糖爱美食", 500_000, "mid", 20),
                (4, "wh_4", "老果测评", 2_000_000, "head", None),
            ],
        ),
    )
    store.write_dimension("mcns", {"mcn_id": [10, 20], "name": ["星辰传媒", "云海文化"]})
    store.write_dimension("brands", {"brand_id": [100], "name": ["鲜优品"]})
    store.write_dimension(
        "products",
        _rows(
            ["product_id", "brand_id", "name", "category", "price_cents"],
            [(1000, 100, "鲜优品精华液 1号", "beauty", 10_000), (1001, 100, "鲜优品零食礼包 2号", "food", 5_000)],
        ),
    )
    store.write_dimension(
        "campaigns", {"campaign_id": [500], "brand_id": [100], "name": ["鲜优品 第1期推广"], "budget_cents": [200_000]}
    )
    store.write_dimension(
        "collaborations",
        _rows(
            ["collaboration_id", "campaign_id", "creator_id", "product_id", "fee_cents", "commission_bp", "live_at"],
            [
                (7001, 500, 1, 1000, 100_000, 2000, cst(D1, 10)),
                (7002, 500, 2, 1000, 50_000, 1000, cst(D1, 20)),
                (7003, 500, 3, 1001, 0, 0, None),  # never went live
            ],
        ),
    )
    store.ingest(
        "sessions",
        "tiny-1",
        _rows(
            ["livestream_id", "creator_id", "collaboration_id", "started_at", "ended_at", "unique_viewers", "views"],
            [
                (900, 2, 7002, cst(D1, 20), cst(D1, 22), 1000, 1500),
                (901, 3, None, cst(D2, 21), cst(D2, 23, 30), 400, 400),
            ],
        ),
    )
    store.ingest(
        "minute_stats",
        "tiny-1",
        _rows(
            ["livestream_id", "minute_at", "viewers", "orders", "gmv_cents", "tip_cents", "comments"],
            [
                (900, cst(D1, 20, 0), 100, 0, 0, 0, 5),
                (900, cst(D1, 20, 5), 300, 0, 0, 500, 10),
                (900, cst(D1, 20, 10), 200, 0, 0, 1500, 5),
                (901, cst(D2, 21, 0), 50, 0, 0, 10_000, 2),
            ],
        ),
    )
    store.ingest(
        "orders",
        "tiny-1",
        _rows(
            [
                "order_id",
                "viewer_id",
                "creator_id",
                "product_id",
                "collaboration_id",
                "livestream_id",
                "video_id",
                "quantity",
                "amount_cents",
                "ordered_at",
            ],
            [
                (1, 501, 1, 1000, 7001, None, 31, 1, 10_000, cst(D1, 12)),
                (2, 502, 2, 1000, 7002, 900, None, 3, 30_001, cst(D1, 20, 30)),
                (3, 501, 2, 1000, 7002, 900, None, 2, 20_000, cst(D1, 21)),
                (4, 503, 3, 1001, None, None, None, 1, 5_000, cst(D2, 10)),
                (5, 504, 1, 1000, None, None, None, 1, 7_000, cst(D1, 9)),  # before any touch
                (6, 506, 1, 1000, None, None, None, 1, 8_000, cst(D9, 11)),  # touches are > 7 days old
            ],
        ),
    )
    store.ingest(
        "behaviour",
        "tiny-1",
        _rows(
            ["event_id", "viewer_id", "creator_id", "video_id", "livestream_id", "action", "value_cents", "at"],
            [
                (1, 501, 1, 31, None, "view", 0, cst(D1, 10, 30)),
                (2, 501, 1, 31, None, "like", 0, cst(D1, 10, 31)),
                (3, 502, 1, 31, None, "view", 0, cst(D1, 11)),
                (4, 502, 2, None, 900, "tip", 500, cst(D1, 20, 10)),
                (5, 503, 2, None, 900, "tip", 1500, cst(D1, 20, 20)),
                (6, 502, 2, None, 900, "comment", 0, cst(D1, 20, 21)),
                (7, 503, 3, None, 901, "tip", 10_000, cst(D2, 21, 10)),
                (8, 505, 3, None, 901, "view", 0, cst(D2, 21)),
                # 00:30 China time on D2 is still D1 in UTC: it must land in D2's partition.
                (9, 501, 1, 32, None, "share", 0, cst(D2, 0, 30)),
            ],
        ),
    )
    return store


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> EventStore:
    return build_tiny_world(tmp_path_factory.mktemp("tiny-events"))


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One small local Spark session for the whole test run (starting the JVM is the slow part)."""
    from wanghong.analytics.engine.backends import spark_session

    # On kilobytes of data, compiling generated code costs more than it saves; turning whole-stage codegen and
    # adaptive re-planning off halves the suite's Spark time without changing any result.
    session = spark_session(
        cores=2,
        shuffle_partitions=2,
        driver_memory="1g",
        extra={"spark.sql.codegen.wholeStage": "false", "spark.sql.adaptive.enabled": "false"},
    )
    yield session
    session.stop()


DAYS = 10


@pytest.fixture(scope="session")
def app(db: Database, database_url: str):  # type: ignore[no-untyped-def]
    application = create_app(Settings(database_url=database_url, max_batch_events=50), db=db)
    return application


def populate(db: Database, world: World) -> None:
    """Ten days of sales and behaviour for both sides; side A's collaboration went live on the first day."""
    with db.transaction() as s:
        fans = [Viewer(external_id=f"fan-{world.tag}-{i}") for i in range(4)]
        s.add_all(fans)
        s.flush()
        for side, price in (("A", "99.00"), ("B", "10.00")):
            collab = s.get(Collaboration, world[f"collab{side}"])
            assert collab is not None
            if side == "A":
                collab.status = CollaborationStatus.LIVE
                collab.fee = Decimal("100.00")
            s.add(
                LivestreamSession(
                    creator_id=world[f"creator{side}1"],
                    collaboration_id=world[f"collab{side}"],
                    title=f"已结束 {side}",
                    started_at=T0 - timedelta(days=DAYS),
                    ended_at=T0 - timedelta(days=DAYS) + timedelta(hours=2),
                    unique_viewers=100,
                )
            )
            for day in range(DAYS):
                at = T0 - timedelta(days=day)
                # Side A sells more in the last week than the week before: growth is positive.
                for n in range(2 if (side == "A" and day < 5) else 1):
                    s.add(
                        Order(
                            product_id=world[f"product{side}"],
                            creator_id=world[f"creator{side}1"],
                            viewer_id=fans[n].id,
                            quantity=1,
                            amount=Decimal(price),
                            ordered_at=at + timedelta(minutes=n),
                        )
                    )
                for n, action in enumerate((ViewerAction.VIEW, ViewerAction.FOLLOW, ViewerAction.TIP)):
                    s.add(
                        ViewerEvent(
                            viewer_id=fans[n].id,
                            creator_id=world[f"creator{side}1"],
                            action=action,
                            value=5.0 if action is ViewerAction.TIP else 0.0,
                            occurred_at=at + timedelta(minutes=10 + n),
                        )
                    )
        # The collaboration's go-live moment is when it last changed; pin it before the orders.
        s.flush()
        collab_a = s.get(Collaboration, world["collabA"])
        assert collab_a is not None
        collab_a.updated_at = T0 - timedelta(days=DAYS + 1)


@pytest.fixture(scope="module")
def world(db: Database) -> World:
    w = build_world(db, uuid.uuid4().hex[:8])
    populate(db, w)
    return w


@pytest.fixture(scope="module")
def store(db: Database, world: World, tmp_path_factory: pytest.TempPathFactory) -> EventStore:
    event_store = EventStore(Path(tmp_path_factory.mktemp("events")))
    with db.transaction() as s:
        sync_database(s, event_store)
    return event_store


@pytest.fixture
def app_on_store(app, store: EventStore):  # type: ignore[no-untyped-def]
    """The app with its boards reading `store`: warm engines of a runtime whose settings name that store."""
    # Swapped by hand: monkeypatch cannot restore a Starlette `State` attribute (it deletes it on undo).
    previous = app.state.runtime
    app.state.runtime = Runtime(replace(app.state.settings, event_store_dir=str(store.root)))
    yield app
    app.state.runtime.close()
    app.state.runtime = previous


@pytest.fixture
def client_for(app_on_store, world: World):  # type: ignore[no-untyped-def]
    """`client_for("brandA")` is a TestClient signed in (session cookie) as that world's user."""
    app = app_on_store
    clients: list[TestClient] = []

    def make(user: str | None) -> TestClient:
        client = TestClient(app)
        clients.append(client)
        if user is not None:
            response = client.post(
                "/login",
                data={"username": f"{user}_{world.tag}", "password": PASSWORD},
                follow_redirects=False,
            )
            assert response.status_code == 303, response.text
        return client

    yield make
    for client in clients:
        client.close()
