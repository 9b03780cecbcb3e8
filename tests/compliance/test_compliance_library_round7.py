"""Seventh round of issue #20 (outside_heldout7 and outside_heldout8): wordings the library lacked, written article
by article (library v79–v80):
- fake transactions and paid reviews (《电子商务法》第十七条, 《网络交易监督管理办法》第十四条): an empty parcel,
  paying now to be refunded after the ranking push, a bad review withdrawn for money, a discount for a written review;
- children under ten introducing themselves as endorsers (《广告法》第三十八条第二款);
- off-platform trading (《电子商务法》第三十二条): the staff's own WeChat, a QR code on the screen, another platform's
  search, 别走平台, the slang for WeChat (卫星, 绿泡泡);
- state organs named as recommending or designating goods (第九条第二项); unprovable exclusivity (没人卖得过它);
- data without a source (第十一条): multiples, percentages, 十个人里有九个; consumers' words as proof of an effect;
- guarantees: insurance that never refuses a claim, seedlings that never fail, daily earnings from a game, school
  places with a flat (第二十五、二十六、二十七条);
- health functions of ordinary food (抗疲劳, 去湿气, 更聪明) and of appliances (杀灭新冠病毒); cosmetics' before/after
  pictures and 重回少女; slang superlatives, 上过央视, 亏本冲量, guide-price cuts (review).

Every claim is a new wording, none a row of any set; the look-alikes are the same words where the law allows them."""

from __future__ import annotations

from tests.compliance.probes import (
    assert_entries_documented,
    blocked_test,
    lawful_test,
    reviewed_test,
)

from wanghong.compliance.engine import ViolationLibrary

BLOCKED = [
    ("新店开业，老铁们帮忙拍两单空包，货款我原路退回", "FLS-060"),
    ("先拍下付款冲一下榜单，等下播后统一给大家退款", "FLS-070"),
    ("差评能不能删掉？删了我给您发二十元红包", "FLS-054"),
    ("确认收货后带图好评写上“超级好用”，联系客服返五元", "FLS-054"),
    ("我叫豆豆，今年六岁，这款钙片我天天吃，推荐给小朋友们", "MIN-004"),
    ("想要更便宜的，加一下我们客服的私人微信", "OFF-061"),
    ("扫一下左下角的二维码进群，群里价格更低", "OFF-062"),
    ("这款在直播间贵，去拼夕夕搜店名下单", "OFF-063"),
    ("退货别走平台，直接找我们处理更快", "OFF-064"),
    ("想要的老铁加我卫星，私发你优惠", "OFF-065"),
    ("派出所推荐的智能门锁，小区都在装", "AUTH-039"),
    ("同价位里没有哪家比得上我们这台扫地机", "ABS-212"),
    ("葡萄苗每株保证挂果二十斤以上", "FLS-057"),
    ("玩这个小游戏每天稳赚一百，提现秒到", "INV-095"),
    ("业主子女直升区重点小学，买房即送学位", "FLS-079"),
    ("这款消毒喷雾能灭活甲流病毒，家里必备", "MED-177"),
]

REVIEWED = [
    ("这款去油洗洁精比普通洗洁精干净三倍", "FLS-077"),
    ("这份医疗险什么情况下都能赔，放心买", "INV-088"),
    ("买家反馈：用了一周，衬衫领口明显白了", "FLS-078"),
    ("涂完这款面霜，仿佛回到十八岁", "COS-087"),
    ("专柜价三千九，今天直播间到手九百九", "PRC-050"),
    ("这支精华真的是永远的神", "ABS-213"),
    ("这台破壁机上过央视的节目", "FLS-080"),
    ("亏本冲量，这一单我们就是赔钱赚吆喝", "PRC-051"),
    ("看看这组用前用后对比，毛孔细得多", "COS-088"),
    ("下午来一杯，精力充沛一整天", "HLT-084"),
    ("这款陈皮茶喝了去湿气", "HLT-085"),
]

LAWFUL = [
    "快递用空调纸箱包装，不是空包，请放心",
    "拍下后不满意可以七天无理由退款",
    "给个好评就是对我们最大的鼓励，谢谢亲",
    "我家孩子今年六岁，穿这双鞋刚好",
    "我是三岁宝宝的妈妈，这款辅食我家一直在吃",
    "客服在平台的聊天窗口，随时找我们",
    "扫码看产品的检测报告",
    "我们只在本平台销售，别处的都不是我们家的",
    "卫星地图上能看到我们的果园",
    "公安局提醒：防范电信诈骗",
    "降价了，比上周便宜二十元",
    "发货速度比以前快了一天",
    "用户说收到的包装很好",
    "这款面霜孕妇可以用",
    "本店指导价就是售价，不玩先涨后降",
    "熬夜追剧也别忘了喝水",
    "这款火锅底料微辣，怕上火的可以少放",
    "新冠疫苗接种点在社区医院",
    "每棵树都挂了编号牌，认养的果园可视",
    "高铁站附近有新的学校在建，规划请以政府公告为准",
]


test_statute_claims_block = blocked_test(BLOCKED)


test_claims_that_need_a_fact_checked_go_to_review = reviewed_test(REVIEWED)


test_look_alikes_pass = lawful_test(LAWFUL)


def test_round_seven_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = {entry_id for _, entry_id in BLOCKED + REVIEWED}
    assert_entries_documented(library, ids, with_examples=False)
