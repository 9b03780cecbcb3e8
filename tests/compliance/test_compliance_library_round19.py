"""Nineteenth library round of issue #20 (library v93; the violations of outside_heldout19 the rules passed, the
gold-block rows they sent to review, and clean rows a library entry misread): wording families the library lacked,
each written as more than the row it came from. Long texts fold before matching (numerals become digits, so 第一 is
第1 and 三节 is 3节), so the patterns are written against that folded form.

Blocked (the statute is unambiguous):
- a non-medical good said to cure a child's neurodevelopmental disorder: 治好了我家孩子的多动症 (MED-186,
  《广告法》第十七条、《食品安全法》第七十三条; 医生治好了 … is a doctor's work and passes);
- a mattress or pillow said to relieve spinal disease: 腰间盘突出都能缓解 (MED-187, 第十七条);
- shampoo as a hair restorer: 生发神器, 秃顶也能长 (COS-094, 《化妆品监督管理条例》第三十七条);
- extended: 修复湿疹 (MED-156); 国家领导人亲笔题词, 多个部委指定专用 (AUTH-040); 全市技术最棒 (ABS-216, an aspect
  between the region and 最); 抗老天花板 (ABS-198); 那个牌子用的都是翻新 … (ABS-230); 全网zd (ABS-236); dy递一
  (ABS-228); 销量榜 No.Ⅰ (ABS-058); the only … your dog needs (ABS-217);
- block calibration: ABS-111 无敌 and SUP-033 招财 medium → high (第九条第三项, 第九条第八项; every set row that
  keeps either is a gold-block violation, none gold review).

Reviewed (the wording needs a fact checked): 绝大多数买家评价都是五星 (FLS-052).

Lawful wording a library entry misread, now passing: 3节 read as 散结 (MED-094), 业绩比较基准为年化 (INV-039, the
term a wealth product must use), 国家级新区 (ABS-061), 治疗效果因人而异 (MED-001/MED-004), 康复理疗室 (MED-081),
第1、第2号 (ABS-046)."""

from __future__ import annotations

from tests.compliance.probes import (
    assert_entries_documented,
    assert_severities,
    blocked_test,
    lawful_test,
    reviewed_test,
)

from wanghong.compliance.engine import ViolationLibrary

BLOCKED = [
    ("这款益生菌治好了儿子的抽动症", "MED-186"),
    ("孩子吃了半年，自闭症明显改善", "MED-186"),
    ("鱼油软糖治好了我家孩子的多动症", "MED-186"),
    ("这个枕头枕一个月颈椎病就能改善", "MED-187"),
    ("坐垫用上一周，腰肌劳损都能缓解", "MED-187"),
    ("这款洗发水是生发神器", "COS-094"),
    ("地中海用两个月也能长出新发", "COS-094"),
    ("婴儿霜三天修复湿疹", "MED-156"),
    ("本品荣获国家领导人亲笔题字", "AUTH-040"),
    ("多个部委指定专用的茶叶", "AUTH-040"),
    ("全市手艺最棒的理发店", "ABS-216"),
    ("这支精华是美白天花板", "ABS-198"),
    ("那个牌子用的都是翻新电池", "ABS-230"),
    ("纸巾全国zd，买贵退差价", "ABS-236"),
    ("抖音递一的面膜", "ABS-228"),
    ("热销榜 No.Ⅰ 的电饭煲", "ABS-058"),
    ("The only shampoo your hair needs", "ABS-217"),
    ("这款吹风机效果无敌", "ABS-111"),
    ("黄水晶手串戴上就招财", "SUP-033"),
]

REVIEWED = [
    ("大多数顾客评价都是好评的小店", "FLS-052"),
    ("几乎所有买家都给5星", "FLS-052"),
]

LAWFUL = [
    "医生治好了我家孩子的多动症，谢谢儿科的大夫",
    "多动症的孩子需要专业评估，请去正规医院",
    "腰间盘突出请及时就医",
    "颈椎病是怎么引起的？",
    "秃顶是遗传还是压力？",
    "发际线后移要去皮肤科看看",
    "湿疹宝宝的衣服要选纯棉的",
    "国家领导人出席了开幕式",
    "部委联合发布了新的管理办法",
    "全市最低气温零下五度",
    "天花板漏水请联系物业",
    "那个牌子的翻新机要看清楚保修",
    "全网zhiding的帖子",
    "请把那本书递一下给我",
    "排行榜 No.1号链接是黑色款",
    "The only thing your dog needs is a walk",
    "招财猫摆件，陶瓷材质",
    "课程购买后7天内未观看超过3节可申请退款",
    "业绩比较基准为年化3.0%-3.8%，不代表实际收益",
    "浦东是全国第一个国家级新区",
    "治疗效果因人而异，请遵医嘱",
    "养老院配有康复理疗室",
    "公交公司将加开第1、第2号专线",
]

PATTERN_ENTRIES = {"MED-186", "MED-187", "COS-094"}
EXTENDED = {"MED-156", "AUTH-040", "ABS-216", "ABS-198", "ABS-230", "ABS-236", "ABS-228", "ABS-058", "ABS-217"}
CALIBRATED = {"ABS-111", "SUP-033"}
REVIEW_EXTENDED = {"FLS-052"}


test_statute_claims_block = blocked_test(BLOCKED)


test_claims_needing_a_fact_go_to_review = reviewed_test(REVIEWED)


test_look_alikes_pass = lawful_test(LAWFUL)


def test_round_nineteen_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = {entry_id for _, entry_id in BLOCKED + REVIEWED}
    assert ids >= PATTERN_ENTRIES | EXTENDED | CALIBRATED | REVIEW_EXTENDED
    assert_entries_documented(library, PATTERN_ENTRIES)


def test_round_nineteen_severities(library: ViolationLibrary) -> None:
    assert_severities(library, blocking=PATTERN_ENTRIES | EXTENDED | CALIBRATED, reviewing=REVIEW_EXTENDED)


def test_library_version_is_93_or_later(library: ViolationLibrary) -> None:
    assert library.version >= 93
