"""Sixth round of issue #20 (blind set outside_heldout6, evaluated once: 0.739 / 0.104 / 0.683): the lawful uses its
false positives showed the context lacked — the brand's first shop, the worst case of a risk disclosure, goods that
are not sold or are over-the-counter, a source or a registration number given in the text, a negated coverb phrase
(不向学生提供贷款), a reported question the seller declines, a quoted story title. New wordings, none a row of any set,
each beside the same words used as a claim."""

from __future__ import annotations

from tests.compliance.probes import caught_test, lawful_test

LAWFUL = [
    "我们品牌第一家分店开在西湖边",
    "最坏情况下本金可能全部亏损，请谨慎投资",
    "本店不卖处方药，需要请到正规药房",
    "这是一款非处方药，请按说明书服用",
    "除螨率99%（数据来源：第三方检测报告）",
    "专利号ZL202210987654.3，实用新型专利",
    "国妆特字G20240001，美白特证产品",
    "本平台不向学生党提供借款",
    "有粉丝问这个手串开过光没有，我们不做开光",
    "有人问是不是销量第一，我们不搞排名",
    "绘本讲的是“最强小蚂蚁”的故事",
]

CLAIMS = [
    "第一品牌，全国门店过千家",
    "有人问是不是销量第一，当然是",
    "除螨率99%，用了都说好",
    "独家专利技术，三天美白",
    "本店专卖处方药，无需处方",
    "学生党也能借，零门槛贷款",
    "这款精华七天美白，效果堪比特证",
    "最强的防晒霜，没有之一",
]


test_lawful_uses_pass = lawful_test(LAWFUL)


test_the_same_words_as_claims_are_caught = caught_test(CLAIMS)
