"""The fraud scan end to end: a simulated ecosystem with planted fraud (`wanghong simulate`'s planting) in a
database of its own, one stored scan, and what the operator, a brand and 达人详情 then see."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.fixtures.databases import migrated_database
from tests.fixtures.metrics import card_label, chinese_figure_names
from tests.fixtures.pages import post_form, remote_assets, sign_in
from tests.fixtures.world import PASSWORD, World

from wanghong.accounts.models import User
from wanghong.accounts.principal import CLI_OPERATOR, Principal
from wanghong.accounts.users import create_user
from wanghong.analytics.metrics import METRICS
from wanghong.app import create_app
from wanghong.commerce import models as m
from wanghong.compliance.models import ReviewTask
from wanghong.config import Settings
from wanghong.domain import ReviewStatus, Role
from wanghong.fraud import scores, service
from wanghong.fraud.models import CreatorQuality, FraudRing, OrderFraudScore, RoomEstimate
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Forbidden
from wanghong.settlement import ledger
from wanghong.settlement.engine import AccountRef, OwnerKind, Policy, Purpose
from wanghong.simulator.engine import SimulationConfig, generate_ecosystem
from wanghong.simulator.fraud_load import plant_fraud
from wanghong.simulator.load import load_ecosystem, settle_loaded

DAY = date(2026, 12, 1)
POLICY = Policy.of(0.05, 0.3, True, 7)


@dataclass
class Planted:
    url: str
    db: Database
    world: World
    now: datetime
    first: service.ScanResult
    ring_creator: int
    brand_id: int


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Planted]:
    with migrated_database("sqlite", tmp_path_factory.mktemp("fraud")) as url:
        db = Database(url)
        eco = generate_ecosystem(SimulationConfig(creators=60, days=30), seed=3)
        now = eco.period_start + timedelta(days=eco.days)
        with db.transaction() as session:
            load_ecosystem(session, eco, include_behaviour=False)
            plant_fraud(session, eco, rooms=4)
            settle_loaded(session, POLICY, now)
        with db.transaction() as session:
            first = service.scan(session, CLI_OPERATOR, DAY, POLICY, now=now)
            ring_order = session.scalars(
                select(m.Order).join(m.OrderFingerprint).where(m.OrderFingerprint.planted.like("ring:%")).limit(1)
            ).one()
            brand_id = session.scalar(select(m.Product.brand_id).where(m.Product.id == ring_order.product_id))
            assert ring_order.creator_id is not None and brand_id is not None
            world = World(tag="fraud")
            for user, role, brand, creator in (
                ("admin", Role.ADMIN, None, None),
                ("brand", Role.BRAND_MANAGER, brand_id, None),
                ("creator", Role.CREATOR, None, ring_order.creator_id),
                ("reviewer", Role.REVIEWER, None, None),
            ):
                create_user(
                    session, username=f"{user}_fraud", password=PASSWORD, role=role, brand_id=brand, creator_id=creator
                )
            session.expunge(first.scan)
        yield Planted(url, db, world, now, first, ring_order.creator_id, brand_id)
        db.dispose()


def test_planted_rings_are_found_and_their_commission_held(planted: Planted) -> None:
    with planted.db.sessions() as session:
        fake = set(
            session.scalars(select(m.OrderFingerprint.order_id).where(m.OrderFingerprint.planted.like("ring:%")))
        )
        flagged = set(
            session.scalars(
                select(OrderFraudScore.order_id).where(
                    OrderFraudScore.scan_id == planted.first.scan.id, OrderFraudScore.flagged.is_(True)
                )
            )
        )
        assert fake, "the planting wrote no ring orders"
        found = len(fake & flagged)
        assert found / len(flagged) >= 0.95 and found / len(fake) >= 0.9, (found, len(flagged), len(fake))
        rings = select(func.count()).select_from(FraudRing).where(FraudRing.scan_id == planted.first.scan.id)
        assert planted.first.scan.rings == session.execute(rings).scalar_one() >= 1

        # Held: the released commission of a flagged order moved from the creator's receivable into frozen.
        assert planted.first.scan.holds > 0
        frozen = ledger.balance(session, AccountRef(OwnerKind.CREATOR, planted.ring_creator, Purpose.FROZEN))
        assert frozen > 0
        assert ledger.check(session).ok

        # One review task per ring, waiting in the compliance queue.
        tasks = session.scalars(select(ReviewTask).where(ReviewTask.subject_type == "fraud_ring")).all()
        assert len(tasks) == planted.first.scan.rings
        assert all(t.status is ReviewStatus.PENDING and "刷单" in t.text for t in tasks)

        # Flagged orders are out of the fraud-adjusted GMV, and the flagged amount is exactly theirs.
        admin = Principal(user_id=0, username="ops", role=Role.ADMIN)
        gmv = scores.adjusted_gmv(session, admin)
        flagged_amount = session.scalar(select(func.sum(m.Order.amount)).where(m.Order.id.in_(flagged)))
        assert gmv.flagged == flagged_amount and gmv.adjusted == gmv.reported - flagged_amount
        assert gmv.flagged_orders == len(flagged)


def test_bought_followers_and_viewbots_show_in_the_scores(planted: Planted) -> None:
    with planted.db.sessions() as session:
        bought = set(
            session.scalars(
                select(m.FollowerSample.creator_id).where(m.FollowerSample.planted.like("bought:%")).distinct()
            )
        )
        quality = dict(
            session.execute(
                select(CreatorQuality.creator_id, CreatorQuality.score).where(
                    CreatorQuality.scan_id == planted.first.scan.id
                )
            ).all()
        )
        assert bought and len(quality) == 60
        low_bought = np.mean([quality[c] < scores.LOW_QUALITY for c in bought])
        low_genuine = np.mean([quality[c] < scores.LOW_QUALITY for c in quality if c not in bought])
        assert low_bought >= 0.8 and low_genuine <= 0.05, (low_bought, low_genuine)
        reasons = scores.quality(session, next(iter(bought)))
        assert reasons is not None and reasons.reasons_in("en") and "/" not in reasons.reasons_in("zh")[0]

        rooms = session.scalars(select(RoomEstimate).where(RoomEstimate.scan_id == planted.first.scan.id)).all()
        assert len(rooms) == 4
        for room in rooms:
            bots = session.execute(
                select(func.count())
                .select_from(m.ViewerSession)
                .where(m.ViewerSession.livestream_id == room.livestream_id, m.ViewerSession.planted.is_not(None))
            ).scalar_one()
            real = room.sessions - bots
            # The estimate of real entries is within a tenth of the room of the truth, bots or none.
            assert abs(room.estimated_real_entries - real) <= 0.1 * room.sessions, (room.livestream_id, bots)
            if bots:
                assert room.flagged_sessions >= 0.8 * bots and room.bursts >= 1
            else:  # a clean room is left (almost) alone
                assert room.flagged_sessions <= 0.01 * room.sessions


def test_rescanning_the_day_replaces_it_and_repeats_no_money_or_task(planted: Planted) -> None:
    with planted.db.transaction() as session:
        frozen_before = ledger.balance(session, AccountRef(OwnerKind.CREATOR, planted.ring_creator, Purpose.FROZEN))
        tasks_before = session.scalar(select(func.count()).select_from(ReviewTask))
        runs = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "fraud_scan.run")
        runs_before = session.execute(runs).scalar_one()
        again = service.scan(session, CLI_OPERATOR, DAY, POLICY, now=planted.now)
        assert again.replaced and again.scan.id == planted.first.scan.id
        assert (again.scan.holds, again.scan.review_tasks) == (0, 0)
        assert again.scan.flagged_orders == planted.first.scan.flagged_orders
        assert session.scalar(select(func.count()).select_from(ReviewTask)) == tasks_before
        assert ledger.balance(session, AccountRef(OwnerKind.CREATOR, planted.ring_creator, Purpose.FROZEN)) == (
            frozen_before
        )
        # The next day's scan finds the same rings and keeps their review tasks.
        later = service.scan(session, CLI_OPERATOR, DAY + timedelta(days=30), POLICY, now=planted.now)
        assert not later.replaced and later.scan.review_tasks == 0
        tasks = {r.review_task_id for r in session.scalars(select(FraudRing).where(FraudRing.scan_id == later.scan.id))}
        assert None not in tasks and len(tasks) == later.scan.rings
        assert session.scalar(runs) == runs_before + 2
        session.rollback()  # leave the module's database as the first scan made it


def test_a_ring_a_reviewer_clears_is_released_on_the_next_scan(planted: Planted) -> None:
    from wanghong.compliance.review import decide_review
    from wanghong.domain import Decision

    frozen = AccountRef(OwnerKind.CREATOR, planted.ring_creator, Purpose.FROZEN)
    receivable = AccountRef(OwnerKind.CREATOR, planted.ring_creator, Purpose.RECEIVABLE)
    admin = Principal(user_id=0, username="ops", role=Role.ADMIN)
    with planted.db.transaction() as session:
        reviewer_id = session.scalar(select(User.id).where(User.username == "reviewer_fraud"))
        assert reviewer_id is not None
        reviewer = Principal(user_id=reviewer_id, username="reviewer_fraud", role=Role.REVIEWER)
        held, earned = ledger.balance(session, frozen), ledger.balance(session, receivable)
        assert held > 0
        for task in session.scalars(select(ReviewTask).where(ReviewTask.subject_type == "fraud_ring")):
            decide_review(session, reviewer, task.id, Decision.DISMISS, "家庭团购，非刷单")
        after = service.scan(session, CLI_OPERATOR, DAY, POLICY, now=planted.now)
        assert after.scan.flagged_orders == 0 and after.scan.holds == 0
        assert ledger.balance(session, frozen) == 0 and ledger.balance(session, receivable) == earned + held
        assert scores.adjusted_gmv(session, admin).flagged == 0
        rings = session.scalars(select(FraudRing).where(FraudRing.scan_id == after.scan.id)).all()
        assert rings and all(r.cleared for r in rings)
        # Cleared stays cleared: scanning again releases nothing twice.
        service.scan(session, CLI_OPERATOR, DAY, POLICY, now=planted.now)
        assert ledger.balance(session, frozen) == 0 and ledger.check(session).ok
        session.rollback()  # the other tests read the first scan's verdicts


def test_only_operators_run_the_scan(planted: Planted) -> None:
    brand = Principal(user_id=1, username="b", role=Role.BRAND_MANAGER, brand_id=planted.brand_id)
    with planted.db.sessions() as session, pytest.raises(Forbidden):
        service.scan(session, brand, DAY, POLICY)


@pytest.fixture(scope="module")
def client(planted: Planted) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=planted.url), db=planted.db)
    with TestClient(app) as test_client:
        yield test_client


def test_the_operator_board_lists_what_the_scan_found(planted: Planted, client: TestClient) -> None:
    client.cookies.clear()
    sign_in(client, planted.world, "admin")
    page = client.get("/workspace/fraud")
    assert page.status_code == 200, page.text
    html = page.text
    assert "反作弊" in html and "剔除刷单后 GMV" in html and not remote_assets(html)
    assert html.count("data-ring=") == planted.first.scan.rings
    assert "data-flagged-order=" in html and "佣金已冻结" in html
    assert html.count("data-room=") == 4 and "plotly-graph-div" in html
    assert "data-low=" in html
    client.cookies.set("lang", "en")
    english = client.get("/workspace/fraud").text
    assert "Fake-order rings" in english and "剔除" not in english
    # Its figures are named as their one definition (analytics.metrics) names them, estimates marked as such.
    assert not chinese_figure_names(english), chinese_figure_names(english)
    for marker, key in (
        ("data-reported-gmv", "gmv_all"),
        ("data-flagged-gmv", "gmv_flagged"),
        ("data-adjusted-gmv", "gmv_adjusted"),
    ):
        assert card_label(english, marker) == METRICS[key].label("en"), marker
        assert card_label(html, marker) == METRICS[key].label("zh"), marker
    assert card_label(english, "data-adjusted-gmv") == "GMV less fake orders (estimate)"
    client.cookies.delete("lang")


def test_a_brand_sees_its_own_gmv_adjusted_and_cannot_scan(planted: Planted, client: TestClient) -> None:
    client.cookies.clear()
    token = sign_in(client, planted.world, "brand")
    html = client.get("/workspace/fraud").text
    assert "data-creator-gmv=" in html and "data-ring=" not in html and "data-low=" not in html
    with planted.db.sessions() as session:
        brand = Principal(user_id=1, username="b", role=Role.BRAND_MANAGER, brand_id=planted.brand_id)
        gmv = scores.adjusted_gmv(session, brand)
    assert gmv.flagged > 0
    body = client.get("/api/v1/fraud/gmv").json()
    assert Decimal(str(body["flagged"])) == gmv.flagged and Decimal(str(body["adjusted"])) == gmv.adjusted
    refused = post_form(client, token, "/workspace/fraud/scan")
    assert refused.status_code == 403
    orders = client.get("/api/v1/fraud/orders", params={"limit": 5}).json()
    assert len(orders["items"]) == 5 and all(o["flagged"] for o in orders["items"])
    assert client.post("/api/v1/fraud/scans", json={}).status_code == 403


def test_reviewers_find_the_rings_in_their_queue(planted: Planted, client: TestClient) -> None:
    client.cookies.clear()
    sign_in(client, planted.world, "reviewer")
    html = client.get("/compliance/review", params={"subject": "fraud_ring"}).text
    assert html.count("疑似刷单团伙") == planted.first.scan.rings
    assert client.get("/workspace/fraud").status_code == 403  # the board is not a reviewer's


def test_creator_detail_shows_the_quality_score(planted: Planted, client: TestClient) -> None:
    client.cookies.clear()
    sign_in(client, planted.world, "brand")
    with planted.db.sessions() as session:
        low = session.scalars(
            select(CreatorQuality)
            .where(CreatorQuality.scan_id == planted.first.scan.id)
            .order_by(CreatorQuality.score)
            .limit(1)
        ).one()
    html = client.get(f"/workspace/creators/{low.creator_id}").text
    assert "观众质量" in html and f">{low.score}</strong>" in html and low.reasons[0].split(" / ")[0] in html
    api = client.get(f"/api/v1/fraud/creators/{low.creator_id}/quality").json()
    assert api["score"] == low.score and api["low"] is (low.score < scores.LOW_QUALITY)
    assert client.get("/api/v1/fraud/creators/999999/quality").status_code == 404


def test_the_board_in_chromium(planted: Planted, client: TestClient) -> None:
    from tests.browser import chromium, serving

    shots = Path("/tmp/shots")
    shots.mkdir(parents=True, exist_ok=True)
    with chromium(planted.url) as browser, serving(client.app) as url:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{url}/login")
        page.fill("input[name=username]", "admin_fraud")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda address: "/login" not in address)
        page.goto(f"{url}/workspace/fraud")
        page.wait_for_selector(".plotly-graph-div .main-svg")
        assert page.locator("tr[data-ring]").count() == planted.first.scan.rings
        page.screenshot(path=str(shots / "E-fraud-board.png"), full_page=True)
        low = page.locator("tr[data-low] a").first
        low.click()
        page.wait_for_selector("section[data-fraud-quality]")
        assert page.locator("[data-quality-score]").inner_text().isdigit()
        page.locator("section[data-fraud-quality]").screenshot(path=str(shots / "E-creator-quality.png"))
        page.goto(f"{url}/lang/en")
        page.goto(f"{url}/workspace/fraud")
        assert METRICS["gmv_adjusted"].en in page.content()
        page.screenshot(path=str(shots / "E-fraud-board-en.png"))
        page.goto(f"{url}/lang/zh")
        page.goto(f"{url}/workspace/fraud")
        page.click("form[action='/workspace/fraud/scan'] button")
        page.wait_for_selector("p[role=status]")
        assert "已保存" in page.inner_text("p[role=status]")
        page.screenshot(path=str(shots / "E-fraud-board-rescanned.png"))


def test_the_scan_command_reports_the_day_and_refuses_a_bad_day(planted: Planted) -> None:
    import json

    from typer.testing import CliRunner

    from wanghong.fraud.cli import app

    runner = CliRunner()
    done = runner.invoke(app, ["scan", "--day", "2030-01-01", "--json", "--database-url", planted.url])
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    assert summary["day"] == "2030-01-01" and summary["flagged_orders"] == planted.first.scan.flagged_orders
    assert summary["review_tasks"] == 0  # the rings already have theirs
    again = json.loads(
        runner.invoke(app, ["scan", "--day", "2030-01-01", "--json", "--database-url", planted.url]).stdout
    )
    assert again["replaced"] is True and again["holds"] == 0
    bad = runner.invoke(app, ["scan", "--day", "01/01/2030", "--database-url", planted.url])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
