"""Seeded generator of Chinese short-video titles, their re-uploaded copies and hard negatives.

It produces the labelled evaluation set shipped in ``data/titles_eval.jsonl`` and the large
synthetic corpora the benchmark indexes. Everything is drawn from one ``random.Random(seed)``,
so a given seed always yields byte-identical output (the OpenCC conversion is deterministic).

Run ``python -m wanghong.engines.originality.titlegen --out FILE --originals N --seed S`` to
regenerate; ``data/README.md`` records the exact command used for the shipped file.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from wanghong.domain import Category

# Products per category: the slot that distinguishes two titles written from the same template.
PRODUCTS: dict[Category, tuple[str, ...]] = {
    Category.BEAUTY: (
        "粉底液",
        "气垫",
        "口红",
        "眼影盘",
        "卸妆油",
        "防晒霜",
        "精华液",
        "面膜",
        "洗面奶",
        "睫毛膏",
        "腮红",
        "散粉",
        "眉笔",
        "身体乳",
        "护手霜",
        "唇釉",
        "遮瑕膏",
        "化妆刷",
        "美瞳",
        "香水",
    ),
    Category.FASHION: (
        "羽绒服",
        "牛仔裤",
        "卫衣",
        "连衣裙",
        "小白鞋",
        "风衣",
        "西装外套",
        "针织开衫",
        "阔腿裤",
        "马丁靴",
        "帆布包",
        "冲锋衣",
        "半身裙",
        "老爹鞋",
        "羊毛大衣",
        "打底衫",
        "运动套装",
        "渔夫帽",
        "丝巾",
        "腰带",
    ),
    Category.FOOD: (
        "螺蛳粉",
        "火锅底料",
        "牛肉干",
        "辣条",
        "自热火锅",
        "酸辣粉",
        "坚果礼盒",
        "月饼",
        "卤鸭脖",
        "速冻饺子",
        "咖啡豆",
        "奶茶",
        "蛋黄酥",
        "鸡爪",
        "方便面",
        "芝士蛋糕",
        "烤肠",
        "糯米糍",
        "肉松饼",
        "小龙虾",
    ),
    Category.DIGITAL: (
        "iPhone15",
        "华为Mate60",
        "小米14",
        "蓝牙耳机",
        "机械键盘",
        "平板电脑",
        "智能手表",
        "充电宝",
        "游戏本",
        "显示器",
        "无人机",
        "运动相机",
        "投影仪",
        "电子书阅读器",
        "降噪耳机",
        "路由器",
        "Switch",
        "拍立得",
        "扫地机器人",
        "吹风机",
    ),
    Category.MOTHER_BABY: (
        "纸尿裤",
        "婴儿推车",
        "奶粉",
        "安全座椅",
        "吸奶器",
        "辅食机",
        "婴儿床",
        "儿童牙刷",
        "绘本",
        "学步鞋",
        "温奶器",
        "爬行垫",
        "儿童餐椅",
        "湿巾",
        "背带",
        "奶瓶",
        "早教机",
        "儿童水杯",
        "防胀气奶嘴",
        "婴儿洗护套装",
    ),
    Category.HOME: (
        "空气炸锅",
        "电饭煲",
        "床垫",
        "乳胶枕",
        "收纳盒",
        "洗碗机",
        "破壁机",
        "电动拖把",
        "懒人沙发",
        "香薰机",
        "四件套",
        "落地灯",
        "保温杯",
        "晾衣架",
        "净水器",
        "加湿器",
        "烤箱",
        "电热毯",
        "窗帘",
        "置物架",
    ),
    Category.AGRICULTURE: (
        "赣南脐橙",
        "五常大米",
        "阳澄湖大闸蟹",
        "烟台苹果",
        "猕猴桃",
        "土鸡蛋",
        "新疆红枣",
        "云南菌子",
        "东北木耳",
        "砂糖橘",
        "散养土鸡",
        "高山茶叶",
        "农家蜂蜜",
        "红薯粉条",
        "小米",
        "荔枝",
        "芒果",
        "百香果",
        "黑猪肉",
        "核桃",
    ),
    Category.GAMES: (
        "王者荣耀",
        "原神",
        "和平精英",
        "我的世界",
        "英雄联盟",
        "蛋仔派对",
        "金铲铲之战",
        "崩坏星穹铁道",
        "永劫无间",
        "第五人格",
        "光遇",
        "阴阳师",
        "火影忍者手游",
        "元梦之星",
        "暗区突围",
        "逆水寒",
        "明日方舟",
        "CSGO",
        "APEX",
        "塞尔达",
    ),
    Category.EDUCATION: (
        "考研英语",
        "四六级",
        "雅思口语",
        "高考数学",
        "Python入门",
        "Excel技巧",
        "公务员考试",
        "教资面试",
        "小学奥数",
        "初中物理",
        "PPT制作",
        "日语五十音",
        "PS修图",
        "剪映教程",
        "会计初级",
        "法考",
        "考研政治",
        "高中化学",
        "练字",
        "速记方法",
    ),
    Category.TRAVEL: (
        "大理",
        "成都",
        "西安",
        "厦门",
        "三亚",
        "重庆",
        "丽江",
        "张家界",
        "杭州西湖",
        "哈尔滨冰雪大世界",
        "新疆喀纳斯",
        "桂林阳朔",
        "青岛",
        "西藏",
        "长沙",
        "苏州园林",
        "黄山",
        "稻城亚丁",
        "淄博",
        "泉州",
    ),
    Category.HEALTH: (
        "减脂餐",
        "筋膜枪",
        "护眼仪",
        "颈椎按摩仪",
        "益生菌",
        "维生素C",
        "蛋白粉",
        "艾灸贴",
        "足浴盆",
        "体脂秤",
        "血压计",
        "鱼油",
        "燕窝",
        "枸杞",
        "护腰带",
        "助眠喷雾",
        "代餐奶昔",
        "洗牙器",
        "阿胶",
        "泡脚包",
    ),
    Category.SPORTS: (
        "跑鞋",
        "瑜伽垫",
        "跳绳",
        "哑铃",
        "动感单车",
        "羽毛球拍",
        "篮球鞋",
        "健身环",
        "登山杖",
        "泳镜",
        "骑行服",
        "护膝",
        "壶铃",
        "弹力带",
        "乒乓球拍",
        "滑板",
        "帐篷",
        "运动手环",
        "速干衣",
        "钓鱼竿",
    ),
}

PERSONAS = (
    "宝妈",
    "学生党",
    "打工人",
    "上班族",
    "新手",
    "小白",
    "懒人",
    "租房党",
    "00后",
    "中年男人",
    "手残党",
    "宝爸",
    "新农人",
    "银发族",
    "北漂",
    "大学生",
    "程序员",
    "健身党",
    "吃货",
    "社恐",
)
CITIES = ("北京", "上海", "广州", "深圳", "成都", "杭州", "武汉", "南京", "长沙", "西安", "郑州", "沈阳")
ADJECTIVES = (
    "颜值高",
    "性价比高",
    "质量好",
    "超级好用",
    "平价",
    "高级感满满",
    "很实用",
    "口碑爆棚",
    "小众",
    "耐用",
)
TIMES = ("去年", "上个月", "双十一", "年货节", "618", "开学季", "春节前", "上周", "国庆", "三月")

# Each template uses {p} (product) and some of {n} {k} {price} {persona} {adj} {city} {time} {p2}.
TEMPLATES = (
    "{p}开箱测评，{adj}到底值不值？",
    "用了{n}天的{p}，说说真实感受",
    "{persona}必看！{price}元的{p}居然这么好用",
    "别再乱买{p}了，{n}个避坑技巧一次讲清",
    "{p}和{p2}怎么选？看完这条不纠结",
    "{city}探店｜{p}排队{n}小时值得吗",
    "我的{p}使用心得：{adj}又省心",
    "{time}入手的{p}，后悔没早点买",
    "手把手教你挑{p}，{persona}也能轻松上手",
    "{p}真实测评：优点和缺点都在这里",
    "花了{price}块买{p}，结果真的没想到",
    "{n}款{p}横评，第{k}款最让人惊喜",
    "这个{p}绝了！{persona}闭眼入",
    "{p}的{n}种用法，最后一个太实用了",
    "{persona}的{p}清单，{adj}还不贵",
    "为什么大家都在抢{p}？我替你们试了",
    "{p}翻车现场，千万别学我",
    "一口气对比{n}个{p}，结论很意外",
    "{time}最值得买的{p}，{persona}收藏好",
    "{p}保姆级教程，{n}分钟学会",
    "被问爆的{p}终于来了，链接在评论区",
    "{city}{persona}的一天，{p}陪我走过四季",
    "{p}到底有没有智商税？实测告诉你",
    "自用{n}年的{p}，不吹不黑聊一聊",
    "{price}元以内的{p}推荐，{adj}闭眼冲",
    "第一次买{p}的{persona}，一定要看完",
    "{p}隐藏功能大揭秘，{n}个你不知道的细节",
    "去{city}一定要带的{p}，{adj}又轻便",
    "挑战{n}天只用{p}，身体发生了什么变化",
    "平价替代！{price}块的{p}不输大牌",
    "{p}正确打开方式，{persona}别再做错了",
    "跟着{persona}学选{p}，省下{price}块",
    "今天聊聊{p}，{time}的爆款还能买吗",
    "{p}长期使用报告：{n}个月后的真实状态",
    "老板说这个{p}卖爆了，我来验证一下",
    "这可能是全网最详细的{p}攻略",
    "{p}VS{p2}，实测{n}项数据见分晓",
    "{persona}真实分享：{p}用完再也回不去了",
    "直播间抢到的{p}，拆开一看惊呆了",
    "关于{p}的{n}个误区，很多人都中招了",
)

# Synonym pairs realistic re-uploaders use to dodge exact matching (applied either direction).
SYNONYMS = (
    ("测评", "评测"),
    ("真实", "真正"),
    ("感受", "体验"),
    ("必看", "一定要看"),
    ("居然", "竟然"),
    ("好用", "实用"),
    ("技巧", "方法"),
    ("一次讲清", "一次说清楚"),
    ("后悔", "遗憾"),
    ("绝了", "太绝了"),
    ("教你", "带你"),
    ("轻松", "容易"),
    ("推荐", "安利"),
    ("千万别", "一定不要"),
    ("结论", "结果"),
    ("很意外", "出乎意料"),
    ("收藏好", "快收藏"),
    ("学会", "搞定"),
    ("攻略", "指南"),
    ("惊呆了", "傻眼了"),
    ("值不值", "值不值得"),
    ("怎么选", "如何选"),
    ("不纠结", "不再纠结"),
    ("对比", "比较"),
    ("误区", "坑"),
    ("爆款", "热门款"),
    ("揭秘", "揭晓"),
    ("最让人", "最令人"),
    ("真的", "确实"),
    ("分享", "分享一下"),
)
HASHTAGS = (
    "#好物分享",
    "#开箱",
    "#测评",
    "#抖音好物",
    "#种草",
    "#dou是好物",
    "#生活小妙招",
    "#干货",
    "#推荐",
    "#日常vlog",
    "#上热门",
    "#快手热门",
    "#同城",
    "#宝藏好物",
)
EMOJI = ("🔥", "😂", "👍", "💯", "✨", "❤️", "😱", "🎉", "👏", "🤩", "🥰", "⚡", "💰", "📦", "👉")
PREFIXES = ("【转】", "【转载】", "搬运：", "【搬运】", "合集｜", "(转)", "「转」", "转载 ", "【合集】")
SUFFIXES = ("（转）", "【搬运】", " 搬运", "｜合集", "【转载】", " 转自网络", "(合集)")
CLAUSE_SEPARATORS = ("，", "｜", "！", "？", "：")
PUNCT_SWAPS = (("，", " "), ("，", ","), ("！", "!!!"), ("？", "??"), ("｜", " | "), ("：", ":"), ("。", "..."))

EDIT_TYPES = ("synonym", "hashtag", "emoji", "reorder", "traditional", "punctuation", "prefix_suffix", "combo")
NEGATIVE_TYPES = ("same_template_other_product", "same_product_other_template")


@dataclass(frozen=True, slots=True)
class LabelledTitle:
    """One line of the evaluation set: ``group`` is the id of the original it belongs to."""

    id: str
    text: str
    published_at: str
    group: str
    role: str  # "original", "copy" or "negative"
    edit: str  # edit type for copies, negative type for negatives, "" for originals
    anchor: str = ""  # for negatives: the original whose topic they share without copying it

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "text": self.text,
                "published_at": self.published_at,
                "group": self.group,
                "role": self.role,
                "edit": self.edit,
                "anchor": self.anchor,
            },
            ensure_ascii=False,
        )


@cache
def _to_traditional() -> object:
    import opencc

    return opencc.OpenCC("s2t")


@dataclass(frozen=True, slots=True)
class _Slots:
    template: str
    category: Category
    product: str
    other_product: str
    values: tuple[tuple[str, str], ...]

    def render(self, template: str | None = None, product: str | None = None) -> str:
        fields = dict(self.values)
        fields["p"] = product if product is not None else self.product
        fields["p2"] = self.other_product
        return (template or self.template).format(**fields)


def _draw_slots(rng: random.Random) -> _Slots:
    category = rng.choice(tuple(PRODUCTS))
    product, other = rng.sample(PRODUCTS[category], 2)
    values = (
        ("n", str(rng.choice((2, 3, 5, 7, 10, 14, 21, 30, 100)))),
        ("k", str(rng.randint(1, 5))),
        ("price", str(rng.choice((9.9, 19, 29, 39, 59, 99, 199, 299, 499, 999, 1999)))),
        ("persona", rng.choice(PERSONAS)),
        ("adj", rng.choice(ADJECTIVES)),
        ("city", rng.choice(CITIES)),
        ("time", rng.choice(TIMES)),
    )
    return _Slots(rng.choice(TEMPLATES), category, product, other, values)


def _synonym(text: str, rng: random.Random) -> str | None:
    applicable = [(a, b) for a, b in SYNONYMS if a in text] + [(b, a) for a, b in SYNONYMS if b in text]
    if not applicable:
        return None
    rng.shuffle(applicable)
    for old, new in applicable[:2]:
        text = text.replace(old, new, 1)
    return text


def _hashtag(text: str, rng: random.Random) -> str:
    tags = " ".join(rng.sample(HASHTAGS, rng.randint(1, 3)))
    return f"{tags} {text}" if rng.random() < 0.3 else f"{text} {tags}"


def _emoji(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        chars.insert(rng.randint(0, len(chars)), rng.choice(EMOJI) * rng.randint(1, 3))
    return "".join(chars)


def _reorder(text: str, rng: random.Random) -> str | None:
    for sep in CLAUSE_SEPARATORS:
        head, found, tail = text.partition(sep)
        if found and head and tail.strip("？！"):
            joiner = rng.choice(("，", "｜", " ", "！"))
            return f"{tail.rstrip('？！')}{joiner}{head}"
    return None


def _traditional(text: str, rng: random.Random) -> str | None:
    converted = _to_traditional().convert(text)  # type: ignore[attr-defined]
    return converted if converted != text else None


def _punctuation(text: str, rng: random.Random) -> str:
    applicable = [(a, b) for a, b in PUNCT_SWAPS if a in text]
    if applicable:
        old, new = rng.choice(applicable)
        text = text.replace(old, new)
    return text + rng.choice(("！！", "~~", "。。。", "？？", "…", "!!"))


def _prefix_suffix(text: str, rng: random.Random) -> str:
    return rng.choice(PREFIXES) + text if rng.random() < 0.6 else text + rng.choice(SUFFIXES)


_SINGLE_EDITS = {
    "synonym": _synonym,
    "hashtag": _hashtag,
    "emoji": _emoji,
    "reorder": _reorder,
    "traditional": _traditional,
    "punctuation": _punctuation,
    "prefix_suffix": _prefix_suffix,
}


def apply_edit(text: str, edit: str, rng: random.Random) -> str | None:
    """Return ``text`` edited as a re-uploader would, or None where the edit does not apply."""
    if edit != "combo":
        return _SINGLE_EDITS[edit](text, rng)
    # Order matters: wording edits first, the cosmetic layers (tags, emoji, script) last.
    chosen = sorted(rng.sample(tuple(_SINGLE_EDITS), rng.randint(2, 3)), key=tuple(_SINGLE_EDITS).index)
    edited = text
    for name in chosen:
        edited = _SINGLE_EDITS[name](edited, rng) or edited
    return edited if edited != text else None


def generate(
    originals: int, seed: int, copies_per_original: tuple[int, int] = (1, 3), negative_rate: float = 0.6
) -> list[LabelledTitle]:
    """Generate ``originals`` groups: an original, its edited copies, and same-topic non-copies.

    Copies are published after their original; negatives at independent times, so earliest-wins
    attribution cannot be gamed by the generator's ordering. The output order is shuffled.
    """
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    # (template, product) pairs already used: two originals sharing both would differ only in a
    # number or a persona, which no text-only judge (human or machine) can call copy or not.
    used: set[tuple[str, str]] = set()
    rows: list[LabelledTitle] = []
    counter = 0

    def new_id() -> str:
        nonlocal counter
        counter += 1
        return f"t{counter:06d}"

    def stamp(base: datetime, after: bool) -> datetime:
        offset = timedelta(minutes=rng.randint(1, 60 * 24 * 30))
        return base + offset if after else start + timedelta(minutes=rng.randint(0, 60 * 24 * 365))

    made = 0
    while made < originals:
        slots = _draw_slots(rng)
        if (slots.template, slots.product) in used:
            continue
        used.add((slots.template, slots.product))
        text = slots.render()
        made += 1
        gid = new_id()
        published = stamp(start, after=False)
        rows.append(LabelledTitle(gid, text, published.isoformat(), gid, "original", ""))
        for _ in range(rng.randint(*copies_per_original)):
            for _attempt in range(10):
                edit = rng.choice(EDIT_TYPES)
                copy = apply_edit(text, edit, rng)
                if copy is not None and copy != text:
                    break
            else:
                continue
            rows.append(LabelledTitle(new_id(), copy, stamp(published, after=True).isoformat(), gid, "copy", edit))
        if rng.random() < negative_rate:
            kind = rng.choice(NEGATIVE_TYPES)
            template, product = slots.template, slots.product
            if kind == "same_template_other_product":
                product = rng.choice(
                    [p for p in PRODUCTS[slots.category] if p not in (slots.product, slots.other_product)]
                )
            else:
                template = rng.choice([t for t in TEMPLATES if t != slots.template])
            if (template, product) not in used:
                used.add((template, product))
                negative = slots.render(template=template, product=product)
                nid = new_id()
                # A negative is an independent original of its own group.
                rows.append(
                    LabelledTitle(nid, negative, stamp(start, after=False).isoformat(), nid, "negative", kind, gid)
                )
    rng.shuffle(rows)
    return rows


# Common characters for the benchmark's free-text clauses: a million template titles alone would
# repeat (template, product) pairs thousands of times, unlike a real feed where most titles are unique.
_FILLER_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
    "种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从"
    "业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又"
    "么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位"
    "入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放"
    "决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受"
    "联什认六共权收证改清美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华"
)


def _filler_clause(rng: random.Random) -> str:
    words = rng.randint(2, 4)
    return "".join(rng.choice(_FILLER_CHARS) + rng.choice(_FILLER_CHARS) for _ in range(words))


def iter_corpus(n: int, seed: int, copy_rate: float = 0.1) -> Iterator[tuple[str, str, str]]:
    """Yield ``n`` (id, text, published_at) titles, a ``copy_rate`` share of them edited copies.

    For the benchmark: unlabelled, streamed, cheap per title. Most originals carry a random
    free-text clause so that, as in a real feed, unrelated titles rarely share a template and a
    product at once.
    """
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    recent: list[str] = []
    for i in range(n):
        if recent and rng.random() < copy_rate:
            text = apply_edit(rng.choice(recent), rng.choice(EDIT_TYPES), rng) or _draw_slots(rng).render()
        else:
            text = _draw_slots(rng).render()
            if rng.random() < 0.8:
                text = f"{text}｜{_filler_clause(rng)}" if rng.random() < 0.5 else f"{_filler_clause(rng)}，{text}"
            if len(recent) < 10_000:
                recent.append(text)
            else:
                recent[rng.randrange(len(recent))] = text
        yield f"b{i:08d}", text, (start + timedelta(seconds=i)).isoformat()


# Vocabulary of the realistic feed corpus (iter_feed_corpus). Real feeds are long-tailed: tens of
# thousands of creators, thousands of brands and product variants, hooks and sign-offs that each
# creator words slightly differently. These pools are combined so that two independent titles
# rarely agree on more than their template.
HOOKS = (
    "家人们谁懂啊",
    "救命",
    "终于等到了",
    "真的会谢",
    "绝绝子",
    "狠狠心动了",
    "姐妹们冲",
    "不允许还有人不知道",
    "吐血整理",
    "建议收藏",
    "后悔没早看到",
    "小众但好用",
    "年度最爱",
    "无限回购",
    "踩雷预警",
    "实名推荐",
    "拿捏了",
    "一整个爱住",
    "挖到宝了",
    "答应我一定要试试",
    "今日份分享",
    "宝藏发现",
    "新手友好",
    "懒人福音",
    "打工人必备",
    "学生党冲",
    "预算有限看这里",
    "真心话",
    "不是广告",
    "自费购买",
    "良心推荐",
    "避雷合辑",
)
SIGN_OFFS = (
    "评论区告诉我",
    "下期见",
    "记得点赞",
    "关注我不迷路",
    "有问题留言",
    "链接放主页了",
    "求三连",
    "你们觉得呢",
    "喜欢的话收藏",
    "想看什么评论区说",
    "持续更新中",
    "感谢观看",
    "欢迎交流",
    "一起变好",
    "我们下期再聊",
    "有同款的举手",
    "说说你的看法",
    "看到最后有彩蛋",
    "记得转发给朋友",
    "不同意的来辩",
)
MODIFIERS = (
    "2024新款",
    "升级版",
    "Pro",
    "Max",
    "mini",
    "国货",
    "进口",
    "大容量",
    "便携款",
    "旗舰款",
    "入门款",
    "礼盒装",
    "白色",
    "黑色",
    "奶油色",
    "雾霾蓝",
    "限定款",
    "联名款",
    "家庭装",
    "二代",
    "三代",
    "plus",
    "轻薄款",
    "加厚款",
)
_BRAND_HEADS = "雅美优佳康乐华盛天宝金福瑞安新源品尚凯丽亚蓝青晨星月海云山川林森禾田"
_BRAND_TAILS = ("家", "牌", "优选", "官方", "工坊", "严选", "生活", "之家", "研究所", "实验室", "小铺", "旗舰店")
_NAME_HEADS = "小大阿老胖瘦甜酸辣萌呆乖皮憨宝贝糖果豆米团兔猫狗鱼熊鹿羊虎龙凤"
_NAME_TAILS = (
    "酱",
    "仔",
    "妹",
    "哥",
    "姐",
    "君",
    "同学",
    "日记",
    "不加糖",
    "爱吃饭",
    "在路上",
    "的小屋",
    "说",
    "测评",
    "vlog",
    "的日常",
    "吃不胖",
    "睡不醒",
    "种草机",
    "研究所",
)
TOPIC_HASHTAGS = tuple(f"#{tag}" for tag in (*HASHTAGS, *(f"{p}推荐" for ps in PRODUCTS.values() for p in ps)))


def _word(rng: random.Random) -> str:
    return rng.choice(_FILLER_CHARS) + rng.choice(_FILLER_CHARS)


def _feed_title(rng: random.Random) -> str:
    slots = _draw_slots(rng)
    product = slots.product
    if rng.random() < 0.7:
        brand = rng.choice(_BRAND_HEADS) + rng.choice(_BRAND_HEADS) + rng.choice(_BRAND_TAILS)
        product = f"{brand}{product}" if rng.random() < 0.5 else f"{brand}{rng.choice(MODIFIERS)}{product}"
    core = slots.render(product=product)
    # Word-level variation: creators reword templates, so drop, duplicate or insert words at random.
    words = list(core)
    for _ in range(rng.randint(1, 3)):
        position = rng.randint(0, len(words))
        action = rng.random()
        if action < 0.5:
            words.insert(position, _word(rng))
        elif action < 0.8 and len(words) > 8:
            del words[min(position, len(words) - 1)]
        else:
            words.insert(position, rng.choice(ADJECTIVES + PERSONAS + CITIES + TIMES))
    parts = ["".join(words)]
    if rng.random() < 0.5:
        parts.insert(0, rng.choice(HOOKS) + rng.choice(("！", "｜", "，", " ")))
    if rng.random() < 0.6:
        parts.append("，" + "".join(_word(rng) for _ in range(rng.randint(1, 4))))
    if rng.random() < 0.4:
        parts.append("｜" + rng.choice(SIGN_OFFS))
    if rng.random() < 0.5:
        creator = rng.choice(_NAME_HEADS) + rng.choice(_NAME_HEADS) + rng.choice(_NAME_TAILS)
        parts.append(f" @{creator}" if rng.random() < 0.5 else f"｜{creator}")
    if rng.random() < 0.6:
        parts.append(" " + " ".join(rng.sample(TOPIC_HASHTAGS, rng.randint(1, 4))))
    return "".join(parts)


def iter_feed_corpus(n: int, seed: int, copy_rate: float = 0.1) -> Iterator[tuple[str, str, str]]:
    """Yield ``n`` (id, text, published_at) titles of a realistic feed for the benchmark.

    Originals are composed from independent pools (40 templates × 240 products, ~10k brand names ×
    24 variants, 32 hooks, 20 sign-offs, ~30k creator names, free words drawn from ~250k character
    pairs, random insertions and deletions), so two unrelated titles seldom share more than a
    template; a ``copy_rate`` share are re-uploads of a recent original made with the same edits as
    the labelled set.
    """
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    recent: list[str] = []
    for i in range(n):
        if recent and rng.random() < copy_rate:
            text = apply_edit(rng.choice(recent), rng.choice(EDIT_TYPES), rng) or _feed_title(rng)
        else:
            text = _feed_title(rng)
            if len(recent) < 10_000:
                recent.append(text)
            else:
                recent[rng.randrange(len(recent))] = text
        yield f"f{i:08d}", text, (start + timedelta(seconds=i)).isoformat()


def main() -> None:
    parser = argparse.ArgumentParser(description="生成标题评测集 / generate the labelled title set")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--originals", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    rows = generate(args.originals, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(row.to_json() + "\n" for row in rows), encoding="utf-8")
    print(f"wrote {len(rows)} titles to {args.out}")


if __name__ == "__main__":
    main()
