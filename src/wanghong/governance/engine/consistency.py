"""Listing-vs-speech consistency (商品监测): what the host *says* about the product, checked against what its
listing *states* — the Shangcheng platform's showcase catch was a host saying 天丝 while the detail page said
100%棉.

Four kinds of claim are extracted from a transcript, each with its span:

* **fabric** (面料): a fibre (天丝/莱赛尔, 棉, 真丝/桑蚕丝, 羊毛, 羊绒, 麻, 莫代尔, 涤纶/聚酯纤维, 锦纶/尼龙,
  氨纶, 粘纤/人造棉, 腈纶, 醋酸, 竹纤维), with 纯/全/100% (``exclusive``) or a stated share (含棉量95%);
* **origin** (产地): a division, region or country from :mod:`.regions` (阿克苏, 东北, 澳洲进口, 国产);
* **net content** (净含量): a mass or volume with Chinese numerals and units (一斤半, 二两, 1.5L), see
  :mod:`.numerals`;
* **certification** (认证): 有机, 绿色食品, 3C/CCC, 地理标志, 无公害.

A mention is *not* a claim about this product when the clause negates it (不是天丝的), compares with something
else (比那种涤纶的, 像新疆那种), describes a look or feel (有真丝的光泽), speaks of another item (那款已经卖完了,
不是今天卖的), locates the host (我们在杭州, 老家是湖南的) or the warehouse (发货地是义乌, 江浙沪包邮), or weighs
a person (我一百零五斤) or one piece (一条大概半斤); a mass followed by a price (一斤不到二十块) is a unit price.

Each claim is then checked against the listing (:class:`Listing`, built from its attribute strings) and gets
a :class:`Verdict`: ``mismatch`` (the listing contradicts it), ``consistent``, or ``unverifiable`` (the listing
does not state that attribute, or states it in another dimension — millilitres against grams).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from wanghong.governance.engine.numerals import NUMBER, Dimension, Quantity, chinese_number, quantities
from wanghong.governance.engine.regions import PlaceHit, gazetteer, overlap


class ClaimKind(StrEnum):
    FABRIC = "fabric"
    ORIGIN = "origin"
    NET_CONTENT = "net_content"
    CERTIFICATION = "certification"


class Verdict(StrEnum):
    CONSISTENT = "consistent"
    MISMATCH = "mismatch"
    UNVERIFIABLE = "unverifiable"


# ---------------------------------------------------------------------------------------------------- lexicons

# Fibre spellings → canonical fibre. A spelling listed with None is a look-alike that claims no fibre at all.
FIBRES: dict[str, str | None] = {
    "天丝": "天丝",
    "莱赛尔": "天丝",
    "lyocell": "天丝",
    "tencel": "天丝",
    "莫代尔": "莫代尔",
    "modal": "莫代尔",
    "棉": "棉",
    "纯棉": "棉",
    "全棉": "棉",
    "精梳棉": "棉",
    "长绒棉": "棉",
    "有机棉": "棉",
    "棉花": "棉",
    "纱布": "棉",
    "人造棉": "粘纤",
    "人棉": "粘纤",
    "粘纤": "粘纤",
    "黏纤": "粘纤",
    "粘胶": "粘纤",
    "粘胶纤维": "粘纤",
    "人造丝": "粘纤",
    "真丝": "蚕丝",
    "桑蚕丝": "蚕丝",
    "蚕丝": "蚕丝",
    "柞蚕丝": "蚕丝",
    "丝绸": "蚕丝",
    "仿真丝": None,
    "冰丝": None,
    "羊毛": "羊毛",
    "绵羊毛": "羊毛",
    "美利奴": "羊毛",
    "仿羊毛": None,
    "羊绒": "羊绒",
    "山羊绒": "羊绒",
    "亚麻": "麻",
    "苎麻": "麻",
    "汉麻": "麻",
    "涤纶": "聚酯纤维",
    "聚酯纤维": "聚酯纤维",
    "聚酯": "聚酯纤维",
    "polyester": "聚酯纤维",
    "锦纶": "锦纶",
    "尼龙": "锦纶",
    "nylon": "锦纶",
    "氨纶": "氨纶",
    "莱卡": "氨纶",
    "spandex": "氨纶",
    "腈纶": "腈纶",
    "亚克力": "腈纶",
    "醋酸纤维": "醋酸纤维",
    "醋酸": "醋酸纤维",
    "竹纤维": "竹纤维",
    # Words that contain a fibre's name but are a garment, a filling or a product, not a fabric claim.
    "棉服": None,
    "棉袄": None,
    "棉鞋": None,
    "棉签": None,
    "棉柔巾": None,
    "羽绒": None,
    "丝巾": None,
    "丝滑": None,
}
_FIBRE_PAIRS = {"棉麻": ("棉", "麻")}
# A claimed fibre a listing may spell as a near kin: wool claimed, cashmere listed is no lie.
_SATISFIED_BY = {"羊毛": ("羊毛", "羊绒")}
PURE_MINIMUM = 95.0  # 纯棉/100%棉: GB/T 29862 lets a "pure" fibre fall to 95 %
SHARE_TOLERANCE = 5.0  # a stated share within ±5 points of the listing's (GB/T 29862 tolerance)

# Certification spellings → canonical mark; the listing side uses the same table.
CERTIFICATIONS: dict[str, str] = {
    "有机": "有机产品",
    "绿色食品": "绿色食品",
    "绿标": "绿色食品",
    "3c": "ccc",
    "ccc": "ccc",
    "强制性产品认证": "ccc",
    "地理标志": "地理标志",
    "地标产品": "地理标志",
    "无公害": "无公害农产品",
}
_CERT_LABEL = {
    "有机产品": "有机产品认证 / organic",
    "绿色食品": "绿色食品 / green food",
    "ccc": "3C 强制性产品认证 / CCC",
    "地理标志": "地理标志产品 / geographical indication",
    "无公害农产品": "无公害农产品 / pollution-free produce",
}
# 有机 followed by these is chemistry, glass or an opportunity, not a certificate (有机会, 有机玻璃, 有机肥).
_NOT_ORGANIC = re.compile(r"有机(?:会|质|玻璃|肥|物|化|硅|溶剂|体|酸|磷|氯|可乘|械)")
_NOT_CCC = re.compile(r"3c(?:数码|电子|产品|配件|类)", re.IGNORECASE)

_FIBRE_RE = re.compile(
    "|".join(re.escape(s) for s in sorted([*FIBRES, *_FIBRE_PAIRS], key=len, reverse=True)), re.IGNORECASE
)
_CERT_RE = re.compile("|".join(re.escape(s) for s in sorted(CERTIFICATIONS, key=len, reverse=True)), re.IGNORECASE)

# ---------------------------------------------------------------------------------------------------- context

_CLAUSE = re.compile(r"[^，。！？；,.!?;\n]+")
_NEGATION = re.compile(r"(?:不是|并不是|并非|没有|不含|不算|谈不上|不属于|不用|没用)[^是]{0,6}$")
_COMPARISON = re.compile(
    r"(?:比|像|不像|跟|和|与|同|那种|别家|别人家|其他家|市面上|不输|不亚于|媲美|堪比|胜过|赛过)[^是]{0,6}$"
)
_MISTAKEN = re.compile(r"(?:以为|当成|当作|误认为|误以为)(?:是|它是)?[^，是]{0,3}$")  # 很多人以为是真丝
# A bare county name (中宁, 天全) counts only where a place can start: after these, or another place.
_PLACE_CAN_START = re.compile(r"(?:^|[是的在自于产地宗道我们咱省市县区州]|来自|正宗|原产|地道)$")
_CONSUMPTION = re.compile(r"(?:吃|喝|用|泡|煮|炖|炒|蒸)[^，]{0,2}$")
_RESEMBLANCE = re.compile(r"^[的般]?(?:光泽|手感|质感|垂感|感觉|效果|一样|似的|那样)")
_OTHER_ITEM = re.compile(r"那款|那件|卖完|售罄|不是今天卖|不是这款|不是这件|下周|下次再|下一款|上一款|之前那")
_HOST_PLACE = re.compile(r"(?:(?<![产种长生])在|老家|我是|住在|来到|人在|回到|家在|我们这边是?)[^，]{0,2}$")
_SHIPPING_BEFORE = re.compile(r"(?:发货地|发货|从|仓库|仓)[是在为]?$")
_SHIPPING_AFTER = re.compile(r"^(?:包邮|发货|发出|仓|直播间|人)")
_PERSON_WEIGHT = re.compile(r"(?:我|你|他|她|宝宝|宝贝|孩子|小孩|体重|姐妹|主播|人)[^，]{0,4}$")
_PIECE = re.compile(rf"(?:[一每单](?:条|个|颗|只|根|枚|粒|瓣|片|头)|{NUMBER}[条个颗只根枚粒])(?:大概|大约|差不多|约)?$")
_DIFFERENCE = re.compile(r"(?:多|少|差|重了?|轻了?|多出|送|赠|加)$")
_UNIT_PRICE = re.compile(rf"^(?:不到|才|只要|就|也就|仅)?{NUMBER}(?:块|元|毛)")
_PRICE = re.compile(rf"{NUMBER}(?:块|元)(?:[一二三四五六七八九\d](?![斤克升公毫千]))?")
_SHARE = rf"(?:百分之(?P<cn>{NUMBER})|(?P<num>\d+(?:\.\d+)?)\s*[%％])"
_SHARE_BEFORE = re.compile(rf"{_SHARE}\s*的?$")  # 95%棉, 百分之九十的棉
_SHARE_AFTER = re.compile(rf"^的?含?量?(?:是|为|有|达到|占比)?\s*{_SHARE}")  # 棉80%, 棉含量80%, 含棉量百分之九十五
_PURE_BEFORE = re.compile(r"(?:纯|全|100\s*[%％]|百分之?百)$")
_APPROXIMATE = re.compile(r"(?:大概|大约|约|差不多|左右|多一点|不到)")

# ---------------------------------------------------------------------------------------------------- listing


@dataclass(frozen=True)
class NetContent:
    per_unit: Quantity
    count: int = 1

    @property
    def total(self) -> float:
        return self.per_unit.value * self.count


_ATTRIBUTE_KEYS: dict[str, tuple[str, ...]] = {
    "fabric": ("fabric", "面料", "材质", "成分", "面料成分", "成分含量", "材质成分"),
    "origin": ("origin", "产地", "原产地", "产区", "国产/进口"),
    "net_content": ("net_content", "净含量", "规格", "重量", "容量"),
    "certifications": ("certifications", "认证", "资质", "产品认证"),
}


@dataclass(frozen=True)
class Listing:
    """What the listing states; ``None`` (or an absent certifications list) means it does not say."""

    fabric: Mapping[str, float] | None = None  # canonical fibre → percent
    fabric_text: str | None = None
    origin: frozenset[str] | None = None
    origin_text: str | None = None
    net_content: NetContent | None = None
    net_content_text: str | None = None
    certifications: frozenset[str] | None = None

    @classmethod
    def from_attributes(cls, attributes: Mapping[str, object]) -> Listing:
        """A listing from its attribute table, keyed in English or as detail pages write them (材质, 产地, 净含量…)."""

        def first(field_name: str) -> object:
            return next((attributes[k] for k in _ATTRIBUTE_KEYS[field_name] if k in attributes), None)

        fabric, origin, content, certs = (first(f) for f in ("fabric", "origin", "net_content", "certifications"))
        return cls(
            fabric=parse_composition(str(fabric)) if fabric else None,
            fabric_text=str(fabric) if fabric else None,
            origin=(gazetteer().resolve(str(origin)) or None) if origin else None,
            origin_text=str(origin) if origin else None,
            net_content=parse_net_content(str(content)) if content else None,
            net_content_text=str(content) if content else None,
            certifications=None if certs is None else parse_certifications(certs),
        )


def parse_composition(text: str) -> dict[str, float]:
    """棉65% 聚酯纤维35% → {"棉": 65, "聚酯纤维": 35}; a fibre without a share takes what is left, split evenly."""
    shares: dict[str, float] = {}
    unshared: list[str] = []
    for match in _FIBRE_RE.finditer(text):
        fibres = _FIBRE_PAIRS.get(match.group()) or (FIBRES.get(match.group().lower()),)
        after = re.match(r"\s*[(（][^)）]*[)）]?\s*|\s*", text[match.end() :])
        tail = text[match.end() + (after.end() if after else 0) :]
        before = re.search(r"(\d+(?:\.\d+)?)\s*[%％]\s*$", text[: match.start()])
        share = re.match(r"(\d+(?:\.\d+)?)\s*[%％]", tail)
        value = float(share.group(1)) if share else float(before.group(1)) if before else None
        for fibre in fibres:
            if fibre is None or fibre in shares:
                continue
            if value is None:
                unshared.append(fibre)
            else:
                shares[fibre] = shares.get(fibre, 0.0) + value / len(fibres)
    if unshared:
        rest = max(0.0, 100.0 - sum(shares.values())) / len(unshared)
        for fibre in unshared:
            shares.setdefault(fibre, rest)
    return shares


def parse_net_content(text: str) -> NetContent | None:
    """500g, 1.5L, 200g×5, 250ml*12瓶 → per-unit quantity and count."""
    found = quantities(text)
    if not found:
        return None
    per_unit = found[0]
    count = re.match(r"\s*[×xX*]\s*(\d+)", text[per_unit.end :])
    return NetContent(per_unit, int(count.group(1)) if count else 1)


def parse_certifications(value: object) -> frozenset[str]:
    items = [value] if isinstance(value, str) else list(value) if isinstance(value, Sequence) else []
    marks: set[str] = set()
    for item in items:
        marks.update(CERTIFICATIONS[m.group().lower()] for m in _CERT_RE.finditer(str(item)))
    return frozenset(marks)


# ---------------------------------------------------------------------------------------------------- claims


@dataclass(frozen=True)
class Claim:
    kind: ClaimKind
    text: str  # the words as said
    start: int
    end: int
    fibres: tuple[str, ...] = ()
    exclusive: bool = False
    share: float | None = None
    place: frozenset[str] = frozenset()
    quantity: Quantity | None = None
    approximate: bool = False
    mark: str | None = None


@dataclass(frozen=True)
class Finding:
    claim: Claim
    verdict: Verdict
    reason: str  # Chinese / English
    listed: str | None = None  # what the listing says, as written there


@dataclass(frozen=True)
class _Clause:
    text: str
    start: int
    off_product: bool = False  # about another item (那款已经卖完了), so it claims nothing about this one


def _clauses(text: str) -> list[_Clause]:
    found = [_Clause(m.group(), m.start()) for m in _CLAUSE.finditer(text)]
    # "我身上穿的这件是纯棉的，不是今天卖的": the clause naming another item disowns itself and the one before it.
    marked = [bool(_OTHER_ITEM.search(c.text)) for c in found]
    return [
        _Clause(
            c.text, c.start, marked[i] or (i + 1 < len(found) and marked[i + 1] and _disowns_previous(found[i + 1]))
        )
        for i, c in enumerate(found)
    ]


def _disowns_previous(clause: _Clause) -> bool:
    return bool(re.match(r"^(?:不是今天卖|不是这款|不是这件|那是|这个不卖)", clause.text))


def _stated_share(before: str, after: str) -> float | None:
    match = _SHARE_BEFORE.search(before) or _SHARE_AFTER.match(after)
    return chinese_number(match["cn"] or match["num"]) if match else None


def _negated_or_compared(before: str) -> bool:
    return bool(_NEGATION.search(before) or _COMPARISON.search(before) or _MISTAKEN.search(before))


def _fabric_claims(clause: _Clause) -> list[Claim]:
    claims = []
    for match in _FIBRE_RE.finditer(clause.text):
        word = match.group()
        fibres = _FIBRE_PAIRS.get(word) or (FIBRES.get(word.lower()),)
        if any(f is None for f in fibres):
            continue
        before, after = clause.text[: match.start()], clause.text[match.end() :]
        if _negated_or_compared(before) or _RESEMBLANCE.match(after):
            continue
        exclusive = word in {"纯棉", "全棉"} or bool(_PURE_BEFORE.search(before))
        share = None if exclusive else _stated_share(before, after)
        if share is not None and share >= 100:
            exclusive, share = True, None
        start = clause.start + match.start()
        claims.append(
            Claim(
                ClaimKind.FABRIC,
                word,
                start,
                start + len(word),
                fibres=tuple(f for f in fibres if f),
                exclusive=exclusive,
                share=share,
            )
        )
    return claims


def _origin_claims(clause: _Clause) -> list[Claim]:
    claims: list[Claim] = []
    places = gazetteer()
    hits = places.find(clause.text)
    groups: list[list[PlaceHit]] = []
    for hit in hits:  # 宁夏中宁, 美国加州: adjacent names (or joined by 的) are one place
        if groups and hit.start - groups[-1][-1].end <= 1 and clause.text[groups[-1][-1].end : hit.start] in ("", "的"):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    for group in groups:
        first, last = group[0], group[-1]
        before, after = clause.text[: first.start], clause.text[last.end :]
        if _negated_or_compared(before) or _HOST_PLACE.search(before) or _SHIPPING_BEFORE.search(before):
            continue
        if _SHIPPING_AFTER.match(after) or _RESEMBLANCE.match(after) or re.match(r"^那种", after):
            continue
        if first.name in {"意大利"} and after.startswith("面"):  # 意大利面 is pasta
            continue
        if first.name in places.weak and not _PLACE_CAN_START.search(before):
            continue
        place = first.keys
        for hit in group[1:]:
            place = frozenset(k for k in hit.keys if any(k.startswith(p) or p.startswith(k) for p in place)) or hit.keys
        start = clause.start + first.start
        claims.append(
            Claim(ClaimKind.ORIGIN, clause.text[first.start : last.end], start, clause.start + last.end, place=place)
        )
    return claims


def _mask_prices(text: str) -> str:
    # 三十九块九两斤: the 九 after 块 is jiao, so it must not read as 九两 (450 g).
    return _PRICE.sub(lambda m: "＃" * len(m.group()), text)


def _content_claims(clause: _Clause) -> list[Claim]:
    claims = []
    masked = _mask_prices(clause.text)
    for quantity in quantities(masked):
        before, after = masked[: quantity.start], clause.text[quantity.end :]
        if _PERSON_WEIGHT.search(before) or _PIECE.search(before) or _DIFFERENCE.search(before):
            continue
        if _CONSUMPTION.search(before):  # 一顿能吃半斤: how much one eats, not how much one buys
            continue
        if _UNIT_PRICE.match(after) or re.match(r"^(?:重|的重量)?(?:穿|的人|的宝宝|的孩子)", after):
            continue
        if re.search(r"(?:面料|克重|布料|纱|支)$", before) or re.match(r"^(?:重|克重)", after):
            continue  # the fabric's weight (两百克重的T恤), not the net content
        if _negated_or_compared(before):
            continue
        start = clause.start + quantity.start
        approximate = bool(_APPROXIMATE.search(clause.text))
        claims.append(
            Claim(
                ClaimKind.NET_CONTENT,
                clause.text[quantity.start : quantity.end],
                start,
                clause.start + quantity.end,
                quantity=Quantity(quantity.value, quantity.dimension, start, clause.start + quantity.end),
                approximate=approximate,
            )
        )
    return claims


def _certification_claims(clause: _Clause) -> list[Claim]:
    claims = []
    for match in _CERT_RE.finditer(clause.text):
        rest = clause.text[match.start() :]
        if _NOT_ORGANIC.match(rest) or _NOT_CCC.match(rest):
            continue
        mark = CERTIFICATIONS[match.group().lower()]
        if mark == "绿色食品" and match.group() == "绿标" and re.match(r"^绿标签", rest):
            continue
        before = clause.text[: match.start()]
        if _NEGATION.search(before) or re.search(r"(?:没有|没)$", before):
            continue
        start = clause.start + match.start()
        claims.append(Claim(ClaimKind.CERTIFICATION, match.group(), start, start + len(match.group()), mark=mark))
    return claims


def extract_claims(speech: str) -> list[Claim]:
    """Every claim the speech makes about the product on sale, in order of appearance."""
    claims: list[Claim] = []
    for clause in _clauses(speech):
        if clause.off_product:
            continue
        claims += _fabric_claims(clause)
        claims += _origin_claims(clause)
        claims += _content_claims(clause)
        claims += _certification_claims(clause)
    return sorted(claims, key=lambda c: (c.start, c.kind))


# ---------------------------------------------------------------------------------------------------- checking


def _check_fabric(claim: Claim, listing: Listing) -> Finding:
    if listing.fabric is None:
        return Finding(claim, Verdict.UNVERIFIABLE, "商品未标注面料 / the listing states no fabric")
    listed = listing.fabric_text
    for fibre in claim.fibres:
        present = sum(listing.fabric.get(f, 0.0) for f in _SATISFIED_BY.get(fibre, (fibre,)))
        if present <= 0:
            return Finding(
                claim,
                Verdict.MISMATCH,
                f"口播称「{claim.text}」，商品面料为 {listed}，不含{fibre} / said {claim.text!r}, the listing's "
                f"fabric is {listed}, with no {fibre}",
                listed,
            )
        if claim.exclusive and present < PURE_MINIMUM:
            return Finding(
                claim,
                Verdict.MISMATCH,
                f"口播称纯{fibre}，商品{fibre}含量为 {present:g}% / said pure {fibre}, the listing has {present:g}%",
                listed,
            )
        if claim.share is not None and abs(claim.share - present) > SHARE_TOLERANCE:
            return Finding(
                claim,
                Verdict.MISMATCH,
                f"口播称{fibre}含量 {claim.share:g}%，商品标注 {present:g}% / said {claim.share:g}% {fibre}, "
                f"the listing has {present:g}%",
                listed,
            )
    return Finding(claim, Verdict.CONSISTENT, f"与商品面料 {listed} 一致 / agrees with the listing", listed)


def _check_origin(claim: Claim, listing: Listing) -> Finding:
    if listing.origin is None:
        return Finding(claim, Verdict.UNVERIFIABLE, "商品未标注产地 / the listing states no origin")
    listed = listing.origin_text
    if overlap(claim.place, listing.origin):
        return Finding(claim, Verdict.CONSISTENT, f"与商品产地 {listed} 一致 / agrees with the listing", listed)
    return Finding(
        claim,
        Verdict.MISMATCH,
        f"口播称产地「{claim.text}」，商品产地为 {listed} / said the origin is {claim.text}, the listing says {listed}",
        listed,
    )


def _close(said: float, listed: float, approximate: bool) -> bool:
    tolerance = 0.1 if approximate else 0.02
    return abs(said - listed) <= tolerance * listed


def _check_content(claim: Claim, listing: Listing) -> Finding:
    content = listing.net_content
    assert claim.quantity is not None
    if content is None:
        return Finding(claim, Verdict.UNVERIFIABLE, "商品未标注净含量 / the listing states no net content")
    listed = listing.net_content_text
    if content.per_unit.dimension is not claim.quantity.dimension:
        return Finding(
            claim,
            Verdict.UNVERIFIABLE,
            f"口播为{'质量' if claim.quantity.dimension is Dimension.MASS else '容量'}，商品标注 {listed}，无法换算 / "
            f"said a {claim.quantity.dimension.value}, the listing states {listed}",
            listed,
        )
    said = claim.quantity.value
    if any(_close(said, v, claim.approximate) for v in (content.per_unit.value, content.total)):
        return Finding(claim, Verdict.CONSISTENT, f"与商品净含量 {listed} 一致 / agrees with the listing", listed)
    return Finding(
        claim,
        Verdict.MISMATCH,
        f"口播称「{claim.text}」（{claim.quantity.describe()}），商品净含量为 {listed} / said {claim.text} "
        f"({claim.quantity.describe()}), the listing states {listed}",
        listed,
    )


def _check_certification(claim: Claim, listing: Listing) -> Finding:
    if listing.certifications is None:
        return Finding(claim, Verdict.UNVERIFIABLE, "商品未登记认证信息 / the listing records no certifications")
    label = _CERT_LABEL.get(claim.mark or "", claim.mark or "")
    if claim.mark in listing.certifications:
        return Finding(claim, Verdict.CONSISTENT, f"商品已登记{label} / the listing records it")
    return Finding(
        claim,
        Verdict.MISMATCH,
        f"口播称「{claim.text}」，商品未登记{label.split(' / ')[0]} / said {claim.text!r}, the listing records no "
        f"{label.split(' / ')[-1]} certification",
    )


_CHECKS = {
    ClaimKind.FABRIC: _check_fabric,
    ClaimKind.ORIGIN: _check_origin,
    ClaimKind.NET_CONTENT: _check_content,
    ClaimKind.CERTIFICATION: _check_certification,
}


def check_speech(speech: str, listing: Listing) -> list[Finding]:
    """One finding per claim in ``speech``, checked against ``listing``."""
    return [_CHECKS[claim.kind](claim, listing) for claim in extract_claims(speech)]


def mismatches(speech: str, listing: Listing) -> list[Finding]:
    return [f for f in check_speech(speech, listing) if f.verdict is Verdict.MISMATCH]
