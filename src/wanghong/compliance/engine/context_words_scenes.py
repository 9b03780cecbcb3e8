"""Words of the twenty-second context round (issue #20, from the blind set heldout22): the scenes a text is set in —
exhibitions, clinics, sports, games, folklore, the law explained — where the library's words are used in another
sense. Read by `context` and `context_ranks` (the other lists are in `context_words` and `context_words_senses`)."""

from __future__ import annotations

import re

# 本馆最受关注的展品之一, 其中最引人注目的是一件唐代鎏金银壶: an exhibition describing what it shows.
EXHIBITION = re.compile("本馆|博物馆|展厅|特展|展品|文物|展览")
# 第一展厅, 第一展区: a room of an exhibition or a venue, numbered.
VENUE_ROOMS = ("展厅", "展区", "展馆", "分会场", "会场", "候车室", "候诊区", "教学楼", "食堂")
# 古人认为可以辟邪纳福，这一习俗延续了上千年: a custom described, not a product's effect.
FOLKLORE = re.compile("古人|古时|旧时|相传|传说|习俗|民俗|风俗|传统节日")
# 攻击力提升至最高, 把音量调到最大: a setting raised to its limit, not a rank.
RAISED_TO = (
    "提升至",
    "提升到",
    "提高到",
    "提高至",
    "调到",
    "调至",
    "开到",
    "升至",
    "升到",
    "降至",
    "降到",
    "拉到",
    "拧到",
)
# 日出时分光线最好: the light or the view at a time of day.
VIEW_AT_TIME = re.compile(
    "(?:日出|日落|清晨|傍晚|黄昏|早上|早晨|下午|上午|夜晚|晚上)[\u3400-\u9fff]{0,4}?(?:光线|景色|风景|阳光|视野|景致)$"
)
# 最严重的一款少了18%, 全国第一难吃: a superlative of a fault, which praises nothing.
FAULT_QUALITIES = ("严重", "糟糕", "难吃", "难看", "难用", "难喝", "失败", "差劲", "丢人")
# 最大的功臣是替补上场的辅助选手: a person credited, not the goods.
PERSON_CREDITED = ("的功臣", "功臣", "的英雄", "的贡献者", "的赢家")
# 获得称号【无敌小勇士】: a title conferred, in brackets...
TITLE_CONFERRED = ("称号", "头衔", "徽章", "成就", "勋章", "荣誉称号")
# ...by a game (a brand's 荣获称号【…】 is a claim): the text speaks to a player.
GAME_CUES = re.compile("通关|关卡|玩家|解锁|段位|赛季|副本|经验值|勇士|闯关")
# A: / B: opening a line: a speaker's label in a transcript, not a pinyin initial (去？\nB → 去疤).
SPEAKER_LABEL_MARKS = frozenset("：:")
# 年化是3.1%，但这只是历史数据，不代表以后: a past return disclosed with its caveat.
RETURN_CAVEAT = re.compile("历史数据|过往业绩|过去的?业绩|不代表(?:未来|以后|将来)|不预示|仅供参考")
# 律师说法｜…, 以案说法：…: the law explained with a case.
LAW_EXPLAINED = "律师说法|以案说法|普法|法律科普|律师提醒|法官提醒"
# 秋天叶子黄了的时候最好看: when a sight is at its best.
SIGHT_WHEN = ("的时候", "时候", "时节", "时分", "季节", "那几天")
SIGHT_BEST = ("好看", "美", "漂亮", "壮观", "迷人")
