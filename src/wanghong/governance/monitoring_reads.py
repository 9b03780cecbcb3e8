"""商品监测's reads: the findings a principal may see with where each stands, their counts, and the findings other
governance reads (rooms, credit) weigh."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Creator, Product
from wanghong.compliance.models import ReviewTask
from wanghong.domain import ReviewStatus, Role
from wanghong.governance.models import FindingKind, MonitoringFinding
from wanghong.kit import access
from wanghong.kit.errors import Forbidden
from wanghong.kit.paging import Page, paginate


class Outcome(StrEnum):
    """Where a finding stands: by itself (below the threshold), with a reviewer, or decided."""

    OPEN = "open"
    IN_REVIEW = "in_review"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


_OUTCOME = {
    ReviewStatus.PENDING: Outcome.IN_REVIEW,
    ReviewStatus.CONFIRMED: Outcome.CONFIRMED,
    ReviewStatus.OVERTURNED: Outcome.DISMISSED,
}


@dataclass(frozen=True)
class FindingLine:
    finding: MonitoringFinding
    product: str
    creator: str | None
    outcome: Outcome


def _visible_findings(principal: Principal) -> Select[Any]:
    if principal.role not in (Role.ADMIN, Role.REVIEWER, Role.REGULATOR, Role.BRAND_MANAGER, Role.MCN_MANAGER) and (
        principal.role is not Role.CREATOR
    ):
        raise Forbidden("商品监测 is not for this role")
    return access.visible_rows(MonitoringFinding, principal)


def findings(
    session: Session,
    principal: Principal,
    *,
    kind: FindingKind | None = None,
    product_id: int | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page[FindingLine]:
    """Findings the principal may read, newest first (a brand: on its own products; a creator: its own words)."""
    query = _visible_findings(principal)
    if kind is not None:
        query = query.where(MonitoringFinding.kind == kind)
    if product_id is not None:
        query = query.where(MonitoringFinding.product_id == product_id)
    page = paginate(session, query, limit, cursor, newest_first=True)
    rows: list[MonitoringFinding] = list(page.items)
    names = dict(
        session.execute(select(Product.id, Product.name).where(Product.id.in_({r.product_id for r in rows}))).all()
    )
    hosts = dict(
        session.execute(
            select(Creator.id, Creator.display_name).where(Creator.id.in_({r.creator_id for r in rows if r.creator_id}))
        ).all()
    )
    reviews = dict(
        session.execute(
            select(ReviewTask.id, ReviewTask.status).where(
                ReviewTask.id.in_({r.review_task_id for r in rows if r.review_task_id})
            )
        ).all()
    )
    lines = [
        FindingLine(
            r,
            str(names.get(r.product_id, r.product_id)),
            hosts.get(r.creator_id) if r.creator_id else None,
            _OUTCOME[reviews[r.review_task_id]] if r.review_task_id in reviews else Outcome.OPEN,
        )
        for r in rows
    ]
    return Page(lines, page.next_cursor)


def finding_counts(session: Session, principal: Principal) -> dict[str, dict[str, int]]:
    """Findings the principal may read, by kind and outcome."""
    visible = _visible_findings(principal).subquery()
    rows = session.execute(
        select(visible.c.kind, ReviewTask.status, func.count())
        .select_from(visible)
        .outerjoin(ReviewTask, ReviewTask.id == visible.c.review_task_id)
        .group_by(visible.c.kind, ReviewTask.status)
    ).all()
    counts = {k.value: {o.value: 0 for o in Outcome} for k in FindingKind}
    for kind, status, n in rows:
        outcome = _OUTCOME[ReviewStatus(status)] if status is not None else Outcome.OPEN
        counts[FindingKind(kind).value][outcome.value] += int(n)
    return counts


def outstanding(session: Session, creator_ids: Sequence[int], since: datetime) -> dict[int, list[MonitoringFinding]]:
    """Each creator's findings since ``since`` that no reviewer dismissed (for rooms and credit)."""
    if not creator_ids:
        return {}
    rows = session.execute(
        select(MonitoringFinding, ReviewTask.status)
        .outerjoin(ReviewTask, ReviewTask.id == MonitoringFinding.review_task_id)
        .where(MonitoringFinding.creator_id.in_(list(creator_ids)), MonitoringFinding.detected_at >= since)
    ).all()
    out: dict[int, list[MonitoringFinding]] = defaultdict(list)
    for finding, status in rows:
        if status is not ReviewStatus.OVERTURNED and finding.creator_id is not None:
            out[finding.creator_id].append(finding)
    return out


def fake_discounts_on(session: Session, product_ids: Sequence[int], since: datetime) -> set[int]:
    """Products with an undismissed fake-discount finding since ``since``."""
    if not product_ids:
        return set()
    rows = session.execute(
        select(MonitoringFinding.product_id, ReviewTask.status)
        .outerjoin(ReviewTask, ReviewTask.id == MonitoringFinding.review_task_id)
        .where(
            MonitoringFinding.kind == FindingKind.FAKE_DISCOUNT,
            MonitoringFinding.product_id.in_(list(product_ids)),
            MonitoringFinding.detected_at >= since,
        )
    ).all()
    return {pid for pid, status in rows if status is not ReviewStatus.OVERTURNED}
