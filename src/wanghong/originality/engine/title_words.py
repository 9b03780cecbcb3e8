"""Which words two similar titles differ in, by jieba's part-of-speech tags (issue #20, originality of titles).

A title that swaps one named thing for another (黑洞/白洞, 泰国/日本) is another video; one that changes only grammar
words (哪家强 → 谁最强) rewords the same video. jieba (MIT) tags the words; its dictionary loads in about a second,
so only when a pair needs it, and it keeps a prefix-dictionary cache in a directory the caller chooses.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

# Latin words that join names rather than name something ("爸爸带娃vs妈妈带娃").
LATIN_CONNECTIVES = frozenset({"vs", "pk", "and", "or", "the", "of", "a", "an", "with", "ft", "feat", "x"})
# jieba part-of-speech tags (ICTCLAS set) of words that name a thing: nouns of every kind (n, nr person, ns place,
# nt organisation, nz other proper noun, ng …), time nouns (t: 夏季, 秋冬), Latin words (eng) and abbreviations (j).
_NAMED_TAGS = ("n", "t", "eng", "j")
# Characters of a named word that outweighs a changed word jieba could not tag (one-character nouns are often
# pieces of folded words: 一定 → 1定 reads 定/n).
_NAMED_LONG = 2
# Tags of words that only carry grammar or manner: pronouns, prepositions, conjunctions, particles, adverbs,
# modal particles, interjections, onomatopoeia, numerals, measure words, localisers, punctuation. Swapping them
# (哪家强 → 谁最强, 的 → 聊聊) or inserting them (讲清 → 给你讲清) is how re-uploaders reword.
_FUNCTION_TAGS = frozenset(
    {"r", "rr", "rz", "rg", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "d", "dg", "y", "e", "o", "m", "mq"}
    | {"q", "f", "x"}
)


@dataclass(frozen=True, slots=True)
class WordChange:
    """What each of two titles says that the other does not: words (with their part of speech) that bring a
    character the other title's changed words lack. 蛋糕 → 蛋挞 changes 糕 for 挞; 优缺点 → 优点和缺点 brings nothing
    new to the shorter side (its characters are all among the other's changed words)."""

    only_a: tuple[tuple[str, str], ...]
    only_b: tuple[tuple[str, str], ...]

    def names_swapped(self) -> bool:
        """Each side names a thing the other does not (黑洞/白洞, 泰国/日本, 夏季/冬季): two videos, not a rewording.
        A word jieba does not know comes out as a morpheme (蛋挞 as 蛋/n 挞/g), so a named word of two or more
        characters against content words that are no verb (a verb for a noun is how 避雷 becomes 避误区) counts too."""
        a, b = self.only_a, self.only_b
        return (
            (_names_a_thing(a) and _names_a_thing(b))
            or (_names_a_thing(a, _NAMED_LONG) and _content_not_verb(b))
            or (_names_a_thing(b, _NAMED_LONG) and _content_not_verb(a))
        )

    def reworded(self) -> bool:
        """One side changed nothing but grammar words, and the other names no thing the first lacks (哪家强 →
        谁最强, 讲清 → 给你讲清, a 搞笑合集 prefix); an inserted 奶瓶 makes a title about a 奶瓶."""
        return (_grammar_only(self.only_a) and not _names_a_thing(self.only_b)) or (
            _grammar_only(self.only_b) and not _names_a_thing(self.only_a)
        )


def _names_a_thing(words: tuple[tuple[str, str], ...], shortest: int = 1) -> bool:
    return any(
        tag.startswith(_NAMED_TAGS) and len(word) >= shortest and word not in LATIN_CONNECTIVES for word, tag in words
    )


def _content_not_verb(words: tuple[tuple[str, str], ...]) -> bool:
    return not _grammar_only(words) and not any(tag.startswith("v") for _, tag in words)


def _grammar_only(words: tuple[tuple[str, str], ...]) -> bool:
    return all(tag in _FUNCTION_TAGS or word in LATIN_CONNECTIVES for word, tag in words)


def word_change(a: str, b: str, directory: str | None) -> WordChange:
    """The words each of two normalised titles has that the other lacks; ``directory``: jieba's cache (or None)."""
    words_a, words_b = _tagged(a, directory), _tagged(b, directory)
    count_a = Counter(word for word, _ in words_a)
    count_b = Counter(word for word, _ in words_b)
    gone, added = count_a - count_b, count_b - count_a
    chars_gone, chars_added = set("".join(gone)), set("".join(added))
    tag_a, tag_b = dict(words_a), dict(words_b)
    return WordChange(
        tuple((word, tag_a[word]) for word in gone if not set(word) <= chars_added),
        tuple((word, tag_b[word]) for word in added if not set(word) <= chars_gone),
    )


@lru_cache(maxsize=1 << 16)
def _tagged(normalised: str, directory: str | None = None) -> tuple[tuple[str, str], ...]:
    """jieba's words and part-of-speech tags of a normalised title (spaces dropped); ``directory``: jieba's cache."""
    return tuple((word, tag) for word, tag in _pos_tokenizer(directory).cut(normalised) if not word.isspace())


@cache
def _pos_tokenizer(directory: str | None = None) -> Any:
    # jieba (MIT) loads its dictionary in about a second, so only when a pair needs it. Its prefix-dictionary cache
    # is unmarshalled when found, so it is kept in a private directory of this user, not the shared /tmp. One
    # tagger per cache directory (a process normally has one); the words are the same whichever it is.
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = _private_cache_directory(directory)
    return jieba.posseg.POSTokenizer(tokenizer)


def _private_cache_directory(directory: str | None) -> str:
    """``directory`` (made mode 0700), or this process's temporary directory when none is given or it cannot be
    made or is not this user's alone (jieba unmarshals the cache it finds there)."""
    if directory is not None:
        try:
            Path(directory).mkdir(mode=0o700, parents=True, exist_ok=True)
            stat = os.stat(directory)
        except OSError:
            stat = None
        if stat is not None and not (hasattr(os, "getuid") and (stat.st_uid != os.getuid() or stat.st_mode & 0o077)):
            return directory
    return _process_temporary_directory().name


@cache
def _process_temporary_directory() -> tempfile.TemporaryDirectory[str]:
    # Removed when the process exits (the object is finalised then), so runs leave no cache files behind.
    return tempfile.TemporaryDirectory(prefix="wanghong-jieba-")
