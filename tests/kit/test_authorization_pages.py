"""Every page route, every role, as a browser asks: another tenant's object (or one that does not exist) is an
HTML 404 page or the sign-in page, never the object, never a change and never raw JSON.

The routes come from the application itself, so a page added later is walked too; a route whose path parameter
names no world object here fails the walk until its objects are declared below (`OBJECTS`, `FORMS`)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.fixtures.pages import SAME_ORIGIN, sign_in
from tests.fixtures.world import World
from tests.kit.test_authorization import add_grades

from wanghong.accounts.models import ApiToken
from wanghong.kit.db.base import Base
from wanghong.kit.db.session import Database

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
UNKNOWN = 987_654_321  # an id no world holds
# Which world objects stand in for each path parameter; a tenant user's foreign ones are the B side.
OBJECTS: dict[str, tuple[str, ...]] = {
    "campaign_id": ("campaignA", "campaignB"),
    "collaboration_id": ("collabA", "collabB"),
    "product_id": ("productA", "productB"),
    "creator_id": ("creatorA1", "creatorB1"),
    "penalty_id": ("penaltyA", "penaltyB"),
    "listing_id": ("listingA", "listingB"),
    "request_id": ("sampleA", "sampleB"),
    "item_id": ("cartA", "cartB"),
    "signing_id": ("signingA", "signingB"),
    "pack_id": ("packA", "packB"),
    "task_id": ("reviewA", "reviewB"),
    "appeal_id": ("appealA", "appealB"),
    "brand_id": ("brandA", "brandB"),
    "mcn_id": ("mcnA", "mcnB"),
    "org_id": ("brandA", "brandB"),  # /workspace/subjects/{kind}/{org_id}, walked with kind "brand"
    "session_id": ("liveA", "liveB"),
    "livestream_id": ("liveA", "liveB"),
    "order_id": ("orderA", "orderB"),
    "grade_id": ("gradeA", "gradeB"),
    # Growth programmes are open to every role: only an unknown id is foreign.
    "programme_id": (),
}
# Where a parameter's name means another room's object than OBJECTS says.
ROUTE_OBJECTS: dict[str, tuple[str, ...]] = {
    "/workspace/xinghuo/appeals/{appeal_id}/decision": ("gradeAppealA", "gradeAppealB"),  # growth's, not a penalty's
}
# Path parameters that name no object of a tenant: a fixed value stands in for them.
FIXED = {"kind": "brand", "key": "shelf_life", "filename": "creators.csv"}
# The frame's own routes: assets and the language switch, no object behind them.
FRAME_ROUTES = {"/static/{name}.js", "/static/swagger/{name}", "/lang/{language}"}
# The form each step posts, enough to pass the form's own validation so that the refusal is about the object.
FORMS: dict[str, dict[str, Any]] = {
    "/workspace/campaigns/{campaign_id}/status": {"to": "closed"},
    "/workspace/collaborations/{collaboration_id}/transitions": {"to": "cancelled", "note": "walk"},
    "/workspace/penalties/{penalty_id}/appeal": {"reason": "walk"},
    "/workspace/products/{product_id}/facts": {"key": "shelf_life", "text": "保质期 24 个月"},
    "/workspace/products/{product_id}/facts/{key}/retire": {},
    "/workspace/creators/{creator_id}/favourite": {"keep": "1"},
    "/workspace/selection/listings/{listing_id}": {"commission": "20", "sample_policy": "free", "status": "closed"},
    "/workspace/selection/{listing_id}/samples": {"address": "杭州市西湖区文三路 1 号", "request_key": "walk"},
    "/workspace/selection/{listing_id}/cart": {"livestream_id": "{liveA}"},
    "/workspace/samples/{request_id}/decision": {"decision": "approved"},
    "/workspace/samples/cart/{item_id}/remove": {},
    "/workspace/collaborations/{collaboration_id}/content/check": {
        "title": "walk",
        "video_url": "https://example.com/v/walk",
        "script": "walk",
    },
    "/workspace/collaborations/{collaboration_id}/content": {
        "title": "walk",
        "video_url": "https://example.com/v/walk",
        "script": "walk",
    },
    "/workspace/roster/{creator_id}/release": {"message": "walk"},
    "/workspace/roster/requests/{signing_id}/withdraw": {},
    "/workspace/signing/{signing_id}/decision": {"decision": "confirm"},
    "/workspace/subjects/{kind}/{org_id}/decision": {"action": "suspend", "reason": "walk"},
    "/workspace/audience/packs/{pack_id}/size": {"epsilon": "0.1"},
    "/workspace/audience/packs/{pack_id}/delete": {},
    "/workspace/audience/packs/{pack_id}/export": {},
    "/compliance/review/{task_id}": {"decision": "confirmed"},
    "/compliance/appeals/{appeal_id}": {"decision": "uphold"},
    "/workspace/aftersales/{order_id}/refund": {"reason": "walk"},
    "/workspace/aftersales/{order_id}/complaint": {"category": "quality", "detail": "walk"},
    "/workspace/agency/grades/{grade_id}/appeal": {"reason": "walk", "requested": "S"},
    "/workspace/xinghuo/grades/{grade_id}/override": {"tier": "S", "seen": "A", "reason": "walk"},
    "/workspace/xinghuo/appeals/{appeal_id}/decision": {"decision": "reject", "note": "walk"},
    "/workspace/growth/{programme_id}/enrol": {},
    "/workspace/growth/{programme_id}/rewards": {},
}
# A form value "{key}" is the world object's id.
# What each tenant user may see of the world's objects (the rest are another tenant's).
# Both sides of the brand's collaboration with the agency's creator read it, its samples, cart, live and orders.
_BOTH_SIDES = ("collabA", "sampleA", "cartA", "liveA", "orderA")
OWN: dict[str, set[str]] = {
    "brandA": {"brandA", "campaignA", "productA", "listingA", "packA", *_BOTH_SIDES},
    "mcnA": {"mcnA", "creatorA1", "penaltyA", "appealA", "signingA", "gradeA", "gradeAppealA", *_BOTH_SIDES},
    "creatorA1": {"creatorA1", "penaltyA", "appealA", "signingA", *_BOTH_SIDES},
}
# Objects every account of a role reads, whoever owns them: a brand shops among every creator (达人广场, 收藏夹,
# audience), and creators and MCNs among every brand's open listings (选品广场).
PUBLIC = {
    "mcnA": {"/workspace/selection/{listing_id}/samples", "/workspace/selection/{listing_id}/cart"},
    "creatorA1": {"/workspace/selection/{listing_id}/samples", "/workspace/selection/{listing_id}/cart"},
    "brandA": {
        "/workspace/creators/{creator_id}",
        "/workspace/creators/{creator_id}/favourite",
        "/workspace/creators/{creator_id}/audience",
    },
}
# Roles that read across tenants: only an object that does not exist is foreign to them.
PLATFORM_USERS = ("admin", "reviewer", "regulator")


def _table_counts(db: Database) -> dict[str, int]:
    with db.transaction() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
            for m in Base.__subclasses__()
            if m is not ApiToken
        }


def page_routes(client: TestClient) -> list[tuple[str, str]]:
    """(method, path) of every route outside the API, as mounted now."""
    routes = []
    for context in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        path = context.path or ""
        if path.startswith("/api/"):
            continue
        for method in sorted(getattr(context.original_route, "methods", None) or ()):
            if method != "HEAD":
                routes.append((method, path))
    # A test that mounts a router again (the report page, before the composition root did) repeats its routes.
    return list(dict.fromkeys(routes))


def _urls(world: World, user: str, path: str) -> list[str]:
    """The path with each of the user's foreign objects (and an unknown one) in its object parameter."""
    names = re.findall(r"\{(\w+)\}", path)
    objects = [n for n in names if n not in FIXED]
    assert len(objects) == 1, f"{path}: name its object parameter in OBJECTS or its fixed value in FIXED"
    (param,) = objects
    assert param in OBJECTS, f"{path}: path parameter {param!r} names no world object; extend OBJECTS"
    keys = ROUTE_OBJECTS.get(path, OBJECTS[param])
    own = OWN.get(user)
    idents = [UNKNOWN] + ([world[key] for key in keys if key not in own] if own is not None else [])
    url = path
    for name, value in FIXED.items():
        url = url.replace(f"{{{name}}}", value)
    return [url.replace(f"{{{param}}}", str(ident)) for ident in idents]


# Steps a role is refused with a 422 before any object is looked up, whatever the id (their own, another tenant's,
# none): an administrator must name the agency or brand it acts for; only a creator enrols.
_NOT_CREATORS = {"brandA", "mcnA", "admin", "reviewer", "regulator"}
FORM_REFUSED: dict[str, set[str]] = {
    "/workspace/agency/grades/{grade_id}/appeal": {"admin"},
    "/workspace/creators/{creator_id}/favourite": {"admin"},
    "/workspace/growth/{programme_id}/enrol": _NOT_CREATORS,
}


def _refused(response: Any, user: str, path: str) -> bool:
    """A foreign object's answer: an HTML 404 (or 403) page, or the sign-in page for a role that may not look.

    A step's form is checked after its object: a foreign id is a 404 even when the form would not pass, so a 422
    is only right where the role is refused the step outright (`FORM_REFUSED`)."""
    if response.status_code == 303:
        return bool(response.headers["location"] == "/login")
    allowed = (403, 404, 422) if user in FORM_REFUSED.get(path, set()) else (403, 404)
    return response.status_code in allowed and response.headers["content-type"].startswith("text/html")


def test_every_page_route_refuses_foreign_objects_to_every_role(
    web_client: TestClient, world: World, db: Database, database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the pages call the services the API walk proves on both backends; one page walk is enough")
    world = add_grades(db, world)
    # A route whose parameters are all fixed (the platform board's exports) names no tenant's object.
    routes = [
        (m, p)
        for m, p in page_routes(web_client)
        if p not in FRAME_ROUTES and set(re.findall(r"\{(\w+)\}", p)) - set(FIXED)
    ]
    assert len(routes) > 30
    # An entry for a step that is gone (renamed, moved) would silently stop guarding its successor.
    declared = {*FORMS, *FORM_REFUSED, *ROUTE_OBJECTS}
    assert declared <= {p for _, p in routes}, (
        f"entries for pages that are gone: {sorted(declared - {p for _, p in routes})}"
    )
    before = _table_counts(db)
    checked = 0
    for user in (*OWN, *PLATFORM_USERS):
        web_client.cookies.clear()
        token = sign_in(web_client, world, user)
        for method, path in routes:
            if path in PUBLIC.get(user, set()):
                continue
            if method == "POST":
                assert path in FORMS, f"POST {path}: declare the form its step posts in FORMS"
            for url in _urls(world, user, path):
                if method == "GET":
                    response = web_client.get(url, headers=BROWSER, follow_redirects=False)
                else:
                    form = {k: str(v).format(**world.ids) for k, v in FORMS[path].items()} | {"csrf_token": token}
                    headers = BROWSER | SAME_ORIGIN
                    response = web_client.post(url, data=form, headers=headers, follow_redirects=False)
                reason = re.findall(r'role="alert">([^<]*)', response.text)
                assert _refused(response, user, path), (user, method, url, response.status_code, reason)
                checked += 1
    assert checked > 150
    # Signing in writes tokens only; every refused step left the rest as it was.
    assert _table_counts(db) == before
