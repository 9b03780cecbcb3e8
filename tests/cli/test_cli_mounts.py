"""The `wanghong` entry point: every capability's sub-command is mounted, and none is loaded before it runs."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from wanghong.cli import MOUNTS, app


def test_help_lists_every_mount_without_loading_them() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for name, mount in MOUNTS.items():
        assert name in result.output
        assert mount.help.split(" / ")[0] in result.output


def test_every_mount_resolves_to_a_command_with_help() -> None:
    for name in MOUNTS:
        result = CliRunner().invoke(app, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage" in result.output


def test_originality_keeps_its_video_sub_app() -> None:
    result = CliRunner().invoke(app, ["originality", "video", "--help"])
    assert result.exit_code == 0
    assert "index" in result.output and "match" in result.output


def test_unknown_command_exits_2() -> None:
    assert CliRunner().invoke(app, ["no-such-command"]).exit_code == 2


def test_importing_the_cli_loads_no_engine_or_database_library() -> None:
    probe = (
        "import sys, wanghong.cli; "
        "print(' '.join(m for m in ('sqlalchemy', 'pandas', 'sklearn', 'ibis', 'pyspark', 'numpy', 'fastapi') "
        "if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []


def test_db_upgrade_migrates_a_new_database(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # `db` has one command; it must stay a group, or `wanghong db upgrade` (the Makefile's first step) breaks.
    url = f"sqlite:///{tmp_path / 'new.db'}"
    monkeypatch.setenv("WANGHONG_DATABASE_URL", url)
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "head" in result.output and (tmp_path / "new.db").exists()
