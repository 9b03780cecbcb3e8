"""Random flows through the database ledger (SQLite and PostgreSQL): each posting replayed up to ten times has
one effect, every transaction balances, and the accounts hold what the flow says."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from sqlalchemy import func, select
from tests.settlement.flows import Flow, check_balances, drafts_of, flows

from wanghong.kit.db.session import Database
from wanghong.settlement import ledger
from wanghong.settlement.engine import OwnerKind
from wanghong.settlement.models import LedgerPosting

FAST = settings(settings.get_profile("settlement"), max_examples=40)
FULL = settings(settings.get_profile("settlement-full"), max_examples=500)


def run_on_database(db: Database, flow: Flow) -> None:
    drafts, expected = drafts_of(flow)
    ids: dict[str, int] = {}
    for attempt in range(flow.replays):
        # Each replay in a transaction of its own, as a retried request would be.
        with db.transaction() as s:
            posted = ledger.post_many(s, drafts)
        assert all(p.replayed == (attempt > 0) for p in posted)
        assert ids in ({}, {p.key: p.id for p in posted})
        ids = {p.key: p.id for p in posted}
    p = expected.parties
    with db.transaction() as s:
        balance = {
            b.account: b.balance
            for kind, owner in (
                (OwnerKind.BRAND, p.brand_id),
                (OwnerKind.CREATOR, p.creator_id),
                (OwnerKind.MCN, p.mcn_id),
            )
            if owner is not None
            for b in ledger.balances(s, owner_kind=kind, owner_id=owner)
        }
        check_balances(balance, expected)
        written = s.scalar(
            select(func.count()).select_from(LedgerPosting).where(LedgerPosting.transaction_id.in_(list(ids.values())))
        )
        assert written == sum(len(d.legs) for d in drafts)  # the replays wrote nothing


@FAST
@given(flow=flows)
def test_random_flows_on_the_database_balance_and_replays_have_one_effect(db: Database, flow: Flow) -> None:
    run_on_database(db, flow)


@pytest.mark.slow
@FULL
@given(flow=flows)
def test_many_random_flows_on_the_database(db: Database, flow: Flow) -> None:
    run_on_database(db, flow)


def test_the_ledger_balances_after_the_flows(db: Database) -> None:
    with db.transaction() as s:
        report = ledger.check(s)
    assert report.ok, report
