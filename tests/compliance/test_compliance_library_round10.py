"""Tenth library round of issue #20 (the eleventh blind set's misses, outside_heldout11, now development data;
library v84): wording families the library lacked, each written as more than the row it came from:
- absolute claims (第九条第三项; block): none better in a wider set of qualities (没有比它更耐用/更透气), a superlative
  within the competitors' category (同类里香味最纯正, 同价位中做工最好: not a comparison of a brand's own items);
- state organs as endorsers (第九条第二项; block): ministries the list lacked (文旅部, 外交部, 海关总署, 体育总局) and
  state gifts (国礼同款, 国宾专用, 元首同款);
- health claims (第十七条、第二十三条; block): a disease sat, slept or soaked away (腰间盘突出都能坐好), a child's
  ailments all 调理好, a product as a disease's 克星 and ZL (治疗) in initials, disinfectants that kill 100%
  of viruses or send 新冠流感 统统退散, healthier alcohol (果酒比啤酒更健康), harmless tobacco substitutes
  (草本烟没有危害), hangover sweets that clear the breath at once, and 喝完照样能开车;
- investment and off-platform (第二十五条; 《电子商务法》第三十二条; block): 内部渠道收益更高, a q群 number, 私下拼单, a
  group admin who hands out contacts, 飞机号/tg号, 刷单 by its initials (sd, s单);
- superstition (第九条第八项): a cemetery or house as 风水宝地 that makes the descendants rich (block), and what went
  right after 请了 an amulet (review);
- review (第十一条、第二十四条、第二十八条): students' score changes (从六十分到一百三十分), unsourced preferences
  and 据统计 figures, comparisons (比超市的甜两倍, 热量低一半), lifetimes (寿命长达一亿次), 100% 驱除, a hairline
  that moved.

Every claim is a new wording, none a row of any set; the look-alikes are the same words where the law allows them
(a sourced statistic, a cotton spec, a cemetery's price list, ministry news, advice not to drink and drive, an
amulet described as jewellery, an SD card)."""

from __future__ import annotations

from tests.compliance.probes import (
    assert_entries_documented,
    blocked_test,
    lawful_test,
    reviewed_test,
)

from wanghong.compliance.engine import ViolationLibrary

BLOCKED = [
    ("这个价位没有比它更耐磨的登山鞋", "ABS-202"),
    ("市面上没有比我们更结实的行李箱", "ABS-202"),
    ("找不到比这更耐用的保温杯了", "ABS-202"),
    ("全网没有比这款更透气的凉席", "ABS-202"),
    ("没有能比它更保暖的羽绒服", "ABS-202"),
    ("同类产品里这款茶叶香气最纯正", "ABS-220"),
    ("同价位里它的做工最好", "ABS-220"),
    ("同级别中这台车最安全", "ABS-220"),
    ("同行里我们家的牛肉干最地道", "ABS-220"),
    ("同类型的精油中这款最香", "ABS-220"),
    ("外交部指定的礼品茶", "AUTH-031"),
    ("文化和旅游部推荐的民宿", "AUTH-031"),
    ("海关总署认证的进口红酒", "AUTH-031"),
    ("体育总局推荐的跑步机", "AUTH-031"),
    ("省文旅厅推荐的非遗剪纸", "AUTH-031"),
    ("国礼级的紫砂壶，收藏送礼都体面", "AUTH-040"),
    ("这条丝巾是国礼同款，限量发售", "AUTH-040"),
    ("国宾专用的白酒", "AUTH-040"),
    ("元首同款的钢笔", "AUTH-040"),
    ("国事访问赠礼同款的茶具", "AUTH-040"),
    ("内部渠道理财，收益稳稳的", "INV-096"),
    ("走内部通道，回报翻倍", "INV-096"),
    ("独家渠道的项目年化百分之十五", "INV-096"),
    ("内幕消息，收益有保障", "INV-096"),
    ("vip通道分红更高", "INV-096"),
    ("加q群八六七五三零九一", "OFF-046"),
    ("扣群号：五五六七八九零", "OFF-046"),
    ("进企鹅群12345678领福利", "OFF-046"),
    ("qq群：三三四五六七八", "OFF-046"),
    ("群里拼团比直播间便宜", "OFF-060"),
    ("私下团购，价格好说", "OFF-060"),
    ("想要的私聊成交", "OFF-060"),
    ("进群找群主要vx", "OFF-060"),
    ("群内接单，不走平台", "OFF-060"),
    ("留个飞机号，私聊发货", "OFF-065"),
    ("加个tg号细聊", "OFF-065"),
    ("私电报号给你报价", "OFF-065"),
    ("招募大学生兼职sd，日结", "FLS-060"),
    ("需要人sd，每单返十块", "FLS-060"),
    ("宝妈在家sd，一单提成五元", "FLS-060"),
    ("兼职shua单，一单佣金十元", "FLS-060"),
    ("喝了半斤白酒照样可以开车", "FLS-056"),
    ("喝完酒直接就能开车", "FLS-056"),
    ("这点酒不碍事，照常可以驾车", "FLS-056"),
    ("喝了啤酒照样能上路", "FLS-056"),
    ("解酒糖含一粒，立马没酒味", "HLT-086"),
    ("醒酒茶喝下去马上酒醒", "HLT-086"),
    ("饭局前吃两片，千杯不醉", "HLT-086"),
    ("喝一包马上没酒味，放心去应酬", "HLT-086"),
    ("解酒饮料喝了很快就不头疼", "HLT-086"),
    ("睡前一杯红酒有益健康", "HLT-076"),
    ("这款药酒喝了对身体好", "HLT-076"),
    ("葡萄酒天天喝，健康无害", "HLT-076"),
    ("青梅酒不伤身，女生放心喝", "HLT-076"),
    ("草本烟零焦油，没有危害", "MED-169"),
    ("这款茶烟对身体没有任何伤害", "MED-169"),
    ("加热烟帮你轻松戒烟", "MED-169"),
    ("代烟产品无副作用", "MED-169"),
    ("这款洗手液杀死100%细菌", "MED-177"),
    ("消毒湿巾杀灭率达到百分之百的病毒", "MED-177"),
    ("用了这款喷雾，流感病毒统统退散", "MED-177"),
    ("空气净化器开着，新冠全都消灭", "MED-177"),
    ("这款消毒片消灭百分百病菌", "MED-177"),
    ("这款生发液就是脱发的终结者", "MED-181"),
    ("足贴是失眠的克星", "MED-181"),
    ("益生菌是便秘克星", "MED-181"),
    ("这个药皂就是湿疹的天敌", "MED-181"),
    ("鼻炎救星，喷一下就通", "MED-181"),
    ("这款生发水能zl斑秃", "MED-159"),
    ("护发素ZL白发", "MED-159"),
    ("这款床垫躺一个月，腰椎间盘突出都能躺好", "MED-161"),
    ("颈椎病的人用这个枕头也能睡好", "MED-161"),
    ("宝宝吃了这款益生菌，便秘腹泻全都调理好", "MED-161"),
    ("这款米糊把孩子的积食厌食统统调好", "MED-161"),
    ("老寒腿泡这个药包，关节炎都能泡好", "MED-161"),
    ("喝这个茶，消化不良能根治", "MED-161"),
    ("这块墓穴藏风聚气，后人必定兴旺", "SUP-050"),
    ("公墓位置好，是块风水宝地", "SUP-050"),
    ("先人安葬在此，子孙代代富贵", "SUP-050"),
    ("这套别墅风水极佳，住进去旺财", "SUP-050"),
    ("祖坟选得好，福荫子孙", "SUP-050"),
]

REVIEWED = [
    ("喝米酒比喝饮料更健康", "HLT-087"),
    ("每天来点黄酒对身体更好", "HLT-087"),
    ("这款精酿啤酒比白酒更养生", "HLT-087"),
    ("低度米酒更健康，女生也爱喝", "HLT-087"),
    ("学生跟着我们学了半年，数学从四十分提到了一百一十分", "EDU-061"),
    ("我女儿上了三个月网课，英语从七十分涨到一百三十分", "EDU-061"),
    ("学了两个月，物理从五十分考到了九十分", "EDU-061"),
    ("同学们都说，语文从八十分飙到一百二十分", "EDU-061"),
    ("九成顾客更喜欢这个新配方", "FLS-064"),
    ("85%的宝妈说孩子很爱吃", "FLS-064"),
    ("据调查七成家长都满意", "FLS-064"),
    ("据不完全统计，超过六成用户回购", "FLS-064"),
    ("99%的用户都推荐", "FLS-064"),
    ("这款挂面比传统面条热量少一半", "FLS-077"),
    ("这个芒果比外面卖的香三倍", "FLS-077"),
    ("比一般牛奶钙含量高三成", "FLS-077"),
    ("这款牛排比别家的嫩两倍", "FLS-077"),
    ("比同类产品油耗低一半", "FLS-077"),
    ("这款鼠标按键寿命高达五千万次", "FLS-089"),
    ("开关寿命达到十万次", "FLS-089"),
    ("电池使用寿命长达十年", "FLS-089"),
    ("折叠寿命超过二十万次", "FLS-089"),
    ("这个门铰链耐久度高达五万次", "FLS-089"),
    ("这款杀虫喷雾百分百杀灭蟑螂", "FLS-045"),
    ("狗狗驱虫药驱虫率100%", "FLS-045"),
    ("100%驱除螨虫，床上用品必备", "FLS-045"),
    ("驱蚊手环百分之百驱蚊", "FLS-045"),
    ("用了两个月，发际线真的往前移了", "HLT-078"),
    ("坚持用了半年，发际线慢慢往前了", "HLT-078"),
    ("发际线居然下移了，太惊喜了", "HLT-078"),
    ("三个月后发际线终于回来了", "HLT-078"),
    ("请了这个貔貅回家，生意旺起来了", "SUP-051"),
    ("戴了这串手串，运气变好了", "SUP-051"),
    ("自从供了这尊财神，顺风顺水", "SUP-051"),
    ("客户说挂了这个葫芦，家里太平了", "SUP-051"),
    ("护身符带在身上，贵人多了", "SUP-051"),
]

LAWFUL = [
    "据国家统计局2025年数据，八成消费者更喜欢网购",
    "据国家统计局2025年数据，超过六成家庭有网购习惯",
    "本店九成商品支持七天无理由退货",
    "95%的商品当天发货",
    "80后的妈妈说这个味道很怀旧",
    "面料：100%棉，可机洗",
    "墓地价格表：单穴三万八起，双穴六万起，含二十年管理费",
    "陵园开放时间是早八点到晚五点",
    "住在这里的子女上学方便，小区门口就有公交站",
    "这块地是钓鱼的风水宝地",
    "文旅部发布了今年国庆假期的出游提示",
    "文化和旅游部公布了今年的旅游数据",
    "外交部发言人今天回答了记者提问",
    "喝酒不开车，开车不喝酒",
    "解酒没有捷径，喝酒后请叫代驾",
    "醒酒器一套两件，红酒倒进去醒十分钟",
    "喝酒不如喝茶更健康",
    "少喝酒对身体好",
    "吸烟有害健康，请勿在禁烟场所吸烟",
    "和田玉平安扣，直径二十毫米，附鉴定证书",
    "平安扣的挂绳可以免费换",
    "这款手串的珠子大小是十毫米",
    "中国礼品盒，送长辈很体面",
    "国宾馆附近的酒店，交通方便",
    "理财产品请通过正规渠道购买，收益不保证",
    "招兼职摄影师，需自带SD卡",
    "SD卡128G，读写速度一百兆每秒",
    "招聘兼职店员，日结工资",
    "这款坐垫久坐不累，腰间盘突出请遵医嘱",
    "失眠怎么才能睡好？建议咨询医生",
    "宝宝积食了怎么调理？请咨询儿科医生",
    "比普通装多一袋，加量不加价",
    "比普通代餐多一勺蛋白粉",
    "这台键盘的按键寿命为五千万次，数据来自轴体厂商规格书",
    "使用寿命与使用习惯有关，以实际为准",
    "同价位的耳机可以多比较几家",
    "发际线高的人适合这个发型",
    "本品杀菌率99.9%，检测报告编号见详情页",
    "流感季节注意通风，勤洗手",
    "驱虫药请按宠物体重使用，详见说明书",
    "这款驱虫药适用于体重一到十公斤的猫",
    "学生从六十分开始练习，每周一套卷子",
    "这套试卷满分一百五十分",
    "苹果糖度十八度，产地直发",
    "草本烟不是戒烟产品，同样有害健康",
    "私下交流的时候也请文明用语",
    "群里发了新品的实拍图",
    "飞机模型一比一百四十四，适合收藏",
    "这个键盘敲击手感清脆",
    "国家统计局数据显示，六成家庭有网购习惯",
]


test_statute_claims_block = blocked_test(BLOCKED)


test_claims_that_need_a_fact_checked_go_to_review = reviewed_test(REVIEWED)


test_look_alikes_pass = lawful_test(LAWFUL)


def test_round_ten_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = {entry_id for _, entry_id in BLOCKED + REVIEWED}
    assert_entries_documented(library, ids)


def test_library_version_is_84_or_later(library: ViolationLibrary) -> None:
    assert library.version >= 84
