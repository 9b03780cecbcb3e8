"""In Chromium, the live page redraws its chart when new minutes arrive through /api/v1/events:batch."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import uvicorn
from fastapi.testclient import TestClient
from tests.foundation.world import PASSWORD, T0, World, login

from wanghong.analytics.store import EventStore
from wanghong.web import analytics as analytics_pages

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def live_server(app, store: EventStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(analytics_pages, "POLL_SECONDS", 1)  # the page polls every second here, not every five
    app.state.event_store = store
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.mark.browser
def test_live_chart_follows_ingested_minutes(live_server: str, app, world: World, database_url: str) -> None:  # type: ignore[no-untyped-def]
    if not database_url.startswith("sqlite"):
        pytest.skip("one browser run is enough; it runs on the SQLite variant")
    if not shutil.which(CHROMIUM):
        if os.environ.get("WANGHONG_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    api = TestClient(app)
    headers = login(api, world, "admin")

    def ingest(minute: int, viewers: int) -> None:
        event = {
            "event_id": f"browser-{world.tag}-{minute}",
            "type": "livestream_minute",
            "payload": {
                "session_id": world["liveB"],
                "minute_at": (T0 + timedelta(minutes=minute)).isoformat(),
                "viewers": viewers,
            },
        }
        assert api.post("/api/v1/events:batch", headers=headers, json={"events": [event]}).status_code == 200

    ingest(0, 111)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        try:
            page = browser.new_page()
            page.goto(f"{live_server}/login")
            page.fill("input[name=username]", f"creatorB1_{world.tag}")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.goto(f"{live_server}/analytics/live/{world['liveB']}")
            page.wait_for_selector("#viewers-chart .main-svg", timeout=20_000)
            points = "() => document.getElementById('viewers-chart').data[0].y"
            page.wait_for_function(f"({points})().length === 1", timeout=10_000)
            ingest(1, 222)
            page.wait_for_function(f"({points})().at(-1) === 222", timeout=10_000)
            assert page.evaluate(points) == [111, 222]
            assert page.inner_text("#peak_viewers") == "222"
        finally:
            browser.close()
    api.close()
