"""Money as integer fen (分), and splitting a total so that not one fen is lost.

Amounts in the commerce tables are decimals with two places (yuan); the ledger keeps integers, because a sum of
integers is exact on every database and in Python, and "balanced" must mean equal, not close.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

Rate = Fraction | Decimal | int | float | str

FEN_PER_YUAN = 100


class MoneyError(ValueError):
    """An amount or rate the ledger cannot represent exactly (a fraction of a fen, a negative weight)."""


def to_fen(yuan: Decimal | int | str) -> int:
    """Yuan (a decimal with at most two places) to fen, exactly; a third decimal place is refused, not rounded."""
    value = Decimal(yuan) * FEN_PER_YUAN
    if value != value.to_integral_value():
        raise MoneyError(f"{yuan} yuan is not a whole number of fen")
    return int(value)


def to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def as_fraction(rate: Rate) -> Fraction:
    """A rate as an exact fraction. A float goes through its shortest decimal form (0.1 → 1/10, not
    3602879701896397/36028797018963968), since rates such as `commission_rate` are stored as floats."""
    if isinstance(rate, float):
        return Fraction(Decimal(repr(rate)))
    return Fraction(rate)


def split(total: int, weights: Sequence[Rate]) -> list[int]:
    """Split `total` fen in proportion to `weights` by the largest-remainder method: every part is the floor of
    its exact share, and the fen left over go one each to the parts with the largest remainders, ties to the
    earlier part. The parts always sum to `total`, and the same input always gives the same parts."""
    exact = [as_fraction(w) for w in weights]
    if not exact:
        raise MoneyError("nothing to split into")
    if any(w < 0 for w in exact):
        raise MoneyError("split weights must not be negative")
    weight_sum = sum(exact, Fraction(0))
    if weight_sum == 0:
        raise MoneyError("split weights sum to zero")
    # A negative total (a reversal) splits like its positive, mirrored, so a reversal undoes its original exactly.
    sign, magnitude = (-1, -total) if total < 0 else (1, total)
    shares = [magnitude * w / weight_sum for w in exact]
    parts = [s.numerator // s.denominator for s in shares]
    left_over = magnitude - sum(parts)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i] - parts[i]), i))
    for i in by_remainder[:left_over]:
        parts[i] += 1
    return [sign * p for p in parts]


def portion(total: int, rate: Rate) -> int:
    """`rate` of `total` fen, rounded the way `split(total, [rate, 1 - rate])` rounds it (so the portion and
    what is left sum to the total). `rate` must lie in [0, 1]."""
    r = as_fraction(rate)
    if not 0 <= r <= 1:
        raise MoneyError(f"rate {rate} is outside [0, 1]")
    if r in (0, 1):
        return total * int(r)
    return split(total, [r, 1 - r])[0]
