"""`wanghong ledger check|reconcile`: the JSON contracts, the exit codes, the bilingual tables, a fast import."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from wanghong.commerce.models import Brand, Campaign, Collaboration, Creator, LivestreamSession, Order, Product
from wanghong.domain import CollaborationMode, FollowerTier
from wanghong.kit.db.migrate import upgrade
from wanghong.kit.db.session import Database
from wanghong.settlement import ledger
from wanghong.settlement.cli import app
from wanghong.settlement.engine import (
    AccountRef,
    Kind,
    Leg,
    OwnerKind,
    Parties,
    Purpose,
    commission_hold,
    payout_batch,
    payout_due,
)

runner = CliRunner()
T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def fresh(tmp_path: Path) -> Database:
    """A database of its own, so the whole-ledger answers depend on this test alone."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    upgrade(url)
    database = Database(url)
    yield database  # type: ignore[misc]
    database.dispose()


def attributed_order(db: Database, amount: str = "199.99", rate: float = 0.2) -> tuple[Parties, int]:
    """A brand, a creator, a collaboration, its livestream and one order from it."""
    with db.transaction() as s:
        brand = Brand(name="品牌", industry="beauty")
        creator = Creator(handle="c", display_name="c", followers=10, follower_tier=FollowerTier.NANO)
        s.add_all([brand, creator])
        s.flush()
        campaign = Campaign(brand_id=brand.id, name="活动")
        product = Product(brand_id=brand.id, name="面霜", category="beauty", price=Decimal(amount))
        s.add_all([campaign, product])
        s.flush()
        collaboration = Collaboration(
            campaign_id=campaign.id,
            creator_id=creator.id,
            mode=CollaborationMode.CREATOR_DISTRIBUTION,
            commission_rate=rate,
        )
        s.add(collaboration)
        s.flush()
        live = LivestreamSession(creator_id=creator.id, collaboration_id=collaboration.id, started_at=T0)
        s.add(live)
        s.flush()
        order = Order(
            product_id=product.id, creator_id=creator.id, livestream_id=live.id, amount=Decimal(amount), ordered_at=T0
        )
        s.add(order)
        s.flush()
        return Parties(collaboration.id, brand.id, creator.id), order.id


def test_check_on_an_empty_ledger_prints_the_contract_and_exits_0(fresh: Database) -> None:
    code, output = run("check", "--json", "--database-url", fresh.url)
    assert code == 0
    assert json.loads(output) == {"transactions": 0, "postings": 0, "imbalance_fen": 0}


def test_check_on_the_shared_database_exits_0_with_the_contract_fields(db: Database) -> None:
    code, output = run("check", "--json", "--database-url", db.url)
    report = json.loads(output)
    assert code == 0 and set(report) == {"transactions", "postings", "imbalance_fen"}
    assert all(isinstance(v, int) for v in report.values()) and report["imbalance_fen"] == 0


def test_check_exits_1_on_a_ledger_whose_guard_was_removed(fresh: Database) -> None:
    # A database restored without its triggers (or edited by hand) must still be caught by the check.
    with fresh.transaction() as s:
        refs = [AccountRef(OwnerKind.BRAND, 1, Purpose.BUDGET), AccountRef(OwnerKind.BRAND, 1, Purpose.FROZEN)]
        ids = ledger.account_ids_of(s, refs)
    with fresh.engine.begin() as c:
        c.execute(text("DROP TRIGGER ledger_transactions_balanced"))
        c.execute(
            text(
                "INSERT INTO ledger_transactions (key, kind, memo, sealed, created_at) "
                "VALUES ('bad', 'correction', '', 0, CURRENT_TIMESTAMP)"
            )
        )
        budget, frozen = (ids[ref] for ref in refs)
        for account, amount in ((budget, -100), (frozen, 50)):
            c.execute(
                text(
                    "INSERT INTO ledger_postings (transaction_id, account_id, amount) "
                    "VALUES ((SELECT id FROM ledger_transactions WHERE key = 'bad'), :a, :m)"
                ),
                {"a": account, "m": amount},
            )
        c.execute(text("UPDATE ledger_transactions SET sealed = 1 WHERE key = 'bad'"))
    code, output = run("check", "--json", "--database-url", fresh.url)
    assert code == 1
    assert json.loads(output) == {"transactions": 1, "postings": 2, "imbalance_fen": 50}
    code, output = run("check", "--database-url", fresh.url)
    assert code == 1 and "账本校验" in output and "ledger check" in output and "NOT balanced" in output


def test_reconcile_lists_an_order_without_its_commission_then_nothing_once_it_is_held(fresh: Database) -> None:
    p, order_id = attributed_order(fresh)
    code, output = run("reconcile", "--json", "--database-url", fresh.url)
    report = json.loads(output)
    assert code == 1 and report["orders"] == 1
    [missing] = report["discrepancies"]
    assert missing["kind"] == "missing_commission" and missing["order_id"] == order_id
    assert missing["expected_fen"] == 4_000 and missing["actual_fen"] == 0
    hold = commission_hold(p, order_id, 19_999, 0.2)
    assert hold is not None
    with fresh.transaction() as s:
        ledger.post_many(s, [hold])
    code, output = run("reconcile", "--json", "--database-url", fresh.url)
    assert code == 0 and json.loads(output) == {"orders": 1, "discrepancies": []}
    code, output = run("reconcile", "--database-url", fresh.url)
    assert code == 0 and "无差异" in output and "no discrepancies" in output


def test_reconcile_names_a_wrong_commission_and_an_overdrawn_payout(fresh: Database) -> None:
    p, order_id = attributed_order(fresh)
    pending = AccountRef(OwnerKind.CREATOR, p.creator_id, Purpose.COMMISSION_PENDING)
    budget = AccountRef(OwnerKind.BRAND, p.brand_id, Purpose.BUDGET)
    with fresh.transaction() as s:
        ledger.post(
            s,
            key=f"order:{order_id}:commission:hold",
            kind=Kind.COMMISSION_HOLD,
            legs=[Leg(budget, -3_999), Leg(pending, 3_999)],
            collaboration_id=p.collaboration_id,
            order_id=order_id,
        )
        ledger.post_many(s, [payout_batch("b1", [(p.creator_id, 500)], payout_due(T0))])
    code, output = run("reconcile", "--json", "--database-url", fresh.url)
    assert code == 1
    found = {d["kind"]: d for d in json.loads(output)["discrepancies"]}
    assert set(found) == {"commission_amount", "payout_overdraws"}
    assert found["commission_amount"]["order_id"] == order_id
    assert (found["commission_amount"]["expected_fen"], found["commission_amount"]["actual_fen"]) == (4_000, 3_999)
    assert found["payout_overdraws"]["creator_id"] == p.creator_id and found["payout_overdraws"]["actual_fen"] == -500
    code, output = run("reconcile", "--database-url", fresh.url)
    assert code == 1 and "差异" in output and "discrepancies" in output


def test_an_unreadable_database_exits_2(tmp_path: Path) -> None:
    code, _ = run("check", "--json", "--database-url", f"sqlite:///{tmp_path / 'empty.db'}")
    assert code == 2


def test_the_cli_module_imports_without_the_database_stack() -> None:
    heavy = "('sqlalchemy', 'rich', 'pydantic')"
    probe = f"import sys, wanghong.settlement.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
