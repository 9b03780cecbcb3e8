"""Compliance, fifteenth round of context (issue #20), from the false positives of the blind
heldout16 after it was scored: a pet or one of the family ranked (我家猫是全小区最胖的猫，没有之一), the
speaker's own trait (说我是全世界最懒的人), a feeling lived through (我今年吃过最开心的一顿饭), a monument's
record (现存规模最大…之一), an athlete's record, a person or a memory called 独一无二, a dish named 至尊,
a game's award and tiers (全场最佳, 最强王者段位), a league table, advice to follow the doctor
(药用请遵医嘱), a health food's label (保健功能：…), 不存在 as a negator, 别自己停药, the shop's own chart
(本店人气榜第1名), a notice that nothing of a kind is sold (不出售任何…), units as letters (5元/GB read
as b + 国 = 保过), a consumer notice's advice to complain (保留证据…反映), a slip corrected
(口误说了…更正), a quoted word explained (“最低价”系…), a practice said to break the law
(刷单炒信违反《电子商务法》), the brand's first own store. Each lawful reading has a twin that keeps the
frame and makes the claim, which must stay caught."""

from __future__ import annotations

from tests.compliance.probes import caught_test, lawful_test

# heldout16's false positives this round reads, as the writer wrote them.
SET_ROWS = [
    "本店售卖甘肃岷县当归片，250克/袋，产地直发，药用请遵医嘱",
    "故宫始建于明永乐四年，是世界上现存规模最大、保存最完整的木质结构古建筑群之一",
    "这是我今年吃过最开心的一顿饭，和家人在一起真好。",
    "他是那一届奥运会上唯一一位卫冕成功的中国选手",
    "保健功能：有助于增强免疫力。不适宜人群：少年儿童、孕妇、乳母。本品不能代替药物。",
    "问：买黄金能保值吗？答：金价有涨有跌，不存在保证升值的说法，投资需谨慎",
    "本店人气榜第1名：酸菜鱼（根据本店近30天订单统计）",
    "【公众号】上周我们走访了三家养生馆，发现部分门店宣称艾灸能“治不孕”，这类说法缺乏依据，涉嫌违法。如果身体有问题，请到正规医院就诊，不要轻信商家承诺。我们也提醒各位读者，遇到“包调理”“无效退款”之类的承诺，可以保留证据，向当地市场监管部门反映。",
    "菜单：超级至尊比萨（9寸）78元，配料含青椒、洋葱、牛肉粒",
    "国家一级保护动物严禁买卖，本店不出售任何野生动物制品",
    "主播：兄弟们这把打得太绝了，五杀！系统给了我全场最佳，哈哈哈。助播：今天是游戏直播，不带货哈。主播：对，纯娱乐，喜欢的点个关注，明晚八点继续排位。助播：刚才那波团战中路支援得好。主播：下一把我们试试新英雄，打不好大家别喷哈。",
    "本套餐月费59元，含30GB国内通用流量，超出部分按5元/GB计费",
    "顶级联赛第30轮：主队2:1逆转取胜，升至积分榜第一",
    "主播：这款是保健食品，有蓝帽子标志，批准文号大家看屏幕下方。助播：它的保健功能是有助于增强免疫力，不适宜人群是少年儿童和孕妇。主播：再强调一遍，保健食品不是药物，不能代替药物治疗疾病。助播：每日两粒，饭后服用。主播：有基础疾病的家人，吃之前先问一下医生，正在吃药的别自己停药。",
    "朋友说我是全世界最懒的人，我说你说得对，但我懒得反驳😂",
    "公众号说明：文中提到的“最低价”系我方自营店历史价格对比，数据截至10月31日，详见价格记录截图。",
    "刷单炒信违反《电子商务法》，平台可对相关店铺降权、扣分直至清退",
    "主播口误说了“全网最低”，我们在此更正：该价格仅为本直播间当日价格，特此致歉。",
    "本店是该品牌在本市开的第一家直营店，于2019年开业",
    "新赛季开启，冲上最强王者段位可领取限定头像框",
    "哈哈哈，我家狗子吃饭的速度真的无敌了",
]

# The same readings in other words.
LAWFUL = [
    "我家狗狗是全村最能吃的狗，没有之一",
    "老公说我是全家最会花钱的人",
    "这是我去年经历过最难忘的一次旅行",
    "长城是世界上现存最长的古代军事防御工程之一",
    "她是本届亚运会上唯一一位三连冠的选手",
    "送给独一无二的她，刻上你们的纪念日",
    "至尊汉堡套餐，加一元升级大杯",
    "比赛结束系统给了我全场最佳",
    "这个赛季终于冲上王者段位了",
    "主队连胜，升至积分榜第一",
    "当归片药用请在医生指导下",
    "保健功能：缓解体力疲劳。本品不能代替药物",
    "不存在稳赚的理财，投资需谨慎",
    "本店热销榜第1名：红烧肉",
    "本店不销售任何烟草制品",
    "月租39元含20GB流量",
    "主播口误说了'最便宜'，特此更正",
    "好评返现违反平台规定，本店从不参与",
    "本店是该品牌在本省的第一家专卖店",
    "遇到承诺'包治百病'的商家，请保留证据并举报",
]

# Twins that keep the frame and make the claim.
CLAIMS = [
    "我家猫粮是全网最便宜的，没有之一",
    "我们是全网最低价的店",
    "这是我用过最好用的面霜",
    "这款茶是世界上最好的茶之一",
    "唯一一款获得专利的面膜",
    "独一无二的配方，效果全网第一",
    "至尊品质，全网第一",
    "全场最佳单品就是这款",
    "本店人气榜第1名，全网销量第一",
    "别自己停药，喝我们的茶就能降血压",
    "主播说错了，其实这款就是全网最低价",
    "刷单返现，好评送红包",
    "本店不出售假货，全网最低价",
    "我是全网最低价的主播",
    "遇到我们这样承诺'无效退款'的店，赶紧下单",
]


test_the_set_rows_pass = lawful_test(SET_ROWS)


test_other_wordings_pass = lawful_test(LAWFUL)


test_claims_in_the_same_frames_are_caught = caught_test(CLAIMS)
