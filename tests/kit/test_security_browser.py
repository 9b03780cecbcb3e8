"""The pages under their Content-Security-Policy and CSRF checks, in a real headless Chromium: they still work
(sign in, switch language, change the Gini target, decide a review task, open the API docs) with no CSP
violation in the console, and a form on another origin of the same site cannot change anything."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from tests.browser import chromium, serving
from tests.fixtures.world import PASSWORD, World

from wanghong.compliance.engine_cache import REVIEWERS
from wanghong.compliance.models import ReviewTask
from wanghong.compliance.scanning import scan_text
from wanghong.domain import ReviewStatus
from wanghong.kit.db.session import Database
from wanghong.traffic import service as traffic


@pytest.fixture
def live_server(app_client: TestClient) -> Iterator[str]:
    with serving(app_client.app) as url:
        yield url


def _attacker(target: str) -> Starlette:
    """Another port on the same host: same site, another origin — what the audit's attack page was."""
    html = (
        f'<form method="post" action="{target}/operations/traffic"><input name="target_gini" value="0.99"></form>'
        "<script>document.forms[0].submit()</script>"
    )
    return Starlette(routes=[Route("/", lambda _: HTMLResponse(html))])


class Console:
    """Every CSP violation or page error a page reports, wherever it navigates."""

    def __init__(self, page: Any) -> None:
        self.problems: list[str] = []
        page.on("console", self._message)
        page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))

    def _message(self, message: Any) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(f"{message.type}: {message.text}")


def _sign_in(page: Any, base: str, user: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
def test_pages_work_under_the_csp_and_refuse_cross_origin_forms(
    live_server: str, app_client: TestClient, world: World, db: Database, database_url: str
) -> None:
    reviewers = app_client.app.state.runtime.get(REVIEWERS)  # type: ignore[attr-defined]
    with db.transaction() as s:
        outcome = scan_text(
            s,
            reviewers=reviewers,
            subject_type="video",
            subject_id=None,
            creator_id=world["creatorA1"],
            text="今天这款全网最低价，错过再等一年",
        )
        assert outcome.task is not None
        task_id = outcome.task.id
    with chromium(database_url) as browser:
        page = browser.new_page()
        console = Console(page)

        _sign_in(page, live_server, f"admin_{world.tag}")
        page.wait_for_selector(".plotly-graph-div .main-svg", timeout=20_000)
        page.click("header a:has-text('English')")
        page.wait_for_selector("header button:has-text('Sign out')")

        page.goto(f"{live_server}/operations/traffic")
        page.fill("#target_gini", "0.35")
        page.click("form.card button[type=submit]")
        page.wait_for_selector("p[role=status]")
        with db.transaction() as s:
            assert traffic.load_settings(s).target_gini == pytest.approx(0.35)

        # The attack page on another port posts the form with the admin's cookie: refused, nothing changes.
        with serving(_attacker(live_server)) as evil:
            page.goto(evil)
            page.wait_for_url(f"{live_server}/operations/traffic")
            assert "cross-origin request refused" in page.content()
        with db.transaction() as s:
            assert traffic.load_settings(s).target_gini == pytest.approx(0.35)

        page.goto(f"{live_server}/api/v1/docs")
        page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)

        page.goto(f"{live_server}/")
        page.click("header form button[type=submit]")  # sign out, through its CSRF-guarded form
        page.wait_for_url(f"{live_server}/login")
        _sign_in(page, live_server, f"reviewer_{world.tag}")
        page.goto(f"{live_server}/compliance/review")
        page.click(f"#task-{task_id} button[value=confirmed]")
        page.wait_for_selector("p[role=status]")
        with db.transaction() as s:
            task = s.get(ReviewTask, task_id)
            assert task is not None and task.status is ReviewStatus.CONFIRMED

        # The one expected console error is the attack's refusal (a 403 the browser logs); nothing else.
        problems = [p for p in console.problems if "403" not in p]
        assert problems == [], "\n".join(problems)
