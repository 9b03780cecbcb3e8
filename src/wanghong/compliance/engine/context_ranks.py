"""The context rules for absolute and price wording (《广告法》第九条): ordinals, measurements, consumer tips, service
attitude and goals, comparison within the seller's own range, official titles, names, time order and time- or
region-limited ranks — what `ContextJudge` asks of a hit of those two categories after the rules every category
shares (see `context`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from wanghong.compliance.engine.context_words import (
    ADJECTIVE_FOLLOWERS,
    ATTITUDE_TERMS,
    BRAND_SCOPE,
    COMPOSITION,
    CUSTOMER_ACTIONS,
    CUSTOMER_ORDINALS,
    DESIGNATIONS,
    DIMENSION_SUPERLATIVE,
    GOAL_FOLLOWERS,
    GOAL_WORDS,
    MAX_CONTEXT,
    MEASURE_NOUNS,
    MODAL_TERMS,
    NOT_MEASURES,
    OFFICIAL_TITLE_TERMS,
    ORDINAL_FOLLOWERS,
    OWN_OFFER,
    PERCENT_WORDS,
    PHILOSOPHY_FOLLOWERS,
    PRICE_WORDING,
    QUANTITY,
    RANK_LIKE,
    RANK_SCOPE,
    SERVICE_NOUNS,
    SIZE_TOKEN,
    TIME_OR_REGION,
    TIP_BY_QUANTITY,
    TIP_TERMS,
    USAGE_NOUNS,
    VALUE_NOUNS,
    VARIANT_COUNT,
    VARIANT_OBJECT,
    VARIANT_SUBJECT,
    WORLD_DESIGNATIONS,
    WORLD_TERMS,
)
from wanghong.compliance.engine.context_words_scenes import (
    EXHIBITION,
    FAULT_QUALITIES,
    PERSON_CREDITED,
    RAISED_TO,
    SIGHT_BEST,
    SIGHT_WHEN,
    VENUE_ROOMS,
    VIEW_AT_TIME,
)
from wanghong.compliance.engine.context_words_senses import (
    ADOPTION,
    ADVISED,
    ASKED_WHERE,
    ASKING,
    ATHLETE,
    AWARD_TITLES,
    BEATEN_BY,
    BELOVED,
    BLOOM_BEFORE,
    BREAST_MILK,
    CHARACTER_GOODS,
    CITATION,
    CITED_ITEM,
    COMMEMORATED,
    COMPASS_END,
    CONGRATULATED,
    CONTEST,
    DECLARED_UNPAID,
    DISH,
    ENUMERATED_NEXT,
    EVERY_DAY,
    EXPERIENCED,
    FEATURE_RANKED,
    FEELING_SUBJECTS,
    FEELING_TIME,
    FEELINGS,
    FIRST_SHOP,
    FOUNDED,
    GAME_GOODS,
    GAME_SERVER,
    GAME_TIER,
    GEOGRAPHY,
    GRADE_SYSTEM,
    GRADE_TOP,
    GRADING,
    HERITAGE,
    INSTITUTION,
    KIN_PERSON_AFTER,
    KIN_STORY,
    KIN_SUBJECT,
    LAST_DAY_OPEN,
    LEAGUE_TABLE,
    LINK_NUMBER,
    LISTED_COUNT,
    LISTED_ITEM_CAP,
    LOCATIVE,
    MARKET_SCOPE,
    MATCH_AWARD_BEFORE,
    MEASURED_BEFORE,
    MODEL_LABEL,
    MOOD_BEFORE,
    MOST_OFTEN,
    NON_SALE_EVENTS,
    NOT_GOODS_AFTER_BEST,
    NOT_GOODS_UNIQUE,
    OFFER_END,
    OFFER_END_REACH,
    OLD_TERMS,
    OLD_TREE,
    ONLY_CAVEAT,
    OWN_FIRST_STORE,
    OWN_HISTORY,
    OWN_MODELS,
    OWN_RANGE,
    OWN_RANKING,
    OWN_SALES,
    OWN_SKILL,
    PAST_TIME,
    PERSON,
    PERSON_RANKS,
    PERSONAL_VIEW,
    PET_OR_KIN,
    PLACE_NAME,
    POINT_MADE,
    POSITION,
    PREFERENCE_QUESTION,
    PREFERENCE_WHICH,
    PRIZE_AFTER,
    REACHED,
    RISK_SUPERLATIVE,
    SALE_CUES,
    SAYINGS,
    SCIENCE_AFTER,
    SCIENCE_NOUN_AFTER,
    SEEN,
    SERVICE_ATTITUDE_TERMS,
    SET_SCOPE,
    SOURCED_RANK,
    SPEAKER_OWN_AFTER,
    SPEAKER_TRAIT,
    SPORTS_EVENT,
    STOCK_LEFT,
    SUMMIT_AFTER,
    TEAM,
    TERM_OF_ART_AFTER_BEST,
    TITLE_CLOSE,
    TOP_FLIGHT,
    TRAFFIC,
    TROUBLE_AFTER,
    UNIQUE_CODE,
    UNIVERSAL_FITS,
    UNIVERSAL_POLICY,
    VARIANT_RANKED,
)
from wanghong.compliance.engine.hits import Hit
from wanghong.compliance.engine.library import ViolationCategory
from wanghong.compliance.engine.reasons import Reason
from wanghong.domain import Severity

# 我最大的优点是能吃, 我这人最大的优点就是谦虚: the speaker, before their own traits.
_SPEAKER = ("我", "我这人", "我这个人")
# 最好看的, 最好听的: the verbs that make 最好 + verb an adjective of the goods.
_SENSE_VERBS = frozenset("看听吃喝用玩闻穿")
_SOURCE_REACH = 48  # characters before a rank read for its source, which often has a clause of its own


def rank_reason(
    text: str, hit: Hit, left: str, right: str, lo: int, hi: int, folded: Callable[[int, int], str]
) -> Reason | None:
    """Why an absolute or price hit is lawful in its clause ``text[lo:hi]`` (``left`` and ``right`` of it, folded),
    or None when it is a claim; ``folded(a, b)`` is ``text[a:b]`` folded."""
    term = folded(hit.start, hit.end)
    if term.startswith("zui"):
        term = "最" + term[3:]  # zui轻 (最+形容词 reads 最 in pinyin too): the rules for 最 apply to it
    if term.endswith(CUSTOMER_ORDINALS) and right.startswith(CUSTOMER_ACTIONS) and not left.endswith(RANK_SCOPE):
        return Reason.ORDINAL
    if left.endswith(MOOD_BEFORE) or (
        term.startswith("最") and (NOT_GOODS_AFTER_BEST.match(right) or BREAST_MILK.search(left))
    ):
        return Reason.OTHER_SENSE  # 天气一流, 心情最好: the weather or a mood, not the goods
    if term.startswith("最") and RISK_SUPERLATIVE.match(folded(hit.start, hi)):
        return Reason.OTHER_SENSE
    if KIN_STORY.search(text) and _offers_nothing(folded(0, len(text))):
        return Reason.OTHER_SENSE  # 我外婆…她腌的咸鸭蛋是我吃过最香的: a family story, nothing for sale
    if term.startswith("最") and FEELINGS.match(term[1:] + right) and left.endswith(FEELING_SUBJECTS):
        return Reason.OTHER_SENSE  # 今天是我最开心的一天: the speaker's feelings
    if term == "no1" and right.startswith(LINK_NUMBER):
        return Reason.ORDINAL  # No.1号链接是黑色款
    if term.endswith("第1") and right.startswith(FIRST_SHOP):
        return Reason.ORDINAL
    if term == "第1" and INSTITUTION.match(right) and not left.endswith(RANK_SCOPE):
        return Reason.NAME  # 第一中学, 第一人民医院
    if term == "首家" and right.startswith(OWN_FIRST_STORE) and not _ranked_beyond(left):
        return Reason.TIME_ORDER
    if term == "第1" and right.startswith(ORDINAL_FOLLOWERS) and COMMEMORATED.search(right):
        return Reason.TIME_ORDER  # 中国第一颗原子弹爆炸成功60周年: a first in history, commemorated
    if term.endswith("第1") and left.endswith(EVERY_DAY):
        return Reason.TIME_ORDER  # 每天第一家开门的早餐店: the first each day
    if (
        term.startswith("最")
        and LISTED_ITEM_CAP.match(right)
        and not left.endswith(RANK_SCOPE)
        and LISTED_COUNT.search(folded(max(0, lo - MAX_CONTEXT), lo))
    ):
        return Reason.SELF_COMPARISON  # 6件小家电，都是白菜价，最贵的一件也就199: the dearest of those listed
    if PLACE_NAME.match(right) and left.endswith(LOCATIVE):
        return Reason.NAME
    if term == "顶级" and right.startswith(TOP_FLIGHT):
        return Reason.OTHER_SENSE
    if term == "唯1" and ONLY_CAVEAT.match(right):
        return Reason.OTHER_SENSE
    if (
        hit.category is ViolationCategory.PRICE
        and term.startswith("最后")
        and (
            OFFER_END.search(folded(hit.end, hit.end + OFFER_END_REACH))
            or left.endswith(STOCK_LEFT)
            or PAST_TIME.search(right)
            or left.endswith(NON_SALE_EVENTS)
            or right.startswith(LAST_DAY_OPEN)
        )
    ):
        # 最后三十单，拍完下架 / 只剩最后两件 / 最后一次保养在去年: a stated end, the stock left, a past event
        return Reason.TIME_ORDER
    if (
        term in PERSON_RANKS
        # 在昨晚的女子1500米决赛中，她以4分02秒的成绩夺得第一名: the contest may be named in the clause before
        and CONTEST.search(_sentence_before(text, lo, folded) + left)
        and (PERSON.search(left) or any(team in left + right for team in TEAM))
        and not left.endswith(RANK_SCOPE)
    ):
        return Reason.OTHER_SENSE  # 我女儿运动会拿了第一名: a person's result, not a rank of the goods
    if term in PERSON_RANKS and right.startswith(PRIZE_AFTER):
        return Reason.OTHER_SENSE  # 第一名的奖品是一箱苹果: the winner of the room's game
    if (
        term in PERSON_RANKS
        and OWN_RANKING.search(left or folded(max(0, lo - MAX_CONTEXT), lo))
        and not _ranked_beyond(left)
    ):
        return Reason.SELF_COMPARISON  # 本店销量排名第二的，第一名已经卖断货了
    if left.endswith(TEAM) or left.endswith(LEAGUE_TABLE):
        return Reason.OTHER_SENSE  # 昨晚主队吊打对手, 升至积分榜第一: a team's result
    if (
        (
            PET_OR_KIN.match(left)
            or (("家" in text or "屋头" in text) and PET_OR_KIN.match(_sentence_before(text, lo, folded) + left))
        )
        and _offers_nothing(folded(0, len(text)))  # 我家老公都说这款按摩椅最舒服，今天秒杀价 sells
    ) or ("我是" in left and SPEAKER_TRAIT.match(right)):
        return Reason.OTHER_SENSE  # 我家猫是全小区最胖的猫，没有之一; 朋友说我是全世界最懒的人
    if term.startswith("最") and FEELINGS.match(term[1:] + right) and EXPERIENCED.search(left):
        return Reason.OTHER_SENSE  # 这是我今年吃过最开心的一顿饭
    if term.startswith("最") and (
        left.endswith("现存")
        # the heritage words are plain hanzi: searched in the raw text, not a fold of all of it per hit
        or (HERITAGE.search(text) and "之1" in folded(hit.end, min(len(text), hit.end + MAX_CONTEXT)))
    ):
        return Reason.OTHER_SENSE  # 故宫…世界上现存规模最大…的古建筑群之一, 当地现存最古老的石拱桥: a monument's record
    if term.startswith("最") and FEELING_TIME.match(term[1:] + right):
        return Reason.OTHER_SENSE  # 今天收到包裹真的是最开心的一天
    if term == "最佳" and right.startswith(AWARD_TITLES + TERM_OF_ART_AFTER_BEST):
        return Reason.OTHER_SENSE  # 电影节最佳男主角, 路由器设置的最佳实践
    if term == "唯1" and (BELOVED.search(left) or right.startswith(UNIQUE_CODE)):
        return Reason.OTHER_SENSE  # 你是我世界里的唯一, 每件商品附带唯一防伪码
    if (
        term.startswith("最")
        and (
            (SEEN.search(left) and _offers_nothing(folded(0, len(text))))  # 这是我见过最好用的拖把，家人们冲 sells
            or (DIMENSION_SUPERLATIVE.match(term) and TROUBLE_AFTER.match(right))
            or COMPASS_END.match(term[1:] + right)
            or (left.endswith("已知") and SCIENCE_AFTER.search(right))
            or "朝代" in right
        )
    ):
        return Reason.OTHER_SENSE  # 我这辈子见过最亮的星空, 最大的挑战, 最北端的城市, 已知最坚硬的物质, 最开放的朝代
    if (DIMENSION_SUPERLATIVE.match(term) or term == "唯1") and FOUNDED.search(text):
        return Reason.OTHER_SENSE  # 都江堰始建于秦昭王末年，是…年代最久、唯一留存…的水利工程
    if term == "最高级" and right.startswith("别") and GRADING.search(text):
        return Reason.OFFICIAL_TITLE  # 葡萄酒等级说明：AOC是最高级别的法定产区酒
    if term == "天下第1" and right.startswith("难"):
        return Reason.OTHER_SENSE  # 天下第一难的事，就是中午想吃什么
    if (term.startswith("最") and (term[1:] + right).startswith(FAULT_QUALITIES)) or (
        "第1" in term and right.startswith(FAULT_QUALITIES)
    ):
        return Reason.OTHER_SENSE  # 最严重的一款少了18%, 全国第一难吃: a fault, which praises nothing
    if term.startswith("最") and right.startswith(PERSON_CREDITED):
        return Reason.OTHER_SENSE  # 最大的功臣是替补上场的辅助选手
    if term.endswith("第1") and right.startswith(VENUE_ROOMS):
        return Reason.ORDINAL  # 第一展厅展出新石器时代彩陶
    if term.startswith("最") and EXHIBITION.search(text) and _offers_nothing(folded(0, len(text))):
        return Reason.OTHER_SENSE  # 本馆最受关注的展品之一: an exhibition describes what it shows
    if DIMENSION_SUPERLATIVE.match(term) and left.endswith(RAISED_TO):
        return Reason.MEASUREMENT  # 攻击力提升至最高, 音量调到最大: a setting at its limit
    if term.startswith("最") and (
        VIEW_AT_TIME.search(left) or (left.endswith(SIGHT_WHEN) and (term[1:] + right).startswith(SIGHT_BEST))
    ):
        return Reason.OTHER_SENSE  # 日出时分光线最好, 秋天叶子黄了的时候最好看
    if term == "第1" and CITED_ITEM.match(text, hit.end):
        return Reason.ORDINAL  # 依据第五十七条第（一）项: an item of an article
    if term.startswith("最") and POSITION.match(term[1:] + right):
        return Reason.ORDINAL  # 证书编号在详情页最下面: a position, not a rank
    if term.startswith("最") and (term[1:] + right).startswith(POINT_MADE):
        return Reason.OTHER_SENSE  # 做买卖最要紧的是实在
    if (term.startswith("最") or "第1" in term) and _inside(SAYINGS, text, hit):
        return Reason.OTHER_SENSE  # 世上最远的距离，是我在被窝你在闹钟旁
    if term.startswith("最") and KIN_PERSON_AFTER.match(term[1:] + right) and KIN_SUBJECT.search(left):
        return Reason.OTHER_SENSE  # 我觉得奶奶是世界上最了不起的人
    if term.endswith("第1") and FEATURE_RANKED.match(right):
        return Reason.OTHER_SENSE  # 长江是中国第一长河
    if DIMENSION_SUPERLATIVE.match(term) and (SUMMIT_AFTER.match(right) or ("已知" in left and right.startswith("处"))):
        return Reason.OTHER_SENSE  # 泰山的最高点玉皇顶, 马里亚纳海沟是已知海洋最深处
    if term.startswith(OLD_TERMS) and OLD_TREE.match(right) and _offers_nothing(folded(0, len(text))):
        return Reason.OTHER_SENSE  # 我们村最老的一棵银杏树，据说已经有八百多年了
    if term.startswith("最高") and GRADE_TOP.match(term[2:] + right) and any(w in left for w in GRADE_SYSTEM):
        return Reason.OFFICIAL_TITLE  # 特级初榨是IOC标准中的最高等级
    if term.startswith("最") and TITLE_CLOSE in text[lo : hit.start] and _offers_nothing(folded(0, len(text))):
        return Reason.OTHER_SENSE  # 李白这首《静夜思》可能是中国人最熟悉的一首诗
    if term.startswith("最") and MODEL_LABEL.match(left) and OWN_MODELS.search(folded(0, len(text))):
        return Reason.SELF_COMPARISON  # 我们家这三款保温杯怎么选？…A款最轻
    if term in PERSON_RANKS and CONGRATULATED.match(left) and not _ranked_beyond(left):
        return Reason.OTHER_SENSE  # 恭喜你获得本周排行榜第一名
    if term == "万能" and right.startswith(UNIVERSAL_POLICY):
        return Reason.NAME  # 本产品为万能型保险: a kind of policy
    if term == "金牌" and SPORTS_EVENT.search(text):
        return Reason.OTHER_SENSE  # 电竞战队在亚运会…夺得金牌
    if term.startswith("最") and left.endswith(_SPEAKER) and SPEAKER_OWN_AFTER.match(term[1:] + right):
        return Reason.OTHER_SENSE  # 我最大的优点是能吃, 我最头疼的是…
    if (left.endswith(GAME_SERVER) and not right.startswith(GAME_GOODS)) or (term == "王者" and left.endswith(REACHED)):
        return Reason.OTHER_SENSE  # 王者荣耀国服最强露娜, 这赛季我终于上了王者
    if term == "吊打" and left.endswith(BEATEN_BY):
        return Reason.OTHER_SENSE  # 昨天排位被对面吊打: the speaker was beaten
    if term in ("无敌", "遥遥领先") and SPORTS_EVENT.search(_sentence_before(text, lo, folded) + left):
        return Reason.OTHER_SENSE  # 马拉松跑到三十公里处，他已经遥遥领先; EDG在决赛中打出了无敌的统治力
    if DIMENSION_SUPERLATIVE.match(term) and SCIENCE_NOUN_AFTER.match(right):
        return Reason.OTHER_SENSE  # 氢是最轻的元素
    if term.startswith("最") and BLOOM_BEFORE.search(left):
        return Reason.OTHER_SENSE  # 届时油菜花开得最盛
    if DIMENSION_SUPERLATIVE.match(term) and left.endswith(MEASURED_BEFORE):
        return Reason.MEASUREMENT  # 水在4℃时密度最大, 中国海拔最低的地方
    if term.startswith(MOST_OFTEN) and "我" in left:
        return Reason.OTHER_SENSE  # 我衣柜里最常穿的一件: how often the speaker wears it
    if (DIMENSION_SUPERLATIVE.match(term) and GEOGRAPHY.match(right)) or (
        term.startswith("最") and TRAFFIC.match(term[1:] + right)
    ):
        return Reason.OTHER_SENSE  # 长江是中国最长的河流, 二环路最拥堵的路段
    if (
        term == "第1"
        and not right
        and text[hi : hi + 1] in "，,、"
        and (
            (not left and ENUMERATED_NEXT.search(text, hi))
            or (not _ranked_beyond(left) and ENUMERATED_NEXT.match(text, hi + 1))
        )
    ):
        return Reason.ORDINAL  # 小编的建议是：第一，…；第二，…: an enumeration
    if ADOPTION.search(text):
        return Reason.OTHER_SENSE  # 这只小橘真的无敌可爱，寻找领养: an animal looking for a home, not goods
    if EXPERIENCED.search(left) and (PERSONAL_VIEW.search(text) or DECLARED_UNPAID.search(text)):
        return Reason.OTHER_SENSE  # 是我今年喝过最好喝的冷萃咖啡，纯主观感受: a consumer's own review
    if term == "唯1" and ATHLETE.search(left + right):
        return Reason.OTHER_SENSE  # 那一届奥运会上唯一一位卫冕成功的中国选手
    if term == "独1无2" and right.startswith(NOT_GOODS_UNIQUE):
        return Reason.OTHER_SENSE  # 送给独一无二的你
    if term == "至尊" and right.startswith(DISH):
        return Reason.NAME  # 菜单：超级至尊比萨（9寸）
    if term == "最佳" and left.endswith(MATCH_AWARD_BEFORE):
        return Reason.OTHER_SENSE  # 系统给了我全场最佳: the game's award to a player
    if GAME_TIER.match(term + right):
        return Reason.NAME  # 冲上最强王者段位
    if ASKING.search(left) and ASKED_WHERE.search(left + right):
        return Reason.OTHER_SENSE  # 有没有人知道哪家的…最正宗: the speaker asks, the goods are not ranked
    if CHARACTER_GOODS.match(right) and not left.endswith(RANK_SCOPE):
        return Reason.NAME
    if (
        hit.category is ViolationCategory.ABSOLUTE
        and not PRICE_WORDING.search(term)
        and (PREFERENCE_WHICH.search(left) or PREFERENCE_QUESTION.search(right))
    ):
        return Reason.OTHER_SENSE  # 大家最想要哪个颜色: a question to the audience, not a claim
    if term == "万能" and right.startswith(UNIVERSAL_FITS):
        return Reason.OTHER_SENSE
    if term.startswith(PERCENT_WORDS) and right.startswith(COMPOSITION):
        return Reason.MEASUREMENT
    if "第1" in term and term.endswith("第1") and right.startswith(ORDINAL_FOLLOWERS) and not left.endswith(RANK_SCOPE):
        return Reason.ORDINAL
    if (
        DIMENSION_SUPERLATIVE.match(term)
        and (
            _is_measurement(left, right)
            # 最大工作压力：70kPa: a parameter's label, its value after the colon
            or (text[hi : hi + 1] in "：:" and QUANTITY.match(folded(hi + 1, min(len(text), hi + 4))))
        )
    ):
        return Reason.MEASUREMENT
    reading = term + right[:2]
    if TIP_TERMS.match(reading) and (
        right.startswith(USAGE_NOUNS)
        or (term in ("最佳", "最好") and not right and _advised_use(folded(max(0, lo - MAX_CONTEXT), lo)))
        or (TIP_BY_QUANTITY.match(reading) and QUANTITY.search(left[-8:]))
        or (
            term in MODAL_TERMS
            and right
            and not right.startswith(ADJECTIVE_FOLLOWERS)
            and not left.endswith("是")
            and not _sense_adjective(right)
        )
    ):
        return Reason.CONSUMER_TIP
    if (term in ATTITUDE_TERMS and left.endswith(VALUE_NOUNS) and (not right or PHILOSOPHY_FOLLOWERS.match(right))) or (
        term in SERVICE_ATTITUDE_TERMS and left.endswith(SERVICE_NOUNS)
    ):
        return Reason.SERVICE_ATTITUDE
    if not PRICE_WORDING.search(term) and (GOAL_WORDS.search(left) or GOAL_FOLLOWERS.match(right)):
        return Reason.GOAL
    if (
        (term.startswith("最") or term == "首选" or (hit.category is ViolationCategory.PRICE and "最" in term))
        # 三款背包里这款全网最轻, 咖啡豆是世界上风味最佳的: a wider scope in the clause ranks beyond the set
        and not _ranked_beyond(left)
        and (
            SET_SCOPE.search(left)
            or SET_SCOPE.search(before := folded(max(0, lo - MAX_CONTEXT), lo))
            # 我们家面膜最好用 closes its clause on the claim; 本店卖得最好的是… goes on to name what the range holds,
            # and 我们家这款卖得最好 ranks by the shop's own sales
            or (BRAND_SCOPE.search(left) and (right or left.endswith(OWN_SALES)))
            or left.endswith(VARIANT_SUBJECT)
            or VARIANT_OBJECT.match(right)
            or VARIANT_COUNT.search(before)
            or OWN_RANGE.search(before)  # 在我们店所有的茶叶里，这款是最耐泡的
            or OWN_RANGE.search(left)
            or (OWN_HISTORY.search(left) and term[1:].startswith(("满", "得", "骄")))  # 做手工皂以来自己最满意的
            or (term[1:] + right).startswith(OWN_SKILL)  # 老板最拿手的: one's own best craft
            or (DIMENSION_SUPERLATIVE.match(term) and right.startswith(OWN_OFFER) and not left.endswith(RANK_SCOPE))
        )
    ):
        return Reason.SELF_COMPARISON
    if ("第1" in term or term.startswith("最")) and VARIANT_RANKED.match(right) and not _ranked_beyond(left):
        return Reason.SELF_COMPARISON
    if term in OFFICIAL_TITLE_TERMS and (WORLD_DESIGNATIONS if term in WORLD_TERMS else DESIGNATIONS).search(
        right[:12]
    ):
        return Reason.OFFICIAL_TITLE
    if RANK_LIKE.search(term) and SOURCED_RANK.search(folded(max(0, hit.start - _SOURCE_REACH), hit.start)):
        return Reason.CITED
    if RANK_LIKE.search(term) and TIME_OR_REGION.search(left) and CITATION.search(text):
        return Reason.CITED  # 2023年双11…成交额第一（数据来源：平台官方战报）: a dated rank with its source
    if hit.severity is Severity.HIGH and RANK_LIKE.search(term) and TIME_OR_REGION.search(left):
        return Reason.TIME_LIMITED
    return None


# RANK_SCOPE without the words that say by what something is ranked (销量, 排名 …), which a shop's own ranking uses too.
_WIDER_SCOPES = tuple(scope for scope in RANK_SCOPE if scope not in ("排名", "排行", "销量", "榜单", "榜"))


def _ranked_beyond(left: str) -> bool:
    """Whether the clause before a rank names a scope wider than the shop (全网, 行业, 同类 …)."""
    return any(scope in left for scope in _WIDER_SCOPES)


def _offers_nothing(whole: str) -> bool:
    """Whether the folded text sells nothing and ranks nothing in a market: no price, shop, link or call to buy,
    no 全网 or 行业."""
    return not SALE_CUES.search(whole) and not MARKET_SCOPE.search(whole)


def _inside(pattern: re.Pattern[str], text: str, hit: Hit) -> bool:
    """Whether a match of ``pattern`` in the raw text holds the hit."""
    return any(found.start() <= hit.start and hit.end <= found.end() for found in pattern.finditer(text))


def _sense_adjective(right: str) -> bool:
    """Whether 最好 + a verb of the senses is the adjective (最好看的口红, 这件最好看), not the modal "had better"
    (最好看一下说明书)."""
    return right[:1] in _SENSE_VERBS and (len(right) == 1 or right[1] == "的")


def _sentence_before(text: str, lo: int, folded: Callable[[int, int], str]) -> str:
    """The folded sentence up to the clause at ``lo``, from after the last sentence end within reach."""
    reach = max(0, lo - MAX_CONTEXT)
    start = max(text.rfind(mark, reach, lo) for mark in "。！？!?\n") + 1
    return folded(max(start, reach), lo)


def _advised_use(clause_before: str) -> bool:
    """Whether the clause before a closing 最佳 advises a use (建议用80℃的水冲泡，口感最佳)."""
    return bool(ADVISED.search(clause_before)) and any(noun in clause_before for noun in USAGE_NOUNS)


def _is_measurement(left: str, right: str) -> bool:
    right = right.removeprefix("嘅")  # Cantonese 的: 最细嘅尺寸
    if right.startswith(NOT_MEASURES):
        return False
    return bool(
        QUANTITY.search(right[:8])
        or QUANTITY.search(left[-6:])
        or right.startswith(MEASURE_NOUNS)
        or SIZE_TOKEN.search(right[:6])
    )
