"""Twelfth round of issue #20 (from the false positives of outside_heldout13, written blind by a helper that read
nothing of the project and scored before any change): competing for a rank denied (不想争第一, 不求第一), whoever
says the words warned against (说包赚钱的都要小心), a registered health food's function, a dated rank with its source,
case reports (破获…诈骗案, 报道了一起…非法集资案), a viewer's question opened by 请问 or by 主播 without a comma — a
time-limited rank included —, what the asker saw elsewhere (别家好像便宜), words named as 绝对化用语 that 禁止出现,
a pledge described and refuted (“包过”的培训承诺不可信), superstition named as such (都是封建迷信), evasion tricks
reported (以逃避平台审核), a person's result in a final, a live room's link numbers (No.1号链接), a letter ending an
English word that is no pinyin initial (CADR值 ≠ 燃脂), a registered company's full name (中国第一…股份有限公司),
a loan's disclosed annual rate (年化利率区间…). New wordings, none a row of any set, each beside the same words
used as a claim."""

from __future__ import annotations

from tests.compliance.probes import caught_test, lawful_test

LAWFUL = [
    "不求第一，也不想争第一，只想把一双鞋做扎实",
    "网上那些说稳赚的都要小心，理财有风险",
    "本品已取得保健食品注册证书，保健功能：辅助降血脂，批准文号见包装",
    "2024年618家电类目店铺销量第一（数据来源：平台公布的战报，统计日期6月18日）",
    '本报讯 警方破获一起"刷单返利"诈骗案，涉案金额三百万元',
    "请问报了这个班能保证拿证吗？",
    "是全网最低价吗？别家好像便宜十块",
    '新华社报道了一起以"保本高息"为诱饵的非法集资案件',
    '平台规则：直播中禁止出现"国家级""最高级"等绝对化用语',
    '注意！"包治百病"的保健品宣传不可信，买前请咨询医生',
    '防骗提醒：所谓"请神转运"都是封建迷信，别花冤枉钱',
    "赛事快讯：她在女子跳远决赛中获得第一名",
    "No.1号链接是大号，No.2号链接是小号，别拍错",
    '报道称，有商家把"治疗"写成"zl"，以逃避平台审核',
    "主播这款是不是今年最流行的颜色？",
    "新风机CADR值300m³/h，滤网建议半年更换",
    "中国第一重型机械股份有限公司发布年报",
    "信用卡分期年化利率约为12%，具体以合同为准",
]

CLAIMS = [
    "我们就是第一，不服来比",
    "我们的理财产品稳赚不赔，放心投",
    "这款普通饮料能降血脂，喝一个月见效",
    "我们家销量全网第一，没有之一",
    "这个班报了保证拿证，拿不到全额退",
    "这是全网最低价，别家不可能更便宜",
    "我们的产品上过央视，品质有保障",
    "这款手串开光转运，戴上就发财",
    "我们品牌是行业第一名",
    "1号链接是全网最好的面霜",
    "这款茶能治疗失眠，喝一周就好",
    "主播说这款是今年最好的面霜，错过再等一年",
    "这款理财年化利率高达8%，稳稳的",
    "借款日利率低至0.02%，当天到账",
]


test_uses_the_round_taught_pass = lawful_test(LAWFUL)


test_claims_in_the_same_frames_are_caught = caught_test(CLAIMS)
