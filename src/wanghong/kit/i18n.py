"""Interface text: Simplified Chinese first, English on request (the `lang` cookie).

Each capability declares the text of its pages next to them, as ``FRAME.extend({"zh": {...}, "en": {...}})``:
the frame's own keys (the header, sign-in) plus its own, checked once at import so that no page can ship a key
one language lacks or quietly redefine a frame key. `kit.pages.render_page` hands the table for the reader's
language to every template as ``t``.
"""

from __future__ import annotations

from collections.abc import Mapping

from wanghong.domain import LABELS

DEFAULT_LANGUAGE = "zh"
LANGUAGES = ("zh", "en")


class Messages:
    """Interface text by language: every key exists in every language of `LANGUAGES`."""

    def __init__(self, by_language: Mapping[str, Mapping[str, str]]) -> None:
        if set(by_language) != set(LANGUAGES):
            raise ValueError(f"messages need exactly the languages {LANGUAGES}, got {tuple(by_language)}")
        keys = set(by_language[DEFAULT_LANGUAGE])
        # Templates read `t.items` as the dict's method, never the text: such a key could not be shown.
        if hidden := sorted(key for key in keys if hasattr(dict, key)):
            raise ValueError(f"keys that templates would read as dict methods: {hidden}")
        for language, table in by_language.items():
            if set(table) != keys:
                raise ValueError(f"{language} text differs in keys: {sorted(keys.symmetric_difference(table))}")
        self._by_language = {language: dict(table) for language, table in by_language.items()}

    def keys(self) -> set[str]:
        return set(self._by_language[DEFAULT_LANGUAGE])

    def extend(self, by_language: Mapping[str, Mapping[str, str]]) -> Messages:
        """These messages and a page's own; a page key may not take the place of one already here."""
        added = Messages(by_language)
        if clash := self.keys() & added.keys():
            raise ValueError(f"keys already declared by the frame: {sorted(clash)}")
        return Messages(
            {language: self._by_language[language] | added._by_language[language] for language in LANGUAGES}
        )

    def text(self, language: str) -> dict[str, str]:
        """The table for `language`, the default language's for any other."""
        return self._by_language.get(language, self._by_language[DEFAULT_LANGUAGE])


# The frame's own text: the header every signed-in page shares and the sign-in form.
FRAME = Messages(
    {
        "zh": {
            "app_name": "网红业务平台",
            "switch_language": "English",
            "back_home": "返回首页",
            "api_docs": "API 文档",
            "logout": "退出",
            "login": "登录",
            "username": "用户名",
            "password": "密码",
            "inbox": "站内信",
        },
        "en": {
            "app_name": "wanghong influencer platform",
            "switch_language": "中文",
            "back_home": "Home",
            "api_docs": "API docs",
            "logout": "Sign out",
            "login": "Sign in",
            "username": "Username",
            "password": "Password",
            "inbox": "Inbox",
        },
    }
)


def role_label(role: str, language: str) -> str:
    return LABELS.get(role, role) if language == "zh" else role.replace("_", " ")
