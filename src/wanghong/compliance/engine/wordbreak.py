"""Word boundaries for homophone hits, from jieba (https://github.com/fxsjy/jieba, MIT).

A two-character homophone key matches any two adjacent characters with the right readings, including
the tail of one word and the head of the next: 优品堂收纳盒 reads …tang shou… like 躺瘦, 天堂收藏馆 too.
A deliberate evasion writes the claim as its own word (每天躺受十斤), so a hit found ONLY through the
pinyin channel is believed when its span starts and ends on word boundaries of the surrounding text.

jieba's dictionary takes about a second to load and pinyin-only hits are rare, so jieba is imported
and its tokenizer built on the first such hit, not at import; segmentations of the windows asked about
are cached.
"""

from __future__ import annotations

import functools
import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba

# Characters of context on each side of a span: enough for the words around it (Chinese words are
# rarely longer than four characters) while keeping a 2,000-character transcript's check local.
_CONTEXT = 12
_lock = threading.Lock()


@functools.cache
def _tokenizer() -> jieba.Tokenizer:
    # Imported here too: importing jieba alone takes ≈0.25 s (its HMM tables), which every CLI start and
    # every clean scan would otherwise pay.
    import jieba

    # jieba reports loading its dictionary on a DEBUG-level stderr handler of its own; that would end up in
    # the CLI's output, so only its warnings are let through.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with _lock:
        tokenizer.initialize()
    return tokenizer


@functools.lru_cache(maxsize=4096)
def _boundaries(window: str) -> frozenset[int]:
    """Offsets in ``window`` where a word starts or ends. HMM new-word discovery is off: it glues unknown
    characters together (躺受十 as one word), and an evasion is exactly a string of unlisted characters."""
    positions = {0, len(window)}
    position = 0
    for word in _tokenizer().cut(window, HMM=False):
        position += len(word)
        positions.add(position)
    return frozenset(positions)


def on_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` starts and ends between words of ``text`` (indices of ``text``)."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"跨度越界 / span [{start}, {end}) lies outside a text of {len(text)} characters")
    lo = max(0, start - _CONTEXT)
    found = _boundaries(text[lo : min(len(text), end + _CONTEXT)])
    return start - lo in found and end - lo in found
