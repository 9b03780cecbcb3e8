"""Transparency-log throughput (存证日志 benchmark): durable appends, proofs and verifications per second.

Run from the repository root: ``.venv/bin/python -m bench.evidence [--entries N] [--writers W] [--batch B]``.

* **Durable appends/s** — entries committed (``synchronous_commit`` as the server has it, i.e. flushed to disk)
  through ``transparency.append`` in the writers' own transactions, each commit sealing what is pending
  (``SKIP LOCKED`` on PostgreSQL, so writers never queue behind a sealer). Three shapes: one writer, one entry
  per commit; W concurrent writers, one entry per commit (PostgreSQL's group commit shares WAL flushes between
  them); W writers, B entries per commit (the application batching its appends, or a bulk load). The baseline
  is a plain INSERT of the same rows into a trigger-free table of the same shape with the same writers and
  commits. After each run the log is sealed, checked gap-free and fully verified.
* **Proofs/s** — ``transparency.prove`` by entry id (one query for the entry and the tree state, then the
  in-memory tree), against a plain primary-key SELECT of the entry row; and the engine alone (``MerkleTree``).
* **Verifications/s** — RFC 9162 inclusion-proof checks (``verify_inclusion``) against hashing the same number
  of nodes with hashlib; and the full audit (``transparency.verify``) in leaves/s.

PostgreSQL: ``WANGHONG_BENCH_DATABASE_URL`` (else ``WANGHONG_TEST_DATABASE_URL``, else the local
``postgres@127.0.0.1/test``) names a server where a throw-away database is created and dropped. Prints the load
average before and after (the machine may be shared).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    create_engine,
    insert,
    select,
    text,
)
from sqlalchemy import Table as SqlTable
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from wanghong.governance import transparency
from wanghong.governance.engine.merkle import MerkleTree, leaf_hash, verify_inclusion
from wanghong.governance.models import TransparencyEntry
from wanghong.kit.db.base import UTCDateTime, utcnow
from wanghong.kit.db.migrate import upgrade
from wanghong.kit.db.session import Database

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CONTENT = {"category": "absolute_terms", "severity": "medium", "status": "confirmed", "description": "全网最低价"}


def run_writers(writers: int, total: int, write: Callable[[int], None]) -> float:
    """Run ``write(n)`` calls (n = entries in that commit) across threads until ``total``; returns entries/s."""
    per_writer = total // writers
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers + 1)

    def work() -> None:
        barrier.wait()
        try:
            write(per_writer)
        except BaseException as error:  # reported after the run
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return per_writer * writers / elapsed


def log_writer(db: Database, batch: int) -> Callable[[int], None]:
    def write(count: int) -> None:
        for start in range(0, count, batch):
            with db.transaction() as s:
                transparency.append_many(
                    s, [("bench.appended", f"bench:{k}", CONTENT) for k in range(start, min(count, start + batch))]
                )

    return write


def plain_writer(db: Database, table: SqlTable, batch: int) -> Callable[[int], None]:
    content = transparency.canonical_content(CONTENT)

    def write(count: int) -> None:
        for start in range(0, count, batch):
            rows = [
                {
                    "entry_id": uuid.uuid4().hex,
                    "kind": "bench.appended",
                    "record": f"bench:{k}",
                    "content": content,
                    "recorded_at": utcnow(),
                }
                for k in range(start, min(count, start + batch))
            ]
            with db.transaction() as s:
                s.execute(insert(table), rows)

    return write


def plain_table(db: Database) -> tuple[SqlTable, MetaData]:
    metadata = MetaData()
    table = SqlTable(
        f"bench_plain_entries_{uuid.uuid4().hex[:6]}",
        metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
        Column("entry_id", String(32), unique=True, nullable=False),
        Column("kind", String(64), nullable=False),
        Column("record", String(80), nullable=False, index=True),
        Column("content", Text, nullable=False),
        Column("recorded_at", UTCDateTime(), nullable=False),
        Column("leaf_index", BigInteger, unique=True),
        Column("entry", LargeBinary),
        Column("leaf_hash", LargeBinary(32)),
    )
    metadata.create_all(db.engine)
    return table, metadata


def check_log(db: Database) -> int:
    with db.transaction() as s:
        transparency.seal(s)
        indexes = list(s.scalars(select(TransparencyEntry.leaf_index).order_by(TransparencyEntry.leaf_index)))
        assert indexes == list(range(len(indexes))), "leaf indexes are not gap-free"
        audit = transparency.verify(s)
        assert audit.ok, audit.problems
    return len(indexes)


def timed(calls: int, call: Callable[[int], object]) -> float:
    start = time.perf_counter()
    for k in range(calls):
        call(k)
    return calls / (time.perf_counter() - start)


def measure(name: str, url: str, entries: int, writers: int, batch: int, table: Table) -> None:
    upgrade(url)
    # Enough connections for every writer, so the pool is not what the writers wait for.
    db = Database(url, pool_size=writers + 2) if not url.startswith("sqlite") else Database(url)
    try:
        plain, metadata = plain_table(db)
        # SQLite has one writer at a time: concurrent writers would only measure its busy-waiting.
        many = 1 if url.startswith("sqlite") else writers
        # One entry per commit is bounded by the disk's flush rate: a few thousand entries measure it.
        single = min(entries, 1_000 if many == 1 else 4_000)
        shapes = [(1, 1, min(entries, 1_000)), (many, 1, single), (many, batch, entries)]
        for shape_writers, shape_batch, total in dict.fromkeys(shapes):  # SQLite's two single-writer shapes are one
            base = run_writers(shape_writers, total, plain_writer(db, plain, shape_batch))
            rate = run_writers(shape_writers, total, log_writer(db, shape_batch))
            table.add_row(
                name,
                f"追加 appends ({shape_writers} writers × {shape_batch}/commit)",
                f"{rate:,.0f}",
                f"{base:,.0f}",
                f"{rate / base:.2f}",
            )
        metadata.drop_all(db.engine)
        size = check_log(db)

        with db.transaction() as s:
            ids = list(s.scalars(select(TransparencyEntry.entry_id)))
            rng = random.Random(7)
            picks = [rng.choice(ids) for _ in range(5_000)]
            transparency.prove(s, picks[0])  # the first call loads the tree
            lookup = select(TransparencyEntry.leaf_index, TransparencyEntry.entry, TransparencyEntry.leaf_hash)
            base = timed(len(picks), lambda k: s.execute(lookup.where(TransparencyEntry.entry_id == picks[k])).one())
            rate = timed(len(picks), lambda k: transparency.prove(s, picks[k]))
            table.add_row(
                name,
                f"证明 proofs, one per call (tree of {size:,})",
                f"{rate:,.0f}",
                f"{base:,.0f}",
                f"{rate / base:.2f}",
            )
            chunks = [picks[i : i + 100] for i in range(0, len(picks), 100)]
            batched = 100 * timed(len(chunks), lambda k: transparency.prove_many(s, chunks[k]))
            table.add_row(name, "证明 proofs, 100 per call", f"{batched:,.0f}", f"{base:,.0f}", f"{batched / base:.2f}")
            proofs = [transparency.prove(s, pick) for pick in picks[:2_000]]
            start = time.perf_counter()
            audit = transparency.verify(s)
            audit_rate = audit.checked / (time.perf_counter() - start)
        assert all(verify_inclusion(p.leaf_hash, p.leaf_index, p.tree_size, p.audit_path, p.root_hash) for p in proofs)
        table.add_row(name, "全量审计 full audit (leaves/s)", f"{audit_rate:,.0f}", "", "")
    finally:
        db.dispose()


def engine_rows(table: Table, leaves: int) -> None:
    """The engine without a database: proofs and verifications over a tree of ``leaves``."""
    hashes = [leaf_hash(k.to_bytes(8, "big")) for k in range(leaves)]
    start = time.perf_counter()
    tree = MerkleTree(hashes)
    build = leaves / (time.perf_counter() - start)
    root = tree.root()
    rng = random.Random(11)
    picks = [rng.randrange(leaves) for _ in range(20_000)]
    depth = len(tree.inclusion_proof(picks[0]))
    node = b"\x01" + bytes(64)
    base = timed(len(picks), lambda k: [hashlib.sha256(node).digest() for _ in range(depth + 1)])
    rate = timed(len(picks), lambda k: tree.inclusion_proof(picks[k]))
    table.add_row("engine", f"证明 proofs (tree of {leaves:,})", f"{rate:,.0f}", f"{base:,.0f}", f"{rate / base:.2f}")
    proofs = [(k, tree.inclusion_proof(k)) for k in picks]
    rate = timed(
        len(proofs), lambda k: verify_inclusion(hashes[proofs[k][0]], proofs[k][0], leaves, proofs[k][1], root)
    )
    table.add_row("engine", "验证 verifications", f"{rate:,.0f}", f"{base:,.0f}", f"{rate / base:.2f}")
    consistent = timed(5_000, lambda k: tree.consistency_proof(1 + picks[k] % (leaves - 1)))
    table.add_row("engine", "一致性证明 consistency proofs", f"{consistent:,.0f}", "", "")
    table.add_row("engine", "建树 tree build (leaves/s)", f"{build:,.0f}", "", "")


def postgres_database(server: str) -> tuple[str, Callable[[], None]]:
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
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000, help="entries per concurrent run (default 20,000)")
    parser.add_argument("--writers", type=int, default=16, help="concurrent writers (default 16)")
    parser.add_argument("--batch", type=int, default=100, help="entries per commit in the batched run (default 100)")
    parser.add_argument("--leaves", type=int, default=1_000_000, help="leaves of the engine-only tree")
    args = parser.parse_args()
    console = Console(width=140)
    load_before = os.getloadavg()
    table = Table(title="存证日志吞吐 transparency log throughput (baseline: plain INSERT / PK SELECT / bare hashing)")
    for header in ("库 database", "操作 operation", "每秒 per second", "基线 baseline/s", "比 ratio"):
        table.add_column(header, justify="right")
    engine_rows(table, args.leaves)
    with tempfile.TemporaryDirectory() as tmp:
        measure("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", args.entries, args.writers, args.batch, table)
    server = os.environ.get("WANGHONG_BENCH_DATABASE_URL") or os.environ.get("WANGHONG_TEST_DATABASE_URL") or DEFAULT_PG
    try:
        url, drop = postgres_database(server)
    except OperationalError as error:
        console.print(f"[yellow]PostgreSQL skipped[/]: {error.orig}")
    else:
        try:
            measure("PostgreSQL", url, args.entries, args.writers, args.batch, table)
        finally:
            drop()
    console.print(table)
    after = os.getloadavg()
    console.print(
        f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
        f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
