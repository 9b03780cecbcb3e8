"""`wanghong growth effect`: the JSON contract, missing rows reported, bad input refused with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from wanghong.growth.cli import app

FIELDS = {"estimate", "ci_low", "ci_high", "naive", "estimand", "method", "refutations"}


def write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    rows = []
    for i in range(600):
        x1, x2 = rng.random(), rng.random()
        t = int(rng.random() < 0.2 + 0.6 * x1)
        y = 2.0 * t + 3 * x1 + x2 + rng.normal()
        rows.append(f"{t},{y:.4f},{x1:.4f},{'' if i % 100 == 7 else f'{x2:.4f}'},shop{i % 3}")
    return write(tmp_path / "effect.csv", "t,y,x1,x2,shop", rows)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["effect", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow  # the first EconML import alone takes ~10 s (it pulls in DoWhy and SymPy)
def test_json_contract_with_missing_rows_reported(data: Path) -> None:
    code, out, err = run("--data", str(data), "--treatment", "t", "--outcome", "y", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert set(result) >= FIELDS
    assert result["ci_low"] <= result["estimate"] <= result["ci_high"]
    assert result["ci_low"] <= 2.0 <= result["ci_high"]
    assert result["estimand"] == "ate"
    assert result["rows_dropped"] == 6 and result["rows"] == 594
    assert result["covariates"] == ["x1", "x2"]  # the text column is not a covariate, and is said so
    assert "6" in err and "shop" in err
    assert set(result["refutations"]) == {"placebo_treatment", "random_common_cause", "data_subset"}
    assert all(isinstance(r["passed"], bool) for r in result["refutations"].values())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "missing.csv", "--treatment", "t", "--outcome", "y"], "no such file"),
        (["--treatment", "nope", "--outcome", "y"], "nope"),
        (["--treatment", "t", "--outcome", "y", "--covariates", "x1,shop"], "not numeric"),
        (["--treatment", "x1", "--outcome", "y"], "binary"),
        (["--treatment", "t", "--outcome", "y", "--estimand", "atc"], "ate or att"),
    ],
)
def test_bad_input_exits_2_with_a_reason(data: Path, args: list[str], message: str) -> None:
    if "--data" not in args:
        args = ["--data", str(data), *args]
    code, out, err = run(*args, "--json")
    assert code == 2
    assert message in err
    assert out == ""


def test_no_variation_in_treatment_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path / "flat.csv", "t,y,x", [f"1,{i},{i % 7}" for i in range(50)])
    code, _, err = run("--data", str(path), "--treatment", "t", "--outcome", "y", "--json")
    assert code == 2 and "no variation" in err
