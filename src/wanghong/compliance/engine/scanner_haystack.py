"""The scanner's two channels of a text: the normalised text and its phonetic (pinyin) reading, joined by NUL into
the haystack the automaton searches, and how both map back to the original text's offsets (see `scanner`)."""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

from wanghong.compliance.engine.normalize import (
    Normalizer,
    collapse_mask,
)
from wanghong.compliance.engine.phonetic import (
    DIGITS,
    Phonetics,
    identifier_span,
    placeholder_or_unit,
    plain_segments,
)

LEADING_TRUE = np.ones(1, dtype=bool)
# The codec functions themselves: str.encode/bytes.decode only have C fast paths for UTF-8 and Latin-1 and
# go through a Python wrapper for UTF-32-LE, which costs as much as the conversion of a 100-character line.
# The decoder also reads a NumPy array's buffer directly, saving a tobytes() copy.
utf32_encode = codecs.utf_32_le_encode
# Typed loosely on purpose: the decoder accepts any buffer, NumPy arrays included, which typeshed cannot say.
utf32_decode: Callable[[Any, str, bool], tuple[str, int]] = codecs.utf_32_le_decode
NUL = np.zeros(1, dtype=np.uint32)
DIGIT_LIMIT = 0x3A  # after the fold, the only kept code points below ':' are the ASCII digits
_LATIN_LIMIT = 0x7B  # … and below '{' the digits and the Latin letters a–z
_LATIN_RUN = re.compile(r"[a-z]+")
_LATIN_TRIPLE = re.compile(r"([a-z])\1\1")


@functools.cache
def aligned_phonetic_array() -> np.ndarray:
    """The phonetic table with Latin letters mapped to themselves (they are segmented run by run);
    built once per process, like the tables it copies."""
    array = Phonetics().array.copy()
    letters = np.arange(ord("a"), ord("z") + 1)
    array[letters] = letters
    array.setflags(write=False)
    return array


# A Latin run of the normalised text: (start, end, its pinyin segmentation relative to start).
LatinRun = tuple[int, int, tuple[tuple[str, int, int], ...]]


class Layout:
    """How the two channels of one scanned text map back to it; materialised only when a scan has hits.

    ``folded`` is the per-code-point fold of the original (0 = deleted) and ``keep`` the collapse mask over
    its kept characters (None when nothing collapsed); ``latin_runs`` are the Latin runs of the normalised
    text as (start, end, segmentation relative to start). ``folded`` None means the string path (expanding
    code points), where ``phon_starts``/``phon_ends`` are filled in directly. A batch (`Scanner.scan_many`)
    resolves all its texts at once from arrays of its own (see `scanner_batch`) and makes no layout."""

    __slots__ = ("folded", "keep", "latin_runs", "phon_ends", "phon_starts")

    def __init__(self, folded: np.ndarray | None, keep: np.ndarray | None) -> None:
        self.folded = folded
        self.keep = keep
        self.latin_runs: list[LatinRun] = []
        self.phon_starts: list[int] | None = None
        self.phon_ends: list[int] | None = None

    def phonetic_map(self, size: int) -> tuple[list[int], list[int]] | None:
        """(normalised start, normalised end) of each phonetic code, or None when both channels align."""
        if self.phon_starts is not None:
            return self.phon_starts, self.phon_ends or []
        if not self.latin_runs:
            return None
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for run_start, run_end, segments in self.latin_runs:
            starts.extend(range(pos, run_start))
            ends.extend(range(pos + 1, run_start + 1))
            for _code, lo, hi in segments:
                starts.append(run_start + lo)
                ends.append(run_start + hi)
            pos = run_end
        starts.extend(range(pos, size))
        ends.extend(range(pos + 1, size + 1))
        self.phon_starts, self.phon_ends = starts, ends
        return starts, ends

    def span_mapper(self, text: str, normalizer: Normalizer) -> Callable[[int, int], tuple[int, int]]:
        """Function mapping a normalised span to ``text``'s indices; the end covers a whole collapsed run.
        Only the spans asked for are looked up: most scans have one or two hits on a text of hundreds."""
        if self.folded is None:
            return normalizer.span_mapper(text)
        # ndarray.nonzero() directly: np.flatnonzero's Python wrapper costs more than the work on short lines.
        # ndarray.item(i) hands back a Python int directly: half the cost of int(array[i]).
        positions = self.folded.nonzero()[0]
        position = positions.item
        if self.keep is None:

            def plain(start: int, end: int) -> tuple[int, int]:
                return position(start), position(end - 1) + 1

            return plain
        run_starts = self.keep.nonzero()[0]
        run_start = run_starts.item
        n_runs, last = run_starts.size, positions.size - 1

        def collapsed(start: int, end: int) -> tuple[int, int]:
            stop = run_start(end) - 1 if end < n_runs else last
            return position(run_start(start)), position(stop) + 1

        return collapsed


def latin_run_spans(codes: np.ndarray) -> Iterator[tuple[int, int]]:
    """The (start, end) of each maximal run of a–z in an array of unsigned code points, as ``[a-z]+`` would find
    them in its text: where the letter mask changes, runs start and end alternately. A batch finds them this way
    in its code array, 15× faster than ``re`` over the whole batch's text."""
    edges = np.flatnonzero(np.diff((codes - 0x61) <= 25, prepend=False, append=False))
    return zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True)


class Haystacks:
    """The folding and reading tables a scanner normalises with, and the haystack builders; the scan loop
    (`Scanner.scan`) inlines the common case of :meth:`_haystack`."""

    def __init__(self) -> None:
        self.normalizer = Normalizer()
        self.phonetics = Phonetics()
        self._fold_array = self.normalizer.array
        self._phon_array = self.phonetics.array
        self._aligned_array = aligned_phonetic_array()

    def _channels(self, text: str) -> tuple[str, str, Layout | None]:
        """(normalised text, phonetic text, how both map back to ``text``)."""
        prepared = self._haystack(text)
        if prepared is None:
            return "", "", None
        haystack, size, layout = prepared
        return haystack[:size], haystack[size + 1 :], layout

    def _haystack(self, text: str) -> tuple[str, int, Layout] | None:
        """(normalised text + NUL + phonetic text, length of the normalised text, layout), or None when
        nothing survives normalisation; the same steps as :meth:`scan`, for tests and tools."""
        codes = np.frombuffer(utf32_encode(text, "surrogatepass")[0], dtype=np.uint32)
        folded = self._fold_array.take(codes)
        kept = folded.compress(folded)  # compress() treats the codes as a mask: one call, not two
        if not kept.size:
            return None
        keep = None
        collapsed = kept
        if kept.size > 1:
            differs = kept[1:] != kept[:-1]
            if np.count_nonzero(differs) != kept.size - 1:
                differs |= kept[1:] < DIGIT_LIMIT
                keep = np.concatenate((LEADING_TRUE, differs))
                collapsed = kept[keep]
        try:
            haystack = utf32_decode(np.concatenate((collapsed, NUL, self._phon_array.take(collapsed))), "strict", True)[
                0
            ]
        except UnicodeDecodeError:
            return self._latin_haystack(text, folded, kept, kept[1:] != kept[:-1] if keep is not None else None)
        return haystack, collapsed.size, Layout(folded, keep)

    def _latin_haystack(
        self, text: str, folded: np.ndarray, kept: np.ndarray, differs: np.ndarray | None
    ) -> tuple[str, int, Layout]:
        """The haystack of a text with Latin letters (pinyin spellings) or expanding code points; ``kept``
        are its folded code points before collapsing, ``differs`` (None when no character repeats) tells
        which differ from their predecessor."""
        keep = None
        try:
            if differs is None:
                normalized = utf32_decode(kept, "strict", True)[0]
            else:
                # First collapse as if Latin letters never repeated (the only kept code points below '{' are
                # digits and Latin letters); only a run of three equal letters (rare: padding such as "zuuui")
                # needs the run-length rule, and it is still visible after this step.
                keep = np.concatenate((LEADING_TRUE, differs | (kept[1:] < _LATIN_LIMIT)))
                collapsed = kept[keep]
                normalized = utf32_decode(collapsed, "strict", True)[0]
                if _LATIN_TRIPLE.search(normalized):
                    keep = collapse_mask(kept, differs)
                    collapsed = kept[keep]
                    normalized = utf32_decode(collapsed, "strict", True)[0]
                kept = collapsed
        except UnicodeDecodeError:
            return self._expanded_haystack(text)
        # Letters keep their own code here and are replaced run by run with pinyin syllable codes below.
        aligned = utf32_decode(self._aligned_array.take(kept), "strict", True)[0]
        layout = Layout(folded, keep)
        phonetic = self._spell_latin_runs(normalized, aligned, layout.latin_runs)
        return f"{normalized}\x00{phonetic}", len(normalized), layout

    def _spell_latin_runs(
        self, normalized: str, aligned: str, runs: list[LatinRun], spans: Iterable[tuple[int, int]] | None = None
    ) -> str:
        """The phonetic channel: ``aligned`` with each Latin run of ``normalized`` replaced by its pinyin syllable
        codes; each run is appended to ``runs`` with its segmentation. Machine identifiers (see
        :func:`phonetic.identifier_span`) keep their plain characters in the phonetic channel, so no reading is found
        inside them. ``spans`` are the runs' (start, end) when the caller has them (see :func:`latin_run_spans`)."""
        pieces = []
        pos = 0
        encode_run = self.phonetics.encode_run
        size = len(normalized)
        if spans is None:
            spans = (run.span() for run in _LATIN_RUN.finditer(normalized))
        for start, end in spans:
            if start < pos:  # a later run of an identifier already copied whole
                runs.append((start, end, plain_segments(end - start)))
                continue
            if (
                (start and normalized[start - 1] in DIGITS)
                or (end < size and normalized[end] in DIGITS)
                or placeholder_or_unit(normalized, start, end)
            ):
                identifier = identifier_span(normalized, start, end)
                if identifier is not None:
                    lo, hi = identifier
                    pieces.append(aligned[pos:lo])
                    pieces.append(normalized[lo:hi])
                    runs.append((start, end, plain_segments(end - start)))
                    pos = hi
                    continue
            codes, segments = encode_run(normalized[start:end])
            pieces.append(aligned[pos:start])
            pieces.append(codes)
            runs.append((start, end, segments))
            pos = end
        pieces.append(aligned[pos:])
        return "".join(pieces)

    def _expanded_haystack(self, text: str) -> tuple[str, int, Layout]:
        """Ligatures, ⑽, ㍿… fold to several characters: rare enough for the string path, whose offset
        maps handle expansion."""
        normalized = self.normalizer.fold(text)
        encoded = self.phonetics.encode(normalized)
        layout = Layout(None, None)
        if encoded.starts is not None:
            layout.phon_starts, layout.phon_ends = encoded.starts, encoded.ends or []
        return f"{normalized}\x00{encoded.text}", len(normalized), layout
