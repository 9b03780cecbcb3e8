"""Places of origin: a gazetteer of China's divisions, a few dozen countries and the regions hosts name
(东北, 江浙沪, 赣南, 潮汕), with one question answered — can two places be the same place?

A place is a set of *keys*: ``CN`` + the division code's significant digits (``CN65`` 新疆, ``CN6529`` 阿克苏地区,
``CN652901`` 阿克苏市) or an ISO 3166 country code (``AU``). Two places *overlap* when some key of one is a prefix
of some key of the other, so 阿克苏 overlaps 新疆 and 国产 (``CN``), but not 陕西 or 澳洲. A name shared by
several divisions (朝阳 is a district of Beijing and a city in Liaoning) is the set of all of them; the province
said before it (辽宁朝阳) narrows it.

County-level names are matched without their suffix (安溪县 → 安溪) unless the bare name is an everyday word
(大方, 长寿, 光明, 平安 …) or names something else in sales talk (龙井 tea, 东海 the sea) — ``_AMBIGUOUS``.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ahocorasick_rs

_DATA = Path(__file__).with_name("data") / "regions.csv"

CHINA = "CN"

COUNTRIES: dict[str, str] = {
    "中国": CHINA,
    "国产": CHINA,
    "国内": CHINA,
    "澳大利亚": "AU",
    "澳洲": "AU",
    "新西兰": "NZ",
    "日本": "JP",
    "韩国": "KR",
    "朝鲜": "KP",
    "法国": "FR",
    "意大利": "IT",
    "德国": "DE",
    "英国": "GB",
    "西班牙": "ES",
    "葡萄牙": "PT",
    "荷兰": "NL",
    "比利时": "BE",
    "瑞士": "CH",
    "瑞典": "SE",
    "挪威": "NO",
    "丹麦": "DK",
    "芬兰": "FI",
    "爱尔兰": "IE",
    "奥地利": "AT",
    "希腊": "GR",
    "俄罗斯": "RU",
    "美国": "US",
    "加州": "US",
    "加拿大": "CA",
    "墨西哥": "MX",
    "巴西": "BR",
    "阿根廷": "AR",
    "智利": "CL",
    "秘鲁": "PE",
    "乌拉圭": "UY",
    "厄瓜多尔": "EC",
    "泰国": "TH",
    "越南": "VN",
    "马来西亚": "MY",
    "新加坡": "SG",
    "印度尼西亚": "ID",
    "印尼": "ID",
    "菲律宾": "PH",
    "柬埔寨": "KH",
    "缅甸": "MM",
    "印度": "IN",
    "斯里兰卡": "LK",
    "土耳其": "TR",
    "以色列": "IL",
    "埃及": "EG",
    "南非": "ZA",
    "蒙古国": "MN",
}

# Regions and landmarks that are no single division, as the division codes they cover.
REGIONS: dict[str, tuple[str, ...]] = {
    "东北": ("21", "22", "23"),
    "华北": ("11", "12", "13", "14", "15"),
    "华东": ("31", "32", "33", "34", "35", "36", "37"),
    "华中": ("41", "42", "43"),
    "华南": ("44", "45", "46"),
    "西南": ("50", "51", "52", "53", "54"),
    "西北": ("61", "62", "63", "64", "65"),
    "江浙沪": ("31", "32", "33"),
    "江浙": ("32", "33"),
    "两广": ("44", "45"),
    "川渝": ("50", "51"),
    "云贵": ("52", "53"),
    "赣南": ("3607",),
    "潮汕": ("4451", "4405", "4452"),
    "长白山": ("22",),
    "柴达木": ("6328",),
    "锡林郭勒": ("1525",),
    "贺兰山": ("64", "1529"),
    "茅台": ("520382",),
    "茅台镇": ("520382",),
    "大兴安岭": ("2327", "1507"),
    "塞北": ("15",),
    "胶东": ("3702", "3706", "3710", "3707"),
    "苏北": ("3203", "3207", "3208", "3209", "3213"),
    "陕北": ("6106", "6108"),
}


def _words(text: str) -> list[str]:
    return text.split()


# Bare county-level names that mean something else in sales talk or everyday speech.
_AMBIGUOUS = frozenset(
    _words(
        "和平 新华 长安 白云 南山 江北 江南 城中 城东 城西 城北 城南 市中 郊区 矿区 东区 西区 "
        "中区 东海 南海 龙井 平安 吉利 太平 和顺 新城 老城 鼓楼 红旗 光明 大方 乐业 长寿 富裕 "
        "安宁 清水 新兴 南部 东方 中原 大同 永和 太和 宝山 金山 青山 普陀 铁山 高新 开发 城关 "
        "向阳 前进 胜利 友好 团结 合作 和静 安定 白山 东山 西山 北关 南关 城区 新市 下城 上城 "
        "双桥 海城 兴城 江城 山城 中山 龙华 龙湖 龙山 凤凰 青河 清河 通道 东港 西湖 城阳 永安 "
        "长宁 正定 黄山 金平 建国 文明 大安 宁安 福安 安福 新乐 乐平 平和 和田县 海东 河东 "
        "河西 城厢 红山 小店 尖山 宝塔 兴安 合山"
    )
)

_ETHNIC = sorted(
    _words(
        "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 "
        "畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 "
        "阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 "
        "门巴 珞巴 基诺 各"
    ),
    key=len,
    reverse=True,
)
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "盟", "县", "区", "旗", "林区")


# The peoples named in an autonomous division's name (延边朝鲜族自治州, 新疆维吾尔自治区), at least two characters in.
_PEOPLES_TAIL = re.compile(rf"(?<=..)(?:(?:{'|'.join(_ETHNIC)})族?)+$")


def _bare(name: str) -> str:
    """安溪县 → 安溪, 延边朝鲜族自治州 → 延边, 广西壮族自治区 → 广西."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            name = name[: -len(suffix)]
            if suffix.startswith("自治"):
                name = _PEOPLES_TAIL.sub("", name)
            break
    return name


def _key(adcode: str) -> str:
    if adcode.endswith("0000"):
        return CHINA + adcode[:2]
    if adcode.endswith("00"):
        return CHINA + adcode[:4]
    return CHINA + adcode


@dataclass(frozen=True)
class PlaceHit:
    name: str
    keys: frozenset[str]
    start: int
    end: int


class Gazetteer:
    """Names → place keys, matched leftmost-longest (Aho–Corasick) so that 内蒙古 wins over 蒙古国's prefix and
    贺兰山 over 贺兰."""

    def __init__(self, names: dict[str, frozenset[str]], weak: frozenset[str] = frozenset()) -> None:
        self.weak = weak  # bare county-level names (天全, 中宁): easily part of another word (今天全场)
        self._names = list(names)
        self._keys = [names[n] for n in self._names]
        self._automaton = ahocorasick_rs.AhoCorasick(self._names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    @property
    def names(self) -> list[str]:
        return list(self._names)

    def find(self, text: str) -> list[PlaceHit]:
        return [
            PlaceHit(self._names[index], self._keys[index], start, end)
            for index, start, end in self._automaton.find_matches_as_indexes(text)
        ]

    def resolve(self, text: str) -> frozenset[str]:
        """The place a listing's origin field names: each name narrowed by the ones before it (辽宁朝阳 → the city)."""
        place: frozenset[str] = frozenset()
        for hit in self.find(text):
            narrowed = frozenset(k for k in hit.keys if any(k.startswith(p) for p in place)) if place else hit.keys
            place = narrowed or hit.keys
        return place


def overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether the two places can be the same place (one contains, or is, the other)."""
    return any(x.startswith(y) or y.startswith(x) for x in a for y in b)


@cache
def gazetteer() -> Gazetteer:
    names: dict[str, set[str]] = defaultdict(set)
    strong: set[str] = set()
    with _DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            adcode, name = row["adcode"], row["name"]
            if name in {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}:
                continue
            key = _key(adcode)
            names[name].add(key)
            strong.add(name)
            bare = _bare(name)
            county = not adcode.endswith("00")
            if bare != name and len(bare) >= 2 and not (county and bare in _AMBIGUOUS):
                names[bare].add(key)
                if not county:
                    strong.add(bare)
    for name, country in COUNTRIES.items():
        names[name] = {country}
    for name, codes in REGIONS.items():
        names[name] = {CHINA + c for c in codes}
    names["内蒙"] = {CHINA + "15"}
    strong.update(COUNTRIES, REGIONS, ["内蒙"])
    return Gazetteer({n: frozenset(k) for n, k in names.items()}, frozenset(names) - strong)
