"""One live risk score per room (直播间风险分, 行为检测): what is said, who is watching, whose content it is.

Three components, each 0-100 with the figures behind it:

* **compliance** — the host's flagged speech in the recent window, each line weighed by its verdict (a block
  counts 1, a review 0.4) and by its age (half-life ``HALF_LIFE_S``), and the viewers' flagged barrage at a tenth
  of that (a room whose barrage is full of 私彩 ads wants a look, but the words are not the host's):
  ``100 × (1 − e^(−points / 2))`` — one block line ≈ 39, two ≈ 63, four ≈ 86.
* **fraud** — the expected share of bot visits from the viewbot detector (entry bursts whose entrants leave within
  seconds, quick template comments); 50 % bots reads 100. Fewer than ``MIN_VISITS`` visits say nothing yet.
* **originality** — the host's confirmed copied-content violations in the last half year, 40 each.

The score combines them as independent risks (noisy-OR, weights below) rather than an average: one severe
component is enough to make a room risky, and the others cannot dilute it. Alone, compliance reaches 100, fraud 80
and originality 50 — a copier who sells lawfully is worth a look, not an urgent one.

A threshold raises a review task when the score crosses it upwards, once; it re-arms only after the score falls
``REARM_MARGIN`` below it, so a score hovering at the line does not flood the queue.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

HALF_LIFE_S = 600.0
WINDOW_S = 3600.0  # flagged lines older than this weigh < 2 % and are not read at all
BLOCK_POINTS = 1.0
REVIEW_POINTS = 0.4
COMMENT_SHARE = 0.1
MIN_VISITS = 30
BOT_SHARE_FULL = 0.5
COPY_POINTS = 40.0
WEIGHTS = {"compliance": 1.0, "fraud": 0.8, "originality": 0.5}
# (score, name): "review" opens a task due in a day, "urgent" one due in two hours (a block's deadline).
THRESHOLDS: tuple[tuple[float, str], ...] = ((60.0, "review"), (85.0, "urgent"))
REARM_MARGIN = 10.0


@dataclass(frozen=True, slots=True)
class FlaggedLine:
    age_s: float
    blocked: bool  # a block verdict (else review)
    speech: bool  # the host's line (else a viewer's comment)


@dataclass(frozen=True, slots=True)
class RoomSignals:
    flagged: Sequence[FlaggedLine]
    visits: int
    expected_bots: float  # Σ bot probability over the room's visits
    bot_bursts: int
    copied_confirmed: int


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    value: float  # 0-100
    weight: float
    figures: dict[str, float]  # what the value was computed from, shown beside it

    def to_json(self) -> dict[str, object]:
        return {"value": round(self.value, 1), "weight": self.weight, "figures": self.figures}


@dataclass(frozen=True, slots=True)
class RoomRisk:
    score: float
    components: tuple[Component, ...]

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)

    def to_json(self) -> dict[str, object]:
        return {"score": round(self.score, 1), "components": {c.name: c.to_json() for c in self.components}}


def _decayed(age_s: float) -> float:
    return 0.5 ** (max(age_s, 0.0) / HALF_LIFE_S)


def compliance_component(flagged: Sequence[FlaggedLine]) -> Component:
    points = 0.0
    speech_lines = comment_lines = 0
    for line in flagged:
        if line.age_s > WINDOW_S:
            continue
        weight = (BLOCK_POINTS if line.blocked else REVIEW_POINTS) * _decayed(line.age_s)
        if line.speech:
            speech_lines += 1
        else:
            comment_lines += 1
            weight *= COMMENT_SHARE
        points += weight
    value = 100.0 * (1.0 - math.exp(-points / 2.0))
    figures = {"points": round(points, 3), "flagged_speech": speech_lines, "flagged_comments": comment_lines}
    return Component("compliance", value, WEIGHTS["compliance"], figures)


def fraud_component(visits: int, expected_bots: float, bursts: int) -> Component:
    share = expected_bots / visits if visits else 0.0
    value = 0.0 if visits < MIN_VISITS else 100.0 * min(1.0, share / BOT_SHARE_FULL)
    figures = {"visits": visits, "bot_share": round(share, 4), "bursts": bursts}
    return Component("fraud", value, WEIGHTS["fraud"], figures)


def originality_component(copied_confirmed: int) -> Component:
    value = min(100.0, COPY_POINTS * copied_confirmed)
    return Component("originality", value, WEIGHTS["originality"], {"confirmed_copies": copied_confirmed})


def room_risk(signals: RoomSignals) -> RoomRisk:
    components = (
        compliance_component(signals.flagged),
        fraud_component(signals.visits, signals.expected_bots, signals.bot_bursts),
        originality_component(signals.copied_confirmed),
    )
    safe = 1.0
    for c in components:
        safe *= 1.0 - c.weight * c.value / 100.0
    return RoomRisk(100.0 * (1.0 - safe), components)


def crossings(score: float, armed_above: frozenset[str]) -> tuple[list[str], frozenset[str]]:
    """The thresholds this score newly crosses, and the set of thresholds the room is above afterwards.

    ``armed_above`` holds those already crossed and not yet re-armed; one is re-armed once the score falls
    ``REARM_MARGIN`` below it."""
    above = set(armed_above)
    crossed: list[str] = []
    for line, name in THRESHOLDS:
        if name in above:
            if score < line - REARM_MARGIN:
                above.discard(name)
        elif score >= line:
            above.add(name)
            crossed.append(name)
    return crossed, frozenset(above)
