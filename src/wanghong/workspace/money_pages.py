"""Money pages beside 资金: 对账单 (monthly statements with CSV/XLSX and the invoice record) for every party,
售后 (refunds and 客诉 per order) for brands and operators, and 三方对账 (orders ↔ ledger ↔ payouts) for operators."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.deps import signed_in
from wanghong.accounts.principal import Principal, require_role
from wanghong.analytics.metrics import page_words
from wanghong.commerce.models import Product
from wanghong.domain import Role
from wanghong.kit.db.base import utcnow
from wanghong.kit.errors import NotFound, ServiceError
from wanghong.kit.http import DbSession, FormSession
from wanghong.kit.pages import language_of, page_router, sign_in
from wanghong.kit.problems import error_page
from wanghong.settlement import collaborations, refunds, statements
from wanghong.settlement import reconcile as reconciling
from wanghong.settlement.engine import OwnerKind
from wanghong.settlement.refunds import ComplaintCategory
from wanghong.workspace.screens import MESSAGES, Screen, label_for, show, step

router = page_router(__file__)
DISCREPANCIES_PER_PAGE = 50

# The figures' names come from their one definition (analytics.metrics), in both languages.
_METRIC_NAMES = ("complaint_rate", "refund_rate", "orders")

MONEY_MESSAGES = MESSAGES.extend(page_words({f"metric_{key}": key for key in _METRIC_NAMES}, titled=True)).extend(
    {
        "zh": {
            "metrics_link": "指标说明",
            "statements_title": "对账单",
            "aftersales_title": "售后与客诉",
            "reconciliation_title": "三方对账",
            "month": "月份（北京时间）",
            "show": "查看",
            "owner": "对象",
            "owner_id": "编号",
            "settled": "本月结算金额",
            "opening": "期初余额",
            "in": "本月收入",
            "out": "本月支出",
            "closing": "期末余额",
            "download_csv": "下载 CSV",
            "download_xlsx": "下载 Excel",
            "invoice": "发票",
            "invoice_number": "发票号码",
            "record_invoice": "登记开票",
            "invoice_recorded": "已开票：{number}，金额 {amount}",
            "invoice_differs": "开票后本月又有入账：结算金额已与发票金额不同。",
            "no_invoice": "本月尚未登记发票。",
            "statement_rule": "对账单按北京时间自然月汇总账本分录；结算金额为本月收入（达人、MCN、平台）"
            "或本月已结算支出（品牌），已扣除售后追回。",
            "page_of": "第 {page} / {pages} 页",
            "previous": "上一页",
            "next": "下一页",
            "transaction": "交易",
            "order_col": "订单",
            "ordered_at": "下单时间（北京时间）",
            "amount_yuan": "金额",
            "aftersales": "售后",
            "window_ends": "无理由退货截止",
            "refunded_inside": "已退款（退货期内，佣金冲回）",
            "refunded_after": "已退款（退货期后，佣金追回）",
            "refund": "退款",
            "refund_reason": "退款原因（退货期后必填）",
            "complaints": "客诉",
            "file_complaint": "登记客诉",
            "complaint_detail": "客诉说明",
            "aftersales_rule": "48 小时无理由退货期内退款，佣金自动冲回品牌预算；期后退款需填写原因，"
            "已结算佣金以追回分录冲正。每笔订单只能退款一次。",
            "orders_checked": "已核对归属订单",
            "discrepancies": "差异",
            "discrepancy_kind": "差异类型",
            "detail": "说明",
            "expected": "应为",
            "actual": "实为",
            "creator_col": "达人",
            "reconcile_rule": "订单 ↔ 账本：每笔归属订单的佣金冻结、释放或冲回与退款记录一致；"
            "账本 ↔ 打款：打款不超过已入账、不早于到期。",
            "no_discrepancies": "无差异：订单、账本与打款三方一致。",
            "complaint_quality": "质量问题",
            "complaint_not_as_described": "货不对板",
            "complaint_delivery": "物流发货",
            "complaint_service": "客服售后",
            "complaint_other": "其他",
        },
        "en": {
            "metrics_link": "Metric definitions",
            "statements_title": "Statements",
            "aftersales_title": "After-sales and complaints",
            "reconciliation_title": "Three-way reconciliation",
            "month": "Month (Beijing)",
            "show": "Show",
            "owner": "Owner",
            "owner_id": "ID",
            "settled": "Settled this month",
            "opening": "Opening",
            "in": "In",
            "out": "Out",
            "closing": "Closing",
            "download_csv": "Download CSV",
            "download_xlsx": "Download Excel",
            "invoice": "Invoice",
            "invoice_number": "Invoice number",
            "record_invoice": "Record invoice",
            "invoice_recorded": "Invoiced: {number}, amount {amount}",
            "invoice_differs": "Postings arrived after the invoice: the settled amount now differs from it.",
            "no_invoice": "No invoice recorded for this month yet.",
            "statement_rule": "A statement sums the ledger's postings over a Beijing calendar month; the settled "
            "amount is the month's earnings (creators, MCNs, the platform) or settled spend (brands), net of "
            "clawbacks.",
            "page_of": "Page {page} of {pages}",
            "previous": "Previous",
            "next": "Next",
            "transaction": "Transaction",
            "order_col": "Order",
            "ordered_at": "Ordered (Beijing)",
            "amount_yuan": "Amount",
            "aftersales": "After-sales",
            "window_ends": "No-reason return until",
            "refunded_inside": "Refunded (in window, commission reversed)",
            "refunded_after": "Refunded (after window, commission clawed back)",
            "refund": "Refund",
            "refund_reason": "Reason (required after the window)",
            "complaints": "Complaints",
            "file_complaint": "Record complaint",
            "complaint_detail": "Complaint detail",
            "aftersales_rule": "A refund inside the 48-hour no-reason window reverses the commission to the brand's "
            "budget; after it a reason is required and the settled commission is clawed back. An order is refunded "
            "once.",
            "orders_checked": "Attributed orders checked",
            "discrepancies": "Discrepancies",
            "discrepancy_kind": "Kind",
            "detail": "Detail",
            "expected": "Expected",
            "actual": "Actual",
            "creator_col": "Creator",
            "reconcile_rule": "Orders ↔ ledger: every attributed order's commission hold, release or reversal agrees "
            "with its refund; ledger ↔ payouts: nobody is paid more than credited, or before it fell due.",
            "no_discrepancies": "No discrepancies: orders, ledger and payouts agree.",
            "complaint_quality": "Quality",
            "complaint_not_as_described": "Not as described",
            "complaint_delivery": "Delivery",
            "complaint_service": "Service",
            "complaint_other": "Other",
        },
    }
)


# --- 对账单 -------------------------------------------------------------------------------------------------------


def _owner_query(month: str, owner_kind: OwnerKind | None, owner_id: int | None, **extra: Any) -> str:
    params: dict[str, Any] = {"month": month}
    if owner_kind is not None:
        params["owner_kind"] = owner_kind.value
    if owner_id is not None:
        params["owner_id"] = owner_id
    return urlencode(params | extra)


def _statements(month: str | None, owner_kind: OwnerKind | None, owner_id: int | None, page_number: int) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        owner = statements.owner_of(session, principal, owner_kind, owner_id)
        chosen = month or statements.current_month(utcnow())
        found = statements.statement(session, owner, chosen)
        number = min(max(page_number, 1), found.pages)
        return {
            "statement": found,
            "lines": found.page(number),
            "page_number": number,
            "query": _owner_query(found.month, owner_kind, owner_id),
            "owner_query": _owner_query(found.month, owner_kind, owner_id).removeprefix(f"month={found.month}"),
            "owner_kinds": [k.value for k in OwnerKind],
            "is_admin": principal.role is Role.ADMIN,
        }

    return Screen("/workspace/statements", "workspace_statements.html", view, {"statement": None}, MONEY_MESSAGES)


OwnerKindQuery = Annotated[OwnerKind | None, Query()]
OwnerIdQuery = Annotated[int | None, Query(ge=0, le=2**31 - 1)]
MonthQuery = Annotated[str | None, Query(max_length=7)]


@router.get("/workspace/statements", response_class=HTMLResponse)
def statements_page(
    request: Request,
    session: DbSession,
    month: MonthQuery = None,
    owner_kind: OwnerKindQuery = None,
    owner_id: OwnerIdQuery = None,
    page: Annotated[int, Query(ge=1, le=10**6)] = 1,
) -> Response:
    return show(request, session, _statements(month or None, owner_kind, owner_id, page))


_EXPORT_NAME = re.compile(r"^(\d{4}-\d{2})\.(csv|xlsx)$")


@router.get("/workspace/statements/export/{filename}")
def statement_download(
    request: Request,
    session: DbSession,
    filename: Annotated[str, Path(max_length=20)],
    owner_kind: OwnerKindQuery = None,
    owner_id: OwnerIdQuery = None,
) -> Response:
    """The statement of a month as a file named for it: `2026-11.csv` or `2026-11.xlsx`."""
    principal = signed_in(request, session)
    if principal is None:
        return sign_in()
    match = _EXPORT_NAME.match(filename)
    try:
        if match is None:
            raise NotFound(f"no statement file {filename!r}; ask for YYYY-MM.csv or YYYY-MM.xlsx")
        month, fmt = match[1], match[2]
        owner = statements.owner_of(session, principal, owner_kind, owner_id)
        found = statements.statement(session, owner, month)
    except NotFound:
        return error_page(request, NotFound.status, "", principal)
    except ServiceError as exc:
        return error_page(request, exc.status, exc.detail, principal)
    language = language_of(request)
    media = "text/csv; charset=utf-8" if fmt == "csv" else statements.XLSX
    return Response(
        statements.download(found, fmt, label_for(language), language),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{statements.file_name(found, fmt)}"'},
    )


@router.post("/workspace/statements/invoice", response_class=HTMLResponse)
def record_invoice(
    request: Request,
    session: FormSession,
    month: Annotated[str, Form(max_length=7)],
    number: Annotated[str, Form(max_length=64)],
    owner_kind: Annotated[OwnerKind | None, Form()] = None,
    owner_id: Annotated[int | None, Form(ge=0, le=2**31 - 1)] = None,
) -> Response:
    screen = _statements(month, owner_kind, owner_id, 1)

    def act(principal: Principal) -> object:
        owner = statements.owner_of(session, principal, owner_kind, owner_id)
        return statements.record_invoice(session, principal, owner, month, number)

    response = step(request, session, screen, act)
    if response.status_code == 303:  # back to the statement of that month, not the current one
        response.headers["location"] = f"/workspace/statements?{_owner_query(month, owner_kind, owner_id, saved=1)}"
    return response


# --- 售后 ---------------------------------------------------------------------------------------------------------


def _aftersales(cursor: str | None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        page = refunds.recent_orders(session, principal, 50, cursor)
        orders = list(page.items)
        refunded, complained = refunds.aftersales_of(session, [o.id for o in orders])
        products = dict(
            session.execute(
                select(Product.id, Product.name).where(Product.id.in_({o.product_id for o in orders}))
            ).all()
        )
        window = collaborations.current_policy().return_window
        rate = refunds.complaint_rate(
            session, brand_id=principal.brand_id if principal.role is Role.BRAND_MANAGER else None
        )
        return {
            "orders": orders,
            "refunded": refunded,
            "complained": complained,
            "products": products,
            "window": window,
            "now": utcnow(),
            "rate": rate,
            "next_cursor": page.next_cursor,
            "categories": [c.value for c in ComplaintCategory],
        }

    return Screen("/workspace/aftersales", "workspace_aftersales.html", view, {"orders": None}, MONEY_MESSAGES)


@router.get("/workspace/aftersales", response_class=HTMLResponse)
def aftersales_page(
    request: Request, session: DbSession, cursor: Annotated[str | None, Query(max_length=200)] = None
) -> Response:
    return show(request, session, _aftersales(cursor))


@router.post("/workspace/aftersales/{order_id}/refund", response_class=HTMLResponse)
def refund_order(
    request: Request,
    session: FormSession,
    order_id: int,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    return step(
        request,
        session,
        _aftersales(None),
        lambda principal: refunds.refund_order(session, principal, order_id, reason),
    )


@router.post("/workspace/aftersales/{order_id}/complaint", response_class=HTMLResponse)
def file_complaint(
    request: Request,
    session: FormSession,
    order_id: int,
    category: Annotated[ComplaintCategory, Form()],
    detail: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    return step(
        request,
        session,
        _aftersales(None),
        lambda principal: refunds.file_complaint(session, principal, order_id, category, detail),
    )


# --- 三方对账 -----------------------------------------------------------------------------------------------------


def _reconciliation(page_number: int) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        require_role(principal, action="reconciling the ledger")
        result = reconciling.reconcile(session)
        kinds: dict[str, int] = {}
        for d in result.discrepancies:
            kinds[d.kind] = kinds.get(d.kind, 0) + 1
        pages = max(1, -(-len(result.discrepancies) // DISCREPANCIES_PER_PAGE))
        number = min(max(page_number, 1), pages)
        first = (number - 1) * DISCREPANCIES_PER_PAGE
        return {
            "result": result,
            "kinds": sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
            "shown": result.discrepancies[first : first + DISCREPANCIES_PER_PAGE],
            "page_number": number,
            "pages": pages,
        }

    return Screen("/workspace/reconciliation", "workspace_reconciliation.html", view, {"result": None}, MONEY_MESSAGES)


@router.get("/workspace/reconciliation", response_class=HTMLResponse)
def reconciliation_page(
    request: Request, session: DbSession, page: Annotated[int, Query(ge=1, le=10**6)] = 1
) -> Response:
    return show(request, session, _reconciliation(page))
