"""Issue 13, items 2 and 6: CSRF refusal, security headers, Secure cookies and the request-size limit."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.fixtures.pages import remote_assets
from tests.fixtures.world import PASSWORD, World

from wanghong.app import create_app
from wanghong.config import Settings
from wanghong.kit.db.session import Database
from wanghong.kit.security import CSRF_COOKIE, SESSION_COOKIE

ORIGIN = "http://testserver"
SAME_ORIGIN = {"Origin": ORIGIN, "Sec-Fetch-Site": "same-origin"}


def _token(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    assert client.cookies.get(CSRF_COOKIE) == match.group(1)
    return match.group(1)


def _sign_in(client: TestClient, world: World, user: str) -> str:
    token = _token(client)
    response = client.post(
        "/login",
        data={"username": f"{user}_{world.tag}", "password": PASSWORD, "csrf_token": token},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return token


# --- CSRF ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
        # Same site, another port or a sibling subdomain: still another origin.
        {"Origin": "http://testserver:8081", "Sec-Fetch-Site": "same-site"},
        {"Origin": "http://shop.testserver"},
        {"Origin": "null"},
    ],
)
def test_a_form_from_another_origin_is_refused_even_with_the_token(
    web_client: TestClient, world: World, headers: dict[str, str]
) -> None:
    token = _sign_in(web_client, world, "admin")
    response = web_client.post("/operations/traffic", data={"target_gini": "0.9", "csrf_token": token}, headers=headers)
    assert response.status_code == 403
    assert "cross-origin request refused" in response.json()["detail"]


def test_login_csrf_needs_the_token_and_this_origin(web_client: TestClient, world: World) -> None:
    credentials = {"username": f"brandA_{world.tag}", "password": PASSWORD}
    cross = web_client.post("/login", data=credentials, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403 and SESSION_COOKIE not in cross.cookies
    no_token = web_client.post("/login", data=credentials, headers=SAME_ORIGIN)
    assert no_token.status_code == 403 and "CSRF token" in no_token.json()["detail"]
    wrong = web_client.post("/login", data=credentials | {"csrf_token": "x" * 43}, headers=SAME_ORIGIN)
    assert wrong.status_code == 403
    _sign_in(web_client, world, "brandA")


def test_page_forms_and_fetches_pass_with_the_token(web_client: TestClient, world: World) -> None:
    token = _sign_in(web_client, world, "admin")
    page = web_client.get("/operations/traffic")
    assert f'<meta name="csrf-token" content="{token}">' in page.text
    assert page.text.count(f'name="csrf_token" value="{token}"') == 2  # the settings form and sign-out
    saved = web_client.post(
        "/operations/traffic",
        data={"target_gini": "0.4", "csrf_token": token},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    # A page's fetch call sends the header instead of a form field; without either it is refused.
    body = {"name": f"CSRF {world.tag}", "category": "beauty", "price": "9.90"}
    refused = web_client.post("/api/v1/products", json=body, headers=SAME_ORIGIN)
    assert refused.status_code == 403
    signed = web_client.post("/api/v1/products", json=body, headers=SAME_ORIGIN | {"X-CSRF-Token": token})
    assert signed.status_code != 403, signed.text
    out = web_client.post("/logout", data={"csrf_token": token}, headers=SAME_ORIGIN, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"


def test_bearer_api_calls_without_the_cookie_are_not_affected(app_client: TestClient, as_user: Any) -> None:
    headers = as_user("brandA") | {"Origin": "http://elsewhere.example", "Sec-Fetch-Site": "cross-site"}
    response = app_client.post("/api/v1/campaigns", json={"name": "无 cookie", "budget": "100"}, headers=headers)
    assert response.status_code != 403, response.text


def test_language_switch_never_redirects_off_site(web_client: TestClient) -> None:
    away = web_client.get("/lang/en", headers={"Referer": "https://evil.example/x"}, follow_redirects=False)
    assert away.headers["location"] == "/"
    back = web_client.get("/lang/en", headers={"Referer": f"{ORIGIN}/matching"}, follow_redirects=False)
    assert back.headers["location"] == f"{ORIGIN}/matching"


# --- headers and cookies ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/login", "/api/v1/openapi.json", "/static/plotly.min.js", "/nowhere"])
def test_every_response_carries_the_security_headers(app_client: TestClient, path: str) -> None:
    headers = app_client.get(path).headers
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self' 'nonce-" in csp and "unsafe-inline' ;" not in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_each_page_gets_its_own_nonce_on_its_inline_blocks(app_client: TestClient) -> None:
    first, second = app_client.get("/login"), app_client.get("/login")
    nonce = re.search(r"'nonce-([^']+)'", first.headers["content-security-policy"])
    assert nonce and f'<style nonce="{nonce.group(1)}">' in first.text
    assert nonce.group(1) not in second.text
    assert "<script>" not in first.text and "<style>" not in first.text


def test_docs_work_offline_from_local_assets(app_client: TestClient) -> None:
    docs = app_client.get("/api/v1/docs")
    assert docs.status_code == 200 and remote_assets(docs.text) == [] and "http" not in docs.text.split("<body>")[1]
    for asset in re.findall(r'(?:src|href)="(/static/swagger/[^"]+)"', docs.text):
        assert app_client.get(asset).status_code == 200, asset
    assert app_client.get("/static/swagger/index.html").status_code == 404


def test_secure_cookies_behind_https(db: Database, database_url: str, world: World) -> None:
    app = create_app(Settings(database_url=database_url, secure_cookies=True), db=db)
    client = TestClient(app, base_url="https://testserver")
    first = client.get("/login")
    assert "Secure" in first.headers["set-cookie"] and CSRF_COOKIE in first.headers["set-cookie"]
    token = client.cookies[CSRF_COOKIE]
    signed_in = client.post(
        "/login",
        data={"username": f"admin_{world.tag}", "password": PASSWORD, "csrf_token": token},
        headers={"Origin": "https://testserver", "Sec-Fetch-Site": "same-origin"},
        follow_redirects=False,
    )
    session_cookie = next(c for c in signed_in.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE))
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    language = client.get("/lang/en", follow_redirects=False).headers["set-cookie"]
    assert language.startswith("lang=en") and "Secure" in language


def test_plain_http_demo_cookies_are_not_secure(app_client: TestClient) -> None:
    assert "Secure" not in app_client.get("/lang/zh", follow_redirects=False).headers["set-cookie"]


# --- request-size limit -------------------------------------------------------------------------------------------


@pytest.fixture
def small_app(db: Database, database_url: str) -> TestClient:
    return TestClient(create_app(Settings(database_url=database_url, max_request_bytes=1000), db=db))


def test_a_declared_oversize_body_gets_413_before_authentication(app_client: TestClient) -> None:
    response = app_client.post(
        "/api/v1/collaborations", content=b"{}", headers={"Content-Length": str(100 * 1024 * 1024)}
    )
    assert response.status_code == 413 and "WANGHONG_MAX_REQUEST_BYTES" in response.json()["detail"]


def test_a_lying_content_length_is_counted_not_trusted(small_app: TestClient) -> None:
    response = small_app.post(
        "/api/v1/collaborations",
        content=b"{" + b" " * 5000 + b"}",
        headers={"Content-Length": "10", "Content-Type": "application/json"},
    )
    assert response.status_code == 413  # not the 401 of a missing token, nor a JSON error
    assert small_app.post("/api/v1/collaborations", json={}).status_code == 401  # small bodies go on


def test_a_bad_content_length_is_a_400(small_app: TestClient) -> None:
    response = small_app.post("/api/v1/collaborations", content=b"{}", headers={"Content-Length": "lots"})
    assert response.status_code == 400 and "Content-Length" in response.json()["detail"]


def test_a_streamed_100_mb_body_is_cut_off_early(app_client: TestClient) -> None:
    """Driven at the ASGI level so the body really arrives in chunks, with no Content-Length at all."""
    chunk, total = 1024 * 1024, 100
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * chunk, "more_body": pulled < total}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/collaborations",
        "raw_path": b"/api/v1/collaborations",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "state": {},
    }
    asyncio.run(app_client.app(scope, receive, send))  # type: ignore[arg-type]
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 413
    limit = Settings().max_request_bytes
    assert pulled == limit // chunk + 1 < total  # it stopped reading just past the limit
