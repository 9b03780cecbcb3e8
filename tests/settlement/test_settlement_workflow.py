"""Money through the ledger as collaborations move, through the API, on SQLite and PostgreSQL: acceptance freezes
the fee within the campaign's budget, approval and settlement release it, an attributed order's commission is held
and released after its return window, a rejected or cancelled collaboration unfreezes, and a replay posts nothing
twice."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.fixtures.world import World

from wanghong.commerce import hooks
from wanghong.commerce.models import Collaboration, LivestreamSession
from wanghong.kit.db.session import Database
from wanghong.settlement import collaborations, ledger
from wanghong.settlement.engine import PLATFORM_ID, AccountRef, OwnerKind, Purpose
from wanghong.settlement.models import LedgerAccount, LedgerPosting, LedgerTransaction


@pytest.fixture(autouse=True)
def _rates(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "WANGHONG_SERVICE_FEE_RATE": "0.05",
        "WANGHONG_MCN_SHARE_RATE": "0.3",
        "WANGHONG_FEE_RELEASE_ON_APPROVAL": "0.5",
        "WANGHONG_PAYOUT_DAYS": "7",
    }.items():
        monkeypatch.setenv(name, value)


def _step(client: TestClient, headers: dict[str, str], collab: int, to: str, **extra: str) -> Any:
    return client.post(f"/api/v1/collaborations/{collab}/transitions", headers=headers, json={"to": to, **extra})


def _propose(client: TestClient, world: World, headers: dict[str, str], fee: str) -> int:
    response = client.post(
        "/api/v1/collaborations",
        headers=headers,
        json={
            "campaign_id": world["campaignA"],
            "creator_id": world["creatorA1"],
            "product_id": world["productA"],
            "mode": "creator_distribution",
            "fee": fee,
            "commission_rate": 0.2,
        },
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _balance(db: Database, kind: OwnerKind, owner: int, purpose: Purpose) -> int:
    with db.transaction() as s:
        return ledger.balance(s, AccountRef(kind, owner, purpose))


def _transactions(db: Database, collab: int) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).where(LedgerTransaction.collaboration_id == collab)) or 0


def _platform_fee_of(db: Database, collab: int) -> int:
    with db.transaction() as s:
        total = s.scalar(
            select(func.coalesce(func.sum(LedgerPosting.amount), 0))
            .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
            .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
            .where(
                LedgerTransaction.collaboration_id == collab,
                LedgerAccount.owner_kind == OwnerKind.PLATFORM,
                LedgerAccount.owner_id == PLATFORM_ID,
            )
        )
    return int(total or 0)


def _remaining(db: Database, world: World) -> int:
    with db.transaction() as s:
        return collaborations.remaining_budget_fen(s, world["campaignA"])


def test_accept_approve_live_settle_moves_the_money(
    app_client: TestClient, world: World, db: Database, as_user: Any
) -> None:
    brand, creator, admin = as_user("brandA"), as_user("creatorA1"), as_user("admin")
    collab = _propose(app_client, world, brand, "8000.00")
    assert _transactions(db, collab) == 0  # a proposal moves no money
    assert _step(app_client, creator, collab, "accepted").status_code == 200
    assert _balance(db, OwnerKind.BRAND, world["brandA"], Purpose.FROZEN) == 800_000
    assert _remaining(db, world) == 5_000_000 - 800_000
    assert _step(app_client, creator, collab, "content_submitted", content_url="https://v.example/1").status_code == 200
    assert _step(app_client, brand, collab, "approved").status_code == 200
    # Half on approval: 5% service fee, then the MCN's 30% of the rest, the creator the remainder.
    assert _balance(db, OwnerKind.BRAND, world["brandA"], Purpose.FROZEN) == 400_000
    assert _balance(db, OwnerKind.CREATOR, world["creatorA1"], Purpose.RECEIVABLE) == 266_000
    assert _balance(db, OwnerKind.MCN, world["mcnA"], Purpose.SHARE) == 114_000
    assert _step(app_client, creator, collab, "live").status_code == 200

    with db.transaction() as s:
        live = LivestreamSession(creator_id=world["creatorA1"], collaboration_id=collab, started_at=datetime.now(UTC))
        s.add(live)
        s.flush()
        live_id = live.id
    now = datetime.now(UTC)
    events = [
        ("old", "199.99", now - timedelta(days=3)),  # its return window has passed: held and released at once
        ("new", "99.00", now),  # still returnable: held
    ]
    batch = {
        "events": [
            {
                "event_id": f"settle-{world.tag}-{name}",
                "type": "order",
                "payload": {
                    "product_id": world["productA"],
                    "creator_id": world["creatorA1"],
                    "livestream_id": live_id,
                    "amount": amount,
                    "ordered_at": at.isoformat(),
                },
            }
            for name, amount, at in events
        ]
    }
    assert app_client.post("/api/v1/events:batch", headers=admin, json=batch).status_code == 200
    assert _balance(db, OwnerKind.CREATOR, world["creatorA1"], Purpose.COMMISSION_PENDING) == 1_980

    settled = _step(app_client, brand, collab, "settled")
    assert settled.status_code == 200 and settled.json()["status"] == "settled"
    assert _balance(db, OwnerKind.BRAND, world["brandA"], Purpose.FROZEN) == 0
    assert _balance(db, OwnerKind.BRAND, world["brandA"], Purpose.BUDGET) == -800_000 - 4_000 - 1_980
    # Two fee halves of 266,000 and the released commission of 4,000 (200 fee, 1,140 share, 2,660 creator).
    assert _balance(db, OwnerKind.CREATOR, world["creatorA1"], Purpose.RECEIVABLE) == 2 * 266_000 + 2_660
    assert _balance(db, OwnerKind.MCN, world["mcnA"], Purpose.SHARE) == 2 * 114_000 + 1_140
    assert _platform_fee_of(db, collab) == 2 * 20_000 + 200
    assert _remaining(db, world) == 5_000_000 - 800_000  # commissions are paid on sales, not from the budget
    with db.transaction() as s:
        due = s.scalars(
            select(LedgerTransaction.due_at).where(
                LedgerTransaction.collaboration_id == collab, LedgerTransaction.key.like("%:release:%")
            )
        ).all()
    assert len(due) == 2 and all(d is not None and d > now + timedelta(days=6) for d in due)  # T+7

    # After the window the held commission is released, once.
    with db.transaction() as s:
        released = collaborations.release_matured(s, collaborations.current_policy(), now + timedelta(hours=49))
    assert released and all(p.kind.value == "commission_release" for p in released)
    assert _balance(db, OwnerKind.CREATOR, world["creatorA1"], Purpose.COMMISSION_PENDING) == 0
    with db.transaction() as s:
        again = collaborations.release_matured(s, collaborations.current_policy(), now + timedelta(hours=49))
    assert not {p.key for p in again} & {p.key for p in released}
    # 1,980 held: 99 service fee, 564 the MCN's share, 1,317 the creator's.
    assert _balance(db, OwnerKind.CREATOR, world["creatorA1"], Purpose.RECEIVABLE) == 2 * 266_000 + 2_660 + 1_317


def test_a_replayed_transition_posts_nothing_twice(
    app_client: TestClient, world: World, db: Database, as_user: Any
) -> None:
    brand, creator = as_user("brandA"), as_user("creatorA1")
    collab = _propose(app_client, world, brand, "1000.00")
    for to, extra in (
        ("accepted", {}),
        ("content_submitted", {"content_url": "https://v.example/2"}),
        ("approved", {}),
        ("live", {}),
        ("settled", {}),
    ):
        side = brand if to in ("approved", "settled") else creator
        assert _step(app_client, side, collab, to, **extra).status_code == 200
    posted = _transactions(db, collab)
    assert posted == 3  # freeze, release on approval, release on settlement
    for _ in range(10):
        with db.transaction() as s:
            row = s.get(Collaboration, collab)
            assert row is not None
            hooks.written(s, None, row)  # the write announced again, as a retried request would
            assert collaborations.settle_collaboration(s, row, collaborations.current_policy()) == []
    assert _transactions(db, collab) == posted
    assert _balance(db, OwnerKind.CREATOR, world["creatorA1"], Purpose.RECEIVABLE) == 2 * 33_250
    # Sent back for another round and accepted again: the freeze is not posted (nor budget spent) twice.
    other = _propose(app_client, world, brand, "500.00")
    assert _step(app_client, creator, other, "accepted").status_code == 200
    assert _step(app_client, creator, other, "content_submitted", content_url="https://v.example/3").status_code == 200
    assert _step(app_client, brand, other, "accepted").status_code == 200
    assert _transactions(db, other) == 1
    assert _remaining(db, world) == 5_000_000 - 100_000 - 50_000


def test_a_rejected_collaboration_unfreezes(app_client: TestClient, world: World, db: Database, as_user: Any) -> None:
    brand, creator = as_user("brandA"), as_user("creatorA1")
    rejected = _propose(app_client, world, brand, "2000.00")
    assert _step(app_client, creator, rejected, "rejected").status_code == 200
    # Rejected before acceptance: nothing was frozen, nothing is owed, the budget is whole.
    assert _transactions(db, rejected) == 0
    assert _remaining(db, world) == 5_000_000
    cancelled = _propose(app_client, world, brand, "2000.00")
    assert _step(app_client, creator, cancelled, "accepted").status_code == 200
    assert _remaining(db, world) == 5_000_000 - 200_000
    assert _step(app_client, brand, cancelled, "cancelled").status_code == 200
    assert _balance(db, OwnerKind.BRAND, world["brandA"], Purpose.FROZEN) == 0
    assert _balance(db, OwnerKind.BRAND, world["brandA"], Purpose.BUDGET) == 0
    assert _remaining(db, world) == 5_000_000
    assert _transactions(db, cancelled) == 2  # freeze and unfreeze
    with db.transaction() as s:
        row = s.get(Collaboration, cancelled)
        assert row is not None
        assert collaborations.settle_collaboration(s, row, collaborations.current_policy()) == []
    assert _transactions(db, cancelled) == 2


def test_a_fee_beyond_the_campaign_budget_is_refused(
    app_client: TestClient, world: World, db: Database, as_user: Any
) -> None:
    brand, creator = as_user("brandA"), as_user("creatorA1")
    first = _propose(app_client, world, brand, "30000.00")
    second = _propose(app_client, world, brand, "30000.00")
    assert _step(app_client, creator, first, "accepted").status_code == 200
    refused = _step(app_client, creator, second, "accepted")
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["title"] == "Budget exhausted"
    assert "20000.00" in problem["detail"] and "30000.00" in problem["detail"]
    with db.transaction() as s:
        row = s.get(Collaboration, second)
        assert row is not None and row.status.value == "proposed"  # the transition rolled back with the refusal
    assert _transactions(db, second) == 0
    # Once the first is cancelled its fee is back in the budget, and the second fits.
    assert _step(app_client, brand, first, "cancelled").status_code == 200
    assert _step(app_client, creator, second, "accepted").status_code == 200


def test_the_app_subscribes_settlement_to_collaboration_writes() -> None:
    probe = (
        "import wanghong.app; from wanghong.commerce import hooks; from wanghong.commerce.models import Collaboration; "
        "print(any(h.__module__ == 'wanghong.settlement.collaborations' "
        "for h in hooks._SUBSCRIBERS.get(Collaboration, [])))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"
