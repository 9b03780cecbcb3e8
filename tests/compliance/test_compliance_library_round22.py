"""Twenty-second library round of issue #20 (library v97; the violations of outside_heldout22 the rules passed and the
gold-block rows they sent to review): wording families the library lacked, each written as more than the row it came
from. Long texts fold before matching (numerals become digits, 零 is 0, 两 and 十 stay, punctuation, % and emoji
other than 🔝/➕ are removed, dì一 is di1, 第① is 第1), so the patterns are written against that folded form.

Blocked (the statute is unambiguous):
- a region's superlative of the goods: 全市最新鲜, 全城最便宜 (ABS-242, 《广告法》第九条第三项);
- 第一/顶级 in pinyin, circled digits or emoji: 年度dì一, 全市第①…品牌, 白酒🔝品牌 (ABS-243);
- 同级别…没对手, 同价位里找不出第二台 (ABS-244); the only authorised shop, 能拿到授权的也就我们一家 (ABS-245);
- a masked or named competitor not to be bought, 别买某米的, 别买净颜坊那款, and 街口那家…吃完拉肚子 (ABS-247,
  《反不正当竞争法》第十一条、《广告法》第十三条);
- off-platform trade: 嘉薇领券, 比直播间便宜, 留手机尾号…单独发货, 报名费在那边交, 薇同抖音号 (OFF-070,
  《网络直播营销管理办法（试行）》第十八条);
- a locked return or the principal returned in full: 收益是锁定的, 不会有任何波动, 每月返…本金全部返还 (INV-102,
  《广告法》第二十五条);
- betting on football off the books and top-ups whose prizes turn into cash: 足球私盘, 外围投注, 充值…砸蛋…兑换现金
  (PRO-081, 《刑法》第三百零三条); lottery numbers sold with a win promised, 内部稳中号码, 跟我买必中一等奖 (PRO-082,
  《彩票管理条例》第三条、第十八条);
- state organs as endorsers: 市委接待用酒, 领导招待客人都用, 经国家市场监督管理总局推荐 (AUTH-042,
  《广告法》第九条第二项);
- renaming that promises luck, 改完名字事业运立马好转, 测字…不灵不要钱 (SUP-056, 《广告法》第九条第八项);
- a job or exam promised: 保证百分之百上岗, 不上an全额退学费 (EDU-065, 《广告法》第二十四条);
- pet food that cures, 肾shuai、口炎吃一个月就能好转 (MED-188, 《兽药管理条例》); a medaesthetic result for years,
  维持十年不反弹 (MED-189, 《广告法》第十六条).

Reviewed (the wording needs a fact checked): 只在本店能买到 (ABS-246, medium); quantified
medaesthetic results, 淡掉七八成, 毛孔肉眼可见缩小, 上万例…没有修复案例 (MED-190, medium); a user's
relief, 闭口用了一周都消下去了, 腰不那么酸了, 爬五楼都不喘 (HLT-094, low: a borderline testimonial
beside another claim stays review); an award's name without its organiser, 荣获…设计大奖, 金奖获奖品牌
(FLS-113, low); an average effect from customers' feedback, 平均提升40% (FLS-114, medium).

The critical-illness words (重疾险, 重疾保额) have been exceptions of the homophone 终极 (ABS-071) since round 21; they
stay lawful here."""

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
    ("我家的土鸡蛋当天现捡，全城最新鲜", "ABS-242"),
    ("全镇最实惠的超市就在这里", "ABS-242"),
    ("亚洲dì一的护肤工厂", "ABS-243"),
    ("全国第①家居品牌，品质看得见", "ABS-243"),
    ("国产护肤🔝品牌，值得信赖", "ABS-243"),
    ("这台冰箱同价位里静音没对手", "ABS-244"),
    ("同配置的笔记本你找不到第二款这么轻的", "ABS-244"),
    ("全省有这个牌照的，只有我们一家", "ABS-245"),
    ("能拿到厂家授权的就我们这一家，别家都是水货", "ABS-245"),
    ("千万别买某东的空气炸锅，用两次就坏", "ABS-247"),
    ("避雷玉容堂的面膜，烂脸了", "ABS-247"),
    ("楼下那家烧烤吃完拉了一晚上肚子", "ABS-247"),
    ("加薇私聊，比直播间还便宜二十", "OFF-070"),
    ("想要的在评论区留手机号，客服加你私发", "OFF-070"),
    ("尾款到微信上交就行", "OFF-070"),
    ("v同快手号，直接找我", "OFF-070"),
    ("这款产品的利息不会有任何波动", "INV-102"),
    ("每月返你两百，到期本金全额退还，绝对安全", "INV-102"),
    ("世界杯外围投注，赢了秒到账", "PRO-081"),
    ("首充送抽奖券，开箱的钻石可以兑换现金", "PRO-081"),
    ("内部精准号码，包中", "PRO-082"),
    ("跟着我买稳中头奖", "PRO-082"),
    ("这款茶叶是省政府接待用茶", "AUTH-042"),
    ("经市场监管局认证的放心奶粉", "AUTH-042"),
    ("测字看八字，不灵退钱", "SUP-056"),
    ("八字转运符，不灵包退", "SUP-056"),
    ("报名就包进厂，月入八千", "EDU-065"),
    ("考不上全额退学费", "EDU-065"),
    ("狗狗犬瘟喂了这个营养膏一周就康复了", "MED-188"),
    ("热玛吉做一次，保持五年不下垂", "MED-189"),
    ("隆鼻终身不变形，永久不反弹", "MED-189"),
]

REVIEWED = [
    ("全国总代理，只在我们店能买到", "ABS-246"),
    ("打两次皮秒，黄褐斑能淡掉六成", "MED-190"),
    ("用了这款精华，细纹肉眼可见变淡", "MED-190"),
    ("主任做过两万例隆鼻，零修复", "MED-190"),
    ("额头的痘痘用了三天基本都消下去了", "HLT-094"),
    ("用了两个月，膝盖没那么疼了", "HLT-094"),
    ("这款椅子荣获国际创新设计大奖", "FLS-113"),
    ("设计金奖获奖品牌，值得信赖", "FLS-113"),
    ("根据学员回访，成绩平均提高30%", "FLS-114"),
]

LAWFUL = [
    "全市最新的交通管制通知请以交警发布为准",
    "这是我吃过最好吃的一次，全凭个人口味",
    "全国最低气温出现在漠河",
    "第1步先把面粉过筛",
    "2024年度第1次股东大会将于下月召开",
    "屋顶品牌选购指南：看防水等级",
    "同价位的车我也试驾过几台，各有优缺点",
    "同级别车型对比：油耗数据来自工信部公示",
    "这款车在同级别里油耗表现不错，具体见工信部数据",
    "我们是本市获得授权的门店之一，授权书可在店内查看",
    "这款酒只在本店和官方旗舰店有售",
    "别买太便宜的那款，质量一般",
    "买东西之前先做功课，别买三无产品",
    "街口那家新开了一家奶茶店",
    "楼下那家早餐店的包子挺好吃",
    "比直播间更早一步的是预告视频",
    "请勿在评论区留手机号，谨防诈骗",
    "报名费请在小程序内交",
    "这款理财产品不保本，收益会有波动，请谨慎",
    "存款利率锁定后到期按约定付息",
    "本金和收益以实际净值为准，可能亏损",
    "足球比赛中场休息，下半场马上开始",
    "中国体育彩票竞彩足球，理性购彩",
    "充值抽奖活动的奖品不可兑换现金",
    "不存在所谓内部号码，请勿上当",
    "彩票号码是随机开出的，没有人能必中",
    "市委召开常委会议，研究部署经济工作",
    "领导来接待客人时请提前准备茶水",
    "市场监督管理局提醒：购买食品请认准SC标志",
    "改名需要到派出所办理相关手续",
    "他改名后重新开了一家店",
    "保证上岗前完成安全培训",
    "考不上也没关系，还有很多路可以走",
    "猫咪口炎要及时去宠物医院就诊",
    "肾衰猫咪需遵医嘱饮食，处方粮请咨询兽医",
    "埋线效果因人而异，一般维持一到两年",
    "做了三次光子以后，医生说要做好防晒",
    "效果需要肉眼可见的时间因人而异",
    "他获得了年度最佳新人大奖",
    "获得大奖的作品将在展厅展出",
    "用户反馈的问题我们会在一周内回复",
    "根据用户调研，大家最关心的是价格",
    "及时卖出锁定收益，是很多人的操作",
    "细小的颗粒用水冲一下就好了",
    "参与转发抽奖有机会获得大奖",
    "别买大品牌的贴牌货，注意看厂址",
    "重疾险保额50万，等待期90天",
    "重疾多次赔付，具体以条款为准",
]

PATTERN_ENTRIES = {
    "ABS-242",
    "ABS-243",
    "ABS-244",
    "ABS-245",
    "ABS-247",
    "OFF-070",
    "INV-102",
    "PRO-081",
    "PRO-082",
    "AUTH-042",
    "SUP-056",
    "EDU-065",
    "MED-188",
    "MED-189",
}
REVIEW_ENTRIES = {"ABS-246", "MED-190", "HLT-094", "FLS-113", "FLS-114"}


test_statute_claims_block = blocked_test(BLOCKED)


test_claims_needing_a_fact_go_to_review = reviewed_test(REVIEWED)


test_look_alikes_pass = lawful_test(LAWFUL)


def test_round_twenty_two_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = {entry_id for _, entry_id in BLOCKED + REVIEWED}
    assert ids == PATTERN_ENTRIES | REVIEW_ENTRIES
    assert_entries_documented(library, PATTERN_ENTRIES | REVIEW_ENTRIES)


def test_round_twenty_two_severities(library: ViolationLibrary) -> None:
    assert_severities(library, blocking=PATTERN_ENTRIES, reviewing=REVIEW_ENTRIES)


def test_library_version_is_97_or_later(library: ViolationLibrary) -> None:
    assert library.version >= 97
