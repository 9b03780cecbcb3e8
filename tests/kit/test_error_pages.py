"""Errors as a browser reads them: an unknown address or another tenant's object on any room's page is an HTML
page in the frame, in the reader's language, with the right status and a way home; the API keeps answering
RFC 9457 problem+json, whatever the caller accepts."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from tests.fixtures.pages import sign_in
from tests.fixtures.world import World

from wanghong.kit.problems import reason_for

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PROBLEM = "application/problem+json"

# One page of each room that shows an object, with another tenant's object (B's) in it, as A's user.
FOREIGN = [
    ("brandA", "/analytics/brand/{brandB}"),  # analytics
    ("mcnA", "/analytics/mcn/{mcnB}"),
    ("creatorA1", "/analytics/creator/{creatorB1}"),
    ("brandA", "/analytics/live/{liveB}"),
    ("brandA", "/analytics/brand/{brandB}/export/creators.csv"),
    ("brandA", "/workspace/campaigns/{campaignB}/report"),  # workspace
    ("brandA", "/workspace/collaborations/{collabB}/content"),  # selection
    ("brandA", "/workspace/products/{productB}/facts"),  # assistant
    ("brandA", "/matching?product_id={productB}"),  # matching
    ("mcnA", "/workspace/creators/{creatorB1}"),  # marketplace
    ("admin", "/workspace/subjects/brand/987654321"),  # governance: no such brand
    ("creatorA1", "/workspace/live/{liveB}"),  # the live room
]


def _is_error_page(response, status: int, title: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, (response.status_code, response.text[:200])
    assert response.headers["content-type"].startswith("text/html")
    assert title in response.text
    assert '"type":"about:blank"' not in response.text


def test_another_tenants_object_is_an_html_404_on_every_rooms_page(web_client: TestClient, world: World) -> None:
    for user in dict.fromkeys(user for user, _ in FOREIGN):
        web_client.cookies.clear()
        sign_in(web_client, world, user)
        for path in (p for u, p in FOREIGN if u == user):
            response = web_client.get(path.format(**world.ids), headers=BROWSER)
            _is_error_page(response, 404, "页面不存在")
            # The page names nothing: not the object, not the validator's English.
            assert "not found" not in response.text, (user, path)


def test_an_unknown_address_is_a_page_in_the_readers_language(web_client: TestClient, world: World) -> None:
    signed_out = web_client.get("/no/such/page", headers=BROWSER)
    _is_error_page(signed_out, 404, "页面不存在")
    assert 'href="/"' in signed_out.text and 'lang="zh-CN"' in signed_out.text
    web_client.cookies.set("lang", "en")
    english = web_client.get("/no/such/page", headers=BROWSER)
    _is_error_page(english, 404, "Page not found")
    assert "页面不存在" not in english.text
    web_client.cookies.clear()
    # A page refused for its address's shape says so in the reader's language, without the validator's English.
    sign_in(web_client, world, "brandA")
    shaped = web_client.get("/analytics/brand/not-a-number", headers=BROWSER)
    _is_error_page(shaped, 422, "输入有误")
    assert "valid integer" not in shaped.text
    web_client.cookies.set("lang", "en")
    assert "valid integer" in web_client.get("/analytics/brand/not-a-number", headers=BROWSER).text


def test_the_api_keeps_problem_json_whatever_it_is_asked(
    web_client: TestClient, world: World, as_user: Callable[[str], dict[str, str]]
) -> None:
    for headers in (BROWSER, {"Accept": "*/*"}, {}):
        unknown = web_client.get("/api/v1/no-such-route", headers=headers)
        assert unknown.status_code == 404 and unknown.headers["content-type"] == PROBLEM
        foreign = web_client.get(f"/api/v1/campaigns/{world['campaignB']}", headers=headers | as_user("brandA"))
        assert foreign.status_code == 404 and foreign.headers["content-type"] == PROBLEM
        assert foreign.json()["title"] == "Not found"
    # A script outside the API that does not ask for a document still gets problem+json.
    assert web_client.get("/no/such/page").headers["content-type"] == PROBLEM
    assert web_client.get("/static/nope.js").headers["content-type"] == PROBLEM


def test_a_refusal_page_gives_the_readers_half_of_a_bilingual_reason() -> None:
    both = "监管账号只读，不能修改任何记录 / a regulator's account reads and changes nothing"
    assert reason_for(both, "zh") == "监管账号只读，不能修改任何记录"
    assert reason_for(both, "en") == "a regulator's account reads and changes nothing"
    # One language only: shown to its own readers, not to the others.
    assert reason_for("path.brand_id: Input should be a valid integer", "zh") == ""
    assert reason_for("path.brand_id: Input should be a valid integer", "en").startswith("path.brand_id")
    assert reason_for("达人不存在", "en") == "" and reason_for("达人不存在", "zh") == "达人不存在"


def test_a_bilingual_text_shows_the_reader_s_half() -> None:
    from wanghong.kit.formats import in_language

    reason = "确认违规：全网最低价 / confirmed violation: lowest price online"
    assert in_language(reason, "zh") == "确认违规：全网最低价"
    assert in_language(reason, "en") == "confirmed violation: lowest price online"
    assert in_language("只有中文", "en") == "只有中文" and in_language("a / b", "zh") == "a / b"


def test_an_error_page_is_framed_for_whoever_is_signed_in(web_client: TestClient, world: World) -> None:
    """The exception handlers' pages carry the same header as every page: the reader's name and role, the inbox
    with its unread count, sign-out; signed out, none of it."""
    signed_out = web_client.get("/no/such/page", headers=BROWSER)
    _is_error_page(signed_out, 404, "页面不存在")
    assert 'action="/logout"' not in signed_out.text and 'id="inbox"' not in signed_out.text
    sign_in(web_client, world, "brandA")
    for path, status, title in (
        ("/no/such/page", 404, "页面不存在"),  # no route at all
        (f"/analytics/brand/{world['brandB']}", 404, "页面不存在"),  # another tenant's object, raised in a route
        ("/analytics/brand/not-a-number", 422, "输入有误"),  # refused before the route ran
    ):
        page = web_client.get(path, headers=BROWSER)
        _is_error_page(page, status, title)
        assert f"brandA_{world.tag} · 品牌经理" in page.text, path
        assert 'id="inbox"' in page.text and "data-count-url=" in page.text
        assert 'action="/logout"' in page.text
    web_client.cookies.set("lang", "en")
    english = web_client.get("/no/such/page", headers=BROWSER)
    assert f"brandA_{world.tag} · brand manager" in english.text and "Sign out" in english.text
