"""`wanghong evidence verify` reads the log the server writes, and no crash mid-append reads as tampering.

Each backend gets a database of its own (SQLite always, PostgreSQL when WANGHONG_TEST_DATABASE_URL is set), since
these tests kill writers and tamper with the log on purpose.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from tests.fixtures.databases import migrated_database
from tests.fixtures.world import build_world
from typer.testing import CliRunner, Result

from wanghong.app import create_app
from wanghong.cli import app as cli
from wanghong.compliance.models import Violation
from wanghong.config import Settings
from wanghong.domain import Severity
from wanghong.governance import transparency
from wanghong.kit.db.session import Database

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with migrated_database(request.param, tmp_path, prefix="wanghong_evidence") as url:
        yield url


@pytest.fixture
def env(url: str, tmp_path: Path) -> dict[str, str]:
    """The environment `wanghong serve` and `wanghong evidence` both read their settings from."""
    return {"WANGHONG_DATABASE_URL": url, "WANGHONG_TRANSPARENCY_KEY": str(tmp_path / "log.pem")}


def evidence(env: dict[str, str], *args: str) -> Result:
    # No --database-url and no --key: the command must find the server's log through the settings alone.
    return CliRunner().invoke(cli, ["evidence", *args], env=env)


def verified(env: dict[str, str]) -> dict[str, object]:
    result = evidence(env, "verify", "--json")
    assert result.exit_code == 0, result.output
    report: dict[str, object] = json.loads(result.stdout)
    return report


def size(env: dict[str, str]) -> int:
    result = evidence(env, "list", "--json")
    assert result.exit_code == 0, result.output
    return len(result.stdout.splitlines())


def violation(db: Database, creator_id: int, category: str) -> None:
    with db.transaction() as s:
        s.add(Violation(creator_id=creator_id, subject_type="video", category=category, severity=Severity.LOW))


@pytest.fixture
def server(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Database, int]]:
    """The server's own database object, as `create_app` builds it from the environment, and a creator in it."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    application = create_app(Settings.from_env())
    db: Database = application.state.db
    world = build_world(db, uuid.uuid4().hex[:6])
    violation(db, world["creatorA1"], "first")
    try:
        yield db, world["creatorA1"]
    finally:
        db.dispose()


def test_verify_checks_the_database_the_server_writes(server: tuple[Database, int], env: dict[str, str]) -> None:
    db, _creator = server
    grown = size(env)
    assert grown > 0 and verified(env)["tree_size"] == grown
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE transparency_entries SET record = 'violations:0' WHERE leaf_index = 0"))
    result = evidence(env, "verify")
    assert result.exit_code == 1 and result.stderr.strip()


def test_a_rolled_back_append_leaves_no_trace(server: tuple[Database, int], env: dict[str, str]) -> None:
    db, creator = server
    before = size(env)
    with pytest.raises(RuntimeError), db.transaction() as s:
        s.add(Violation(creator_id=creator, subject_type="video", category="rolled", severity=Severity.LOW))
        s.flush()
        assert transparency.seal(s) > 0  # leaves and the new root are written, then the transaction fails
        raise RuntimeError("the writer fails before its commit")
    assert verified(env)["ok"] is True and size(env) == before
    violation(db, creator, "after")
    assert size(env) == before + 1 and verified(env)["pending"] == 0


KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from wanghong.compliance.models import Violation
    from wanghong.domain import Severity
    from wanghong.governance import transparency
    from wanghong.kit.db.session import Database

    url, creator, where = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    db = Database(url)
    session = db.sessions()
    session.add(Violation(creator_id=creator, subject_type="video", category="killed", severity=Severity.LOW))
    session.flush()  # the trigger has added the pending entry
    if where == "sealed":
        transparency.seal(session)  # leaves, hashes and the state row's new root, not yet committed
    elif where == "committed":
        # Committed without sealing, as a writer that lost the race for the state row leaves it.
        session.info.pop("transparency.wrote_captured", None)
        session.commit()
    sys.stdout.write("ready\\n")
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


@pytest.mark.parametrize("where", ["appended", "sealed", "committed"])
def test_a_writer_killed_mid_append_is_not_tampering(
    server: tuple[Database, int], env: dict[str, str], url: str, where: str
) -> None:
    db, creator = server
    before = size(env)
    child = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, url, str(creator), where],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL and child.stdout == "ready\n", child.stderr
    report = verified(env)
    assert report["ok"] is True and report["problems"] == []
    committed = 1 if where == "committed" else 0
    assert report["pending"] == committed
    # Later appends (a claim, a penalty, …) are taken as before, and the log still verifies.
    violation(db, creator, "later")
    assert size(env) == before + committed + 1
    assert verified(env)["ok"] is True
