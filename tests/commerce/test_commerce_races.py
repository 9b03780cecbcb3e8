"""Racing transitions: of many identical or conflicting steps sent at once, exactly one is applied (issue 13)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.commerce.racing import race, statuses
from tests.fixtures.world import World

from wanghong.commerce.models import Collaboration
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database

N = 20


def _step_url(collab: int) -> str:
    return f"/api/v1/collaborations/{collab}/transitions"


def _transitions(db: Database, collab: int) -> list[dict[str, str]]:
    with db.transaction() as s:
        return list(
            s.scalars(
                select(AuditEntry.detail).where(
                    AuditEntry.entity == "collaborations",
                    AuditEntry.entity_id == str(collab),
                    AuditEntry.action == "collaboration.transition",
                )
            )
        )


def test_parallel_identical_accepts_apply_once(app_client: TestClient, world: World, db: Database, as_user) -> None:
    collab, creator = world["collabA"], as_user("creatorA1")
    responses = race(app_client.app, [("POST", _step_url(collab), {"to": "accepted"}, creator)] * N)
    assert statuses(responses) == [200] + [409] * (N - 1), [r.text for r in responses]
    for loser in (r for r in responses if r.status_code == 409):
        detail = loser.json()["detail"]
        assert "'accepted' to 'accepted'" in detail and "legal next states: cancelled, content_submitted" in detail
    with db.transaction() as s:
        assert s.get(Collaboration, collab).status.value == "accepted"  # type: ignore[union-attr]
    assert _transitions(db, collab) == [{"from": "proposed", "to": "accepted"}]


def test_accept_and_reject_race_has_one_winner(app_client: TestClient, world: World, db: Database, as_user) -> None:
    collab, creator, mcn = world["collabB"], as_user("creatorB1"), as_user("mcnB")
    calls = [
        ("POST", _step_url(collab), {"to": "accepted" if i % 2 else "rejected"}, creator if i % 4 < 2 else mcn)
        for i in range(N)
    ]
    responses = race(app_client.app, calls)
    assert statuses(responses) == [200] + [409] * (N - 1), [r.text for r in responses]
    (winner,) = (r for r in responses if r.status_code == 200)
    won = winner.json()["status"]
    with db.transaction() as s:
        assert s.get(Collaboration, collab).status.value == won  # type: ignore[union-attr]
    assert _transitions(db, collab) == [{"from": "proposed", "to": won}]
    # Every loser learns where the collaboration went and what may follow from there.
    assert all(f"from '{won}'" in r.json()["detail"] for r in responses if r.status_code == 409)


def test_parallel_settles_pay_once(app_client: TestClient, world: World, db: Database, as_user) -> None:
    """The settlement ledger hears the one winning step: losers roll back before any subscriber runs."""
    collab, creator, brand = world["collabA"], as_user("creatorA1"), as_user("brandA")
    url = _step_url(collab)
    for headers, body in (
        (creator, {"to": "accepted"}),
        (creator, {"to": "content_submitted", "content_url": "https://v.example/race"}),
        (brand, {"to": "approved"}),
        (creator, {"to": "live"}),
    ):
        assert app_client.post(url, headers=headers, json=body).status_code == 200
    responses = race(app_client.app, [("POST", url, {"to": "settled"}, brand)] * N)
    assert statuses(responses) == [200] + [409] * (N - 1), [r.text for r in responses]
    assert [t["to"] for t in _transitions(db, collab)].count("settled") == 1
