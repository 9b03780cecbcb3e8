"""Word boundaries for homophone hits, from jieba (https://github.com/fxsjy/jieba, MIT).

A two-character homophone key matches any two adjacent characters with the right readings, including
the tail of one word and the head of the next: 优品堂收纳盒 reads …tang shou… like 躺瘦, 天堂收藏馆 too.
A deliberate evasion writes the claim as its own word (每天躺受十斤), so a hit found ONLY through the
pinyin channel is believed when its span starts and ends on word boundaries of the surrounding text.

jieba's dictionary takes about a second to load and pinyin-only hits are rare, so jieba is imported
and its tokenizer built on the first such hit, not at import (or by :func:`warm`, for a server that would
rather pay it at start-up); segmentations of the windows asked about are cached. Without a cache of its
prefix dictionary jieba rebuilds it from ``dict.txt`` (≈4–5 s) and writes the cache to the system's
temporary directory, which a service's private or cleaned ``/tmp`` loses and which other users can write;
:func:`use_cache_directory` keeps it beside the compiled scanner instead (see `compiled`).
"""

from __future__ import annotations

import functools
import logging
import math
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba

# Characters of context on each side of a span: enough for the words around it (Chinese words are
# rarely longer than four characters) while keeping a 2,000-character transcript's check local.
_CONTEXT = 12
_lock = threading.Lock()
# jieba's name for the cache of its default dictionary, kept under the directory given to use_cache_directory.
CACHE_FILE = "jieba.cache"
_cache_directory: Path | None = None


def use_cache_directory(directory: Path) -> None:
    """Keep jieba's prefix-dictionary cache in ``directory`` (created mode 0700 when first written) rather than
    in the system's temporary directory; no effect once the tokenizer is built."""
    global _cache_directory
    _cache_directory = directory


def warm() -> None:
    """Build the tokenizer now rather than on the first homophone hit."""
    _tokenizer()


def _trusted_directory() -> str | None:
    """The cache directory to hand jieba, or None (jieba's default) when it cannot be made or holds a cache file
    another user could have written: jieba unmarshals whatever it finds there."""
    directory = _cache_directory
    if directory is None:
        return None
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        stat = os.stat(directory / CACHE_FILE)
    except FileNotFoundError:
        return str(directory)
    except OSError:
        return None
    if hasattr(os, "getuid") and (stat.st_uid != os.getuid() or stat.st_mode & 0o022):
        return None
    return str(directory)


@functools.cache
def _tokenizer() -> jieba.Tokenizer:
    # Imported here too: importing jieba alone takes ≈0.25 s (its HMM tables), which every CLI start and
    # every clean scan would otherwise pay.
    import jieba

    # jieba reports loading its dictionary on a DEBUG-level stderr handler of its own; that would end up in
    # the CLI's output, so only its warnings are let through.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = _trusted_directory()
    with _lock:
        tokenizer.initialize()
    return tokenizer


@functools.lru_cache(maxsize=4096)
def _boundaries(window: str) -> frozenset[int]:
    """Offsets in ``window`` where a word starts or ends. HMM new-word discovery is off: it glues unknown
    characters together (躺受十 as one word), and an evasion is exactly a string of unlisted characters."""
    return _Segmenter.get().boundaries(window)


class _Segmenter:
    """The word ends of ``jieba.Tokenizer.cut(window, HMM=False)``, computed from the tokenizer's own prefix
    dictionary without the words themselves: the same blocks (jieba's ``re_han_default``/``re_skip_default``),
    the same maximum-probability route with the same floating-point sums and tie-break, and the same gluing of
    single Latin letters and digits (checked against jieba by the tests). jieba builds the DAG as a dictionary of
    lists, then the route through generators of tuples, then the words: each window new to the cache paid all of
    it, and a text full of homophone readings (a 20,000-term library) pays it per reading."""

    _instance: _Segmenter | None = None

    def __init__(self, tokenizer: jieba.Tokenizer) -> None:
        import jieba

        self._freq: dict[str, int] = tokenizer.FREQ
        self._log_total = math.log(tokenizer.total)
        self._han = jieba.re_han_default
        self._skip = jieba.re_skip_default
        self._eng = jieba.re_eng

    @classmethod
    def get(cls) -> _Segmenter:
        instance = cls._instance
        if instance is None:
            instance = cls._instance = cls(_tokenizer())
        return instance

    def count(self, word: str) -> int:
        return self._freq.get(word, 0)

    def boundaries(self, window: str) -> frozenset[int]:
        positions = {0, len(window)}
        han, skip = self._han, self._skip
        offset = 0
        for block in han.split(window):
            if not block:
                continue
            if han.match(block):
                self._route_ends(block, offset, positions)
            else:
                at = offset
                for piece in skip.split(block):
                    if skip.match(piece):
                        at += len(piece)
                        positions.add(at)
                    else:
                        for _ in piece:  # jieba yields every other character as a word of its own
                            at += 1
                            positions.add(at)
            offset += len(block)
        return frozenset(positions)

    def _route_ends(self, sentence: str, offset: int, positions: set[int]) -> None:
        freq, log_total = self._freq, self._log_total
        size = len(sentence)
        # route[i] = (best log probability of sentence[i:], end index of its first word - 1), as jieba's calc().
        route: list[tuple[float, int]] = [(0.0, 0)] * (size + 1)
        for k in range(size - 1, -1, -1):
            best: tuple[float, int] | None = None
            i = k
            fragment = sentence[k]
            while i < size and fragment in freq:
                count = freq[fragment]
                if count:
                    candidate = (math.log(count) - log_total + route[i + 1][0], i)
                    if best is None or candidate > best:  # max() over (probability, end), as jieba's
                        best = candidate
                i += 1
                fragment = sentence[k : i + 1]
            if best is None:
                # No dictionary word starts here: jieba's DAG falls back to the character alone.
                best = (math.log(freq.get(sentence[k]) or 1) - log_total + route[k + 1][0], k)
            route[k] = best
        eng = self._eng
        x = 0
        gluing = False  # inside a run of single Latin letters or digits, which jieba yields as one word
        while x < size:
            y = route[x][1] + 1
            if y - x == 1 and eng.match(sentence, x):
                gluing = True
            else:
                if gluing:
                    positions.add(offset + x)
                    gluing = False
                positions.add(offset + y)
            x = y
        if gluing:
            positions.add(offset + size)


def on_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` starts and ends between words of ``text`` (indices of ``text``)."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"跨度越界 / span [{start}, {end}) lies outside a text of {len(text)} characters")
    lo = max(0, start - _CONTEXT)
    found = _boundaries(text[lo : min(len(text), end + _CONTEXT)])
    return start - lo in found and end - lo in found


# jieba's count at and above which a homophone's own characters are taken for the word they write. Counts of the
# dictionary's rarest entries are 1–2; the false readings of the issue #20 development sets were 家政 (111, read as
# 假证) and 另付 (3, read as 灵符), while the homophones written to evade (躺受, 醉好, 薛糖, 霄量) count 0.
OWN_WORD_COUNT = 3


# Words of the trade that jieba's general dictionary lacks, whose readings are those of library terms: sizes
# (第一个链接是大码 read as 大麻).
TRADE_WORDS = frozenset({"大码", "小码", "中码", "均码", "偏码", "正码", "加大码", "特大码"})


def homophone_believed(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, found only through its reading (no Latin letters), is an evasion: it stands on
    word boundaries and is no word itself (of jieba's dictionary or of the trade's) — 家政保洁 is housekeeping, not
    假证, where an evasion writes characters that form no word (躺受, 醉好)."""
    written = text[start:end]
    if written in TRADE_WORDS:
        return False
    return on_word_boundaries(text, start, end) and _Segmenter.get().count(written) < OWN_WORD_COUNT
