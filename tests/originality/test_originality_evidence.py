import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

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


def test_mounts_as_wanghong_evidence_verify(tmp_path: Path) -> None:
    root = typer.Typer()
    root.add_typer(evidence_app, name="evidence")
    log = build_log(tmp_path / "ev.jsonl", 2)
    assert CliRunner().invoke(root, ["evidence", "verify", str(log.path)]).exit_code == 0
