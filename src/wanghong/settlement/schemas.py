"""The ledger's outward shapes: what `wanghong ledger … --json` prints and an API would answer."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from wanghong.analytics.metrics import described
from wanghong.settlement.engine import OwnerKind
from wanghong.settlement.models import ComplaintCategory


class LedgerCheckOut(BaseModel):
    """`wanghong ledger check --json` (a stable contract: these three fields, nothing else)."""

    transactions: int = Field(description="sealed transactions")
    postings: int = Field(description="postings of sealed transactions")
    imbalance_fen: int = Field(description="Σ over transactions and currencies of |Σ legs|; 0 when balanced")


class ReconcileOut(BaseModel):
    """`wanghong ledger reconcile --json`: each discrepancy names its kind, the order and/or transaction, and
    the expected and actual fen where an amount disagrees."""

    orders: int = Field(description="orders attributed to a collaboration that were checked")
    discrepancies: list[dict[str, Any]]


class AccountBalanceOut(BaseModel):
    owner_kind: str
    owner_id: int
    purpose: str
    currency: str
    balance_fen: int


class PostedOut(BaseModel):
    id: int
    key: str
    kind: str
    replayed: bool


class RefundIn(BaseModel):
    reason: str = Field(
        default="",
        max_length=500,
        description="after-sales reason; optional inside the no-reason return window, required after it",
    )


class RefundOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    amount: Decimal = Field(description="yuan refunded: the whole order")
    reason: str
    within_window: bool = Field(description="inside the no-reason return window: the commission is reversed")
    refunded_at: datetime


class RefundedOut(RefundOut):
    postings: list[PostedOut] = Field(description="what the refund posted to the ledger (reversal or clawback)")


class ComplaintIn(BaseModel):
    category: ComplaintCategory
    detail: str = Field(default="", max_length=500)


class ComplaintOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    category: ComplaintCategory
    detail: str
    filed_at: datetime


class ComplaintRateOut(BaseModel):
    scope: str = Field(description="platform, brand:<id> or creator:<id>")
    orders: int
    complained_orders: int
    refunded_orders: int
    complaint_rate: float | None = Field(description=described("complaint_rate"))
    refund_rate: float | None = Field(description=described("refund_rate"))


class StatementAccountOut(BaseModel):
    purpose: str
    opening_fen: int
    in_fen: int
    out_fen: int
    closing_fen: int


class StatementLineOut(BaseModel):
    transaction_id: int
    at: datetime
    kind: str
    purpose: str
    amount_fen: int
    collaboration_id: int | None
    order_id: int | None
    memo: str


class InvoiceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    owner_kind: OwnerKind
    owner_id: int
    month: str
    number: str
    amount_fen: int
    created_at: datetime


class StatementOut(BaseModel):
    owner_kind: OwnerKind
    owner_id: int
    owner_name: str
    month: str = Field(description="YYYY-MM, Beijing calendar")
    settled_fen: int = Field(description="本月结算金额: earned or spent in the month, net of clawbacks")
    accounts: list[StatementAccountOut]
    lines: list[StatementLineOut] = Field(description="every posting of the month, newest first")
    invoice: InvoiceOut | None


class InvoiceIn(BaseModel):
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM, Beijing calendar")
    number: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")
    owner_kind: OwnerKind | None = Field(default=None, description="operators: whose statement (default: own)")
    owner_id: int | None = Field(default=None, ge=0, le=2**31 - 1)
