"""A creator's audience page (composition with TGI and sample size, zh/en, who may see it) and targeting inside
选品中心: a brand picks one of its packs and creators whose fans over-index on it rank higher, TGI shown."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.audience.crowd import Crowd, build_crowd
from tests.fixtures.pages import sign_in
from tests.fixtures.world import World
from wanghong.accounts.models import User
from wanghong.accounts.principal import Principal
from wanghong.audience import service
from wanghong.audience.schemas import PackIn
from wanghong.kit.db.session import Database
from wanghong.matching.page import targeted


@pytest.fixture
def crowd(db: Database, world: World) -> Crowd:
    return build_crowd(db, world)


def _principal(db: Database, world: World, user: str) -> Principal:
    with db.transaction() as s:
        return Principal.of(s.scalars(select(User).where(User.username == f"{user}_{world.tag}")).one())


def test_creator_audience_page_shows_composition_with_tgi_and_sample(
    web_client: TestClient, world: World, crowd: Crowd
) -> None:
    sign_in(web_client, world, "brandA")
    page = web_client.get(f"/workspace/creators/{crowd['momCreator']}/audience")
    assert page.status_code == 200, page.text
    assert "达人受众构成" in page.text and '<svg class="composition"' in page.text
    sample = int(re.search(r'data-sample="(\d+)"', page.text).group(1))  # type: ignore[union-attr]
    assert sample >= 150
    # The segment the crowd planted leads, with a TGI above the platform's 100.
    rows = re.findall(r'<tr data-segment="(\w+)">.*?<td class="num[^"]*">(\d+)</td></tr>', page.text, re.S)
    assert rows[0][0] == "young_mothers" and int(rows[0][1]) > 150
    assert "宝妈" in page.text and f'href="/workspace/creators/{crowd["momCreator"]}"' in page.text

    # A creator without recorded behaviour says so instead of drawing an empty chart.
    quiet = web_client.get(f"/workspace/creators/{world['creatorB1']}/audience")
    assert quiet.status_code == 200 and 'id="no-audience"' in quiet.text and "<svg" not in quiet.text

    web_client.cookies.set("lang", "en")
    english = web_client.get(f"/workspace/creators/{crowd['momCreator']}/audience")
    assert "Creator audience" in english.text and "young mothers" in english.text.lower()
    assert not re.search(r"[\u4e00-\u9fff]", english.text.split("<main>")[1].split('<svg class="composition"')[0])


def test_creator_audience_page_is_for_those_who_may_look_the_creator_up(
    web_client: TestClient, world: World, crowd: Crowd
) -> None:
    sign_in(web_client, world, "mcnB")  # the mom creator is signed to MCN A
    refused = web_client.get(f"/workspace/creators/{crowd['momCreator']}/audience")
    assert refused.status_code == 404 and "text/html" in refused.headers["content-type"]
    assert web_client.get("/workspace/creators/0/audience").status_code == 422


def test_targeted_ranking_weights_by_reliable_tgi_within_bounds() -> None:
    release = service.PrivacyRelease(released={})

    def line(creator_id: int, tgi: float, reliable: bool = True) -> service.Reach:
        return service.Reach(creator_id, 100, 10, tgi / 1000, tgi, tgi, reliable)  # lower bound = point here

    lines = (line(2, 400.0), line(3, 900.0, reliable=False), line(4, 20.0), line(5, 100.0))
    targeting = service.Targeting(1, release, lines)
    items = [
        {"rank": 1, "creator_id": 1, "score": 0.50},  # not in the release: unweighted
        {"rank": 2, "creator_id": 2, "score": 0.30},  # 4× the reference (median TGI 100) → ×2 (the bound)
        {"rank": 3, "creator_id": 3, "score": 0.29},  # unreliable: unweighted however high its TGI
        {"rank": 4, "creator_id": 4, "score": 0.28},  # a fifth of the median → ×0.5 (the bound): 0.14
        {"rank": 5, "creator_id": 5, "score": 0.20},  # at the median: unchanged
    ]
    ranked = targeted(items, targeting, k=4)
    assert [(item["creator_id"], item["rank"]) for item in ranked] == [(2, 1), (1, 2), (3, 3), (5, 4)]
    assert ranked[0]["targeted_score"] == pytest.approx(0.6) and ranked[0]["tgi"] == 400
    assert ranked[1]["tgi"] is None and ranked[2]["tgi_reliable"] is False
    assert ranked[3]["targeted_score"] == pytest.approx(0.2)


def test_matching_page_targets_a_released_pack(
    web_client: TestClient, world: World, crowd: Crowd, db: Database
) -> None:
    brand = _principal(db, world, "brandA")
    definition = {"kind": "followed_creator", "creator_id": crowd["momCreator"]}
    with db.transaction() as s:
        pack = service.create_pack(s, brand, PackIn.model_validate({"name": "母婴粉丝", "definition": definition}))
    sign_in(web_client, world, "brandA")
    base = f"/matching?product_id={crowd['babyProduct']}&exclude_penalised=false&submitted=true&k=50"

    # Before any release the page says what to do and ranks as without a pack.
    early = web_client.get(f"{base}&pack={pack.id}")
    assert early.status_code == 200 and 'id="pack-error"' in early.text and 'id="targeted"' not in early.text
    assert f'href="/workspace/audience?pack={pack.id}"' in early.text

    with db.transaction() as s:
        service.release_size(s, brand, pack.id, 4.0)
        spent = service.budget(s, world["brandA"]).spent
    plain = web_client.get(base)
    aimed = web_client.get(f"{base}&pack={pack.id}")
    assert aimed.status_code == 200 and 'id="targeted"' in aimed.text and "<th>TGI</th>" in aimed.text
    assert f'<option value="{pack.id}" selected>母婴粉丝</option>' in aimed.text

    def rows(html: str) -> list[tuple[int, str, str]]:
        """(creator id, handle, the row's html) in the order shown."""
        found = []
        for row in html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]:
            ident = re.search(r'class="propose" data-creator="(\d+)"', row)
            handle = re.search(r"@([\w]+)", row)
            if ident and handle:
                found.append((int(ident.group(1)), handle.group(1), row))
        return found

    def score(row: str) -> float:
        return float(re.search(r'<td class="score">(-?[\d.]+)</td>', row).group(1))  # type: ignore[union-attr]

    ours = crowd["momCreator"]
    aimed_rows, plain_rows = rows(aimed.text), rows(plain.text)
    ranked, before = [ident for ident, _, _ in aimed_rows], [ident for ident, _, _ in plain_rows]
    assert ours in ranked
    if ours in before:
        assert ranked.index(ours) <= before.index(ours)
    row = next(html for ident, _, html in aimed_rows if ident == ours)
    assert int(re.search(r'data-tgi="(\d+)"', row).group(1)) > 100  # type: ignore[union-attr]
    # Its score is lifted by the pack; other test worlds' mom creators, whose fans are not in it, keep theirs.
    plain_scores = {ident: score(html) for ident, _, html in plain_rows}
    if ours in plain_scores:
        assert score(row) > plain_scores[ours]
    clones = [(ident, html) for ident, handle, html in aimed_rows if handle.startswith("momCreator_") and ident != ours]
    for ident, html in clones:
        if ident in plain_scores and 'data-tgi=""' in html:
            assert score(html) == plain_scores[ident]
    with db.transaction() as s:
        assert service.budget(s, world["brandA"]).spent == spent  # looking at targeting spent nothing

    # Another brand's pack is a 404, named nowhere on the page.
    foreign = web_client.get(f"{base}&pack={world['packB']}")
    assert foreign.status_code == 404 and 'id="targeted"' not in foreign.text
