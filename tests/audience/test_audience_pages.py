"""人群洞察 page: a brand releases segment sizes, builds a pack from the form (its noised size and the ε left show),
expands it and reads the targeted creators; refused steps say why; another brand's pack is a 404 page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.audience.crowd import Crowd, build_crowd
from tests.fixtures.pages import SAME_ORIGIN
from tests.fixtures.pages import sign_in as _sign_in
from tests.fixtures.world import World
from wanghong.analytics.metrics import METRICS
from wanghong.audience.models import CrowdPack, PrivacyRelease, ReleaseKind
from wanghong.kit.db.session import Database


@pytest.fixture
def crowd(db: Database, world: World) -> Crowd:
    return build_crowd(db, world)


def _post(client: TestClient, token: str, path: str, form: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(path, data=form | {"csrf_token": token}, headers=SAME_ORIGIN, follow_redirects=False)


def test_brand_builds_expands_and_targets_from_the_page(
    web_client: TestClient, world: World, crowd: Crowd, db: Database
) -> None:
    token = _sign_in(web_client, world, "brandA")
    first = web_client.get("/workspace/audience")
    assert first.status_code == 200 and "人群洞察" in first.text and "本月尚未发布" in first.text
    assert "剩余 ε = 5.00" in first.text

    released = _post(web_client, token, "/workspace/audience/segments", {"epsilon": "0.5"})
    assert released.status_code == 303
    page = web_client.get("/workspace/audience")
    assert '<svg class="bars"' in page.text and "宝妈" in page.text and "剩余 ε = 4.50" in page.text

    built = _post(
        web_client,
        token,
        "/workspace/audience/packs",
        {
            "name": "母婴粉丝宝妈",
            "segments": ["young_mothers"],
            "followed_creator": str(crowd["momCreator"]),
            "combine": "union",
            "exclude": ["silver"],
            "epsilon": "1.0",
        },
    )
    assert built.status_code == 303, built.text
    with db.transaction() as s:
        pack = s.scalars(
            select(CrowdPack).where(CrowdPack.name == "母婴粉丝宝妈", CrowdPack.brand_id == world["brandA"])
        ).one()
        assert pack.brand_id == world["brandA"] and pack.definition["kind"] == "exclusion"
        release = s.scalars(select(PrivacyRelease).where(PrivacyRelease.pack_id == pack.id)).one()
        assert release.kind is ReleaseKind.PACK_SIZE and release.epsilon == 1.0
    page = web_client.get("/workspace/audience")
    assert "剩余 ε = 3.50" in page.text
    assert f"{release.released['size']:,}" in page.text
    assert f"关注 momCreator {world.tag}" in page.text and "排除 银发族" in page.text
    # Every release is listed with the ε it spent, newest first.
    history = page.text.split('id="releases"')[1]
    shown = re.findall(r'<tr data-release="(\d+)">.*?<td class="num">([\d.]+)</td>', history, re.S)
    assert [(int(ident), float(eps)) for ident, eps in shown][:1] == [(release.id, 1.0)]
    assert [float(eps) for _, eps in shown[:2]] == [1.0, 0.5] and "人群包规模与达人触达" in history

    detail = web_client.get(f"/workspace/audience?pack={pack.id}")
    assert detail.status_code == 200
    assert 'id="expansion"' in detail.text and "预估精确率" in detail.text
    assert f'data-creator="{crowd["momCreator"]}"' in detail.text and "触达成员（含噪）" in detail.text
    assert 'id="lookalike-privacy"' in detail.text

    exported = _post(web_client, token, f"/workspace/audience/packs/{pack.id}/export", {})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    lines = exported.text.splitlines()
    assert lines[0].startswith("# HMAC-SHA256 key") and lines[1] == "hashed_id" and len(lines) - 2 >= 50

    # English reads the same page in full.
    web_client.cookies.set("lang", "en")
    english = web_client.get(f"/workspace/audience?pack={pack.id}")
    assert "Lookalike expansion" in english.text and "Targeted creators" in english.text
    assert "follows momCreator" in english.text and "except silver-haired" in english.text
    assert "人群" not in english.text.split("<main>")[1]
    # A pack's size is a noised release: named as 指标说明 names it and marked an estimate, in either language.
    assert f'<th class="num">Latest {METRICS["segment_size"].en.lower()} (estimate)</th>' in english.text
    assert f'<th class="num">最新{METRICS["segment_size"].zh}（预估）</th>' in page.text


def test_refused_steps_show_the_reason_and_foreign_packs_are_404(
    web_client: TestClient, world: World, crowd: Crowd, db: Database
) -> None:
    token = _sign_in(web_client, world, "brandA")
    empty = _post(web_client, token, "/workspace/audience/packs", {"name": "空", "epsilon": "0.1"})
    assert empty.status_code == 422 and "至少一个条件" in empty.text
    wrong_epsilon = _post(web_client, token, "/workspace/audience/segments", {"epsilon": "3"})
    assert wrong_epsilon.status_code == 422
    foreign = web_client.get(f"/workspace/audience?pack={world['packB']}")
    assert foreign.status_code == 404 and "text/html" in foreign.headers["content-type"]
    foreign_size = _post(web_client, token, f"/workspace/audience/packs/{world['packB']}/size", {"epsilon": "0.1"})
    assert foreign_size.status_code == 404
    with db.transaction() as s:
        assert s.scalars(select(PrivacyRelease).where(PrivacyRelease.brand_id == world["brandB"])).first() is None
    small = _post(
        web_client,
        token,
        "/workspace/audience/packs",
        {"name": "直播观众", "watched_livestream": str(world["liveA"]), "epsilon": "0.1"},
    )
    assert small.status_code == 303
    with db.transaction() as s:
        pack = s.scalars(
            select(CrowdPack).where(CrowdPack.name == "直播观众", CrowdPack.brand_id == world["brandA"])
        ).one()
    refused = _post(web_client, token, f"/workspace/audience/packs/{pack.id}/export", {})
    assert refused.status_code == 422 and "不足 50 人" in refused.text
    detail = web_client.get(f"/workspace/audience?pack={pack.id}")
    assert detail.status_code == 200 and "暂无法扩量" in detail.text
