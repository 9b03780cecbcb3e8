from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from wanghong.compliance.cli import app

runner = CliRunner()


def _records(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_scan_stdin_contract() -> None:
    lines = ["全网最低价，加ｖｘ私聊", "", "這款面霜質地很清爽", "最*好的蜂蜜"]
    result = runner.invoke(app, ["scan", "-", "--format", "jsonl"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    records = _records(result.stdout)
    assert [r["text"] for r in records] == lines
    assert [r["verdict"] for r in records] == ["block", "pass", "pass", "block"]
    for record in records:
        assert set(record) == {"text", "verdict", "score", "hits"}
        assert 0.0 <= record["score"] <= 1.0  # type: ignore[operator]
        for hit in record["hits"]:  # type: ignore[attr-defined]
            assert set(hit) == {"term", "category", "article", "start", "end", "severity"}
            text = record["text"]
            assert isinstance(text, str) and 0 <= hit["start"] < hit["end"] <= len(text)
    assert "最低价" in result.stdout  # ensure_ascii=False: Chinese stays readable
    first = records[3]["hits"][0]  # type: ignore[index]
    assert lines[3][first["start"] : first["end"]] == "最*好"


def test_scan_file_with_invalid_utf8_binary_and_crlf(tmp_path: Path) -> None:
    data = b"ok line\r\n\xff\xfe\x00\x01 binary\n\xe6\x9c\x80\xe5\xa5\xbd\n"
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    result = runner.invoke(app, ["scan", str(path)])
    assert result.exit_code == 0, result.output
    records = _records(result.stdout)
    assert [r["text"] for r in records] == ["ok line", "\ufffd\ufffd\x00\x01 binary", "最好"]
    assert records[1]["verdict"] == "review"  # unreadable bytes are never passed
    assert records[2]["verdict"] == "block"
    assert "line 2: invalid UTF-8" in result.stderr


def test_scan_megabyte_line() -> None:
    line = "清爽" * 500_000 + "包治百病"
    result = runner.invoke(app, ["scan", "-", "--no-model"], input=line + "\n")
    assert result.exit_code == 0
    (record,) = _records(result.stdout)
    assert record["verdict"] == "block"
    assert record["hits"][0]["start"] == 1_000_000  # type: ignore[index]


def test_bad_arguments_have_clear_errors(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["scan", str(tmp_path / "nope.txt")])
    assert missing.exit_code != 0 and "cannot open input file" in missing.output
    bad_format = runner.invoke(app, ["scan", "-", "--format", "csv"], input="x\n")
    assert bad_format.exit_code != 0
    broken = tmp_path / "lib.json"
    broken.write_text("{", encoding="utf-8")
    bad_library = runner.invoke(app, ["scan", "-", "--library", str(broken)], input="x\n")
    assert bad_library.exit_code != 0 and "invalid JSON" in bad_library.output
