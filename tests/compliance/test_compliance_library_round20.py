"""Twentieth library round of issue #20 (library v95; the violations of outside_heldout20 the rules passed and the
gold-block rows they sent to review): wording families the library lacked, each written as more than the row it
came from. Long texts fold before matching (numerals become digits, punctuation is removed, 🔝 becomes 顶, Ⅰ becomes
i, 痘痘 becomes 痘), so the patterns are written against that folded form.

Blocked (the statute is unambiguous):
- 嘴 for 最 before an evaluative word that never describes a mouth: 嘴显瘦, 嘴耐穿 (ABS-240, 《广告法》第九条第三项);
- a stay, a visit or a feng-shui reading said to bring love: 住了能脱单, 风水…感情升温 (SUP-055, 第九条第八项);
- extended: Ⅰ流, 排名第Ⅰ (ABS-228); 全城🔝 (ABS-197); 什么相机都比不过 (ABS-184); 泌尿系统疾病, 对肿瘤有很好的
  抑制作用 (MED-144, 第十七条); 好平返, 评价有礼, 好评可获赠 (FLS-054); 出示截图领取 (FLS-102); 下单并填写好评，本金
  返还 (FLS-060); 戳我wei xin (OFF-054); 被省农业厅指定为招待用茶 (AUTH-036, 第九条第二项);
- block calibration: PRC-022 价格全网最低 medium → high (the claim of PRC-001 全网最低, high since v90).

Reviewed (the wording needs a fact checked): 国内首创 (ABS-225); 首款搭载…的 (ABS-237, low); 不二之选 (ABS-238);
百年老字号 (FLS-108, low); 放心之选 (FLS-109, low); 被无数读者誉为, 很多企业的指定教材 (FLS-110, low); 位居品类前三
(ABS-231); 行业领跑者, 技术上处于领先地位 (ABS-224); 媲美千元大牌 (ABS-214); 人类天花板 (ABS-213); 过滤效率达到
百分之百 (FLS-045); N位消费者中有M位认为, 据统计…通过率提升了N (FLS-064); 体重减了十二斤 (HLT-078); 泛红情况改善
明显 (COS-089); 痘痘少了很多 (COS-080); 净化效率达99.9% (FLS-061); 回头客超过八成 (FLS-052)."""

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
    ("今年嘴火爆的羽绒服", "ABS-240"),
    ("这双运动鞋嘴耐穿", "ABS-240"),
    ("嘴百搭的一款小白鞋", "ABS-240"),
    ("这间客房的风水很旺，情侣住了感情升温", "SUP-055"),
    ("月老庙里拜过的都能脱单", "SUP-055"),
    ("这间民宿住过的姑娘都脱单了", "SUP-055"),
    ("Ⅰ流的做工，Ⅰ流的服务", "ABS-228"),
    ("销量排名第Ⅰ的吹风机", "ABS-228"),
    ("本地🔝1的牛肉面", "ABS-197"),
    ("全市🔝的火锅店", "ABS-197"),
    ("什么吸尘器都比不过它", "ABS-184"),
    ("哪款面霜都比不上我们家的", "ABS-184"),
    ("宠物饮水机能预防猫咪尿路感染", "MED-144"),
    ("这款茶对糖尿病有很好的辅助治疗作用", "MED-144"),
    ("好平返，找客服领", "FLS-054"),
    ("晒图有礼，写好评后可获赠小样一份", "FLS-054"),
    ("给个五星好评，出示截图就能领取冰淇淋一支", "FLS-102"),
    ("招兼职：拍下后写好评，本金立即返还，每单佣金八元", "FLS-060"),
    ("私戳weixin拿底价", "OFF-054"),
    ("本品被市教育局指定为会议用水", "AUTH-036"),
    ("我们的酒被县商务局选定为接待用酒", "AUTH-036"),
    ("空调价格全网最dī", "PRC-022"),
]

REVIEWED = [
    ("国内首创的冷压榨工艺", "ABS-225"),
    ("本市首创的社区团购模式", "ABS-225"),
    ("首台搭载激光雷达的割草机", "ABS-237"),
    ("品质卓越，是商务宴请的不二之选", "ABS-238"),
    ("正宗百年老店，传承五代", "FLS-108"),
    ("婴儿湿巾，宝妈们的安心之选", "FLS-109"),
    ("被广大家长称为提分神器", "FLS-110"),
    ("众多名校的指定用书", "FLS-110"),
    ("销量位居同品类前五", "ABS-231"),
    ("智能门锁行业的领跑者", "ABS-224"),
    ("在降噪技术上处于领先地位", "ABS-224"),
    ("这款口红不输专柜大牌", "ABS-214"),
    ("音质是人类天花板", "ABS-213"),
    ("空气净化器除菌效率达到百分百", "FLS-045"),
    ("在两百名受访者中有一百六十名选择了我们", "FLS-064"),
    ("据调查，用我们系统的门店，业绩提升了三成", "FLS-064"),
    ("跟着课程练习后，体重减了十斤", "HLT-078"),
    ("用了一周，泛红问题明显改善了", "COS-089"),
    ("这瓶精华用完，闭口少了很多", "COS-080"),
    ("滤芯的过滤效率高达98%", "FLS-061"),
    ("店里回头客超过七成", "FLS-052"),
]

LAWFUL = [
    "孩子嘴甜，招人喜欢",
    "嚼完口香糖嘴清爽",
    "嘴唇干裂可以涂润唇膏",
    "哪个季节都比不过秋天的北京",
    "什么礼物都比不过家人的陪伴",
    "全省顶岗实习安排已公布",
    "第Ⅰ卷为选择题",
    "wifi流量不够用了",
    "进入品类前十的门槛很高",
    "比赛上半场主队处于领先地位",
    "他在马拉松比赛中一路领跑",
    "这栋百年老建筑是文物保护单位",
    "中华老字号，始创于1875年",
    "看看买家的好评返图",
    "好评如潮，购买即可获赠小样",
    "用户评价很高，下单即可获赠围裙",
    "餐厅被选定为会议用茶",
    "我们唯一的愿望是大家平安",
    "首台使用前请阅读说明书",
    "求转运的人很多，但努力更重要",
    "装修要讲究风水，我们选用复合地板",
    "宝宝体重增加了二斤",
]

PATTERN_ENTRIES = {"ABS-240", "SUP-055"}
EXTENDED = {"ABS-228", "ABS-197", "ABS-184", "MED-144", "FLS-054", "FLS-102", "FLS-060", "OFF-054", "AUTH-036"}
CALIBRATED = {"PRC-022"}
REVIEW_ENTRIES = {"ABS-237", "ABS-238", "FLS-108", "FLS-109", "FLS-110"}
REVIEW_EXTENDED = {
    "ABS-225",
    "ABS-231",
    "ABS-224",
    "ABS-214",
    "ABS-213",
    "FLS-045",
    "FLS-064",
    "HLT-078",
    "COS-089",
    "COS-080",
    "FLS-061",
    "FLS-052",
}


test_statute_claims_block = blocked_test(BLOCKED)


test_claims_needing_a_fact_go_to_review = reviewed_test(REVIEWED)


test_look_alikes_pass = lawful_test(LAWFUL)


def test_round_twenty_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = {entry_id for _, entry_id in BLOCKED + REVIEWED}
    assert ids >= PATTERN_ENTRIES | EXTENDED | CALIBRATED | REVIEW_ENTRIES | REVIEW_EXTENDED
    assert_entries_documented(library, PATTERN_ENTRIES | REVIEW_ENTRIES)


def test_round_twenty_severities(library: ViolationLibrary) -> None:
    assert_severities(
        library, blocking=PATTERN_ENTRIES | EXTENDED | CALIBRATED, reviewing=REVIEW_ENTRIES | REVIEW_EXTENDED
    )


def test_library_version_is_95_or_later(library: ViolationLibrary) -> None:
    assert library.version >= 95
