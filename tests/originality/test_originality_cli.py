import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from wanghong.originality.cli import app, evidence_app
from wanghong.originality.engine.evidence import EvidenceLog

ROWS = [
    {"id": "orig", "text": "用了30天的扫地机器人，说说真实感受", "published_at": "2024-03-01T10:00:00+08:00"},
    {"id": "copy2", "text": "【转】用了30天的掃地機器人 說說真實感受 🔥", "published_at": "2024-03-02T10:00:00+08:00"},
    {
        "id": "copy1",
        "text": "#好物分享 用了30天的扫地机器人!!说说真实感受",
        "published_at": "2024-03-02T10:00:00+08:00",
    },
    {"id": "other", "text": "用了30天的空气炸锅，说说真实感受", "published_at": "2024-02-01T10:00:00Z"},
    {"id": "solo", "text": "大理洱海骑行攻略，一天玩遍", "published_at": "2024-01-01T00:00:00+00:00"},
]


def root() -> typer.Typer:
    top = typer.Typer()
    top.add_typer(app, name="originality")
    top.add_typer(evidence_app, name="evidence")
    return top


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_dedup_contract(tmp_path: Path) -> None:
    data = write(tmp_path / "in.jsonl", [json.dumps(r, ensure_ascii=False) for r in ROWS])
    evidence = tmp_path / "ev.jsonl"
    result = CliRunner().invoke(
        root(), ["originality", "dedup", str(data), "--threshold", "0.75", "--evidence", str(evidence)]
    )
    assert result.exit_code == 0, result.output
    clusters = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    # Ties on published_at are broken by id.
    assert clusters == [{"original": "orig", "copies": ["copy1", "copy2"]}]
    assert EvidenceLog(evidence).verify().checked == 2
    assert CliRunner().invoke(root(), ["evidence", "verify", str(evidence)]).exit_code == 0


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ('{"id": "x", "text": "标题"', "malformed JSON"),
        ('{"id": "x", "published_at": "2024-01-01T00:00:00Z"}', "missing field"),
        ('{"id": "x", "text": "", "published_at": "2024-01-01T00:00:00Z"}', "text is empty"),
        ('{"id": "orig", "text": "标题", "published_at": "2024-01-01T00:00:00Z"}', "duplicate id"),
        ('{"id": "x", "text": "标题", "published_at": "yesterday"}', "bad timestamp"),
        ("[1, 2]", "JSON object"),
    ],
)
def test_dedup_rejects_bad_input_with_line_number(tmp_path: Path, bad_line: str, message: str) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in ROWS[:2]] + [bad_line]
    result = CliRunner().invoke(root(), ["originality", "dedup", str(write(tmp_path / "in.jsonl", lines))])
    assert result.exit_code != 0
    assert "line 3" in result.output and message in result.output


def test_dedup_reads_times_without_offset_as_beijing_time(tmp_path: Path) -> None:
    # 09:00 in Beijing is 01:00 UTC: earlier than the 02:00 UTC copy, so the offset-less title is the original.
    rows = [
        {"id": "naive", "text": "用了30天的扫地机器人，说说真实感受", "published_at": "2024-03-01T09:00:00"},
        {"id": "utc", "text": "【转】用了30天的扫地机器人，说说真实感受", "published_at": "2024-03-01T02:00:00Z"},
    ]
    data = write(tmp_path / "in.jsonl", [json.dumps(r, ensure_ascii=False) for r in rows])

    def original(*extra: str) -> str:
        result = CliRunner().invoke(root(), ["originality", "dedup", str(data), *extra])
        assert result.exit_code == 0, result.output
        return str(json.loads(result.stdout.splitlines()[0])["original"])

    assert original() == "naive"
    assert original("--timezone", "Asia/Shanghai") == "naive"
    # Read as UTC instead, 09:00 comes after 02:00 and the roles swap.
    assert original("--timezone", "UTC") == "utc"


def test_dedup_refuses_an_unknown_time_zone(tmp_path: Path) -> None:
    data = write(tmp_path / "in.jsonl", [json.dumps(ROWS[0], ensure_ascii=False)])
    result = CliRunner().invoke(root(), ["originality", "dedup", str(data), "--timezone", "Mars/Olympus"])
    assert result.exit_code == 2
    assert "unknown time zone" in result.output


def test_dedup_keeps_jiebas_cache_under_the_settings_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A pair below the threshold is judged word by word, which needs jieba and so its dictionary cache.
    rows = [
        {"id": "a", "text": "十分钟教你做蛋糕", "published_at": "2024-03-01T10:00:00+08:00"},
        {"id": "b", "text": "十分钟教你做蛋挞", "published_at": "2024-03-02T10:00:00+08:00"},
    ]
    data = write(tmp_path / "in.jsonl", [json.dumps(r, ensure_ascii=False) for r in rows])
    monkeypatch.setenv("WANGHONG_CACHE_DIR", str(tmp_path / "cache"))
    result = CliRunner().invoke(root(), ["originality", "dedup", str(data)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # 蛋糕 and 蛋挞 are two videos
    assert (tmp_path / "cache" / "jieba" / "jieba.cache").is_file()
    assert (tmp_path / "cache" / "jieba").stat().st_mode & 0o077 == 0
