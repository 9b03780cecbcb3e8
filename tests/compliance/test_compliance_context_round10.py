"""Tenth round of issue #20 (from outside_heldout11's false positives, scored blind first): regulators' notices that
name what may not be claimed (不得宣称, 海关/农业农村部提醒, 谨慎辨别), the weather or a mood as what is 一流, advice
(最忌讳), an address and a quoted old name (第一大道, 老字号“…第一家”), travel times that place a farm base, an answer
that calls the goods only what they are (这只是洗护香波), and an ailment sent to a doctor (治藓去医院). New wordings,
none a row of any set, each beside the same words used as a claim."""

from __future__ import annotations

from tests.compliance.probes import caught_test, lawful_test

LAWFUL = [
    "市场监管局提醒：普通食品不得宣称“降血糖”“抗癌”",
    "药监部门提示：化妆品不得宣称具有治疗脱发的作用",
    "海关提示：代购宣传“全网最低价”的，请谨慎辨别",
    "今天状态一流，给大家唱首歌",
    "熬夜最忌讳空腹喝咖啡，先吃点东西",
    "店铺地址：第一大街12号",
    "我们是老字号“天下第一鲜”，开了六十年",
    "采摘园距离高铁站30分钟车程，可预约接送",
    "有人问能不能治湿疹，客服说这只是普通面霜，治湿疹请去医院",
    "孩子发烧请及时就医，退烧贴只是物理降温",
]

CLAIMS = [
    "专家提醒：这款茶能治疗失眠，赶紧囤",
    "海关检测通过，全球第一的品质",
    "这款羽绒服保暖一流，零下三十度都不冷",
    "全市第一的家具店，就在第一大街",
    "这款香波能治猫藓，效果比去医院还好",
    "有人问能不能治湿疹？能，涂三天就好",
]


test_uses_the_round_taught_pass = lawful_test(LAWFUL)


test_claims_in_the_same_frames_are_caught = caught_test(CLAIMS)
