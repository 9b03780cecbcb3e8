import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.fixtures.world import World
from tests.originality.test_originality_claims_api import pair
from typer.testing import CliRunner

from wanghong.cli import app as root_app
from wanghong.governance import transparency
from wanghong.governance.engine.merkle import verify_inclusion
from wanghong.governance.models import TransparencyEntry
from wanghong.kit.db.session import Database
from wanghong.originality.cli import evidence_app
from wanghong.originality.engine.attribution import Fingerprint
from wanghong.originality.engine.errors import EvidenceChainError
from wanghong.originality.engine.evidence import EvidenceLog, make_entry, verify_chain

NOW = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)


def build_log(path: Path, n: int = 5) -> EvidenceLog:
    log = EvidenceLog(path)
    for k in range(n):
        fingerprint = Fingerprint("video-phash-v1" if k % 2 else "text-minhash-v1", bytes([k]) * 16)
        log.append(f"c{k}", fingerprint, {"original": "c0", "similarity": 0.9}, now=NOW)
    return log


def lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines(keepends=True)


def test_pure_chain_detects_alteration_removal_and_reordering() -> None:
    entries = []
    previous = None
    for k in range(4):
        previous = make_entry(previous, f"c{k}", Fingerprint("text-minhash-v1", b"x" * k), {"k": k}, NOW)
        entries.append(previous)
    assert verify_chain(entries).ok
    records = [json.loads(e.to_json()) for e in entries]
    altered = [dict(r) for r in records]
    altered[2]["payload"] = {"k": 99}
    assert verify_chain(altered).bad_position == 2
    assert verify_chain(records[:1] + records[2:]).bad_position == 1
    assert verify_chain([records[0], records[2], records[1], records[3]]).bad_position == 1
    assert not verify_chain(records[:3], expected_head=(3, records[3]["hash"])).ok


def test_file_log_appends_and_verifies(tmp_path: Path) -> None:
    log = build_log(tmp_path / "ev.jsonl")
    report = log.verify()
    assert report.ok and report.checked == 5 and report.head_seq == 4
    assert log.read_head() == (4, report.head_hash)


@pytest.mark.parametrize("tamper", ["alter", "remove_middle", "remove_last", "reorder", "garble"])
def test_cli_verify_exits_nonzero_on_tampering(tmp_path: Path, tamper: str) -> None:
    path = tmp_path / "ev.jsonl"
    build_log(path)
    runner = CliRunner()
    assert runner.invoke(evidence_app, [str(path)]).exit_code == 0
    content = lines(path)
    if tamper == "alter":
        content[3] = content[3].replace('"c3"', '"c9"')
    elif tamper == "remove_middle":
        del content[2]
    elif tamper == "remove_last":
        del content[-1]
    elif tamper == "reorder":
        content[1], content[2] = content[2], content[1]
    else:
        content[1] = "{not json\n"
    path.write_text("".join(content), "utf-8")
    result = runner.invoke(evidence_app, [str(path)])
    assert result.exit_code != 0
    assert "line" in result.output
    with pytest.raises(EvidenceChainError):
        EvidenceLog(path).append("c5", Fingerprint("text-minhash-v1", b"y"))


def test_cli_verify_missing_file_and_expected_head(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(evidence_app, [str(tmp_path / "none.jsonl")]).exit_code != 0
    log = build_log(tmp_path / "ev.jsonl", 3)
    seq, digest = log.read_head()  # type: ignore[misc]
    assert runner.invoke(evidence_app, [str(log.path), "--expected-head", f"{seq}:{digest}"]).exit_code == 0
    assert runner.invoke(evidence_app, [str(log.path), "--expected-head", f"{seq + 1}:{digest}"]).exit_code != 0


def test_mounts_as_wanghong_originality_verify_evidence(tmp_path: Path) -> None:
    log = build_log(tmp_path / "ev.jsonl", 2)
    assert CliRunner().invoke(root_app, ["originality", "verify-evidence", str(log.path)]).exit_code == 0
    lines_ = lines(log.path)
    log.path.write_text("".join(reversed(lines_)), "utf-8")
    assert CliRunner().invoke(root_app, ["originality", "verify-evidence", str(log.path)]).exit_code != 0


def claim_entries(db: Database, claim_id: int) -> list[TransparencyEntry]:
    with db.transaction() as s:
        query = select(TransparencyEntry).where(TransparencyEntry.record == f"originality_claims:{claim_id}")
        return list(s.scalars(query.order_by(TransparencyEntry.id)))


def test_claims_are_proven_by_the_transparency_log(client: TestClient, db: Database, world: World, as_user) -> None:
    original, copy = pair(db, world)
    filed = client.post(
        "/api/v1/originality/claims",
        json={"original_video_id": original, "copy_video_id": copy},
        headers=as_user("creatorA1"),
    )
    assert filed.status_code == 201, filed.text
    claim = filed.json()
    fingerprints = claim["evidence"]["fingerprints"]
    assert len(fingerprints["original_sha256"]) == len(fingerprints["copy_sha256"]) == 64
    (entry,) = claim_entries(db, claim["id"])
    assert entry.kind == "originality_claim.created" and entry.leaf_index is not None  # sealed at the commit
    assert json.loads(entry.content)["evidence"]["fingerprints"] == fingerprints
    decided = client.post(
        f"/api/v1/originality/claims/{claim['id']}/decision", json={"decision": "uphold"}, headers=as_user("reviewer")
    )
    assert decided.status_code == 200, decided.text
    # The decision, then the violation it created being linked: each a change of the claim's row.
    created, *changes = claim_entries(db, claim["id"])
    assert created.entry_id == entry.entry_id and changes
    updated = changes[-1]
    assert {e.kind for e in changes} == {"originality_claim.updated"}
    assert json.loads(updated.content)["status"] == "confirmed" and json.loads(updated.content)["violation_id"]
    with db.transaction() as s:
        proof = transparency.prove(s, updated.entry_id)
        assert verify_inclusion(proof.leaf_hash, proof.leaf_index, proof.tree_size, proof.audit_path, proof.root_hash)
        assert transparency.verify(s).ok


def test_a_refused_claim_leaves_no_log_entry(client: TestClient, db: Database, world: World, as_user) -> None:
    original, copy = pair(db, world)
    with db.transaction() as s:
        before = s.scalar(select(func.count()).select_from(TransparencyEntry))
    refused = client.post(
        "/api/v1/originality/claims",
        json={"original_video_id": copy, "copy_video_id": original},  # not the claimant's video
        headers=as_user("creatorA1"),
    )
    assert refused.status_code == 404
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(TransparencyEntry)) == before
