"""Hit resolution for a whole batch of `Scanner.scan_many` at once: what `Scanner._resolve` does line by line, with
array operations over every match of the batch, in the batch's own coordinates.

Per line, resolving a short text cost more than searching it (a Python loop over its matches, their actions, the
exception contexts, the dictionary of readings and its sort), and the benchmark's sales talk resolves half its
lines (362 of 748). Here one pass over the batch's matches does the steps that need no Python per item — expanding
matches into their actions, dropping readings inside an exception context, mapping phonetic spans back, the
Latin-letter test, merging the same reading found in both channels, the order in which readings are considered —
and only what is inherently per reading stays in Python: the category containment walk (it depends on which
readings the word-boundary test kept), the word-boundary test itself, building the hits and the context rules.

Why each step is the same as `_resolve`'s (the check script and the tests compare both on every test set):

* the batch's texts are joined by a separator that no pattern, exception or regular-expression span contains, so
  a span lies within one text and "an exception occurrence of this text contains the reading" is "an exception
  occurrence of the batch contains it", asked in the channel's own coordinates as `_resolve` asks it;
* `_resolve` keeps the first reading of each (entry, span) and upgrades a phonetic one to exact; it walks them by
  start, longer first, ties in that first-seen order. The batch numbers each reading in the order `_resolve` would
  meet it (its text's matches in automaton order, each match's actions in order, then the expressions' matches by
  entry), so sorting by (start, −end, first number) in batch coordinates is the same walk for every text at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from wanghong.compliance.engine.hits import Hit, MatchKind, ScanResult, entry_hit, hit_order, scan_result
from wanghong.compliance.engine.scanner_haystack import LatinRun, utf32_decode
from wanghong.compliance.engine.scanner_tables import EXCEPTION, LATIN_TERM, TERM, TRIGGER, ActionTable
from wanghong.compliance.engine.wordbreak import homophone_believed, on_word_boundaries

if TYPE_CHECKING:
    from wanghong.compliance.engine.scanner import Scanner

# Candidate kinds, ordered so that a minimum over one (entry, span) picks exact over phonetic as `_resolve` does
# (an entry is either a term or an expression, so one span never has both EXACT and PATTERN).
_EXACT_K, _PATTERN_K, _PHONETIC_K = 0, 1, 2
_KINDS = (MatchKind.EXACT, MatchKind.PATTERN, MatchKind.PHONETIC)
# Expression candidates are numbered after every automaton candidate of the batch: only their order within
# one text matters, and there they follow the text's automaton candidates.
_LATE = 1 << 40


def _contained(lo: np.ndarray, hi: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """For each span (start, end), whether some interval [lo, hi] contains it: among the intervals starting at or
    before ``start``, the furthest end reaches ``end``."""
    if not lo.size or not start.size:
        return np.zeros(start.size, dtype=bool)
    order = np.argsort(lo, kind="stable")
    lo_sorted = lo[order]
    reach = np.maximum.accumulate(hi[order])
    index = np.searchsorted(lo_sorted, start, side="right") - 1
    return (index >= 0) & (reach[np.maximum(index, 0)] >= end)


def _phonetic_to_normal(
    latin_runs: Sequence[LatinRun], start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Map phonetic-channel spans of the batch to the normalised channel, as `Layout.phonetic_map` does per text:
    a code of a spelt-out Latin run covers its segment's letters, any other code its one character. ``start`` and
    ``end`` are phonetic positions (end exclusive); the runs are in normalised batch coordinates."""
    if not latin_runs:
        return start, end
    run_start = np.fromiter((s for s, _, _ in latin_runs), dtype=np.int64, count=len(latin_runs))
    run_end = np.fromiter((e for _, e, _ in latin_runs), dtype=np.int64, count=len(latin_runs))
    codes = np.fromiter((len(g) for _, _, g in latin_runs), dtype=np.int64, count=len(latin_runs))
    seg_lo = np.fromiter((lo for _, _, g in latin_runs for _, lo, _ in g), dtype=np.int64)
    seg_hi = np.fromiter((hi for _, _, g in latin_runs for _, _, hi in g), dtype=np.int64)
    first_code = np.zeros(len(latin_runs), dtype=np.int64)  # where each run's codes start in seg_lo/seg_hi
    np.cumsum(codes[:-1], out=first_code[1:])
    # How much shorter the phonetic channel is than the normalised one before / after each run.
    shrink_after = np.cumsum(run_end - run_start - codes)
    shrink_before = shrink_after - (run_end - run_start - codes)
    phonetic_start = run_start - shrink_before  # where each run's codes begin in the phonetic channel

    def one(position: np.ndarray, side: np.ndarray) -> np.ndarray:
        run = np.searchsorted(phonetic_start, position, side="right") - 1
        safe = np.maximum(run, 0)
        inside = (run >= 0) & (position < phonetic_start[safe] + codes[safe])
        plain = position + np.where(run >= 0, shrink_after[safe], 0)
        segment = first_code[safe] + position - phonetic_start[safe]
        # Positions outside every run index a clipped (unused) segment.
        spelt = run_start[safe] + side[np.clip(segment, 0, side.size - 1)] if side.size else plain
        return np.where(inside, spelt, plain)

    mapped_start = one(start, seg_lo)
    mapped_end = one(end - 1, seg_hi - 1) + 1  # the end of a code's span is its last letter + 1
    return mapped_start, mapped_end


def resolve_batch(
    scanner: Scanner,
    texts: list[str],
    normalized: list[str],
    results: list[ScanResult],
    *,
    found: np.ndarray,
    line: np.ndarray,
    in_phonetic: np.ndarray,
    wanted: np.ndarray,
    offset: int,
    normal_starts: np.ndarray,
    line_starts: np.ndarray,
    kept_codes: np.ndarray,
    first_of: np.ndarray,
    last_of: np.ndarray,
    folded: np.ndarray,
    latin_runs: list[LatinRun],
    regex_spans: Callable[[int, int], list[tuple[int, int]]],
) -> None:
    """Fill ``results[i]`` for every line i in ``wanted`` (sorted line numbers with a productive match) with what
    ``scanner._resolve`` returns for it. ``found`` are the batch's matches (pattern, start, end) in haystack
    coordinates (normalised channel, NUL, phonetic channel from ``offset``), ``line`` each match's text;
    ``kept_codes`` the batch's normalised code points; ``first_of``/``last_of`` each normalised character's first
    and last position in the joined original texts (``line_starts`` each text's start there); ``regex_spans(entry,
    line)`` the spans of ``finditer`` of that entry's expression over the line's normalised text, empty ones
    included (cached: the trigger test asked most of them already)."""
    table: ActionTable = scanner._action_table
    selected = np.isin(line, wanted)
    order = np.flatnonzero(selected)
    order = order[np.argsort(line[order], kind="stable")]  # each text's matches together, in automaton order
    pattern = found[order, 0]
    phonetic = in_phonetic[order]
    row_line = line[order]
    row_start = found[order, 1] - np.where(phonetic, offset, 0)  # channel coordinates
    row_end = found[order, 2] - np.where(phonetic, offset, 0)

    # Every match's actions in its channel, in order.
    first = table.start[pattern + np.where(phonetic, table.patterns, 0)]
    count = table.start[pattern + np.where(phonetic, table.patterns, 0) + 1] - first
    row = np.repeat(np.arange(pattern.size), count)
    action = np.arange(row.size) - np.repeat(np.cumsum(count) - count, count) + first[row]
    kind = table.kind[action]
    target = table.target[action]
    a_phonetic = phonetic[row]
    a_start, a_end, a_line = row_start[row], row_end[row], row_line[row]
    is_exception = kind == EXCEPTION
    normal_exception = is_exception & ~a_phonetic
    phonetic_exception = is_exception & a_phonetic
    is_term = (kind == TERM) | (kind == LATIN_TERM)
    sequence = np.arange(row.size, dtype=np.int64)

    # Expression entries triggered in each text: `_resolve` runs each once, by entry, over the text.
    triggered = (kind == TRIGGER) & ~a_phonetic
    regex_line: list[int] = []
    regex_target: list[int] = []
    regex_start: list[int] = []
    regex_end: list[int] = []
    if triggered.any():
        # Each (text, entry) once, by text then entry: one key per pair, since np.unique over rows (axis=0) costs
        # several times a 1-D unique.
        entry_count = len(scanner._entries)
        pairs = np.unique(a_line[triggered] * entry_count + target[triggered])
        for owner, entry in zip((pairs // entry_count).tolist(), (pairs % entry_count).tolist(), strict=True):
            base = normal_starts.item(owner)
            for found_start, found_end in regex_spans(entry, owner):
                if found_end > found_start:
                    regex_line.append(owner)
                    regex_target.append(entry)
                    regex_start.append(found_start + base)
                    regex_end.append(found_end + base)

    # Readings: automaton terms (normalised or phonetic channel), then expression matches.
    c_start = np.concatenate((a_start[is_term], np.array(regex_start, dtype=np.int64)))
    c_end = np.concatenate((a_end[is_term], np.array(regex_end, dtype=np.int64)))
    c_target = np.concatenate((target[is_term], np.array(regex_target, dtype=np.int64)))
    c_phonetic = np.concatenate((a_phonetic[is_term], np.zeros(len(regex_start), dtype=bool)))
    c_latin = np.concatenate((kind[is_term] == LATIN_TERM, np.zeros(len(regex_start), dtype=bool)))
    c_kind = np.concatenate(
        (np.where(a_phonetic[is_term], _PHONETIC_K, _EXACT_K), np.full(len(regex_start), _PATTERN_K))
    )
    c_sequence = np.concatenate((sequence[is_term], _LATE + np.arange(len(regex_start), dtype=np.int64)))
    # Exception contexts are asked in each channel's coordinates, before phonetic spans are mapped back.
    dropped = np.where(
        c_phonetic,
        _contained(a_start[phonetic_exception], a_end[phonetic_exception], c_start, c_end),
        _contained(a_start[normal_exception], a_end[normal_exception], c_start, c_end),
    )
    if latin_runs and c_phonetic.any():
        mapped_start, mapped_end = _phonetic_to_normal(latin_runs, c_start[c_phonetic], c_end[c_phonetic])
        c_start = c_start.copy()
        c_end = c_end.copy()
        c_start[c_phonetic] = mapped_start
        c_end[c_phonetic] = mapped_end
    # Latin letters before each normalised position: a Latin-only reading stands only where its span has one.
    letters = np.zeros(kept_codes.size + 1, dtype=np.int64)
    np.cumsum((kept_codes - 0x61) <= 25, out=letters[1:])
    has_letter = letters[c_end] > letters[c_start]
    keep = ~dropped & (~c_latin | has_letter)
    if not keep.any():
        return
    c_start, c_end, c_target = c_start[keep], c_end[keep], c_target[keep]
    c_kind, c_sequence, has_letter = c_kind[keep], c_sequence[keep], has_letter[keep]

    # One reading per (entry, span): numbered by its first candidate, exact when any candidate is.
    by_key = np.lexsort((c_sequence, c_end, c_start, c_target))
    k_target, k_start, k_end = c_target[by_key], c_start[by_key], c_end[by_key]
    new_key = np.ones(by_key.size, dtype=bool)
    new_key[1:] = (k_target[1:] != k_target[:-1]) | (k_start[1:] != k_start[:-1]) | (k_end[1:] != k_end[:-1])
    heads = np.flatnonzero(new_key)
    r_target, r_start, r_end = k_target[heads], k_start[heads], k_end[heads]
    r_sequence = c_sequence[by_key][heads]
    r_kind = np.minimum.reduceat(c_kind[by_key], heads)
    r_letter = has_letter[by_key][heads]
    # `_resolve`'s walk: by start, longer first, then first seen.
    walk = np.lexsort((r_sequence, -r_end, r_start))
    r_target, r_start, r_end, r_kind, r_letter = (
        column[walk] for column in (r_target, r_start, r_end, r_kind, r_letter)
    )
    r_line = np.searchsorted(normal_starts, r_start, side="right") - 1
    origin = line_starts[r_line]
    r_orig_start = first_of[r_start] - origin
    r_orig_end = last_of[r_end - 1] + 1 - origin
    # Homophone readings without Latin letters, and exact short everyday words, stand on word boundaries only.
    r_test = ((r_kind == _PHONETIC_K) & ~r_letter) | ((r_kind == _EXACT_K) & scanner._word_bound_array[r_target])
    r_category = scanner._category_array[r_target]

    entries = scanner._entries
    context = scanner._context
    aligned_all = utf32_decode(folded, "strict", True)[0] if context is not None else None
    current = -1
    text = ""
    hits: list[Hit] = []
    furthest: dict[int, tuple[int, int]] = {}

    def finish(index: int, hits: list[Hit]) -> None:
        if not hits:
            return
        if context is not None and aligned_all is not None:
            origin = line_starts.item(index)
            hits = context.judge(texts[index], hits, aligned_all[origin : origin + len(texts[index])])
            if not hits:
                return
        if len(hits) > 1:
            hits.sort(key=hit_order)
        results[index] = scan_result(tuple(hits), normalized[index])

    for owner, entry_index, start, end, kind_code, test, category, orig_start, orig_end in zip(
        r_line.tolist(),
        r_target.tolist(),
        r_start.tolist(),
        r_end.tolist(),
        r_kind.tolist(),
        r_test.tolist(),
        r_category.tolist(),
        r_orig_start.tolist(),
        r_orig_end.tolist(),
        strict=True,
    ):
        if owner != current:
            finish(current, hits)
            current, text, hits, furthest = owner, texts[owner], [], {}
        # Within one category keep the longest reading (see `_resolve`).
        best = furthest.get(category)
        if best is not None and (best[0] > end or (best[0] == end and best[1] <= start)):
            continue
        if test and not (homophone_believed if kind_code == _PHONETIC_K else on_word_boundaries)(
            text, orig_start, orig_end
        ):
            continue
        if best is None or end > best[0]:
            furthest[category] = (end, start)
        entry = entries[entry_index]
        hit = entry_hit(entry, orig_start, orig_end, _KINDS[kind_code], text[orig_start:orig_end])
        hits.append(hit)
    finish(current, hits)
