"""Thirteenth round of issue #20 (from the false positives of outside_heldout14, after it was scored blind):
sizes as letters (最大XL，最小S), a platform's warning (私下交易无法保障), a team's result (国足吊打对手), sales
figures from the platform's public data, an answer that calls the goods ordinary (这是普通饮料), a younger sibling's
exam, the shop's own ranking in the clause before (本店销量排名第三…第一名已经断货), a cook's best dish (最拿手的),
a tea's first infusion (第一泡), a wholesale price table, an answer that keeps the trade on the platform
(统一回复：只在平台下单), a quoted word explained (“第一”是指…), the winner of the room's game (第一名的奖品), and
what not to expect of the goods (别指望它祛痘). New wordings, none a row of any set, each beside the same words used
as a claim."""

from __future__ import annotations

from tests.compliance.probes import caught_test, lawful_test

LAWFUL = [
    "尺码范围：最大XL，最小S，请对照尺码表",
    "请在平台内完成交易，私下交易无法保障您的售后",
    "昨晚国足吊打对手，今天直播间聊聊比赛",
    "根据平台公开数据，本店去年累计卖出三千单",
    "有人问喝了能不能降血糖，说实话这是普通饮料，不能降血糖",
    "妹妹期末考了年级第一，今天每单多送一包坚果",
    "这是本店销量排名第三的款，第一名已经断货",
    "有人问这道汤是不是师傅最拿手的，是我们家的招牌菜",
    "这泡茶的冲泡方法：水温九十度，第一泡十秒出汤",
    "批发价：20箱以上每箱45元，50箱以上每箱42元",
    "有人问能不能私下转账，统一回复：只在平台下单",
    "视频里说的“第一”是指今年第一批采摘的茶叶",
    "第一名的奖品是一箱橙子，直播结束后公布名单",
    "这款精华是普通化妆品，别指望它祛痘，主要是保湿",
]

CLAIMS = [
    "这款球鞋吊打同价位所有品牌",
    "我们家销量全网第一，没有之一",
    "这款茶能降血糖，糖友喝了就不用吃药",
    "这款精华祛痘效果最好，三天见效",
    "加我微信私下转账，便宜二十",
    "全网最低批发价，别家比不了",
]


test_uses_the_round_taught_pass = lawful_test(LAWFUL)


test_claims_in_the_same_frames_are_caught = caught_test(CLAIMS)
