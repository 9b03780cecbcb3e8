from __future__ import annotations

import random

import pytest

from wanghong.compliance.engine import MatchKind, Scanner


def _terms(scanner: Scanner, text: str) -> list[str]:
    return [h.term for h in scanner.scan(text).hits]


@pytest.mark.parametrize(
    ("text", "term", "matched"),
    [
        ("这是最*好的面霜", "最好", "最*好"),
        ("这是最 好的面霜", "最好", "最 好"),
        ("这是最\u200b好的面霜", "最好", "最\u200b好"),
        ("这是最最最好的面霜", "最好", "最最最好"),
        ("國家級品質", "国家级", "國家級"),
        ("ＮＯ．１的品牌", "no1", "ＮＯ．１"),
        ("加🌹微🌹信私聊", "加微信", "加🌹微🌹信"),
        ("销量第①", "销量第一", "销量第①"),
        ("zui hao 的产品", "最好", "zui hao"),
        ("zuihao的产品", "最好", "zuihao"),
        ("醉好的产品", "最好", "醉好"),
        ("zh好的产品", "最好", "zh好"),
        ("加weixin领福利", "加微信", "加weixin"),
        ("联系138 1234 5678", "手机号", "138 1234 5678"),
        ("包治百病", "包治百病", "包治百病"),
    ],
)
def test_evasions_report_the_original_span(scanner: Scanner, text: str, term: str, matched: str) -> None:
    hits = [h for h in scanner.scan(text).hits if h.term == term]
    assert hits, scanner.scan(text)
    hit = hits[0]
    assert text[hit.start : hit.end] == matched == hit.matched_text


@pytest.mark.parametrize(
    "text",
    [
        "最近很火的一款",
        "第一次来直播间的宝宝",
        "第一步先洗脸",
        "最佳食用时间是早上",
        "最好提前冷藏",
        "今天是直播的第一百场",
        "第12号链接",
        "象牙白的配色",
        "这不能代替药物治疗",
        "到手价五十九元",
    ],
)
def test_exception_contexts_are_not_violations(scanner: Scanner, text: str) -> None:
    assert scanner.scan(text).hits == ()


def test_longest_reading_wins_within_a_category(scanner: Scanner) -> None:
    hits = scanner.scan("全网最低价").hits
    assert [(h.term, h.category.value) for h in hits] == [("全网最低价", "price"), ("最低价", "absolute")]


def test_match_kinds(scanner: Scanner) -> None:
    assert scanner.scan("最好").hits[0].match is MatchKind.EXACT
    assert scanner.scan("醉好").hits[0].match is MatchKind.PHONETIC
    assert scanner.scan("月入3万").hits[0].match is MatchKind.PATTERN


def test_fast_and_slow_normalisation_paths_agree(scanner: Scanner) -> None:
    """The NumPy fast path must equal fold() — which the lexicon is compiled with — on any input."""
    rng = random.Random(3)
    alphabet = list("最好国家級第一①壹１ＡＢab zh*🔥\u200b\u3000好好好33") + [chr(0x4E00 + i) for i in range(50)]
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        normalized, _, _ = scanner._channels(text)
        assert normalized == scanner.normalizer.fold(text), text


def test_offsets_always_point_into_the_original(scanner: Scanner) -> None:
    rng = random.Random(5)
    pieces = [
        "最",
        "好",
        "*",
        "🔥",
        "國家級",
        "ｖｘ",
        "加",
        "微",
        "信",
        "\u200b",
        "①",
        "降血糖",
        "的",
        " ",
        "zui",
        "hao",
    ]
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        for hit in scanner.scan(text).hits:
            assert 0 <= hit.start < hit.end <= len(text)
            assert hit.matched_text == text[hit.start : hit.end]
            folded = scanner.normalizer.fold(hit.matched_text)
            assert folded, (text, hit)


@pytest.mark.parametrize("text", ["", " ", "\x00\x01\x02", "🔥🔥🔥", "\ufffd\ufffd", "\ud800最好\udfff", "ｚ" * 5])
def test_odd_input_gives_a_result_not_a_crash(scanner: Scanner, text: str) -> None:
    result = scanner.scan(text)
    for hit in result.hits:
        assert 0 <= hit.start < hit.end <= len(text)


def test_megabyte_line_is_scanned_with_correct_offsets(scanner: Scanner) -> None:
    filler = "这款面霜质地很清爽，"
    text = filler * 100_000 + "全网最低价" + filler * 10
    hits = scanner.scan(text).hits
    assert [h.term for h in hits][:1] == ["全网最低价"]
    assert text[hits[0].start : hits[0].end] == "全网最低价"


def test_scan_rejects_bytes_with_a_clear_message(scanner: Scanner) -> None:
    with pytest.raises(TypeError, match="decode"):
        scanner.scan(b"\xff\xfe")  # type: ignore[arg-type]


def test_phonetic_matching_can_be_switched_off(library) -> None:  # type: ignore[no-untyped-def]
    plain = Scanner(library, phonetic=False)
    assert _terms(plain, "醉好") == []
    assert _terms(plain, "最好") == ["最好"]


def test_phonetic_channel_matches_the_string_path(scanner: Scanner) -> None:
    """The NumPy Latin path must produce the same pinyin channel as encoding fold() with Phonetics."""
    rng = random.Random(11)
    alphabet = list("最好zuihaozhzzzuuuiＶＸvx加微信①壹*🔥\u200b好好aa33ﬁ") + [chr(0x4E00 + i) for i in range(30)]
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        normalized, phonetic, _ = scanner._channels(text)
        assert normalized == scanner.normalizer.fold(text), text
        assert phonetic == scanner.phonetics.encode(normalized).text, text


@pytest.mark.parametrize(
    "text", ["标签 3c64334c 新品", "订单号 3c64334c", "批次a9f0e2c4", "货号sku20231105发货", "8848a手机"]
)
def test_machine_identifiers_are_not_read_as_pinyin(scanner: Scanner, text: str) -> None:
    """Read as pinyin, the 4c of a hex tag is si + c, 私彩: ids, hashes and codes are not words."""
    assert scanner.scan(text).hits == ()
    assert scanner.scan_many([text, "这是最好的面霜"])[0].hits == ()


@pytest.mark.parametrize(
    ("text", "term"), [("wei一的选择", "唯一"), ("全网zuihao", "全网最好"), ("私彩 3c64334c", "私彩")]
)
def test_words_beside_identifiers_and_digit_evasions_are_still_caught(scanner: Scanner, text: str, term: str) -> None:
    assert term in _terms(scanner, text)


def test_identifier_rule_is_the_same_on_the_string_path(scanner: Scanner) -> None:
    rng = random.Random(5)
    alphabet = list("0123456789abcfzuihao最好加微信 ")
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        normalized, phonetic, _ = scanner._channels(text)
        assert phonetic == scanner.phonetics.encode(normalized).text, text
        assert scanner.scan(text) == scanner.scan_many([text, "最好"])[0], text
