"""The ledger on the database, SQLite and PostgreSQL: posting is idempotent, and the database itself refuses an
unbalanced, edited or deleted transaction even when the application's code is bypassed (raw SQL)."""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from wanghong.accounts.principal import Principal
from wanghong.domain import Role
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Conflict, InvalidInput
from wanghong.settlement import ledger
from wanghong.settlement.engine import (
    AccountRef,
    Kind,
    Leg,
    OwnerKind,
    Parties,
    Purpose,
    Terms,
    budget_freeze,
    fee_release,
)
from wanghong.settlement.models import LedgerPosting, LedgerTransaction

# Apart from the flows' range (tests/settlement/flows.py), so the two never share an owner in the shared database.
_IDS = itertools.count(random.randrange(12 * 10**8, 19 * 10**8))


def parties() -> Parties:
    return Parties(next(_IDS), next(_IDS), next(_IDS), next(_IDS))


def brand(brand_id: int, purpose: Purpose, currency: str = "CNY") -> AccountRef:
    return AccountRef(OwnerKind.BRAND, brand_id, purpose, currency)


def postings_of(db: Database, key: str) -> int:
    with db.transaction() as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(LedgerPosting)
                .join(LedgerTransaction)
                .where(LedgerTransaction.key == key)
            )
            or 0
        )


def test_a_posting_replayed_ten_times_has_one_effect(db: Database) -> None:
    p = parties()
    draft = budget_freeze(p, 800_000)
    results = []
    for _ in range(10):
        with db.transaction() as s:
            results.append(
                ledger.post(s, key=draft.key, kind=draft.kind, legs=draft.legs, collaboration_id=p.collaboration_id)
            )
    assert len({r.id for r in results}) == 1
    assert [r.replayed for r in results] == [False] + [True] * 9
    assert postings_of(db, draft.key) == 2
    with db.transaction() as s:
        assert ledger.balance(s, brand(p.brand_id, Purpose.FROZEN)) == 800_000
        assert ledger.balance(s, brand(p.brand_id, Purpose.BUDGET)) == -800_000


def test_the_same_key_with_other_legs_is_a_conflict_and_unbalanced_legs_are_invalid(db: Database) -> None:
    p = parties()
    draft = budget_freeze(p, 1_000)
    with db.transaction() as s:
        ledger.post(s, key=draft.key, kind=draft.kind, legs=draft.legs)
    doubled = [Leg(leg.account, leg.amount * 2) for leg in draft.legs]
    with db.transaction() as s, pytest.raises(Conflict) as conflict:
        ledger.post(s, key=draft.key, kind=draft.kind, legs=doubled)
    assert conflict.value.status == 409
    with db.transaction() as s, pytest.raises(InvalidInput):
        ledger.post(s, key=f"{draft.key}:x", kind=Kind.CORRECTION, legs=[Leg(brand(p.brand_id, Purpose.BUDGET), 5)])
    assert postings_of(db, draft.key) == 2


def test_a_batch_posts_once_per_key_and_balances_read_back(db: Database) -> None:
    p = parties()
    terms = Terms.of("0.05", "0.2")
    drafts = [budget_freeze(p, 800_000), fee_release(p, 800_000, terms)]
    with db.transaction() as s:
        first = ledger.post_many(s, [*drafts, drafts[0]])
    assert [r.replayed for r in first] == [False, False, True] and first[0].id == first[2].id
    with db.transaction() as s:
        again = ledger.post_many(s, drafts)
        assert [r.replayed for r in again] == [True, True]
        mine = {b.account: b.balance for b in ledger.balances(s, owner_id=p.creator_id)}
        assert mine[AccountRef(OwnerKind.CREATOR, p.creator_id, Purpose.RECEIVABLE)] == 608_000
        assert ledger.balance(s, AccountRef(OwnerKind.MCN, p.mcn_id or 0, Purpose.SHARE)) == 152_000
        assert not any(ledger.trial_balance(s).values())
        report = ledger.check(s)
        assert report.ok and report.imbalance_fen == 0 and report.transactions >= 2


def test_row_scopes_show_a_brand_its_own_accounts_only(db: Database) -> None:
    mine, theirs = parties(), parties()
    with db.transaction() as s:
        ledger.post_many(s, [budget_freeze(mine, 10), budget_freeze(theirs, 20)])
        manager = Principal(1, "bm", Role.BRAND_MANAGER, brand_id=mine.brand_id)
        seen = ledger.balances(s, principal=manager)
        assert {b.account.owner_id for b in seen} == {mine.brand_id}
        assert ledger.balances(s, principal=Principal(2, "rv", Role.REVIEWER)) == []


# Raw SQL from here on: what the database refuses by itself.


@pytest.fixture
def raw(db: Database) -> Iterator[Connection]:
    """A connection whose work is always rolled back, opened with two accounts of one brand (CNY) and one USD."""
    with db.engine.connect() as connection:
        transaction = connection.begin()
        owner = next(_IDS)
        for purpose, currency in (("budget", "CNY"), ("frozen", "CNY"), ("budget", "USD")):
            connection.execute(
                text(
                    "INSERT INTO ledger_accounts (owner_kind, owner_id, purpose, currency, created_at) "
                    "VALUES ('brand', :o, :p, :c, CURRENT_TIMESTAMP)"
                ),
                {"o": owner, "p": purpose, "c": currency},
            )
        connection.info["accounts"] = (
            connection.execute(
                text("SELECT id FROM ledger_accounts WHERE owner_id = :o ORDER BY purpose, currency"), {"o": owner}
            )
            .scalars()
            .all()
        )  # budget CNY, budget USD, frozen CNY
        yield connection
        transaction.rollback()


def _open(connection: Connection, legs: list[tuple[int, int]]) -> int:
    key = f"raw-{next(_IDS)}"
    connection.execute(
        text(
            "INSERT INTO ledger_transactions (key, kind, memo, sealed, created_at) "
            "VALUES (:k, 'correction', '', :f, CURRENT_TIMESTAMP)"
        ),
        {"k": key, "f": False},
    )
    tx = connection.execute(text("SELECT id FROM ledger_transactions WHERE key = :k"), {"k": key}).scalar_one()
    for account, amount in legs:
        connection.execute(
            text("INSERT INTO ledger_postings (transaction_id, account_id, amount) VALUES (:t, :a, :m)"),
            {"t": tx, "a": account, "m": amount},
        )
    return int(tx)


def _seal(connection: Connection, tx: int) -> None:
    connection.execute(text("UPDATE ledger_transactions SET sealed = :t WHERE id = :id"), {"t": True, "id": tx})


def _refused(connection: Connection, message: str, statement: str, **params: object) -> None:
    # The savepoint inside: it rolls back when the statement fails, so the connection stays usable.
    with pytest.raises(DBAPIError, match=message), connection.begin_nested():
        connection.execute(text(statement), params)


def test_the_database_refuses_to_seal_an_unbalanced_transaction(raw: Connection) -> None:
    budget, budget_usd, frozen = raw.info["accounts"]
    tx = _open(raw, [(budget, -100), (frozen, 99)])
    _refused(raw, "does not balance", "UPDATE ledger_transactions SET sealed = :t WHERE id = :id", t=True, id=tx)
    # Zero in total is not enough: each currency must balance on its own.
    tx = _open(raw, [(budget, -100), (budget_usd, 100)])
    _refused(raw, "does not balance", "UPDATE ledger_transactions SET sealed = :t WHERE id = :id", t=True, id=tx)
    empty = _open(raw, [])
    _refused(raw, "no postings", "UPDATE ledger_transactions SET sealed = :t WHERE id = :id", t=True, id=empty)


def test_the_database_refuses_edits_of_sealed_history(raw: Connection) -> None:
    budget, _, frozen = raw.info["accounts"]
    tx = _open(raw, [(budget, -100), (frozen, 100)])
    _seal(raw, tx)
    _refused(
        raw,
        "sealed",
        "INSERT INTO ledger_postings (transaction_id, account_id, amount) VALUES (:t, :a, 1)",
        t=tx,
        a=budget,
    )
    for statement in (
        "UPDATE ledger_postings SET amount = amount * 2 WHERE transaction_id = :t",
        "DELETE FROM ledger_postings WHERE transaction_id = :t",
        "UPDATE ledger_transactions SET memo = 'edited' WHERE id = :t",
        "UPDATE ledger_transactions SET sealed = :f WHERE id = :t",
        "DELETE FROM ledger_transactions WHERE id = :t",
    ):
        _refused(raw, "append-only", statement, t=tx, f=False)
    _refused(raw, "append-only", "UPDATE ledger_accounts SET currency = 'USD' WHERE id = :a", a=budget)
    _refused(raw, "append-only", "DELETE FROM ledger_accounts WHERE id = :a", a=budget)


def test_the_database_refuses_a_transaction_inserted_already_sealed(raw: Connection) -> None:
    _refused(
        raw,
        "append-only",
        "INSERT INTO ledger_transactions (key, kind, memo, sealed, created_at) "
        "VALUES ('pre-sealed', 'correction', '', :t, CURRENT_TIMESTAMP)",
        t=True,
    )


def test_an_open_transaction_counts_for_nothing(db: Database, raw: Connection) -> None:
    budget = raw.info["accounts"][0]
    _open(raw, [(budget, -7)])  # left open and unbalanced: it never seals, so it never counts
    report = ledger.check(_session_on(raw))
    assert report.ok and report.open_transactions >= 1


def _session_on(connection: Connection):  # type: ignore[no-untyped-def]
    from sqlalchemy.orm import Session

    return Session(bind=connection)


def test_two_clients_posting_one_key_at_once_write_it_once(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two concurrent writers are a PostgreSQL matter; SQLite serialises every write")
    p = parties()
    draft = fee_release(p, 500_000, Terms.of("0.05", "0.1"))
    first_wrote, first_may_commit = threading.Event(), threading.Event()
    results: dict[str, ledger.Posted] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with db.transaction() as s:
                results["first"] = ledger.post_many(s, [draft])[0]
                first_wrote.set()
                first_may_commit.wait(10)
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)
            first_wrote.set()

    def second() -> None:
        try:
            with db.transaction() as s:
                results["second"] = ledger.post_many(s, [draft])[0]
        except BaseException as error:
            errors.append(error)

    a = threading.Thread(target=first)
    a.start()
    assert first_wrote.wait(10)
    b = threading.Thread(target=second)
    b.start()
    time.sleep(0.3)  # the second client is now waiting on the first one's uncommitted key
    assert b.is_alive()
    first_may_commit.set()
    a.join(10)
    b.join(10)
    assert not errors
    assert results["first"].id == results["second"].id
    assert not results["first"].replayed and results["second"].replayed
    assert postings_of(db, draft.key) == len(draft.legs)


def test_two_clients_racing_over_many_keys_post_each_once(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two concurrent writers are a PostgreSQL matter; SQLite serialises every write")
    drafts = [budget_freeze(parties(), 100 + i) for i in range(40)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def client(seed: int) -> None:
        order = drafts[:]
        random.Random(seed).shuffle(order)
        try:
            start.wait(10)
            for lo in range(0, len(order), 5):
                with db.transaction() as s:
                    ledger.post_many(s, order[lo : lo + 5])
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=client, args=(seed,)) for seed in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert all(postings_of(db, d.key) == 2 for d in drafts)
