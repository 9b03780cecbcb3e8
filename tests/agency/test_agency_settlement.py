"""Issue 14, per contract: the MCN's 分成 of each payment is the share of the creator's signing contract in force
when the money is released, not one global rate; a creator with no contract on record keeps the default."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.world import World
from wanghong.kit.db.session import Database
from wanghong.settlement import ledger
from wanghong.settlement.engine import AccountRef, OwnerKind, Purpose, portion


@pytest.fixture(autouse=True)
def _rates(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "WANGHONG_SERVICE_FEE_RATE": "0.05",
        "WANGHONG_MCN_SHARE_RATE": "0.3",
        "WANGHONG_FEE_RELEASE_ON_APPROVAL": "0.5",
    }.items():
        monkeypatch.setenv(name, value)


def _settle(client: TestClient, world: World, headers_of: Any, creator_id: int, fee: str) -> int:
    brand, mcn = headers_of("brandA"), headers_of("mcnA")
    proposal = {
        "campaign_id": world["campaignA"],
        "creator_id": creator_id,
        "mode": "creator_distribution",
        "fee": fee,
        "commission_rate": 0.1,
    }
    made = client.post("/api/v1/collaborations", headers=brand, json=proposal)
    assert made.status_code == 201, made.text
    collab = int(made.json()["id"])
    # The creator side of the workflow is taken by the agency here; the brand approves and settles.
    for headers, to, extra in (
        (mcn, "accepted", {}),
        (mcn, "content_submitted", {"content_url": "https://v.example/contract"}),
        (brand, "approved", {}),
        (mcn, "live", {}),
        (brand, "settled", {}),
    ):
        step = client.post(f"/api/v1/collaborations/{collab}/transitions", headers=headers, json={"to": to, **extra})
        assert step.status_code == 200, step.text
    return collab


def _shares(db: Database, mcn_id: int) -> dict[int, int]:
    with db.transaction() as s:
        lines = ledger.statement(s, OwnerKind.MCN, mcn_id, limit=10_000)
    by_collaboration: dict[int, int] = defaultdict(int)
    for line in lines:
        if line.purpose is Purpose.SHARE and line.collaboration_id is not None:
            by_collaboration[line.collaboration_id] += line.amount_fen
    return by_collaboration


def _expected_share(fee_fen: int, rate: str) -> int:
    # Each half of the fee is split on its own: the 5% service fee first, then the agency's share of the rest.
    halves = (portion(fee_fen, "1/2"), fee_fen - portion(fee_fen, "1/2"))
    return sum(portion(half - portion(half, "0.05"), rate) for half in halves)


def test_two_creators_with_different_contracts_split_differently(
    app_client: TestClient, world: World, db: Database, headers_of: Any, free_creator: Any
) -> None:
    mcn = headers_of("mcnA")
    rates = {"low": "0.15", "high": "0.45"}
    creators = {}
    for name, rate in rates.items():
        creators[name] = free_creator(f"split{name}", 120_000)
        signing = app_client.post(
            "/api/v1/agency/signings", headers=mcn, json={"creator_id": creators[name], "share_rate": float(rate)}
        ).json()
        confirmed = app_client.post(
            f"/api/v1/agency/signings/{signing['id']}/decision",
            headers=headers_of(f"split{name}"),
            json={"decision": "confirm"},
        )
        assert confirmed.status_code == 200, confirmed.text

    fee = "3333.33"  # odd fen on purpose: the splits round by largest remainder
    collabs = {name: _settle(app_client, world, headers_of, creators[name], fee) for name in rates}
    legacy = _settle(app_client, world, headers_of, world["creatorA2"], fee)  # signed with no contract on record

    shares = _shares(db, world["mcnA"])
    assert shares[collabs["low"]] == _expected_share(333_333, "0.15")
    assert shares[collabs["high"]] == _expected_share(333_333, "0.45")
    assert shares[legacy] == _expected_share(333_333, "0.3")
    assert shares[collabs["high"]] > shares[legacy] > shares[collabs["low"]]
    # The creator gets what the platform and the agency do not: nothing is lost.
    half = portion(333_333, "1/2")
    service = portion(half, "0.05") + portion(333_333 - half, "0.05")
    with db.transaction() as s:
        for name in rates:
            receivable = ledger.balance(s, AccountRef(OwnerKind.CREATOR, creators[name], Purpose.RECEIVABLE))
            assert receivable + shares[collabs[name]] + service == 333_333

    # The agency's tier page reads the same split per creator.
    split = {line["creator_id"]: line for line in app_client.get("/api/v1/agency/tier", headers=mcn).json()["split"]}
    assert split[creators["low"]]["share_rate"] == 0.15 and split[creators["high"]]["share_rate"] == 0.45
    assert split[creators["high"]]["share_earned"] == f"{_expected_share(333_333, '0.45') / 100:.2f}"
    assert split[world["creatorA2"]]["share_rate"] is None


def test_the_roster_shows_each_creators_earnings_from_its_own_accounts(
    app_client: TestClient, world: World, db: Database, headers_of: Any
) -> None:
    """达人管理 sums the roster's accounts only (not every creator's on the platform), for the agency's manager
    and for an administrator naming the agency alike, and shows what the creator's own accounts hold."""
    from wanghong.accounts.principal import Principal
    from wanghong.agency.service import roster
    from wanghong.domain import Role

    _settle(app_client, world, headers_of, world["creatorA1"], "2000.00")
    manager = Principal(1, "mcnA", Role.MCN_MANAGER, mcn_id=world["mcnA"])
    admin = Principal(2, "admin", Role.ADMIN)
    with db.transaction() as s:
        own = {
            found.account.purpose: found.balance
            for found in ledger.balances(s, owner_kind=OwnerKind.CREATOR, owner_id=world["creatorA1"])
        }
        seen = {
            who: {line.creator.id: (line.earned_fen, line.pending_fen) for line in roster(s, who, world["mcnA"])}
            for who in (manager, admin)
        }
    expected = (own.get(Purpose.RECEIVABLE, 0) + own.get(Purpose.PAID, 0), own.get(Purpose.COMMISSION_PENDING, 0))
    assert expected[0] > 0
    assert seen[manager] == seen[admin] and seen[manager][world["creatorA1"]] == expected
    assert world["creatorB1"] not in seen[manager]
