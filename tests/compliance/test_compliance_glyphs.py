"""Evasions by a character's shape (issue #20): near forms and Japanese forms fold to the character they imitate, and
a character written as its components matches the term it belongs to; the everyday words among them stay lawful."""

from __future__ import annotations

import pytest
from tests.compliance.probes import assert_caught, assert_lawful

from wanghong.compliance.engine import ComplianceReviewer, Scanner
from wanghong.compliance.engine.glyphs import COMPONENTS, decomposed_variants
from wanghong.compliance.engine.normalize import Normalizer


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("根冶", "根治"),
        ("嶶信", "微信"),
        ("蕞低价", "最低价"),
        ("苐1", "第1"),
        ("稳嬴", "稳赢"),
        ("痩身", "瘦身"),
        ("効果", "效果"),
    ],
)
def test_near_and_japanese_forms_fold_to_what_they_imitate(written: str, read: str) -> None:
    assert Normalizer().fold(written) == read


def test_chinese_characters_shared_with_japanese_are_left_alone() -> None:
    # 芸, 欠 and 余 are Japanese forms of 藝, 缺 and 餘 but Chinese characters of their own (芸豆, 欠款, 余下).
    assert Normalizer().fold("芸豆欠款余下") == "芸豆欠款余下"


def test_each_split_character_yields_one_variant_per_position() -> None:
    assert list(decomposed_variants("根治")) == ["木艮治", "根氵台"]
    assert list(decomposed_variants("全网")) == []
    assert all(len(split) == 2 for split in COMPONENTS.values())


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("这款耳贴戴一周，耳鸣根冶", "MED-003"),
        ("戴上三天，关节炎根氵台", "MED-003"),
        ("女子评返现两元，截图找客服", "FLS-026"),
        ("丁页级工艺，匠心打造", "ABS-155"),
    ],
)
def test_shape_evasions_hit_the_term_they_hide(raw_scanner: Scanner, text: str, entry_id: str) -> None:
    assert entry_id in {hit.entry_id for hit in raw_scanner.scan(text).hits}


@pytest.mark.parametrize("text", ["这款护膝一次根冶，老寒腿不再疼", "降血米唐茶，糖友必备", "痩身咖啡，一周痩八斤"])
def test_shape_evasions_are_caught(reviewer: ComplianceReviewer, text: str) -> None:
    assert_caught(reviewer, text)


@pytest.mark.parametrize(
    "text",
    [
        "陶冶情操的书法课，每周两节",
        "冶炼厂的老师傅手工打铁锅",
        "女子健身房开业，办卡送毛巾",
        "日月潭的阿里山茶，两百克一罐",
    ],
)
def test_everyday_words_among_the_forms_stay_lawful(reviewer: ComplianceReviewer, text: str) -> None:
    assert_lawful(reviewer, text)
