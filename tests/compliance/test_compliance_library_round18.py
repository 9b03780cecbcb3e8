"""Eighteenth library round of issue #20 (library v92; the violations of outside_heldout18 the rules passed, and the
gold-block rows they sent to review): wording families the library lacked, each written as more than the row it
came from. Long texts fold before matching: traditional characters become simplified, punctuation goes, repeated
characters collapse (统统 → 统) and numerals become digits, so the patterns are written against that folded form.

Blocked (the statute is unambiguous):
- food or drink said to cure: 饮咗即刻退烧, 感冒唔使睇医生, 胃病就是靠它喝好的, 医好喉咙发炎, 关节炎、痛风统统都会好
  (HLT-093, 《广告法》第十七条、《食品安全法》第七十三条);
- 胃信 for 微信 after 加, 私下拍便宜, 平台扣点太多 (OFF-069);
- a named brand 被查出 something, 千万别买 (ABS-234, 第十三条); ABS-230 reads 同款 and 某宝/某东/拼夕夕 as the
  competitor (某宝上39块的同款都是假货);
- reviews rewarded: 凭评价截图参与抽奖, 晒单好评即可领取福袋, 好评 … 截图发给客服领红包 (FLS-102);
- 保证进入重点初中, 不进不收费, 签约保录, 未达 … 线全额退费 (EDU-064, 第二十四条);
- 保证房价翻倍 (INV-100, 第二十六条第一项);
- 找不出第二款这么 … (ABS-235, 第九条第三项);
- 戴 … 保准脱单 or 转运 (SUP-054, 第九条第八项);
- extended: officials by pinyin (某shi长) or 国务院/各级领导 高度评价/都在用 (AUTH-033); No.Ⅰ (folded to noi) and
  全平台销量1️⃣ (ABS-058); the only … you'll ever need, the finest … in the world (ABS-217); 全网zdj, the initials of
  全网最低价 (ABS-236, as PRC-001 全网最低 blocks);
- block calibration: SUP-025 桃花运 medium → high (第九条第八项; every set row it keeps is a gold-block violation).

Reviewed (the wording needs a fact checked): 九成老顾客都会回购, 回购率超过六成, 本科上线率95%, 几乎零差评 (FLS-052);
超过十万人都说赞 (FLS-051); 99.9%除菌率 and 30分钟内降低99% (FLS-061); 业内拎先, 行业Leading, 续航领先 (ABS-224);
类目TOP10 and 小红书种草榜热门 (ABS-231; TOP1 stays with ABS-059 and blocks); 率先推出 (ABS-225);
干纹统统不见 (FLS-104); 让你一夜好眠 (HLT-092); 荣获国际金奖的 (FLS-105); 很多牙医自己都在用 (FLS-106);
100%真皮 (FLS-107).

Left: 首✦款 folds to 首款, which alone is also a brand's own first model (首款新品), so it is not read without a scope
such as 国内 (ABS-225)."""

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
    ("这款凉茶喝了马上退烧", "HLT-093"),
    ("呢隻涼茶飲咗即刻退燒", "HLT-093"),
    ("感冒唔使睇醫生，飲呢個就得", "HLT-093"),
    ("我爸多年的胃病就是靠这个茶喝好的", "HLT-093"),
    ("仲可以醫好喉嚨發炎", "HLT-093"),
    ("每天一勺，關節炎、痛風統統都會好", "HLT-093"),
    ("想要的加一下主播的那个胃信", "OFF-069"),
    ("私下拍的话给你们便宜二十", "OFF-069"),
    ("平台扣点太多了，直接找我", "OFF-069"),
    ("Y牌洗发水被查出激素，大家千万别买", "ABS-234"),
    ("某宝上39块的同款都是假货", "ABS-230"),
    ("下单好评后凭评价截图即可参与抽奖", "FLS-102"),
    ("晒图好评即可领取红包一个", "FLS-102"),
    ("五星好评加晒图，截图发给客服即可领取3元红包", "FLS-102"),
    ("报名即保证进入市重点初中", "EDU-064"),
    ("名校冲刺班，不进不收费", "EDU-064"),
    ("签约保录，未达一本线全额退费", "EDU-064"),
    ("五年内保证房价翻倍", "INV-100"),
    ("市面上找不出第二款这么好用的", "ABS-235"),
    ("戴上这串手链保准脱单", "SUP-054"),
    ("某shi长都在用的茶具", "AUTH-033"),
    ("本品获得国务院领导高度评价", "AUTH-033"),
    ("各级领导都在用的保温杯", "AUTH-033"),
    ("行业No.Ⅰ的扫地机", "ABS-058"),
    ("全平台销量1️⃣的水饺", "ABS-058"),
    ("The only 牛排 you'll ever need", "ABS-217"),
    ("the finest cut in the world", "ABS-217"),
    ("纸巾全网zdj，买贵退差价", "ABS-236"),
    ("戴上这条手链提升桃花运", "SUP-025"),
]

REVIEWED = [
    ("八成老客户都会回购的卤味", "FLS-052"),
    ("复购率超过七成", "FLS-052"),
    ("我校本科上线率98%", "FLS-052"),
    ("几乎零差评的小店", "FLS-052"),
    ("超过二十万人都说赞的面霜", "FLS-051"),
    ("99.9%抑菌率的洗手液", "FLS-061"),
    ("开机20分钟内降低99%的甲醛", "FLS-061"),
    ("过滤效果业内拎先", "ABS-224"),
    ("采用行业leading的芯片", "ABS-224"),
    ("双十一类目TOP5店铺", "ABS-231"),
    ("抖音好物榜热门的拖把", "ABS-231"),
    ("率先研发可折叠的晾衣架", "ABS-225"),
    ("坚持使用，细纹统统不见", "FLS-104"),
    ("这款枕头助你一夜好眠", "HLT-092"),
    ("荣获世界金奖的黄酒", "FLS-105"),
    ("不少营养师自己都在吃的麦片", "FLS-106"),
    ("100%头层牛皮的钱包", "FLS-107"),
]

LAWFUL = [
    "发烧了请及时就医，不要自行停药",
    "喝了姜茶马上暖和起来",
    "感冒了要去看医生，别硬扛",
    "胃病要遵医嘱，饮食只是辅助",
    "关节炎患者通常需要长期随访",
    "我的胃口就是靠这道菜打开的",
    "请认准官方账号，不要加陌生人",
    "请勿私下交易，谨防诈骗",
    "平台扣点是多少，新手商家可以看规则页",
    "该品牌此前被查出质量问题，已召回，市场监管部门提醒注意",
    "评价截图仅用于售后核实",
    "好评与否不影响售后服务",
    "收到货后如有破损，截图发给客服处理",
    "我们不保证录取结果，请理性选择",
    "本课程不承诺升学，请以考试结果为准",
    "这套房子的面积翻倍了吗？",
    "销量翻倍了，感谢大家支持",
    "这道题你挑不出第二种解法吗？",
    "戴上帽子再出门",
    "市领导出席了开幕式",
    "领导高度评价了这次会议的组织工作",
    "行业noise标准",
    "全网销量数据以平台为准",
    "the finest 面料 we've tried",
    "九成新的二手手机，功能正常",
    "顾客的满意是我们的目标",
    "差评也请告诉我们，我们会改进",
    "这条视频获得了十万点赞",
    "本店除菌产品请按说明使用",
    "这款车在国内率先上市的消息已由厂家公布？以官方为准",
    "细纹不见得是老化",
    "晚安，愿你一夜好眠",
    "他在比赛中荣获全国青少年组金奖",
    "医生建议每天刷牙两次",
    "人造革和真皮的区别在于毛孔",
    "我们公司首款产品今年上市",
    "年度好物榜单将于下周公布",
]

PATTERN_ENTRIES = {"HLT-093", "OFF-069", "ABS-234", "EDU-064", "INV-100", "ABS-235", "SUP-054", "ABS-236"}
EXTENDED = {"AUTH-033", "ABS-230", "FLS-102", "ABS-058", "ABS-217", "SUP-025"}
REVIEW_ENTRIES = {"FLS-105", "FLS-106", "FLS-107"}
REVIEW_EXTENDED = {"FLS-051", "FLS-052", "FLS-061", "ABS-224", "ABS-225", "ABS-231", "FLS-104", "HLT-092"}


test_statute_claims_block = blocked_test(BLOCKED)


test_claims_needing_a_fact_go_to_review = reviewed_test(REVIEWED)


test_look_alikes_pass = lawful_test(LAWFUL)


def test_round_eighteen_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = {entry_id for _, entry_id in BLOCKED + REVIEWED}
    assert ids >= PATTERN_ENTRIES | EXTENDED | REVIEW_ENTRIES | REVIEW_EXTENDED
    assert_entries_documented(library, PATTERN_ENTRIES | REVIEW_ENTRIES)


def test_round_eighteen_severities(library: ViolationLibrary) -> None:
    assert_severities(library, blocking=PATTERN_ENTRIES | EXTENDED, reviewing=REVIEW_ENTRIES | REVIEW_EXTENDED)


def test_library_version_is_92_or_later(library: ViolationLibrary) -> None:
    assert library.version >= 92
