"""`screens.serve`: the one GET route of each workspace page that reads nothing from its address."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.fixtures.pages import sign_in
from tests.fixtures.world import World

from wanghong.agency.page import AGENCY, ROSTER, SIGNING
from wanghong.workspace.page import CAMPAIGNS, MONEY, PENALTIES, PRODUCTS
from wanghong.workspace.payouts_page import PAYOUTS
from wanghong.workspace.screens import Screen, serve

SERVED = (CAMPAIGNS, PRODUCTS, MONEY, PENALTIES, PAYOUTS, ROSTER, SIGNING, AGENCY)


def test_serve_declares_one_get_route_at_the_screen_s_path() -> None:
    router = APIRouter()
    screen = Screen("/workspace/test-serve", "workspace_money.html", lambda session, principal: {}, {})
    serve(router, screen)
    (route,) = router.routes
    assert isinstance(route, APIRoute)
    assert (route.path, route.methods) == ("/workspace/test-serve", {"GET"})


def test_served_pages_send_the_signed_out_to_sign_in_and_show_the_signed_in_their_page(
    web_client: TestClient, world: World
) -> None:
    for screen in SERVED:
        answer = web_client.get(screen.path, follow_redirects=False)
        assert (screen.path, answer.status_code, answer.headers.get("location")) == (screen.path, 303, "/login")
    sign_in(web_client, world, "admin")
    for screen in (CAMPAIGNS, PRODUCTS, MONEY, PAYOUTS):
        page = web_client.get(screen.path)
        assert (screen.path, page.status_code) == (screen.path, 200)
        assert "text/html" in page.headers["content-type"]
