"""Third round of issue #20 (blind set outside_heldout3): whole phrasings the library lacked, and lawful look-alikes
the context rules now read — each new library entry or rule with claims it must catch and clean sentences it must pass.
None of these sentences is a row of any evaluation set."""

from __future__ import annotations

import pytest
from tests.compliance.probes import assert_lawful, caught_test

from wanghong.compliance.engine import ComplianceReviewer
from wanghong.domain import Verdict as VerdictKind

CLAIMS = [
    "蓝莓叶黄素软糖孩子吃了两个月，散光度数都降下来了",
    "苦荞茶天天喝，体检各项指标全都降了",
    "我爸喝了半年这个菊粉，血脂指标下降了一大截",
    "何首乌黑豆粉早晚一杯，白发慢慢吃回黑色",
    "这个面霜用完皮肤年龄倒退五岁，闺蜜都问我",
    "眼霜激活肌肤细胞，逆龄八岁不是梦",
    "狗狗沐浴露能治皮肤病，洗三次就不挠了",
    "这款猫粮吃一个月猫藓就好了",
    "暑假集训班保证期末多考20分",
    "报我们的课确保孩子提高五十分以上",
    "数据分析训练营学完包进大厂",
    "考研辅导保证上名校，不上退一半",
    "这只基金下个月肯定涨，现在上车",
    "老师推荐的板块明天必涨停",
    "黄金现在入手稳涨不跌",
    "这款扫地机性能称霸全网",
    "我们的销量横扫全国同类产品",
    "国产精华吊打国际一线大牌",
    "音质完胜进口大牌耳机",
    "做工超过一线大牌，价格却亲民",
    "县长来我们直播间带货推荐的蜂蜜",
    "这款茶叶书记都点赞过",
    "局长亲口夸过的土鸡蛋",
    "尾款直接转我微信就行",
    "定金支付宝转我，不用走平台",
    "绕开平台下单更便宜，手续费全免",
    "加威信领优惠券，比店铺便宜",
    "有需要的宝子扣1，我私薇你",
    "这款羊奶粉喝了孩子很少感冒，mian疫力杠杠的",
    "喝这个鸡汤免疫力直接up",
    "这款耳机音质全网🔝",
    "稳zhuàn不赔的项目，私信了解",
    "这个口红是药妆级别的",
    "我们家蜂蜜是全网第一",
    "全网最低价，错过等一年",
    "这款面霜治好了我的湿疹",
    "喝了降血压，比吃药还管用",
    "孩子喝了三个月这个奶粉，视力度数一点没涨还降了",
    "糖友吃这个面条，血糖指标稳稳下降",
    "全家人吃了我们的石斑鱼，白头发都慢慢黑回来了",
    "这瓶精华水让你冻龄五岁",
    "宠物喷剂专治犬癣，喷一周就好了",
    "辅导班签约保证高考提高一百分",
    "跟我们学设计，包你进名企拿高薪",
    "这个币下个月必涨三倍",
    "楼盘位置好，房价未来肯定涨",
    "这款空气炸锅横扫各大电商平台",
    "性能秒杀国际大牌，价格只要一半",
    "这是县长亲自推荐的红薯",
    "下单后定金转我支付宝，尾款到付",
    "想要的加薇信，我单独发你链接",
    "宝宝喝了很少生病，抵抗力蹭蹭涨",
    "我们的纸巾品质全国🔝",
    "保证一个月提高五十分，不提分退费",
    "我们家是全网第一，不服来比",
    "这款是药妆品牌，敏感肌放心用",
    "吃了这个降血糖，比药好使",
    "最好的面霜就在我们家",
    "加我威信，发你内部价",
]

LAWFUL = [
    "空气净化器开一小时，甲醛指标降到国标以下",
    "本店价格降了，指标以实物为准",
    "这款染发膏一次就能把白发染黑",
    "显年轻的穿搭，谁穿谁好看",
    "体检指标异常的朋友请遵医嘱",
    "除螨仪一吸全是灰，床垫干净多了",
    "我们保证每节课都有课后答疑",
    "老师会尽力帮助孩子提高成绩",
    "这套题能帮你查漏补缺，分数看个人努力",
    "这个价格过两天肯定涨价，抓紧下单",
    "坚持打卡发作品必涨粉",
    "吃多了体重肯定涨",
    "这个价位能买到大牌同款面料",
    "大牌平替，学生党也买得起",
    "冠军同款跑鞋，专业运动员穿的款",
    "店长推荐这三款，闭眼入",
    "家长们都推荐这个书包",
    "市长热线打不通可以试试网上留言",
    "支持支付宝和微信支付，下单就能用",
    "退款会原路退回支付宝",
    "这位老师在学生中很有威信",
    "平台手续费由商家承担，大家放心拍",
    "免疫力低下的人群请遵医嘱",
    "今天的福利🔝到置顶了",
    "这个药膏治不好灰指甲，只是保湿而已",
    "普通面霜改善不了湿疹，严重的请就医",
    "小区三期第一幢下个月交房",
    "唯一的缺点是发货有点慢",
    "唯一需要注意的是别用热水洗",
    "客服服务绝对好，有问题随时找",
    "最后五十件，卖完恢复原价",
    "活动最后一天，今晚零点结束",
    "无敌破坏王同款盲盒，迪士尼正版授权",
    "招财猫是我们店铺的名字",
    "大家最喜欢哪个口味？扣在评论区",
    "你们觉得哪款最好看？",
    "平台外私下交易没有保障，大家谨防上当",
    "骑车一定要戴好头盔，安全第一",
    "下雨天记得要装好防水袋",
    "我们市长热线服务很方便",
    "学习书记员岗位需要哪些证书",
    "超市长期有货，放心买",
    "小区长廊边上就是我们的店",
    "考前冲刺班，帮助孩子巩固知识点",
    "红薯价格最近涨了，早买早划算",
    "我们会努力帮大家把分数提上去",
    "收到货有问题联系平台客服，不要私下转账",
    "这个白发染发膏一次就能遮住白头发",
    "免疫力低的宝宝换季要注意保暖",
    "店铺名字叫桃花运鲜花",
    "大家觉得哪个颜色最百搭？",
    "这是第一幢样板间，欢迎参观",
    "唯一的遗憾是颜色只有两种",
    "售后服务绝对靠谱，七天无理由",
    "最后二十件，卖完今天就下架了",
    "冠军同款训练服，国家队同厂代工",
    "顶配版本已经卖完了",
    "打call的宝子们点点关注",
    "签收前请当面验货，私下交易有风险别信",
    "这个项目风险较高，不保证收益",
    "不保证一定能提分，但老师会尽力",
]


test_new_phrasings_are_caught = caught_test(CLAIMS)


@pytest.mark.parametrize("text", LAWFUL)
def test_look_alikes_pass(reviewer: ComplianceReviewer, text: str) -> None:
    # The rules' reading; the window classifier's second opinion is measured below.
    assert_lawful(reviewer, text)


def test_the_window_classifier_sends_few_look_alikes_to_review(reviewer: ComplianceReviewer) -> None:
    # Its threshold allows 0.5 % more false positives on the outside sets; these hard look-alikes, written as the
    # nearest lawful twins of claims, cost more: one of 61 when it shipped (这个白发染发膏一次就能遮住白头发), two
    # since heldout5, heldout6 and dev6 joined its training sets (这款染发膏一次就能把白发染黑 too) — 3.3 %, where
    # the outside sets' own false-positive rate stays under the 3 % of issue #20. Three (4.9 %) since heldout7–10
    # joined (大牌平替，学生党也买得起, an implied comparison with the big brands, is the new one), for +2.5 points of
    # recall on heldout10 while it was blind and no false positive more (window_classifier.OR_BUDGET). Six (9.8 %)
    # since heldout11–21 joined at a budget of 0.003, for +3.7 points of recall on heldout22 while it was blind, no
    # false positive more there, and fewer of all the context rounds' lawful texts flagged (11 of 718 against 12).
    verdicts = reviewer.review_many(LAWFUL)
    flagged = [t for t, v in zip(LAWFUL, verdicts, strict=True) if v.verdict is not VerdictKind.PASS]
    assert len(flagged) <= 0.1 * len(LAWFUL), flagged
