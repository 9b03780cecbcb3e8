"""Which barrage comments are questions for the assistant.

Most barrage is not a question (666, 来了, 主播好美); answering every comment would bury the room in hand-overs.
A comment is a question when it carries a question mark, a question word or pattern (多少, 几, 怎么, 能不能,
A不A), ends on a question particle, or asks about a known slot (price, size, shipping, … — "尺码偏小" asks, though it
has no question word) without praising it ("颜色好看" does not ask). Template chatter is never one, however it ends.
"""

from __future__ import annotations

import re

from wanghong.assistant.engine.slots import asked_slots
from wanghong.assistant.engine.text import fold

_MARK = re.compile(r"[?？]")
_WORDS = re.compile(
    r"多少|几[个天号码块元克斤岁次点]|怎么|怎样|咋|什么|啥|哪[里儿个些款种]?|为何|为什么|能不能|有没有|是不是|可不可以|"
    r"会不会|要不要|行不行|好不好|用不用|对不对|可以吗|请问|求问|想问|how|what|when|where|which|why|does|is it|can i"
)
_A_NOT_A = re.compile(r"(.)不\1")  # 贵不贵, 掉不掉色
_PARTICLE = re.compile(r"(?:吗|么|嘛|呢|没|不)[\s~～!！。.]*$")
_CHATTER = re.compile(r"^(?:6+|1+|来了+|冲+|哈+|好看|好美|主播好[美帅棒]|支持主播|关注了|打卡|扣1)[\s!！~～。.]*$")


# Praise names a slot without asking about it ("口红颜色好看"): it asks only with a question mark, word or particle.
_PRAISE = re.compile(r"好看|漂亮|好美|真美|喜欢|爱了|绝了|绝绝子|太好了|真好|不错|好评|种草")


def is_question(text: str) -> bool:
    folded = fold(text).strip()
    if not folded or _CHATTER.match(folded):
        return False
    if _MARK.search(folded) or _WORDS.search(folded) or _A_NOT_A.search(folded) or _PARTICLE.search(folded):
        return True
    return not _PRAISE.search(folded) and bool(asked_slots(folded))
