"""MCN market shares and their concentration (CR5, HHI) month by month, from the platform's orders.

An order counts for the agency its creator is signed to now: the platform keeps no signing history yet, so a
creator who changed agency moves its past GMV with it (see the report of issue 16).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wanghong.commerce.models import Creator, Order
from wanghong.growth.engine import Concentration, concentration


@dataclass(frozen=True)
class MonthlyConcentration:
    month: date  # first day of the month; months are bounded in UTC
    gmv_by_mcn: dict[int, Decimal]
    concentration: Concentration


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    end = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def mcn_gmv(session: Session, month: date) -> dict[int, Decimal]:
    """GMV of each agency's signed creators in `month` (agencies without orders are absent)."""
    start, end = month_bounds(month)
    rows = session.execute(
        select(Creator.mcn_id, func.sum(Order.amount))
        .join(Creator, Creator.id == Order.creator_id)
        .where(Creator.mcn_id.is_not(None), Order.ordered_at >= start, Order.ordered_at < end)
        .group_by(Creator.mcn_id)
    ).all()
    return {int(mcn_id): Decimal(total) for mcn_id, total in rows if mcn_id is not None}


def monthly_concentration(session: Session, months: list[date]) -> list[MonthlyConcentration]:
    """CR5 and HHI of MCN GMV shares for each month, oldest first."""
    result = []
    for month in sorted(months):
        gmv = mcn_gmv(session, month)
        result.append(MonthlyConcentration(month, gmv, concentration([float(v) for v in gmv.values()])))
    return result
