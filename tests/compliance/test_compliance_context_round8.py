"""Eighth round of issue #20 (after the blind set outside_heldout9): lawful uses the context lacked — warnings and
complaints that quote a claim (避坑, 吐槽, 轻信, 全是套路, a lecture's words), an answer that declines (不加哦) or calls
the goods ordinary, a negator inside a pattern's gap (好评不返现), a sign said to bear a name, institutions named
第一, the speaker's team in a contest, a top-flight league, a day or a season as what is 最, the breast-milk statement,
a rank with its source and date, the shop's own count of items as the comparison set, and travel times that place a
guesthouse rather than a property (《广告法》第二十六条 binds real-estate advertising). New wordings, none a row of any
set, each beside the same words used as a claim."""

from __future__ import annotations

from tests.compliance.probes import caught_test, hit_reasons, lawful_test

from wanghong.compliance.engine import Scanner
from wanghong.compliance.engine.context import Reason

LAWFUL = [
    # warnings and complaints that quote the claim
    "减肥避坑：号称“一个月瘦二十斤”的代餐，基本都不靠谱",
    "网友吐槽：宣传“全网最低价”的那家店，比超市还贵",
    "我爸轻信“保本高息”的理财讲座，养老钱全打了水漂",
    "提醒大家：推销员说这个磁疗垫能治高血压，全是套路",
    # answers that decline, or call the goods ordinary
    "有粉丝问能不能私下加个微信？不加的，售后都在平台",
    "有人问这个枕头能不能治颈椎病，我说实话，就是普通荞麦枕，治不了病",
    # a negator in a pattern's gap
    "本店好评不返现，请按真实感受评价",
    "我们不会因为五星好评送红包，评价请随意",
    # names, institutions, teams, leagues, days
    "老店门头上写着“天下第一鲜”，卖了二十年馄饨",
    "第一人民医院对面新开了一家水果店",
    "昨天我们班拿了拔河比赛第一名，给大家发个红包",
    "今晚顶级联赛揭幕战，烧烤店有大屏可以看球",
    "今天是今年最热的一天，记得多喝水",
    "母乳是宝宝最好的食物，奶粉请在医生指导下选用",
    # a rank with its source and date; the shop's own items
    "据中国家电协会发布的2024年报告，该品牌洗碗机销量排名第一",
    "我们家四款床垫里这款最硬，腰不好的可以选它",
    # travel times that place something other than a property
    "酒店离高铁站步行五分钟，拖着箱子也方便",
    "我们店离地铁口开车十分钟，停车方便",
]

CLAIMS = [
    "号称“一个月瘦二十斤”的代餐，今天下单送摇摇杯",
    "推销员说这个磁疗垫能治高血压，大家放心买",
    "有粉丝问能不能私下加个微信？加的，私信我",
    "有人问这个枕头能不能治颈椎病，当然能，睡一个月就好",
    "五星好评返现五元，截图找客服",
    "我们家的床垫是全网最硬的",
    "今年最热卖的一款床垫，全网第一",
    "据说这个品牌洗碗机销量排名第一",
    "顶级面料，顶级做工",
    "全市第一的中学都用我们的校服",
    "小区离地铁站步行五分钟，首付二十万起",
    "距离市中心仅需十分钟车程，升值潜力巨大",
]


test_uses_the_round_taught_pass = lawful_test(LAWFUL)


test_claims_in_the_same_frames_are_caught = caught_test(CLAIMS)


def test_a_cited_source_and_date_make_a_rank_documented(raw_scanner: Scanner) -> None:
    assert hit_reasons(raw_scanner, "据某研究院发布的2023年报告，该品牌销量排名第一") == {Reason.CITED}
    # A source without a date, or a date without a source, leaves the rank to be checked or claimed.
    assert Reason.CITED not in hit_reasons(raw_scanner, "据行业协会统计，该品牌销量排名第一")
    assert Reason.CITED not in hit_reasons(raw_scanner, "2023年该品牌销量排名第一")


def test_the_real_estate_article_binds_property_only(raw_scanner: Scanner) -> None:
    assert hit_reasons(raw_scanner, "民宿离古镇步行十分钟") == {Reason.OTHER_SENSE}
    # A text about another place that also names property is a property ad.
    assert Reason.OTHER_SENSE not in hit_reasons(raw_scanner, "酒店式公寓离地铁步行五分钟")
