from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wanghong.assistant.cli import app
from wanghong.assistant.engine.labels import LABEL, is_labelled

runner = CliRunner()


def _jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    return _jsonl(
        tmp_path / "facts.jsonl",
        [
            {"id": "f1", "text": "面霜净含量50克，直播间价格129元。"},
            {"id": "f2", "text": "付款后48小时内发货，全国包邮。"},
        ],
    )


def test_ask_contract(facts: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ask", "--facts", str(facts), "多少钱？", "--json", "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert set(record) == {"answer", "fact_ids", "abstained", "label"}
    assert record["fact_ids"] == ["f1"] and record["abstained"] is False and record["label"] == LABEL
    assert "129元" in record["answer"] and is_labelled(record["answer"])


def test_ask_hands_over_what_no_fact_answers(facts: Path) -> None:
    result = runner.invoke(app, ["ask", "--facts", str(facts), "有保修吗", "--json", "--no-cache"])
    record = json.loads(result.stdout)
    assert record["abstained"] is True and record["fact_ids"] == []


def test_retrieve_contract(tmp_path: Path) -> None:
    passages = _jsonl(
        tmp_path / "p.jsonl",
        [
            {"id": "a", "text": "面霜净含量50克。"},
            {"id": "b", "text": "全国包邮，顺丰发货。"},
            {"id": "c", "text": "尺码S到XL。"},
        ],
    )
    queries = _jsonl(tmp_path / "q.jsonl", [{"id": "q1", "text": "面霜多少克"}, {"id": "q2", "text": "发什么快递"}])
    result = runner.invoke(
        app, ["retrieve", "--passages", str(passages), "--queries", str(queries), "--top", "2", "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["q1", "q2"]
    assert [line["passage_ids"][0] for line in lines] == ["a", "b"]
    assert all(len(line["passage_ids"]) == 2 and set(line) == {"id", "passage_ids"} for line in lines)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a", "text": "x"}\nnot json\n', "line 2"),
        ('{"id": 1, "text": "x"}\n', "line 1"),
        ('["a", "x"]\n', "line 1"),
        ('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', "duplicate id"),
    ],
)
def test_bad_records_exit_2_with_the_line(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    for args in (
        ["ask", "--facts", str(bad), "多少钱", "--json"],
        ["retrieve", "--passages", str(bad), "--queries", str(bad)],
    ):
        result = runner.invoke(app, [*args, "--no-cache"])
        assert result.exit_code == 2
        assert message in result.stderr and result.stdout == ""


def test_missing_file_empty_corpus_and_bad_top_exit_2(tmp_path: Path, facts: Path) -> None:
    missing = runner.invoke(app, ["ask", "--facts", str(tmp_path / "nope.jsonl"), "多少钱", "--json"])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    empty = _jsonl(tmp_path / "empty.jsonl", [])
    result = runner.invoke(app, ["retrieve", "--passages", str(empty), "--queries", str(facts), "--no-cache"])
    assert result.exit_code == 2 and "no passage" in result.stderr
    result = runner.invoke(app, ["retrieve", "--passages", str(facts), "--queries", str(facts), "--top", "0"])
    assert result.exit_code == 2


def test_compose_script_is_labelled_and_cites_facts(facts: Path) -> None:
    result = runner.invoke(app, ["compose", "script", "--facts", str(facts), "--name", "水光面霜", "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert is_labelled(record["text"]) and record["label"] == LABEL
    assert [s["key"] for s in record["sections"]] == ["opening", "explanation", "call_to_action", "after_sales"]
    assert record["metadata"]["AIGC"]["Label"] == "1"
