"""`wanghong traffic evaluate` on the platform's own simulated population, with a mid-tier guarantee."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from wanghong.traffic.cli import app

ARGS = ["evaluate", "--stream", "simulator", "--creators", "1500", "--requests", "2000", "--json"]


def _run(*extra: str) -> dict[str, dict[str, float]]:
    result = CliRunner().invoke(app, [*ARGS, *extra])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return {row["policy"]: row for row in lines}


def test_fair_policy_spreads_exposure_and_honours_the_mid_tier_guarantee() -> None:
    plain = _run("--policy", "greedy", "--policy", "fair")
    assert set(plain["fair"]) == {
        "policy",
        "k",
        "gini",
        "utility",
        "minmax",
        "head_share",
        "mid_share",
        "decisions_per_s",
    }
    assert plain["fair"]["gini"] < plain["greedy"]["gini"] - 0.3
    guaranteed = _run("--policy", "fair", "--min-tier-share", "mid=0.3")
    assert guaranteed["fair"]["mid_share"] >= 0.29  # converged to the 0.30 guarantee within a slate or so
    assert guaranteed["fair"]["mid_share"] > plain["fair"]["mid_share"]


def test_bad_tier_share_is_explained() -> None:
    result = CliRunner().invoke(app, [*ARGS, "--policy", "fair", "--min-tier-share", "giant=0.3"])
    assert result.exit_code != 0 and "TIER=SHARE" in result.output


def test_the_labels_name_every_policy_of_the_engine_in_its_order() -> None:
    from wanghong.traffic.cli import POLICY_LABELS
    from wanghong.traffic.engine.evaluation import POLICY_NAMES

    assert tuple(POLICY_LABELS) == POLICY_NAMES


def test_loading_the_command_leaves_the_engine_unloaded() -> None:
    # `wanghong traffic --help` should not pay for numpy and the allocators.
    heavy = ("numpy", "wanghong.traffic.engine")
    probe = f"import sys, wanghong.traffic.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
