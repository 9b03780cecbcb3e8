"""Money over the API: refunds and complaints per order, complaint rates, monthly statements with their invoices,
and the three-way reconciliation for operators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.accounts.principal import require_role
from wanghong.commerce.models import Brand, Creator
from wanghong.kit import access
from wanghong.kit.db.base import utcnow
from wanghong.kit.http import DbSession
from wanghong.kit.listing import PageQuery
from wanghong.kit.paging import page_body, page_schema, paged_route
from wanghong.settlement import reconcile as reconciling
from wanghong.settlement import refunds, statements
from wanghong.settlement.engine import OwnerKind
from wanghong.settlement.schemas import (
    ComplaintIn,
    ComplaintOut,
    ComplaintRateOut,
    InvoiceIn,
    InvoiceOut,
    ReconcileOut,
    RefundedOut,
    RefundIn,
    RefundOut,
    StatementOut,
)
from wanghong.settlement.statements import Statement

router = APIRouter(tags=["结算 / money"])
Ident = Annotated[int, Path(ge=1, le=2**31 - 1)]
OptionalId = Annotated[int | None, Query(ge=0, le=2**31 - 1)]
Month = Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM (Beijing); default now")]


@router.post(
    "/orders/{order_id}/refund",
    response_model=RefundedOut,
    status_code=201,
    summary="退款 / Refund an order (once, in full)",
    description="Inside the no-reason return window the commission is reversed; after it the released commission is"
    " clawed back and a reason is required. A second refund of the order is a 409.",
)
def refund(order_id: Ident, data: RefundIn, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    done = refunds.refund_order(session, principal, order_id, data.reason)
    body = RefundOut.model_validate(done.refund).model_dump()
    return body | {
        "postings": [{"id": p.id, "key": p.key, "kind": p.kind.value, "replayed": p.replayed} for p in done.postings]
    }


@paged_route(router, "/refunds", page_schema(RefundOut), "退款记录 / Refunds, newest first")
def list_refunds(session: DbSession, principal: CurrentPrincipal, page: PageQuery) -> Any:
    return page_body(refunds.refunds(session, principal, page.limit, page.cursor))


@router.post(
    "/orders/{order_id}/complaints",
    response_model=ComplaintOut,
    status_code=201,
    summary="客诉 / Record a consumer complaint about an order",
)
def complain(order_id: Ident, data: ComplaintIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    return refunds.file_complaint(session, principal, order_id, data.category, data.detail)


@paged_route(router, "/complaints", page_schema(ComplaintOut), "客诉记录 / Complaints, newest first")
def list_complaints(
    session: DbSession, principal: CurrentPrincipal, page: PageQuery, order_id: OptionalId = None
) -> Any:
    return page_body(refunds.complaints(session, principal, page.limit, page.cursor, order_id))


@router.get(
    "/complaint-rate",
    response_model=ComplaintRateOut,
    summary="客诉率 / Complaint and refund rate of a brand, a creator or (operators) the platform",
)
def complaint_rate(
    session: DbSession, principal: CurrentPrincipal, brand_id: OptionalId = None, creator_id: OptionalId = None
) -> dict[str, Any]:
    if brand_id is not None:
        access.get_visible(session, Brand, brand_id, principal)
        scope = f"brand:{brand_id}"
    elif creator_id is not None:
        access.get_visible(session, Creator, creator_id, principal)
        scope = f"creator:{creator_id}"
    else:
        require_role(principal, action="reading the platform's complaint rate")
        scope = "platform"
    rate = refunds.complaint_rate(session, brand_id=brand_id, creator_id=creator_id)
    return {
        "scope": scope,
        "orders": rate.orders,
        "complained_orders": rate.complained,
        "refunded_orders": rate.refunded,
        "complaint_rate": rate.complaint_rate,
        "refund_rate": rate.refund_rate,
    }


def _code(value: Any) -> str:
    return str(getattr(value, "value", value))


def _statement_body(found: Statement) -> dict[str, Any]:
    return {
        "owner_kind": found.owner.kind,
        "owner_id": found.owner.id,
        "owner_name": found.owner.name,
        "month": found.month,
        "settled_fen": found.settled_fen,
        "accounts": [
            {
                "purpose": a.purpose.value,
                "opening_fen": a.opening_fen,
                "in_fen": a.in_fen,
                "out_fen": a.out_fen,
                "closing_fen": a.closing_fen,
            }
            for a in found.accounts
        ],
        "lines": [
            {
                "transaction_id": li.transaction_id,
                "at": li.at,
                "kind": li.kind.value,
                "purpose": li.purpose.value,
                "amount_fen": li.amount_fen,
                "collaboration_id": li.collaboration_id,
                "order_id": li.order_id,
                "memo": li.memo,
            }
            for li in found.lines
        ],
        "invoice": found.invoice,
    }


@router.get(
    "/statements",
    response_model=StatementOut,
    summary="月度对账单 / A monthly statement (own; operators name the owner)",
    responses={
        200: {"content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}
    },
)
def statement(
    session: DbSession,
    principal: CurrentPrincipal,
    month: Month = None,
    owner_kind: Annotated[OwnerKind | None, Query()] = None,
    owner_id: OptionalId = None,
    format: Annotated[str, Query(pattern="^(json|csv|xlsx)$")] = "json",
) -> Any:
    owner = statements.owner_of(session, principal, owner_kind, owner_id)
    found = statements.statement(session, owner, month or statements.current_month(utcnow()))
    if format == "json":
        return _statement_body(found)
    media = "text/csv; charset=utf-8" if format == "csv" else statements.XLSX
    # Codes, not words, in the API's files: a program reads them; people download from the 对账单 page.
    return Response(
        statements.download(found, format, _code, "en"),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{statements.file_name(found, format)}"'},
    )


@router.post(
    "/statements/invoices",
    response_model=InvoiceOut,
    status_code=201,
    summary="开票记录 / Record the invoice of a monthly statement (one per owner and month; a second is a 409)",
)
def record_invoice(data: InvoiceIn, session: DbSession, principal: CurrentPrincipal) -> Any:
    owner = statements.owner_of(session, principal, data.owner_kind, data.owner_id)
    return statements.record_invoice(session, principal, owner, data.month, data.number)


@router.get(
    "/ledger/reconciliation",
    response_model=ReconcileOut,
    summary="三方对账 / Orders ↔ ledger ↔ payouts: every discrepancy (operators)",
)
def reconciliation(session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    require_role(principal, action="reconciling the ledger")
    result = reconciling.reconcile(session)
    return {"orders": result.orders, "discrepancies": [d.as_dict() for d in result.discrepancies]}
