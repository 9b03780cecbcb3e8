"""Posting to the ledger, idempotently, and reading it back: balances, the trial balance, the check.

`post` / `post_many` write each transaction open, add its postings and seal it, in the caller's transaction
(the caller commits, together with whatever workflow step caused the posting). A key already posted with the
same legs is a replay: the existing transaction comes back and nothing is written; the same key with other legs
is a Conflict (409). Two clients posting one key at once meet at the key's unique index: the second waits for
the first, its insert of that key does nothing (``ON CONFLICT DO NOTHING``), and it answers as a replay.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Table, case, event, func, insert, select, text, tuple_, update
from sqlalchemy.orm import Session

from wanghong.kit import access
from wanghong.kit.access import Subject
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import dialect_insert
from wanghong.kit.errors import Conflict, InvalidInput
from wanghong.settlement.engine import (
    AccountRef,
    Draft,
    Kind,
    LedgerError,
    Leg,
    OwnerKind,
    Purpose,
    canonical,
)
from wanghong.settlement.models import LedgerAccount, LedgerPosting, LedgerTransaction

_ACCOUNTS = cast(Table, LedgerAccount.__table__)
_TRANSACTIONS = cast(Table, LedgerTransaction.__table__)
_POSTINGS = cast(Table, LedgerPosting.__table__)
_CHUNK = 500  # keys per IN (...) list, well inside every driver's parameter limit


@dataclass(frozen=True)
class Posted:
    id: int
    key: str
    kind: Kind
    replayed: bool


@dataclass(frozen=True)
class AccountBalance:
    account: AccountRef
    balance: int


@dataclass(frozen=True)
class LedgerCheck:
    transactions: int  # sealed ones; an open transaction counts for nothing
    postings: int
    imbalance_fen: int  # Σ over sealed transactions and currencies of |Σ legs|
    trial_balance: dict[str, int]
    unbalanced: list[int] = field(default_factory=list)  # ids of the first unbalanced transactions
    open_transactions: int = 0

    @property
    def ok(self) -> bool:
        return self.imbalance_fen == 0 and not any(self.trial_balance.values())


def post(
    session: Session,
    *,
    key: str,
    kind: Kind,
    legs: Sequence[Leg],
    memo: str = "",
    collaboration_id: int | None = None,
    order_id: int | None = None,
    due_at: datetime | None = None,
) -> Posted:
    """Post one transaction (see the module's docstring); InvalidInput when the legs do not balance."""
    try:
        draft = Draft(key, kind, tuple(legs), memo, collaboration_id, order_id, due_at)
    except LedgerError as error:
        raise InvalidInput(str(error), key=key) from None
    return post_many(session, [draft])[0]


def post_many(session: Session, drafts: Sequence[Draft]) -> list[Posted]:
    """Post a batch of drafts with a handful of statements for the whole batch; one result per draft, in order.

    Written first, looked up after: the INSERT of the batch's keys (``ON CONFLICT DO NOTHING``) is itself the
    look-up of which keys are new, so a batch of new keys reads nothing back. The keys it did not insert are
    then read and compared: replays, or a Conflict. A Conflict is raised after the batch's new transactions were
    written and sealed, whole, in the caller's transaction: the caller's rollback takes them back with the rest.
    """
    unique: dict[str, Draft] = {}
    for draft in drafts:
        seen = unique.setdefault(draft.key, draft)
        if seen is not draft:
            _same_or_conflict(draft, seen.kind, seen.legs)
    # In key order, so two clients writing overlapping batches take the keys' (and accounts') locks in one order
    # and wait for each other rather than deadlock.
    ordered = sorted(unique.values(), key=lambda d: d.key)
    results = _write(session, ordered) if ordered else {}
    others = [d for d in ordered if d.key not in results]
    if others:
        # Replays of transactions already posted (by this client before, or by another client just now), or a
        # Conflict for a key posted with other legs.
        results.update(_existing(session, others))
        if len(results) < len(ordered):
            raise LedgerError(f"keys {[d.key for d in others if d.key not in results]} were neither written nor found")
    out: list[Posted] = []
    answered: set[str] = set()
    for draft in drafts:
        posted = results[draft.key]
        # A key given twice in one batch is written once; its second mention is a replay.
        out.append(posted if draft.key not in answered else Posted(posted.id, posted.key, posted.kind, True))
        answered.add(draft.key)
    return out


def _same_or_conflict(draft: Draft, kind: Kind, legs: Iterable[Leg]) -> None:
    if kind != draft.kind or canonical(legs) != canonical(draft.legs):
        raise Conflict(
            f"idempotency key {draft.key!r} was already posted with other legs; use a new key for a new transaction",
            key=draft.key,
        )


def _existing(session: Session, drafts: Sequence[Draft]) -> dict[str, Posted]:
    """The drafts already in the ledger, checked against what was posted under their keys."""
    by_key = {d.key: d for d in drafts}
    found: dict[str, Posted] = {}
    keys = list(by_key)
    for lo in range(0, len(keys), _CHUNK):
        rows = session.execute(
            select(_TRANSACTIONS.c.id, _TRANSACTIONS.c.key, _TRANSACTIONS.c.kind, _TRANSACTIONS.c.sealed).where(
                _TRANSACTIONS.c.key.in_(keys[lo : lo + _CHUNK])
            )
        ).all()
        if not rows:
            continue
        legs = _legs_of(session, [row.id for row in rows])
        for row in rows:
            draft = by_key[row.key]
            if not row.sealed:
                raise Conflict(f"idempotency key {row.key!r} names a transaction left open", key=row.key)
            _same_or_conflict(draft, Kind(row.kind), legs.get(row.id, []))
            found[row.key] = Posted(row.id, row.key, Kind(row.kind), replayed=True)
    return found


def legs_by_key(session: Session, keys: Sequence[str]) -> dict[str, list[Leg]]:
    """The legs of the sealed transactions posted under `keys` (keys not in the ledger are absent)."""
    ids: dict[int, str] = {}
    for lo in range(0, len(keys), _CHUNK):
        rows = session.execute(
            select(_TRANSACTIONS.c.id, _TRANSACTIONS.c.key).where(
                _TRANSACTIONS.c.key.in_(keys[lo : lo + _CHUNK]), _TRANSACTIONS.c.sealed.is_(True)
            )
        ).all()
        ids.update({row.id: row.key for row in rows})
    if not ids:
        return {}
    return {ids[tid]: legs for tid, legs in _legs_of(session, list(ids)).items()}


def _legs_of(session: Session, transaction_ids: Sequence[int]) -> dict[int, list[Leg]]:
    a, p = _ACCOUNTS.c, _POSTINGS.c
    rows = session.execute(
        select(p.transaction_id, a.owner_kind, a.owner_id, a.purpose, a.currency, p.amount)
        .join_from(_POSTINGS, _ACCOUNTS, a.id == p.account_id)
        .where(p.transaction_id.in_(transaction_ids))
    ).all()
    legs: dict[int, list[Leg]] = defaultdict(list)
    for row in rows:
        ref = AccountRef(OwnerKind(row.owner_kind), row.owner_id, Purpose(row.purpose), row.currency)
        legs[row.transaction_id].append(Leg(ref, row.amount))
    return legs


# PostgreSQL: one statement per batch whatever its size, its columns as arrays (no per-row statements, no SQL
# that changes with the batch's size, so nothing to compile per batch).
_PG_POSTINGS = text(
    "INSERT INTO ledger_postings (transaction_id, account_id, amount) "
    "SELECT * FROM unnest(CAST(:transaction_ids AS integer[]), CAST(:account_ids AS integer[]), "
    "CAST(:amounts AS bigint[]))"
)
# The seal's UPDATE in a function of migration 0023, so that it is planned by the primary key whatever the table's
# statistics say; it returns how many transactions it sealed.
_PG_SEAL = text("SELECT ledger_seal(CAST(:ids AS integer[]))")


def _write(session: Session, drafts: Sequence[Draft]) -> dict[str, Posted]:
    """Insert the drafts whose keys are new, open, add their postings and seal them; the ones written."""
    account_ids = account_ids_of(session, {leg.account for d in drafts for leg in d.legs})
    now = utcnow()
    rows = [
        {
            "key": d.key,
            "kind": d.kind.value,
            "memo": d.memo,
            "collaboration_id": d.collaboration_id,
            "order_id": d.order_id,
            "due_at": d.due_at,
            "sealed": False,
            "created_at": now,
        }
        for d in drafts
    ]
    # A key already posted, or inserted by another client since, is skipped, not an error: PostgreSQL waits for
    # that client's commit and then does nothing, so the batch needs no savepoint to survive the race.
    postgresql = session.get_bind().dialect.name == "postgresql"
    t = _TRANSACTIONS.c
    inserted = session.execute(
        dialect_insert(session, _TRANSACTIONS).on_conflict_do_nothing(index_elements=[t.key]).returning(t.id, t.key),
        rows,
    ).all()
    ids = {row.key: row.id for row in inserted}
    written = [d for d in drafts if d.key in ids]
    if not written:
        return {}
    postings = [(ids[d.key], account_ids[leg.account], leg.amount) for d in written for leg in d.legs]
    # Sealing is where the database checks the balance (migrations 0005, 0023), whatever this code believed.
    if postgresql:
        transaction_ids, accounts, amounts = (list(column) for column in zip(*postings, strict=True))
        session.execute(_PG_POSTINGS, {"transaction_ids": transaction_ids, "account_ids": accounts, "amounts": amounts})
        sealed = session.scalar(_PG_SEAL, {"ids": list(ids.values())})
    else:
        session.execute(
            insert(_POSTINGS),
            [{"transaction_id": tx, "account_id": account, "amount": amount} for tx, account, amount in postings],
        )
        result = session.execute(update(_TRANSACTIONS).where(t.id.in_(list(ids.values()))).values(sealed=True))
        sealed = cast(CursorResult[Any], result).rowcount
    if sealed != len(ids):
        raise LedgerError(f"sealed {sealed} of the {len(ids)} transactions written")
    return {d.key: Posted(ids[d.key], d.key, d.kind, replayed=False) for d in written}


# Account ids by database (engine), kept across transactions: an account row is never updated or deleted (the
# append-only triggers refuse it), so the id of a committed account is its id for good, and a posting need not
# look up on every batch the accounts it moved last time (a fifth of a batch's time on PostgreSQL).  Ids read in
# a transaction join only when it commits, and any rollback — a savepoint's too — drops what it had read, so an
# account opened by work that was undone is never remembered.
_ACCOUNT_IDS: weakref.WeakKeyDictionary[Any, dict[AccountRef, int]] = weakref.WeakKeyDictionary()
_ACCOUNT_IDS_MAX = 200_000  # per database; past it the cache starts again, which costs only lookups
_READ_IDS = "settlement.ledger.account_ids"


@event.listens_for(Session, "after_commit")
def _remember_account_ids(session: Session) -> None:
    read = session.info.pop(_READ_IDS, None)
    if read:
        known = _ACCOUNT_IDS.setdefault(session.get_bind(), {})
        if len(known) + len(read) > _ACCOUNT_IDS_MAX:
            known.clear()
        known.update(read)


@event.listens_for(Session, "after_soft_rollback")
def _forget_account_ids(session: Session, _previous: Any) -> None:
    session.info.pop(_READ_IDS, None)


def account_ids_of(session: Session, refs: Iterable[AccountRef]) -> dict[AccountRef, int]:
    """The id of each account, opening the ones that do not exist yet (a concurrent opening is not an error)."""
    wanted = sorted(set(refs))
    known = _ACCOUNT_IDS.get(session.get_bind(), {})
    found = {ref: known[ref] for ref in wanted if ref in known}
    unknown = [ref for ref in wanted if ref not in found]
    if not unknown:
        return found
    # Opened first and looked up after: an account the cache does not know is most often a new one, so this is
    # one statement where looking first took three (look, open, look again).
    a = _ACCOUNTS.c
    now = utcnow()
    opened = session.execute(
        dialect_insert(session, _ACCOUNTS)
        .on_conflict_do_nothing()
        .returning(a.id, a.owner_kind, a.owner_id, a.purpose, a.currency),
        [
            {
                "owner_kind": r.owner_kind.value,
                "owner_id": r.owner_id,
                "purpose": r.purpose.value,
                "currency": r.currency,
                "created_at": now,
            }
            for r in unknown
        ],
    ).all()
    read = {AccountRef(OwnerKind(r.owner_kind), r.owner_id, Purpose(r.purpose), r.currency): r.id for r in opened}
    existing = [ref for ref in unknown if ref not in read]
    if existing:
        read.update(_find_accounts(session, existing))
    session.info.setdefault(_READ_IDS, {}).update(read)
    found.update(read)
    return found


def _find_accounts(session: Session, refs: Sequence[AccountRef]) -> dict[AccountRef, int]:
    a = _ACCOUNTS.c
    found: dict[AccountRef, int] = {}
    for lo in range(0, len(refs), _CHUNK):
        chunk = refs[lo : lo + _CHUNK]
        wanted = [(r.owner_kind.value, r.owner_id, r.purpose.value, r.currency) for r in chunk]
        rows = session.execute(
            select(a.id, a.owner_kind, a.owner_id, a.purpose, a.currency).where(
                tuple_(a.owner_kind, a.owner_id, a.purpose, a.currency).in_(wanted)
            )
        ).all()
        for row in rows:
            found[AccountRef(OwnerKind(row.owner_kind), row.owner_id, Purpose(row.purpose), row.currency)] = row.id
    return found


def _sealed_postings() -> Any:
    """Postings of sealed transactions, with their account: the only ones that count."""
    a, p, t = _ACCOUNTS.c, _POSTINGS.c, _TRANSACTIONS.c
    return _POSTINGS.join(_TRANSACTIONS, t.id == p.transaction_id).join(_ACCOUNTS, a.id == p.account_id)


def balance(session: Session, account: AccountRef) -> int:
    a, p, t = _ACCOUNTS.c, _POSTINGS.c, _TRANSACTIONS.c
    total = session.scalar(
        select(func.coalesce(func.sum(p.amount), 0))
        .select_from(_sealed_postings())
        .where(
            t.sealed.is_(True),
            a.owner_kind == account.owner_kind.value,
            a.owner_id == account.owner_id,
            a.purpose == account.purpose.value,
            a.currency == account.currency,
        )
    )
    return int(total or 0)


def balances(
    session: Session,
    *,
    principal: Subject | None = None,
    owner_kind: OwnerKind | None = None,
    owner_id: int | None = None,
) -> list[AccountBalance]:
    """Every account's balance (sealed transactions only), within `principal`'s row scope when one is given."""
    a, p, t = _ACCOUNTS.c, _POSTINGS.c, _TRANSACTIONS.c
    # Summed per account after the accounts are chosen, so one owner's balances read that owner's postings (by
    # the postings' account index), not the whole ledger.
    sealed_amount = case((t.sealed.is_(True), p.amount), else_=0)
    query = (
        select(a.owner_kind, a.owner_id, a.purpose, a.currency, func.coalesce(func.sum(sealed_amount), 0))
        .select_from(
            _ACCOUNTS.outerjoin(_POSTINGS, p.account_id == a.id).outerjoin(_TRANSACTIONS, t.id == p.transaction_id)
        )
        .group_by(a.id, a.owner_kind, a.owner_id, a.purpose, a.currency)
    )
    if principal is not None:
        query = query.where(access.scope_condition(LedgerAccount, principal))
    if owner_kind is not None:
        query = query.where(a.owner_kind == owner_kind.value)
    if owner_id is not None:
        query = query.where(a.owner_id == owner_id)
    rows = session.execute(query.order_by(a.owner_kind, a.owner_id, a.purpose, a.currency)).all()
    return [
        AccountBalance(AccountRef(OwnerKind(kind), oid, Purpose(purpose), currency), int(total))
        for kind, oid, purpose, currency, total in rows
    ]


def trial_balance(session: Session) -> dict[str, int]:
    """Σ of every sealed posting per currency: zero in each when the ledger balances."""
    a, p, t = _ACCOUNTS.c, _POSTINGS.c, _TRANSACTIONS.c
    rows = session.execute(
        select(a.currency, func.sum(p.amount))
        .select_from(_sealed_postings())
        .where(t.sealed.is_(True))
        .group_by(a.currency)
    ).all()
    return {currency: int(total) for currency, total in rows}


def check(session: Session, show: int = 20) -> LedgerCheck:
    """Count the sealed ledger and measure how far it is from balancing (0 when every transaction balances)."""
    a, p, t = _ACCOUNTS.c, _POSTINGS.c, _TRANSACTIONS.c
    per_currency = (
        select(t.id.label("transaction_id"), func.sum(p.amount).label("off"))
        .select_from(_sealed_postings())
        .where(t.sealed.is_(True))
        .group_by(t.id, a.currency)
        .having(func.sum(p.amount) != 0)
        .subquery()
    )
    imbalance = session.scalar(select(func.coalesce(func.sum(func.abs(per_currency.c.off)), 0)))
    unbalanced = session.scalars(
        select(per_currency.c.transaction_id).distinct().order_by(per_currency.c.transaction_id).limit(show)
    ).all()
    transactions = session.scalar(select(func.count()).select_from(_TRANSACTIONS).where(t.sealed.is_(True)))
    open_transactions = session.scalar(select(func.count()).select_from(_TRANSACTIONS).where(t.sealed.is_(False)))
    postings = session.scalar(
        select(func.count()).select_from(_POSTINGS.join(_TRANSACTIONS, t.id == p.transaction_id)).where(t.sealed)
    )
    return LedgerCheck(
        transactions=int(transactions or 0),
        postings=int(postings or 0),
        imbalance_fen=int(imbalance or 0),
        trial_balance=trial_balance(session),
        unbalanced=list(unbalanced),
        open_transactions=int(open_transactions or 0),
    )


@dataclass(frozen=True)
class StatementLine:
    """One sealed posting to an owner's account, as a statement shows it: positive adds to the account."""

    transaction_id: int
    at: datetime
    kind: Kind
    purpose: Purpose
    amount_fen: int
    collaboration_id: int | None
    order_id: int | None
    memo: str


def statement(session: Session, owner_kind: OwnerKind, owner_id: int, limit: int = 50) -> list[StatementLine]:
    """The owner's newest sealed postings, newest first."""
    a, p, t = _ACCOUNTS.c, _POSTINGS.c, _TRANSACTIONS.c
    rows = session.execute(
        select(t.id, t.created_at, t.kind, a.purpose, p.amount, t.collaboration_id, t.order_id, t.memo)
        .select_from(_sealed_postings())
        .where(t.sealed.is_(True), a.owner_kind == owner_kind.value, a.owner_id == owner_id)
        .order_by(t.id.desc(), p.id)
        .limit(limit)
    ).all()
    return [
        StatementLine(tid, at, Kind(kind), Purpose(purpose), int(amount), collaboration, order, memo or "")
        for tid, at, kind, purpose, amount, collaboration, order, memo in rows
    ]
