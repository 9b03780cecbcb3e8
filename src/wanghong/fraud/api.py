"""反作弊 over the API: run the day's scan (operators), read a creator's audience quality, the orders a tenant may
see with their 刷单 scores, and fraud-adjusted GMV."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.fraud import scores, service
from wanghong.fraud.models import OrderFraudScore
from wanghong.fraud.schemas import GmvOut, OrderScoreOut, QualityOut, ScanIn, ScanOut
from wanghong.kit import access
from wanghong.kit.errors import NotFound
from wanghong.kit.http import AppSettings, DbSession
from wanghong.kit.instants import BEIJING
from wanghong.kit.listing import PageQuery
from wanghong.kit.paging import page_body, page_schema, paged_route, paginate
from wanghong.kit.schemas import PathId
from wanghong.settlement.collaborations import policy_of

router = APIRouter(prefix="/fraud", tags=["反作弊 / fraud"])


@router.post(
    "/scans",
    response_model=ScanOut,
    summary="运行当日反作弊扫描 / Run (or rerun) the day's fraud scan; 409 while another run writes the same day",
)
def run_scan(data: ScanIn, session: DbSession, principal: CurrentPrincipal, settings: AppSettings) -> dict[str, Any]:
    day = data.day or datetime.now(BEIJING).date()
    result = service.scan(session, principal, day, policy_of(settings))
    return ScanOut.model_validate(result.scan).model_dump() | {"replaced": result.replaced}


@router.get(
    "/creators/{ident}/quality",
    response_model=QualityOut,
    summary="达人观众质量分 / A creator's audience-quality score with its reasons (404 until a scan scored them)",
)
def creator_quality(ident: PathId, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    found = scores.quality(session, ident)
    if found is None:
        raise NotFound(f"达人 {ident} 尚无观众质量分 / creator {ident} has no audience-quality score yet")
    return {
        "creator_id": found.creator_id,
        "score": found.score,
        "low": found.low,
        "real_share": found.real_share,
        "sample_size": found.sample_size,
        "reasons": list(found.reasons),
        "day": found.day,
    }


@paged_route(
    router,
    "/orders",
    page_schema(OrderScoreOut),
    "疑似刷单订单 / Orders the latest scan flagged, among those you may see, newest first",
)
def flagged_orders(session: DbSession, principal: CurrentPrincipal, page: PageQuery) -> Any:
    latest = scores.latest_scan(session)
    stmt = access.visible_rows(OrderFraudScore, principal).where(
        OrderFraudScore.scan_id == (latest.id if latest else -1), OrderFraudScore.flagged.is_(True)
    )
    return page_body(paginate(session, stmt, page.limit, page.cursor, newest_first=True))


@router.get(
    "/gmv",
    response_model=GmvOut,
    summary="剔除刷单后的 GMV / Reported GMV of the orders you may see, and the same without flagged orders",
)
def adjusted_gmv(session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    latest = scores.latest_scan(session)
    found = scores.adjusted_gmv(session, principal, latest)
    return {
        "day": latest.day if latest else None,
        "reported": found.reported,
        "flagged": found.flagged,
        "adjusted": found.adjusted,
        "flagged_orders": found.flagged_orders,
    }
