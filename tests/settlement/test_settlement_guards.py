"""The ledger's database guards judged per statement (migration 0023 on PostgreSQL; SQLite's row triggers): a
many-row seal or posting INSERT is refused whole when one row breaks a rule, a posting racing a seal in another
session cannot join it, each sealed transaction is logged once with its postings, a Conflict leaves nothing open,
and the migration goes down to 0005's and 0007's row triggers and up again."""

from __future__ import annotations

import itertools
import json
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from tests.fixtures.databases import migrated_database

from wanghong.governance.models import TransparencyEntry
from wanghong.kit.db.migrate import downgrade, upgrade
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Conflict
from wanghong.settlement import ledger
from wanghong.settlement.engine import Draft, Leg, Parties, Terms, budget_freeze, fee_release
from wanghong.settlement.models import LedgerTransaction

# Apart from the other settlement tests' ranges (flows 1e8-1e9, test_settlement_db 1.2e9-1.9e9, payouts 2.0e9-2.1e9).
_IDS = itertools.count(random.randrange(1_900_000_000, 1_990_000_000))


def parties() -> Parties:
    return Parties(next(_IDS), next(_IDS), next(_IDS), next(_IDS))


@pytest.fixture
def raw(db: Database) -> Iterator[Connection]:
    """A connection whose work is rolled back, with a CNY budget and frozen account of one brand."""
    with db.engine.connect() as connection:
        transaction = connection.begin()
        owner = next(_IDS)
        for purpose in ("budget", "frozen"):
            connection.execute(
                text(
                    "INSERT INTO ledger_accounts (owner_kind, owner_id, purpose, currency, created_at) "
                    "VALUES ('brand', :o, :p, 'CNY', CURRENT_TIMESTAMP)"
                ),
                {"o": owner, "p": purpose},
            )
        connection.info["accounts"] = (
            connection.execute(
                text("SELECT id FROM ledger_accounts WHERE owner_id = :o ORDER BY purpose"), {"o": owner}
            )
            .scalars()
            .all()
        )  # budget, frozen
        yield connection
        transaction.rollback()


def _open(connection: Connection, legs: list[tuple[int, int]]) -> int:
    key = f"guard-{next(_IDS)}"
    connection.execute(
        text(
            "INSERT INTO ledger_transactions (key, kind, memo, sealed, created_at) "
            "VALUES (:k, 'correction', '', :f, CURRENT_TIMESTAMP)"
        ),
        {"k": key, "f": False},
    )
    tx = int(connection.execute(text("SELECT id FROM ledger_transactions WHERE key = :k"), {"k": key}).scalar_one())
    if legs:
        # One multi-row INSERT: the statement-level guard sees every row at once.
        values = ", ".join(f"({tx}, {account}, {amount})" for account, amount in legs)
        connection.execute(text(f"INSERT INTO ledger_postings (transaction_id, account_id, amount) VALUES {values}"))
    return tx


def _sealed(connection: Connection, ids: list[int]) -> list[bool]:
    rows = connection.execute(
        select(LedgerTransaction.id, LedgerTransaction.sealed).where(LedgerTransaction.id.in_(ids))
    ).all()
    by_id = {row.id: bool(row.sealed) for row in rows}
    return [by_id[i] for i in ids]


def _refused(connection: Connection, message: str, statement: str) -> None:
    with pytest.raises(DBAPIError, match=message), connection.begin_nested():
        connection.execute(text(statement))


def test_a_seal_of_many_with_one_unbalanced_is_refused_whole(raw: Connection) -> None:
    budget, frozen = raw.info["accounts"]
    good = [_open(raw, [(budget, -100), (frozen, 100)]) for _ in range(5)]
    bad = _open(raw, [(budget, -100), (frozen, 99)])
    empty = _open(raw, [])
    listed = ", ".join(str(i) for i in good)
    _refused(raw, "does not balance", f"UPDATE ledger_transactions SET sealed = true WHERE id IN ({listed}, {bad})")
    _refused(raw, "no postings", f"UPDATE ledger_transactions SET sealed = true WHERE id IN ({listed}, {empty})")
    assert _sealed(raw, [*good, bad, empty]) == [False] * 7
    raw.execute(text(f"UPDATE ledger_transactions SET sealed = true WHERE id IN ({listed})"))
    assert _sealed(raw, [*good, bad]) == [True] * 5 + [False]
    # A second seal, or any other change, of a sealed transaction is still refused row by row.
    _refused(raw, "append-only", f"UPDATE ledger_transactions SET sealed = true WHERE id IN ({listed})")
    _refused(raw, "append-only", f"UPDATE ledger_transactions SET memo = 'x' WHERE id = {good[0]}")


def test_postings_inserted_together_are_refused_when_one_joins_a_sealed_transaction(raw: Connection) -> None:
    budget, frozen = raw.info["accounts"]
    sealed = _open(raw, [(budget, -5), (frozen, 5)])
    raw.execute(text(f"UPDATE ledger_transactions SET sealed = true WHERE id = {sealed}"))
    still_open = _open(raw, [])
    _refused(
        raw,
        "sealed",
        "INSERT INTO ledger_postings (transaction_id, account_id, amount) VALUES "
        f"({still_open}, {budget}, -1), ({still_open}, {frozen}, 1), ({sealed}, {budget}, -1), ({sealed}, {frozen}, 1)",
    )
    postings = raw.execute(
        text("SELECT count(*) FROM ledger_postings WHERE transaction_id IN (:a, :b)"), {"a": sealed, "b": still_open}
    ).scalar_one()
    assert postings == 2  # the sealed transaction's own two; the refused statement added none


def test_a_posting_racing_a_seal_in_another_session_cannot_join_it(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two concurrent writers are a PostgreSQL matter; SQLite serialises every write")
    with db.engine.begin() as c:
        owner = next(_IDS)
        for purpose in ("budget", "frozen"):
            c.execute(
                text(
                    "INSERT INTO ledger_accounts (owner_kind, owner_id, purpose, currency, created_at) "
                    "VALUES ('brand', :o, :p, 'CNY', CURRENT_TIMESTAMP)"
                ),
                {"o": owner, "p": purpose},
            )
        budget, frozen = (
            c.execute(text("SELECT id FROM ledger_accounts WHERE owner_id = :o ORDER BY purpose"), {"o": owner})
            .scalars()
            .all()
        )
        tx = _open(c, [(budget, -10), (frozen, 10)])  # committed open: another session may now try to join it
    sealer = db.engine.connect()
    sealing = sealer.begin()
    sealer.execute(text("UPDATE ledger_transactions SET sealed = true WHERE id = :t"), {"t": tx})
    errors: list[BaseException] = []

    def join() -> None:
        try:
            with db.engine.begin() as c:
                c.execute(
                    text(
                        "INSERT INTO ledger_postings (transaction_id, account_id, amount) "
                        "VALUES (:t, :b, -1), (:t, :f, 1)"
                    ),
                    {"t": tx, "b": budget, "f": frozen},
                )
        except BaseException as error:
            errors.append(error)

    joiner = threading.Thread(target=join)
    joiner.start()
    time.sleep(0.3)
    assert joiner.is_alive()  # waiting on the seal's row lock
    sealing.commit()
    sealer.close()
    joiner.join(10)
    assert len(errors) == 1 and "ledger transaction is sealed" in str(errors[0])
    with db.engine.connect() as c:
        count = c.execute(text("SELECT count(*) FROM ledger_postings WHERE transaction_id = :t"), {"t": tx})
        assert count.scalar_one() == 2


def test_each_sealed_transaction_is_logged_once_with_its_postings(db: Database) -> None:
    p = parties()
    drafts = [budget_freeze(p, 800_000), fee_release(p, 800_000, Terms.of("0.05", "0.2"))]
    with db.transaction() as s:
        posted = ledger.post_many(s, drafts)
    with db.transaction() as s:
        ledger.post_many(s, drafts)  # replays log nothing
        for draft, result in zip(drafts, posted, strict=True):
            entries = s.scalars(
                select(TransparencyEntry).where(TransparencyEntry.record == f"ledger_transactions:{result.id}")
            ).all()
            assert [e.kind for e in entries] == ["ledger_transaction.sealed"]
            content = json.loads(entries[0].content)
            assert content["id"] == result.id and content["key"] == draft.key and content["sealed"] in (True, 1)
            legs = content["postings"]
            assert [leg["id"] for leg in legs] == sorted(leg["id"] for leg in legs)
            assert sorted(
                (leg["owner_kind"], leg["owner_id"], leg["purpose"], leg["currency"], leg["amount"]) for leg in legs
            ) == sorted(
                (g.account.owner_kind.value, g.account.owner_id, g.account.purpose.value, g.account.currency, g.amount)
                for g in draft.legs
            )


def test_a_large_batch_seals_and_logs_every_transaction(db: Database) -> None:
    drafts = [budget_freeze(parties(), 1_000 + i) for i in range(600)]
    with db.transaction() as s:
        before = s.scalar(select(func.count()).select_from(TransparencyEntry))
        posted = ledger.post_many(s, drafts)
        assert not any(r.replayed for r in posted)
        assert s.scalar(select(func.count()).select_from(TransparencyEntry)) == (before or 0) + 600
        ids = [r.id for r in posted]
        sealed = s.scalar(select(func.count()).where(LedgerTransaction.id.in_(ids), LedgerTransaction.sealed))
        assert sealed == 600
        report = ledger.check(s)
        assert report.ok


def test_a_conflict_in_a_batch_leaves_no_transaction_open(db: Database) -> None:
    p = parties()
    first = budget_freeze(p, 1_000)
    with db.transaction() as s:
        ledger.post_many(s, [first])
    fresh = budget_freeze(parties(), 2_000)
    doubled = Draft(first.key, first.kind, tuple(Leg(g.account, g.amount * 2) for g in first.legs))
    with pytest.raises(Conflict), db.transaction() as s:
        open_before = ledger.check(s).open_transactions
        try:
            ledger.post_many(s, [fresh, doubled])
        except Conflict:
            # Raised after the batch's new transaction was written whole and sealed: nothing left open.
            assert ledger.check(s).open_transactions == open_before
            assert s.scalar(select(func.count()).where(LedgerTransaction.key == fresh.key)) == 1
            raise
    with db.transaction() as s:  # the caller's rollback took it back
        assert s.scalar(select(func.count()).where(LedgerTransaction.key == fresh.key)) == 0


def test_the_statement_guards_go_down_to_the_row_triggers_and_up_again(tmp_path: Path) -> None:
    with migrated_database("postgresql", tmp_path, prefix="wanghong_guards") as url:
        engine = create_engine(url)
        try:

            def triggers() -> set[str]:
                with engine.connect() as c:
                    rows = c.execute(
                        text(
                            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN "
                            "('ledger_transactions'::regclass, 'ledger_postings'::regclass)"
                        )
                    )
                    return {name for (name,) in rows}

            statement_level = {
                "ledger_transactions_open",
                "ledger_transactions_seal_only",
                "ledger_transactions_balanced",
                "ledger_postings_open",
                "ledger_transactions_transparency_sealed",
            }
            row_level = {
                "ledger_transactions_guard",
                "ledger_postings_guard",
                "ledger_transactions_transparency_update",
            }
            assert statement_level <= triggers() and not row_level & triggers()
            downgrade(url, "0022")
            assert row_level <= triggers() and not statement_level & triggers()
            upgrade(url)
            assert statement_level <= triggers() and not row_level & triggers()
        finally:
            engine.dispose()
