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
* **time- or region-limited facts** (指南第五条第七项) — lawful only when provable, so they are sent to review
  (severity lowered to medium) rather than dropped.

Everything runs only for texts that have hits, on the few characters around each, so clean text costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from enum import StrEnum

from wanghong.compliance.engine.hits import Hit, MatchKind
from wanghong.compliance.engine.library import ViolationCategory
from wanghong.domain import Severity

# Word classes that must end the left context are tuples for str.endswith, far cheaper than an anchored regex.
# Clause punctuation (full and half width); the context of a hit never crosses one.
_CLAUSE_MARKS = frozenset('，。！？；：,.!?;:\n\r\t…、~～|（）()【】[]「」『』“”"')
_MAX_CONTEXT = 24  # characters of clause kept on each side; Chinese clauses are rarely longer
_NOT_A_MARK = "[^" + re.escape("".join(sorted(_CLAUSE_MARKS))) + "]"
# Greedy, so that matching it from the window start up to the hit backtracks to the LAST mark: linear, where
# searching for a mark-free tail tries every start position (≈6× slower when a mark is near).
_UP_TO_LAST_MARK = re.compile("(?s:.*)[" + re.escape("".join(sorted(_CLAUSE_MARKS))) + "]")
_CLAUSE_HEAD = re.compile(f"{_NOT_A_MARK}{{0,{_MAX_CONTEXT}}}")


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


# -- everyday words that sound like a claim --------------------------------------------------------------
# 置于 (zhì yú, to place) reads like 治愈: followed by where a thing is kept, it is a storage instruction.
_ORDINARY_SENSES: dict[str, re.Pattern[str]] = {
    "置于": re.compile(
        r"[^，。！？,.!?]{0,8}?(处|中|内|里|下|上|环境|条件|室温|常温|冰箱|冷藏|冷冻|阴凉|干燥|通风|避光)"
    ),
}

# -- negation --------------------------------------------------------------------------------------------
# Longest first, so that 不能 is read as one negator rather than 不 + 能.
_NEGATOR = re.compile(
    "谈不上|算不上|称不上|从不|从没|并非|绝非|决不|绝不|无法|没有|不能|不会|不可|不得|不敢|不要|不是|不用|不|没|无|非|别|勿|未"
)
# Negators that are themselves modal or copular: whatever follows them is what they deny.
_STRONG_NEGATORS = frozenset(
    {
        "谈不上",
        "算不上",
        "称不上",
        "从不",
        "从没",
        "并非",
        "绝非",
        "无法",
        "没有",
        "不能",
        "不会",
        "不可",
        "不得",
        "不敢",
    }
    | {"不是", "决不", "绝不"}
)
# Words that start with a negator but deny nothing (不仅, 非常), or that negate the speaker's manner, not the
# claim (不骗你们, 不夸张, 不得不说); checked at the negator's position.
_FALSE_NEGATIONS = (
    "不仅",
    "不但",
    "不光",
    "不只",
    "不止",
    "不愧",
    "不错",
    "不少",
    "不断",
    "不同",
    "不久",
    "不管",
    "不论",
    "不如",
    "不过",
    "不用说",
    "不夸张",
    "不骗",
    "不吹",
    "不开玩笑",
    "不瞒",
    "不得不",
    "不亚于",
    "不输",
    "不一样",
    "不二",
    "没错",
    "没想到",
    "没得说",
    "没话说",
    "无论",
    "无与伦比",
    "无敌",
    "无可",
    "无人",
    "无出其右",
    "别说",
    "别的",
    "别人",
    "别家",
    "非常",
    "非凡",
    "未来",
    "不止于",
    "不用担心",
    "不用犹豫",
    "没说的",
)
# Verbs through which a plain negator reaches an object: saying, having, being able, guaranteeing, believing.
_ASSERTION_VERBS = (
    "是",
    "说",
    "敢",
    "承诺",
    "保证",
    "具有",
    "具备",
    "有",
    "含",
    "能",
    "会",
    "可",
    "用于",
    "代替",
    "替代",
    "属于",
    "算",
    "做",
    "提供",
    "宣传",
    "宣称",
    "声称",
    "建议",
    "推荐",
    "信",
    "相信",
    "听信",
    "夸",
    "吹",
)
_SPEECH_VERBS = (
    "说",
    "敢说",
    "承认",
    "认为",
    "觉得",
    "宣传",
    "宣称",
    "声称",
    "承诺",
    "保证",
    "信",
    "相信",
    "听信",
    "夸",
    "吹",
)
# A contrast or a new predicate ends a negator's scope: 不是最便宜的，但是… / 不含激素是最好的.
_SCOPE_BREAK = re.compile("但|却|而是|就是|才是|真是|其实|可是|只是|反而|还是|所以|因为|然后")
_COORDINATORS = re.compile("[和与及或跟同]")
_MAX_NEGATION_GAP = 10

# -- ordinals, measurements ---------------------------------------------------------------------------------
_ORDINAL_FOLLOWERS = tuple(
    sorted(
        [
            "时间",
            "视角",
            "人称",
            "印象",
            "感觉",
            "反应",
            "阶段",
            "部分",
            "视觉",
            "现场",
            "季度",
            "步骤",
            "章节",
            "层",
            "排",
            "颗",
            "粒",
            "步",
            "次",
            "口",
            "个",
            "件",
            "批",
            "代",
            "季",
            "期",
            "天",
            "周",
            "月",
            "年",
            "款",
            "单",
            "条",
            "页",
            "章",
            "节",
            "课",
            "集",
            "场",
            "轮",
            "局",
            "届",
            "波",
            "部",
            "号",
            "顿",
            "遍",
            "回",
            "声",
            "眼",
            "手",
            "站",
            "关",
            "根",
            "只",
            "双",
            "套",
            "瓶",
            "盒",
            "包",
            "袋",
            "杯",
            "碗",
            "张",
            "份",
            "把",
            "台",
            "辆",
            "棵",
            "朵",
            "片",
            "块",
            "道",
            "针",
            "段",
            "行",
            "列",
            "栏",
            "格",
            "楼",
            "座",
            "间",
            "档",
            "挡",
            "环",
            "圈",
            "组",
            "对",
            "项",
            "点",
            "种",
            "类",
            "位",
            "线",
            "届",
            "任",
            "棒",
            "辑",
            "卷",
            "册",
            "幕",
            "首",
            "轮",
            "环节",
            "链接",
            "顺位",
            "口味",
            "时段",
            "句",
            "题",
            "步骤",
            "阶梯",
        ],
        key=len,
        reverse=True,
    )
)
# A ranking scope before 第一 makes even a classifier-led reading a rank claim: 全国第一家, 销量第一位.
_RANK_SCOPE = (
    "全网",
    "全国",
    "全球",
    "世界",
    "行业",
    "国内",
    "业内",
    "同类",
    "天下",
    "市场",
    "中国",
    "亚洲",
    "全省",
    "全市",
    "本地",
    "排名",
    "排行",
    "销量",
    "品类",
    "类目",
    "榜单",
    "榜",
)
_DIMENSION_SUPERLATIVE = re.compile("^最[大小高低长短多少快慢重轻宽窄厚薄深浅远近强弱久]$")
_QUANTITY = re.compile("[0-9十百千万两几半]")
_MEASURE_NOUNS = (
    "容量",
    "承重",
    "载重",
    "功率",
    "转速",
    "温度",
    "气温",
    "续航",
    "输出",
    "输入",
    "尺寸",
    "尺码",
    "码",
    "号",
    "速度",
    "时速",
    "电压",
    "压力",
    "负载",
    "支持",
    "可以",
    "可",
    "能达",
    "能",
    "达到",
    "不超过",
    "只要",
    "当天",
    "次日",
    "隔天",
    "明天",
    "今天",
    "高度",
    "长度",
    "宽度",
    "重量",
    "厚度",
    "深度",
    "距离",
    "档",
    "风速",
    "亮度",
)
_SIZE_TOKEN = re.compile("码|号|xl|xs|cm|mm|kg|ml|g$")

# -- tips, attitude, goals, brand scope, titles, names --------------------------------------------------
_TIP_TERMS = re.compile("^最(佳|好|适合|合适|宜)")
_USAGE_NOUNS = (
    "使用",
    "食用",
    "饮用",
    "服用",
    "冲泡",
    "泡",
    "保存",
    "储存",
    "存放",
    "赏味",
    "品尝",
    "观看",
    "时间",
    "时机",
    "时期",
    "时段",
    "温度",
    "顺序",
    "方法",
    "方式",
    "搭配",
    "用量",
    "季节",
    "年龄",
    "口感期",
    "饮用期",
    "保质",
    "涂抹",
    "用法",
    "睡前",
    "晚上",
    "早上",
    "饭后",
    "饭前",
)
# 最好 + anything but 的/之 is the modal "had better": 最好冷藏, 最好先试用, 最好用温水冲泡.
_MODAL_TERMS = frozenset({"最好", "最好用", "最好吃", "最好喝"})
_ADJECTIVE_FOLLOWERS = ("的", "之", "了", "呢", "啊", "吧", "呀", "哦", "没有之", "不过")
_VALUE_NOUNS = (
    "质量",
    "品质",
    "顾客",
    "用户",
    "客户",
    "消费者",
    "安全",
    "服务",
    "诚信",
    "信誉",
    "信用",
    "健康",
    "友谊",
    "生命",
    "孩子",
    "宝宝",
    "家人",
    "口碑",
    "客人",
    "买家",
    "粉丝",
)
_SERVICE_NOUNS = (
    "服务",
    "态度",
    "服务态度",
    "售后",
    "客服",
    "效率",
    "响应",
)
_ATTITUDE_TERMS = frozenset({"第1", "1流", "至上", "最好", "最优", "第1位"})
_PHILOSOPHY_FOLLOWERS = re.compile("^的?(理念|原则|宗旨|精神|方针|态度|思想|信念|文化|要求|标准)")
_GOAL_WORDS = re.compile("目标|致力|力争|立志|梦想|愿景|使命|宗旨|理念|追求|尽全力|尽")
_GOAL_FOLLOWERS = re.compile("^的?(追求|目标|心愿|愿望|梦想|使命|宗旨|理念|努力|诚意|决心|善意|期望|期待)")
_PRICE_WORDING = re.compile("价|便宜|低|实惠|划算|折")
_BRAND_SCOPE = re.compile(
    "(本店|店里|店内|我们店|全店|我们家|我家|自家|本品牌|品牌史上|品牌里|系列里|系列中|本系列|这个系列|家族里|"
    "我们做过|我们出过|我们今年|今年我们|上一代|历代)(?!的)[\u3400-\u9fff0-9]{0,5}$"
)
# The product's own variants as the comparison set: 有六个颜色，黑色最百搭 / 五个色号，最受欢迎的是三号色.
_VARIANT_COUNT = re.compile(
    "[0-9几多]+(个|款|种|套|色)(颜色|色号|口味|款式|尺码|规格|味道|型号|配色|版本|香型|色系|造型|花色|图案|号)"
)
_VARIANT_SUBJECT = (
    "色",
    "号",
    "码",
    "味",
)
_VARIANT_OBJECT = re.compile("^的?是[0-9a-z几]*(号|色|码|款|味)")
_OWN_OFFER = ("让利", "优惠", "福利", "力度", "诚意", "折扣")
_TIP_BY_QUANTITY = re.compile("^最(佳|适合|合适|宜)")
_OFFICIAL_TITLE_TERMS = frozenset({"国家级", "世界级", "国际级", "全国", "国家1级", "省级"})
_DESIGNATIONS = re.compile(
    "高新技术企业|高新企业|专精特新|重点实验室|实验室|技术中心|非物质文化遗产|非遗|自然保护区|保护区|风景名胜区|"
    "景区|示范|开发区|贫困县|传承人|工艺美术|大师|运动员|裁判|教练|荣誉|称号|奖|保护动物|文物|标准|演员|技师|地理标志"
)
_NAME_SUFFIXES = ("系", "版", "套餐", "猫", "扣", "珠", "牌", "号店", "款式")
_NAMING_WORDS = (
    "叫",
    "名叫",
    "名为",
    "叫做",
    "名字是",
    "名字叫",
    "色号叫",
    "色号是",
    "取名",
    "品名",
    "型号",
    "系列名",
    "店名",
)
_TIME_OR_REGION = re.compile(
    "今年|本月|本周|今天|今日|当月|当季|本季|上半年|下半年|[0-9]+年|双11|双十一|618|本地|本市|本省|全市|全省|省内|市内"
)
_RANK_LIKE = re.compile("第1|冠军|销冠|领先|首|最")
# 最后一天发货: an order of events in logistics, not a sales-pressure claim.
_LOGISTICS = ("发货", "收货", "物流", "快递", "截单", "停发", "下单时间", "配送", "揽收", "送达")
# 质检一次通过: passing an inspection is not a training result.
_INSPECTION = (
    "安检",
    "质检",
    "检测",
    "检验",
    "验收",
    "审核",
    "年检",
    "认证",
    "测试",
    "抽检",
    "验货",
)


class ContextJudge:
    """Applies the rules of the module docstring to the hits of one text. ``fold`` is the scanner's per-character
    fold (width, traditional → simplified, 一 → 1, punctuation deleted), so the rules read normalised words."""

    def __init__(self, fold: Callable[[str], str]) -> None:
        self._fold = fold

    def judge(self, text: str, hits: Sequence[Hit]) -> list[Hit]:
        """The hits that stand, in order; a time- or region-limited rank claim comes back at medium severity."""
        kept: list[Hit] = []
        for hit in hits:
            reason = self.reason(text, hit, hits)
            if reason is None:
                kept.append(hit)
            elif reason is Reason.TIME_LIMITED:
                kept.append(replace(hit, severity=Severity.MEDIUM))
        return kept

    def reason(self, text: str, hit: Hit, hits: Sequence[Hit] = ()) -> Reason | None:
        """Why ``hit`` is lawful in ``text`` (or only reviewable), or None when it is a claim."""
        lo, hi = _clause(text, hit.start, hit.end)
        fold = self._fold
        left, right = fold(text[lo : hit.start]), fold(text[hit.end : hi])
        if hit.category is not ViolationCategory.PROHIBITED and _negated(
            left, lambda: self._coordinated(text, lo, hit, hits)
        ):
            return Reason.NEGATED
        if _in_title_marks(text, hit) or left.endswith(_NAMING_WORDS) or right.startswith(_NAME_SUFFIXES):
            return Reason.NAME
        if hit.category is ViolationCategory.EDUCATION and left.endswith(_INSPECTION):
            return Reason.OTHER_SENSE
        if hit.match is MatchKind.PHONETIC and (sense := _ORDINARY_SENSES.get(hit.matched_text)) and sense.match(right):
            return Reason.OTHER_SENSE
        if hit.category is ViolationCategory.PRICE and right.startswith(_LOGISTICS):
            return Reason.TIME_ORDER
        if hit.category not in (ViolationCategory.ABSOLUTE, ViolationCategory.PRICE):
            return None
        term = fold(text[hit.start : hit.end])
        if (
            "第1" in term
            and term.endswith("第1")
            and right.startswith(_ORDINAL_FOLLOWERS)
            and not left.endswith(_RANK_SCOPE)
        ):
            return Reason.ORDINAL
        if _DIMENSION_SUPERLATIVE.match(term) and _is_measurement(left, right):
            return Reason.MEASUREMENT
        reading = term + right[:2]
        if _TIP_TERMS.match(reading) and (
            right.startswith(_USAGE_NOUNS)
            or (_TIP_BY_QUANTITY.match(reading) and _QUANTITY.search(left[-8:]))
            or (
                term in _MODAL_TERMS
                and right
                and not right.startswith(_ADJECTIVE_FOLLOWERS)
                and not left.endswith("是")
            )
        ):
            return Reason.CONSUMER_TIP
        if term in _ATTITUDE_TERMS and (
            (left.endswith(_VALUE_NOUNS) and (not right or _PHILOSOPHY_FOLLOWERS.match(right)))
            or (term == "1流" and left.endswith(_SERVICE_NOUNS))
        ):
            return Reason.SERVICE_ATTITUDE
        if not _PRICE_WORDING.search(term) and (_GOAL_WORDS.search(left) or _GOAL_FOLLOWERS.match(right)):
            return Reason.GOAL
        if term.startswith("最") and (
            _BRAND_SCOPE.search(left)
            or left.endswith(_VARIANT_SUBJECT)
            or _VARIANT_OBJECT.match(right)
            or _VARIANT_COUNT.search(fold(text[max(0, lo - _MAX_CONTEXT) : lo]))
            or (_DIMENSION_SUPERLATIVE.match(term) and right.startswith(_OWN_OFFER) and not left.endswith(_RANK_SCOPE))
        ):
            return Reason.SELF_COMPARISON
        if term in _OFFICIAL_TITLE_TERMS and _DESIGNATIONS.search(right[:12]):
            return Reason.OFFICIAL_TITLE
        if hit.severity is Severity.HIGH and _RANK_LIKE.search(term) and _TIME_OR_REGION.search(left):
            return Reason.TIME_LIMITED
        return None

    def _coordinated(self, text: str, lo: int, hit: Hit, hits: Sequence[Hit]) -> list[str]:
        """Normalised texts of the other hits between the clause start and ``hit``: 没有美白祛斑 negates both."""
        return [self._fold(text[h.start : h.end]) for h in hits if lo <= h.start and h.end <= hit.start]


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]``, at most ``_MAX_CONTEXT`` characters on each side."""
    lo = max(0, start - _MAX_CONTEXT)
    before = _UP_TO_LAST_MARK.match(text, lo, start)
    after = _CLAUSE_HEAD.match(text, end)
    return (before.end() if before else lo), (after.end() if after else end)


def _negated(left: str, coordinated: Callable[[], list[str]]) -> bool:
    """Whether a negator in ``left`` (the normalised clause before the hit) governs the hit."""
    negator = None
    for found in _NEGATOR.finditer(left):
        at = found.start()
        if left.startswith(_FALSE_NEGATIONS, at):
            continue
        if at > 0 and left[at - 1] == left[at + 1 : at + 2]:
            continue  # A-not-A question (是不是, 有没有): a question, not a denial
        negator = found
    if negator is None:
        return False
    gap = left[negator.end() :]
    for other in coordinated() if gap else ():
        gap = gap.replace(other, "")
    gap = _COORDINATORS.sub("", gap)
    if not gap:
        return True
    if len(gap) > _MAX_NEGATION_GAP or _SCOPE_BREAK.search(gap):
        return False
    verb = next((v for v in _ASSERTION_VERBS if gap.startswith(v)), None)
    if negator.group() not in _STRONG_NEGATORS and verb is None:
        return False  # 不要错过最好的…: the negator denies another verb, not the claim
    # 不含激素是最好的: after a verb other than saying, a second predicate carries the claim.
    return verb is None or verb.startswith(_SPEECH_VERBS) or "是" not in gap[len(verb) :]


def _is_measurement(left: str, right: str) -> bool:
    return bool(
        _QUANTITY.search(right[:8])
        or _QUANTITY.search(left[-6:])
        or right.startswith(_MEASURE_NOUNS)
        or _SIZE_TOKEN.search(right[:6])
    )


def _in_title_marks(text: str, hit: Hit) -> bool:
    """Inside 《…》: the title of a book, film, show or song."""
    opening = text.rfind("《", 0, hit.start)
    return opening >= 0 and text.find("》", hit.end) >= 0 and text.rfind("》", opening, hit.start) < 0
