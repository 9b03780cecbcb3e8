"""Ninth round of issue #20 (after the blind set outside_heldout10): lawful uses the context lacked — the first of the
shop's own stores, an offer's last day with its stated end, a choice among the offer's own colours (首选), jadeite's
A货 grade, stores and studios named 第一, a place named after a rank that the text is at, a notice about a practice
(警示, 纠纷, 限流), impostors and refuted hosts (冒充, 结果比超市还贵), a warning not to believe, and words named as
words after they are quoted (“顶级”这类词). New wordings, none a row of any set, each beside the same words as a
claim."""

from __future__ import annotations

from tests.compliance.probes import caught_test, lawful_test

LAWFUL = [
    "我们首家门店2018年开在成都春熙路",
    "年终活动最后一天，今晚24点结束",
    "这三款包包里棕色最百搭，上班首选棕色",
    "这只手镯是A货翡翠，附检测证书",
    "第一百货的专柜今天也在做活动",
    "民宿就在天下第一楼景区旁边，步行可达",
    "有骗子冒充客服发“刷单返利”链接，大家别点",
    "别相信什么“大师开光转运”的说法，都是骗钱的",
    "市场监管局发布警示：私下交易退款纠纷多",
    "平台规定：引导私下交易的账号将被封号处理",
    "那个博主说这是全网最低价，结果比我们店还贵",
    "“第一”“最好”这些词不能用，我们只讲参数",
]

CLAIMS = [
    "全国首家门店，行业第一",
    "我们的衣服是全网首选",
    "高仿A货包包，和正品一模一样",
    "第一品牌的奶粉，宝宝首选",
    "天下第一好吃的烧饼",
    "私下交易更便宜，加我微信",
    "全网最低价，就在我们直播间",
    "国家级大师亲自开光，保佑你发财",
]


test_uses_the_round_taught_pass = lawful_test(LAWFUL)


test_claims_in_the_same_frames_are_caught = caught_test(CLAIMS)
