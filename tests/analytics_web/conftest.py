"""A two-tenant world with a week of orders, viewer events and collaborations gone live, synced into a store."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.foundation.world import PASSWORD, T0, World, build_world

from wanghong.analytics.engine.store import EventStore
from wanghong.analytics.sync import sync_database
from wanghong.app import create_app
from wanghong.commerce.models import Collaboration, LivestreamSession, Order, Viewer, ViewerEvent
from wanghong.config import Settings
from wanghong.domain import CollaborationStatus, ViewerAction
from wanghong.kit.db.session import Database

DAYS = 10


@pytest.fixture(scope="session")
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


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
def client_for(app, store: EventStore, world: World):  # type: ignore[no-untyped-def]
    """`client_for("brandA")` is a TestClient signed in (session cookie) as that world's user."""
    app.state.event_store = store
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
