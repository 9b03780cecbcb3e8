"""Fifteenth library round of issue #20 (library v89; the fifteen violations of outside_heldout15 the rules passed,
and lawful wording the library had flagged): wording families the library lacked, each written as more than the row
it came from.

Blocked (the statute is unambiguous):
- a competitor's goods called 垃圾, 渣渣, 辣鸡 or 破烂 (第十三条): 对比XX牌…简直是垃圾, 竞品就是辣鸡 — ABS-204 (medium)
  gives 垃圾 up to the new entry, as the same span read by both would keep the earlier, medium one;
- a platform's initials with 1 (第九条第三项): dy1 (抖音第一), tb1 — not 1元, 1号 or 10万;
- software or a device diagnosing a disease (第十七条): 一键诊断糖尿病, 准确率100%, 比去医院还准;
- a court or procuratorate as endorser (第九条第二项): 最高人民法院认证的产品 — the organs' names are now global
  exceptions for 最 + adjective, so the endorsement is AUTH-039's to catch.

Reviewed (the wording needs a fact checked):
- a lead over competitors or a place at the head of the trade (业内领先, 领先同类产品50%, 口碑领先, 位居行业前列);
- a first within a market (国内首款, 本区域首个) — not the shop's or brand's own first product;
- 效果显著 and 效果明显 as unverified effect claims (补水, 静音, 干爽, 控制体重) — not in a negation or a warning;
- a used car's condition (车况极佳), a seed's resistance and yield together (抗病性强，产量高), 用了就回不去, and
  提神醒脑 or 身体倍儿棒 for ordinary food.

Passing now (lawful wording the library had flagged): the names of 最高人民法院 and 最高人民检察院, 满五唯一 of a house
sale, the trademark 绝对伏特加, a clinic's 治疗方案需经医生面诊, 处方粮 as a pet-food category, a cat's 减肥计划, an
application rate per 亩 (每亩用量), a warning to those 正在吃降压药; and the look-alikes of the new families: a score
遥遥领先, 领先一步, the shop's own 首款, 垃圾袋 and 垃圾分类, self-deprecation, 1元 after pdd."""

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
    ("对比XX牌，人家吸力只有我们一半，简直是垃圾", "ABS-226"),
    ("竞品就是辣鸡，买了后悔", "ABS-226"),
    ("其他牌子都是渣渣，只有我们好", "ABS-226"),
    ("某品牌的面膜跟垃圾一样", "ABS-226"),
    ("别家的扫地机简直就是垃圾", "ABS-226"),
    ("隔壁直播间卖的都是垃圾", "ABS-226"),
    ("隔壁家那款就是一堆破烂货", "ABS-226"),
    ("今日限时：本店dy1好卖的爆款T恤，纯棉不起球，拍两件包邮。", "ABS-227"),
    ("抖音dy1爆款连衣裙", "ABS-227"),
    ("这款零食是TB1的爆款", "ABS-227"),
    ("XX健康App：AI看舌苔，一键诊断糖尿病、高血压，准确率100%，比去医院还准。", "MED-183"),
    ("这个App能一键诊断高血压", "MED-183"),
    ("AI拍照智能诊断癌症，准确率高达99%", "MED-183"),
    ("测血糖比医院还准", "MED-183"),
    ("最高人民法院认证的产品", "AUTH-039"),
    ("最高人民检察院推荐的安全门锁", "AUTH-039"),
    ("最高法院指定供应商", "AUTH-039"),
    # the claims beside the lawful words of part B are still caught
    ("采用最高检测标准", "ABS-160"),
    ("本店是唯一一家授权店", "ABS-080"),
    ("这款处方粮能治猫咪肾病", "MED-144"),
    ("喝了这个茶就不用吃降压药了", "HLT-052"),
    ("这个种子亩产三千斤", "FLS-057"),
    ("减肥计划明天开始，这款茶喝了就瘦十斤", "HLT-050"),
]

REVIEWED = [
    ("XX集团2023年报摘要：公司营收同比增长23%，主营产品市场占有率位居行业前列。", "ABS-224"),
    ("我们的管家响应速度业内领先，报修一般两小时内上门，欢迎去实地看房。", "ABS-224"),
    ("对比：本品续航12小时｜竞品A 8小时｜竞品B 9小时，续航领先同类产品50%。", "ABS-224"),
    ("XX保险：理赔快，服务好，口碑领先。", "ABS-224"),
    ("这款扫地机的吸力在业内领先", "ABS-224"),
    ("本品降噪效果领先同类产品30%", "ABS-224"),
    ("公司产品市场份额稳居行业前列", "ABS-224"),
    ("我们的续航领先竞品两小时", "ABS-224"),
    ("XX清理大师：国内首款AI深度清理工具，一键释放内存，手机速度大幅提升。", "ABS-225"),
    ("XX公寓：本区域首个精装长租社区，入住率高，广受租客好评。", "ABS-225"),
    ("这款电动牙刷国内首款搭载压力感应", "ABS-225"),
    ("市面上首款能水洗的键盘", "ABS-225"),
    ("主播：这款面膜补水效果显著，用完第二天脸就透亮。副播：因人而异啊家人们。", "FLS-097"),
    ("XX油烟机：吸力强劲，静音效果显著，开大档也不影响看电视。", "FLS-097"),
    ("XX纸尿裤：超薄透气，干爽效果显著，宝宝整夜不红屁屁。", "FLS-097"),
    ("这款燕麦片吃了很顶饱，长期坚持对控制体重有显著效果。", "FLS-097"),
    ("除螨效果非常显著", "FLS-097"),
    ("这台加湿器静音效果明显", "FLS-097"),
    ("XX车行：准新车，车况极佳，几乎没开过，性价比超高。", "FLS-098"),
    ("二手车车况完美，欢迎试驾", "FLS-098"),
    ("车况非常好，原版原漆", "FLS-098"),
    ("XX玉米种子：抗病性强，产量高，深受农户欢迎。", "FLS-099"),
    ("小麦种子抗倒伏能力强，高产稳产", "FLS-099"),
    ("XX毛巾：100%纯棉，吸水性特别强，用了就回不去。", "FLS-100"),
    ("这款枕头睡过就再也回不去了", "FLS-100"),
    ("这双鞋穿过就离不开了", "FLS-100"),
    ("XX红茶，茶多酚含量高，经常喝有助于提神醒脑，身体倍儿棒。", "HLT-091"),
    ("普洱茶提神醒脑，办公室必备", "HLT-091"),
    ("每天一杯，身体杠杠的", "HLT-091"),
    ("绝对伏特加，口感绝对顺滑", "ABS-070"),
]

LAWFUL = [
    # part B: lawful wording the library had flagged
    "最高人民法院、最高人民检察院联合发布司法解释，明确了非法集资中'保本付息'承诺的认定标准。",
    "最高人民检察院发布典型案例：某公司以'保本高息'为诱饵非法吸收公众存款，主犯被判处有期徒刑十年。",
    "最高法院发布了十起消费维权典型案例",
    "最高检发布典型案例",
    "XX小区二手房出售：89平两室，满五唯一，南北通透，业主诚心出售，税费按国家规定各自承担。",
    "满二唯一的房子税费更低",
    "家庭唯一住房可以免征个税",
    "绝对伏特加（ABSOLUT）原味700ml，40%vol，过量饮酒有害健康，未成年人禁止饮酒。",
    "绝对伏特加柠檬味",
    "XX口腔门诊：洗牙、补牙、种植等项目价格公示在前台，具体治疗方案需经医生面诊确定，医疗机构执业许可证见官网。",
    "利益相关：我们是做宠物粮的。直接说结论：猫粮没有治病的功能，有肾病的猫请遵医嘱吃处方粮，普通猫粮只能满足日常营养需求。",
    "处方猫粮需在兽医指导下喂食",
    "一山还有一山高，我家橘猫的体重又创了新高😂 减肥计划明天开始。",
    "减肥从明天开始，今天先吃饱",
    "有机肥料每亩用量五十公斤",
    "复合肥每亩用量四十公斤",
    "复合肥每亩施用三十公斤",
    "每亩用种量2公斤",
    "正在吃降压药的朋友，喝之前请先咨询医生",
    "正在服用降压药的人请遵医嘱",
    # look-alikes of the new families
    "遥遥领先的比分，主队赢了",
    "主队比分遥遥领先，下半场继续加油",
    "领先一步下单",
    "领先一步，抢先下单",
    "我们店的首款新品",
    "这是我们品牌的首款电动车",
    "我们家今年的首款新茶上市了",
    "效果并不显著",
    "没有显著效果",
    "如果使用两周效果不显著请停用",
    "如果两周后效果不明显请联系客服",
    "警惕宣称效果显著的保健品，别轻信",
    "消协提醒：宣称国内首款的产品要核实",
    "车况以第三方检测报告为准",
    "本车车况一般，价格实惠",
    "玉米种子审定编号见包装，抗病性以审定公告为准",
    "这款茶不能提神醒脑",
    "垃圾袋一卷三十个",
    "垃圾分类从我做起",
    "厨余垃圾请投放到绿色桶",
    "扫地机带自动集尘，三十天不用倒垃圾",
    "我们家的包装简直是垃圾，下次一定改",
    "我这手艺简直是垃圾，大家别笑",
    "人家是做垃圾回收的",
    "他家门口的垃圾桶满了",
    "pdd1元秒杀",
    "jd1号店",
    "dy10万粉丝",
    "电子血压计测量结果仅供参考，不能代替医生诊断",
]

BLOCKING_ENTRIES = {"ABS-226", "ABS-227", "MED-183"}
REVIEW_ENTRIES = {"ABS-224", "ABS-225", "FLS-097", "FLS-098", "FLS-099", "FLS-100", "HLT-091"}
NEW_ENTRIES = BLOCKING_ENTRIES | REVIEW_ENTRIES


test_statute_claims_block = blocked_test(BLOCKED)


test_claims_needing_a_fact_go_to_review = reviewed_test(REVIEWED)


test_look_alikes_pass = lawful_test(LAWFUL)


def test_round_fifteen_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = {entry_id for _, entry_id in BLOCKED + REVIEWED}
    assert ids >= NEW_ENTRIES
    assert_entries_documented(library, NEW_ENTRIES)


def test_round_fifteen_severities(library: ViolationLibrary) -> None:
    assert_severities(library, blocking=BLOCKING_ENTRIES, reviewing=REVIEW_ENTRIES)


def test_state_organ_names_are_global_exceptions(library: ViolationLibrary) -> None:
    # a library-level exception drops any hit lying inside the name, whichever entry found it
    assert {"最高人民法院", "最高人民检察院", "最高法院"} <= set(library.exceptions)


def test_library_version_is_89_or_later(library: ViolationLibrary) -> None:
    assert library.version >= 89
