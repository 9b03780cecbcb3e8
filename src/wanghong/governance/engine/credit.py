"""信用分 (credit score), standing (green / yellow / red) and graded management (分级分类监管) of a subject.

**Score.** Every subject starts at ``FULL`` = 100. Each confirmed finding against it deducts points (``DEDUCTIONS``,
by kind and severity); a finding overturned on appeal is simply not passed in. The score is ``FULL`` minus the sum
of the *outstanding* part of each deduction, never below 0.

**Recovery.** A deduction counts in full for ``HOLD`` (90 days, the compliance penalty window) after the latest
finding against the subject, then recovers linearly over ``RECOVERY`` (another 90 days) to nothing. A new finding
restarts the clock for everything still outstanding: points come back only after a clean period, so a repeat
offender does not recover between offences. Completed compliance training (:class:`Remedy`) restores
``TRAINING_CREDIT`` points of what is outstanding, at most once per ``HOLD``.

**CreditColour.** green ≥ ``GREEN_FROM`` (90), yellow ≥ ``YELLOW_FROM`` (70), red below; a subject serving a suspension,
or with a high-severity finding in the last ``SEVERE_WINDOW`` (30 days), is red whatever its score.

**Graded management.** Each colour sets how closely the platform watches (:func:`management`): the share of
livestreams sampled for review, whether every stream is monitored live, and whether new listings in restricted
categories need a reviewer first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

FULL = 100.0
HOLD = timedelta(days=90)
RECOVERY = timedelta(days=90)
SEVERE_WINDOW = timedelta(days=30)
TRAINING_CREDIT = 5.0
GREEN_FROM = 90.0
YELLOW_FROM = 70.0


class FindingKind(StrEnum):
    VIOLATION = "violation"  # a confirmed compliance violation (广告法 etc.)
    LISTING_MISMATCH = "listing_mismatch"  # speech contradicting the listing (虚假宣传)
    PRICE_FRAUD = "price_fraud"  # 虚构原价, a false 全网最低
    CONFIRMED_COPY = "confirmed_copy"  # originality review upheld a copy
    QUALIFICATION_LAPSED = "qualification_lapsed"  # sold in a restricted category without a qualification in force
    PROHIBITED_GOODS = "prohibited_goods"  # listed goods that may not be sold at all


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


DEDUCTIONS: dict[FindingKind, dict[Severity, float]] = {
    FindingKind.VIOLATION: {Severity.LOW: 2, Severity.MEDIUM: 5, Severity.HIGH: 12},
    FindingKind.LISTING_MISMATCH: {Severity.LOW: 3, Severity.MEDIUM: 6, Severity.HIGH: 10},
    FindingKind.PRICE_FRAUD: {Severity.LOW: 5, Severity.MEDIUM: 10, Severity.HIGH: 15},
    FindingKind.CONFIRMED_COPY: {Severity.LOW: 2, Severity.MEDIUM: 4, Severity.HIGH: 8},
    FindingKind.QUALIFICATION_LAPSED: {Severity.LOW: 4, Severity.MEDIUM: 8, Severity.HIGH: 15},
    FindingKind.PROHIBITED_GOODS: {Severity.LOW: 10, Severity.MEDIUM: 20, Severity.HIGH: 40},
}


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    severity: Severity
    at: datetime  # when it was confirmed
    ref: str = ""  # "<table>:<id>" of the record behind it

    @property
    def points(self) -> float:
        return DEDUCTIONS[self.kind][self.severity]


@dataclass(frozen=True)
class Remedy:
    """Completed compliance training (合规培训) at ``at``."""

    at: datetime
    ref: str = ""


class CreditColour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


LABELS = {CreditColour.GREEN: "绿码 / green", CreditColour.YELLOW: "黄码 / yellow", CreditColour.RED: "红码 / red"}


@dataclass(frozen=True)
class Deduction:
    finding: Finding
    outstanding: float  # points still deducted at the instant asked about


@dataclass(frozen=True)
class CreditScore:
    score: float
    colour: CreditColour
    deductions: tuple[Deduction, ...]
    recovers_from: datetime | None  # when outstanding points start coming back (None: nothing outstanding)
    restored: float  # points given back by training
    reason: str  # Chinese / English


def _recovered_share(clean_since: datetime, at: datetime) -> float:
    """How much of a deduction has come back after being clean since ``clean_since``: 0 during HOLD, then linear."""
    into_recovery = (at - clean_since) - HOLD
    if into_recovery <= timedelta(0):
        return 0.0
    return min(1.0, into_recovery / RECOVERY)


def credit_score(
    findings: Iterable[Finding],
    at: datetime,
    *,
    remedies: Iterable[Remedy] = (),
    suspended: bool = False,
) -> CreditScore:
    """The subject's score and standing at ``at`` from its confirmed findings up to then."""
    past = sorted((f for f in findings if f.at <= at), key=lambda f: f.at)
    latest = past[-1].at if past else None
    share = _recovered_share(latest, at) if latest else 1.0
    deductions = tuple(Deduction(f, f.points * (1.0 - share)) for f in past)
    outstanding = sum(d.outstanding for d in deductions)
    # Training gives back up to TRAINING_CREDIT, once per HOLD, and only after the latest finding.
    restored = 0.0
    last_counted: datetime | None = None
    for remedy in sorted((r for r in remedies if r.at <= at), key=lambda r: r.at):
        if latest is None or remedy.at < latest:
            continue
        if last_counted is None or remedy.at - last_counted >= HOLD:
            restored += TRAINING_CREDIT
            last_counted = remedy.at
    restored = min(restored, outstanding)
    score = max(0.0, FULL - outstanding + restored)
    severe = [f for f in past if f.severity is Severity.HIGH and at - f.at <= SEVERE_WINDOW]
    if suspended or severe:
        colour = CreditColour.RED
    elif score >= GREEN_FROM:
        colour = CreditColour.GREEN
    elif score >= YELLOW_FROM:
        colour = CreditColour.YELLOW
    else:
        colour = CreditColour.RED
    why_zh, why_en = f"信用分 {score:.1f}", f"credit score {score:.1f}"
    if suspended:
        why_zh, why_en = why_zh + "，正在停播处罚期", why_en + ", serving a suspension"
    elif severe:
        why_zh, why_en = why_zh + f"，{len(severe)} 项严重违规在30日内", why_en + f", {len(severe)} severe in 30 days"
    return CreditScore(
        round(score, 1),
        colour,
        deductions,
        latest + HOLD if latest and outstanding > 0 else None,
        restored,
        f"{LABELS[colour].split(' / ')[0]}：{why_zh} / {colour.value}: {why_en}",
    )


@dataclass(frozen=True)
class Management:
    """How closely the platform watches a subject (分级分类监管)."""

    level: str  # 常规 / 重点 / 严管
    review_sampling: float  # share of its livestreams sampled for human review
    live_monitoring: bool  # every livestream is scored live and watched
    restricted_listing_review: bool  # new listings in restricted categories wait for a reviewer
    may_promote: bool  # may join platform promotions (大促) and traffic boosts


MANAGEMENT: dict[CreditColour, Management] = {
    CreditColour.GREEN: Management("常规监管 / routine", 0.02, False, False, True),
    CreditColour.YELLOW: Management("重点监管 / close", 0.2, True, True, True),
    CreditColour.RED: Management("严格监管 / strict", 1.0, True, True, False),
}


def management(colour: CreditColour) -> Management:
    return MANAGEMENT[colour]
