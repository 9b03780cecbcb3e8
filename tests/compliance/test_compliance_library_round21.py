"""Twenty-first library round of issue #20 (library v96; the violations of outside_heldout21 the rules passed, the
gold-block rows they sent to review, and a clean row a homophone misread): wording families the library lacked,
each written as more than the row it came from. Long texts fold before matching (numerals become digits,
punctuation and emoji are removed, 二手 is 2手, 哗哗 is 哗, 落單 is 落单), so the patterns are written against that
folded form.

Blocked (the statute is unambiguous):
- a pointed-at competitor accused of a fact: 隔壁那家都是泡水车, 他们家教练都没证, 随时会炸 (ABS-241,
  《反不正当竞争法》第十一条、《广告法》第十三条);
- online gambling solicited: 真人百家乐, 首充送彩金, 每日返水 (PRO-079, 《刑法》第三百零三条);
- lottery numbers sold with a win promised: 双色球内部推荐号, 跟单包中 (PRO-080, 《彩票管理条例》第三条、第十八条);
- insurance said to pay for an illness bought into: 带病也能买，住院都能赔, 先买后报 (INV-101,
  《保险法》第一百三十一条);
- extended: 罪低, 醉省电 (ABS-240); X家的…全是糖水勾兑的 (ABS-230); 同级别没有对手 (ABS-199); 全市都找不出第二家
  (ABS-184); 找不着比我们更便宜的, 全网地板价没有更便宜的了 (ABS-202); 副市长来给茶叶代言 (AUTH-033); a bureau's
  officials visiting and praising the goods (AUTH-035); 政府认证 (AUTH-036); 喝了…血压哗哗往下降, a tumour or cyst
  shrunk after eating (MED-145); 中风后遗症明显好了 (MED-151); 不用再打胰岛素 (MED-164); 根治痤疮 (MED-156); a gift
  named before its count for a five-star review (FLS-054); 看我头像进群, 私信发你v号 (OFF-060); 线下交易少收,
  抖店抽成太高 (OFF-069); 唔好喺直播间落单 (OFF-059); WhatsApp/Telegram (OFF-065); hua解小人 (SUP-039); guaranteed
  monthly profit (INV-074).

Reviewed (the wording needs a fact checked): an award at an unnamed contest, 荣获年度十佳名茶称号 (FLS-112, low); a
prize for reviews that name the shop (FLS-111); 首款能…的 (ABS-237, low); 售罄率达到九成 (FLS-052); 被博主列入必买榜
(FLS-110, low); 便秘…现在每天都很规律, 脱发明显减少, 体重从…降到… (HLT-078).

Lawful wording a library entry misread, now passing: 重疾险, 重疾保额 read as the homophone 终极 (ABS-071; the
insurance words are its exceptions, so 终极 itself and zhong ji still block)."""

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
    ("对面那家店卖的二手机都是翻新机，买了就后悔", "ABS-241"),
    ("隔壁那个健身房的教练全都没有证，千万别去", "ABS-241"),
    ("他们家的电动车电池随时会起火", "ABS-241"),
    ("别的直播间卖的羊肉卷都是隔夜货", "ABS-241"),
    ("隔壁车行的车好几台都是事故车", "ABS-241"),
    ("线上娱乐城，充值提现秒到账", "PRO-079"),
    ("首充即送88元彩金", "PRO-079"),
    ("大乐透内部计划号，跟着买稳中", "PRO-080"),
    ("这个医疗险带病也能买，住院都能赔", "INV-101"),
    ("投保当天就住院也能理赔", "INV-101"),
    ("这款电动车醉省电", "ABS-240"),
    ("同价位里耗电罪低的冰箱", "ABS-240"),
    ("某某优选家的蜂蜜全是糖浆勾兑的", "ABS-230"),
    ("这台投影仪同级别没有对手", "ABS-199"),
    ("全市都找不出第二家这么好吃的烤鸭", "ABS-184"),
    ("全网都找不着比我们更便宜的了", "ABS-202"),
    ("全网地板价，没有更便宜的了", "ABS-202"),
    ("副市长今天来给咱们的茶叶代言", "AUTH-033"),
    ("区商务局的领导来到我们工厂，对我们的月饼给予了高度评价", "AUTH-035"),
    ("政府认证的好大米，放心吃", "AUTH-036"),
    ("我爸喝了一个月，血压哗哗往下降", "MED-145"),
    ("坚持喝了半年，复查囊肿小了一半", "MED-145"),
    ("奶奶吃了两个月，中风后遗症明显好了", "MED-151"),
    ("喝了这个茶，我爸现在都不用再打胰岛素了", "MED-164"),
    ("这瓶精华能根治痤疮", "MED-156"),
    ("五星好评晒三张图，送定制帆布袋一个", "FLS-054"),
    ("点我主页扫码进群", "OFF-060"),
    ("我私信发你vx号", "OFF-060"),
    ("线下交易的话给你少收三十", "OFF-069"),
    ("走抖店抽成太高，线下付款便宜点", "OFF-069"),
    ("唔好喺直播间落单，私下搵我", "OFF-059"),
    ("想要的加我telegram", "OFF-065"),
    ("戴上这个貔貅能hua解小人", "SUP-039"),
    ("guaranteed monthly profit, no risk", "INV-074"),
    ("这款充电宝是zhong ji神器", "ABS-071"),
]

REVIEWED = [
    ("我们的蜂蜜曾获国际养蜂大会金奖", "FLS-112"),
    ("荣获年度十佳名茶称号", "FLS-112"),
    ("追评里写上店铺名字的，抽五位送正装", "FLS-111"),
    ("首款能语音控制的晾衣架", "ABS-237"),
    ("首期房源售罄率达到九成", "FLS-052"),
    ("被小红书博主列入年度必买榜的收纳盒", "FLS-110"),
    ("长期便秘，喝了一个月，现在每天都很规律", "HLT-078"),
    ("脱发明显减少了", "HLT-078"),
    ("体重从150斤降到128斤", "HLT-078"),
]

LAWFUL = [
    "重疾保额50万，轻症重疾都能保",
    "重疾多次赔付，以合同条款为准",
    "罹患重疾的家庭可以申请大病救助",
    "买二手车一定要避开泡水车和调表车，记得查维保记录",
    "隔壁小孩吃了隔夜菜拉肚子了，大家夏天注意饮食",
    "他家的果切都是现切的，很新鲜",
    "别家的车我不评价，我们家的每台车都有检测报告",
    "有的厂家的燕窝是糖水勾兑的，大家注意辨别",
    "卫生间地漏返水怎么办？换个防臭地漏",
    "新人注册即送50元无门槛券",
    "新用户注册送8888元体验金，可在理财页查看规则",
    "今晚双色球开奖号码为03、07、12、19、25、31",
    "体彩中心提醒：理性购彩，不存在所谓内部号码",
    "带病投保会被拒赔，请如实告知健康状况",
    "惠民保有病也能买，既往症人群赔付比例较低，以条款为准",
    "发票先买后报销，记得找财务",
    "评价里提到的问题我们已经改进了，感谢反馈",
    "评论区抽3位送同款，下周一公布",
    "获得金奖的作品将在官网公示",
    "他荣获“十佳青年”称号",
    "老板是全国十佳农民",
    "喝醉了别开车",
    "犯罪低龄化问题值得关注",
    "首款产品下月上市",
    "全国没有第二个人能这样坚持",
    "市长热线说好的回复一直没来",
    "政府认证的检测机构名单可在官网查询",
    "低血压的人起床时血压往下掉，容易头晕，请慢慢起身",
    "2型糖尿病早期不一定需要打胰岛素，请遵医嘱",
    "便秘的人要保持排便规律，多喝水",
    "头发越来越少了，该去看医生了",
    "开盘去化率是衡量楼盘销售的指标",
    "点我头像进粉丝群，每晚八点开播提醒",
    "平台扣点是商家的成本之一",
    "WhatsApp是一款聊天软件",
    "唔使客气，多谢晒",
    "领导莅临我校参观，同学们表现很好",
    "他在比赛中荣获全国少儿组金奖",
]

PATTERN_ENTRIES = {"ABS-241", "PRO-079", "PRO-080", "INV-101"}
EXTENDED = {
    "ABS-240",
    "ABS-230",
    "ABS-199",
    "ABS-184",
    "ABS-202",
    "AUTH-033",
    "AUTH-035",
    "AUTH-036",
    "MED-145",
    "MED-151",
    "MED-164",
    "MED-156",
    "FLS-054",
    "OFF-060",
    "OFF-069",
    "OFF-059",
    "OFF-065",
    "SUP-039",
    "INV-074",
}
EXCEPTED = {"ABS-071"}
REVIEW_ENTRIES = {"FLS-111", "FLS-112"}
REVIEW_EXTENDED = {"ABS-237", "FLS-052", "FLS-110", "HLT-078"}


test_statute_claims_block = blocked_test(BLOCKED)


test_claims_needing_a_fact_go_to_review = reviewed_test(REVIEWED)


test_look_alikes_pass = lawful_test(LAWFUL)


def test_round_twenty_one_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = {entry_id for _, entry_id in BLOCKED + REVIEWED}
    assert ids >= PATTERN_ENTRIES | EXTENDED | EXCEPTED | REVIEW_ENTRIES | REVIEW_EXTENDED
    assert_entries_documented(library, PATTERN_ENTRIES | REVIEW_ENTRIES)


def test_round_twenty_one_severities(library: ViolationLibrary) -> None:
    assert_severities(
        library, blocking=PATTERN_ENTRIES | EXTENDED | EXCEPTED, reviewing=REVIEW_ENTRIES | REVIEW_EXTENDED
    )


def test_critical_illness_is_an_exception_of_the_homophone(library: ViolationLibrary) -> None:
    """重疾 reads like 终极: its insurance words are exceptions of ABS-071, so the homophone stays for other text."""
    exceptions = set(library.get("ABS-071").exceptions)
    assert {"重疾险", "重疾保", "轻症重疾"} <= exceptions


def test_library_version_is_96_or_later(library: ViolationLibrary) -> None:
    assert library.version >= 96
