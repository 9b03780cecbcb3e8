"""Web pages: sign-in, a home page per role with a locally served Plotly chart, the language switch."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.browser import chromium, serving
from tests.fixtures.world import PASSWORD, World

from wanghong.app import create_app
from wanghong.config import Settings
from wanghong.kit.db.session import Database


def _sign_in(client: TestClient, world: World, user: str) -> None:
    response = client.post(
        "/login", data={"username": f"{user}_{world.tag}", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303, response.text


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("admin", "达人粉丝层级分布"),
        ("brandA", "合作状态分布"),
        ("mcnA", "旗下达人"),
        ("creatorA1", "粉丝人群构成"),
        ("reviewer", "审核队列"),
    ],
)
def test_every_role_has_a_home_page_in_chinese(
    db: Database, database_url: str, world: World, user: str, expected: str
) -> None:
    with TestClient(create_app(Settings(database_url=database_url), db=db)) as client:
        assert client.get("/", follow_redirects=False).headers["location"] == "/login"
        _sign_in(client, world, user)
        page = client.get("/")
        assert page.status_code == 200
        assert expected in page.text
        # Each workspace linked from home opens for this role.
        for link in re.findall(r'<a class="card" href="([^"]+)"', page.text):
            assert client.get(link).status_code == 200, link
        assert '<script src="/static/plotly.min.js">' in page.text and "cdn" not in page.text.lower()
        client.get("/lang/en")
        assert "Sign out" in client.get("/").text


def test_brand_home_shows_only_its_own_campaigns(db: Database, database_url: str, world: World) -> None:
    with TestClient(create_app(Settings(database_url=database_url), db=db)) as client:
        _sign_in(client, world, "brandA")
        page = client.get("/").text
        assert "双十一 A" in page and "双十一 B" not in page


def test_wrong_password_shows_an_error(db: Database, database_url: str, world: World) -> None:
    with TestClient(create_app(Settings(database_url=database_url), db=db)) as client:
        response = client.post("/login", data={"username": f"admin_{world.tag}", "password": "wrong-password"})
        assert response.status_code == 401 and "用户名或密码错误" in response.text


def test_plotly_is_served_locally(app_client: TestClient) -> None:
    response = app_client.get("/static/plotly.min.js")
    assert response.status_code == 200 and len(response.content) > 1_000_000


@pytest.fixture
def live_server(database_url: str) -> Iterator[str]:
    with serving(create_app(Settings(database_url=database_url))) as url:
        yield url


@pytest.mark.browser
def test_sign_in_through_chromium_and_see_the_chart(live_server: str, world: World, database_url: str) -> None:
    with chromium(database_url) as browser:
        page = browser.new_page()
        page.goto(f"{live_server}/")
        page.fill("input[name=username]", f"admin_{world.tag}")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector(".plotly-graph-div .main-svg", timeout=20_000)
        assert page.locator(".plotly-graph-div").count() >= 1
        assert "达人粉丝层级分布" in page.inner_text(".charts")
        bars = page.locator(".plotly-graph-div .bars path").count()
        assert bars >= 2, "the tier chart should draw a bar per populated tier"
