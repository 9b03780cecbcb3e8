"""Growth pages: the MCN tier card reads its grade from 星火计划 and files an appeal, the operator's board overrides
and decides it, and 创作者成长 enrols a creator into an A/B roll-out; one walk in Chromium with screenshots."""

from __future__ import annotations

import html as html_text
import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.browser import chromium, serving
from tests.fixtures.metrics import chinese_figure_names
from tests.fixtures.pages import post_form, remote_assets, sign_in
from tests.fixtures.world import PASSWORD, World

from wanghong.accounts.models import User
from wanghong.accounts.principal import Principal
from wanghong.analytics.metrics import METRICS
from wanghong.commerce.models import Mcn
from wanghong.growth import grading
from wanghong.growth.models import Assignment, Enrolment, GradeAppeal, McnGrade, Programme, ProgrammeKind
from wanghong.kit.db.session import Database

MONTH = date(2018, 6, 1)
SHOTS = Path("/tmp/shots")


def graded(db: Database, world: World) -> int:
    with db.transaction() as s:
        grading.run_grading(s, MONTH, only=[world["mcnA"], world["mcnB"]])
        return s.scalars(select(McnGrade.id).where(McnGrade.mcn_id == world["mcnA"], McnGrade.month == MONTH)).one()


def test_tier_card_appeal_then_board_decides(db: Database, world: World, web_client: TestClient) -> None:
    grade_id = graded(db, world)
    token = sign_in(web_client, world, "mcnA")
    card = web_client.get("/workspace/agency")
    assert card.status_code == 200 and remote_assets(card.text) == []
    assert "2018-06" in card.text and 'data-indicator="retention"' in card.text and "data-appeal-form" in card.text
    refused = post_form(web_client, token, f"/workspace/agency/grades/{grade_id}/appeal", reason=" ")
    assert refused.status_code == 422 and "申诉理由" in refused.text
    filed = post_form(
        web_client, token, f"/workspace/agency/grades/{grade_id}/appeal", reason="大促订单延迟", requested="S"
    )
    assert filed.status_code == 303
    again = post_form(web_client, token, f"/workspace/agency/grades/{grade_id}/appeal", reason="再次")
    assert again.status_code in (409, 422)  # the form is gone; a replayed post is refused

    admin = TestClient(web_client.app)
    admin_token = sign_in(admin, world, "admin")
    board = admin.get("/workspace/xinghuo")
    assert board.status_code == 200 and "CR5" in board.text and remote_assets(board.text) == []
    with db.transaction() as s:
        appeal_id = s.scalars(select(GradeAppeal.id).where(GradeAppeal.grade_id == grade_id)).one()
    assert f'data-appeal="{appeal_id}"' in board.text
    decided = post_form(admin, admin_token, f"/workspace/xinghuo/appeals/{appeal_id}/decision", decision="accept")
    assert decided.status_code == 303
    replay = post_form(
        admin, admin_token, f"/workspace/xinghuo/appeals/{appeal_id}/decision", decision="reject", note="数据无误"
    )
    assert replay.status_code == 409
    with db.transaction() as s:
        assert s.get_one(Mcn, world["mcnA"]).tier.value == "S"
    bad_month = post_form(admin, admin_token, "/workspace/xinghuo/run", month="2018/06")
    assert bad_month.status_code == 422
    assert web_client.get("/workspace/xinghuo").status_code == 403  # the agency does not see the board
    admin.close()


def _indicator_name(html: str, indicator: str) -> str:
    found = re.search(rf'<tr data-indicator="{indicator}">\s*<td>([^<]*)</td>\s*<td class="num">(.*?)</td>', html, re.S)
    assert found, indicator
    return html_text.unescape(found.group(1))


def test_tier_card_names_its_figures_as_their_one_definition(
    db: Database, world: World, web_client: TestClient
) -> None:
    """The grade's GMV and complaint rate are named as 指标说明 names them, in the reader's language; the complaint
    rate (held per 1,000 orders) is written in the metric's unit, %."""
    graded(db, world)
    sign_in(web_client, world, "mcnA")
    chinese = web_client.get("/workspace/agency").text
    web_client.cookies.set("lang", "en")
    english = web_client.get("/workspace/agency").text
    web_client.cookies.delete("lang")
    assert _indicator_name(chinese, "complaint_rate") == METRICS["complaint_rate"].zh
    assert _indicator_name(english, "complaint_rate") == METRICS["complaint_rate"].en
    assert _indicator_name(english, "gmv") == f"Signed creators' {METRICS['gmv_all'].en}"
    assert METRICS["gmv_all"].zh in _indicator_name(chinese, "gmv")
    assert not chinese_figure_names(english), chinese_figure_names(english)
    with db.transaction() as s:
        row = s.scalars(select(McnGrade).where(McnGrade.mcn_id == world["mcnA"], McnGrade.month == MONTH)).one()
        per_mille = float(row.indicators["complaint_rate"])
        measured = bool(row.indicators.get("complaints_measured"))
    cell = re.search(r'<tr data-indicator="complaint_rate">.*?<td class="num">(.*?)</td>', english, re.S)
    assert cell
    assert (f"{per_mille / 10:.2f}%" in cell.group(1)) if measured else ("—" in cell.group(1))


def test_override_from_the_board_needs_a_reason(db: Database, world: World, web_client: TestClient) -> None:
    graded(db, world)
    with db.transaction() as s:
        row = s.scalars(select(McnGrade).where(McnGrade.mcn_id == world["mcnB"], McnGrade.month == MONTH)).one()
        grade_id, seen = row.id, (row.overridden_grade or row.grade).value
    token = sign_in(web_client, world, "admin")
    path = f"/workspace/xinghuo/grades/{grade_id}/override"
    assert post_form(web_client, token, path, tier="A", seen=seen, reason="").status_code == 422
    assert post_form(web_client, token, path, tier="A", seen=seen, reason="品牌投诉已核实撤销").status_code == 303
    stale = post_form(web_client, token, path, tier="B", seen=seen if seen != "A" else "S", reason="过期视图")
    assert stale.status_code == 409


def test_creator_enrols_in_an_ab_roll_out_once(db: Database, world: World, web_client: TestClient) -> None:
    with db.transaction() as s:
        programme = Programme(
            name=f"创作者学院 {world.tag}", kind=ProgrammeKind.COURSE, starts_on=MONTH, randomised_share=0.5
        )
        s.add(programme)
        s.flush()
        programme_id = programme.id
    token = sign_in(web_client, world, "creatorA1")
    page = web_client.get("/workspace/growth")
    assert page.status_code == 200 and f'data-programme="{programme_id}"' in page.text
    assert post_form(web_client, token, f"/workspace/growth/{programme_id}/enrol").status_code == 303
    assert post_form(web_client, token, f"/workspace/growth/{programme_id}/enrol").status_code == 409
    with db.transaction() as s:
        (enrolment,) = s.scalars(select(Enrolment).where(Enrolment.programme_id == programme_id)).all()
        assert enrolment.assignment.value in ("randomised_treatment", "randomised_control")
    measured = web_client.get(f"/workspace/growth?measure={programme_id}")
    assert measured.status_code == 200 and "need at least" in measured.text  # one creator cannot be measured


@pytest.mark.browser
def test_xinghuo_in_chromium(db: Database, world: World, app_client: TestClient, database_url: str) -> None:
    grade_id = graded(db, world)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with db.transaction() as s:
        s.add(
            Programme(
                name=f"直播带货训练营 {world.tag}", kind=ProgrammeKind.COURSE, starts_on=MONTH, randomised_share=0.5
            )
        )
    with chromium(database_url) as browser, serving(app_client.app) as url:

        def signed_in(user: str):  # type: ignore[no-untyped-def]
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.goto(f"{url}/login")
            page.fill("input[name=username]", f"{user}_{world.tag}")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            return page

        mcn = signed_in("mcnA")
        mcn.goto(f"{url}/workspace/agency")
        mcn.fill("form[data-appeal-form] input[name=reason]", "六月大促订单延迟入账")
        mcn.select_option("form[data-appeal-form] select[name=requested]", "S")
        mcn.click("form[data-appeal-form] button[type=submit]")
        mcn.wait_for_load_state()
        assert "待处理" in mcn.locator("table[data-appeals]").inner_text()
        mcn.screenshot(path=str(SHOTS / "growth-tier-card.png"), full_page=True)

        admin = signed_in("admin")
        admin.goto(f"{url}/workspace/xinghuo")
        row = admin.locator("tr[data-appeal]", has_text="六月大促").first
        row.locator("input[name=note]").fill("核实后上调")
        row.locator("button[value=accept]").click()
        admin.wait_for_load_state()
        assert "已接受" in admin.locator("table[data-appeals]").inner_text()
        admin.wait_for_selector(".plotly-graph-div .main-svg", timeout=10_000)
        admin.screenshot(path=str(SHOTS / "growth-xinghuo-board.png"), full_page=True)
        admin.goto(f"{url}/lang/en")
        admin.goto(f"{url}/workspace/xinghuo")
        assert "Appeals queue" in admin.content() and "申诉队列" not in admin.content()

        creator = signed_in("creatorA1")
        creator.goto(f"{url}/workspace/growth")
        row = creator.locator("tr[data-programme]", has_text="直播带货训练营").first
        row.locator("button", has_text="报名").click()
        creator.wait_for_load_state()
        arm = creator.locator("tr[data-programme]", has_text="直播带货训练营").first.locator("[data-arm]")
        assert arm.inner_text() in ("处理组", "对照组（稍后开放）")
        creator.screenshot(path=str(SHOTS / "growth-programmes.png"), full_page=True)
    with db.transaction() as s:
        assert s.get_one(Mcn, world["mcnA"]).tier.value == "S"
        assert s.get_one(McnGrade, grade_id).overridden_grade is not None


def test_board_pages_its_agencies_and_appeals_newest_first(db: Database, world: World, web_client: TestClient) -> None:
    graded(db, world)
    with db.transaction() as s:
        admin = s.scalars(select(User).where(User.username == f"admin_{world.tag}")).one()
        first = grading.board(s, Principal.of(admin), month=MONTH, limit=1)
        assert len(first.lines) == 1 and first.lines_next is not None
        second = grading.board(s, Principal.of(admin), month=MONTH, grades_cursor=first.lines_next, limit=1)
        assert second.lines[0].grade.id < first.lines[0].grade.id  # newest row first
        assert sum(first.counts.values()) >= 2  # the counts are over every agency, not the page
    sign_in(web_client, world, "admin")
    bad = web_client.get("/workspace/xinghuo?appeals_cursor=not-a-cursor")
    assert bad.status_code == 422 and "cursor" in bad.text


def test_operator_pays_an_incentive_and_the_creator_sees_it(db: Database, world: World, web_client: TestClient) -> None:
    token = sign_in(web_client, world, "admin")
    name = f"光合计划页面 {world.tag}"
    refused = post_form(
        web_client,
        token,
        "/workspace/growth",
        name=name,
        kind="incentive",
        starts_on="2018-06-01",
        months="1",
        budget="50",
        reward="80",
        target_follows="0",
        randomised_share="",
    )
    assert refused.status_code == 422 and "exceeds the whole budget" in refused.text
    created = post_form(
        web_client,
        token,
        "/workspace/growth",
        name=name,
        kind="incentive",
        starts_on="2018-06-01",
        months="1",
        budget="500",
        reward="80",
        target_follows="0",
        randomised_share="",
    )
    assert created.status_code == 303
    with db.transaction() as s:
        programme_id = s.scalars(select(Programme.id).where(Programme.name == name)).one()
        s.add(Enrolment(programme_id=programme_id, creator_id=world["creatorA1"], assignment=Assignment.SELF_ENROLLED))
    board = web_client.get("/workspace/growth")
    assert f'data-money="{programme_id}"' in board.text and "data-pay" in board.text
    assert post_form(web_client, token, f"/workspace/growth/{programme_id}/rewards").status_code == 303
    after = web_client.get("/workspace/growth")
    assert "data-pay" not in after.text.split(f'data-money="{programme_id}"')[1].split("</tr>")[0]
    creator = TestClient(web_client.app)
    sign_in(creator, world, "creatorA1")
    mine = creator.get("/workspace/growth")
    assert "data-paid" in mine.text and "80" in mine.text
    creator.close()


@pytest.mark.browser
def test_incentive_payout_in_chromium(db: Database, world: World, app_client: TestClient, database_url: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = f"光合计划·涨粉激励 {world.tag}"
    with chromium(database_url) as browser, serving(app_client.app) as url:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{url}/login")
        page.fill("input[name=username]", f"admin_{world.tag}")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{url}/workspace/growth")
        form = page.locator("form[data-new-programme]")
        form.locator("input[name=name]").fill(name)
        form.locator("select[name=kind]").select_option("incentive")
        form.locator("input[name=starts_on]").fill("2018-06-01")
        form.locator("input[name=budget]").fill("1000")
        form.locator("input[name=reward]").fill("200")
        form.locator("input[name=target_follows]").fill("0")
        form.locator("input[name=randomised_share]").fill("")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        with db.transaction() as s:
            programme_id = s.scalars(select(Programme.id).where(Programme.name == name)).one()
            for creator in ("creatorA1", "creatorA2"):
                s.add(
                    Enrolment(programme_id=programme_id, creator_id=world[creator], assignment=Assignment.SELF_ENROLLED)
                )
        page.goto(f"{url}/workspace/growth")
        money = page.locator(f'tr[data-money="{programme_id}"]')
        assert "待发 2 人" in money.inner_text()
        money.locator("button[data-pay]").click()
        page.wait_for_load_state()
        text = page.locator(f'tr[data-money="{programme_id}"]').inner_text()
        assert "待发 0 人" in text and "600" in text  # 1,000 budget, 2 × 200 paid, 600 left
        page.screenshot(path=str(SHOTS / "D2-incentive-payout.png"), full_page=True)
