"""Write hooks: another capability acts on a commerce row inside the transaction that writes it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.fixtures.world import World

from wanghong.accounts.principal import Principal
from wanghong.commerce import hooks
from wanghong.commerce.models import Product, Video
from wanghong.kit.db.session import Database
from wanghong.kit.errors import InvalidInput

Seen = list[tuple[str, int, str | None]]


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> Seen:
    """Only this test's hooks are subscribed (compliance's scan stays out), and what they saw is listed."""
    monkeypatch.setattr(hooks, "_SUBSCRIBERS", {})
    calls: Seen = []

    def note(session: Session, principal: Principal | None, row: Any) -> None:
        # The row is flushed already: it has its id, and the session holds it.
        assert row.id is not None and row in session
        calls.append((type(row).__name__, row.id, principal.username if principal else None))

    hooks.on_write(Product, note)
    hooks.on_write(Product, note)  # subscribing twice still runs the hook once per write
    hooks.on_write(Video, note)
    return calls


def test_creates_and_updates_reach_the_models_subscribers(
    app_client: TestClient, world: World, as_user, seen: Seen
) -> None:
    headers = as_user("brandA")
    created = app_client.post(
        "/api/v1/products", headers=headers, json={"name": "精华", "category": "beauty", "price": "59.00"}
    )
    assert created.status_code == 201, created.text
    product = created.json()["id"]
    assert app_client.patch(f"/api/v1/products/{product}", headers=headers, json={"price": "49.00"}).status_code == 200
    assert app_client.delete(f"/api/v1/products/{product}", headers=headers).status_code == 204
    # A campaign has no subscriber; deleting is no write a hook hears about.
    campaign = {"name": "年货节", "budget": "1000"}
    assert app_client.post("/api/v1/campaigns", headers=headers, json=campaign).status_code == 201
    who = f"brandA_{world.tag}"
    assert seen == [("Product", product, who), ("Product", product, who)]


def test_ingested_rows_reach_the_subscribers(app_client: TestClient, world: World, as_user, seen: Seen) -> None:
    event = {
        "event_id": f"hook-{world.tag}",
        "type": "video_published",
        "payload": {"creator_id": world["creatorA1"], "title": "试色", "published_at": "2026-11-02T10:00:00+08:00"},
    }
    response = app_client.post("/api/v1/events:batch", headers=as_user("admin"), json={"events": [event]})
    assert response.status_code == 200, response.text
    assert [(model, who) for model, _, who in seen] == [("Video", f"admin_{world.tag}")]


def test_a_refusing_hook_undoes_the_write(
    app_client: TestClient, world: World, db: Database, as_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hooks, "_SUBSCRIBERS", {})

    def refuse(session: Session, principal: Principal | None, row: Any) -> None:
        raise InvalidInput("the copy promises a cure")

    hooks.on_write(Product, refuse)
    name = f"神药 {world.tag}"
    body = {"name": name, "category": "beauty", "price": "9.90"}
    response = app_client.post("/api/v1/products", headers=as_user("brandA"), json=body)
    assert response.status_code == 422 and "cure" in response.json()["detail"]
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Product).where(Product.name == name)) == 0
