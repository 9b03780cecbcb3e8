"""Prices (商品监测): the seven-day 原价 rule (虚构原价, raise-then-cut) and price claims in speech against the
observed history (历史最低, 全网最低, 原价…, N折)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wanghong.governance.engine.pricing import (
    Basis,
    Observation,
    PriceClaimKind,
    PricePoint,
    PriceVerdict,
    check_price_claims,
    judge_original_price,
    lawful_original_price,
    price_claims,
)

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)
PROMO = T0 + timedelta(days=20)


def day(n: float) -> datetime:
    return PROMO - timedelta(days=n)


def sold(n: float, fen: int) -> PricePoint:
    return PricePoint(day(n), fen, Observation.SOLD)


def listed(n: float, fen: int, channel: str = "self") -> PricePoint:
    return PricePoint(day(n), fen, Observation.LISTED, channel)


def test_raise_then_cut_is_a_fictitious_original_price() -> None:
    """Sold at 99 for weeks, listed at 199 three days before the 双11 cut back to 99, 原价 199."""
    history = [sold(15, 9900), sold(10, 9900), listed(3, 19900), listed(1, 19900)]
    verdict = judge_original_price(history, PROMO, 19900)
    assert verdict.fake is True and verdict.reference_fen == 9900 and verdict.basis is Basis.LAST_SOLD
    assert verdict.raised_at == day(3)
    assert verdict.reason.startswith("虚构原价：标称原价 199.00元，高于促销前最后一次成交价")
    assert "曾提价至 199.00元" in verdict.reason and "the price was raised to 199.00元" in verdict.reason


def test_the_lowest_sale_in_seven_days_is_the_lawful_original_price() -> None:
    history = [sold(6, 15900), sold(4, 14900), sold(2, 15900), sold(9, 9900)]  # the 99 sale is 9 days old
    assert lawful_original_price(history, PROMO) == (14900, Basis.LOWEST_SOLD)
    assert judge_original_price(history, PROMO, 14900).fake is False
    assert judge_original_price(history, PROMO, 15900).fake is True


def test_a_sale_exactly_seven_days_before_counts_and_one_after_the_start_does_not() -> None:
    history = [sold(7, 9900), sold(-1, 5000)]
    assert lawful_original_price(history, PROMO) == (9900, Basis.LOWEST_SOLD)


def test_without_sales_the_lowest_listed_price_stands_in_and_says_so() -> None:
    history = [listed(5, 12900), listed(2, 11900)]
    verdict = judge_original_price(history, PROMO, 12900)
    assert verdict.fake is True and verdict.basis is Basis.LOWEST_LISTED and "无成交记录" in verdict.reason


def test_no_history_cannot_be_judged() -> None:
    verdict = judge_original_price([], PROMO, 19900)
    assert verdict.fake is None and verdict.basis is Basis.NONE


def test_other_channels_never_set_the_original_price() -> None:
    history = [sold(3, 9900), listed(2, 29900, channel="某宝旗舰店")]
    assert lawful_original_price(history, PROMO) == (9900, Basis.LOWEST_SOLD)


@pytest.mark.parametrize(
    ("speech", "kinds"),
    [
        ("全网最低价，历史最低", [PriceClaimKind.LOWEST_ANYWHERE, PriceClaimKind.LOWEST_EVER]),
        ("今天史低，原价一百九十九", [PriceClaimKind.LOWEST_EVER, PriceClaimKind.ORIGINAL_PRICE]),
        ("我不敢说全网最低，但是很划算", []),
        ("七五折，8.8折", [PriceClaimKind.DISCOUNT, PriceClaimKind.DISCOUNT]),
        ("打折的时候再来", []),
    ],
)
def test_price_claims_are_found(speech: str, kinds: list[PriceClaimKind]) -> None:
    assert [c.kind for c in price_claims(speech)] == kinds


def test_stated_amounts_and_ratios_are_read() -> None:
    original, discount, nine_five = price_claims("原价三十九块九，现在五折，会员九五折")
    assert original.fen == 3990 and discount.ratio == 0.5 and nine_five.ratio == 0.95


def test_lowest_ever_fails_against_a_lower_past_price() -> None:
    history = [sold(40, 7900), sold(3, 9900)]
    (finding,) = check_price_claims("历史最低价", 8900, history, at=PROMO)
    assert finding.verdict is PriceVerdict.FALSE and "79.00元" in finding.reason
    (holds,) = check_price_claims("历史最低价", 7900, history, at=PROMO)
    assert holds.verdict is PriceVerdict.CONSISTENT


def test_lowest_anywhere_needs_other_channels() -> None:
    own = [sold(3, 9900)]
    (unknown,) = check_price_claims("全网最低", 8900, own, at=PROMO)
    assert unknown.verdict is PriceVerdict.UNVERIFIABLE
    (false,) = check_price_claims("全网最低", 8900, [*own, listed(1, 8500, "某宝旗舰店")], at=PROMO)
    assert false.verdict is PriceVerdict.FALSE and "某宝旗舰店" in false.reason
    (old,) = check_price_claims("全网最低", 8900, [*own, listed(30, 8500, "某宝旗舰店")], at=PROMO)
    assert old.verdict is PriceVerdict.UNVERIFIABLE  # a month-old price elsewhere says nothing about today


def test_stated_original_price_and_discount_in_speech() -> None:
    history = [sold(15, 9900), listed(3, 19900)]
    original, discount = check_price_claims("原价199，今天五折", 9900, history, at=PROMO)
    assert original.verdict is PriceVerdict.FALSE and "虚构原价" in original.reason
    assert discount.verdict is PriceVerdict.FALSE and "100%" in discount.reason
    honest = [sold(5, 19900), sold(2, 19900)]
    assert [f.verdict for f in check_price_claims("原价199，今天五折", 9950, honest, at=PROMO)] == [
        PriceVerdict.CONSISTENT,
        PriceVerdict.CONSISTENT,
    ]
