"""The regulator's home: a read-only page of what it may look at (监管看板, the JSON export, the API docs) and how
many creators are held back; and nowhere a regulator can reach shows it a form that writes."""

from __future__ import annotations

import re
from collections import deque
from datetime import timedelta

from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from tests.fixtures.pages import sign_in
from tests.fixtures.world import World

from wanghong.compliance.models import CompliancePenalty
from wanghong.domain import PenaltyKind
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database

BROWSER = {"Accept": "text/html,application/xhtml+xml"}
# Every form's opening tag and the writes a page's script sends.
FORM = re.compile(r"<form\b[^>]*>", re.I)
SCRIPTED_WRITE = re.compile(r"""method:\s*["'](?:POST|PUT|PATCH|DELETE)["']""", re.I)


def _writes(html: str) -> list[str]:
    """The page's forms that change something (all but GET forms and signing out), and its scripted writes."""
    forms = [f for f in FORM.findall(html) if re.search(r'method="post"', f, re.I) and 'action="/logout"' not in f]
    return forms + SCRIPTED_WRITE.findall(html)


def test_the_regulator_lands_on_a_read_only_home(web_client: TestClient, world: World, db: Database) -> None:
    with db.transaction() as s:
        # One creator suspended from live: the home counts it (every tenant's creators, read across tenants).
        now = utcnow()
        s.add(
            CompliancePenalty(
                creator_id=world["creatorB1"],
                kind=PenaltyKind.SUSPENSION,
                reason="多次虚假宣传",
                starts_at=now - timedelta(days=1),
                ends_at=now + timedelta(days=29),
            )
        )
    sign_in(web_client, world, "regulator")
    home = web_client.get("/", headers=BROWSER, follow_redirects=False)
    assert home.status_code == 200
    page = home.text
    assert "监管账号只读" in page
    for href in ('href="/workspace/regulator"', 'href="/api/v1/governance/export?limit=200"', 'href="/api/v1/docs"'):
        assert href in page
    suspended = re.search(
        r'data-metric="standing_suspended"><div class="label">[^<]+</div><div class="value">(\d+)', page
    )
    assert suspended is not None and int(suspended.group(1)) >= 1
    assert _writes(page) == []
    web_client.get("/lang/en", follow_redirects=False)
    english = web_client.get("/", headers=BROWSER).text
    assert "governance records and changes nothing" in english
    assert "Creators suspended from live" in english and "监管看板" not in english


def test_nowhere_the_regulator_can_reach_shows_a_write(web_client: TestClient, world: World) -> None:
    """Every page without an object, and every page linked from those it opens, as the regulator: none of them
    offers a form or a script that writes (signing in and out aside)."""
    sign_in(web_client, world, "regulator")
    pages = [
        context.path
        for context in iter_route_contexts(web_client.app.routes)  # type: ignore[attr-defined]
        if context.path
        and "GET" in (getattr(context.original_route, "methods", None) or ())
        and "{" not in context.path
        and not context.path.startswith(("/api/", "/static/", "/lang/", "/favicon", "/login"))
    ]
    queue, seen, opened = deque(pages), set(pages), 0
    while queue:
        path = queue.popleft()
        response = web_client.get(path, headers=BROWSER, follow_redirects=False)
        assert response.status_code < 500, (path, response.status_code)
        if response.status_code != 200 or not response.headers["content-type"].startswith("text/html"):
            continue
        opened += 1
        assert _writes(response.text) == [], (path, _writes(response.text))
        for link in re.findall(r'href="(/[^"#]*)"', response.text):
            link = link.replace("&amp;", "&")
            if not link.startswith(("/api/", "/static/", "/lang/", "/login")) and link not in seen:
                seen.add(link)
                queue.append(link)
    # Its home, 监管看板 and the pages that show it the same read-only records.
    assert opened >= 2 and "/workspace/regulator" in seen
