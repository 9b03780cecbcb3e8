"""Web pages: sign-in, a home page per role with a locally served Plotly chart, the language switch."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.browser import chromium, serving
from tests.fixtures.pages import remote_assets
from tests.fixtures.world import PASSWORD, World


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
def test_every_role_has_a_home_page_in_chinese(web_client: TestClient, world: World, user: str, expected: str) -> None:
    assert web_client.get("/", follow_redirects=False).headers["location"] == "/login"
    _sign_in(web_client, world, user)
    page = web_client.get("/")
    assert page.status_code == 200
    assert expected in page.text
    # Each workspace linked from home opens for this role.
    for link in re.findall(r'<a class="card" href="([^"]+)"', page.text):
        assert web_client.get(link).status_code == 200, link
    assert '<script src="/static/plotly.min.js">' in page.text and remote_assets(page.text) == []
    web_client.get("/lang/en")
    assert "Sign out" in web_client.get("/").text


def test_brand_home_shows_only_its_own_campaigns(web_client: TestClient, world: World) -> None:
    _sign_in(web_client, world, "brandA")
    page = web_client.get("/").text
    assert "双十一 A" in page and "双十一 B" not in page


def test_wrong_password_shows_an_error(web_client: TestClient, world: World) -> None:
    response = web_client.post("/login", data={"username": f"admin_{world.tag}", "password": "wrong-password"})
    assert response.status_code == 401 and "用户名或密码错误" in response.text


def test_plotly_is_served_locally(app_client: TestClient) -> None:
    response = app_client.get("/static/plotly.min.js")
    assert response.status_code == 200 and len(response.content) > 1_000_000


@pytest.fixture
def live_server(app_client: TestClient) -> Iterator[str]:
    with serving(app_client.app) as url:
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
