"""Racing claim decisions: exactly one reviewer decides, and only the winner writes evidence (issue 13)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.commerce.racing import race, statuses
from tests.fixtures.world import World

from wanghong.compliance.models import Violation
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database
from wanghong.originality.claims import VIOLATION_CATEGORY, evidence_path
from wanghong.originality.engine.evidence import EvidenceLog
from wanghong.originality.models import OriginalityClaim

N = 20


def test_parallel_claim_decisions_decide_once(
    client: TestClient, world: World, db: Database, as_user, evidence_dir: Path
) -> None:
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
    # The evidence log is a file outside the transaction: the losers must not have appended to it.
    decided = [
        r for r in EvidenceLog(evidence_path(evidence_dir)).records() if r and r["payload"]["event"] == "claim_decided"
    ]
    assert [r["payload"]["claim_id"] for r in decided] == [claim]
