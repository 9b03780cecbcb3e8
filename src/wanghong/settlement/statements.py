"""对账单 / monthly statements: one owner's (creator, MCN, brand or the platform's) accounts over a Beijing calendar
month — opening balance, what came in and went out, closing balance — with every posting, as a page, CSV and XLSX,
and the invoice (发票) recorded against it.

A statement is read from the ledger, never stored: the ledger is append-only, so a month's statement reads the
same every time, except that a posting made later in the month shows up until the month is over. Its **settled
amount** (本月结算金额) is what the owner earned or spent in the month, net of clawbacks: a creator's earnings into
its receivable, an MCN's share, the platform's service fees, a brand's released fees and commissions less what
refunds clawed back. The invoice records that amount when it is recorded; one invoice per owner and month.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Brand, Campaign, Collaboration, Creator, Mcn
from wanghong.domain import Role
from wanghong.kit.audit import record
from wanghong.kit.db.session import insert_once
from wanghong.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from wanghong.kit.exports import write_csv, write_xlsx
from wanghong.kit.instants import BEIJING
from wanghong.settlement.engine import PLATFORM_ID, Kind, OwnerKind, Purpose, to_yuan
from wanghong.settlement.ledger import StatementLine
from wanghong.settlement.models import LedgerAccount, LedgerPosting, LedgerTransaction, StatementInvoice

INVOICE_RECORD = "statement_invoice.record"
LINES_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_INVOICE_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")
_EARNING_ACCOUNT = {
    OwnerKind.CREATOR: Purpose.RECEIVABLE,
    OwnerKind.MCN: Purpose.SHARE,
    OwnerKind.PLATFORM: Purpose.SERVICE_FEE,
}
ACCOUNTS: dict[OwnerKind, tuple[Purpose, ...]] = {
    OwnerKind.CREATOR: (Purpose.COMMISSION_PENDING, Purpose.RECEIVABLE, Purpose.PAID),
    OwnerKind.MCN: (Purpose.SHARE,),
    OwnerKind.BRAND: (Purpose.BUDGET, Purpose.FROZEN),
    OwnerKind.PLATFORM: (Purpose.SERVICE_FEE,),
}


class InvoiceExists(Conflict, title="Invoice already recorded"):
    """The statement of that owner and month already has its invoice."""


@dataclass(frozen=True)
class Owner:
    kind: OwnerKind
    id: int
    name: str


@dataclass(frozen=True)
class AccountMonth:
    purpose: Purpose
    opening_fen: int
    in_fen: int
    out_fen: int  # ≤ 0

    @property
    def closing_fen(self) -> int:
        return self.opening_fen + self.in_fen + self.out_fen


@dataclass(frozen=True)
class Statement:
    owner: Owner
    month: str
    starts: datetime
    ends: datetime  # exclusive
    accounts: list[AccountMonth]
    lines: list[StatementLine]  # newest first
    settled_fen: int
    invoice: StatementInvoice | None

    def page(self, number: int) -> list[StatementLine]:
        first = (max(number, 1) - 1) * LINES_PER_PAGE
        return self.lines[first : first + LINES_PER_PAGE]

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.lines) // LINES_PER_PAGE))


def current_month(now: datetime) -> str:
    return now.astimezone(BEIJING).strftime("%Y-%m")


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's, Beijing calendar; InvalidInput for anything but YYYY-MM."""
    match = _MONTH.match(month.strip())
    if match is None:
        raise InvalidInput(f"month must be YYYY-MM (Beijing calendar), got {month!r}", month=month)
    year, number = int(match[1]), int(match[2])
    if not 2000 <= year <= 2999:
        raise InvalidInput(f"month {month} is outside the years the ledger can hold", month=month)
    first = date(year, number, 1)
    following = (first + timedelta(days=32)).replace(day=1)
    return datetime.combine(first, time.min, tzinfo=BEIJING), datetime.combine(following, time.min, tzinfo=BEIJING)


def owner_of(
    session: Session, principal: Principal, kind: OwnerKind | None = None, owner_id: int | None = None
) -> Owner:
    """Whose statement the principal reads: their own; an operator names any owner (default: the platform)."""
    own = {
        Role.CREATOR: (OwnerKind.CREATOR, principal.creator_id),
        Role.MCN_MANAGER: (OwnerKind.MCN, principal.mcn_id),
        Role.BRAND_MANAGER: (OwnerKind.BRAND, principal.brand_id),
    }.get(principal.role)
    if principal.role is Role.ADMIN:
        kind = kind or OwnerKind.PLATFORM
        owner_id = PLATFORM_ID if kind is OwnerKind.PLATFORM else owner_id
        if owner_id is None:
            raise InvalidInput(f"name the {kind.value} whose statement to read (owner_id)")
    elif own is None or own[1] is None:
        raise Forbidden(f"statements are for creators, MCNs, brands and operators; you are {principal.role.value}")
    else:
        if (kind is not None and kind is not own[0]) or (owner_id is not None and owner_id != own[1]):
            raise NotFound("no such statement")  # another tenant's statement: as if it did not exist
        kind, owner_id = own[0], own[1]
    return Owner(kind, owner_id, _name(session, kind, owner_id))


def _name(session: Session, kind: OwnerKind, owner_id: int) -> str:
    if kind is OwnerKind.PLATFORM:
        return "平台 / Platform"
    model: Any = {OwnerKind.CREATOR: Creator, OwnerKind.MCN: Mcn, OwnerKind.BRAND: Brand}[kind]
    row = session.get(model, owner_id)
    if row is None:
        raise NotFound(f"{kind.value} {owner_id} not found")
    return str(row.display_name if kind is OwnerKind.CREATOR else row.name)


def statement(session: Session, owner: Owner, month: str) -> Statement:
    starts, ends = month_bounds(month)
    a, p, t = LedgerAccount, LedgerPosting, LedgerTransaction
    owned = (a.owner_kind == owner.kind, a.owner_id == owner.id, t.sealed.is_(True))
    opening: dict[Purpose, int] = defaultdict(int)
    for purpose, amount in session.execute(
        select(a.purpose, p.amount)
        .join(p, p.account_id == a.id)
        .join(t, t.id == p.transaction_id)
        # Summed in Python: a month's statement reads one owner's postings, through the postings' account index.
        .where(*owned, t.created_at < starts)
    ):
        opening[Purpose(purpose)] += int(amount)
    rows = session.execute(
        select(t.id, t.created_at, t.kind, a.purpose, p.amount, t.collaboration_id, t.order_id, t.memo)
        .join(p, p.account_id == a.id)
        .join(t, t.id == p.transaction_id)
        .where(*owned, t.created_at >= starts, t.created_at < ends)
        .order_by(t.id.desc(), p.id)
    ).all()
    lines = [
        StatementLine(tid, at, Kind(kind), Purpose(purpose), int(amount), collab, order, memo or "")
        for tid, at, kind, purpose, amount, collab, order, memo in rows
    ]
    ins: dict[Purpose, int] = defaultdict(int)
    outs: dict[Purpose, int] = defaultdict(int)
    for line in lines:
        (ins if line.amount_fen > 0 else outs)[line.purpose] += line.amount_fen
    purposes = list(ACCOUNTS[owner.kind]) + sorted(set(opening) | set(ins) | set(outs) - set(ACCOUNTS[owner.kind]))
    accounts = [AccountMonth(pu, opening[pu], ins[pu], outs[pu]) for pu in dict.fromkeys(purposes)]
    invoice = session.scalar(
        select(StatementInvoice).where(
            StatementInvoice.owner_kind == owner.kind,
            StatementInvoice.owner_id == owner.id,
            StatementInvoice.month == month,
        )
    )
    settled = _settled(session, owner, lines, starts, ends)
    return Statement(owner, month, starts, ends, accounts, lines, settled, invoice)


def _settled(session: Session, owner: Owner, lines: list[StatementLine], starts: datetime, ends: datetime) -> int:
    if owner.kind in _EARNING_ACCOUNT:
        purpose = _EARNING_ACCOUNT[owner.kind]
        return sum(li.amount_fen for li in lines if li.purpose is purpose and li.kind is not Kind.PAYOUT)
    # A brand: fees released from its frozen budget, plus the commissions released on its collaborations' orders
    # (posted on the creator's side), less what refunds clawed back into its budget.
    fees = -sum(li.amount_fen for li in lines if li.kind is Kind.FEE_RELEASE and li.purpose is Purpose.FROZEN)
    clawed = sum(li.amount_fen for li in lines if li.kind is Kind.CORRECTION and li.order_id is not None)
    collaborations = select(Collaboration.id).join(Campaign).where(Campaign.brand_id == owner.id)
    released = session.execute(
        select(LedgerPosting.amount)
        .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
        .where(
            LedgerTransaction.sealed.is_(True),
            LedgerTransaction.kind == Kind.COMMISSION_RELEASE,
            LedgerTransaction.collaboration_id.in_(collaborations),
            LedgerTransaction.created_at >= starts,
            LedgerTransaction.created_at < ends,
            LedgerPosting.amount < 0,  # the leg out of the creator's pending account: the whole commission
        )
    ).scalars()
    return fees + -sum(int(x) for x in released) - clawed


def record_invoice(session: Session, principal: Principal, owner: Owner, month: str, number: str) -> StatementInvoice:
    """Record the invoice issued against `owner`'s statement of `month` (its settled amount, now); once."""
    number = number.strip()
    if not _INVOICE_NUMBER.match(number):
        raise InvalidInput("invoice number: 1–64 letters, digits or hyphens, starting with a letter or digit")
    found = statement(session, owner, month)
    if found.settled_fen < 0:
        raise InvalidInput(f"the statement of {month} settles {to_yuan(found.settled_fen)} yuan; nothing to invoice")
    invoice = StatementInvoice(
        owner_kind=owner.kind,
        owner_id=owner.id,
        month=month,
        number=number,
        amount_fen=found.settled_fen,
        recorded_by=principal.user_id or None,
    )
    if not insert_once(session, invoice):
        raise InvoiceExists(
            f"the statement of {month} already has its invoice", owner_kind=owner.kind.value, month=month
        )
    record(session, principal, INVOICE_RECORD, invoice, {"month": month, "number": number, "fen": found.settled_fen})
    return invoice


# ---------------------------------------------------------------------------------------------- downloads

_HEADERS = {
    "zh": {
        "account": "账户",
        "opening": "期初余额（元）",
        "in": "本月收入（元）",
        "out": "本月支出（元）",
        "closing": "期末余额（元）",
        "transaction": "交易ID",
        "at": "时间（北京时间）",
        "kind": "类型",
        "amount": "金额（元）",
        "collaboration": "合作ID",
        "order": "订单ID",
        "memo": "摘要",
        "summary": "账户汇总",
        "lines": "流水明细",
    },
    "en": {
        "account": "Account",
        "opening": "Opening (yuan)",
        "in": "In (yuan)",
        "out": "Out (yuan)",
        "closing": "Closing (yuan)",
        "transaction": "Transaction",
        "at": "Time (Beijing)",
        "kind": "Kind",
        "amount": "Amount (yuan)",
        "collaboration": "Collaboration",
        "order": "Order",
        "memo": "Memo",
        "summary": "Accounts",
        "lines": "Postings",
    },
}


def frames(found: Statement, label: Any, language: str) -> dict[str, pd.DataFrame]:
    """The statement as two tables (accounts, postings) in the reader's language; money in yuan as numbers."""
    h = _HEADERS["en" if language == "en" else "zh"]
    summary = pd.DataFrame(
        [
            {
                h["account"]: label(acc.purpose),
                h["opening"]: float(to_yuan(acc.opening_fen)),
                h["in"]: float(to_yuan(acc.in_fen)),
                h["out"]: float(to_yuan(acc.out_fen)),
                h["closing"]: float(to_yuan(acc.closing_fen)),
            }
            for acc in found.accounts
        ],
        columns=[h["account"], h["opening"], h["in"], h["out"], h["closing"]],
    )
    lines = pd.DataFrame(
        [
            {
                h["transaction"]: line.transaction_id,
                h["at"]: line.at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
                h["kind"]: label(line.kind),
                h["account"]: label(line.purpose),
                h["amount"]: float(to_yuan(line.amount_fen)),
                h["collaboration"]: line.collaboration_id,
                h["order"]: line.order_id,
                h["memo"]: line.memo,
            }
            for line in found.lines
        ],
        columns=[h[k] for k in ("transaction", "at", "kind", "account", "amount", "collaboration", "order", "memo")],
    )
    return {h["summary"]: summary, h["lines"]: lines}


def download(found: Statement, fmt: str, label: Any, language: str) -> bytes:
    """The statement as CSV (the postings) or XLSX (accounts and postings, one sheet each)."""
    tables = frames(found, label, language)
    buffer = io.BytesIO()
    if fmt == "csv":
        write_csv(list(tables.values())[1], buffer)
    elif fmt == "xlsx":
        write_xlsx(tables, buffer)
    else:
        raise InvalidInput(f"format {fmt!r} is not offered; use csv or xlsx")
    return buffer.getvalue()


def file_name(found: Statement, fmt: str) -> str:
    return f"statement-{found.owner.kind.value}-{found.owner.id}-{found.month}.{fmt}"
