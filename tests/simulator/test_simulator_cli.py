"""`wanghong simulate`: exit codes, the calibration table, the stored rows, and a light import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer
from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner

from wanghong.commerce import models as m
from wanghong.simulator.cli import simulate


def _invoke(*args: str) -> tuple[int, str]:
    app = typer.Typer()
    app.command()(simulate)
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_a_run_without_storing_prints_the_calibration_table() -> None:
    code, output = _invoke("--creators", "60", "--seed", "3", "--no-store")
    assert code == 0, output
    assert "calibration figures" in output
    assert "模拟周期 / period" in output


def test_an_invalid_option_exits_with_2() -> None:
    code, output = _invoke("--creators", "60", "--days", "0", "--no-store")
    assert code == 2, output
    assert "invalid option" in output


def test_storing_fills_an_empty_database_and_refuses_a_second_load(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sim.db'}"
    code, output = _invoke("--creators", "40", "--no-behaviour", "--database-url", url)
    assert code == 0, output
    assert "stored" in output
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(m.Creator)).scalar_one() == 40
    finally:
        engine.dispose()
    code, output = _invoke("--creators", "40", "--no-behaviour", "--database-url", url)
    assert code == 1, output
    assert "already holds" in output


def test_importing_the_command_loads_neither_numpy_nor_the_database_layer() -> None:
    probe = "import sys, wanghong.simulator.cli; print(sorted({'numpy', 'sqlalchemy'} & set(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
