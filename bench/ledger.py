"""Ledger posting throughput (结算账本 benchmark) on SQLite and PostgreSQL.

Run from the repository root: ``.venv/bin/python -m bench.ledger [--postings N]``. Posts a mix of collaboration
flows (budget freeze, fee release split three ways, commission hold and release, payouts) through
`settlement.ledger.post_many`, one commit per batch of 100 postings and per batch of 100 transactions, and
measures plain INSERTs of the same transaction and posting rows into trigger-free tables of the same shape in the
same run; prints postings/s, the ratio to plain inserts, replays/s, and the load average (the machine may be
shared). PostgreSQL: ``WANGHONG_BENCH_DATABASE_URL`` (else ``WANGHONG_TEST_DATABASE_URL``, else the local
``postgres@127.0.0.1/test``) names a server where a throw-away database is created and dropped.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import BigInteger, Boolean, Column, Integer, MetaData, String, create_engine, insert, text
from sqlalchemy import Table as SqlTable
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from wanghong.kit.db.base import UTCDateTime, utcnow
from wanghong.kit.db.migrate import upgrade
from wanghong.kit.db.session import Database
from wanghong.settlement import ledger
from wanghong.settlement.engine import (
    Draft,
    Parties,
    Terms,
    budget_freeze,
    commission_hold,
    commission_release,
    fee_release,
    payout_batch,
    payout_due,
)

BATCH = 100
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def workload(postings: int) -> list[Draft]:
    """Flows of one collaboration each until `postings` postings: 2 + 4 + 2×(2 + 4) + 2 = 20 per flow."""
    terms = Terms.of("0.05", "0.2")
    drafts: list[Draft] = []
    flow = 0
    while sum(len(d.legs) for d in drafts) < postings:
        flow += 1
        p = Parties(flow, 1 + flow % 50, 1 + flow % 2000, 1 + flow % 40)
        drafts += [budget_freeze(p, 800_000), fee_release(p, 800_000, terms)]
        for n in range(2):
            order = flow * 10 + n
            hold = commission_hold(p, order, 19_999, 0.2)
            assert hold is not None
            drafts += [hold, commission_release(p, order, hold.legs[1].amount, terms)]
        drafts.append(payout_batch(f"bench-{flow}", [(p.creator_id, 600_000)], payout_due(utcnow())))
    return drafts


def batches(drafts: list[Draft], by_postings: bool) -> Iterator[list[Draft]]:
    batch: list[Draft] = []
    size = 0
    for draft in drafts:
        weight = len(draft.legs) if by_postings else 1
        if batch and size + weight > BATCH:
            yield batch
            batch, size = [], 0
        batch.append(draft)
        size += weight
    if batch:
        yield batch


def post_rate(db: Database, drafts: list[Draft], by_postings: bool) -> float:
    start = time.perf_counter()
    for batch in batches(drafts, by_postings):
        with db.transaction() as s:
            ledger.post_many(s, batch)
    return sum(len(d.legs) for d in drafts) / (time.perf_counter() - start)


def plain_rate(db: Database, drafts: list[Draft], by_postings: bool) -> float:
    """The same rows as plain INSERTs (ids known in advance, no lookups, no triggers, no sealing)."""
    metadata = MetaData()
    tag = uuid.uuid4().hex[:6]
    transactions = SqlTable(
        f"bench_plain_transactions_{tag}",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("key", String(200), unique=True, nullable=False),
        Column("kind", String(32), nullable=False),
        Column("memo", String(500), nullable=False),
        Column("collaboration_id", Integer),
        Column("order_id", Integer),
        Column("due_at", UTCDateTime()),
        Column("sealed", Boolean, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
    )
    postings = SqlTable(
        f"bench_plain_postings_{tag}",
        metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
        Column("transaction_id", Integer, nullable=False, index=True),
        Column("account_id", Integer, nullable=False, index=True),
        Column("amount", BigInteger, nullable=False),
    )
    metadata.create_all(db.engine)
    with db.transaction() as s:
        accounts = ledger.account_ids_of(s, {leg.account for d in drafts for leg in d.legs})
    try:
        next_id = 1
        start = time.perf_counter()
        for batch in batches(drafts, by_postings):
            now = utcnow()
            tx_rows, posting_rows = [], []
            for d in batch:
                tx_rows.append(
                    {
                        "id": next_id,
                        "key": d.key,
                        "kind": d.kind.value,
                        "memo": d.memo,
                        "collaboration_id": d.collaboration_id,
                        "order_id": d.order_id,
                        "due_at": d.due_at,
                        "sealed": True,
                        "created_at": now,
                    }
                )
                posting_rows += [
                    {"transaction_id": next_id, "account_id": accounts[leg.account], "amount": leg.amount}
                    for leg in d.legs
                ]
                next_id += 1
            with db.transaction() as s:
                s.execute(insert(transactions), tx_rows)
                s.execute(insert(postings), posting_rows)
        return sum(len(d.legs) for d in drafts) / (time.perf_counter() - start)
    finally:
        metadata.drop_all(db.engine)


def measure(name: str, url: str, postings: int, table: Table) -> None:
    upgrade(url)
    db = Database(url)
    try:
        drafts = workload(postings)
        for by_postings, label in ((True, "分录 postings"), (False, "交易 transactions")):
            # A fresh key space per run, so each run writes rather than replays the previous one's keys.
            tag = uuid.uuid4().hex[:6]
            run = [
                Draft(f"{tag}:{d.key}", d.kind, d.legs, d.memo, d.collaboration_id, d.order_id, d.due_at)
                for d in drafts
            ]
            plain = plain_rate(db, run, by_postings)
            posted = post_rate(db, run, by_postings)
            replayed = post_rate(db, run, by_postings)
            table.add_row(name, label, f"{posted:,.0f}", f"{plain:,.0f}", f"{posted / plain:.2f}", f"{replayed:,.0f}")
        with db.transaction() as s:
            assert ledger.check(s).ok
    finally:
        db.dispose()


def postgres_database(server: str) -> tuple[str, object]:
    name = f"wanghong_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=20_000, help="postings per run (default 20,000)")
    args = parser.parse_args()
    console = Console(width=120)
    load_before = os.getloadavg()
    table = Table(title=f"账本记账吞吐 ledger postings/s, one commit per {BATCH} postings or {BATCH} transactions")
    for header in ("库 database", "批 batch", "记账 posted/s", "直插 plain/s", "比 ratio", "重放 replay/s"):
        table.add_column(header, justify="right")
    with tempfile.TemporaryDirectory() as tmp:
        measure("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", args.postings, table)
    server = os.environ.get("WANGHONG_BENCH_DATABASE_URL") or os.environ.get("WANGHONG_TEST_DATABASE_URL") or DEFAULT_PG
    try:
        url, drop = postgres_database(server)
    except OperationalError as error:
        console.print(f"[yellow]PostgreSQL skipped[/yellow]: {error.orig}")
    else:
        try:
            measure("PostgreSQL", url, args.postings, table)
        finally:
            drop()  # type: ignore[operator]
    console.print(table)
    load_after = os.getloadavg()
    console.print(
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after (1 min), on {os.cpu_count()} cores;"
        " goal ≥ 2,000 postings/s on PostgreSQL"
    )


if __name__ == "__main__":
    main()
