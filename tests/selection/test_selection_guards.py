"""申样 is one request however it is sent twice: parallel identical API calls create one row (the open-request
index refuses the rest with a 409), the same Idempotency-Key replays the first answer, and a double click on the
page's form makes one request and answers both clicks with the page — on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.commerce.racing import race, statuses
from tests.fixtures.pages import SAME_ORIGIN, sign_in
from tests.fixtures.world import World
from tests.selection.naming import letters as _letters

from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database
from wanghong.selection.models import SampleRequest, SampleStatus

API = "/api/v1/selection"


def _listing(client: TestClient, as_user: Callable[[str], dict[str, str]], world: World, name: str) -> int:
    product = client.post(
        "/api/v1/products", json={"name": name, "category": "beauty", "price": "66"}, headers=as_user("brandA")
    )
    assert product.status_code == 201, product.text
    body = {"product_id": product.json()["id"], "commission_rate": 0.2, "sample_policy": "free"}
    listing = client.post(f"{API}/listings", json=body, headers=as_user("brandA"))
    assert listing.status_code == 201, listing.text
    return int(listing.json()["id"])


def _requests(db: Database, listing: int) -> list[SampleRequest]:
    with db.transaction() as s:
        return list(s.scalars(select(SampleRequest).where(SampleRequest.listing_id == listing)))


def test_parallel_identical_requests_create_one(
    app_client: TestClient, world: World, db: Database, as_user: Callable[[str], dict[str, str]]
) -> None:
    listing = _listing(app_client, as_user, world, f"{_letters(world)} 睡眠面膜")
    body = {"listing_id": listing, "address": "杭州市余杭区 8 号"}
    responses = race(app_client.app, [("POST", f"{API}/samples", body, as_user("creatorA1"))] * 10)
    assert statuses(responses) == [201] + [409] * 9, [r.text for r in responses if r.status_code not in (201, 409)]
    (made,) = [r.json()["id"] for r in responses if r.status_code == 201]
    assert all(f"sample request {made} " in r.json()["detail"] for r in responses if r.status_code == 409)
    assert [r.id for r in _requests(db, listing)] == [made]
    with db.transaction() as s:
        created = s.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action == "selection_sample_request.create", AuditEntry.entity_id == str(made)
            )
        )
    assert created == 1
    # Declined, the product may be asked for again; the index covers open requests only.
    decided = app_client.post(
        f"{API}/samples/{made}/decision", json={"decision": "declined", "reason": "库存不足"}, headers=as_user("brandA")
    )
    assert decided.status_code == 200
    again = app_client.post(f"{API}/samples", json=body, headers=as_user("creatorA1"))
    assert again.status_code == 201 and again.json()["id"] != made


def test_an_idempotency_key_replays_the_first_request(
    app_client: TestClient, world: World, db: Database, as_user: Callable[[str], dict[str, str]]
) -> None:
    listing = _listing(app_client, as_user, world, f"{_letters(world)} 护手霜")
    body = {"listing_id": listing, "address": "成都市武侯区 3 号"}
    headers = as_user("creatorA1") | {"Idempotency-Key": f"sample-{world.tag}"}
    responses = race(app_client.app, [("POST", f"{API}/samples", body, headers)] * 8)
    assert statuses(responses) == [201] * 8, [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert len(_requests(db, listing)) == 1
    other = app_client.post(f"{API}/samples", json=body | {"note": "换个地址"}, headers=headers)
    assert other.status_code == 409 and "different request" in other.json()["detail"]


def test_a_double_click_on_the_form_makes_one_request(
    app_client: TestClient, world: World, db: Database, as_user: Callable[[str], dict[str, str]]
) -> None:
    listing = _listing(app_client, as_user, world, f"{_letters(world)} 洗发露")
    browser = TestClient(app_client.app)
    token = sign_in(browser, world, "creatorA1")
    market = browser.get("/workspace/selection", params={"q": f"{_letters(world)} 洗发露"})
    assert 'name="request_key" value="' in market.text
    key = market.text.split('name="request_key" value="', 1)[1].split('"', 1)[0]
    form = {"address": "广州市天河区 5 号", "request_key": key, "csrf_token": token}
    barrier = threading.Barrier(2)

    def click() -> httpx.Response:
        # One client per click, each with the browser's cookies: two connections at once, as a double click is.
        tab = TestClient(app_client.app, cookies=dict(browser.cookies))
        try:
            barrier.wait(timeout=60)
            return tab.post(
                f"/workspace/selection/{listing}/samples", data=form, headers=SAME_ORIGIN, follow_redirects=False
            )
        finally:
            tab.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda _: click(), range(2)))
    assert [a.status_code for a in answers] == [303, 303], [a.text[:300] for a in answers]
    (row,) = _requests(db, listing)
    assert row.status is SampleStatus.PENDING and row.address == "广州市天河区 5 号"
    browser.close()
