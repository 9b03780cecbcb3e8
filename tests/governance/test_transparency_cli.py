"""`wanghong evidence …`: the CLI contracts, on a database of their own (SQLite), tampered with between commands."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from tests.fixtures.world import build_world
from tests.governance.test_transparency_merkle import independent_consistency, root_from_path
from typer.testing import CliRunner, Result

from wanghong.cli import app
from wanghong.compliance.models import Violation
from wanghong.domain import Severity, ViolationStatus
from wanghong.kit.db.migrate import upgrade
from wanghong.kit.db.session import Database

RECORDS = 6


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database with a few violations (created, then confirmed: two entries each)."""
    path = tmp_path_factory.mktemp("evidence") / "clean.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    db = Database(url)
    try:
        world = build_world(db, "cli")
        for k in range(RECORDS):
            with db.transaction() as s:
                violation = Violation(
                    creator_id=world["creatorA1"], subject_type="video", category=f"c{k}", severity=Severity.LOW
                )
                s.add(violation)
                s.flush()
                violation.status = ViolationStatus.CONFIRMED
    finally:
        db.dispose()
    return path


@pytest.fixture
def log(clean: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the clean database and the key its heads are signed with."""
    path = tmp_path / "log.db"
    shutil.copy(clean, path)
    return path, tmp_path / "key.pem"


def evidence(log: tuple[Path, Path], *args: str) -> Result:
    path, key = log
    return CliRunner().invoke(app, ["evidence", *args, "--database-url", f"sqlite:///{path}", "--key", str(key)])


def listed(log: tuple[Path, Path], *args: str) -> list[dict[str, object]]:
    result = evidence(log, "list", "--json", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_list_prove_and_consistency_contracts(log: tuple[Path, Path]) -> None:
    entries = listed(log)
    size = len(entries)  # the world's records, then ours
    assert [e["leaf_index"] for e in entries] == list(range(size))
    assert [e["kind"] for e in entries[-2 * RECORDS :]] == ["violation.created", "violation.updated"] * RECORDS
    assert all(set(e) == {"entry_id", "leaf_index", "kind"} and isinstance(e["entry_id"], str) for e in entries)
    assert listed(log, "--limit", "2") == entries[-2:]

    result = evidence(log, "prove", str(entries[3]["entry_id"]), "--json")
    assert result.exit_code == 0, result.output
    proof = json.loads(result.stdout)
    assert set(proof) == {"leaf_index", "tree_size", "leaf_hash", "root_hash", "audit_path", "entry"}
    data = base64.b64decode(proof["entry"])
    leaf = hashlib.sha256(b"\x00" + data).digest()
    assert leaf.hex() == proof["leaf_hash"] and proof["leaf_index"] == 3 and proof["tree_size"] == size
    path = [bytes.fromhex(h) for h in proof["audit_path"]]
    assert root_from_path(leaf, 3, proof["tree_size"], path) == bytes.fromhex(proof["root_hash"])
    assert json.loads(data)["entry_id"] == entries[3]["entry_id"]

    result = evidence(log, "consistency", "5", str(size), "--json")
    assert result.exit_code == 0, result.output
    c = json.loads(result.stdout)
    assert set(c) == {"first_size", "second_size", "first_root", "second_root", "proof"}
    assert c["second_root"] == proof["root_hash"]
    hashes = [bytes.fromhex(h) for h in c["proof"]]
    assert independent_consistency(5, size, bytes.fromhex(c["first_root"]), bytes.fromhex(c["second_root"]), hashes)


@pytest.mark.parametrize(
    "args",
    [
        ["prove", "no-such-entry", "--json"],
        ["consistency", "0", "3", "--json"],
        ["consistency", "4", "3", "--json"],
        ["consistency", "1", "999", "--json"],
        ["consistency", "one", "3", "--json"],
        ["list", "--limit", "0", "--json"],
    ],
)
def test_bad_input_exits_2_with_a_reason(log: tuple[Path, Path], args: list[str]) -> None:
    result = evidence(log, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip()


def test_a_database_without_the_log_exits_2(tmp_path: Path) -> None:
    result = evidence((tmp_path / "empty.db", tmp_path / "key.pem"), "verify")
    assert result.exit_code == 2 and "db upgrade" in result.stderr


def sql(log: tuple[Path, Path], *statements: str) -> None:
    with sqlite3.connect(log[0]) as connection:
        for statement in statements:
            connection.execute(statement)


TAMPERING = {
    "alter entry": [
        "UPDATE transparency_entries SET entry = replace(entry, 'violation', 'vio1ation') WHERE leaf_index = 4"
    ],
    "alter content": [
        "UPDATE transparency_entries SET content = replace(content, '\"c2\"', '\"c9\"') WHERE content LIKE '%\"c2\"%'"
    ],
    "remove middle": ["DELETE FROM transparency_entries WHERE leaf_index = 5"],
    "remove last": ["DELETE FROM transparency_entries WHERE leaf_index = {last}"],
    "remove last and rewind state": [
        "DELETE FROM transparency_entries WHERE leaf_index = {last}",
        "UPDATE transparency_state SET tree_size = {last}",
    ],
    "reorder": [
        "UPDATE transparency_entries SET leaf_index = -1 WHERE leaf_index = 2",
        "UPDATE transparency_entries SET leaf_index = 2 WHERE leaf_index = 3",
        "UPDATE transparency_entries SET leaf_index = 3 WHERE leaf_index = -1",
    ],
    "forge a tree head": ["UPDATE transparency_tree_heads SET timestamp_ms = timestamp_ms + 1"],
}


@pytest.mark.parametrize("tamper", list(TAMPERING))
def test_verify_exits_1_on_tampering_and_0_when_intact(log: tuple[Path, Path], tamper: str) -> None:
    last = len(listed(log)) - 1  # listing seals and signs a head of the whole log
    intact = evidence(log, "verify")
    assert intact.exit_code == 0, intact.output
    sql(log, *(statement.format(last=last) for statement in TAMPERING[tamper]))
    result = evidence(log, "verify")
    assert result.exit_code == 1, (tamper, result.output)
    assert result.stderr.strip()
    report = json.loads(evidence(log, "verify", "--json").stdout)
    assert report["ok"] is False and report["problems"]
