"""Compliance, nineteenth round of context (issue #20), from the false positives of heldout20
after it was scored blind at the session's end: the speaker's own traits and troubles
(我最大的优点是能吃, 我最头疼的是), a game server's ranking of players (国服最强露娜; 全服最强装备 stays a claim),
reaching a game's tier, the speaker beaten (被对面吊打; a competitor 被吊打 stays a claim), sports
results called 无敌 or 遥遥领先, a dimension named before its superlative (密度最大, 海拔最低),
requirements and records as measures (最低学历, 最高值), the shop's last day open, 不设 as a negator,
a character named and explained (“最”表示…), an order number as the one proof, a profession
(康复治疗师), a registered health food's function (经注册具有…的保健功能), others' questions reported
(有顾客在直播间问), an answer framed as one's own (我的回答是不能), a court's finding and a bureau's
warning (多为噱头, 已成为历史), and 最迟 as a deadline (library v94). Each lawful reading has a twin
that keeps the frame and makes the claim, which must stay caught."""

from __future__ import annotations

from tests.compliance.probes import caught_test, lawful_test

# heldout20's false positives this round reads, as the writer wrote them.
SET_ROWS = [
    "订单号是唯一凭证，请妥善保存",
    "王者荣耀国服最强露娜上分教学",
    (
        "吐鲁番盆地是中国海拔最低的地方，艾丁湖湖面低于海平面一百五十多米。这里夏季极其炎热，火焰山地表温度最高可达七十摄氏度以上，"
        "但正因为日照充足、昼夜温差大，这里出产的葡萄和哈密瓜特别甜。每年八月这里还会举办葡萄节。"
    ),
    "招聘：销售顾问两名，底薪四千加提成，最低学历高中，有驾照优先。",
    "马拉松跑到三十公里处，他已经遥遥领先第二名近两分钟。观众沿途为他加油。",
    "我们班第一名又是她，太卷了",
    (
        "业内人士提醒，银行理财已全面实行净值化管理，“保本保收益”的产品已成为历史。投资者应根据自身风险承受能力选择产品，"
        "切勿轻信“稳赚不赔”“年化百分之二十”这类承诺，遇到可疑的投资群，请及时向当地金融监管部门反映。"
    ),
    "直播间不设私下交易渠道，任何自称主播助理让您加好友转账的都是骗子。",
    (
        "市气象台发布高温橙色预警：预计今天下午最高气温将达到三十九摄氏度，为今年以来最高值。请市民尽量避免在中午至下午三点外出，"
        "户外作业人员注意防暑降温，老人和儿童减少户外活动，注意补充水分。预计高温天气将持续到周末。"
    ),
    "最后一天营业，感谢街坊照顾",
    "中国女排在世界杯上以十一连胜的成绩夺得第一，再次登上世界冠军领奖台。",
    "昨天排位被对面吊打，心态崩了",
    "甲方应于收货后最迟三个工作日内支付尾款，逾期按日万分之五计算违约金。",
    "法院认定，被告在直播中称普通食品能“治疗糖尿病”，构成虚假宣传，判赔十倍价款。",
    (
        "本品为保健食品，经注册具有增强免疫力的保健功能。主要原料为人参、黄芪，适宜人群为免疫力低下者，"
        "不适宜人群为少年儿童、孕妇及哺乳期妇女。保健食品不是药物，不能代替药物治疗疾病。批准文号见产品包装。"
        "每日两次，每次两粒。"
    ),
    "教育局提醒：所谓“保过班”“押题班”多为噱头，家长报班前要查看办学许可。",
]

# The same readings in other words.
LAWFUL = [
    "请保存好付款凭据，它是退款的唯一凭据",
    "国服最强李白教学，今晚八点开播",
    "青海湖是中国最大的湖泊",
    "招聘：客服三名，最低学历大专",
    "今天是小店最后一天营业，谢谢大家",
    "直播间不设任何私下交易渠道",
    "今天的课讲“最”表示程度的用法",
    "这赛季终于打到王者了",
    "昨天排位被对手吊打，心态崩了",
    "马拉松比赛中他遥遥领先，最终夺冠",
    "我最头疼的是每天早上挤地铁",
    "这部电影获得最佳影片",
    "法院认定，商家称普通食品能“降血糖”构成虚假宣传，判赔十倍",
    "本品为保健食品，经注册具有缓解体力疲劳的保健功能",
    "教育局提醒：所谓“包过班”多为噱头",
    "业内人士提醒，“保本理财”已成为历史",
    "付款最迟不超过下单后三天",
]

# Twins that keep the frame and make the claim.
CLAIMS = [
    "全服最强装备等你拿，加客服微信",
    "别的牌子在它面前直接被吊打",
    "这款面霜遥遥领先，全网第一",
    "我最大的优势是全网最低价",
    "这款奶茶是全网最低价，最后一天",
    "不设门槛，全网最低价",
    "今天的课告诉你最好的理财产品就是这款",
    "普通食品能降血糖，保证有效",
]


test_the_set_rows_pass = lawful_test(SET_ROWS)


test_other_wordings_pass = lawful_test(LAWFUL)


test_claims_in_the_same_frames_are_caught = caught_test(CLAIMS)
