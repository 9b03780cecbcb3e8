"""`wanghong simulate` settles the simulated collaborations through the ledger: on a small simulated ecosystem,
`wanghong ledger check --json` and `wanghong ledger reconcile --json` both exit 0, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from wanghong.settlement.cli import app as ledger_app
from wanghong.settlement.models import LedgerTransaction
from wanghong.simulator.cli import simulate


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of this test's own (the simulator refuses one that already holds creators)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'sim.db'}"
        return
    server = os.environ.get("WANGHONG_TEST_DATABASE_URL")
    if not server:
        pytest.skip("set WANGHONG_TEST_DATABASE_URL to run against PostgreSQL")
    name = f"wanghong_sim_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _ledger(*args: str) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(ledger_app, list(args))
    return result.exit_code, json.loads(result.output)


def test_simulated_collaborations_are_settled_through_the_ledger(empty_url: str) -> None:
    command = typer.Typer()
    command.command()(simulate)
    result = CliRunner().invoke(command, ["--creators", "40", "--no-behaviour", "--database-url", empty_url])
    assert result.exit_code == 0, result.output
    assert "ledger transactions" in result.output
    code, checked = _ledger("check", "--json", "--database-url", empty_url)
    assert code == 0, checked
    assert checked["imbalance_fen"] == 0 and int(checked["transactions"]) > 0  # type: ignore[call-overload]
    code, reconciled = _ledger("reconcile", "--json", "--database-url", empty_url)
    assert code == 0 and reconciled["discrepancies"] == [], reconciled
    assert int(reconciled["orders"]) > 0  # type: ignore[call-overload]
    engine = create_engine(empty_url)
    try:
        with engine.connect() as connection:
            kinds = set(connection.scalars(select(LedgerTransaction.kind).distinct()))
            before = connection.scalar(select(func.count()).select_from(LedgerTransaction))
    finally:
        engine.dispose()
    assert {"budget_freeze", "fee_release", "commission_hold", "commission_release"} <= {k.value for k in kinds}
    # Releasing what matured since the period ended keeps both answers clean.
    result = CliRunner().invoke(ledger_app, ["release", "--json", "--database-url", empty_url])
    assert result.exit_code == 0, result.output
    released = json.loads(result.output)["released"]
    assert _ledger("check", "--json", "--database-url", empty_url)[1]["transactions"] == before + released
    assert _ledger("reconcile", "--json", "--database-url", empty_url)[0] == 0
