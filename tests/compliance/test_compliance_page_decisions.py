"""Issue 12, item 4: reviewers filter the queue, decide several tasks at once (all or none) and decide appeals
from the page; deadlines read in 北京时间 with the time left."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from tests.fixtures.world import World

from wanghong.compliance.engine_cache import ReviewerCache
from wanghong.compliance.models import ComplianceAppeal, ReviewTask
from wanghong.compliance.scanning import scan_text
from wanghong.domain import AppealStatus, ReviewStatus
from wanghong.kit.db.session import Database

Headers = Callable[[str], dict[str, str]]


def _flag(db: Database, reviewers: ReviewerCache, creator_id: int, text: str) -> int:
    with db.transaction() as s:
        outcome = scan_text(
            s, reviewers=reviewers, subject_type="video", subject_id=None, creator_id=creator_id, text=text
        )
        assert outcome.task is not None, outcome.verdict
        return outcome.task.id


def _cookie(as_user: Headers, user: str) -> dict[str, str]:
    return {"Cookie": "wanghong_session=" + as_user(user)["Authorization"].removeprefix("Bearer ")}


def _status(db: Database, task_id: int) -> ReviewStatus:
    with db.transaction() as s:
        task = s.get(ReviewTask, task_id)
        assert task is not None
        return task.status


def test_batch_decisions_are_all_or_nothing(
    app_client: TestClient, as_user: Headers, db: Database, reviewers: ReviewerCache, world: World
) -> None:
    first = _flag(db, reviewers, world["creatorA1"], f"全网最低价，史上最强 {world.tag}")
    second = _flag(db, reviewers, world["creatorA2"], f"这是世界第一的面霜 {world.tag}")
    page = app_client.get("/compliance/review?verdict=block", headers=_cookie(as_user, "reviewer"))
    assert page.status_code == 200
    assert f'value="{first}" form="batch"' in page.text and "剩余" in page.text and "UTC" not in page.text
    # One already decided: the batch is refused as a whole, and the other task stays pending.
    assert (
        app_client.post(
            f"/compliance/review/{first}",
            data={"decision": "dismiss"},
            headers=_cookie(as_user, "reviewer"),
            follow_redirects=False,
        ).status_code
        == 303
    )
    refused = app_client.post(
        "/compliance/review/batch",
        data={"decision": "uphold", "task_ids": [str(second), str(first)]},
        headers=_cookie(as_user, "reviewer"),
        follow_redirects=False,
    )
    assert refused.status_code == 409 and "already decided" in refused.text
    assert _status(db, second) is ReviewStatus.PENDING
    third = _flag(db, reviewers, world["creatorA1"], f"绝对第一，最好的选择 {world.tag}")
    done = app_client.post(
        "/compliance/review/batch",
        data={"decision": "uphold", "task_ids": [str(second), str(third)], "note": "批量确认"},
        headers=_cookie(as_user, "reviewer"),
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert _status(db, second) is ReviewStatus.CONFIRMED and _status(db, third) is ReviewStatus.CONFIRMED
    empty = app_client.post(
        "/compliance/review/batch", data={"decision": "uphold"}, headers=_cookie(as_user, "reviewer")
    )
    assert empty.status_code == 422


def test_reviewers_decide_appeals_on_the_page(
    app_client: TestClient, as_user: Headers, db: Database, world: World
) -> None:
    # Pending appeals are listed oldest first, a page at a time: other worlds' appeals may come before this one.
    url, listed = "/compliance/review", False
    for _ in range(100):
        page = app_client.get(url, headers=_cookie(as_user, "reviewer"))
        if f'id="appeal-{world["appealA"]}"' in page.text:
            listed = True
            break
        more = re.search(r'href="(/compliance/review\?appeal_cursor=[^"#]+)#appeals"', page.text)
        if more is None:
            break
        url = more.group(1)
    assert listed
    decided = app_client.post(
        f"/compliance/appeals/{world['appealA']}",
        data={"decision": "dismiss", "note": "证据充分"},
        headers=_cookie(as_user, "reviewer"),
        follow_redirects=False,
    )
    assert decided.status_code == 303
    with db.transaction() as s:
        appeal = s.get(ComplianceAppeal, world["appealA"])
        assert appeal is not None and appeal.status is AppealStatus.REJECTED
    again = app_client.post(
        f"/compliance/appeals/{world['appealA']}", data={"decision": "uphold"}, headers=_cookie(as_user, "reviewer")
    )
    assert again.status_code == 409
    # A brand is not a reviewer: sent to sign in, nothing decided.
    brand = app_client.post(
        f"/compliance/appeals/{world['appealB']}",
        data={"decision": "uphold"},
        headers=_cookie(as_user, "brandA"),
        follow_redirects=False,
    )
    assert brand.status_code == 303
    with db.transaction() as s:
        assert s.get(ComplianceAppeal, world["appealB"]).status is AppealStatus.PENDING  # type: ignore[union-attr]


def test_the_queue_names_subjects_and_verdicts_in_the_reader_s_language(
    app_client: TestClient, as_user: Headers, db: Database, reviewers: ReviewerCache, world: World
) -> None:
    task = _flag(db, reviewers, world["creatorA1"], f"全网最低价，史上最强 {world.tag}")
    chinese = app_client.get("/compliance/review?verdict=block", headers=_cookie(as_user, "reviewer")).text
    card = chinese[chinese.index(f'id="task-{task}"') :][:600]
    assert "对象: 视频" in card and "拦截" in card
    english_cookies = _cookie(as_user, "reviewer") | {"Cookie": _cookie(as_user, "reviewer")["Cookie"] + "; lang=en"}
    english = app_client.get("/compliance/review?verdict=block", headers=english_cookies).text
    card = english[english.index(f'id="task-{task}"') :][:600]
    assert "Subject: Video" in card and "AI verdict: Block" in card, card
    assert ">video<" not in english and ">block<" not in english


def test_a_decision_returns_to_the_queue_as_it_was_narrowed(
    app_client: TestClient, as_user: Headers, db: Database, reviewers: ReviewerCache, world: World
) -> None:
    """The filters and the appeals' page travel with every decision form, through the POST and its redirect."""
    reviewer = _cookie(as_user, "reviewer")
    first = _flag(db, reviewers, world["creatorA1"], f"全网最低价，史上最强 {world.tag} 筛选")
    second = _flag(db, reviewers, world["creatorA1"], f"这是世界第一的面霜 {world.tag} 筛选")
    third = _flag(db, reviewers, world["creatorA1"], f"绝对第一，最好的选择 {world.tag} 筛选")
    page = app_client.get("/compliance/review?verdict=block&subject=video", headers=reviewer).text
    form = page[page.index(f'action="/compliance/review/{first}"') :][:800]
    assert '<input type="hidden" name="verdict" value="block">' in form
    assert '<input type="hidden" name="subject" value="video">' in form
    posted = {"verdict": "block", "subject": "video", "appeal_cursor": "abc"}
    decided = app_client.post(
        f"/compliance/review/{first}",
        data={"decision": "dismiss", **posted},
        headers=reviewer,
        follow_redirects=False,
    )
    assert decided.status_code == 303
    assert (
        decided.headers["location"] == "/compliance/review?verdict=block&subject=video&appeal_cursor=abc&decided=true"
    )
    batch = app_client.post(
        "/compliance/review/batch",
        data={"decision": "uphold", "task_ids": [str(second)], "verdict": "block", "subject": "video"},
        headers=reviewer,
        follow_redirects=False,
    )
    assert batch.headers["location"] == "/compliance/review?verdict=block&subject=video&decided=true"
    # A refused decision shows the same narrowed queue again, its filters still chosen.
    refused = app_client.post(
        f"/compliance/review/{first}",
        data={"decision": "uphold", "verdict": "block", "subject": "video"},
        headers=reviewer,
    )
    assert refused.status_code == 409
    assert '<option value="block" selected>' in refused.text and '<option value="video" selected>' in refused.text
    # Nothing but the queue's own fields reaches the address: no way to send the reviewer elsewhere.
    odd = app_client.post(
        f"/compliance/review/{third}",
        data={"decision": "uphold", "creator": "x&next=https://evil.example"},
        headers=reviewer,
        follow_redirects=False,
    )
    assert odd.headers["location"].startswith("/compliance/review?creator=x%26next%3Dhttps")


def test_every_ruling_form_is_refused_the_same_way(
    app_client: TestClient, as_user: Headers, db: Database, reviewers: ReviewerCache, world: World
) -> None:
    """A task's, a batch's and an appeal's ruling share one path: signed out to /login, an unknown word or an empty
    batch a 422 with its reason on the queue page, and nothing decided."""
    reviewer = _cookie(as_user, "reviewer")
    task = _flag(db, reviewers, world["creatorA1"], f"全网最低价，史上最强 {world.tag} 拒绝")
    for path in (f"/compliance/review/{task}", "/compliance/review/batch", f"/compliance/appeals/{world['appealB']}"):
        signed_out = app_client.post(path, data={"decision": "uphold"}, follow_redirects=False)
        assert signed_out.status_code == 303 and signed_out.headers["location"] == "/login"
    word = app_client.post(f"/compliance/review/{task}", data={"decision": "maybe"}, headers=reviewer)
    assert word.status_code == 422 and "(or confirmed / overturned), got &#39;maybe&#39;" in word.text
    batch_word = app_client.post(
        "/compliance/review/batch", data={"decision": "maybe", "task_ids": [str(task)]}, headers=reviewer
    )
    assert (
        batch_word.status_code == 422 and "decision must be uphold or dismiss, got &#39;maybe&#39;" in batch_word.text
    )
    empty = app_client.post("/compliance/review/batch", data={"decision": "uphold"}, headers=reviewer)
    assert empty.status_code == 422 and "请至少选择一个任务" in empty.text
    appeal = app_client.post(f"/compliance/appeals/{world['appealB']}", data={"decision": "maybe"}, headers=reviewer)
    assert appeal.status_code == 422 and "got &#39;maybe&#39;" in appeal.text
    assert _status(db, task) is ReviewStatus.PENDING
    with db.transaction() as s:
        assert s.get(ComplianceAppeal, world["appealB"]).status is AppealStatus.PENDING  # type: ignore[union-attr]
