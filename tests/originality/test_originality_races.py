"""Racing claim decisions: exactly one reviewer decides, and only the winner writes evidence (issue 13)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.commerce.racing import race, statuses
from tests.fixtures.world import World

from wanghong.compliance.models import Violation
from wanghong.governance.models import TransparencyEntry
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database
from wanghong.originality.claims import VIOLATION_CATEGORY
from wanghong.originality.models import OriginalityClaim

N = 20


def test_parallel_claim_decisions_decide_once(client: TestClient, world: World, db: Database, as_user) -> None:
    claim = world["claimA"]
    url = f"/api/v1/originality/claims/{claim}/decision"
    reviewer = as_user("reviewer")
    calls = [("POST", url, {"decision": "uphold" if i % 2 else "dismiss"}, reviewer) for i in range(N)]
    responses = race(client.app, calls)
    assert statuses(responses) == [200] + [409] * (N - 1), [r.text for r in responses]
    (winner,) = (r for r in responses if r.status_code == 200)
    won = winner.json()["status"]
    assert all("decided" in r.json()["detail"] for r in responses if r.status_code == 409)
    with db.transaction() as s:
        stored = s.get(OriginalityClaim, claim)
        assert stored is not None and stored.status.value == won
        decisions = s.scalar(
            select(func.count()).where(
                AuditEntry.action == "originality_claim.decide", AuditEntry.entity_id == str(claim)
            )
        )
        copies = s.scalar(
            select(func.count()).where(
                Violation.category == VIOLATION_CATEGORY, Violation.creator_id == world["creatorA1"]
            )
        )
    assert decisions == 1 and copies == (1 if won == "confirmed" else 0)
    # The transparency log is written in the deciding transaction: the losers' rolled back with them.
    with db.transaction() as s:
        contents = [
            json.loads(c)
            for c in s.scalars(
                select(TransparencyEntry.content).where(
                    TransparencyEntry.record == f"originality_claims:{claim}",
                    TransparencyEntry.kind == "originality_claim.updated",
                )
            )
        ]
    assert {c["status"] for c in contents} == {won}
    # An upheld decision also links its violation: two updates of the row.
    assert len(contents) == (2 if won == "confirmed" else 1)
