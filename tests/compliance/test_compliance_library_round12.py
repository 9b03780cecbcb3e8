"""Twelfth library round of issue #20 (library v86; the thirteenth blind set's library misses, outside_heldout13,
now development data): wording families the library lacked, each written as more than the row it came from:
- health claims for food and ordinary goods (第十七条; 《食品安全法》第七十三条; block): 控糖/降压效果明显,
  eating a food so that one may take fewer drugs or stop insulin (tnb人群…可以少吃药), a food that keeps 三gao
  away (不得三gao; the pinyin channel does not serve regular expressions, so 3gao is written out);
- exam guarantees (第二十四条; block): a place in the class ranking (考进年级前十), 考不进…退钱, and a hit
  rate for 押题/密卷 (the normaliser deletes 💯, so the claim is read from 押题…命中率 itself);
- absolute claims (第九条第三项; block): the best before a Chinese noun (the best空气净化器), a rank within
  the competitors' class read from the scope (同级别第一名: context.py reads 别 as a negator before a bare
  第一名), and a region's or trade's 口碑/人气 第一 (全城婚庆口碑第①; 口碑第一 alone stays a motto);
- superstition (第九条第八项; block): 风水宝地 before the cemetery, descendants who 必定发达;
- 好评 in pinyin (好pin, haoping) for a cash reward (《电子商务法》第十七条; block);
- review (第四条、第八条、第十一条、第十三条、第二十八条): farm inputs' effects (用了以后果子更甜),
  N times an ordinary product (是普通面膜的3倍), 省电30%, 一次充电多跑一倍, 据统计 averages, N的用户…后表示,
  5000+位新娘选择, how one feels after a drink, unnamed experts together, a fragrance against drowsy
  driving, utensils that make tea taste better, ordinary goods guarding 私处/肠道 health, a time-limited
  价值X元大礼包, 黑心棉 at other shops, N分钟抢空, and a pet food after which 便便不臭了.

Every claim is a new wording, none a row of any set; the look-alikes are the same words where the law allows them
(a sourced statistic, a named expert body, a spec sheet, an exam course without guarantees, a cemetery's opening
hours, a cotton spec, thanks for a 好评, a gift whose contents are stated)."""

from __future__ import annotations

from tests.compliance.probes import (
    assert_entries_documented,
    blocked_test,
    lawful_test,
    reviewed_test,
)

from wanghong.compliance.engine import ViolationLibrary

BLOCKED = [
    ("糖友坚持吃半年，控糖效果特别好", "MED-145"),
    ("这款苦荞茶降压效果显著，老人常备", "MED-145"),
    ("血糖高的朋友坚持喝两个月，慢慢可以少吃药", "MED-164"),
    ("tnb人群每天吃一包，就能减降糖药", "MED-164"),
    ("坚持吃这款燕麦，半年后能停胰岛素", "MED-164"),
    ("天天吃这款坚果不会得三gao", "MED-144"),
    ("用这个油炒菜，全家不得高血压", "MED-144"),
    ("喝这个茶不再得痛风", "MED-144"),
    ("报名这个班，保证孩子考进全班前五", "EDU-058"),
    ("跟着学一学期，稳进年级前三", "EDU-058"),
    ("孩子考不进前十退全款", "EDU-049"),
    ("中考冲刺营，考不进重点退钱", "EDU-049"),
    ("名师押题卷，命中率高达九成", "EDU-062"),
    ("考研押题密卷准确率惊人", "EDU-062"),
    ("期末预测卷押中率百分百", "EDU-062"),
    ("the best扫地机器人，一台顶三个保洁", "ABS-217"),
    ("the best面霜，姐妹们冲", "ABS-217"),
    ("同价位第一名的投影仪", "ABS-220"),
    ("这款手机同级别排名第一", "ABS-220"),
    ("同类产品销量第一的吹风机", "ABS-220"),
    ("全市火锅店人气第一", "ABS-221"),
    ("本地装修公司口碑排名第一", "ABS-221"),
    ("行业好评第①名的家政", "ABS-221"),
    ("同城搬家口碑第一，价格透明", "ABS-221"),
    ("这片公墓风水极佳，葬在这里后代一定发达", "SUP-050"),
    ("风水宝地陵园，福泽后人", "SUP-050"),
    ("藏风聚气的墓园，安葬在此子孙必定兴旺", "SUP-050"),
    ("好pin晒图返现十元", "FLS-054"),
    ("haoping带图返5元，找客服领", "FLS-054"),
    ("给个好pin截图领红包", "FLS-054"),
]

REVIEWED = [
    ("复合肥撒了以后，玉米明显增产", "FLS-090"),
    ("这款叶面肥喷了之后，葡萄立马变甜", "FLS-090"),
    ("生根粉用了以后苗子不长虫", "FLS-090"),
    ("去污力是普通洗衣粉的5倍", "FLS-077"),
    ("这款吸尘器吸力相当于传统款的两倍", "FLS-077"),
    ("比普通空调省电40%", "FLS-077"),
    ("满电比别家多跑一倍", "FLS-077"),
    ("充一次电多用一半", "FLS-077"),
    ("据调查，会员平均每年省下300元", "FLS-064"),
    ("根据统计，学员人均每月多赚2000", "FLS-064"),
    ("95%的顾客用了三天后表示毛孔变小", "FLS-064"),
    ("80%的宝妈试用两周后都说宝宝睡得更好", "FLS-064"),
    ("已有3000多位新人选择我们的婚礼策划", "FLS-051"),
    ("累计8000名车主信赖", "FLS-051"),
    ("超过2000个家庭都在用", "FLS-051"),
    ("喝了一周整个人都轻快多了", "FLS-091"),
    ("吃完这个代餐，浑身都有劲了", "FLS-091"),
    ("晚上泡了这个茶，睡得安稳多了", "FLS-091"),
    ("众多儿科医生一致推荐", "FLS-092"),
    ("十位营养师共同认可的早餐", "FLS-092"),
    ("资深护肤专家联合力荐", "FLS-092"),
    ("这款提神饮料，开夜车不困", "FLS-093"),
    ("挂上这个香包，告别开车犯困", "FLS-093"),
    ("薄荷糖是打瞌睡的克星", "FLS-093"),
    ("这个醒酒器用了以后酒更醇", "FLS-094"),
    ("换了这把紫砂壶后茶更香", "FLS-094"),
    ("净水器装上后口感提升明显", "FLS-094"),
    ("净水器守护家人肠道健康", "HLT-089"),
    ("这款内裤呵护女性私密健康", "HLT-089"),
    ("空气净化器保护全家呼吸道健康", "HLT-089"),
    ("本周下单再送价值199元神秘礼包", "PRC-053"),
    ("前100名付款加赠价值500元豪礼", "PRC-053"),
    ("明晚8点前拍下送价值99元惊喜福袋", "PRC-053"),
    ("别家卖的都是黑心棉", "ABS-204"),
    ("别的店用的都是陈化粮", "ABS-204"),
    ("隔壁直播间卖的是注水肉", "ABS-204"),
    ("上架十秒就被抢光", "FLS-083"),
    ("去年双十一两小时售罄", "FLS-083"),
    ("新品5分钟卖断货", "FLS-083"),
    ("铲屎官亲测，换了这款猫粮一周便便没味了", "FLS-081"),
    ("喂了半个月，狗狗粑粑成型了", "FLS-081"),
    ("吃了这款粮体味都不臭了", "FLS-081"),
]

LAWFUL = [
    "肥料请在施后浇透水",
    "这台净化器的洁净空气量为每小时四百立方米，数据来源：检测报告编号见详情页",
    "服药期间请遵医嘱，切勿自行调整剂量",
    "控糖人群请在医生指导下调整饮食",
    "本品不能代替药物，请遵医嘱用药",
    "三gao人群购买前请咨询医生",
    "考前押题卷仅供练习，不保证命中",
    "期末复习班，每周两次课，附历年真题讲解",
    "孩子进了年级前十，我们一起为他高兴",
    "全城配送，婚庆套餐含主持跟拍",
    "口碑第一，服务至上是我们的理念",
    "同级别车型的续航可以参考工信部数据",
    "同行第一次合作，请多关照",
    "墓园开放时间为早八点至晚五点，清明期间预约入园",
    "陵园位于城北，交通方便，墓位价格详见公示",
    "新疆长绒棉，纤维长度三十三毫米以上，含棉量百分之百",
    "别家的店我们不评价，只介绍自家的棉被",
    "感谢您的好评，期待再次光临",
    "好评是对我们最大的鼓励",
    "肥料请存放在阴凉处，远离儿童",
    "补水面膜每片含精华液二十五毫升",
    "据工信部2025年数据，用户平均每月流量消费同比增长，数据来源：工信部通信业统计公报",
    "据统计，本店上月共接待顾客三千人",
    "已有三位新娘预约本周六试妆",
    "这款茶适合晚上喝，口感清淡",
    "中国营养学会发布的《中国居民膳食指南》建议每天喝奶",
    "开车犯困请停车休息，切勿疲劳驾驶",
    "车载香薰，木质香调，出风口安装",
    "上次直播的款已售罄，本次补货两百件",
    "活动时间：今晚八点至十二点，下单赠保温杯一个，规格五百毫升",
    "紫砂茶具，原矿紫泥，容量二百毫升",
    "智能马桶盖，座圈加热，即热式冲洗",
    "宠物粮开封后请密封保存",
    "the best of me 专辑上架",
    "孩子考不进重点也没关系，兴趣最重要",
]

NEW_ENTRIES = {"ABS-221", "EDU-062", "FLS-090", "FLS-091", "FLS-092", "FLS-093", "FLS-094", "HLT-089", "PRC-053"}


test_statute_claims_block = blocked_test(BLOCKED)


test_claims_that_need_a_fact_checked_go_to_review = reviewed_test(REVIEWED)


test_look_alikes_pass = lawful_test(LAWFUL)


def test_round_twelve_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = {entry_id for _, entry_id in BLOCKED + REVIEWED}
    assert ids >= NEW_ENTRIES
    assert_entries_documented(library, ids)


def test_library_version_is_86_or_later(library: ViolationLibrary) -> None:
    assert library.version >= 86
