"""统一社会信用代码 (GB 32100-2015): structure, the two check characters, and a precise reason for every verdict.

An 18-character code reads, left to right:

====== ===================================== =================================================================
 pos    part                                  rule checked here
====== ===================================== =================================================================
 1      登记管理部门代码 registration authority  one of the authorities in the standard's table (``AUTHORITIES``)
 2      机构类别代码 entity category             one of that authority's categories
 3–8    登记管理机关行政区划码 region             six digits (GB/T 2260)
 9–17   主体标识码 = 组织机构代码 (GB 11714)      body of eight characters, check character at position 17
 18     校验码 check character                  ISO 7064 style mod 31: weights 3^(i-1) mod 31, C18 = 31 − Σ mod 31
====== ===================================== =================================================================

All 18 characters come from the 31-character set 0–9 and the capitals without I, O, Z, S and V.

The region is checked as six digits only, not against today's GB/T 2260 list: a code keeps the division code of
the authority that issued it for life, and divisions are merged and renumbered every year, so a current list would
reject valid codes of abolished counties.

What the checker tolerates, and says so in the reason: whitespace around the code (including the ideographic
space), full-width forms (ＡＢＣ１２３, as typed with a Chinese input method) and lower-case letters. Anything else
(a space or hyphen inside, a character outside the set) makes the code invalid, with the position named.

The category table follows GB 32100-2015 Annex A as extended since (A 中央军委改革和编制办公室, N 农业 for rural
collective economic organisations).
"""

from __future__ import annotations

from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: value for value, ch in enumerate(ALPHABET)}
# The letters the standard leaves out, and the digit a person most likely meant by each.
_EXCLUDED_LOOKALIKE = {"I": "1", "O": "0", "Z": "2", "S": "5", "V": None}

LENGTH = 18
WEIGHTS = tuple(pow(3, i, 31) for i in range(LENGTH - 1))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, …

# GB 11714-1997: the organisation code's eight body characters, weighted; letters count A=10 … Z=35.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class Label:
    zh: str
    en: str


@dataclass(frozen=True)
class Authority:
    label: Label
    categories: dict[str, Label]


AUTHORITIES: dict[str, Authority] = {
    "1": Authority(
        Label("机构编制", "staffing authority"),
        {
            "1": Label("机关", "state organ"),
            "2": Label("事业单位", "public institution"),
            "3": Label("中央编办直接管理机构编制的群众团体", "mass organisation staffed by the central office"),
            "9": Label("其他", "other"),
        },
    ),
    "2": Authority(
        Label("外交", "foreign affairs"),
        {"1": Label("外国常驻新闻机构", "resident foreign news agency"), "9": Label("其他", "other")},
    ),
    "3": Authority(
        Label("司法行政", "judicial administration"),
        {
            "1": Label("律师执业机构", "law firm"),
            "2": Label("公证处", "notary office"),
            "3": Label("基层法律服务所", "grassroots legal service office"),
            "4": Label("司法鉴定机构", "forensic appraisal institution"),
            "5": Label("仲裁委员会", "arbitration commission"),
            "9": Label("其他", "other"),
        },
    ),
    "4": Authority(
        Label("文化", "culture"),
        {"1": Label("外国在华文化中心", "foreign cultural centre in China"), "9": Label("其他", "other")},
    ),
    "5": Authority(
        Label("民政", "civil affairs"),
        {
            "1": Label("社会团体", "social organisation"),
            "2": Label("民办非企业单位", "private non-enterprise unit"),
            "3": Label("基金会", "foundation"),
            "9": Label("其他", "other"),
        },
    ),
    "6": Authority(
        Label("旅游", "tourism"),
        {
            "1": Label("外国旅游部门常驻代表机构", "resident office of a foreign tourism authority"),
            "2": Label(
                "港澳台地区旅游部门常驻内地（大陆）代表机构",
                "mainland office of a Hong Kong, Macao or Taiwan tourism authority",
            ),
            "9": Label("其他", "other"),
        },
    ),
    "7": Authority(
        Label("宗教", "religious affairs"),
        {
            "1": Label("宗教活动场所", "place of religious activity"),
            "2": Label("宗教院校", "religious school"),
            "9": Label("其他", "other"),
        },
    ),
    "8": Authority(
        Label("工会", "trade union"), {"1": Label("基层工会", "grassroots union"), "9": Label("其他", "other")}
    ),
    "9": Authority(
        Label("工商", "market regulation"),
        {
            "1": Label("企业", "enterprise"),
            "2": Label("个体工商户", "individual business"),
            "3": Label("农民专业合作社", "farmers' cooperative"),
        },
    ),
    "A": Authority(
        Label("中央军委改革和编制办公室", "CMC reform and staffing office"),
        {"1": Label("军队事业单位", "military public institution"), "9": Label("其他", "other")},
    ),
    "N": Authority(
        Label("农业", "agriculture"),
        {
            "1": Label("组级集体经济组织", "group-level collective economic organisation"),
            "2": Label("村级集体经济组织", "village-level collective economic organisation"),
            "3": Label("乡镇级集体经济组织", "township-level collective economic organisation"),
            "9": Label("其他", "other"),
        },
    ),
    "Y": Authority(Label("其他", "other"), {"1": Label("其他", "other")}),
}


@dataclass(frozen=True)
class UsccVerdict:
    """``code`` is the normalised code; ``reason`` is Chinese, then `` / ``, then English."""

    code: str
    valid: bool
    reason: str
    authority: Label | None = None
    category: Label | None = None


def check_character(first17: str) -> str:
    """Position 18 for the first 17 characters (all from ``ALPHABET``)."""
    total = sum(_VALUE[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def _org_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def org_check_character(body8: str) -> str:
    """GB 11714 check character of an organisation code's eight body characters: 0–9 or X."""
    remainder = 11 - sum(_org_value(ch) * w for ch, w in zip(body8, ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def _fold(raw: str) -> tuple[str, list[Label]]:
    """The code with surrounding whitespace, full-width forms and lower case undone, and a note for each."""
    notes = []
    stripped = raw.strip()
    if stripped != raw:
        notes.append(Label("已去除首尾空白", "surrounding whitespace removed"))
    # U+FF01–U+FF5E are the full-width twins of ASCII 0x21–0x7E, 0xFEE0 apart.
    half = "".join(chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else ch for ch in stripped)
    if half != stripped:
        notes.append(Label("已将全角字符转为半角", "full-width characters converted to half-width"))
    upper = "".join(ch.upper() if "a" <= ch <= "z" else ch for ch in half)
    if upper != half:
        notes.append(Label("已将小写字母转为大写", "lower-case letters converted to upper case"))
    return upper, notes


def _bilingual(problems: list[Label]) -> str:
    return "；".join(p.zh for p in problems) + " / " + "; ".join(p.en for p in problems)


def _bad_character(position: int, ch: str) -> Label:
    shown = repr(ch) if not ch.isprintable() or ch.isspace() else ch
    if ch in _EXCLUDED_LOOKALIKE:
        meant = _EXCLUDED_LOOKALIKE[ch]
        hint_zh = f"，是否应为 {meant}" if meant else ""
        hint_en = f", did you mean {meant}?" if meant else ""
        return Label(
            f"第{position}位字符 {shown} 不在代码字符集中（不使用 I、O、Z、S、V{hint_zh}）",
            f"character {shown} at position {position} is not in the code set (I, O, Z, S, V are not used{hint_en})",
        )
    return Label(
        f"第{position}位字符 {shown} 不在代码字符集中（0-9 及除 I、O、Z、S、V 外的大写字母）",
        f"character {shown} at position {position} is not in the code set (0-9 and capitals except I, O, Z, S, V)",
    )


def _structure_problems(code: str) -> tuple[list[Label], Authority | None, Label | None]:
    problems: list[Label] = []
    authority = AUTHORITIES.get(code[0])
    category = None
    if authority is None:
        known = "、".join(AUTHORITIES)
        problems.append(
            Label(
                f"第1位登记管理部门代码 {code[0]} 不存在（应为 {known} 之一）",
                f"position 1: no registration authority {code[0]} (one of {', '.join(AUTHORITIES)})",
            )
        )
    else:
        category = authority.categories.get(code[1])
        if category is None:
            allowed_zh = "、".join(f"{k} {v.zh}" for k, v in authority.categories.items())
            allowed_en = ", ".join(f"{k} {v.en}" for k, v in authority.categories.items())
            problems.append(
                Label(
                    f"第2位机构类别代码 {code[1]} 不属于登记管理部门「{authority.label.zh}」（应为 {allowed_zh}）",
                    f"position 2: category {code[1]} does not exist under the {authority.label.en} authority "
                    f"({allowed_en})",
                )
            )
    region = code[2:8]
    if not region.isascii() or not region.isdigit():
        first = next(i for i, ch in enumerate(region, start=3) if not ("0" <= ch <= "9"))
        problems.append(
            Label(
                f"第3-8位登记管理机关行政区划码应为6位数字，第{first}位为 {code[first - 1]}",
                f"positions 3-8 (region code) must be six digits, position {first} is {code[first - 1]}",
            )
        )
    expected_org = org_check_character(code[8:16])
    if code[16] != expected_org:
        problems.append(
            Label(
                f"第17位组织机构代码校验码应为 {expected_org}（GB 11714），实为 {code[16]}",
                f"position 17 (organisation-code check character, GB 11714) should be {expected_org}, not {code[16]}",
            )
        )
    return problems, authority, category


def check_uscc(raw: str) -> UsccVerdict:
    """Whether ``raw`` is a well-formed 统一社会信用代码, and exactly why (not) — see the module doc."""
    code, notes = _fold(raw)
    if len(code) != LENGTH:
        length = Label(f"长度应为18位，实为{len(code)}位", f"must be 18 characters long, not {len(code)}")
        return UsccVerdict(code, False, _bilingual([length, *notes]))
    bad = [_bad_character(i, ch) for i, ch in enumerate(code, start=1) if ch not in _VALUE]
    if bad:
        return UsccVerdict(code, False, _bilingual([*bad, *notes]))
    problems, authority, category = _structure_problems(code)
    expected = check_character(code[:17])
    if code[17] != expected:
        problems.append(
            Label(
                f"第18位校验码应为 {expected}，实为 {code[17]}",
                f"check character should be {expected}, not {code[17]}",
            )
        )
    if problems:
        return UsccVerdict(
            code, False, _bilingual([*problems, *notes]), authority.label if authority else None, category
        )
    assert authority is not None and category is not None  # no problems means both were found
    described = Label(
        f"有效：{authority.label.zh}·{category.zh}，登记管理机关行政区划码 {code[2:8]}",
        f"valid: {authority.label.en}, {category.en}, registered in region {code[2:8]}",
    )
    return UsccVerdict(code, True, _bilingual([described, *notes]), authority.label, category)
