"""Password policy: long enough, not the username, not one of the passwords every guessing list starts with.

The common passwords are a small curated list (written for this project, no third-party list is shipped): the
8-character-or-longer entries that top every published leak ranking year after year, plus the keyboard walks
and pinyin favourites (woaini…, 5201314…) that lead the rankings of Chinese sites. Shorter ones are already
refused by the length rule. Matching ignores case, since `Password1` is guessed as early as `password1`.
"""

from __future__ import annotations

from wanghong.kit.errors import InvalidInput

MIN_PASSWORD_LENGTH = 8

# Digits, keyboard walks, English words, pinyin, roughly in that order; read as whitespace-separated words.
_COMMON = """
12345678 123456789 1234567890 0123456789 987654321 87654321 11111111 111111111 1111111111 00000000
88888888 66666666 99999999 12341234 11223344 12121212 123123123 123321123 147258369 159753123
1q2w3e4r 1q2w3e4r5t 1qaz2wsx 1qaz2wsx3edc 2wsx3edc q1w2e3r4 q1w2e3r4t5 zaq12wsx zaq1zaq1 !qaz2wsx
qwertyui qwertyuiop qwerty123 qwerty1234 asdfghjk asdfghjkl zxcvbnm1 zxcvbnm123 asdf1234 qwer1234
abcd1234 abc12345 abc123456 a1234567 a12345678 aa123456 aa12345678 qq123456 q1234567 1234qwer
password password1 password12 password123 password1234 passw0rd p@ssw0rd p@ssword pa$$word
iloveyou iloveyou1 sunshine princess football baseball superman batman123 starwars whatever
trustno1 letmein1 welcome1 welcome123 admin123 admin1234 administrator changeme changeme123 default1
master123 monkey123 dragon123 shadow123 michael1 jennifer computer internet freedom1 qazwsxedc
woaini1314 woaini520 woaini123 woainima 5201314520 52013145201314 1314520520 iloveyou520 nihao123
wodemima mimamima aini1314 zhang123 wang1234 li123456 qwe123456 asd123456 zxc123456 a123456789
"""
COMMON_PASSWORDS: frozenset[str] = frozenset(_COMMON.split())


def check_password(password: str, username: str) -> None:
    """Refuse a password that guessing tries early; the message says which rule it breaks."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"password must have at least {MIN_PASSWORD_LENGTH} characters (密码至少 {MIN_PASSWORD_LENGTH} 位)"
        )
    lowered = password.lower()
    if username and username.lower() in lowered:
        raise InvalidInput("password must not contain the username (密码不能包含用户名)")
    if lowered in COMMON_PASSWORDS:
        raise InvalidInput("password is one of the most common passwords; choose another (密码过于常见)")
