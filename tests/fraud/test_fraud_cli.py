from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from wanghong.fraud.cli import app

runner = CliRunner()
TOLOKERS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fraud" / "tolokers.npz"

ACCOUNT = {
    "id": "a1",
    "followers": 25,
    "following": 1937,
    "posts": 0,
    "has_avatar": True,
    "is_private": True,
    "bio_length": 0,
    "username_length": 10,
    "username_digits": 0,
}


def _jsonl(*records: dict[str, object]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def test_score_accounts_contract_in_input_order(tmp_path: Path) -> None:
    records = [
        {**ACCOUNT, "id": "z-fake"},
        {**ACCOUNT, "id": "达人-genuine", "followers": 800, "following": 500, "posts": 120, "bio_length": 40},
        {**ACCOUNT, "id": "m", "following": 300, "followers": 280, "posts": 12},
    ]
    path = tmp_path / "accounts.jsonl"
    path.write_text(_jsonl(*records) + "\n", encoding="utf-8")  # a trailing blank line is skipped
    result = runner.invoke(app, ["score-accounts", str(path)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["z-fake", "达人-genuine", "m"]
    for line in lines:
        assert set(line) == {"id", "score", "fake_probability", "reasons"}
        assert isinstance(line["score"], int) and 0 <= line["score"] <= 100
        assert isinstance(line["fake_probability"], float) and 0.0 <= line["fake_probability"] <= 1.0
        assert all(isinstance(reason, str) for reason in line["reasons"])
    assert lines[0]["score"] < 20 < 80 < lines[1]["score"]
    assert "关注数远超粉丝数 / follows far more than followed" in lines[0]["reasons"]


def test_score_accounts_reads_stdin() -> None:
    result = runner.invoke(app, ["score-accounts", "-"], input=_jsonl(ACCOUNT))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "a1"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{not json", "invalid JSON"),
        (json.dumps({**ACCOUNT, "posts": -3}), "posts"),
        (json.dumps({k: v for k, v in ACCOUNT.items() if k != "following"}), "following"),
    ],
)
def test_malformed_line_is_named_and_nothing_is_printed(line: str, expected: str) -> None:
    result = runner.invoke(app, ["score-accounts", "-"], input=_jsonl(ACCOUNT) + line + "\n" + _jsonl(ACCOUNT))
    assert result.exit_code == 2
    assert "line 2" in result.stderr and expected in result.stderr
    assert result.stdout == ""


def test_missing_input_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score-accounts", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 2
    assert "cannot open input file" in result.stderr


def _tiny_graph(path: Path, seed: int = 0) -> None:
    """Nodes whose label follows their neighbours' first feature: learnable only through the graph."""
    rng = np.random.default_rng(seed)
    n = 400
    features = rng.random((n, 3)).astype(np.float32)
    edges = rng.integers(0, n, (4_000, 2))
    neighbour_mean = np.zeros(n)
    np.add.at(neighbour_mean, edges[:, 0], features[edges[:, 1], 0])
    np.add.at(neighbour_mean, edges[:, 1], features[edges[:, 0], 0])
    counts = np.bincount(edges.ravel(), minlength=n)
    labels = (neighbour_mean / np.maximum(counts, 1) > 0.5).astype(np.int64)
    order = np.array([rng.permutation(n) for _ in range(2)])
    masks = [np.zeros((2, n), bool) for _ in range(3)]
    for split in range(2):
        masks[0][split, order[split, :200]] = True
        masks[1][split, order[split, 200:300]] = True
        masks[2][split, order[split, 300:]] = True
    np.savez(
        path,
        node_features=features,
        node_labels=labels,
        edges=edges,
        train_masks=masks[0],
        val_masks=masks[1],
        test_masks=masks[2],
    )


def test_evaluate_on_a_path_of_the_same_shape(tmp_path: Path) -> None:
    path = tmp_path / "tiny.npz"
    _tiny_graph(path)
    result = runner.invoke(app, ["evaluate", "--dataset", str(path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert set(summary) == {"roc_auc_mean", "roc_auc_std", "splits"}
    assert summary["splits"] == 2
    assert 0.75 < summary["roc_auc_mean"] <= 1.0  # the neighbour mean carries the label
    assert summary["roc_auc_std"] >= 0.0


def test_evaluate_reports_absent_and_malformed_data(tmp_path: Path) -> None:
    absent = runner.invoke(app, ["evaluate", "--dataset", str(tmp_path / "none.npz"), "--json"])
    assert absent.exit_code == 2 and "not found" in absent.stderr
    broken = tmp_path / "broken.npz"
    np.savez(broken, node_features=np.zeros((3, 2)))
    result = runner.invoke(app, ["evaluate", "--dataset", str(broken), "--json"])
    assert result.exit_code == 2 and "node_labels" in result.stderr
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip file")
    result = runner.invoke(app, ["evaluate", "--dataset", str(garbage)])
    assert result.exit_code == 2 and "cannot read" in result.stderr


@pytest.mark.slow
@pytest.mark.skipif(not TOLOKERS.is_file(), reason="../shared/data/fraud/tolokers.npz is not present")
def test_tolokers_first_split_beats_the_published_gnn() -> None:
    from wanghong.fraud.engine.nodes import evaluate_split, load_node_dataset, node_features

    dataset = load_node_dataset(TOLOKERS)
    assert dataset.splits == 10 and len(dataset.labels) == 11_758
    assert dataset.adjacency.nnz == 2 * 519_000
    result = evaluate_split(dataset, node_features(dataset), split=0)
    assert result.roc_auc > 0.845  # split 0 is the hardest of the ten for every feature set we tried


def test_scan_room_per_minute_and_per_session() -> None:
    from wanghong.simulator.engine.fraud import planted_room

    room = planted_room(sessions=3_000, duration_s=600, seed=2)
    lines = [
        {"viewer": int(v), "enter_s": float(e), "leave_s": float(leave), "comment": c}
        for v, e, leave, c in zip(room.viewer, room.enter_s, room.leave_s, room.comment, strict=True)
    ]
    text = _jsonl(*lines)
    minutes = runner.invoke(app, ["scan-room", "-"], input=text)
    assert minutes.exit_code == 0, minutes.output
    rows = [json.loads(line) for line in minutes.stdout.splitlines()]
    assert [row["minute"] for row in rows] == list(range(len(rows)))
    assert sum(row["reported_entries"] for row in rows) == 3_000
    assert sum(row["estimated_real_entries"] for row in rows) == pytest.approx(3_000 * 0.7, rel=0.05)
    per_session = runner.invoke(app, ["scan-room", "-", "--sessions"], input=text)
    assert per_session.exit_code == 0, per_session.output
    flags = [json.loads(line) for line in per_session.stdout.splitlines()]
    assert [f["viewer"] for f in flags] == [line["viewer"] for line in lines]
    flagged = np.array([f["flagged"] for f in flags])
    assert (flagged & room.is_bot).sum() / flagged.sum() >= 0.95


def test_scan_room_rejects_a_session_that_leaves_before_it_enters() -> None:
    good = {"viewer": "a", "enter_s": 1, "leave_s": 5, "comment": "666"}
    bad = {"viewer": "b", "enter_s": 9, "leave_s": 5}
    result = runner.invoke(app, ["scan-room", "-"], input=_jsonl(good, bad))
    assert result.exit_code == 2 and "line 2" in result.stderr and "leave_s" in result.stderr
    assert result.stdout == ""
