"""Eleventh library round of issue #20 (library v85; heldout12's library misses and heldout11's last ones, after the
shape evasions of `glyphs.py`): 最+形容词 read in pinyin (zui轻zui稳, which the pinyin channel cannot give a regular
expression), pets' diseases among the conditions food may not claim to prevent (猫瘟, 细小, 猫鼻支), 美容养颜 as a
health claim (HLT-088), a guarantee against allergy (COS-090, 100%不过敏), and luck for life from a number or a charm
(SUP-052). New wordings, none a row of any set, beside the same words where the law allows them."""

from __future__ import annotations

from tests.compliance.probes import (
    assert_entries_documented,
    blocked_test,
    lawful_test,
)

from wanghong.compliance.engine import ViolationLibrary

BLOCKED = [
    ("这款猫粮能预防猫瘟，猫咪吃了不生病", "MED-144"),
    ("狗狗益生菌，调理细小，一周就好", "MED-144"),
    ("宠物营养膏预防猫鼻支", "MED-144"),
    ("玫瑰花茶天天喝，美容养颜", "HLT-088"),
    ("这款红酒美容养颜，女生必备", "HLT-088"),
    ("孕妇也能用，保证不过敏", "COS-090"),
    ("这款面霜绝对不刺激，敏感肌放心冲", "COS-090"),
    ("这个车牌号码好，有了它一生旺运", "SUP-052"),
    ("戴上这只貔貅手镯，终身旺财", "SUP-052"),
    ("这款面霜zui温和，敏感肌闭眼入", "ABS-160"),
]

LAWFUL = [
    "颗粒细小，冲泡不结块",
    "这款猫粮颗粒细小，幼猫也能嚼",
    "敏感肌请先在耳后试用，如有过敏请停用",
    "经第三方人体斑贴试验，30名受试者无不良反应",
    "祝您一生平安，万事如意",
    "这款养生壶可以煮花茶、银耳羹",
    "我们zui近上新了三款",
    "美容院开业，欢迎到店体验",
]


def test_new_entries_are_documented(library: ViolationLibrary) -> None:
    assert_entries_documented(library, {"HLT-088"}, with_examples=False)
    assert_entries_documented(library, {"COS-090", "SUP-052"})


test_claims_are_blocked_by_their_entry = blocked_test(BLOCKED)


test_the_same_words_where_the_law_allows_them_pass = lawful_test(LAWFUL)
