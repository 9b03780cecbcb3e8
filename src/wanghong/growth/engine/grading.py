"""星火计划 grading: a published, monotone score of an MCN agency's month, S/A/B grades with hysteresis, and what
would move each agency up.

The formula is absolute, not a ranking: each measured indicator is mapped onto [0, 1] by a fixed published range
(better is always higher after orientation), and the score is 100 × Σ weight × sub-score with non-negative weights
that sum to 1. So an agency's score rises whenever one of its indicators improves and no other worsens
(monotone), one agency's month never changes another's score, and an agency can read exactly how far it is from the
next grade. A grade changes only when the score crosses the threshold by more than a margin, in either direction,
so a score wobbling around a threshold does not flap between grades month after month.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

from wanghong.domain import McnTier


@dataclass(frozen=True)
class Indicators:
    """One agency's measured month."""

    gmv: float  # yuan: GMV of the agency's signed creators in the month
    follower_growth: float  # mean log follower growth of its signed creators in the month (0.05 ≈ +5%)
    originality: float  # share of its creators' videos not confirmed as copies, 0–1
    violation_rate: float  # confirmed violations per signed creator in the month
    complaint_rate: float  # complaints per 1,000 orders
    retention: float  # share of creators signed a year ago who are still signed, 0–1


@dataclass(frozen=True)
class Criterion:
    """How one indicator enters the score: its weight and the range that maps onto sub-score 0 → 1."""

    indicator: str
    weight: float
    worst: float  # value at (or beyond) which the sub-score is 0
    best: float  # value at (or beyond) which the sub-score is 1
    logarithmic: bool = False  # GMV spans orders of magnitude: its range is in log10 yuan
    label: str = ""

    def sub_score(self, value: float) -> float:
        x = math.log10(max(value, 1.0)) if self.logarithmic else value
        lo, hi = (math.log10(self.worst), math.log10(self.best)) if self.logarithmic else (self.worst, self.best)
        return min(1.0, max(0.0, (x - lo) / (hi - lo)))

    def value_for(self, sub_score: float) -> float:
        """The indicator value that gives `sub_score` (the inverse of `sub_score` inside the range)."""
        if self.logarithmic:
            lo, hi = math.log10(self.worst), math.log10(self.best)
            return float(10 ** (lo + sub_score * (hi - lo)))
        return self.worst + sub_score * (self.best - self.worst)


@dataclass(frozen=True)
class GradingPolicy:
    """The published formula: criteria, grade thresholds on the 0–100 score, and the hysteresis margin."""

    criteria: tuple[Criterion, ...] = (
        Criterion("gmv", 0.30, worst=1e5, best=1e9, logarithmic=True, label="签约达人GMV / signed creators' GMV"),
        Criterion("follower_growth", 0.15, worst=-0.02, best=0.08, label="粉丝增长 / follower growth"),
        Criterion("originality", 0.15, worst=0.7, best=1.0, label="原创度 / originality"),
        Criterion("violation_rate", 0.15, worst=0.3, best=0.0, label="违规率 / violations per creator"),
        Criterion("complaint_rate", 0.10, worst=10.0, best=0.0, label="投诉率 / complaints per 1,000 orders"),
        Criterion("retention", 0.15, worst=0.5, best=1.0, label="达人留存 / creator retention"),
    )
    thresholds: tuple[tuple[McnTier, float], ...] = ((McnTier.S, 80.0), (McnTier.A, 65.0), (McnTier.B, 50.0))
    margin: float = 2.5  # points beyond a threshold needed to cross it, upwards or downwards

    def __post_init__(self) -> None:
        known = {f.name for f in fields(Indicators)}
        if any(c.indicator not in known for c in self.criteria):
            raise ValueError(f"every criterion must name one of {sorted(known)}")
        if any(c.weight < 0 for c in self.criteria) or not math.isclose(sum(c.weight for c in self.criteria), 1.0):
            raise ValueError("weights must be non-negative and sum to 1 (the score is monotone in every indicator)")
        cuts = [cut for _, cut in self.thresholds]
        if cuts != sorted(cuts, reverse=True):
            raise ValueError("thresholds must run from the best grade down")

    def score(self, indicators: Indicators) -> float:
        return 100.0 * sum(c.weight * c.sub_score(getattr(indicators, c.indicator)) for c in self.criteria)

    def plain_grade(self, score: float) -> McnTier:
        """The grade the score earns with no history (a first grading)."""
        for tier, cut in self.thresholds:
            if score >= cut:
                return tier
        return McnTier.UNRATED

    def grade(self, score: float, previous: McnTier | None) -> McnTier:
        """The grade after a month with `score`, given last month's grade: thresholds move by the margin away from
        the previous grade, so crossing one takes a clear move, not a wobble."""
        if previous is None:
            return self.plain_grade(score)
        up = self.plain_grade(score - self.margin)
        down = self.plain_grade(score + self.margin)
        order = self.order
        if order[up] < order[previous]:  # clearly better than the previous grade
            return up
        if order[down] > order[previous]:  # clearly worse
            return down
        return previous

    @property
    def order(self) -> dict[McnTier, int]:
        """0 for the best grade, upwards; unrated last."""
        ranks = {tier: i for i, (tier, _) in enumerate(self.thresholds)}
        ranks[McnTier.UNRATED] = len(self.thresholds)
        return ranks

    def cut_of(self, tier: McnTier) -> float | None:
        return next((cut for t, cut in self.thresholds if t is tier), None)


@dataclass(frozen=True)
class Lever:
    """One indicator alone that would lift the agency to the next grade, and to what value."""

    indicator: str
    label: str
    current: float
    needed: float


@dataclass(frozen=True)
class Explanation:
    grade: McnTier
    score: float
    next_grade: McnTier | None  # None when already at the top
    points_needed: float  # score points to gain, margin included
    levers: tuple[Lever, ...]  # indicators that could each close the gap alone, easiest first
    contributions: Mapping[str, float]  # score points each indicator contributes now


@dataclass(frozen=True)
class MonthGrade:
    agency: str
    score: float
    grade: McnTier
    previous: McnTier | None
    explanation: Explanation


def explain(policy: GradingPolicy, indicators: Indicators, grade: McnTier) -> Explanation:
    """What the agency's score is made of and which single indicator would lift it a grade."""
    score = policy.score(indicators)
    contributions = {
        c.indicator: 100.0 * c.weight * c.sub_score(getattr(indicators, c.indicator)) for c in policy.criteria
    }
    rank = policy.order[grade]
    if rank == 0:
        return Explanation(grade, score, None, 0.0, (), contributions)
    target_tier, target_cut = policy.thresholds[rank - 1]
    needed_points = max(0.0, target_cut + policy.margin - score)
    levers: list[tuple[float, Lever]] = []
    for c in policy.criteria:
        value = getattr(indicators, c.indicator)
        current_sub = c.sub_score(value)
        room = 100.0 * c.weight * (1.0 - current_sub)
        if c.weight == 0 or room < needed_points:
            continue  # this indicator alone cannot close the gap
        needed_sub = current_sub + needed_points / (100.0 * c.weight)
        levers.append((needed_sub - current_sub, Lever(c.indicator, c.label, value, c.value_for(needed_sub))))
    levers.sort(key=lambda pair: pair[0])
    return Explanation(grade, score, target_tier, needed_points, tuple(lever for _, lever in levers), contributions)


def grade_month(
    policy: GradingPolicy, month: Mapping[str, Indicators], previous: Mapping[str, McnTier] | None = None
) -> list[MonthGrade]:
    """Grade every agency's month; an agency absent from `previous` is graded without hysteresis."""
    before = previous or {}
    graded = []
    for agency, indicators in month.items():
        score = policy.score(indicators)
        last = before.get(agency)
        grade = policy.grade(score, last)
        graded.append(MonthGrade(agency, score, grade, last, explain(policy, indicators, grade)))
    return graded


def grade_history(
    policy: GradingPolicy, months: Iterable[Mapping[str, Indicators]], initial: Mapping[str, McnTier] | None = None
) -> list[list[MonthGrade]]:
    """Month after month, each month's grades feeding the next month's hysteresis."""
    current = dict(initial or {})
    history = []
    for month in months:
        graded = grade_month(policy, month, current)
        current.update({g.agency: g.grade for g in graded})
        history.append(graded)
    return history
