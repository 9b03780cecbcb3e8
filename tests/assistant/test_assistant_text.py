from __future__ import annotations

import pytest

from wanghong.assistant.engine.text import char_bigrams, chinese_numeral_value, numbers_in, sentences


def test_bigrams_fold_width_and_case_and_stop_at_punctuation() -> None:
    assert char_bigrams("５０Ｇ面霜，好") == ["50", "0g", "g面", "面霜", "好"]
    assert char_bigrams("") == []


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("七", 7), ("十", 10), ("十五", 15), ("一百二十", 120), ("两千零五", 2005), ("三万", 30000), ("一万二千", 12000)],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert chinese_numeral_value(numeral) == value


def test_numbers_agree_across_spellings() -> None:
    assert numbers_in("到手价1,299元") == {"1299"} == numbers_in("到手价一千二百九十九元")
    assert numbers_in("３.50元，7天") == {"3.5", "7"}
    assert numbers_in("七天无理由退货") == {"7"}


def test_words_that_only_look_numeric_are_not_numbers() -> None:
    assert numbers_in("一般来说一定要统一，万一不合适") == set()


def test_sentences_split_on_end_marks() -> None:
    assert sentences("第一句。第二句！第三句") == ["第一句。", "第二句！", "第三句"]
    assert sentences("无标点") == ["无标点"]


def test_traditional_characters_fold_to_simplified() -> None:
    assert char_bigrams("運費多少錢") == char_bigrams("运费多少钱")
