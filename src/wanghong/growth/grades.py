"""星火计划 as other rooms read it (a public door): what each tier grants, an agency's grade card, the tier boosts the
fair allocator and 选品中心 apply, and an agency's appeal against a month's grade.

The grade an agency holds is the latest graded month's *effective* grade: the operator's override when there is one,
else the grade the published formula and its hysteresis gave. `mcns.tier` mirrors it (the grading service and the
override keep it so), which is why the engines' boosts read `mcns.tier` and need no join over the history.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.analytics.metrics import METRICS
from wanghong.commerce.models import Creator, Mcn
from wanghong.domain import McnTier, Role
from wanghong.growth.engine import Explanation, GradingPolicy, Indicators, explain
from wanghong.growth.models import AppealStatus, GradeAppeal, McnGrade
from wanghong.kit import access, audit
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import insert_new
from wanghong.kit.errors import Conflict, InvalidInput

POLICY = GradingPolicy()  # the published formula every grade is computed and explained with
HISTORY = 24  # months of grades a card shows
REASON_MAX = 500


@dataclass(frozen=True)
class TierGrant:
    """The resources an agency's S/A/B tier entitles it to, in one table so pages, API and engines read the same."""

    traffic_pack: int  # 专属流量包: extra exposures a month shared by the agency's creators
    exposure_boost: float  # the largest exposure boost the fair allocator may give one of its creators
    service_fee_discount: float  # off the platform's service fee on its creators' earnings
    brand_priority_hours: int  # 品牌优先合作权: hours its creators rank ahead on a brand's new product in 选品中心
    account_manager: bool  # 专属运营经理: a named operator to escalate to


TIER_GRANTS: dict[McnTier, TierGrant] = {
    McnTier.S: TierGrant(5_000_000, 0.15, 0.30, 48, True),
    McnTier.A: TierGrant(2_000_000, 0.10, 0.15, 24, True),
    McnTier.B: TierGrant(500_000, 0.05, 0.05, 0, False),
    McnTier.UNRATED: TierGrant(0, 0.0, 0.0, 0, False),
}

# Inside its window a priority creator's match score rises by this many standard deviations of the candidates'
# scores: enough to pass comparable creators, not enough to lift a poor match over a clearly better one.
PRIORITY_SCORE_LIFT = 0.5


def effective_grade(row: McnGrade) -> McnTier:
    """What the agency holds for that month: the operator's override, else the computed grade."""
    return row.overridden_grade or row.grade


def indicators_of(row: McnGrade) -> Indicators:
    return Indicators(**{f.name: float(row.indicators.get(f.name, 0.0)) for f in fields(Indicators)})


@dataclass(frozen=True)
class GradeCard:
    """One agency's 星火计划 standing: the latest month, why, what would lift it, its history and appeals."""

    mcn: Mcn
    latest: McnGrade | None
    explanation: Explanation | None
    lines: list[IndicatorLine]
    history: list[McnGrade]  # newest first
    appeals: list[GradeAppeal]  # newest first
    grant: TierGrant

    @property
    def appealable(self) -> bool:
        """The latest month may be appealed once."""
        return self.latest is not None and all(a.grade_id != self.latest.id for a in self.appeals)


def card(session: Session, mcn: Mcn) -> GradeCard:
    history = list(
        session.scalars(
            select(McnGrade).where(McnGrade.mcn_id == mcn.id).order_by(McnGrade.month.desc()).limit(HISTORY)
        )
    )
    appeals = list(
        session.scalars(select(GradeAppeal).where(GradeAppeal.mcn_id == mcn.id).order_by(GradeAppeal.id.desc()))
    )
    latest = history[0] if history else None
    explanation = explain(POLICY, indicators_of(latest), effective_grade(latest)) if latest else None
    lines = indicator_lines(latest) if latest else []
    return GradeCard(mcn, latest, explanation, lines, history, appeals, TIER_GRANTS[mcn.tier])


# How each indicator reads on a page: its name in each language and how its value is written. The figures the
# platform defines (指标说明) keep their one name; the grade holds complaints per 1,000 orders, which the card
# writes in the metric's unit (%) through the kind "per_mille".
INDICATOR_TEXT: dict[str, tuple[str, str, str]] = {
    "gmv": (f"签约达人{METRICS['gmv_all'].zh}", f"Signed creators' {METRICS['gmv_all'].en}", "yuan"),
    "follower_growth": ("粉丝增长", "Follower growth", "percent"),
    "originality": ("原创度", "Originality", "percent"),
    "violation_rate": ("违规率（每位达人）", "Violations per creator", "number"),
    "complaint_rate": (METRICS["complaint_rate"].zh, METRICS["complaint_rate"].en, "per_mille"),
    "retention": ("达人留存", "Creator retention", "percent"),
}


@dataclass(frozen=True)
class IndicatorLine:
    indicator: str
    zh: str
    en: str
    kind: str  # yuan | percent | per_mille (a value per 1,000, shown as %) | number
    value: float
    weight: float
    points: float  # score points it contributes now
    needed: float | None  # the value that alone would lift the grade, when one does


def indicator_lines(row: McnGrade) -> list[IndicatorLine]:
    """The month's indicators as the card shows them: value, weight, points, and the value that would lift it."""
    measured = indicators_of(row)
    explanation = explain(POLICY, measured, effective_grade(row))
    levers = {lever.indicator: lever.needed for lever in explanation.levers}
    lines = []
    for criterion in POLICY.criteria:
        zh, en, kind = INDICATOR_TEXT[criterion.indicator]
        lines.append(
            IndicatorLine(
                criterion.indicator,
                zh,
                en,
                kind,
                getattr(measured, criterion.indicator),
                criterion.weight,
                explanation.contributions[criterion.indicator],
                levers.get(criterion.indicator),
            )
        )
    return lines


def file_appeal(
    session: Session, principal: Principal, grade_id: int, reason: str, requested: McnTier | None = None
) -> GradeAppeal:
    """The agency appeals one month's grade; a second appeal of the same month is a 409 (even a concurrent one)."""
    require_role(principal, Role.MCN_MANAGER, action="appealing an agency grade")
    grade = access.get_visible(session, McnGrade, grade_id, principal)
    text = reason.strip()
    if not text:
        raise InvalidInput("申诉理由不能为空 / reason: say why the grade is wrong")
    if len(text) > REASON_MAX:
        raise InvalidInput(f"申诉理由最多 {REASON_MAX} 字 / reason: at most {REASON_MAX} characters")
    if requested is not None and requested is effective_grade(grade):
        raise InvalidInput(f"the agency already holds {requested.value} for {grade.month:%Y-%m}")
    # The one-appeal-per-month key decides: of two concurrent filings one inserts.
    values = {
        "grade_id": grade.id,
        "mcn_id": grade.mcn_id,
        "requested_grade": requested.value if requested else None,
        "reason": text,
        "status": AppealStatus.PENDING.value,
        "filed_by": principal.user_id,
        "filed_at": utcnow(),
        "decision_note": "",
    }
    inserted = insert_new(session, GradeAppeal, values, unique=["grade_id"])
    if inserted is None:
        raise Conflict(
            f"{grade.month:%Y-%m} 的评级已申诉过 / the grade of {grade.month:%Y-%m} has been appealed already"
        )
    appeal = session.get_one(GradeAppeal, inserted)
    audit.record(session, principal, "mcn_grade.appeal", appeal, {"grade_id": grade.id, "reason": text})
    return appeal


# --- the engines' side of the grants -------------------------------------------------------------------------


def exposure_boosts(session: Session) -> dict[int, float]:
    """专属流量包: each signed creator's exposure boost from its agency's tier (creators without one left out)."""
    boosted = {tier.value: g.exposure_boost for tier, g in TIER_GRANTS.items() if g.exposure_boost > 0}
    rows = session.execute(
        select(Creator.id, Mcn.tier).join(Mcn, Mcn.id == Creator.mcn_id).where(Mcn.tier.in_(list(boosted)))
    ).all()
    return {int(creator_id): boosted[McnTier(tier).value] for creator_id, tier in rows}


def priority_window(tier: McnTier | str) -> timedelta:
    return timedelta(hours=TIER_GRANTS[McnTier(tier)].brand_priority_hours)


def brand_priority(tiers: list[str], listed_at: datetime, now: datetime | None = None) -> npt.NDArray[np.bool_]:
    """品牌优先合作权: which of these creators (by their agency's tier) are still inside the priority window of a
    product listed at `listed_at`."""
    age = (now or utcnow()) - listed_at
    windows = {tier.value: priority_window(tier) for tier in McnTier}
    return np.array([age < windows.get(tier, timedelta(0)) for tier in tiers], dtype=bool)


def priority_lift(scores: npt.NDArray[np.float64], priority: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """The scores with the priority creators lifted by a bounded amount (see PRIORITY_SCORE_LIFT)."""
    if not priority.any() or scores.shape[0] < 2:
        return scores
    spread = float(np.std(scores)) or 1.0
    return scores + PRIORITY_SCORE_LIFT * spread * priority
