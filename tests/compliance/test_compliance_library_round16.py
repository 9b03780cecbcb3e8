"""Sixteenth library round of issue #20 (library v90; the violations of outside_heldout16 the rules passed, and the
gold-block rows they sent to review): wording families the library lacked, each written as more than the row it
came from, and one block calibration.

Blocked (the statute is unambiguous):
- 第一/唯一/最 spelt with glyphs, homophones, pinyin or split characters (第九条第三项):
  第❶, 第Ⅰ品牌, 递一名, 业内tou一份, 全宇宙dy, 口隹一 (唯 split into 口 and 隹),
  日取低价 (最 split into 日 and 取) — not 递一名片, 当日取件, 第i个元素;
- competitors called 弟弟, pressed 在地上摩擦, or buying theirs said to harm one's child (第十三条);
- goods said to work better than a hospital or a doctor (第十七条): 比去医院还管用;
- a disease waved off (第十七条): 感冒拜拜, 跟失眠说再见 — not 拜托 after a cold;
- paying by transfer off the platform (走线下对公转账再让利) and paid reviews (五星hp截图返3元);
- extended: 封神之作, a region's 天花板 (本地天花板, not a ceiling being fitted), 全市最快充电桩,
  Best in class, 同价位没有一台打得过, 别的都是渣, 销量No.1 before a number after a comma;
- calibration: PRC-001 全网最低 medium -> high (第九条第三项; 最低 alone already blocks as
  最 + adjective, and no gold-review row of any set moves).

Reviewed (the wording needs a fact checked): 全网底价 and 不会有比我们更低的 (low: beside
买贵退差价, a gold-review row of heldout2, it must stay review), a cosmetic's 抗菌作用,
静音效果领先, a deodorising rate (除臭率99.9%).

Passing now: 请在医生指导下制定具体治疗方案 (MED-001)."""

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
    ("这款电动牙刷销量全国第❶", "ABS-228"),
    ("好评率第➊的空气炸锅", "ABS-228"),
    ("第Ⅰ品牌 电热水器 即热式", "ABS-228"),
    ("递一名的口碑，闭眼入", "ABS-228"),
    ("这款卫衣是行业tou一份的设计", "ABS-228"),
    ("同行头一份的服务", "ABS-228"),
    ("这家烤肉全世界dy好吃", "ABS-228"),
    ("口隹一官方授权店", "ABS-228"),
    ("日取低价，错过再等一年", "ABS-228"),
    ("这款吸尘器一出，别家都是弟弟", "ABS-229"),
    ("同价位的耳机在它面前都是弟弟", "ABS-229"),
    ("把友商按在地上摩擦的性能", "ABS-229"),
    ("买了他家的就是坑孩子", "ABS-229"),
    ("这款精华比去医院还管用，痘痘一周就没了", "MED-184"),
    ("这款足贴比看医生还管用", "MED-184"),
    ("每天一杯，咳嗽👋拜拜", "MED-185"),
    ("喝了这款牛奶，跟失眠说再见", "MED-185"),
    ("这款酸奶让便秘说拜拜", "MED-185"),
    ("下单后联系客服，走线下转账更优惠", "OFF-067"),
    ("批发客户可以对公转账再让利两个点", "OFF-067"),
    ("5星hp截图私信我，返2元", "FLS-101"),
    ("hp截图发客服返红包", "FLS-101"),
    ("这款奶茶是奶茶界的封神之作", "ABS-222"),
    ("这是本市天花板级别的烤鸭店，不接受反驳", "ABS-198"),
    ("国货天花板面霜", "ABS-198"),
    ("全城最快上门维修，半小时到", "ABS-216"),
    ("这款显示器画质class leading", "ABS-217"),
    ("同价位没有一款比得上它的投影仪", "ABS-184"),
    ("这个牌子的耳机音质没得说，别的都是垃圾", "ABS-226"),
    ("全网销量No.1，一瓶用半年", "ABS-058"),
    ("这款纸巾全网最低，赶紧囤", "PRC-001"),
]

REVIEWED = [
    ("这个价格全网底价了，放心拍", "PRC-055"),
    ("绝对不会有比我家还便宜的了", "PRC-055"),
    ("鸡蛋价格击穿地板，一板只要十块", "PRC-055"),
    ("这款护手霜还能抑菌，冬天必备", "COS-093"),
    ("爽肤水有抗菌功效哦", "COS-093"),
    ("这款空调静音效果领先，睡觉开着也不吵", "ABS-224"),
    ("这款鞋垫除异味率高达95%", "FLS-061"),
]

LAWFUL = [
    # part B: lawful wording the library had flagged
    "请在医生指导下制定具体治疗方案",
    "需在医生指导下制定治疗方案，不能自行停药",
    # look-alikes of the new families
    "麻烦递一名片给我，谢谢",
    "请当日取件，逾期退回",
    "每日取货时间为上午九点",
    "第i个元素表示数组中的下标",
    "天花板安装师傅上门，本地天花板吊顶报价",
    "本地天花板漏水了，物业说下周来修",
    "电影《封神第一部》今天上映，大家去看了吗",
    "我弟弟今天考试考了满分",
    "他家的老二就是弟弟，哥哥在外地读书",
    "我们家的猫在狗面前就是弟弟",
    "请勿走线下转账，平台外交易无法保障您的权益",
    "本平台不支持线下对公转账，请在订单页付款",
    "截图返回首页即可查看订单",
    "最快明天送达，全市范围内配送",
    "本地最快明天就能到货",
    "感冒了，拜托大家帮我带份饭",
    "跟感冒做斗争的第三天，终于好了",
    "这件衣服用的是抗菌面料，洗了不发臭",
    "本品为化妆品，不具有抗菌作用",
    "这个价格是底价了，老板说不能再少",
    "年底价格会有波动，请以下单页为准",
    "没有一台机器是完美的，各有优缺点",
    "这款猫砂除臭效果不错，味道小",
    "别的都不重要，开心就好",
    "别家都是好店，大家按需选择",
    "TB12号链接是卫衣",
    "销量No.12的款式已下架",
]

BLOCKING_ENTRIES = {"ABS-228", "ABS-229", "MED-184", "MED-185", "OFF-067", "FLS-101"}
REVIEW_ENTRIES = {"PRC-055", "COS-093"}
NEW_ENTRIES = BLOCKING_ENTRIES | REVIEW_ENTRIES


test_statute_claims_block = blocked_test(BLOCKED)


test_claims_needing_a_fact_go_to_review = reviewed_test(REVIEWED)


test_look_alikes_pass = lawful_test(LAWFUL)


def test_round_sixteen_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = {entry_id for _, entry_id in BLOCKED + REVIEWED}
    assert ids >= NEW_ENTRIES
    assert_entries_documented(library, NEW_ENTRIES)


def test_round_sixteen_severities(library: ViolationLibrary) -> None:
    assert_severities(library, blocking=BLOCKING_ENTRIES | {"PRC-001"}, reviewing=REVIEW_ENTRIES)


def test_library_version_is_90_or_later(library: ViolationLibrary) -> None:
    assert library.version >= 90
