"""What compliance currently says about a product: the public answer other capabilities read (a brand's product
list shows it; a collaboration refuses a blocked product)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.compliance.models import ComplianceScan, ReviewTask
from wanghong.domain import ReviewStatus, Verdict


def product_verdicts(session: Session, product_ids: Sequence[int]) -> dict[int, tuple[Verdict, ReviewStatus | None]]:
    """Each scanned product's newest AI verdict and what a reviewer made of it (None: no review task)."""
    if not product_ids:
        return {}
    newest = (
        select(ComplianceScan.subject_id, ComplianceScan.verdict, ReviewTask.status)
        .outerjoin(ReviewTask, ReviewTask.id == ComplianceScan.review_task_id)
        .where(ComplianceScan.subject_type == "product", ComplianceScan.subject_id.in_(product_ids))
        .order_by(ComplianceScan.subject_id, ComplianceScan.id.desc())
    )
    found: dict[int, tuple[Verdict, ReviewStatus | None]] = {}
    for product_id, verdict, review in session.execute(newest):
        if product_id is not None:
            found.setdefault(product_id, (verdict, review))
    return found


def is_blocked(verdict: Verdict, review: ReviewStatus | None) -> bool:
    """拦截 stands until a reviewer overturns it."""
    return verdict is Verdict.BLOCK and review is not ReviewStatus.OVERTURNED


def blocked_products(session: Session, product_ids: Sequence[int]) -> set[int]:
    """Products whose newest scan says 拦截 and no reviewer has overturned it: they may not be sold."""
    return {
        pid for pid, (verdict, review) in product_verdicts(session, product_ids).items() if is_blocked(verdict, review)
    }
