"""The reviewer's loop in Chromium, through the pages alone: the queue narrowed by filters, a task confirmed as a
violation, the creator's penalty on 处罚与申诉, the creator's appeal, the reviewer's ruling, and the creator told
of it in 站内信. Each side checks what the other's step left on its own pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.browser import chromium, serving, signed_in_page
from tests.fixtures.world import PASSWORD, World

from wanghong.compliance.models import ComplianceAppeal, CompliancePenalty, ReviewTask
from wanghong.domain import AppealStatus, PenaltyStatus, ReviewStatus
from wanghong.kit.db.session import Database

SHOTS = Path("/tmp/shots")


@pytest.mark.browser
def test_reviewer_confirms_penalises_and_rules_on_the_appeal(
    app_client: TestClient, world: World, db: Database, database_url: str
) -> None:
    handle = f"creatorA1_{world.tag}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium(database_url) as browser, serving(app_client.app) as url:
        reviewer = signed_in_page(browser, url, f"reviewer_{world.tag}", PASSWORD)
        creator = signed_in_page(browser, url, handle, PASSWORD)
        # The queue holds every world's tasks; the reviewer narrows it to this creator's videos the AI sent to
        # review, through the filter form.
        reviewer.goto(f"{url}/compliance/review")
        reviewer.select_option("select[name=verdict]", "review")
        reviewer.select_option("select[name=subject]", "video")
        reviewer.fill("input[name=creator]", handle)
        reviewer.locator("form.filters button[type=submit]").first.click()
        reviewer.wait_for_load_state()
        tasks = reviewer.locator("article.task[id^=task-]")
        assert tasks.count() == 1
        task = reviewer.locator(f"#task-{world['reviewA']}")
        assert "全网最低价" in task.inner_text()
        reviewer.screenshot(path=str(SHOTS / "A-reviewer-queue.png"), full_page=True)
        task.locator("input[name=note]").fill("绝对化用语，确认违规")
        task.locator("button", has_text="确认违规").click()
        reviewer.wait_for_selector("p[role=status]")
        with db.transaction() as s:
            assert s.get(ReviewTask, world["reviewA"]).status is ReviewStatus.CONFIRMED  # type: ignore[union-attr]
            penalty = s.scalars(
                select(CompliancePenalty)
                .where(CompliancePenalty.creator_id == world["creatorA1"])
                .order_by(CompliancePenalty.id.desc())
            ).first()
            assert penalty is not None and penalty.id != world["penaltyA"]
            penalty_id = penalty.id

        # The creator: the penalty on 处罚与申诉 with an appeal form, and word of it in 站内信.
        creator.goto(f"{url}/workspace/penalties")
        row = creator.locator(f'tr[data-penalty="{penalty_id}"]')
        assert "警告" in row.inner_text() and "进行中" in row.inner_text()
        creator.goto(f"{url}/workspace/notifications")
        assert "你受到处罚：警告" in creator.locator("table").inner_text()
        creator.goto(f"{url}/workspace/penalties")
        row = creator.locator(f'tr[data-penalty="{penalty_id}"]')
        row.locator("input[name=reason]").fill("标题中的“全网最低价”为当日实测比价结果，附比价截图")
        row.locator("button", has_text="提交申诉").click()
        creator.wait_for_selector("p[role=status]")
        assert "待处理" in creator.locator(f'tr[data-penalty="{penalty_id}"]').inner_text()
        creator.screenshot(path=str(SHOTS / "A-creator-appealed.png"), full_page=True)
        with db.transaction() as s:
            appeal = s.scalars(select(ComplianceAppeal).where(ComplianceAppeal.penalty_id == penalty_id)).one()
            appeal_id = appeal.id

        # The reviewer finds the appeal among this creator's and upholds it: the penalty is lifted.
        reviewer.goto(f"{url}/compliance/review?creator={handle}#appeals")
        case = reviewer.locator(f"#appeal-{appeal_id}")
        assert "实测比价" in case.inner_text()
        # Only this creator's appeals are listed: its world's earlier one and the new one.
        assert reviewer.locator("article.task[id^=appeal-]").count() == 2
        case.locator("input[name=note]").fill("比价证据充分，撤销处罚")
        case.locator("button", has_text="申诉成立").click()
        reviewer.wait_for_selector("p[role=status]")
        reviewer.goto(f"{url}/compliance/review?creator={handle}#appeals")
        assert reviewer.locator(f"#appeal-{appeal_id}").count() == 0
        reviewer.screenshot(path=str(SHOTS / "A-reviewer-appeal-decided.png"), full_page=True)

        # The creator reads the ruling in 站内信 and sees the penalty lifted on 处罚与申诉.
        creator.goto(f"{url}/workspace/notifications")
        inbox = creator.locator("table").inner_text()
        assert "你对处罚的申诉" in inbox and "比价证据充分" in inbox
        creator.screenshot(path=str(SHOTS / "A-creator-inbox.png"), full_page=True)
        creator.goto(f"{url}/workspace/penalties")
        decided = creator.locator(f'tr[data-penalty="{penalty_id}"]').inner_text()
        assert "已解除" in decided and "已接受" in decided and "比价证据充分" in decided
        creator.screenshot(path=str(SHOTS / "A-creator-penalty-lifted.png"), full_page=True)
    with db.transaction() as s:
        assert s.get(ComplianceAppeal, appeal_id).status is AppealStatus.ACCEPTED  # type: ignore[union-attr]
        assert s.get(CompliancePenalty, penalty_id).status is PenaltyStatus.LIFTED  # type: ignore[union-attr]
