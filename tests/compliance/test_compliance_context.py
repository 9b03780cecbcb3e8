"""Context rules (engine/context.py): the 2023 执法指南's lawful uses pass, the same words as claims do not."""

from __future__ import annotations

import pytest

from wanghong.compliance.engine import ComplianceReviewer, Scanner, ViolationCategory
from wanghong.compliance.engine.context import ContextJudge, Reason
from wanghong.domain import Severity
from wanghong.domain import Verdict as VerdictKind

LAWFUL = [
    # negation scope: mandated disclosures and denials
    ("本理财产品不保本，投资有风险", Reason.NEGATED),
    ("这款茶不能降血糖，血糖高请遵医嘱", Reason.NEGATED),
    ("我们不敢说是最好的，只说实在", Reason.NEGATED),
    ("这款面霜没有美白祛斑的作用", Reason.NEGATED),
    ("投资需谨慎，我们不做任何保本承诺", Reason.NEGATED),
    # ordinals and measurements
    ("这件冲锋衣第一层是防风面料", Reason.ORDINAL),
    ("第一颗纽扣是暗扣", Reason.ORDINAL),
    ("这个镜头第一视角拍得很清楚", Reason.ORDINAL),
    ("这款电饭煲最大容量五升", Reason.MEASUREMENT),
    ("满电最长续航十二个小时", Reason.MEASUREMENT),
    # consumer tips, service attitude, goals
    ("绿茶最佳冲泡温度是八十五度", Reason.CONSUMER_TIP),
    ("这款药茶最好配着温水喝", Reason.CONSUMER_TIP),
    ("茶叶冲泡水温八十五度左右最合适", Reason.CONSUMER_TIP),
    ("质量第一，服务至上", Reason.SERVICE_ATTITUDE),
    ("服务态度一流是我们的要求", Reason.SERVICE_ATTITUDE),
    ("我们的目标是做最好的国货品牌", Reason.GOAL),
    # comparison within the brand or the product's own variants
    ("本店卖得最好的就是这款", Reason.SELF_COMPARISON),
    ("这一款羽绒服有六个颜色，黑色最百搭", Reason.SELF_COMPARISON),
    # official titles and names
    ("国家级专精特新小巨人企业出品", Reason.OFFICIAL_TITLE),
    ("我们是国家级高新技术企业", Reason.OFFICIAL_TITLE),
    ("治愈系毛绒玩具，抱着很舒服", Reason.NAME),
    ("这部电影叫最好的我们", Reason.NAME),
    # time order, other senses
    ("最后一天发货时间是腊月二十五", Reason.TIME_ORDER),
    ("质检一次通过，每件都检查过", Reason.OTHER_SENSE),
    ("快递一次通过安检", Reason.OTHER_SENSE),  # the inspection named after the hit
    # issue #20, second held-out round: further exceptions and other senses
    ("我们不搞保过那一套", Reason.NEGATED),
    ("这种膏药根治不了，只能缓解", Reason.NEGATED),  # a potential complement denies the verb
    ("到底见效快不快，要看个人体质", Reason.OTHER_SENSE),  # an A-not-A question
    ("第一名付款的送抱枕", Reason.ORDINAL),  # the first customer, not a ranking
    ("泡咖啡的最佳水温是九十度", Reason.CONSUMER_TIP),
    ("售后第一，有事随时找", Reason.SERVICE_ATTITUDE),
    ("诚信经营是我们最大的原则", Reason.GOAL),
    ("万能转接头，出国能用", Reason.OTHER_SENSE),
    ("百分之百纯羊绒的围巾", Reason.MEASUREMENT),  # a fibre content label
    ("抗皱衬衫，免熨烫", Reason.OTHER_SENSE),  # a fabric finish, not a skin effect
    ("红包上印着招财进宝图案", Reason.NAME),  # a printed pattern
    ("世界级非物质文化遗产昆曲主题书签", Reason.OFFICIAL_TITLE),
]

CLAIMS = [
    ("这款理财保本保息", ViolationCategory.INVESTMENT),
    ("不要错过最好的面霜", ViolationCategory.ABSOLUTE),  # the negator denies 错过, not the claim
    ("不含激素是最好的", ViolationCategory.ABSOLUTE),  # a second predicate carries the claim
    ("是不是全网最好的", ViolationCategory.ABSOLUTE),  # a question, not a denial
    ("全国第一家采用这种工艺", ViolationCategory.ABSOLUTE),  # a ranking scope before 第一
    ("这款是我们家第一", ViolationCategory.ABSOLUTE),
    ("品质第一的面霜", ViolationCategory.ABSOLUTE),  # about the goods, not a philosophy
    ("我们家的牛排是最正宗的", ViolationCategory.ABSOLUTE),  # possessive, not a comparison scope
    ("这款手机壳是最耐摔的", ViolationCategory.ABSOLUTE),
    ("世界领先的降噪技术", ViolationCategory.ABSOLUTE),
    ("全网首发，今晚开抢", ViolationCategory.ABSOLUTE),
    ("一流的做工", ViolationCategory.ABSOLUTE),
    ("这串桃木手链能辟邪", ViolationCategory.SUPERSTITION),
    ("跟着老师买基金，保你翻倍", ViolationCategory.INVESTMENT),
    ("报我们的驾校，科目一一次通过", ViolationCategory.EDUCATION),
    ("坚持喝这个茶，血压降下来了", ViolationCategory.MEDICAL),
    ("长期吃燕麦片，三高都没了", ViolationCategory.MEDICAL),
    ("最高档次的实木床", ViolationCategory.ABSOLUTE),  # a rank of quality, not a dimension with 档
    ("世界级大师打造的茶壶", ViolationCategory.ABSOLUTE),  # no world-level 大师 title is conferred
    ("这款万能清洁膏", ViolationCategory.ABSOLUTE),  # not a universal fit
    ("百分百有效", ViolationCategory.ABSOLUTE),
    ("第一名的品质", ViolationCategory.ABSOLUTE),
    ("戴上能化解小人", ViolationCategory.SUPERSTITION),
    ("这个项目只赚不亏", ViolationCategory.INVESTMENT),
    ("学完包就业", ViolationCategory.EDUCATION),
    ("考不上不收费", ViolationCategory.EDUCATION),
    ("喝了两周，转氨酶正常了", ViolationCategory.MEDICAL),
    ("用了三天，黑头全没了", ViolationCategory.COSMETICS),
    ("市场监管总局推荐的品牌", ViolationCategory.AUTHORITY),
    ("简介里有vx", ViolationCategory.OFF_PLATFORM),
]


@pytest.mark.parametrize(("text", "reason"), LAWFUL)
def test_lawful_uses_pass_for_the_reason_the_guideline_gives(scanner: Scanner, text: str, reason: Reason) -> None:
    assert scanner.scan(text).hits == ()
    bare = Scanner(scanner.library, context=False)
    judge = ContextJudge(scanner.normalizer.fold_chars)
    found = bare.scan(text).hits
    assert found, "the lexicon alone should flag it; the context is what clears it"
    assert reason in {judge.reason(text, hit, found) for hit in found}


@pytest.mark.parametrize(("text", "category"), CLAIMS)
def test_the_same_words_as_claims_are_still_hits(scanner: Scanner, text: str, category: ViolationCategory) -> None:
    assert category in {h.category for h in scanner.scan(text).hits}


def test_batched_scans_apply_the_context_like_single_scans(scanner: Scanner) -> None:
    texts = [t for t, _ in LAWFUL] + [t for t, _ in CLAIMS] + ["这款空调wei一静音的", "为一家人准备的礼物"]
    assert scanner.scan_many(texts) == [scanner.scan(t) for t in texts]


def test_pinyin_inside_an_everyday_word_is_caught_but_its_homophones_are_not(scanner: Scanner) -> None:
    assert [h.term for h in scanner.scan("这款空调wei一静音到这种程度").hits] == ["唯一"]
    assert [h.term for h in scanner.scan("家人们，这个保温杯di一名").hits] == ["第一名"]
    assert scanner.scan("为一家人准备的礼物，位一楼的店").hits == ()


def test_everyday_words_are_believed_on_word_boundaries_only(scanner: Scanner) -> None:
    assert scanner.scan("一流水线生产，每天产量很大").hits == ()
    assert scanner.scan("这款水乳一流动就吸收了").hits == ()
    assert [h.term for h in scanner.scan("一流的面料").hits] == ["一流"]


def test_a_time_limited_rank_claim_goes_to_review_not_block(reviewer: ComplianceReviewer) -> None:
    verdict = reviewer.review("今年双十一面霜类目销量第一")
    assert [h.severity for h in verdict.hits] == [Severity.MEDIUM]
    assert verdict.verdict is VerdictKind.REVIEW
    assert reviewer.review("面霜类目销量第一").verdict is VerdictKind.BLOCK


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("这款面霜是世界领先的", VerdictKind.BLOCK),  # 第九条第三项: unambiguous
        ("这个茶能降血糖", VerdictKind.BLOCK),  # a medical claim for food
        ("开过光的护身符，保佑全家", VerdictKind.BLOCK),  # 第九条第八项
        ("这款面膜绝对好用", VerdictKind.REVIEW),  # an adverb whose absolute reading depends on context
        ("跳楼价清仓，就在今晚", VerdictKind.REVIEW),  # a price claim: a reviewer checks the facts
        ("本理财产品不保本，投资有风险", VerdictKind.PASS),
    ],
)
def test_block_and_review_follow_the_statute(reviewer: ComplianceReviewer, text: str, verdict: VerdictKind) -> None:
    assert reviewer.review(text).verdict is verdict


def test_a_storage_instruction_is_not_a_homophone_of_cure() -> None:
    from wanghong.compliance.engine import ComplianceReviewer

    reviewer = ComplianceReviewer()
    for lawful in ("请置于阴凉干燥处储存", "开封后置于冰箱冷藏"):
        assert reviewer.review(lawful).hits == (), lawful
    # The homophone evasion itself is still caught, also right after a storage line.
    assert [h.term for h in reviewer.review("置于通风处，七天治玉痘痘").hits] == ["治愈"]
