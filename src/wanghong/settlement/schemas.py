"""The ledger's outward shapes: what `wanghong ledger … --json` prints and an API would answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


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
