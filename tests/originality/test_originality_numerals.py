"""Numeral folding: re-uploads that write a number differently (五款 / 5款 / ５款, 二十万 / 20万) still match."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from wanghong.originality.engine.evaluation import load_eval_rows
from wanghong.originality.engine.normalize import fold_numerals, normalize, normalize_batch
from wanghong.originality.engine.text_index import TextItem, TextNearDupIndex

T0 = datetime(2024, 5, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("五款", "5款"),
        ("二十万", "20万"),
        ("20万", "20万"),
        ("一百万", "100万"),
        ("十万", "10万"),
        ("两千", "2000"),
        ("两百块", "200块"),
        ("俩人", "2人"),
        ("十分钟", "10分钟"),
        ("十二", "12"),
        ("三十五岁", "35岁"),
        ("一百二十", "120"),
        ("一千零五", "1005"),
        ("一万五", "15000"),  # spoken: 一万五 is 15,000
        ("三千二", "3200"),
        ("二〇二四年", "2024年"),
        ("一亿两千万", "12000万"),
        ("第一", "第1"),
    ],
)
def test_chinese_numerals_become_arabic_digits(written: str, folded: str) -> None:
    assert fold_numerals(written) == folded


@pytest.mark.parametrize("word", ["百度", "千万别买", "万", "亿万富翁"])
def test_units_that_no_digit_governs_stay_words(word: str) -> None:
    assert fold_numerals(word) == word


def test_plain_arabic_numbers_are_untouched() -> None:
    assert fold_numerals("iphone15 开箱，2024年 99块") == "iphone15 开箱，2024年 99块"


def test_digits_full_width_digits_and_chinese_numerals_normalise_alike() -> None:
    titles = ["秋冬必备的五款保湿面霜测评", "秋冬必备的5款保湿面霜测评", "秋冬必备的５款保湿面霜测评"]
    assert len(set(normalize_batch(titles))) == 1
    assert normalize("粉丝破二十万啦") == normalize("粉丝破20万啦")
    assert normalize("两千块的相机值不值") == normalize("2000块的相机值不值")


def test_a_reupload_with_other_numerals_is_found_as_a_copy() -> None:
    index = TextNearDupIndex()
    assert index.add_batch([TextItem("a", "十分钟学会五道家常菜，二十万人都说好吃", T0)]) == []
    pairs = index.add_batch([TextItem("b", "10分钟学会5道家常菜，20万人都说好吃【收藏】", T0 + timedelta(days=3))])
    assert [(p.a, p.b) for p in pairs] == [("a", "b")]
    # Without the folding the two titles share too few shingles to be paired.
    assert normalize("十分钟学会五道家常菜") == normalize("10分钟学会5道家常菜")


def test_the_adverb_shifen_is_not_ten_minutes() -> None:
    assert fold_numerals("十分好吃") == "十分好吃"
    assert normalize("十分好吃") == normalize("非常好吃")
    assert normalize("十分钟搞定") == normalize("10分钟搞定")


def test_synonyms_written_with_numerals_still_fold() -> None:
    assert normalize("看一看这个") == normalize("看看这个")
    assert normalize("首次开箱") == normalize("第一次开箱")


_CHINESE_DIGITS = "〇一二三四五六七八九"


def _in_chinese(found: re.Match[str]) -> str:
    """A number as a re-uploader writes it out: 9.9 as 九点九, 00 (后) digit by digit as 〇〇, 36 as 三十六."""
    whole, _, fraction = found.group().partition(".")
    if fraction:
        return _spelt(whole) + "点" + "".join(_CHINESE_DIGITS[int(d)] for d in fraction)
    return _spelt(whole)


def _spelt(digits: str) -> str:
    number = int(digits)
    if number >= 100 or (len(digits) > 1 and digits.startswith("0")):
        return "".join(_CHINESE_DIGITS[int(d)] for d in digits)
    tens, units = divmod(number, 10)
    if not tens:
        return _CHINESE_DIGITS[units]
    return ("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" + (_CHINESE_DIGITS[units] if units else "")


def test_shipped_titles_rewritten_with_other_numerals_are_found() -> None:
    """Every labelled title with a number, re-uploaded with digits written as Chinese numerals or the reverse."""
    originals = sorted({row["text"] for row in load_eval_rows()})
    copies = [
        re.sub(r"[0-9]+(?:\.[0-9]+)?", _in_chinese, t) if re.search("[0-9]", t) else fold_numerals(t) for t in originals
    ]
    pairs = [(a, b) for a, b in zip(originals, copies, strict=True) if a != b]
    assert len(pairs) > 1000
    index = TextNearDupIndex()
    index.add_batch([TextItem(f"o{i}", original, T0) for i, (original, _) in enumerate(pairs)])
    found = index.query([copy for _, copy in pairs])
    recall = sum(any(m.id == f"o{i}" for m in matches) for i, matches in enumerate(found)) / len(pairs)
    assert recall >= 0.97, recall  # 0.41 without numeral folding


def test_titles_about_different_quantities_are_not_copies() -> None:
    index = TextNearDupIndex()
    first = TextItem("house-30", "农村自建房花了三十万，带你看看装修效果", datetime(2024, 3, 1, tzinfo=UTC))
    index.add_batch([first])
    other = TextItem("house-50", "农村自建房花了50万，带你看看装修效果", datetime(2024, 3, 2, tzinfo=UTC))
    copy = TextItem("house-30-copy", "【搬运】农村自建房花了30万 带你看看装修效果", datetime(2024, 3, 3, tzinfo=UTC))
    pairs = {(pair.a, pair.b) for pair in index.add_batch([other, copy])}
    assert ("house-30", "house-50") not in pairs
    assert ("house-30", "house-30-copy") in pairs


def test_a_copy_that_drops_a_number_names_no_other_quantity() -> None:
    index = TextNearDupIndex()
    index.add_batch([TextItem("sun", "2024年实测10款网红防晒霜，涂完暴晒一整天，结果出乎意料", T0)])
    matches = index.query(
        ["实测十款网红防晒霜，涂完暴晒一整天，结果出乎意料", "实测12款网红防晒霜，涂完暴晒一整天，结果出乎意料"]
    )
    assert [m.id for m in matches[0]] == ["sun"]
    assert matches[1] == []


def test_a_price_said_aloud_is_the_written_price() -> None:
    index = TextNearDupIndex()
    index.add_batch([TextItem("cup", "9块9包邮的保温杯，主播当场倒开水测试", datetime(2024, 3, 1, tzinfo=UTC))])
    matches = index.query(["9.9包邮的保温杯，主播当场倒开水测试", "19.9包邮的保温杯，主播当场倒开水测试"])
    assert [m.id for m in matches[0]] == ["cup"]
    assert matches[1] == []
