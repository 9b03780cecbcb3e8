"""Seventeenth library round of issue #20 (library v91; the violations of outside_heldout17 the rules passed, and the
gold-block rows they sent to review): wording families the library lacked, each written as more than the row it
came from, and two block calibrations.

Blocked (the statute is unambiguous):
- competitors' goods called fakes, 三无, 地沟油, stale (陈货, 过期) or 智商税 (第十三条): ABS-230 takes these words
  from ABS-204, which keeps the milder ones (黑心棉, 耗电大户, and round 12's 陈化粮/注水肉) at review; and called
  一坨(屎) (ABS-226);
- 断层领先, like 遥遥领先 (第九条第三项) — not a score or a vote (比分断层领先, 投票中断层领先);
- English superlatives before a noun: the best one, the only choice, the most comfortable X in China (ABS-217);
- 平替天花板 (ABS-198), and 吊打 raised to block (ABS-150: every set row with it is a gold-block violation);
- officials said to have certified the goods (国家领导亲自认证, AUTH-035);
- exams: 必上岸, 未录用退还学费, 不过国家线退全款, 保证一战上岸 (第二十四条);
- paid reviews: a reward fetched with the review's screenshot, or for review words the shop dictates (FLS-102);
- paying off the order: 拍下先别付款, 走支付宝直接转账 (OFF-068).

Reviewed (the wording needs a fact checked): a platform category's top-N (ABS-231), 处于业内最低水平 (ABS-232), a
food association's 推荐产品 (FLS-103, 《食品安全法》第七十三条), 高效除甲醛 and 一抹提亮 (FLS-104), sleep and growth
testimonials (HLT-092), 老寒腿舒服多了 (HLT-078), 累计服务超百万客户 (FLS-051).

Passing now: flooring's 地板价格表 (PRC-008)."""

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
    ("别家卖的都是过期货，只有我们家是新鲜的", "ABS-230"),
    ("那家店用的全是地沟油，别去吃", "ABS-230"),
    ("其他品牌的面膜都是三无产品", "ABS-230"),
    ("这款扫地机吸力断层领先", "ABS-233"),
    ("友商的手机就是一坨屎", "ABS-226"),
    ("别家的耳机简直是一坨💩", "ABS-226"),
    ("This phone is the best one you can buy", "ABS-217"),
    ("这款净水器是the only choice for your family", "ABS-217"),
    ("这款沙发是the most comfortable sofa in the world", "ABS-217"),
    ("这支口红是大牌平替天花板", "ABS-198"),
    ("音质吊打千元耳机", "ABS-150"),
    ("这款茶叶经省领导亲自认证", "AUTH-035"),
    ("报我们的班必上岸", "EDU-063"),
    ("教资面试班，未通过全额退学费", "EDU-057"),
    ("考公班：没过分数线退全款", "EDU-057"),
    ("跟着老师学，保证你一战通过", "EDU-041"),
    ("在大众点评打五星，凭截图到收银台兑换甜品一份", "FLS-102"),
    ("评价中写上“宝贝很好用”即可得5元红包", "FLS-102"),
    ("拍下不要付款，私聊改价", "OFF-068"),
    ("大家用微信直接转账，我给您包邮", "OFF-068"),
]

REVIEWED = [
    ("京东同品类销量位列前五的电饭煲", "ABS-231"),
    ("这款路由器的功耗处于行业最低水平", "ABS-232"),
    ("本品为省蜂业协会推荐产品", "FLS-103"),
    ("这款喷雾高效除甲醛，孕妇也放心", "FLS-104"),
    ("这支粉底一抹就提亮", "FLS-104"),
    ("我妈用了这个艾灸贴，晚上睡觉都香了", "HLT-092"),
    ("宝宝吃了这款辅食不挑食了", "HLT-092"),
    ("用了三个月，老寒腿舒服了很多", "HLT-078"),
    ("本机构已累计服务超过十万学员", "FLS-051"),
]

LAWFUL = [
    # part B: lawful wording the library had flagged
    "这是我们店的地板价格表，请参考",
    "实木地板价格表已更新",
    "复合地板价多少钱一平",
    # look-alikes of the new families
    "过期食品请勿购买，注意查看生产日期",
    "别家都是过期后再打折，我们每天上新",
    "那家店的蛋糕都是现做的",
    "友商的产品我们尊重，各有特色",
    "我家猫拉了一坨屎在猫砂盆外面",
    "这一坨面团醒二十分钟",
    "这款是the most popular 款式",
    "这个是大牌平替，不是天花板级别",
    "市领导认证会议今天召开",
    "比赛第三节，主队比分断层领先",
    "这位选手在选秀投票中断层领先",
    "没有什么班能保证必上岸",
    "未录用人员的材料将退回",
    "评价里写一下尺码，方便其他买家参考",
    "凭截图到前台领取快递",
    "收到货后凭截图申请售后",
    "拍下后请尽快付款，超时订单自动关闭",
    "请勿用微信转账给陌生人，谨防诈骗",
    "本次期末考试排名前三的同学有奖励",
    "他的英语达到了国际水平",
    "中国消费者协会提醒：谨防虚假宣传",
    "协会推荐的律师名单请到官网查询",
    "本品不能除甲醛，仅为香薰",
    "装修后三天让新房通风散味",
    "一抹红色的夕阳",
    "吃了晚饭去散步，晚上睡得很香",
    "喝了酒晚上睡不踏实",
    "累计服务时间超过三年",
    "平台不允许好评返现，请按真实感受评价",
]

PATTERN_ENTRIES = {"ABS-230", "FLS-102", "OFF-068", "ABS-231", "ABS-232", "FLS-103", "FLS-104", "HLT-092"}
BLOCKING_ENTRIES = {"ABS-230", "ABS-233", "EDU-063", "FLS-102", "OFF-068"}
REVIEW_ENTRIES = {"ABS-231", "ABS-232", "FLS-103", "FLS-104", "HLT-092"}
NEW_ENTRIES = BLOCKING_ENTRIES | REVIEW_ENTRIES


test_statute_claims_block = blocked_test(BLOCKED)


test_claims_needing_a_fact_go_to_review = reviewed_test(REVIEWED)


test_look_alikes_pass = lawful_test(LAWFUL)


def test_round_seventeen_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = {entry_id for _, entry_id in BLOCKED + REVIEWED}
    assert ids >= NEW_ENTRIES
    assert_entries_documented(library, PATTERN_ENTRIES)
    assert_entries_documented(library, NEW_ENTRIES - PATTERN_ENTRIES, with_examples=False)


def test_round_seventeen_severities(library: ViolationLibrary) -> None:
    assert_severities(library, blocking=BLOCKING_ENTRIES | {"ABS-150"}, reviewing=REVIEW_ENTRIES | {"ABS-204"})


def test_abs_204_keeps_only_the_milder_words_at_review(library: ViolationLibrary) -> None:
    # The words that moved to ABS-230 would otherwise be read by both entries, and the same span keeps the earlier.
    by_id = {entry.id: entry for entry in library.entries}
    assert not {"假货", "地沟油", "智商税"} & set(by_id["ABS-204"].triggers)
    assert "黑心棉" in by_id["ABS-204"].pattern


def test_library_version_is_91_or_later(library: ViolationLibrary) -> None:
    assert library.version >= 91
