"""Bulk-loaded rows never passed the write hook: backfill scans them once and queues what needs a person."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from tests.fixtures.world import World

from wanghong.commerce.models import Product
from wanghong.compliance.engine_cache import ReviewerCache
from wanghong.compliance.models import ComplianceScan, ReviewTask
from wanghong.compliance.scanning import backfill
from wanghong.kit.db.session import Database


def test_backfill_scans_unscanned_rows_once(db: Database, reviewers: ReviewerCache, world: World) -> None:
    with db.transaction() as s:
        product = Product(
            brand_id=world["brandA"], name="全网最低价面霜，用完皱纹全没了", category="beauty", price=Decimal("9.90")
        )
        s.add(product)
        s.flush()
        product_id = product.id
    with db.transaction() as s:
        assert backfill(s, reviewers=reviewers) >= 1
        scan = s.scalars(
            select(ComplianceScan).where(
                ComplianceScan.subject_type == "product", ComplianceScan.subject_id == product_id
            )
        ).one()
        assert scan.verdict.value in ("review", "block") and scan.review_task_id is not None
        assert s.get(ReviewTask, scan.review_task_id) is not None
    with db.transaction() as s:
        assert backfill(s, reviewers=reviewers) == 0
