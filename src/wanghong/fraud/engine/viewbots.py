"""Livestream viewbot detection and a real-viewer estimate per room and minute.

Input: a room's viewer sessions (entry and exit times, the comment if any). Three observable patterns:

* **Synchronised entry bursts.** Entries per second are compared with the room's own local rate (a rolling
  median over ±2 minutes); a second whose count is beyond the Poisson tail of that rate (p < 10⁻⁶) is part of a
  burst, and consecutive burst seconds form one window. Genuine floods happen too (a lucky bag, a raid from
  another room), so a window is a *bot* burst only when most of its entrants leave within seconds (秒进秒出);
  real viewers arriving for a lucky bag stay for it.
* **秒进秒出** (dwell ≤ 3 s) on its own is not evidence — real viewers swipe through — but combined with a
  **template comment** (666, 来了来了, digit-only or emoji-only text, or a text posted by many viewers within a
  minute) it is: a person does not type praise in the two seconds they spend in a room they leave.
* Inside a bot burst, an entrant who writes a non-template comment is kept as genuine.

Each session gets a bot probability: inside a bot burst, the burst's excess over the local rate (the share of
its entrants the rate does not explain); a quick template commenter, 0.97; otherwise 0. The per-minute estimate
of real viewers is the reported count minus the expected number of bots, for entries (场观) and for the average
concurrent audience (在线人数).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view
from scipy.special import pdtrc

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

QUICK_EXIT_S = 3.0
BURST_P_VALUE = 1e-6
RATE_WINDOW_S = 241
BOT_BURST_QUICK_SHARE = 0.5
QUICK_TEMPLATE_PROBABILITY = 0.97
FLAG_AT = 0.5
COPY_PASTE_VIEWERS = 20  # the same text from this many viewers within a minute is a script, not a crowd

TEMPLATES = frozenset(
    {
        "6",
        "66",
        "666",
        "来了",
        "来了来了",
        "主播好棒",
        "支持主播",
        "主播好美",
        "好看",
        "冲",
        "冲冲冲",
        "关注了",
        "打卡",
        "扣1",
    }
)
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_REPEATS = re.compile(r"(.+?)\1+")
_DIGITS_ONLY = re.compile(r"^\d+$")


def normalise_comment(text: str) -> str:
    """Lower-case, without spaces, punctuation or emoji, with repeated runs collapsed (6666 → 6, 来了来了 → 来了)."""
    return _REPEATS.sub(r"\1", _NOISE.sub("", text.lower()))


def is_template(texts: npt.NDArray[np.object_], enter_s: FloatArray) -> BoolArray:
    """Template comments: a known template, digits only, emoji/punctuation only, or copy-paste at scale."""
    normal = np.array([normalise_comment(t) if t else "" for t in texts], dtype=object)
    written = np.array([bool(t) for t in texts])
    known = {normalise_comment(t) for t in TEMPLATES}
    template = np.array([bool(n) and (n in known or _DIGITS_ONLY.match(n) is not None) for n in normal])
    template |= written & (normal == "")  # emoji or punctuation only
    if written.any():
        minute = (enter_s // 60).astype(np.int64)
        keys = np.array([f"{m}\x00{n}" for m, n in zip(minute, normal, strict=True)], dtype=object)
        _, inverse, counts = np.unique(keys[written], return_inverse=True, return_counts=True)
        copied = np.zeros(len(texts), dtype=bool)
        copied[np.flatnonzero(written)] = counts[inverse] >= COPY_PASTE_VIEWERS
        template |= copied
    return template & written


@dataclass(frozen=True, slots=True)
class RoomMinute:
    minute: int
    reported_entries: int
    estimated_real_entries: float
    reported_concurrent: float
    estimated_real_concurrent: float


@dataclass(frozen=True, slots=True)
class RoomVerdict:
    bot_probability: FloatArray
    flagged: BoolArray
    burst_windows: list[tuple[int, int]]  # [start second, end second] of each bot burst
    minutes: list[RoomMinute]

    @property
    def real_share(self) -> float:
        return float(1 - self.bot_probability.mean()) if len(self.bot_probability) else 1.0


def detect_viewbots(
    enter_s: FloatArray, leave_s: FloatArray, comments: npt.NDArray[np.object_], duration_s: int | None = None
) -> RoomVerdict:
    enter_s = np.asarray(enter_s, dtype=np.float64)
    leave_s = np.asarray(leave_s, dtype=np.float64)
    if len(enter_s) != len(leave_s) or len(enter_s) != len(comments):
        raise ValueError("enter_s, leave_s and comments must have the same length")
    if (leave_s < enter_s).any():
        raise ValueError("a session cannot leave before it enters")
    n = len(enter_s)
    duration = int(duration_s if duration_s is not None else (np.ceil(leave_s.max()) if n else 0)) + 1
    dwell = leave_s - enter_s
    quick = dwell <= QUICK_EXIT_S
    template = is_template(comments, enter_s)
    genuine_comment = np.array([bool(t) for t in comments]) & ~template

    second = np.clip(enter_s.astype(np.int64), 0, duration - 1)
    per_second = np.bincount(second, minlength=duration).astype(np.float64)
    rate = np.maximum(_rolling_median(per_second, RATE_WINDOW_S), 0.5)
    # P(X ≥ count) for X ~ Poisson(rate), i.e. the survival function at count − 1
    burst_second = (per_second > 0) & (pdtrc(per_second - 1, rate) < BURST_P_VALUE)
    windows = _windows(burst_second)

    probability = np.zeros(n)
    bot_windows: list[tuple[int, int]] = []
    window_of_second = np.full(duration, -1)
    for index, (start, end) in enumerate(windows):
        window_of_second[start : end + 1] = index
    window = window_of_second[second]
    for index, (start, end) in enumerate(windows):
        members = window == index
        if quick[members].mean() < BOT_BURST_QUICK_SHARE:
            continue
        bot_windows.append((start, end))
        entrants = per_second[start : end + 1].sum()
        excess = max(0.0, 1.0 - rate[start : end + 1].sum() / entrants)
        probability[members & ~genuine_comment] = excess
    probability = np.maximum(probability, np.where(quick & template, QUICK_TEMPLATE_PROBABILITY, 0.0))
    return RoomVerdict(probability, probability >= FLAG_AT, bot_windows, _minutes(enter_s, leave_s, probability))


def _rolling_median(values: FloatArray, window: int) -> FloatArray:
    """Centred rolling median, edges padded with the edge value (a room's local entry rate per second)."""
    half = window // 2
    padded = np.pad(values, half, mode="edge")
    result: FloatArray = np.median(sliding_window_view(padded, window), axis=1)
    return result


def _windows(mask: BoolArray) -> list[tuple[int, int]]:
    """[start, end] of each run of True; runs one quiet second apart are one window (a burst straddling seconds)."""
    seconds = np.flatnonzero(mask)
    if not len(seconds):
        return []
    breaks = np.flatnonzero(np.diff(seconds) > 2)
    starts = seconds[np.concatenate([[0], breaks + 1])]
    ends = seconds[np.concatenate([breaks, [len(seconds) - 1]])]
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _minutes(enter_s: FloatArray, leave_s: FloatArray, bot: FloatArray) -> list[RoomMinute]:
    if not len(enter_s):
        return []
    minutes = int(np.ceil(leave_s.max() / 60)) or 1
    entry_minute = np.minimum((enter_s // 60).astype(np.int64), minutes - 1)
    entries = np.bincount(entry_minute, minlength=minutes)
    bot_entries = np.bincount(entry_minute, weights=bot, minlength=minutes)
    # Average concurrent audience in a minute = viewer-seconds spent in it / 60; each session's seconds are
    # spread over the minutes it overlaps by a difference array on the cumulative viewer-seconds curve.
    edges = np.arange(minutes + 1, dtype=np.float64) * 60.0
    viewer_seconds = _overlap_seconds(enter_s, leave_s, edges, np.ones(len(enter_s)))
    bot_seconds = _overlap_seconds(enter_s, leave_s, edges, bot)
    return [
        RoomMinute(
            minute=m,
            reported_entries=int(entries[m]),
            estimated_real_entries=float(entries[m] - bot_entries[m]),
            reported_concurrent=float(viewer_seconds[m] / 60),
            estimated_real_concurrent=float((viewer_seconds[m] - bot_seconds[m]) / 60),
        )
        for m in range(minutes)
    ]


def _overlap_seconds(enter_s: FloatArray, leave_s: FloatArray, edges: FloatArray, weight: FloatArray) -> FloatArray:
    """Σ weight × |[enter, leave) ∩ [edges[m], edges[m+1])| per minute m, without a loop over sessions.

    With C(t) = Σ weight × clip(t − enter, 0, leave − enter) the viewer-seconds up to t, the answer is
    C(edges[m+1]) − C(edges[m]); C is piecewise linear, so it is evaluated at the edges from sorted breakpoints."""
    order_in = np.argsort(enter_s)
    order_out = np.argsort(leave_s)
    # slope(t) = Σ weight over sessions present at t; C(t) = ∫ slope.
    times = np.concatenate([enter_s[order_in], leave_s[order_out]])
    deltas = np.concatenate([weight[order_in], -weight[order_out]])
    order = np.argsort(times, kind="stable")
    times, deltas = times[order], deltas[order]
    slope = np.cumsum(deltas)
    area = np.concatenate([[0.0], np.cumsum(slope[:-1] * np.diff(times))])
    position = np.searchsorted(times, edges, side="right") - 1
    at_edges = np.where(
        position >= 0,
        area[np.maximum(position, 0)] + slope[np.maximum(position, 0)] * (edges - times[np.maximum(position, 0)]),
        0.0,
    )
    result: FloatArray = np.diff(at_edges)
    return result
