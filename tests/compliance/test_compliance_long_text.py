"""Long texts (issue 13, item 6): a text longer than ``LONG_TEXT`` is scanned piece by piece, with the hits one
pass over the whole text finds — keywords across the joins included — in memory that does not grow with the
text the way one pass did (a 30 MB line once took 75 s and 6.5 GB)."""

from __future__ import annotations

import json
import random
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wanghong.compliance import cli
from wanghong.compliance.engine import ComplianceReviewer, Scanner
from wanghong.compliance.engine import reviewer as reviewer_module
from wanghong.compliance.engine import scanner as scanner_module

CLAIMS = Path(reviewer_module.__file__).resolve().parent / "data" / "claims.jsonl"
_FILLER = ("这款面霜质地很清爽", "今天直播间给大家送福利", "下单的家人记得备注尺码", "蜂蜜是小罐装方便携带")
_CLAIMS = ("全网最低价", "包治百病", "加vx私聊", "最*好", "醉好的", "zui hao", "不能代替药物治疗", "月入3万")


def _long_text(seed: int, size: int) -> str:
    """Sales talk of about ``size`` characters with claims scattered through it and one straddling every join
    of the scanner's pieces (a keyword cut in two there would be lost)."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    joins = iter(range(scanner_module._PIECE, size, scanner_module._PIECE))
    join = next(joins, None)
    while length < size:
        piece = "，".join(rng.choice(_FILLER) for _ in range(rng.randint(1, 12))) + rng.choice(_CLAIMS)
        if join is not None and length + len(piece) >= join - 2:
            piece = "，" * (join - 2 - length) + "全网最低价"  # the join falls inside the claim
            join = next(joins, None)
        parts.append(piece)
        length += len(piece)
    return "".join(parts)


def test_pieces_find_what_one_pass_finds(scanner: Scanner, monkeypatch: pytest.MonkeyPatch) -> None:
    size = 3 * scanner_module.LONG_TEXT
    text = _long_text(1, size)
    pieces = scanner.scan(text)
    monkeypatch.setattr(scanner_module, "LONG_TEXT", len(text) + 1)
    whole = scanner.scan(text)
    assert pieces == whole
    assert len(pieces.hits) > 500
    for join in range(scanner_module._PIECE, size, scanner_module._PIECE):
        across = [h for h in pieces.hits if h.start < join < h.end]
        assert [h.term for h in across] == ["全网最低价"], join
        assert text[across[0].start : across[0].end] == "全网最低价"


def test_scan_many_hands_long_texts_to_the_pieces(scanner: Scanner) -> None:
    long_text = _long_text(2, scanner_module.LONG_TEXT + scanner_module._PIECE // 2)
    texts = ["最*好", long_text, "", "这款面霜质地很清爽"]
    assert scanner.scan_many(texts) == [scanner.scan(t) for t in texts]


def test_fold_long_equals_fold(scanner: Scanner) -> None:
    """Runs of a repeated character across a join (最最|最好, aa|a, 33|3) collapse as in one pass."""
    rng = random.Random(4)
    alphabet = list("最好好国家級第一①壹１ＡＢab zh*🔥\u200b\u3000aaa33ﬁ⑽\n") + [chr(0x4E00 + i) for i in range(5)]
    normalizer = scanner.normalizer
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) * rng.choice((1, 1, 2, 3, 7)) for _ in range(rng.randint(0, 60)))
        for piece in (1, 2, 3, 7, 64):
            assert normalizer.fold_long(text, piece) == normalizer.fold(text), (text, piece)


def test_classifier_batches_do_not_change_verdicts(
    reviewer: ComplianceReviewer, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [json.loads(line)["text"] for line in CLAIMS.read_text(encoding="utf-8").splitlines()][::3]
    texts.append(_long_text(3, 20_000).replace("，", ""))  # unpunctuated: overlapping windows
    one_batch = reviewer.review_many(texts)
    monkeypatch.setattr(reviewer_module, "_MODEL_BATCH_CHARS", 500)
    assert reviewer.review_many(texts) == one_batch
    assert any(h.entry_id == "MODEL" for v in one_batch for h in v.hits)  # the model took part


def test_memory_of_a_long_line_stays_bounded(reviewer: ComplianceReviewer) -> None:
    """One pass over this 500,000-character line peaked at 18 MiB (scan) and 164 MiB (review, with the
    classifier's windows); the pieces and the batched windows stay well below, and far from growing with it."""
    text = ("这款面霜质地很清爽今天直播间给大家送福利" * 30 + "全网最低价") * 830
    reviewer.review("醉好的")  # warm caches (jieba's dictionary) outside the measurement
    tracemalloc.start()
    try:
        hits = reviewer.scanner.scan(text).hits
        scan_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        verdict = reviewer.review(text)
        review_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(hits) == 830 * 2  # 全网最低价 (price) and 最低价 (absolute) in each repetition
    assert verdict.verdict.value == "block"
    assert scan_peak < 10 * 2**20, scan_peak
    assert review_peak < 64 * 2**20, review_peak


def test_cli_scans_a_long_line_with_the_same_contract() -> None:
    size = scanner_module.LONG_TEXT + 2 * scanner_module._PIECE
    line = _long_text(5, size)
    result = CliRunner().invoke(cli.app, ["scan", "-"], input=f"{line}\n最*好的蜂蜜\n")
    assert result.exit_code == 0, result.output
    records = [json.loads(row) for row in result.stdout.splitlines() if row.startswith("{")]
    assert [r["text"] for r in records] == [line, "最*好的蜂蜜"]
    assert [r["verdict"] for r in records] == ["block", "block"]
    spans = [(h["start"], h["end"]) for h in records[0]["hits"]]
    assert all(0 <= start < end <= len(line) for start, end in spans)
    joins = range(scanner_module._PIECE, size, scanner_module._PIECE)
    assert all(any(start < join < end for start, end in spans) for join in joins)
