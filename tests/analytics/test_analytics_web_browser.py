"""In Chromium, the live page redraws its chart when new minutes arrive through /api/v1/events:batch."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from tests.browser import chromium, serving
from tests.fixtures.world import PASSWORD, T0, World, login

from wanghong.analytics import page as analytics_pages


@pytest.fixture
def live_server(app_on_store, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(analytics_pages, "POLL_SECONDS", 1)  # the page polls every second here, not every five
    with serving(app_on_store) as url:
        yield url


@pytest.mark.browser
def test_live_chart_follows_ingested_minutes(live_server: str, app, world: World, database_url: str) -> None:  # type: ignore[no-untyped-def]
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

    with chromium(database_url) as browser:
        ingest(0, 111)
        # The probe below reads the chart through Playwright's evaluated functions, which the pages' CSP (no eval)
        # would refuse; the pages' own scripts run under the CSP as usual (tests/kit/test_security_browser.py).
        page = browser.new_page(bypass_csp=True)
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
    api.close()
