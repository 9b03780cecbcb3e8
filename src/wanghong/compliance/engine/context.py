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

from wanghong.compliance.engine.context_ranks import rank_reason
from wanghong.compliance.engine.context_words import (
    INSPECTION,
    LOGISTICS,
    MAX_CONTEXT,
    NAME_SUFFIXES,
    NAMING_WORDS,
    ORDINAL_FOLLOWERS,
    RANK_SCOPE,
)
from wanghong.compliance.engine.context_words_scenes import (
    FOLKLORE,
    GAME_CUES,
    RETURN_CAVEAT,
    SPEAKER_LABEL_MARKS,
    TITLE_CONFERRED,
)
from wanghong.compliance.engine.context_words_senses import (
    APPROVED_FUNCTION,
    APPROVED_LABEL,
    ARTEFACT,
    ASKED_FOR,
    BENCHMARK_DISCLOSURE,
    CITATION,
    CITATION_NEEDED,
    CLAIMING_VERBS,
    CLINIC_NOTICE,
    COMPANY_NAME,
    DECLINED_AFTER,
    DECORATION,
    DEGREE_DENIED,
    DEGREE_NOUNS,
    DENIED_VERB,
    DONT_ASK,
    DRUG_RESEARCH,
    ELECTRICAL_AFTER,
    EXERCISE,
    FACILITY_AFTER,
    FOOD_LABEL,
    JADE,
    JADE_GRADES,
    JOB_AD,
    JOB_TERMS,
    LOAN,
    MATERIAL_NOUNS,
    MEDICAL_ADVICE,
    MEDICAL_REFERRAL,
    MODAL_ADVERBS,
    MODAL_HEADS,
    NAMED_AFTER,
    NOT_SOLD_ANY,
    OFFER_CUES,
    OTHER_PLACE,
    OWN_EARLIER,
    OWN_REISSUE,
    PENALISED,
    PERSON_NAMED,
    PRICE_TREND,
    REAL_ESTATE,
    REAL_ESTATE_ITEMS,
    REFUSED_AFTER,
    REGISTERED_COSMETIC,
    REGISTERED_HEALTH_FOOD,
    REPLICA_CUES,
    SECOND_HAND,
    SHOE_LIFT,
    SHOP_NAME,
    TEMPERATURE_SIGNS,
    TRANSLATED_AS,
    TRIAL_STAGE,
    WARNING_REACH,
    WARNING_TOPIC,
    WARNING_WORDS,
    WELCOME,
)
from wanghong.compliance.engine.discourse import CLOSE_QUOTES, OPEN_QUOTES, Discourse, Frames
from wanghong.compliance.engine.hits import Hit, MatchKind
from wanghong.compliance.engine.library import ViolationCategory
from wanghong.compliance.engine.negation import negated, negated_inside
from wanghong.compliance.engine.reasons import Reason
from wanghong.domain import Severity

# Clause punctuation (full and half width); the context of a hit never crosses one.
_CLAUSE_MARKS = frozenset('，。！？；：,.!?;:\n\r\t…、~～|（）()【】[]「」『』“”"')
_NOT_A_MARK = "[^" + re.escape("".join(sorted(_CLAUSE_MARKS))) + "]"
# Greedy, so that matching it from the window start up to the hit backtracks to the LAST mark: linear, where
# searching for a mark-free tail tries every start position (≈6× slower when a mark is near).
_UP_TO_LAST_MARK = re.compile("(?s:.*)[" + re.escape("".join(sorted(_CLAUSE_MARKS))) + "]")
_CLAUSE_HEAD = re.compile(f"{_NOT_A_MARK}{{0,{MAX_CONTEXT}}}")
# A quotation closed and called a character or word inside a pattern's match: 说了“最”字, “第一”二字, 用“最”造句.
_QUOTED_CHARACTER = re.compile("[”’」』\"'](?:字|词|2字|两个字|这个字|这个词|表示|的意思|的用法|造句|组词)")
_TIER_QUANTITY = re.compile("[0-9]+[件个箱份斤kg]")
_LATIN_CODE = re.compile("[A-Z][A-Z0-9]+")


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
        if _QUOTED_CHARACTER.search(text, hit.start, min(len(text), hit.end + 5)):
            return Reason.REPORTED  # 主播口误说了“最”字: the character is named, not used
        if (exercise := EXERCISE.search(text)) is not None and exercise.start() < hit.end:
            return Reason.REPORTED  # 请用“最”造句。小明：我最想放假: the sentences of a language exercise
        if hit.category is ViolationCategory.PROHIBITED:
            if NOT_SOLD_ANY.search(left):
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
        if hit.category is ViolationCategory.FALSE_PROMOTION and OWN_EARLIER.match(folded(hit.start, hit.end)):
            return Reason.SELF_COMPARISON  # 新店座位比老店多一倍: the seller's own earlier store or model
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
        if hit.category is ViolationCategory.MEDICAL and _names_no_goods(text):
            return Reason.OTHER_SENSE  # a drug trial reported, a job advertised: no goods claim to cure
        if hit.category is ViolationCategory.MEDICAL and (
            APPROVED_FUNCTION.search(left)
            or REGISTERED_HEALTH_FOOD.search(text)
            or APPROVED_LABEL.search(text, max(0, lo - 8), lo)
        ):
            return Reason.CITED
        if hit.category is not ViolationCategory.PROHIBITED and (
            negated(left, lambda: [folded(h.start, h.end) for h in hits if lo <= h.start and h.end <= hit.start])
            # 不得以返现、红包、赠品等利益诱导…好评: the negator before the enumeration governs what follows it
            or (lo > 0 and text[lo - 1] == "、" and self._enumeration_negated(text, hit, hits, lo, folded))
            # 也不收取任何“保过费”, 不能随便用“最好”“最便宜”: the negator stands before the quotations that open the
            # hit's clause
            or (
                not left
                and lo > 0
                and text[lo - 1] in OPEN_QUOTES
                and negated(_before_quotation(text, _quotation_run_start(text, lo - 1), folded), list)
            )
            or (left.endswith(DEGREE_DENIED) and right.startswith(DEGREE_NOUNS))  # 还没到无敌的程度
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
        if hit.category in (ViolationCategory.PROHIBITED, ViolationCategory.MEDICAL) and _medical_advice(text, folded):
            return Reason.OTHER_SENSE  # 阿莫西林是处方药，需要凭医生处方购买，请不要自行服用抗生素
        if (
            hit.category is ViolationCategory.OFF_PLATFORM
            and ASKED_FOR.search(left)
            and REFUSED_AFTER.search(folded(hit.end, len(text)))
        ):
            return Reason.ASKED  # 有顾客问能不能加微信单独买…我们不加私人微信: the request named and refused
        if hit.category is ViolationCategory.OFF_PLATFORM and WARNING_WORDS.search(
            folded(max(0, hit.start - WARNING_REACH), hit.start) + "|" + folded(hit.end, hit.end + WARNING_REACH)
        ):
            return Reason.NEGATED  # 私下交易平台不保障，千万别信: a warning against what the words name
        if hit.match is MatchKind.PHONETIC and not TEMPERATURE_SIGNS.isdisjoint(hit.matched_text):
            return Reason.MEASUREMENT  # 水在4℃时: the sign folds to c, and 4c is no 私彩
        if hit.match is MatchKind.PHONETIC and (
            _inside_latin_word(text, hit.start) or _opens_latin_code(text, hit.end) or _speaker_label_in(text, hit)
        ):
            return Reason.OTHER_SENSE  # CADR值: the last letter of an English word is no pinyin initial (r值 ≠ 燃脂)
        if hit.match is MatchKind.PHONETIC and text[hit.start] in MODAL_HEADS and left.endswith(MODAL_ADVERBS):
            return Reason.OTHER_SENSE  # 一定要装稳 is not 药妆: the reading joins a modal phrase to the verb after it
        if right.startswith(("不" + text[hit.end - 1], "没" + text[hit.end - 1])):
            return Reason.OTHER_SENSE  # 见效快不快: an A-not-A question asks, it does not claim
        if (
            _in_title_marks(text, hit)
            or _conferred_title(text, hit)
            or left.endswith(NAMING_WORDS)
            or right.startswith(NAME_SUFFIXES)
            or NAMED_AFTER.match(right)
            or PERSON_NAMED.search(left)  # 老板女儿的名字，叫王唯一
            or (not left and hit.matched_text.startswith(("第一", "第1")) and SHOP_NAME.match(right))
            or (left.endswith(WELCOME) and "直播间" in right)
            or _company_name(left, right)
        ):
            return Reason.NAME
        if right.startswith(WARNING_TOPIC):
            return Reason.REPORTED
        if _translated(text, lo, hi, folded):
            return Reason.REPORTED  # 照直翻成“我是最强的”就行, “the best”直译为: a translation and its source, quoted
        if hit.matched_text.startswith("增高") and left.endswith(SHOE_LIFT):
            return Reason.OTHER_SENSE
        if hit.category is ViolationCategory.EDUCATION and (left.endswith(INSPECTION) or right.startswith(INSPECTION)):
            return Reason.OTHER_SENSE
        if hit.category is ViolationCategory.SUPERSTITION and (DECORATION.match(right) or ARTEFACT.match(right)):
            return Reason.NAME
        if hit.category is ViolationCategory.SUPERSTITION and FOLKLORE.search(text) and not _offers(text, folded):
            return Reason.REPORTED  # 古人认为可以辟邪纳福，这一习俗延续了上千年: a custom described, nothing sold
        # 过去一年的年化是3.1%，但这只是历史数据，不代表以后: a past return and its caveat
        if hit.category is ViolationCategory.INVESTMENT and "年化" in hit.matched_text and RETURN_CAVEAT.search(text):
            return Reason.OTHER_SENSE
        if hit.category is ViolationCategory.COSMETICS and (
            right.startswith(MATERIAL_NOUNS) or left.endswith(MATERIAL_NOUNS)
        ):
            return Reason.OTHER_SENSE
        if hit.category is ViolationCategory.MEDICAL and right.startswith(ELECTRICAL_AFTER):
            return Reason.OTHER_SENSE
        if hit.category is ViolationCategory.INVESTMENT and BENCHMARK_DISCLOSURE in text and "年化" in hit.matched_text:
            return Reason.OTHER_SENSE  # 业绩比较基准为年化3.0%-3.8%: the benchmark a wealth product must disclose
        if hit.category is ViolationCategory.PRICE and "原价" in hit.matched_text and SECOND_HAND.search(text):
            return Reason.OTHER_SENSE  # 自用九成新…原价399，现价150: a private seller's own purchase price
        if hit.category is ViolationCategory.MEDICAL and (right.startswith(FACILITY_AFTER) or "因人而异" in right):
            return Reason.OTHER_SENSE  # 康复理疗室, 治疗效果因人而异
        if hit.category is ViolationCategory.FALSE_PROMOTION and "报道" in hit.matched_text and PENALISED.search(text):
            return Reason.REPORTED  # 据新华社报道，某商家因…被市场监管部门罚款
        if (
            hit.match is MatchKind.PHONETIC
            and hit.matched_text[:1].isdigit()
            and hit.matched_text[1:].startswith(ORDINAL_FOLLOWERS)
        ):
            return Reason.OTHER_SENSE  # 共36课时…3节: a count, its digit read as a syllable (散结)
        if hit.category is ViolationCategory.INVESTMENT and "年化利率" in hit.matched_text and LOAN.search(text):
            return Reason.OTHER_SENSE  # 贷款…年化利率区间7.2%至18%: a loan's disclosed rate
        if hit.category is ViolationCategory.MEDICAL and hit.term == "治疗" and CLINIC_NOTICE.search(text):
            return Reason.OTHER_SENSE  # 【宠物医院温馨提示】…治疗过程中如需调整用药: a clinic's notice to its patients
        if hit.category is ViolationCategory.MEDICAL and right.startswith(MEDICAL_REFERRAL):
            return Reason.OTHER_SENSE
        if hit.category is ViolationCategory.PRICE and right.startswith(LOGISTICS):
            return Reason.TIME_ORDER
        if hit.category is ViolationCategory.PRICE and "价" in hit.matched_text and right.startswith(PRICE_TREND):
            return Reason.OTHER_SENSE  # 产地批发价较去年下降: a market price and its trend
        if (
            hit.category is ViolationCategory.PRICE
            and text[hit.end : hit.end + 1] in ("：", ":")
            and _tiers(folded(hit.end, hit.end + MAX_CONTEXT))
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
        return rank_reason(text, hit, left, right, lo, hi, folded)


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]``, at most ``MAX_CONTEXT`` characters on each side."""
    lo = max(0, start - MAX_CONTEXT)
    before = _UP_TO_LAST_MARK.match(text, lo, start)
    after = _CLAUSE_HEAD.match(text, end)
    return (before.end() if before else lo), (after.end() if after else end)


# The article on fake reviews and orders: its patterns bridge a review and a reward with a gap of free text (好评…返现),
# which may hold a negator of the reward. Elsewhere a negator inside a pattern is often the claim itself (无毒无害,
# 永不褪色, 没有任何中间商, 平台上不能发).
_FAKE_REVIEWS = "《电子商务法》第十七条"


def _quotation_run_start(text: str, opening: int) -> int:
    """The opening mark of the first of the quotations that run up to the one opened at ``opening``, side by side
    or listed with 、 (“最好”“最便宜”, “第一”、“唯一”), so that a word before them governs them all."""
    start = opening
    while start > 0:
        before = start - 1 if text[start - 1] != "、" else start - 2
        if before < 1 or text[before] not in CLOSE_QUOTES:
            break
        previous = max(text.rfind(mark, max(0, before - MAX_CONTEXT), before) for mark in OPEN_QUOTES)
        if previous < 0 or any(text[i] in _CLAUSE_MARKS for i in range(previous + 1, before)):
            break
        start = previous
    return start


def _before_quotation(text: str, opening: int, folded: Callable[[int, int], str]) -> str:
    """The folded clause before the quotation mark at ``opening``: the words that introduce the quotation."""
    return folded(_clause(text, opening, opening)[0], opening)


def _translated(text: str, lo: int, hi: int, folded: Callable[[int, int], str]) -> bool:
    """Whether the clause ``text[lo:hi]`` is a quotation introduced as a translation (翻成“…”) or followed by one
    (“the best”直译为…)."""
    if lo > 0 and text[lo - 1] in OPEN_QUOTES and _before_quotation(text, lo - 1, folded).endswith(TRANSLATED_AS):
        return True
    return (
        hi < len(text) and text[hi] in CLOSE_QUOTES and folded(hi + 1, min(len(text), hi + 7)).startswith(TRANSLATED_AS)
    )


def _names_no_goods(text: str) -> bool:
    """Whether a text using medical words is a drug trial's report or a job advertisement (康复医院招聘…康复治疗师),
    not goods said to cure (read on the raw text: the cues are plain hanzi)."""
    return bool(
        ("临床" in text and DRUG_RESEARCH.search(text) and TRIAL_STAGE.search(text))
        or (JOB_AD.search(text) and JOB_TERMS.search(text))
    )


def _inside_latin_word(text: str, start: int) -> bool:
    """Whether the hit opens with one Latin letter that ends a word of at least three (CADR值): a pinyin initial
    there is the word's last letter, where a syllable inside a longer pinyin run (lishizuidijia) is not."""

    def latin(i: int) -> bool:
        return 0 <= i < len(text) and text[i].isascii() and text[i].isalpha()

    return latin(start) and not latin(start + 1) and latin(start - 1) and latin(start - 2)


def _opens_latin_code(text: str, end: int) -> bool:
    """Whether the hit ends on the first capital of a code of capitals and digits (等级PR3): the code's letter is no
    pinyin initial (级P ≠ 极品)."""
    code = _LATIN_CODE.match(text, end - 1)
    return code is not None and any(char.isdigit() for char in code.group())


def _medical_advice(text: str, folded: Callable[[int, int], str]) -> bool:
    """Whether the text sends its reader to a doctor (在医生指导下使用, 凭处方购买, 由医生…来定) and offers nothing for
    sale."""
    return MEDICAL_ADVICE.search(text) is not None and not _offers(text, folded)


def _offers(text: str, folded: Callable[[int, int], str]) -> bool:
    """Whether the folded text makes an offer: a price, a link or a call to buy (OFFER_CUES)."""
    return OFFER_CUES.search(folded(0, len(text))) is not None


def _speaker_label_in(text: str, hit: Hit) -> bool:
    """Whether the hit reads a letter that opens a line as a speaker's label (B：…): 去？ at a line's end and B： at the
    next one's start is no 去疤."""
    return any(
        text[i].isascii()
        and text[i].isalpha()
        and (i == 0 or text[i - 1] == "\n")
        and text[i + 1 : i + 2] in SPEAKER_LABEL_MARKS
        for i in range(hit.start, min(hit.end, len(text)))
    )


def _conferred_title(text: str, hit: Hit) -> bool:
    """Inside 【…】 after a word for a title a game confers: 恭喜你通关第一章，获得称号【无敌小勇士】."""
    opening = _opening_mark(text, hit, "【", "】")
    return (
        opening >= 0
        and text[max(0, opening - 4) : opening].endswith(TITLE_CONFERRED)
        and GAME_CUES.search(text) is not None
    )


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


def _in_title_marks(text: str, hit: Hit) -> bool:
    """Inside 《…》: the title of a book, film, show or song."""
    return _opening_mark(text, hit, "《", "》") >= 0


def _opening_mark(text: str, hit: Hit, opening_mark: str, closing_mark: str) -> int:
    """The index of the ``opening_mark`` whose pair holds the hit (closed after it, not before it), or -1."""
    opening = text.rfind(opening_mark, 0, hit.start)
    if opening < 0 or text.find(closing_mark, hit.end) < 0 or text.rfind(closing_mark, opening, hit.start) >= 0:
        return -1
    return opening
