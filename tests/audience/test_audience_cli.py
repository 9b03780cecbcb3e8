"""`wanghong audience lookalike`: the CSV contract, `--top`, and exit 2 with a reason for every kind of bad input."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wanghong.audience.cli import app

runner = CliRunner()
HEADER = "user_id,item_id,weight,timestamp\n"


def two_communities(path: Path, users: int = 60) -> Path:
    """Even users watch items a0–a4, odd users b0–b4: a seed list of even users should rank evens first."""
    rows = [f"u{u},{'ab'[u % 2]}{i},{1 + (u + i) % 3},{1700000000 + u}\n" for u in range(users) for i in range(5)]
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def lookalike(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["lookalike", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def interactions(tmp_path: Path) -> Path:
    return two_communities(tmp_path / "interactions.csv")


def seeds_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "seeds.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_non_seed_once_highest_first(tmp_path: Path, interactions: Path) -> None:
    seeds = seeds_file(tmp_path, "u0\nu2\n\nu4\nu2\n")  # blank lines and repeats are harmless
    code, out, err = lookalike("--interactions", str(interactions), "--seeds", str(seeds))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["user_id", "score"]
    ids = [row["user_id"] for row in rows]
    assert sorted(ids) == sorted(f"u{u}" for u in range(60) if u not in (0, 2, 4))
    scores = [float(row["score"]) for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert all(int(user[1:]) % 2 == 0 for user in ids[:27])  # all 27 other evens come before any odd user


def test_top_keeps_the_best(tmp_path: Path, interactions: Path) -> None:
    seeds = seeds_file(tmp_path, "u1\nu3\n")
    code, out, _ = lookalike("--interactions", str(interactions), "--seeds", str(seeds), "--top", "5")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5 and all(int(row["user_id"][1:]) % 2 == 1 for row in rows)


def test_empty_weights_and_timestamps_are_allowed(tmp_path: Path) -> None:
    path = tmp_path / "i.csv"
    path.write_text(HEADER + "".join(f"u{u},i{u % 4},,\n" for u in range(20)), encoding="utf-8")
    code, out, err = lookalike("--interactions", str(path), "--seeds", str(seeds_file(tmp_path, "u0\n")))
    assert code == 0, err
    assert len(out.strip().splitlines()) == 20  # header + 19 users


def test_some_unknown_seeds_warn_and_are_skipped(tmp_path: Path, interactions: Path) -> None:
    seeds = seeds_file(tmp_path, "u0\nghost-1\nghost-2\n")
    code, out, err = lookalike("--interactions", str(interactions), "--seeds", str(seeds))
    assert code == 0
    assert "2 of 3 seeds" in err and "ghost-1" in err
    assert len(out.strip().splitlines()) == 1 + 59


@pytest.mark.parametrize(
    ("interactions_text", "seeds_text", "reason"),
    [
        (None, "ghost\nnobody\n", "none of the 2 seeds"),
        (None, "\n \n", "seed list is empty"),
        ("", "u0\n", "empty"),
        ("user,item\nu0,i0\n", "u0\n", "header must be"),
        ("user_id,item_id,weight,timestamp\n", "u0\n", "no interactions"),
        ("user_id,item_id,weight,timestamp\nu0,i0,1,1\nu1,i0,many,1\n", "u0\n", "line 3: weight"),
        ("user_id,item_id,weight,timestamp\nu0,i0,-1,1\n", "u0\n", "line 2: weight"),
        ("user_id,item_id,weight,timestamp\nu0,i0,1,1\nu1,,1,1\n", "u0\n", "item_id is empty"),
        ("user_id,item_id,weight,timestamp\nu0,i0,1,1\nu1,i1,1,1,9,9\n", "u0\n", "malformed CSV"),
        ("user_id,item_id,weight,timestamp\nu0,i0,1,1\nu1,i1,1,yesterday\n", "u0\n", "line 3: timestamp"),
    ],
)
def test_bad_input_exits_2_with_the_reason(
    tmp_path: Path, interactions: Path, interactions_text: str | None, seeds_text: str, reason: str
) -> None:
    if interactions_text is not None:
        interactions.write_text(interactions_text, encoding="utf-8")
    code, out, err = lookalike("--interactions", str(interactions), "--seeds", str(seeds_file(tmp_path, seeds_text)))
    assert code == 2
    assert reason in err and out == ""


def test_missing_files_and_a_zero_top_exit_2(tmp_path: Path, interactions: Path) -> None:
    seeds = seeds_file(tmp_path, "u0\n")
    assert lookalike("--interactions", str(tmp_path / "nope.csv"), "--seeds", str(seeds))[0] == 2
    code, _, err = lookalike("--interactions", str(interactions), "--seeds", str(tmp_path / "nope.txt"))
    assert code == 2 and "seeds file not found" in err
    assert lookalike("--interactions", str(interactions), "--seeds", str(seeds), "--top", "0")[0] == 2


def test_iso_timestamps_and_a_bom_are_read(tmp_path: Path) -> None:
    path = tmp_path / "i.csv"
    rows = "".join(f"u{u},i{u % 3},1,2024-03-0{1 + u % 9}T20:00:00+08:00\n" for u in range(12))
    path.write_text("\ufeff" + HEADER + rows, encoding="utf-8")
    code, out, err = lookalike("--interactions", str(path), "--seeds", str(seeds_file(tmp_path, "u0\nu3\n")))
    assert code == 0, err
    assert len(out.strip().splitlines()) == 11


def test_every_user_a_seed_gives_an_empty_ranking(tmp_path: Path) -> None:
    path = tmp_path / "i.csv"
    path.write_text(HEADER + "a,x,1,\nb,y,1,\n", encoding="utf-8")
    code, out, _ = lookalike("--interactions", str(path), "--seeds", str(seeds_file(tmp_path, "a\nb\n")))
    assert code == 0 and out.strip() == "user_id,score"


def test_the_command_module_imports_nothing_heavy() -> None:
    code = (
        "import sys, wanghong.audience.cli; "
        "print(','.join(m for m in ('numpy', 'pandas', 'sklearn') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == ""
