"""Every route, every role: no cross-tenant read or write succeeds, and foreign objects answer 404."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.fixtures.world import World

from wanghong.accounts.models import ApiToken
from wanghong.domain import McnTier
from wanghong.growth.models import GradeAppeal, McnGrade
from wanghong.kit.db.base import Base
from wanghong.kit.db.session import Database

# What each world user may see, per resource: the oracle the API is checked against.
VISIBLE: dict[str, dict[str, set[str]]] = {
    "reviewer": {
        "review-tasks": {"reviewA", "reviewB"},
        "violations": {"violationA", "violationB"},
        "compliance/penalties": {"penaltyA", "penaltyB"},
        "compliance/appeals": {"appealA", "appealB"},
        "originality/claims": {"claimA", "claimB"},
    },
    "brandA": {
        "brands": {"brandA"},
        "products": {"productA"},
        "campaigns": {"campaignA"},
        "collaborations": {"collabA"},
        "livestreams": {"liveA"},
        "orders": {"orderA"},
        "selection/listings": {"listingA"},
        "selection/samples": {"sampleA"},
        "selection/cart-items": {"cartA"},
        "selection/content-versions": {"versionA"},
        "governance/subjects": {"subjectBrandA"},
        "favourites": {"favouriteA"},
        "audience/packs": {"packA"},
    },
    "mcnA": {
        "mcns": {"mcnA"},
        "creators": {"creatorA1", "creatorA2"},
        "collaborations": {"collabA"},
        "videos": {"videoA"},
        "livestreams": {"liveA"},
        "orders": {"orderA"},
        "violations": {"violationA"},
        "compliance/penalties": {"penaltyA"},
        "compliance/appeals": {"appealA"},
        "originality/claims": {"claimA"},
        "selection/samples": {"sampleA"},
        "selection/cart-items": {"cartA"},
        "selection/content-versions": {"versionA"},
        "governance/subjects": {"subjectCreatorA1"},
        "agency/signings": {"signingA"},
        "growth/grades": {"gradeA"},
        "growth/appeals": {"gradeAppealA"},
    },
    "creatorA1": {
        "creators": {"creatorA1"},
        "collaborations": {"collabA"},
        "videos": {"videoA"},
        "livestreams": {"liveA"},
        "orders": {"orderA"},
        "violations": {"violationA"},
        "compliance/penalties": {"penaltyA"},
        "compliance/appeals": {"appealA"},
        "originality/claims": {"claimA"},
        "selection/samples": {"sampleA"},
        "selection/cart-items": {"cartA"},
        "selection/content-versions": {"versionA"},
        "governance/subjects": {"subjectCreatorA1"},
        "agency/signings": {"signingA"},
    },
}
# The world's objects of each resource (the viewer lives in a shared table and is checked separately).
OBJECTS: dict[str, list[str]] = {
    "mcns": ["mcnA", "mcnB"],
    "creators": ["creatorA1", "creatorA2", "creatorB1"],
    "brands": ["brandA", "brandB"],
    "products": ["productA", "productB"],
    "campaigns": ["campaignA", "campaignB"],
    "collaborations": ["collabA", "collabB"],
    "videos": ["videoA", "videoB"],
    "livestreams": ["liveA", "liveB"],
    "orders": ["orderA", "orderB"],
    "viewers": ["viewer"],
    "violations": ["violationA", "violationB"],
    "review-tasks": ["reviewA", "reviewB"],
    "audit-log": ["audit"],
    "compliance/penalties": ["penaltyA", "penaltyB"],
    "compliance/appeals": ["appealA", "appealB"],
    "originality/claims": ["claimA", "claimB"],
    "favourites": ["favouriteA", "favouriteB"],
    "agency/signings": ["signingA", "signingB"],
    "selection/listings": ["listingA", "listingB"],
    "selection/samples": ["sampleA", "sampleB"],
    "selection/cart-items": ["cartA", "cartB"],
    "selection/content-versions": ["versionA", "versionB"],
    "governance/subjects": ["subjectBrandA", "subjectBrandB", "subjectCreatorA1", "subjectCreatorB1"],
    "audience/packs": ["packA", "packB"],
    "growth/grades": ["gradeA", "gradeB"],
    "growth/appeals": ["gradeAppealA", "gradeAppealB"],
}
# Resources whose rows have no list route of their own (a grade's appeals are read with the grade).
UNLISTED = {"growth/appeals"}
AsUser = Callable[[str], dict[str, str]]  # the `as_user` fixture: a world user's Authorization header
UNKNOWN = 987_654_321  # an id no world holds: it must answer exactly as another tenant's object does
# Which world objects stand in for the {ident} of each operation path.
OPERATION_RESOURCE = {
    "/collaborations/{ident}/transitions": "collaborations",
    "/mcns/{ident}/tier": "mcns",
    "/mcns/{ident}/tier-history": "mcns",
    "/creators/{ident}/persona": "creators",
    "/review-tasks/{ident}/decision": "review-tasks",
    "/products/{ident}/matches": "products",
    "/compliance/penalties/{ident}": "compliance/penalties",
    "/compliance/appeals/{ident}/decision": "compliance/appeals",
    "/originality/claims/{ident}/decision": "originality/claims",
    "/agency/signings/{ident}": "agency/signings",
    "/agency/signings/{ident}/decision": "agency/signings",
    "/selection/listings/{ident}": "selection/listings",
    "/selection/samples/{ident}/decision": "selection/samples",
    "/selection/cart-items/{ident}": "selection/cart-items",
    "/governance/subjects/{ident}": "governance/subjects",
    "/governance/subjects/{ident}/decision": "governance/subjects",
    "/audience/packs/{ident}": "audience/packs",
    "/audience/packs/{ident}/size": "audience/packs",
    "/audience/packs/{ident}/export": "audience/packs",
    "/audience/packs/{ident}/lookalike": "audience/packs",
    "/audience/packs/{ident}/creators": "audience/packs",
    "/governance/products/{ident}/prices": "products",
    "/governance/livestreams/{ident}/speech": "livestreams",
    "/fraud/creators/{ident}/quality": "creators",
    "/growth/grades/{ident}/override": "growth/grades",
    "/growth/grades/{ident}/appeals": "growth/grades",
    "/growth/appeals/{ident}/decision": "growth/appeals",
}
# Objects every signed-in role reads, whoever owns them: only an id nobody holds is foreign. A creator's
# audience-quality score is the marketplace's shared figure (达人详情, 选品中心); growth programmes are open to all.
PUBLIC = {
    "/fraud/creators/{ident}/quality",
    "/growth/programmes/{ident}/effect",
    "/growth/programmes/{ident}/enrolments",
    "/growth/programmes/{ident}/rewards:pay",
}
# Users with no say in a route at all: refused for every id alike (their own, another tenant's, one nobody holds),
# so the refusal tells nothing about which objects exist. Operator steps are the admin's; an appeal is the
# agency's; enrolment is the creator's (growth answers that one 422, 'enrolment is for creators').
_NOT_ADMIN = {"reviewer", "brandA", "mcnA", "creatorA1"}
ROLE_REFUSED: dict[str, set[str]] = {
    "/growth/grades/{ident}/override": _NOT_ADMIN,
    "/growth/appeals/{ident}/decision": _NOT_ADMIN,
    "/growth/programmes/{ident}/rewards:pay": _NOT_ADMIN,
    "/growth/grades/{ident}/appeals": {"reviewer", "brandA", "creatorA1"},
    "/growth/programmes/{ident}/enrolments": {"reviewer", "brandA", "mcnA"},
}
# Platform-wide objects without a tenant: a role with no say in them is refused outright (403).
ROLE_GATED = {"/compliance/library/entries/{ident}": ["ABS-001"]}
BODIES = {
    "/collaborations/{ident}/transitions": {"to": "accepted"},
    "/mcns/{ident}/tier": {"tier": "S"},
    "/creators/{ident}/persona": {"segments": {"students": 1.0}},
    "/review-tasks/{ident}/decision": {"decision": "confirmed"},
    "/compliance/appeals/{ident}/decision": {"decision": "accepted"},
    "/originality/claims/{ident}/decision": {"decision": "confirm"},
    "/agency/signings/{ident}/decision": {"decision": "confirm"},
    "/compliance/library/entries/{ident}": {"severity": "low"},
    "/products/{ident}/facts/{ident}": {"text": "保质期 24 个月"},
    "/products/{ident}/assistant/answers": {"question": "保质期多久？"},
    "/creators/{ident}/rate-card": {"video_short": "100", "live_commission_rate": 0.2},
    "/selection/listings/{ident}": {"status": "closed"},
    "/selection/samples/{ident}/decision": {"decision": "approved"},
    "/governance/subjects/{ident}/decision": {"action": "suspend", "reason": "walk"},
    "/audience/packs/{ident}": {"name": "walk"},
    "/audience/packs/{ident}/size": {"epsilon": 0.1},
    "/governance/livestreams/{ident}/speech": {
        "segments": [{"seq": 1, "text": "全网最低", "said_at": "2026-11-01T12:00:00Z"}]
    },
    "/orders/{ident}/refund": {"reason": "walk"},
    "/orders/{ident}/complaints": {"category": "quality", "detail": "walk"},
    "/growth/grades/{ident}/override": {"tier": "S", "seen": "A", "reason": "walk"},
    "/growth/grades/{ident}/appeals": {"reason": "walk", "requested_grade": "S"},
    "/growth/appeals/{ident}/decision": {"decision": "reject", "note": "walk"},
}


def add_grades(db: Database, world: World) -> World:
    """Give the world's agencies a 星火计划 grade each and a pending appeal against it. Kept out of the shared world:
    growth's own tests count and grade the world's agencies month by month."""
    with db.transaction() as s:
        for side in "AB":
            grade = McnGrade(
                mcn_id=world[f"mcn{side}"], month=date(2001, 1, 1), score=70.0, grade=McnTier.A, indicators={}
            )
            s.add(grade)
            s.flush()
            appeal = GradeAppeal(grade_id=grade.id, mcn_id=grade.mcn_id, requested_grade=McnTier.S, reason="walk")
            s.add(appeal)
            s.flush()
            world.ids[f"grade{side}"], world.ids[f"gradeAppeal{side}"] = grade.id, appeal.id
    return world


@pytest.fixture
def graded_world(db: Database, world: World) -> World:
    return add_grades(db, world)


def _table_counts(db: Database) -> dict[str, int]:
    with db.transaction() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
            for m in Base.__subclasses__()
            if m is not ApiToken
        }


def _foreign(world: World, user: str, resource: str) -> list[int]:
    mine = VISIBLE.get(user, {}).get(resource, set())
    return [world[key] for key in OBJECTS.get(resource, []) if key not in mine]


@pytest.mark.parametrize("user", ["reviewer", "brandA", "mcnA", "creatorA1"])
def test_listing_shows_exactly_the_own_tenant(
    app_client: TestClient, graded_world: World, as_user: AsUser, user: str
) -> None:
    world = graded_world
    for resource, keys in OBJECTS.items():
        if resource in UNLISTED:
            continue
        response = app_client.get(f"/api/v1/{resource}", params={"limit": 200}, headers=as_user(user))
        if response.status_code == 200:
            body = response.json()
            # Engine routers list plain arrays; the generic resources return cursor pages, walked to the end
            # (the reviewer reads every world's rows, so this world's may lie past the first page).
            seen = {item["id"] for item in (body["items"] if isinstance(body, dict) else body)}
            while isinstance(body, dict) and body.get("next_cursor"):
                params = {"limit": 200, "cursor": body["next_cursor"]}
                body = app_client.get(f"/api/v1/{resource}", params=params, headers=as_user(user)).json()
                seen |= {item["id"] for item in body["items"]}
            world_ids = {world[k] for k in keys}
            expected = {world[k] for k in VISIBLE.get(user, {}).get(resource, set())}
            assert seen & world_ids == expected, (user, resource)
            other_worlds = seen - world_ids
            # Objects of other test worlds are other tenants too, except for the reviewer's shared queue.
            assert not other_worlds or (user == "reviewer" and resource in VISIBLE["reviewer"]), (user, resource)
        else:
            assert response.status_code == 403, (user, resource, response.text)


def test_every_route_refuses_foreign_objects_to_every_role(
    app_client: TestClient, graded_world: World, db: Database, as_user: AsUser
) -> None:
    world = graded_world
    paths = app_client.get("/api/v1/openapi.json").json()["paths"]
    before = _table_counts(db)
    checked = 0
    walked: set[str] = set()

    def ask(user: str, method: str, url: str, relative: str) -> tuple[int, str]:
        body = BODIES.get(relative, {}) if method in ("post", "put", "patch") else None
        response = app_client.request(method.upper(), url, json=body, headers=as_user(user))
        return response.status_code, response.headers.get("content-type", "")

    for raw_path, methods in paths.items():
        # Every path parameter names the object the route acts on; the walk feeds it foreign ids.
        path = re.sub(r"\{[a-z_]+\}", "{ident}", raw_path)
        if "{ident}" not in path:
            continue
        relative = path.removeprefix("/api/v1")
        walked.add(relative)
        if relative in ROLE_GATED:
            for user in VISIBLE:
                for entry in ROLE_GATED[relative]:
                    for method in methods:
                        url = path.replace("{ident}", entry)
                        status, _ = ask(user, method, url, relative)
                        assert status == 403, (user, method, url, status)
                        checked += 1
            continue
        resource = OPERATION_RESOURCE.get(relative) or relative.split("/")[1]
        assert relative in PUBLIC or resource in OBJECTS, (
            f"route {path} has no world objects; extend OBJECTS/OPERATION_RESOURCE (or PUBLIC)"
        )
        for user in VISIBLE:
            if user in ROLE_REFUSED.get(relative, set()):
                # No say in the route: one answer (403, or growth's 422) whatever the id, own ones included.
                idents = [world[key] for key in OBJECTS.get(resource, [])] + [UNKNOWN]
                for method in methods:
                    answers = {ask(user, method, path.replace("{ident}", str(i)), relative)[0] for i in idents}
                    assert len(answers) == 1 and answers <= {403, 422}, (user, method, path, answers)
                    checked += len(idents)
                continue
            foreign = [] if relative in PUBLIC else _foreign(world, user, resource)
            for ident in [*foreign, UNKNOWN]:
                for method in methods:
                    url = path.replace("{ident}", str(ident))
                    status, content_type = ask(user, method, url, relative)
                    assert status == 404, (user, method, url, status)
                    assert content_type == "application/problem+json"
                    checked += 1
    assert checked > 100
    # A table entry for a route that is gone (renamed, moved) would silently stop guarding its successor.
    declared = {*OPERATION_RESOURCE, *PUBLIC, *ROLE_REFUSED, *ROLE_GATED, *BODIES}
    assert declared <= walked, f"entries for routes the API no longer has: {sorted(declared - walked)}"
    after = _table_counts(db)
    # Signing in writes audit-free tokens only; the walk must have changed nothing else.
    assert after == before


def test_tenants_cannot_create_rows_owned_by_another_tenant(
    app_client: TestClient, world: World, as_user: AsUser
) -> None:
    attempts = [
        ("brandA", "products", {"brand_id": world["brandB"], "name": "x", "category": "beauty", "price": "1"}),
        ("brandA", "campaigns", {"brand_id": world["brandB"], "name": "x"}),
        (
            "brandA",
            "collaborations",
            {"campaign_id": world["campaignB"], "creator_id": world["creatorA1"], "mode": "creator_distribution"},
        ),
        (
            "brandA",
            "collaborations",
            {
                "campaign_id": world["campaignA"],
                "creator_id": world["creatorA1"],
                "product_id": world["productB"],
                "mode": "creator_distribution",
            },
        ),
        ("mcnA", "creators", {"handle": "poach_x", "display_name": "x", "mcn_id": world["mcnB"]}),
        ("mcnA", "videos", {"creator_id": world["creatorB1"], "title": "x", "published_at": "2026-11-01T00:00:00Z"}),
        (
            "creatorA1",
            "videos",
            {"creator_id": world["creatorA2"], "title": "x", "published_at": "2026-11-01T00:00:00Z"},
        ),
        (
            "creatorA1",
            "livestreams",
            {
                "creator_id": world["creatorA1"],
                "collaboration_id": world["collabB"],
                "started_at": "2026-11-01T00:00:00Z",
            },
        ),
    ]
    for user, resource, body in attempts:
        response = app_client.post(f"/api/v1/{resource}", json=body, headers=as_user(user))
        assert response.status_code == 404, (user, resource, response.text)


def test_roles_without_a_say_get_403(app_client: TestClient, world: World, as_user: AsUser) -> None:
    cases = [
        ("reviewer", "post", "/api/v1/products", {"name": "x", "category": "beauty", "price": "1"}),
        ("creatorA1", "post", "/api/v1/creators", {"handle": "self_made", "display_name": "x"}),
        ("mcnA", "post", "/api/v1/users", {"username": "intruder", "password": "12345678", "role": "admin"}),
        ("brandA", "post", "/api/v1/events:batch", {"events": [{"event_id": "e1", "type": "order", "payload": {}}]}),
        ("creatorA1", "patch", f"/api/v1/creators/{world['creatorA1']}", {"verification_status": "verified"}),
    ]
    for user, method, url, body in cases:
        response = app_client.request(method.upper(), url, json=body, headers=as_user(user))
        assert response.status_code in (403, 422), (user, url, response.text)
        if response.status_code == 403:
            assert "admin" in response.json()["detail"]


def test_unauthenticated_requests_are_refused(app_client: TestClient) -> None:
    response = app_client.get("/api/v1/creators")
    assert response.status_code == 401
    assert re.search("sign in", response.json()["detail"])
    assert app_client.get("/api/v1/creators", headers={"Authorization": "Bearer nope"}).status_code == 401
