"""Evasion-resistant normalisation with an offset map back to the original text.

Sellers dodge keyword filters with full-width letters (ＶＸ), traditional characters (國家級), financial or
circled digits (壹/①), separators, emoji and zero-width characters between characters (最*好, 最​好),
and repeated characters (最最最好). One per-code-point table folds all of these:

* NFKC (full/half width, circled and compatibility forms), then ``casefold``; Latin letters lose their
  diacritics (pinyin tone marks: zhuàn → zhuan), 🔝 reads 顶 (全球🔝) and ➕ reads 加 (➕V私我);
* near and Japanese forms → the character they imitate (根冶 → 根治, 痩身 → 瘦身; see `glyphs`);
* traditional → simplified, character by character, with OpenCC's ``t2s`` dictionary (the official
  ``opencc`` 1.4 wheel converts ≈40 M chars/s here against ≈0.65 M for ``opencc-python-reimplemented``;
  we only call it once per code point while building the table, so the hot path never calls it);
* Chinese and financial numerals 〇一二…九/零壹贰… and any Unicode decimal digit → ASCII digits;
* everything that is not a letter or a number (punctuation, symbols, emoji, spaces, controls, format
  characters such as ZWSP/ZWJ, combining marks, variation selectors, private-use) is deleted.

After the table, runs of the same character collapse to one (digits never, Latin letters from three
on). The table is kept in two forms: a ``dict`` for ``str.translate`` and a NumPy ``uint32`` array
over all code points, because the array path handles normalisation, repeats and the phonetic string
in a few vectorised steps. Offsets are only materialised when a scan has hits, which keeps clean text
(the common case) cheap.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable, Sequence

import numpy as np

from wanghong.compliance.engine.glyphs import NEAR_FORMS, japanese_forms
from wanghong.compliance.engine.shared import ProcessTable

UNICODE_SIZE = 0x110000
_DELETED = 0  # NUL is itself deleted, so 0 can mark deletion in the array table
# Marks a code point whose fold is longer than one character; one past the last code point, so the
# phonetic table (one entry longer) can map it to "slow path" without a bounds check.
EXPANDS = 0x110000
_EXPANDS = EXPANDS

_NUMERALS = {
    "〇": "0",
    "零": "0",
    "一": "1",
    "壹": "1",
    "幺": "1",
    "二": "2",
    "贰": "2",
    "三": "3",
    "叁": "3",
    "四": "4",
    "肆": "4",
    "五": "5",
    "伍": "5",
    "六": "6",
    "陆": "6",
    "七": "7",
    "柒": "7",
    "八": "8",
    "捌": "8",
    "九": "9",
    "玖": "9",
    "拾": "十",
    "佰": "百",
    "仟": "千",
}

# Emoji that sellers write in place of a rank word (全球🔝 for 全球顶): folded to the word they stand for, one
# character each so that the array path keeps its one-to-one fold. Other emoji are deleted like any symbol.
# ➕/✚ (加V私我) stand for 加 "add": deleted as symbols they would leave the bare V of a contact request.
_EMOJI_WORDS = {"🔝": "顶", "➕": "加", "✚": "加"}

# Code points whose fold is computed one by one. Beyond them only CJK Extension G/H (plane 3) and the
# tag / variation-selector block (plane 14) matter; unassigned planes and supplementary private use
# are left alone — they never occur in real text, and folding them would only inflate the dict table.
_FOLDED_RANGES = ((0, 0x40000), (0xE0000, 0xE1000))

# Digits never collapse (prices, phone numbers), and a Latin letter only from three in a row: pinyin
# doubles letters at syllable joins (fang+gan → "fanggan") but never triples them ("zuuui" is padding).
_COLLAPSE_RE = re.compile(r"([^0-9a-z])\1+|([a-z])\2\2+")


# Joins the texts of a batch (fold_many, Scanner.scan_many): the fold deletes U+000A, so it occurs in no
# folded text or pattern; the batch paths write it back at the joins only.
BATCH_SEPARATOR = "\n"
BATCH_SEPARATOR_CODE = ord(BATCH_SEPARATOR)
_LEADING_TRUE = np.ones(1, dtype=bool)


def collapse_mask(kept: np.ndarray, differs: np.ndarray) -> np.ndarray:
    """The repeat rule of :meth:`Normalizer.fold` as a keep-mask over folded code points ``kept``, given
    ``differs = kept[1:] != kept[:-1]``: runs collapse to one character, digits never, Latin letters only
    from three in a row. Batch separators are always kept, so two texts never merge."""
    changes = np.concatenate((_LEADING_TRUE, differs))
    run_id = np.cumsum(changes) - 1
    run_length = np.bincount(run_id)[run_id]
    mask: np.ndarray = (
        changes | ((kept - 0x30) <= 9) | (((kept - 0x61) <= 25) & (run_length < 3)) | (kept == BATCH_SEPARATOR_CODE)
    )
    return mask


def _is_kept(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


FoldTables = tuple[dict[int, str | None], np.ndarray]


def _build_fold_tables() -> FoldTables:
    """(translate dict, uint32 array); ≈0.5–1 s, so built once per process (FOLD_TABLES) and shared by every
    Scanner, or installed from the compiled cache (see `compiled`)."""
    import opencc  # only here: a process that installs the tables from the cache needs none of OpenCC

    raw: dict[int, str] = {}
    cjk_candidates: set[str] = set()
    for lo, hi in _FOLDED_RANGES:
        for cp in range(lo, hi):
            ch = chr(cp)
            if unicodedata.category(ch) == "Cn":
                continue
            folded = unicodedata.normalize("NFKC", ch).casefold()
            raw[cp] = folded
            for c in folded:
                if c >= "\u2e80" and unicodedata.category(c) == "Lo":
                    cjk_candidates.add(c)
    # One OpenCC call over all candidates separated by newlines converts each character on its own,
    # which is what a length-preserving table needs (phrase-level conversion could change lengths).
    ordered = sorted(cjk_candidates)
    converted = opencc.OpenCC("t2s").convert("\n".join(ordered)).split("\n")
    t2s = {src: dst for src, dst in zip(ordered, converted, strict=True) if len(dst) == 1 and dst != src}
    japanese = japanese_forms(cjk_candidates)

    def finish(c: str) -> str:
        c = _EMOJI_WORDS.get(c, c)
        c = NEAR_FORMS.get(c, c)
        c = japanese.get(c, c)
        c = t2s.get(c, c)
        c = _NUMERALS.get(c, c)
        if not _is_kept(c):
            return ""
        if unicodedata.category(c) == "Nd":
            return str(unicodedata.decimal(c))
        if "\u00c0" <= c <= "\u024f" or "\u1e00" <= c <= "\u1eff":
            # Pinyin written with tone marks (稳zhuàn, ǎ, ü): the scanner's pinyin is toneless, so the letter is
            # read without its diacritics, as any Latin letter with accents is.
            base = "".join(d for d in unicodedata.normalize("NFD", c) if not unicodedata.combining(d))
            if len(base) == 1 and base.isascii() and base.isalpha():
                return base
        return c

    mapping: dict[int, str | None] = {}
    array = np.arange(UNICODE_SIZE, dtype=np.uint32)
    for cp, folded in raw.items():
        out = "".join(finish(c) for c in folded)
        if out == chr(cp):
            continue
        mapping[cp] = out or None
        if not out:
            array[cp] = _DELETED
        elif len(out) == 1:
            array[cp] = ord(out)
        else:
            array[cp] = _EXPANDS
    array[0] = _DELETED
    mapping[0] = None
    array.setflags(write=False)
    return mapping, array


FOLD_TABLES: ProcessTable[FoldTables] = ProcessTable("fold", _build_fold_tables)


class Normalizer:
    """Folds text as described in the module docstring. Construct once; it is immutable and thread-safe."""

    def __init__(self) -> None:
        self.table, self.array = FOLD_TABLES()

    def fold(self, text: str) -> str:
        """Normalised form of ``text`` (used for both the lexicon and the scanned text)."""
        return _COLLAPSE_RE.sub(r"\1\2", text.translate(self.table))

    def fold_chars(self, text: str) -> str:
        """The per-character fold alone, without collapsing repeats: cheaper, and enough to read a hit's context."""
        return text.translate(self.table)

    def fold_many(self, texts: Sequence[str]) -> list[str]:
        """``[fold(t) for t in texts]`` with one set of array steps over the joined texts: the per-call cost of
        ``str.translate`` with a dict table (≈60 ns a character) and of the regex dominates short texts."""
        if not texts:
            return []
        joined = BATCH_SEPARATOR.join(texts)
        codes = np.frombuffer(codecs.utf_32_le_encode(joined, "surrogatepass")[0], dtype=np.uint32)
        folded = self.array.take(codes)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        folded[np.cumsum(lengths[:-1] + 1) - 1] = BATCH_SEPARATOR_CODE
        if np.count_nonzero(folded == _EXPANDS):
            return [self.fold(t) for t in texts]  # ligatures, ⑽…: rare, and the string path handles them
        kept = folded.compress(folded)  # compress() treats the codes as a mask: one call, not two
        if kept.size > 1:
            differs = kept[1:] != kept[:-1]
            if np.count_nonzero(differs) != differs.size:
                kept = kept[collapse_mask(kept, differs)]
        return codecs.utf_32_le_decode(kept.tobytes(), "strict", True)[0].split(BATCH_SEPARATOR)

    def fold_long(self, text: str, piece: int = 1 << 16) -> str:
        """``fold(text)`` for a text of any length in bounded memory and linear time: folded ``piece`` characters
        at a time by the array table (``str.translate`` with the dict table and the collapsing regex take about
        0.5 µs a character, 15 s for a 30 MB line). A run of one repeated character may span a join, so the
        trailing run of each piece waits for the next one before it is collapsed."""
        out: list[str] = []
        carry = np.zeros(0, dtype=np.uint32)
        for start in range(0, len(text), piece):
            chunk = text[start : start + piece]
            folded = self.array.take(np.frombuffer(codecs.utf_32_le_encode(chunk, "surrogatepass")[0], np.uint32))
            if np.count_nonzero(folded == _EXPANDS):
                # ligatures, ⑽…: that piece goes through the dict table, which expands them
                folded = np.frombuffer(
                    codecs.utf_32_le_encode(chunk.translate(self.table), "surrogatepass")[0], np.uint32
                )
            kept = np.concatenate((carry, folded.compress(folded)))
            if start + piece < len(text) and kept.size:
                others = np.flatnonzero(kept != kept[-1])
                cut = int(others[-1]) + 1 if others.size else 0
                kept, carry = kept[:cut], kept[cut:]
            else:
                carry = carry[:0]
            if kept.size > 1:
                differs = kept[1:] != kept[:-1]
                if np.count_nonzero(differs) != differs.size:
                    kept = kept[collapse_mask(kept, differs)]
            out.append(codecs.utf_32_le_decode(kept.tobytes(), "strict", True)[0])
        return "".join(out)

    def span_mapper(self, text: str) -> Callable[[int, int], tuple[int, int]]:
        """Function mapping a normalised span ``[start, end)`` of ``fold(text)`` to ``text``'s own indices.

        The end covers the whole collapsed run, so a hit on "最最最好" spans all three 最."""
        starts, ends = self.offset_maps(text)

        def to_original(start: int, end: int) -> tuple[int, int]:
            return int(starts[start]), int(ends[end - 1])

        return to_original

    def offset_maps(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """For each character of ``fold(text)``: (original index of its first character, original end of
        its collapsed run). Works for code points that expand to several characters too."""
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        folded = self.array[codes]
        if (folded == _EXPANDS).any():
            # Rare (ligatures, ⑽, ㍿…): fall back to per-character lengths from the dict table.
            pieces = [self.table.get(ord(ch), ch) or "" for ch in text]
            lengths = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=len(pieces))
            index = np.repeat(np.arange(len(text)), lengths)
            chars = "".join(pieces)
            folded = np.frombuffer(chars.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        else:
            index = np.flatnonzero(folded != _DELETED)
            folded = folded[index]
        if folded.size == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        # A position starts a run unless it repeats the previous non-digit character (see _COLLAPSE_RE).
        changes = np.ones(folded.size, dtype=bool)
        changes[1:] = folded[1:] != folded[:-1]
        run_id = np.cumsum(changes) - 1
        run_length = np.bincount(run_id)[run_id]
        is_digit = (folded - 0x30) <= 9  # uint32 wrap-around makes this a range test
        is_latin = (folded - 0x61) <= 25
        starts_run = changes | is_digit | (is_latin & (run_length < 3))
        run_starts = np.flatnonzero(starts_run)
        run_last = np.append(run_starts[1:] - 1, folded.size - 1)
        return index[run_starts], index[run_last] + 1
