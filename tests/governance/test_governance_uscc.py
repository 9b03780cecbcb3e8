"""统一社会信用代码 (GB 32100-2015): real codes pass, every single error is caught with a precise reason, and the
`wanghong governance check-uscc` contract (one JSON line per code, exit 0/1/2)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wanghong.governance.cli import app
from wanghong.governance.engine.uscc import ALPHABET, AUTHORITIES, check_character, check_uscc, org_check_character

# Codes printed on the business licences of large, well-known organisations (public record), across authorities.
REAL = [
    "91110000600037341L",
    "91110108551385082Q",
    "91330100799655058B",
    "91440300708461136T",
    "9144030071526726XG",  # organisation-code check character X
    "91310000717854505W",
    "91440300192241158P",
    "12100000400000624D",  # 机构编制 · 事业单位, national level (100000)
    "53100000500021676K",  # 民政 · 基金会
]


def _independent_check(first17: str) -> str:
    """Position 18 computed the long way, straight from the standard's table of weights."""
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, weights, strict=True))
    c18 = 31 - total % 31
    return ALPHABET[0 if c18 == 31 else c18]


def _synthetic(rng: random.Random) -> str:
    authority = rng.choice(sorted(AUTHORITIES))
    category = rng.choice(sorted(AUTHORITIES[authority].categories))
    region = f"{rng.randrange(11, 66):02d}{rng.randrange(10000):04d}"
    body = "".join(rng.choice(ALPHABET) for _ in range(8))
    first17 = authority + category + region + body + org_check_character(body)
    return first17 + _independent_check(first17)


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code: str) -> None:
    verdict = check_uscc(code)
    assert verdict.valid, verdict.reason
    assert check_character(code[:17]) == _independent_check(code[:17]) == code[17]
    assert verdict.reason.startswith("有效：") and " / valid: " in verdict.reason


def test_the_standard_weights_are_powers_of_three_mod_31() -> None:
    from wanghong.governance.engine.uscc import WEIGHTS

    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_check_character_31_wraps_to_zero() -> None:
    rng = random.Random(7)
    while True:  # find a prefix whose weighted sum is ≡ 0 (mod 31): C18 = 31 → "0"
        first17 = (
            "9"
            + "1"
            + "".join(rng.choice("0123456789") for _ in range(6))
            + "".join(rng.choice(ALPHABET) for _ in range(9))
        )
        if _independent_check(first17) == "0":
            break
    assert check_character(first17) == "0"


def test_every_single_substitution_and_adjacent_swap_is_caught() -> None:
    rng = random.Random(2015)
    for code in REAL[:3] + [_synthetic(rng) for _ in range(20)]:
        assert check_uscc(code).valid, code
        for position in range(18):
            for ch in ALPHABET:
                if ch != code[position]:
                    altered = code[:position] + ch + code[position + 1 :]
                    assert not check_uscc(altered).valid, altered
        for position in range(17):
            a, b = code[position], code[position + 1]
            if a != b:
                swapped = code[:position] + b + a + code[position + 2 :]
                assert not check_uscc(swapped).valid, swapped


def test_wrong_check_character_names_the_right_one() -> None:
    verdict = check_uscc("91110108551385082A")
    assert not verdict.valid
    assert verdict.reason == "第18位校验码应为 Q，实为 A / check character should be Q, not A"


def test_organisation_code_check_character_is_position_17() -> None:
    body = "55138508"
    wrong = "3" if org_check_character(body) != "3" else "4"
    first17 = "911101" + "08" + body + wrong
    verdict = check_uscc(first17 + check_character(first17))  # position 18 agrees; only position 17 is wrong
    assert not verdict.valid
    assert verdict.reason == (
        f"第17位组织机构代码校验码应为 2（GB 11714），实为 {wrong} / "
        f"position 17 (organisation-code check character, GB 11714) should be 2, not {wrong}"
    )


@pytest.mark.parametrize(
    ("first2", "zh", "en"),
    [
        ("B1", "第1位登记管理部门代码 B 不存在", "position 1: no registration authority B"),
        ("99", "第2位机构类别代码 9 不属于登记管理部门「工商」", "position 2: category 9 does not exist under the"),
        ("54", "第2位机构类别代码 4 不属于登记管理部门「民政」", "under the civil affairs authority"),
        ("Y2", "第2位机构类别代码 2 不属于登记管理部门「其他」", "under the other authority"),
    ],
)
def test_authority_and_category_come_from_the_tables(first2: str, zh: str, en: str) -> None:
    first17 = first2 + "110108551385082"
    verdict = check_uscc(first17 + check_character(first17))
    assert not verdict.valid
    assert zh in verdict.reason and en in verdict.reason


def test_every_table_entry_is_accepted() -> None:
    for authority, entry in AUTHORITIES.items():
        for category in entry.categories:
            first17 = authority + category + "330100" + "79965505" + "8"
            verdict = check_uscc(first17 + check_character(first17))
            assert verdict.valid, (authority, category, verdict.reason)
            assert verdict.authority == entry.label and verdict.category == entry.categories[category]


def test_region_must_be_digits() -> None:
    first17 = "91" + "3301A0" + "799655058"
    verdict = check_uscc(first17 + check_character(first17))
    assert not verdict.valid
    assert "第3-8位登记管理机关行政区划码应为6位数字，第7位为 A" in verdict.reason
    assert "position 7 is A" in verdict.reason


@pytest.mark.parametrize(
    ("raw", "zh", "en"),
    [
        ("", "长度应为18位，实为0位", "must be 18 characters long, not 0"),
        ("91110108551385082", "长度应为18位，实为17位", "not 17"),
        ("91110108551385082QQ", "长度应为18位，实为19位", "not 19"),
        ("9111010855138508OQ", "第17位字符 O 不在代码字符集中（不使用 I、O、Z、S、V，是否应为 0）", "did you mean 0?"),
        ("91110108551385082V", "第18位字符 V 不在代码字符集中", "character V at position 18"),
        ("91110108 551385082", "第9位字符 ' ' 不在代码字符集中", "character ' ' at position 9"),
        ("91110108-551385082", "第9位字符 - 不在代码字符集中", "position 9"),
        ("91110108中551385082", "第9位字符 中 不在代码字符集中", "position 9"),
    ],
)
def test_malformed_codes_say_where(raw: str, zh: str, en: str) -> None:
    verdict = check_uscc(raw)
    assert not verdict.valid
    assert zh in verdict.reason and en in verdict.reason


@pytest.mark.parametrize(
    ("raw", "note"),
    [
        ("  91110108551385082Q\t", "已去除首尾空白 "),
        ("\u300091110108551385082Q", "已去除首尾空白 "),  # the ideographic space
        ("91110108551385082q", "已将小写字母转为大写 "),
        ("９１１１０１０８５５１３８５０８２Ｑ", "已将全角字符转为半角 "),
    ],
)
def test_whitespace_full_width_and_case_are_normalised_and_reported(raw: str, note: str) -> None:
    verdict = check_uscc(raw)
    assert verdict.valid and verdict.code == "91110108551385082Q"
    assert note.strip() in verdict.reason


def test_notes_accompany_invalid_codes_too() -> None:
    verdict = check_uscc(" 91110108551385082a")
    assert not verdict.valid
    assert "第18位校验码应为 Q，实为 A" in verdict.reason and "已去除首尾空白" in verdict.reason


def test_several_problems_are_all_listed() -> None:
    verdict = check_uscc("B9X10108551385082Q")
    zh, en = verdict.reason.split(" / ")
    assert zh.count("；") == 2 and "第1位" in zh and "第3-8位" in zh and "第18位" in zh
    assert en.count("; ") == 2


runner = CliRunner()


def test_cli_one_line_per_code_exit_1_when_any_invalid() -> None:
    result = runner.invoke(app, ["check-uscc", "91350100M000100Y43", "not-a-code", " 91110108551385082q"])
    assert result.exit_code == 1, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [set(r) for r in rows] == [{"code", "valid", "reason"}] * 3
    assert [r["code"] for r in rows] == ["91350100M000100Y43", "not-a-code", " 91110108551385082q"]  # as given
    assert [r["valid"] for r in rows] == [True, False, True]
    assert "长度应为18位" in result.stdout  # ensure_ascii=False


def test_cli_exit_0_when_all_valid() -> None:
    result = runner.invoke(app, ["check-uscc", *REAL])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == len(REAL)


def test_cli_usage_errors_exit_2() -> None:
    assert runner.invoke(app, ["check-uscc"]).exit_code == 2
    assert runner.invoke(app, ["check-uscc", "--no-such-flag", "91110108551385082Q"]).exit_code == 2


def test_cli_help_documents_exit_codes() -> None:
    result = runner.invoke(app, ["check-uscc", "--help"])
    assert result.exit_code == 0
    text = "".join(result.output.split())  # the help is wrapped to the terminal's width
    assert "0全部有效" in text and "1存在无效代码" in text and "2用法错误" in text


def test_installed_command_end_to_end() -> None:
    wanghong = Path(sys.executable).with_name("wanghong")
    if not wanghong.exists():
        pytest.skip("the wanghong console script is not installed beside this interpreter")
    done = subprocess.run(
        [str(wanghong), "governance", "check-uscc", "91110108551385082Q", "91110108551385082A"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert [json.loads(line)["valid"] for line in done.stdout.decode("utf-8").splitlines()] == [True, False]
