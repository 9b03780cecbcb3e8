"""Homophone hits must not straddle the words of a name (优品堂收纳盒 is not 躺瘦), yet evasions stay caught."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from wanghong.compliance.engine import MatchKind, Scanner, wordbreak
from wanghong.compliance.engine.wordbreak import on_word_boundaries


@pytest.mark.parametrize(
    "text",
    [
        "优品堂收纳盒 1号",  # 堂收 ≈ 躺瘦
        "优品堂收纳盒 7号",
        "天堂收藏馆",
        "食堂收银台",
        "学堂收费标准",
        "麦芽糖手工饼",  # 糖手 ≈ 躺瘦
        "和田羊脂玉手镯",  # 脂玉 ≈ 治愈
        "天堂收藏館",  # traditional script
    ],
)
def test_homophones_straddling_words_are_not_hits(scanner: Scanner, text: str) -> None:
    assert scanner.scan(text).hits == (), scanner.scan(text).hits


@pytest.mark.parametrize(
    "text",
    [
        "包裹已经发出了",  # 包裹 spells like 保过 without tones
        "家政保洁，三小时深度清洁",  # 假证
        "机票另付，酒店含早餐",  # 灵符
        "黄金首饰很保值",  # 包治
        "请置于阴凉干燥处储存",  # 治愈
    ],
)
def test_homophones_that_are_words_of_their_own_are_not_hits(scanner: Scanner, text: str) -> None:
    # Whole words on their own boundaries: what they write is what they mean (an evasion writes no word).
    assert scanner.scan(text).hits == (), scanner.scan(text).hits
    assert scanner.scan_many([text])[0].hits == ()


@pytest.mark.parametrize(
    ("text", "term", "matched"),
    [
        ("每天躺受十斤", "躺瘦", "躺受"),
        ("吃了就能躺受", "躺瘦", "躺受"),
        ("每天躺🌹受十斤", "躺瘦", "躺🌹受"),
        ("躺shou", "躺瘦", "躺shou"),
        ("tang瘦", "躺瘦", "tang瘦"),
        ("tang shou 不是梦", "躺瘦", "tang shou"),
        ("醉好的面膜", "最好", "醉好"),
        ("这款膏药能治玉", "治愈", "治玉"),
    ],
)
def test_homophone_evasions_written_as_words_are_caught(scanner: Scanner, text: str, term: str, matched: str) -> None:
    hits = [h for h in scanner.scan(text).hits if h.term == term]
    assert hits, scanner.scan(text)
    assert hits[0].match is MatchKind.PHONETIC
    assert hits[0].matched_text == matched


def test_batched_scan_applies_the_same_rule(scanner: Scanner) -> None:
    texts = ["优品堂收纳盒 1号", "每天躺受十斤", "天堂收藏馆", "躺shou"]
    assert scanner.scan_many(texts) == [scanner.scan(t) for t in texts]
    assert [bool(r.hits) for r in scanner.scan_many(texts)] == [False, True, False, True]


def test_literal_hits_are_not_subject_to_word_boundaries(scanner: Scanner) -> None:
    # The rule is for pinyin-only matches; a literal term is the advertiser's own wording.
    assert [h.match for h in scanner.scan("天天躺瘦十斤").hits if h.term == "躺瘦"] == [MatchKind.EXACT]


def test_word_boundaries_reject_spans_outside_the_text() -> None:
    assert on_word_boundaries("天堂收藏馆", 0, 2)
    assert not on_word_boundaries("天堂收藏馆", 1, 3)
    with pytest.raises(ValueError, match="span"):
        on_word_boundaries("天堂", 1, 5)


def _jieba_boundaries(window: str) -> frozenset[int]:
    positions = {0, len(window)}
    position = 0
    for word in wordbreak._tokenizer().cut(window, HMM=False):
        position += len(word)
        positions.add(position)
    return frozenset(positions)


def test_word_ends_are_jiebas_own() -> None:
    # The segmenter re-implements jieba's cut(HMM=False) on its dictionary: blocks, route, ties, Latin gluing.
    rng = random.Random(3)
    alphabet = [*"最好的abcXYZ019 \t\r\n，。!?％%.#+&-_优品堂收纳盒躺受十斤天ǎé😀ｱ한", *"天堂收藏馆麦芽糖手工饼"]
    alphabet += [chr(0x4E00 + rng.randrange(20_000)) for _ in range(200)]
    windows = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    windows += ["\r\n", "a\r\nb", "iphone15手机", "abc 123", "ab最好cd", "1号", "优品堂收纳盒 1号", "每天躺受十斤"]
    segmenter = wordbreak._Segmenter.get()
    assert [segmenter.boundaries(w) for w in windows] == [_jieba_boundaries(w) for w in windows]


def test_jieba_cache_lives_in_the_given_directory(tmp_path: Path) -> None:
    directory = tmp_path / "compliance"
    previous = wordbreak._cache_directory
    try:
        wordbreak.use_cache_directory(directory)
        assert wordbreak._trusted_directory() == str(directory)
        assert directory.is_dir() and directory.stat().st_mode & 0o777 == 0o700
        cache = directory / wordbreak.CACHE_FILE
        cache.write_bytes(b"")
        cache.chmod(0o666)  # writable by others: jieba would unmarshal whatever they put there
        assert wordbreak._trusted_directory() is None
        cache.chmod(0o600)
        assert wordbreak._trusted_directory() == str(directory)
    finally:
        wordbreak._cache_directory = previous
