"""Prices (商品监测): fake original prices (虚构原价) judged on a price history, and the price claims hosts make
(全网最低, 历史最低价, 原价199今天99, 五折) checked against the prices actually observed.

**原价.** 《规范促销行为暂行规定》(市场监管总局令第32号, 2020) Article 20 fixes what a 原价 may be: the lowest
price the goods were *sold* at in the seven days before the promotion; with no sale in those days, the last sale
before it. 《明码标价和禁止价格欺诈规定》(令第56号, 2022) calls a comparison price with no such basis price fraud.
:func:`judge_original_price` applies that rule to a history of observations, and names the raise when the price was
pushed up inside the window just before the cut (the classic 先涨后降). With no sale on record at all, the lowest
*listed* price in the window stands in, and the verdict says so.

**Claims.** :func:`price_claims` finds them in a transcript; :func:`check_price_claims` judges each against the
history: 历史最低 (lowest ever) fails when the product sold lower in the look-back period; 全网最低 (lowest anywhere)
fails when another channel was observed lower at the same time, and is unverifiable without such observations; a
stated 原价 goes through :func:`judge_original_price`; N折 fails when the price is above N/10 of the lawful 原价.

Money is integer 分 (fen) throughout; times are timezone-aware.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from wanghong.governance.engine.numerals import NUMBER, chinese_number

REFERENCE_WINDOW = timedelta(days=7)  # 规范促销行为暂行规定 第二十条
LOOKBACK = timedelta(days=365)  # how far back 历史最低 is judged
OWN_CHANNEL = "self"


class Observation(StrEnum):
    SOLD = "sold"  # a transaction at this price
    LISTED = "listed"  # the price shown on the listing


@dataclass(frozen=True)
class PricePoint:
    at: datetime
    fen: int
    kind: Observation = Observation.LISTED
    channel: str = OWN_CHANNEL  # another shop or platform for 全网 comparisons


def yuan(fen: int) -> str:
    return f"{fen / 100:.2f}元"


class Basis(StrEnum):
    LOWEST_SOLD = "lowest_sold_7d"  # 促销前七日内最低成交价
    LAST_SOLD = "last_sold"  # 七日内无成交：促销前最后一次成交价
    LOWEST_LISTED = "lowest_listed_7d"  # no sale on record: the lowest listed price, a stand-in
    NONE = "none"


@dataclass(frozen=True)
class OriginalPriceVerdict:
    fake: bool | None  # None: no history to judge by
    claimed_fen: int
    reference_fen: int | None
    basis: Basis
    raised_at: datetime | None  # when the price was pushed up inside the window, if it was
    reason: str


def _own(history: Sequence[PricePoint]) -> list[PricePoint]:
    return sorted((p for p in history if p.channel == OWN_CHANNEL), key=lambda p: p.at)


def lawful_original_price(
    history: Sequence[PricePoint], promotion_start: datetime, *, window: timedelta = REFERENCE_WINDOW
) -> tuple[int | None, Basis]:
    """The highest 原价 the rule allows for a promotion starting at ``promotion_start``, and on what basis."""
    own = [p for p in _own(history) if p.at < promotion_start]
    recent = [p for p in own if p.at >= promotion_start - window]
    sold_recent = [p.fen for p in recent if p.kind is Observation.SOLD]
    if sold_recent:
        return min(sold_recent), Basis.LOWEST_SOLD
    sold_before = [p for p in own if p.kind is Observation.SOLD]
    if sold_before:
        return sold_before[-1].fen, Basis.LAST_SOLD
    listed_recent = [p.fen for p in recent]
    if listed_recent:
        return min(listed_recent), Basis.LOWEST_LISTED
    return None, Basis.NONE


def _raise_inside(history: Sequence[PricePoint], start: datetime, window: timedelta) -> PricePoint | None:
    """The first observation inside the window that is above every price before it."""
    own = [p for p in _own(history) if p.at < start]
    before = [p.fen for p in own if p.at < start - window]
    floor = before[-1] if before else None
    for point in (p for p in own if p.at >= start - window):
        if floor is not None and point.fen > floor:
            return point
        floor = point.fen if floor is None else min(floor, point.fen)
    return None


_BASIS_TEXT = {
    Basis.LOWEST_SOLD: ("促销前7日内最低成交价", "the lowest sale in the 7 days before the promotion"),
    Basis.LAST_SOLD: ("促销前最后一次成交价（7日内无成交）", "the last sale before the promotion (none in 7 days)"),
    Basis.LOWEST_LISTED: ("7日内最低标价（无成交记录，替代依据）", "the lowest listed price in 7 days (no sales)"),
}


def judge_original_price(
    history: Sequence[PricePoint],
    promotion_start: datetime,
    claimed_fen: int,
    *,
    window: timedelta = REFERENCE_WINDOW,
) -> OriginalPriceVerdict:
    """Whether a promotion's stated 原价 of ``claimed_fen`` is fictitious (虚构原价) by the seven-day rule."""
    reference, basis = lawful_original_price(history, promotion_start, window=window)
    if reference is None:
        return OriginalPriceVerdict(
            None, claimed_fen, None, basis, None, "无促销前价格记录，无法判断 / no price history before the promotion"
        )
    zh, en = _BASIS_TEXT[basis]
    if claimed_fen <= reference:
        return OriginalPriceVerdict(
            False,
            claimed_fen,
            reference,
            basis,
            None,
            f"原价 {yuan(claimed_fen)} 不高于{zh} {yuan(reference)} / the stated original price is not above {en}",
        )
    raised = _raise_inside(history, promotion_start, window)
    raised_zh = f"；{raised.at:%Y-%m-%d} 曾提价至 {yuan(raised.fen)}" if raised else ""
    raised_en = f"; the price was raised to {yuan(raised.fen)} on {raised.at:%Y-%m-%d}" if raised else ""
    return OriginalPriceVerdict(
        True,
        claimed_fen,
        reference,
        basis,
        raised.at if raised else None,
        f"虚构原价：标称原价 {yuan(claimed_fen)}，高于{zh} {yuan(reference)}{raised_zh} / fictitious original price: "
        f"{yuan(claimed_fen)} is above {en}, {yuan(reference)}{raised_en}",
    )


# ---------------------------------------------------------------------------------------------------- claims


class PriceClaimKind(StrEnum):
    LOWEST_EVER = "lowest_ever"  # 历史最低价, 史低, 全年最低
    LOWEST_ANYWHERE = "lowest_anywhere"  # 全网最低, 全网最便宜, 全网底价
    ORIGINAL_PRICE = "original_price"  # 原价199
    DISCOUNT = "discount"  # 五折, 5折


class PriceVerdict(StrEnum):
    CONSISTENT = "consistent"
    FALSE = "false"
    UNVERIFIABLE = "unverifiable"


@dataclass(frozen=True)
class PriceClaim:
    kind: PriceClaimKind
    text: str
    start: int
    end: int
    fen: int | None = None  # the stated 原价
    ratio: float | None = None  # 五折 → 0.5


@dataclass(frozen=True)
class PriceFinding:
    claim: PriceClaim
    verdict: PriceVerdict
    reason: str


_LOWEST_EVER = re.compile(r"历史(?:最低价?|新低|底价)|史低|全年最低价?|今年最低价?|有史以来最低")
_LOWEST_ANYWHERE = re.compile(r"全网(?:最低价?|最便宜|底价|最优惠|独家低价)|全平台最低价?|全网价格最低")
_NEGATED = re.compile(r"(?:不是|不敢说|不能说|不保证|不一定|没有|算不上)[^，。]{0,3}$")
_AMOUNT = rf"(?P<amount>{NUMBER})\s*(?:(?P<unit>块钱|块|元)(?P<jiao>[一二三四五六七八九\d])?(?:毛|角)?)?"
_ORIGINAL = re.compile(rf"(?:原价|划线价|专柜价|日常价|吊牌价)(?:是|为|要|都要)?\s*{_AMOUNT}")
_DISCOUNT = re.compile(rf"(?P<tenths>{NUMBER})\s*折")


def _fen(match: re.Match[str]) -> int | None:
    amount = chinese_number(match["amount"])
    if amount is None:
        return None
    jiao = chinese_number(match["jiao"]) if match["jiao"] else 0
    return round(amount * 100 + (jiao or 0) * 10)


def price_claims(speech: str) -> list[PriceClaim]:
    """The price claims in a transcript, in order."""
    claims: list[PriceClaim] = []
    for pattern, kind in (
        (_LOWEST_EVER, PriceClaimKind.LOWEST_EVER),
        (_LOWEST_ANYWHERE, PriceClaimKind.LOWEST_ANYWHERE),
    ):
        for match in pattern.finditer(speech):
            if not _NEGATED.search(speech[: match.start()]):
                claims.append(PriceClaim(kind, match.group(), match.start(), match.end()))
    for match in _ORIGINAL.finditer(speech):
        fen = _fen(match)
        if fen:
            claims.append(PriceClaim(PriceClaimKind.ORIGINAL_PRICE, match.group(), match.start(), match.end(), fen=fen))
    for match in _DISCOUNT.finditer(speech):
        tenths = chinese_number(match["tenths"])
        # 五折 = 0.5, 七五折 / 7.5折 = 0.75, 八八折 = 0.88 (two digits are hundredths)
        if tenths is None or tenths <= 0:
            continue
        spelled_by_digit = not re.search(r"[十拾百佰千仟万]", match["tenths"])
        ratio = tenths / 10 if tenths < 10 else tenths / 100 if tenths < 100 and spelled_by_digit else None
        if ratio is not None and 0 < ratio < 1:
            claims.append(PriceClaim(PriceClaimKind.DISCOUNT, match.group(), match.start(), match.end(), ratio=ratio))
    return sorted(claims, key=lambda c: c.start)


def _lowest_claim(
    claim: PriceClaim,
    current_fen: int,
    compared: Sequence[PricePoint],
    *,
    unknown: str,
    lower: Callable[[PriceClaim, PricePoint, int], str],
    holds: str,
) -> PriceFinding:
    """A 最低价 claim against the prices it compares with: false when any of them is below ``current_fen`` (the
    reason names the cheapest, through ``lower``), unverifiable when there are none to compare with."""
    cheapest = min(compared, key=lambda p: p.fen, default=None)
    if cheapest is None:
        return PriceFinding(claim, PriceVerdict.UNVERIFIABLE, unknown)
    if cheapest.fen < current_fen:
        return PriceFinding(claim, PriceVerdict.FALSE, lower(claim, cheapest, current_fen))
    return PriceFinding(claim, PriceVerdict.CONSISTENT, holds)


def _sold_lower_before(claim: PriceClaim, lower: PricePoint, current_fen: int) -> str:
    return (
        f"称「{claim.text}」，但 {lower.at:%Y-%m-%d} 曾以 {yuan(lower.fen)} 出售/标价，低于现价 "
        f"{yuan(current_fen)} / claimed {claim.text}, but it was {yuan(lower.fen)} on "
        f"{lower.at:%Y-%m-%d}, below today's {yuan(current_fen)}"
    )


def _sold_lower_elsewhere(claim: PriceClaim, cheaper: PricePoint, current_fen: int) -> str:
    return (
        f"称「{claim.text}」，但 {cheaper.channel} 同期售价 {yuan(cheaper.fen)}，低于现价 "
        f"{yuan(current_fen)} / claimed {claim.text}, but {cheaper.channel} sold it at "
        f"{yuan(cheaper.fen)}, below {yuan(current_fen)}"
    )


def check_price_claims(
    speech: str,
    current_fen: int,
    history: Sequence[PricePoint],
    *,
    at: datetime,
    promotion_start: datetime | None = None,
    lookback: timedelta = LOOKBACK,
) -> list[PriceFinding]:
    """Each price claim in ``speech`` judged for a product selling at ``current_fen`` at ``at``.

    ``history`` holds this shop's observations (channel ``self``) and any other channel's; ``promotion_start``
    (default ``at``) is when the current price took effect, the moment the 原价 rule looks back from."""
    start = promotion_start or at
    findings = []
    for claim in price_claims(speech):
        if claim.kind is PriceClaimKind.LOWEST_EVER:
            findings.append(
                _lowest_claim(
                    claim,
                    current_fen,
                    [p for p in _own(history) if at - lookback <= p.at < start],
                    unknown="无历史价格记录 / no price history",
                    lower=_sold_lower_before,
                    holds="现价不高于历史价格 / no lower price on record",
                )
            )
        elif claim.kind is PriceClaimKind.LOWEST_ANYWHERE:
            findings.append(
                _lowest_claim(
                    claim,
                    current_fen,
                    [p for p in history if p.channel != OWN_CHANNEL and at - REFERENCE_WINDOW <= p.at <= at],
                    unknown="无其他渠道同期价格 / no other channel observed this week",
                    lower=_sold_lower_elsewhere,
                    holds="同期其他渠道均不低于现价 / nowhere cheaper",
                )
            )
        elif claim.kind is PriceClaimKind.ORIGINAL_PRICE:
            assert claim.fen is not None
            verdict = judge_original_price(history, start, claim.fen)
            findings.append(
                PriceFinding(
                    claim,
                    PriceVerdict.UNVERIFIABLE
                    if verdict.fake is None
                    else PriceVerdict.FALSE
                    if verdict.fake
                    else PriceVerdict.CONSISTENT,
                    verdict.reason,
                )
            )
        else:
            assert claim.ratio is not None
            reference, basis = lawful_original_price(history, start)
            if reference is None:
                findings.append(PriceFinding(claim, PriceVerdict.UNVERIFIABLE, "无促销前价格记录 / no price history"))
            elif current_fen > round(reference * claim.ratio) + 1:  # a fen of rounding
                findings.append(
                    PriceFinding(
                        claim,
                        PriceVerdict.FALSE,
                        f"称「{claim.text}」，现价 {yuan(current_fen)} 是依法原价 {yuan(reference)} 的 "
                        f"{current_fen / reference:.0%} / claimed {claim.text}, but {yuan(current_fen)} is "
                        f"{current_fen / reference:.0%} of the lawful original price {yuan(reference)}",
                    )
                )
            else:
                findings.append(
                    PriceFinding(claim, PriceVerdict.CONSISTENT, f"折扣属实（依据：{basis.value}）/ discount holds")
                )
    return findings
