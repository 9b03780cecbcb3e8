"""居民身份证号码 (GB 11643-1999): the structure check a platform can make before 实名认证.

An 18-character number is a 6-digit address code, the 8-digit birth date (YYYYMMDD), a 3-digit sequence (odd for
men, even for women) and a check character computed by ISO 7064 MOD 11-2 over the first 17 digits
(weights 2^(17-i) mod 11; the remainder indexes ``10X98765432``). A number that passes is well formed and says when
its holder was born — it does not prove that the person exists or is the one submitting it, which only the
public-security check behind a real-name service can; the operator verifying a creator compares it with the
document. Only the masked form (:func:`mask`) is ever stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
CHECK = "10X98765432"
# 省级行政区划代码 (GB/T 2260): 11–15 华北, 21–23 东北, 31–37 华东, 41–46 中南, 50–54 西南, 61–65 西北, and
# 71 台湾, 81 香港, 82 澳门 (居住证 numbers use the 83 prefix: 港澳台居民居住证).
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54}
    | {61, 62, 63, 64, 65, 71, 81, 82, 83}
)


@dataclass(frozen=True)
class IdVerdict:
    valid: bool
    number: str  # upper-cased, spaces removed
    birth_date: date | None
    reason: str  # Chinese / English; "" when valid


def check_character(first17: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def check_id_number(raw: str, *, on: date | None = None) -> IdVerdict:
    """Whether ``raw`` is a well-formed 18-character 居民身份证号码, and the birth date it carries."""
    number = "".join(raw.split()).upper()
    if len(number) != 18:
        return IdVerdict(
            False, number, None, f"应为18位，实为{len(number)}位 / 18 characters expected, got {len(number)}"
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return IdVerdict(False, number, None, "前17位须为数字，末位为数字或X / 17 digits then a digit or X")
    if int(number[:2]) not in PROVINCES:
        return IdVerdict(False, number, None, f"地址码 {number[:2]} 不是省级代码 / {number[:2]} is no province code")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return IdVerdict(False, number, None, f"出生日期 {number[6:14]} 不存在 / no such birth date")
    if born.year < 1900 or (on is not None and born > on):
        return IdVerdict(False, number, None, f"出生日期 {born} 不合理 / implausible birth date")
    expected = check_character(number[:17])
    if number[17] != expected:
        return IdVerdict(
            False, number, born, f"校验码应为 {expected}，实为 {number[17]} / check character should be {expected}"
        )
    return IdVerdict(True, number, born, "")


def mask(number: str) -> str:
    """330106********1234: the address code and the last four, the birth date and sequence hidden."""
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
