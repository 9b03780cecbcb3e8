"""Context of a lexicon hit: is the wording lawful where it stands?

A word list cannot tell 第一层 (the first layer of a jacket) from 第一品牌, 不保本 (a risk disclosure the
regulator requires) from 保本, or 最佳使用时间 (a consumer tip) from 最佳面霜. 市场监管总局《广告绝对化用语执法
指南》(2023) says which uses are not absolute claims; this module recognises them from the hit's clause — the
text between clause punctuation around it — rather than from ever-longer exception lists:

* **negation scope** — a negator governs the hit when it stands right before it (不保本, 不能降血糖), or
  reaches it through a verb of saying, having or being able (不敢说是最好的, 不具有任何…治疗功能, 我们不做任何
  保本承诺), or through other hits coordinated with a negated one (没有美白祛斑的作用); discourse negations
  (不得不说, 不骗你们, 不仅) and a second predicate (不含激素是最好的) end the scope;
* **ordinals** — 第一 followed by a classifier or a sequence noun is an ordinal (第一层, 第一排, 第一视角),
  unless a ranking scope precedes it (全国第一家, 销量第一);
* **measurements and the product's own specifications** — a dimension superlative next to a quantity
  (最大容量5升, 最长续航12小时, 最快当天发货);
* **consumer tips** (指南第五条第二项) — 最佳/最好 before a use, a time or a temperature, and 最好 as the modal
  "had better" (最好冷藏, 最好先试用);
* **service attitude and business philosophy** (指南第四条) — 质量第一, 顾客第一, 服务态度一流, and goals
  (我们的目标是做最好的…, 尽最大努力);
* **comparison within the brand** (指南第五条第一项) — 本店卖得最好的, 我们系列里最…;
* **official titles and standard grades** (指南第五条第三、六项) — 国家级非物质文化遗产, 国家级高新技术企业;
* **names and trademarks** (指南第五条第四项) — 治愈系玩具, 至尊版, a title in 《》, what something 叫;
* **time and order words** — 最后一天发货 is a shipping schedule; **another sense** — 质检一次通过 is no
  training result;
* **other readings of the words** (issue #20, second round) — a potential complement (根治不了) and an A-not-A
  question (见效快不快) deny or ask; 第一名下单的 is the first customer; 百分百纯羊绒 is a fibre label; 抗皱面料 a
  fabric finish; 万能转接头 a universal fit; 招财进宝图案 a printed pattern; 最高档次 a grade, not a dimension; and at
  world level only conferred designations are titles (世界级非遗, not 世界级大师);
* **time- or region-limited facts** (指南第五条第七项) — lawful only when provable, so they are sent to review
  (severity lowered to medium) rather than dropped.

Everything runs only for texts that have hits, on the few characters around each, so clean text costs nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from enum import StrEnum

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
    INSPECTION,
    LOGISTICS,
    MEASURE_NOUNS,
    MODAL_TERMS,
    NAME_SUFFIXES,
    NAMING_WORDS,
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
from wanghong.compliance.engine.context_words_senses import (
    ADVISED,
    APPROVED_FUNCTION,
    ARTEFACT,
    ASKED_WHERE,
    ASKING,
    BREAST_MILK,
    CHARACTER_GOODS,
    CITATION,
    CITATION_NEEDED,
    CLAIMING_VERBS,
    COMMEMORATED,
    COMPANY_NAME,
    CONTEST,
    DECLINED_AFTER,
    DECORATION,
    DENIED_VERB,
    DONT_ASK,
    ELECTRICAL_AFTER,
    EVERY_DAY,
    FEELING_SUBJECTS,
    FEELINGS,
    FIRST_SHOP,
    FOOD_LABEL,
    INSTITUTION,
    JADE,
    JADE_GRADES,
    LINK_NUMBER,
    LISTED_COUNT,
    LISTED_ITEM_CAP,
    LOAN,
    LOCATIVE,
    MATERIAL_NOUNS,
    MEDICAL_REFERRAL,
    MODAL_ADVERBS,
    MODAL_HEADS,
    MOOD_BEFORE,
    NAMED_AFTER,
    NON_SALE_EVENTS,
    NOT_GOODS_AFTER_BEST,
    NOT_SOLD,
    OFFER_END,
    OFFER_END_REACH,
    ONLY_CAVEAT,
    OTHER_PLACE,
    OWN_FIRST_STORE,
    OWN_HISTORY,
    OWN_RANGE,
    OWN_RANKING,
    OWN_REISSUE,
    OWN_SKILL,
    PAST_TIME,
    PERSON,
    PERSON_RANKS,
    PLACE_NAME,
    PREFERENCE_QUESTION,
    PREFERENCE_WHICH,
    PRICE_TREND,
    PRIZE_AFTER,
    REAL_ESTATE,
    REAL_ESTATE_ITEMS,
    REGISTERED_COSMETIC,
    REGISTERED_HEALTH_FOOD,
    REPLICA_CUES,
    RISK_SUPERLATIVE,
    SERVICE_ATTITUDE_TERMS,
    SET_SCOPE,
    SHOE_LIFT,
    SHOP_NAME,
    SOURCED_RANK,
    STOCK_LEFT,
    TEAM,
    TOP_FLIGHT,
    UNIVERSAL_FITS,
    VARIANT_RANKED,
    WARNING_REACH,
    WARNING_TOPIC,
    WARNING_WORDS,
    WELCOME,
)
from wanghong.compliance.engine.discourse import Discourse, Frames
from wanghong.compliance.engine.hits import Hit, MatchKind
from wanghong.compliance.engine.library import ViolationCategory
from wanghong.compliance.engine.negation import negated, negated_inside
from wanghong.domain import Severity

# Clause punctuation (full and half width); the context of a hit never crosses one.
_CLAUSE_MARKS = frozenset('，。！？；：,.!?;:\n\r\t…、~～|（）()【】[]「」『』“”"')
_MAX_CONTEXT = 24  # characters of clause kept on each side; Chinese clauses are rarely longer
_NOT_A_MARK = "[^" + re.escape("".join(sorted(_CLAUSE_MARKS))) + "]"
# Greedy, so that matching it from the window start up to the hit backtracks to the LAST mark: linear, where
# searching for a mark-free tail tries every start position (≈6× slower when a mark is near).
_UP_TO_LAST_MARK = re.compile("(?s:.*)[" + re.escape("".join(sorted(_CLAUSE_MARKS))) + "]")
_CLAUSE_HEAD = re.compile(f"{_NOT_A_MARK}{{0,{_MAX_CONTEXT}}}")
# A quotation closed and called a character or word inside a pattern's match: 说了“最”字, “第一”二字.
_QUOTED_CHARACTER = re.compile("[”’」』\"'](?:字|词|2字|两个字|这个字|这个词)")
_TIER_QUANTITY = re.compile("[0-9]+[件个箱份斤kg]")
_SOURCE_REACH = 48  # characters before a rank read for its source, which often has a clause of its own


class Reason(StrEnum):
    """Why a hit's context makes it lawful (or, for TIME_LIMITED, a matter for a reviewer)."""

    NEGATED = "negated"
    ORDINAL = "ordinal"
    MEASUREMENT = "measurement"
    CONSUMER_TIP = "consumer_tip"
    SERVICE_ATTITUDE = "service_attitude"
    GOAL = "goal"
    SELF_COMPARISON = "self_comparison"
    OFFICIAL_TITLE = "official_title"
    NAME = "name"
    TIME_LIMITED = "time_limited"
    TIME_ORDER = "time_order"
    OTHER_SENSE = "other_sense"
    ANSWERED = "answered"  # asked and denied (see discourse.py)
    ASKED = "asked"  # a viewer's question, not a claim (see discourse.py)
    REPORTED = "reported"  # others' words, refuted or warned against (see discourse.py)
    CITED = "cited"  # the fact the claim needs is documented in the text (a source, a patent or registration number)


class ContextJudge:
    """Applies the rules of the module docstring to the hits of one text. ``fold`` is the scanner's per-character
    fold (width, traditional → simplified, 一 → 1, punctuation deleted), so the rules read normalised words."""

    def __init__(self, fold: Callable[[str], str]) -> None:
        self._fold = fold
        self._discourse = Discourse(fold)

    def judge(self, text: str, hits: Sequence[Hit], aligned: str | None = None) -> list[Hit]:
        """The hits that stand, in order; a time- or region-limited rank claim comes back at medium severity.

        ``aligned``, when the caller has it, is ``text`` folded character by character in place: the same length,
        each character's fold or NUL where the fold deletes it (the scanner's fold array, decoded), so that
        ``fold(text[a:b])`` is ``aligned[a:b]`` without its NULs — a slice and a replace instead of a dictionary
        lookup per character, which was a sixth of the rules' time."""
        kept: list[Hit] = []
        # Read once per text, and only for a hit the clause rules let stand.
        frames = functools.cache(lambda: self._discourse.frames(text, aligned))
        for hit in hits:
            reason = self.reason(text, hit, hits, aligned, frames)
            if reason is None:
                kept.append(hit)
            elif reason is Reason.TIME_LIMITED:
                kept.append(replace(hit, severity=Severity.MEDIUM))
        return kept

    def reason(
        self,
        text: str,
        hit: Hit,
        hits: Sequence[Hit] = (),
        aligned: str | None = None,
        frames: Callable[[], Frames | None] | None = None,
    ) -> Reason | None:
        """Why ``hit`` is lawful in ``text`` (or only reviewable), or None when it is a claim (``aligned``: see
        :meth:`judge`; ``frames``, the text's discourse frames when the caller keeps them for all its hits)."""
        found = self._clause_reason(text, hit, hits, aligned)
        if found is not None and found is not Reason.TIME_LIMITED:
            return found
        # A time-limited rank is still read for its frame: 主播这个颜色是不是今年最火的？ asks, it claims nothing.
        read = frames() if frames is not None else self._discourse.frames(text, aligned)
        framed = None if read is None else self._discourse_reason(text, hit, aligned, read)
        # Prohibited goods stay prohibited whether asked for or named (a question about 电子烟 is still about selling
        # it); only a warning or notice against them (消协警示：电子烟不能帮助戒烟) is no offer of them.
        if hit.category is ViolationCategory.PROHIBITED and framed is not Reason.REPORTED:
            return found
        return framed if framed is not None else found

    def _discourse_reason(self, text: str, hit: Hit, aligned: str | None, frames: Frames) -> Reason | None:
        discourse = self._discourse
        if frames.question and discourse.asked_and_denied(text, hit.start, hit.end, aligned):
            return Reason.ANSWERED
        if frames.question and discourse.asked_by_viewer(text, hit.start, hit.end, aligned):
            return Reason.ASKED
        if (frames.report or frames.quotation) and discourse.reported_and_refuted(
            text, hit.start, hit.end, aligned, frames
        ):
            return Reason.REPORTED
        if frames.quotation and discourse.quoted_name(text, hit.start, hit.end, aligned):
            return Reason.NAME
        return None

    @staticmethod
    def _enumeration_negated(
        text: str, hit: Hit, hits: Sequence[Hit], clause_start: int, folded: Callable[[int, int], str]
    ) -> bool:
        """Whether the negation of an enumeration reaches a hit that opens one of its later items:
        不具有转运、招财等功效 (the clause of a hit ends at 、, the enumeration does not)."""
        start = clause_start
        while start > 0 and text[start - 1] == "、":
            start = _clause(text, start - 1, start - 1)[0]
        left = folded(start, hit.start)
        return negated(left, lambda: [folded(h.start, h.end) for h in hits if start <= h.start and h.end <= hit.start])

    def _clause_reason(self, text: str, hit: Hit, hits: Sequence[Hit], aligned: str | None) -> Reason | None:
        """The rules that read the hit's clause alone."""
        lo, hi = _clause(text, hit.start, hit.end)
        if aligned is None:
            fold = self._fold

            def folded(start: int, end: int) -> str:
                return fold(text[start:end])

        else:

            def folded(start: int, end: int) -> str:
                return aligned[start:end].replace("\0", "")

        left, right = folded(lo, hit.start), folded(hit.end, hi)
        if _QUOTED_CHARACTER.search(text, hit.start, hit.end):
            return Reason.REPORTED  # 主播口误说了“最”字: the character is named, not used
        if hit.category is ViolationCategory.PROHIBITED:
            if left.endswith(NOT_SOLD):
                return Reason.NEGATED  # 直播间不售电子烟
            if folded(hit.start, hit.end) in JADE_GRADES and JADE.search(folded(0, len(text))):
                return Reason.OTHER_SENSE
            if left.endswith("非"):
                return Reason.OTHER_SENSE  # 非处方药: an over-the-counter drug
            if (
                folded(hit.start, hit.end) == "复刻"
                and OWN_REISSUE.search(whole := folded(0, len(text)))
                and not REPLICA_CUES.search(whole)
            ):
                return Reason.OTHER_SENSE  # 品牌创立时的第一款产品，今年复刻了: the brand reissues its own design
        if (
            hit.category is ViolationCategory.FALSE_PROMOTION
            and CITATION.search(text)
            and any(word in hit.term for word in CITATION_NEEDED)
        ):
            return Reason.CITED
        if hit.category is ViolationCategory.COSMETICS and REGISTERED_COSMETIC.search(text):
            return Reason.CITED
        if hit.category is ViolationCategory.COSMETICS and "无添加" in hit.matched_text and _is_food_label(text):
            return Reason.OTHER_SENSE  # 配料表只有大米、核桃粉两种，无添加蔗糖: a food's label
        if hit.category is ViolationCategory.MEDICAL and (
            APPROVED_FUNCTION.search(left) or REGISTERED_HEALTH_FOOD.search(text)
        ):
            return Reason.CITED
        if hit.category is not ViolationCategory.PROHIBITED and (
            negated(left, lambda: [folded(h.start, h.end) for h in hits if lo <= h.start and h.end <= hit.start])
            or (not left and lo > 0 and text[lo - 1] == "、" and self._enumeration_negated(text, hit, hits, lo, folded))
        ):
            return Reason.NEGATED
        if (
            hit.match is MatchKind.PATTERN
            and _FAKE_REVIEWS in hit.article
            and negated_inside(left, folded(hit.start, hit.end))
        ):
            return Reason.NEGATED
        if hit.category is not ViolationCategory.PROHIBITED and (
            right.startswith("不了")
            or DENIED_VERB.match(folded(hit.start, hit.end))
            or DECLINED_AFTER.match(right)
            or DONT_ASK.search(left)
        ):
            return Reason.NEGATED  # 根治不了, 治不了颈椎病: the potential complement denies the verb
        if hit.category is ViolationCategory.OFF_PLATFORM and WARNING_WORDS.search(
            folded(max(0, hit.start - WARNING_REACH), hit.start) + "|" + folded(hit.end, hit.end + WARNING_REACH)
        ):
            return Reason.NEGATED  # 私下交易平台不保障，千万别信: a warning against what the words name
        if hit.match is MatchKind.PHONETIC and _inside_latin_word(text, hit.start):
            return Reason.OTHER_SENSE  # CADR值: the last letter of an English word is no pinyin initial (r值 ≠ 燃脂)
        if hit.match is MatchKind.PHONETIC and text[hit.start] in MODAL_HEADS and left.endswith(MODAL_ADVERBS):
            return Reason.OTHER_SENSE  # 一定要装稳 is not 药妆: the reading joins a modal phrase to the verb after it
        if right.startswith(("不" + text[hit.end - 1], "没" + text[hit.end - 1])):
            return Reason.OTHER_SENSE  # 见效快不快: an A-not-A question asks, it does not claim
        if (
            _in_title_marks(text, hit)
            or left.endswith(NAMING_WORDS)
            or right.startswith(NAME_SUFFIXES)
            or NAMED_AFTER.match(right)
            or (not left and hit.matched_text.startswith(("第一", "第1")) and SHOP_NAME.match(right))
            or (left.endswith(WELCOME) and "直播间" in right)
            or _company_name(left, right)
        ):
            return Reason.NAME
        if right.startswith(WARNING_TOPIC):
            return Reason.REPORTED
        if hit.matched_text.startswith("增高") and left.endswith(SHOE_LIFT):
            return Reason.OTHER_SENSE
        if hit.category is ViolationCategory.EDUCATION and (left.endswith(INSPECTION) or right.startswith(INSPECTION)):
            return Reason.OTHER_SENSE
        if hit.category is ViolationCategory.SUPERSTITION and (DECORATION.match(right) or ARTEFACT.match(right)):
            return Reason.NAME
        if hit.category is ViolationCategory.COSMETICS and (
            right.startswith(MATERIAL_NOUNS) or left.endswith(MATERIAL_NOUNS)
        ):
            return Reason.OTHER_SENSE
        if hit.category is ViolationCategory.MEDICAL and right.startswith(ELECTRICAL_AFTER):
            return Reason.OTHER_SENSE
        if hit.category is ViolationCategory.INVESTMENT and "年化利率" in hit.matched_text and LOAN.search(text):
            return Reason.OTHER_SENSE  # 贷款…年化利率区间7.2%至18%: a loan's disclosed rate
        if hit.category is ViolationCategory.MEDICAL and right.startswith(MEDICAL_REFERRAL):
            return Reason.OTHER_SENSE
        if hit.category is ViolationCategory.PRICE and right.startswith(LOGISTICS):
            return Reason.TIME_ORDER
        if hit.category is ViolationCategory.PRICE and "价" in hit.matched_text and right.startswith(PRICE_TREND):
            return Reason.OTHER_SENSE  # 产地批发价较去年下降: a market price and its trend
        if (
            hit.category is ViolationCategory.PRICE
            and text[hit.end : hit.end + 1] in ("：", ":")
            and _tiers(folded(hit.end, hit.end + _MAX_CONTEXT))
        ):
            return Reason.MEASUREMENT  # 批发价：50件以上每件28元: the price table itself
        if (
            any(item in hit.article for item in REAL_ESTATE_ITEMS)
            and "第二十五条" not in hit.article
            and OTHER_PLACE.search(whole := folded(0, len(text)))
            and not REAL_ESTATE.search(whole)
        ):
            return Reason.OTHER_SENSE  # 民宿离古镇步行十分钟: no property is advertised
        if hit.category not in (ViolationCategory.ABSOLUTE, ViolationCategory.PRICE):
            return None
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
            and LISTED_COUNT.search(folded(max(0, lo - _MAX_CONTEXT), lo))
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
            )
        ):
            # 最后三十单，拍完下架 / 只剩最后两件 / 最后一次保养在去年: a stated end, the stock left, a past event
            return Reason.TIME_ORDER
        if term in PERSON_RANKS and CONTEST.search(left) and PERSON.search(left) and not left.endswith(RANK_SCOPE):
            return Reason.OTHER_SENSE  # 我女儿运动会拿了第一名: a person's result, not a rank of the goods
        if term in PERSON_RANKS and right.startswith(PRIZE_AFTER):
            return Reason.OTHER_SENSE  # 第一名的奖品是一箱苹果: the winner of the room's game
        if term in PERSON_RANKS and not left and OWN_RANKING.search(folded(max(0, lo - _MAX_CONTEXT), lo)):
            return Reason.SELF_COMPARISON  # 本店销量排名第二的，第一名已经卖断货了
        if left.endswith(TEAM):
            return Reason.OTHER_SENSE  # 昨晚主队吊打对手: a team's result
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
        if (
            "第1" in term
            and term.endswith("第1")
            and right.startswith(ORDINAL_FOLLOWERS)
            and not left.endswith(RANK_SCOPE)
        ):
            return Reason.ORDINAL
        if DIMENSION_SUPERLATIVE.match(term) and _is_measurement(left, right):
            return Reason.MEASUREMENT
        reading = term + right[:2]
        if TIP_TERMS.match(reading) and (
            right.startswith(USAGE_NOUNS)
            or (term in ("最佳", "最好") and not right and _advised_use(folded(max(0, lo - _MAX_CONTEXT), lo)))
            or (TIP_BY_QUANTITY.match(reading) and QUANTITY.search(left[-8:]))
            or (term in MODAL_TERMS and right and not right.startswith(ADJECTIVE_FOLLOWERS) and not left.endswith("是"))
        ):
            return Reason.CONSUMER_TIP
        if (
            term in ATTITUDE_TERMS and left.endswith(VALUE_NOUNS) and (not right or PHILOSOPHY_FOLLOWERS.match(right))
        ) or (term in SERVICE_ATTITUDE_TERMS and left.endswith(SERVICE_NOUNS)):
            return Reason.SERVICE_ATTITUDE
        if not PRICE_WORDING.search(term) and (GOAL_WORDS.search(left) or GOAL_FOLLOWERS.match(right)):
            return Reason.GOAL
        if (
            (term.startswith("最") or term == "首选" or (hit.category is ViolationCategory.PRICE and "最" in term))
            # 三款背包里这款全网最轻, 咖啡豆是世界上风味最佳的: a wider scope in the clause ranks beyond the set
            and not _ranked_beyond(left)
            and (
                SET_SCOPE.search(left)
                or SET_SCOPE.search(before := folded(max(0, lo - _MAX_CONTEXT), lo))
                or BRAND_SCOPE.search(left)
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


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]``, at most ``_MAX_CONTEXT`` characters on each side."""
    lo = max(0, start - _MAX_CONTEXT)
    before = _UP_TO_LAST_MARK.match(text, lo, start)
    after = _CLAUSE_HEAD.match(text, end)
    return (before.end() if before else lo), (after.end() if after else end)


# The article on fake reviews and orders: its patterns bridge a review and a reward with a gap of free text (好评…返现),
# which may hold a negator of the reward. Elsewhere a negator inside a pattern is often the claim itself (无毒无害,
# 永不褪色, 没有任何中间商, 平台上不能发).
_FAKE_REVIEWS = "《电子商务法》第十七条"


# RANK_SCOPE without the words that say by what something is ranked (销量, 排名 …), which a shop's own ranking uses too.
_WIDER_SCOPES = tuple(scope for scope in RANK_SCOPE if scope not in ("排名", "排行", "销量", "榜单", "榜"))


def _ranked_beyond(left: str) -> bool:
    """Whether the clause before a rank names a scope wider than the shop (全网, 行业, 同类 …)."""
    return any(scope in left for scope in _WIDER_SCOPES)


def _inside_latin_word(text: str, start: int) -> bool:
    """Whether the hit opens with one Latin letter that ends a word of at least three (CADR值): a pinyin initial
    there is the word's last letter, where a syllable inside a longer pinyin run (lishizuidijia) is not."""

    def latin(i: int) -> bool:
        return 0 <= i < len(text) and text[i].isascii() and text[i].isalpha()

    return latin(start) and not latin(start + 1) and latin(start - 1) and latin(start - 2)


def _tiers(after: str) -> bool:
    """Whether ``after`` reads as a price table: quantities with a price each (50件以上每件28元)."""
    return bool(_TIER_QUANTITY.match(after)) and "元" in after


def _company_name(left: str, right: str) -> bool:
    """Whether the hit opens a company's name (see COMPANY_NAME): not after a verb that makes it a claim, and with a
    looser form than the legal one not after a rank scope either."""
    name = COMPANY_NAME.match(right)
    if name is None or left.endswith(CLAIMING_VERBS):
        return False
    return name["registered"] is not None or not left.endswith(RANK_SCOPE)


def _is_food_label(text: str) -> bool:
    return any(word in text for word in FOOD_LABEL)


def _advised_use(clause_before: str) -> bool:
    """Whether the clause before a closing 最佳 advises a use (建议用80℃的水冲泡，口感最佳)."""
    return bool(ADVISED.search(clause_before)) and any(noun in clause_before for noun in USAGE_NOUNS)


def _is_measurement(left: str, right: str) -> bool:
    if right.startswith(NOT_MEASURES):
        return False
    return bool(
        QUANTITY.search(right[:8])
        or QUANTITY.search(left[-6:])
        or right.startswith(MEASURE_NOUNS)
        or SIZE_TOKEN.search(right[:6])
    )


def _in_title_marks(text: str, hit: Hit) -> bool:
    """Inside 《…》: the title of a book, film, show or song."""
    opening = text.rfind("《", 0, hit.start)
    return opening >= 0 and text.find("》", hit.end) >= 0 and text.rfind("》", opening, hit.start) < 0
