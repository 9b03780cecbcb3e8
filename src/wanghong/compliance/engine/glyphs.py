"""Evasions by the shape of a character rather than its sound: a near form (根冶 for 根治, 嶶信 for 微信, 蕞低 for
最低), a Japanese form (痩身 for 瘦身), and a character written as its components (氵台 for 治, 犭苗瘟 for 猫瘟).

Near and Japanese forms fold one character to one, so they join the normaliser's table (`normalize`). Near forms are
listed by hand: no public table lists the forms sellers use, and each one folded is a character that can no longer be
told from the one it imitates, so only rare characters and 冶 (whose compounds 冶炼, 陶冶 meet no term) are folded.
Japanese forms come from OpenCC's ``jp2t`` dictionary, for the characters outside GB 2312 only: the shared forms
(芸, 欠, 余 are Chinese characters of their own) stay as they are.

A decomposed character is two characters for one, which a one-to-one fold cannot undo; instead every lexicon term
gains a variant key for each of its characters written as components (`decomposed_variants`), matched like the term.
Only left-right splits that read as the character are listed: they are what sellers write (扌白 for 拍), and a
variant is a whole term, so the everyday words among the pairs (女子, 日月) match only inside one.
"""

from __future__ import annotations

from collections.abc import Iterable

NEAR_FORMS = {
    "冶": "治",
    "嶶": "微",
    "徾": "微",
    "溦": "微",
    "蕞": "最",
    "冣": "最",
    "㝡": "最",
    "苐": "第",
    "弚": "第",
    "伩": "信",
    "嬴": "赢",
    "羸": "赢",
    # Radicals of the CJK Radicals Supplement, which NFKC leaves alone: written in place of the component character.
    "⺡": "氵",
    "⺘": "扌",
    "⺨": "犭",
    "⺅": "亻",
    "⻏": "阝",
    "⻖": "阝",
    "⺮": "竹",
    "⻊": "足",
    "⺼": "月",
}

COMPONENTS = {
    "好": "女子",
    "妙": "女少",
    "奶": "女乃",
    "猫": "犭苗",
    "狗": "犭句",
    "独": "犭虫",
    "糖": "米唐",
    "粉": "米分",
    "治": "氵台",
    "减": "冫咸",
    "拍": "扌白",
    "招": "扌召",
    "抢": "扌仓",
    "抗": "扌亢",
    "提": "扌是",
    "排": "扌非",
    "钱": "钅戋",
    "销": "钅肖",
    "赚": "贝兼",
    "财": "贝才",
    "加": "力口",
    "叶": "口十",
    "信": "亻言",
    "保": "亻呆",
    "体": "亻本",
    "证": "讠正",
    "特": "牛寺",
    "秒": "禾少",
    "秘": "禾必",
    "根": "木艮",
    "肥": "月巴",
    "胖": "月半",
    "服": "月艮",
    "效": "交攵",
    "神": "礻申",
    "福": "礻畐",
    "祖": "礻且",
    "明": "日月",
    "暖": "日爰",
    "级": "纟及",
    "红": "纟工",
    "绝": "纟色",
    "对": "又寸",
    "增": "土曾",
    "降": "阝夅",
    "补": "衤卜",
    "强": "弓虽",
    "顶": "丁页",
    "领": "令页",
}


def decomposed_variants(key: str) -> Iterable[str]:
    """``key`` with one of its characters written as its components, for each character that has a split."""
    for index, char in enumerate(key):
        split = COMPONENTS.get(char)
        if split is not None:
            yield key[:index] + split + key[index + 1 :]


def japanese_forms(candidates: Iterable[str]) -> dict[str, str]:
    """The Japanese forms among ``candidates`` (characters outside GB 2312) → their Chinese characters, read through
    OpenCC's Japanese-to-traditional dictionary; the caller folds traditional to simplified as for any character."""
    import opencc  # only while the fold table is built, as in `normalize`

    outside = sorted(c for c in candidates if not _in_gb2312(c))
    converted = opencc.OpenCC("jp2t").convert("\n".join(outside)).split("\n")
    return {src: dst for src, dst in zip(outside, converted, strict=True) if len(dst) == 1 and dst != src}


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True
