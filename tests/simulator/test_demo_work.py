"""Issue 12, item 9: the demo's data ends yesterday, and every role has work waiting on first sign-in."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import typer
from sqlalchemy import func, select
from typer.testing import CliRunner

from wanghong.compliance.models import ComplianceAppeal, ReviewTask
from wanghong.demo import SelectionWork, stage_selection, stage_work, verify_demo_subjects
from wanghong.domain import AppealStatus, ReviewStatus
from wanghong.kit.db.session import Database
from wanghong.kit.instants import BEIJING
from wanghong.selection.models import CartItem, Listing, ListingStatus, SampleRequest, SampleStatus
from wanghong.simulator.cli import simulate
from wanghong.simulator.demo import ensure_demo_accounts
from wanghong.simulator.engine import SimulationConfig, generate_ecosystem
from wanghong.workspace.models import Notification, Recipient


def test_the_period_can_end_on_any_day_without_changing_the_draws() -> None:
    config = SimulationConfig(creators=20, days=7)
    default = generate_ecosystem(config, seed=5)
    moved = generate_ecosystem(config, seed=5, end_date=date(2026, 11, 30))
    assert moved.reference_date == date(2026, 11, 30)
    assert moved.period_start == datetime(2026, 11, 24, tzinfo=BEIJING)
    assert moved.row_counts() == default.row_counts()


def test_a_demo_has_work_for_every_role(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    command = typer.Typer()
    command.command()(simulate)
    result = CliRunner().invoke(
        command,
        ["--creators", "60", "--days", "14", "--no-behaviour", "--end-date", "yesterday", "--database-url", url],
    )
    assert result.exit_code == 0, result.output
    yesterday = (datetime.now(BEIJING) - timedelta(days=1)).date().isoformat()
    assert f"– {yesterday}" in result.output
    db = Database(url)
    try:
        with db.transaction() as session:
            accounts = ensure_demo_accounts(session)
            verify_demo_subjects(session, accounts)
            work = stage_work(session, accounts)
            shelf = stage_selection(session, accounts)
        assert work.offers >= 2 and work.submitted == 1 and work.review_tasks >= 2 and work.appeals == 1
        assert shelf == SelectionWork(listings=3, pending_samples=2, approved_samples=1, cart_items=1)
        with db.transaction() as session:
            assert stage_work(session, ensure_demo_accounts(session)).offers == 0  # a second run adds nothing
            assert stage_selection(session, ensure_demo_accounts(session)).listings == 0
            # 选品广场 on first sign-in: open listings, 申样 for the brand to decide, an approved one in a cart.
            open_listings = session.scalar(select(func.count(Listing.id)).where(Listing.status == ListingStatus.OPEN))
            assert open_listings == 3
            samples = Counter(session.scalars(select(SampleRequest.status)))
            assert samples == {SampleStatus.PENDING: 2, SampleStatus.APPROVED: 1}
            (cart,) = session.scalars(select(CartItem)).all()
            approved = session.scalars(select(SampleRequest).where(SampleRequest.status == SampleStatus.APPROVED)).one()
            assert cart.listing_id == approved.listing_id and cart.creator_id == approved.creator_id
            pending = session.scalar(select(func.count(ReviewTask.id)).where(ReviewTask.status == ReviewStatus.PENDING))
            assert pending == work.review_tasks
            appeals = session.scalar(
                select(func.count(ComplianceAppeal.id)).where(ComplianceAppeal.status == AppealStatus.PENDING)
            )
            assert appeals == 1
            kinds = set(
                session.scalars(select(Notification.kind).where(Notification.recipient_kind == Recipient.CREATOR))
            )
            assert {"offer_received"} <= kinds
            brand_kinds = set(
                session.scalars(select(Notification.kind).where(Notification.recipient_kind == Recipient.BRAND))
            )
            assert {"offer_accepted", "content_submitted", "sample_requested"} <= brand_kinds
            assert "sample_approved" in kinds
    finally:
        db.dispose()
