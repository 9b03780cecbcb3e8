"""`wanghong match product` from the terminal: JSON for scripts, a clear error for an unknown product."""

from __future__ import annotations

import json
import subprocess
import sys

from fastapi.testclient import TestClient
from tests.fixtures.world import World
from typer.testing import CliRunner

from wanghong.matching.cli import app


def test_json_output_ranks_creators_for_a_product(
    matching_client: TestClient, matching_world: World, database_url: str
) -> None:
    args = ["product", str(matching_world["productA"]), "--k", "3", "--json", "--database-url", database_url]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    ranks = [item["rank"] for item in body["items"]]
    assert 1 <= len(ranks) <= 3 and ranks == sorted(ranks)
    assert all({"score", "expected_gmv", "overlaps"} <= set(item) for item in body["items"])


def test_unknown_product_exits_2_with_a_message(matching_client: TestClient, database_url: str) -> None:
    result = CliRunner().invoke(app, ["product", "987654321", "--json", "--database-url", database_url])
    assert result.exit_code == 2
    assert "987654321" in result.output


def test_loading_the_command_leaves_the_engine_unloaded() -> None:
    # `wanghong match --help` should not pay for faiss, LightGBM and the database layer.
    heavy = ("faiss", "lightgbm", "numpy", "sqlalchemy", "wanghong.matching.service")
    probe = f"import sys, wanghong.matching.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
