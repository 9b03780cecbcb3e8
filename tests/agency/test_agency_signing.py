"""Signing and releasing creators through the API: the creator confirms, `Creator.mcn_id` moves only then, every
step is audited and notified, answered requests are a 409, and of two answers at once one wins."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.commerce.racing import race, statuses
from tests.fixtures.world import World
from wanghong.agency.models import AgencySigning, SigningStatus, contract_share_rate
from wanghong.agency.service import add_months
from wanghong.commerce.models import Creator
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database
from wanghong.workspace.models import Notification, Recipient

Headers = Callable[[str], dict[str, str]]


def _sign(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    return client.post("/api/v1/agency/signings", headers=headers, json={"share_rate": 0.25, **body})


def _decide(client: TestClient, headers: dict[str, str], signing: int, decision: str, note: str = "") -> Any:
    body = {"decision": decision, "note": note}
    return client.post(f"/api/v1/agency/signings/{signing}/decision", headers=headers, json=body)


def _mcn_of(db: Database, creator_id: int) -> int | None:
    with db.transaction() as s:
        return s.scalar(select(Creator.mcn_id).where(Creator.id == creator_id))


def _notices(db: Database, kind: Recipient, recipient: int) -> list[str]:
    with db.transaction() as s:
        query = select(Notification.kind).where(
            Notification.recipient_kind == kind, Notification.recipient_id == recipient
        )
        return list(s.scalars(query.order_by(Notification.id)))


def test_the_creator_confirms_and_joins_the_roster(
    app_client: TestClient, world: World, db: Database, headers_of: Headers, free_creator: Any
) -> None:
    solo = free_creator("solo", 180_000)
    mcn, creator = headers_of("mcnA"), headers_of("solo")
    made = _sign(app_client, mcn, handle=f"solo_{world.tag}", share_rate=0.253, term_months=18, message="一起成长")
    assert made.status_code == 201, made.text
    signing = made.json()
    assert (signing["status"], signing["kind"], signing["share_rate"], signing["term_months"]) == (
        "pending",
        "sign",
        0.253,
        18,
    )
    assert _mcn_of(db, solo) is None  # nothing moves before the creator answers
    assert "signing_requested" in _notices(db, Recipient.CREATOR, solo)
    # The creator sees the request addressed to it; the other agency does not.
    mine = app_client.get("/api/v1/agency/signings", headers=creator, params={"status": "pending"}).json()
    assert [item["id"] for item in mine["items"]] == [signing["id"]]
    assert app_client.get(f"/api/v1/agency/signings/{signing['id']}", headers=headers_of("mcnB")).status_code == 404
    # Only the creator answers; the agency may only withdraw.
    assert _decide(app_client, mcn, signing["id"], "confirm").status_code == 403

    before = datetime.now(UTC)
    confirmed = _decide(app_client, creator, signing["id"], "confirm")
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert body["status"] == "confirmed" and _mcn_of(db, solo) == world["mcnA"]
    starts = datetime.fromisoformat(body["starts_at"])
    assert starts >= before - timedelta(seconds=1)
    assert datetime.fromisoformat(body["ends_at"]) == add_months(starts, 18)
    assert "sign_confirmed" in _notices(db, Recipient.MCN, world["mcnA"])

    again = _decide(app_client, creator, signing["id"], "decline")
    assert again.status_code == 409 and "confirmed" in again.json()["detail"]
    roster = app_client.get("/api/v1/agency/roster", headers=mcn).json()
    line = next(item for item in roster["items"] if item["creator_id"] == solo)
    assert (line["share_rate"], line["contract_id"], line["board_url"]) == (
        0.253,
        signing["id"],
        f"/workspace/collaborations?creator={solo}",
    )
    with db.transaction() as s:
        actions = set(s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "agency_signings")))
        entry = s.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "agency_signing.confirm", AuditEntry.entity_id == str(signing["id"])
            )
        ).one()
        assert (entry.detail["mcn_before"], entry.detail["mcn_after"]) == (None, world["mcnA"])
        assert {"agency_signing.request", "agency_signing.confirm"} <= actions
        assert str(contract_share_rate(s, solo, world["mcnA"], datetime.now(UTC))) == "253/1000"


def test_declines_withdrawals_and_refusals(
    app_client: TestClient, world: World, db: Database, headers_of: Headers, free_creator: Any
) -> None:
    duo = free_creator("duo")
    creator = headers_of("duo")
    declined = _sign(app_client, headers_of("mcnB"), creator_id=duo).json()
    answer = _decide(app_client, creator, declined["id"], "decline", "分成太高")
    assert answer.status_code == 200 and answer.json()["decision_note"] == "分成太高"
    assert _mcn_of(db, duo) is None
    assert "sign_declined" in _notices(db, Recipient.MCN, world["mcnB"])

    withdrawn = _sign(app_client, headers_of("mcnA"), creator_id=duo).json()
    assert _decide(app_client, creator, withdrawn["id"], "withdraw").status_code == 403
    assert _decide(app_client, headers_of("mcnA"), withdrawn["id"], "withdraw").status_code == 200
    late = _decide(app_client, creator, withdrawn["id"], "confirm")
    assert late.status_code == 409 and _mcn_of(db, duo) is None

    # A creator signed with another agency has to be released first; one pending request per agency.
    assert _sign(app_client, headers_of("mcnB"), creator_id=world["creatorA1"]).status_code == 409
    assert _sign(app_client, headers_of("mcnA"), creator_id=world["creatorA1"]).status_code == 409
    assert _sign(app_client, headers_of("mcnA"), creator_id=duo).status_code == 201
    assert _sign(app_client, headers_of("mcnA"), creator_id=duo).status_code == 409
    # Other roles have no say; bad bodies are 422.
    assert _sign(app_client, headers_of("brandA"), creator_id=duo).status_code == 403
    assert _sign(app_client, headers_of("mcnA"), creator_id=duo, handle="x").status_code == 422
    assert _sign(app_client, headers_of("mcnA"), creator_id=duo, share_rate=1.5).status_code == 422
    assert app_client.get("/api/v1/agency/signings", headers=headers_of("brandA")).status_code == 403
    # Another tenant's request is not found, whatever the decision.
    for user in ("mcnA", "creatorA1", "brandA", "reviewer"):
        foreign = _decide(app_client, headers_of(user), world["signingB"], "withdraw")
        assert foreign.status_code == 404, (user, foreign.text)


def test_a_release_the_creator_confirms_ends_the_contract(
    app_client: TestClient, world: World, db: Database, headers_of: Headers, free_creator: Any
) -> None:
    trio = free_creator("trio")
    mcn, creator = headers_of("mcnA"), headers_of("trio")
    signing = _sign(app_client, mcn, creator_id=trio, share_rate=0.4).json()
    assert _decide(app_client, creator, signing["id"], "confirm").status_code == 200
    # Only creators on the agency's own roster can be released.
    assert (
        app_client.post("/api/v1/agency/releases", headers=mcn, json={"creator_id": world["creatorB1"]}).status_code
        == 404
    )
    release = app_client.post("/api/v1/agency/releases", headers=mcn, json={"creator_id": trio, "message": "合约调整"})
    assert release.status_code == 201, release.text
    assert release.json()["contract_id"] == signing["id"] and _mcn_of(db, trio) == world["mcnA"]
    assert "release_requested" in _notices(db, Recipient.CREATOR, trio)
    roster = app_client.get("/api/v1/agency/roster", headers=mcn).json()["items"]
    assert next(i for i in roster if i["creator_id"] == trio)["release_pending"] is True

    assert _decide(app_client, creator, release.json()["id"], "confirm").status_code == 200
    assert _mcn_of(db, trio) is None
    with db.transaction() as s:
        contract = s.get(AgencySigning, signing["id"])
        assert contract is not None and contract.released_at is not None
        assert contract_share_rate(s, trio, world["mcnA"], datetime.now(UTC) + timedelta(seconds=1)) is None
        # Still the rate for money earned while the contract ran.
        assert contract.starts_at is not None
        while_running = contract.starts_at + (contract.released_at - contract.starts_at) / 2
        assert str(contract_share_rate(s, trio, world["mcnA"], while_running)) == "2/5"
    roster = app_client.get("/api/v1/agency/roster", headers=mcn).json()["items"]
    assert trio not in {i["creator_id"] for i in roster}


def test_two_answers_at_once_one_wins(
    app_client: TestClient, world: World, db: Database, headers_of: Headers, free_creator: Any
) -> None:
    quad = free_creator("quad")
    creator, mcn = headers_of("quad"), headers_of("mcnA")
    for rounds in range(3):
        signing = _sign(app_client, mcn, creator_id=quad).json()
        url = f"/api/v1/agency/signings/{signing['id']}/decision"
        calls = [("POST", url, {"decision": "confirm"}, creator), ("POST", url, {"decision": "confirm"}, creator)]
        if rounds == 2:  # the agency withdrawing while the creator confirms
            calls[1] = ("POST", url, {"decision": "withdraw"}, mcn)
        responses = race(app_client.app, calls)
        assert statuses(responses) == [200, 409], [r.text for r in responses]
        with db.transaction() as s:
            row = s.get(AgencySigning, signing["id"])
            assert row is not None and row.status in (SigningStatus.CONFIRMED, SigningStatus.WITHDRAWN)
            decided = s.scalars(
                select(AuditEntry).where(
                    AuditEntry.entity == "agency_signings",
                    AuditEntry.entity_id == str(signing["id"]),
                    AuditEntry.action != "agency_signing.request",
                )
            ).all()
            assert len(decided) == 1  # the loser wrote nothing
        if row.status is SigningStatus.CONFIRMED:
            assert _mcn_of(db, quad) == world["mcnA"]
            release = app_client.post("/api/v1/agency/releases", headers=mcn, json={"creator_id": quad}).json()
            assert _decide(app_client, creator, release["id"], "confirm").status_code == 200
        assert _mcn_of(db, quad) is None


def test_two_agencies_confirmed_at_once_sign_the_creator_once(
    app_client: TestClient, world: World, db: Database, headers_of: Headers, free_creator: Any
) -> None:
    penta = free_creator("penta")
    creator = headers_of("penta")
    ids = [_sign(app_client, headers_of(m), creator_id=penta).json()["id"] for m in ("mcnA", "mcnB")]
    calls = [("POST", f"/api/v1/agency/signings/{ident}/decision", {"decision": "confirm"}, creator) for ident in ids]
    responses = race(app_client.app, calls)
    assert statuses(responses) == [200, 409], [r.text for r in responses]
    winner = next(r.json() for r in responses if r.status_code == 200)
    assert _mcn_of(db, penta) == winner["mcn_id"]
    with db.transaction() as s:
        loser = s.get(AgencySigning, next(i for i in ids if i != winner["id"]))
        assert loser is not None and loser.status is SigningStatus.PENDING  # its confirmation rolled back whole
