"""How precise the AI track is: the share of its decided flags that reviewers confirmed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.compliance.models import ComplianceScan, ReviewTask
from wanghong.domain import ReviewStatus, Role
from wanghong.kit import access
from wanghong.kit.db.base import utcnow
from wanghong.kit.instants import BEIJING


@dataclass(frozen=True)
class PrecisionRow:
    key: str
    confirmed: int
    decided: int

    @property
    def precision(self) -> float | None:
        return self.confirmed / self.decided if self.decided else None


@dataclass(frozen=True)
class PrecisionReport:
    by_verdict: list[PrecisionRow]
    by_category: list[PrecisionRow]
    by_day: list[tuple[str, PrecisionRow]]  # (ISO date, row keyed by verdict)
    pending: int


def precision_report(session: Session, principal: Principal, days: int = 90) -> PrecisionReport:
    """Share of decided AI flags that reviewers confirmed, by verdict, by category and by day."""
    require_role(principal, Role.REVIEWER, action="reading AI precision")
    since = utcnow() - timedelta(days=days)
    category = (
        select(ComplianceScan.category)
        .where(ComplianceScan.review_task_id == ReviewTask.id)
        .order_by(ComplianceScan.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(
        select(ReviewTask.ai_verdict, ReviewTask.status, ReviewTask.decided_at, category).where(
            access.scope_condition(ReviewTask, principal),
            ReviewTask.status != ReviewStatus.PENDING,
            ReviewTask.decided_at >= since,
        )
    ).all()
    pending = session.scalar(
        select(func.count())
        .select_from(ReviewTask)
        .where(access.scope_condition(ReviewTask, principal), ReviewTask.status == ReviewStatus.PENDING)
    )
    tallies: dict[str, dict[str, list[int]]] = {
        "verdict": defaultdict(lambda: [0, 0]),
        "category": defaultdict(lambda: [0, 0]),
    }
    daily: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for verdict, status, decided_at, cat in rows:
        confirmed = int(status is ReviewStatus.CONFIRMED)
        for kind, key in (("verdict", verdict.value), ("category", cat or "unspecified")):
            tallies[kind][key][0] += confirmed
            tallies[kind][key][1] += 1
        day = decided_at.astimezone(BEIJING).date().isoformat()  # the day as the page labels it: 北京时间
        daily[(day, verdict.value)][0] += confirmed
        daily[(day, verdict.value)][1] += 1

    def table(kind: str) -> list[PrecisionRow]:
        return [PrecisionRow(k, c, d) for k, (c, d) in sorted(tallies[kind].items())]

    return PrecisionReport(
        by_verdict=table("verdict"),
        by_category=table("category"),
        by_day=[(day, PrecisionRow(v, c, d)) for (day, v), (c, d) in sorted(daily.items())],
        pending=int(pending or 0),
    )
