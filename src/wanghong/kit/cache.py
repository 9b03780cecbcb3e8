"""Whole answers of read routes, kept per process and reused only while the data they were read from is unchanged.

An answer is stored with the tables its queries read and the version each table had *before* the first of them
ran. The versions live in the database (`data_versions`, one counter per table) and are moved by triggers in the
writer's own transaction (migration 0024): every write path — the API, pages, the CLI, bulk loads, plain SQL —
counts, and a new version becomes visible exactly when the write it counts does, to every worker and every app
sharing the database. A reuse therefore costs one small query, and a committed write is never followed by an
answer read before it:

* the versions are read before the data, so a write that commits in between leaves a newer answer under an older
  version (the next request misses), never an older answer under a newer one;
* an answer is not stored when its transaction wrote anything itself (an uncommitted version), when a statement
  named no table (plain text SQL), or when a table it read has no counter (one created after the triggers).

Answers that also depend on the clock (a window that closes, "recent" violations) take a `max_age`. When it lapses
with every table unchanged, one request renders the answer anew while the others keep the one it replaces until
the new one is stored (stale-while-revalidate, RFC 5861): an expensive answer is rendered once per lapse rather
than by every request that arrives during its render. The clock may therefore be behind by `max_age` plus one
render; the data never is.

Kit knows no capability: the routes say what the key is (route, the reader's scope, the normalised query) and how
to render the body; which tables it depends on is found from the statements themselves.
"""

from __future__ import annotations

import hashlib
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, Response
from pydantic_core import to_json
from sqlalchemy import BigInteger, Engine, String, Table, TextClause, event, func, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column
from sqlalchemy.sql import visitors
from starlette.concurrency import run_in_threadpool

from wanghong.kit.access import nobody, register_scopes
from wanghong.kit.db.base import Base
from wanghong.kit.runtime import Warm

JSON = "application/json"
# Bodies above this are rendered each time: a few of them would crowd out every list page.
MAX_BODY_BYTES = 2 * 1024 * 1024


class DataVersion(Base):
    """A counter per table that moves whenever a transaction that changed the table commits (by one per commit on
    PostgreSQL, by one per row written on SQLite); migration 0024's triggers keep it."""

    __tablename__ = "data_versions"

    table_name: Mapped[str] = mapped_column(String(128), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)


def tables_read(statement: Any) -> set[str] | None:
    """The tables a statement reads (subqueries and scope conditions included); None when it holds plain SQL
    text, whose tables cannot be known."""
    names: set[str] = set()
    for element in visitors.iterate(statement):
        if isinstance(element, TextClause):
            return None
        if isinstance(element, Table):
            names.add(element.name)
    return names


# Set on a session from its first write (a flush or a DML statement) to the end of the transaction: what such a
# transaction reads may include its own uncommitted rows, under a version that a rollback takes back.
_WROTE = "wanghong.cache.wrote"


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    session.info[_WROTE] = True


_READING = "wanghong.cache.reading"


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    """Notes writes (always) and, while an answer is rendered, the tables its statements read."""
    reads: _Reads | None = state.session.info.get(_READING)
    if not state.is_select:
        if state.is_insert or state.is_update or state.is_delete:
            state.session.info[_WROTE] = True
        if reads is not None:  # a write in a read (its version is not committed) or a statement of unknown kind
            reads.cacheable = False
        return
    if reads is not None:
        tables = tables_read(state.statement)
        if tables is None:
            reads.cacheable = False
        else:
            reads.tables |= tables


# Every counter as one query read it in this transaction, before anything else did (see `data_versions`).
_SNAPSHOT = "wanghong.cache.snapshot"


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _ended(session: Session) -> None:
    session.info.pop(_WROTE, None)
    session.info.pop(_SNAPSHOT, None)


@dataclass
class _Reads:
    tables: set[str] = field(default_factory=set)
    cacheable: bool = True


@contextmanager
def _tracking(session: Session) -> Iterator[_Reads]:
    # Marked on the session for the module's one listener (a listener per render cost more than the query).
    reads = _Reads()
    session.info[_READING] = reads
    try:
        yield reads
    finally:
        session.info.pop(_READING, None)


_ALL_VERSIONS = select(DataVersion.__table__.c.table_name, DataVersion.__table__.c.version)


# How many counters there are and their sum: counters only ever grow, so while both stay put every counter does.
_VERSIONS_DIGEST = select(func.count(), func.coalesce(func.sum(DataVersion.__table__.c.version), 0))
# Per engine: the counters last read in full, under the digest computed from those very counters (not from the
# digest query before them, which a commit in between would make older than they are).
_LAST_READ: weakref.WeakKeyDictionary[Engine, tuple[tuple[int, int], dict[str, int]]] = weakref.WeakKeyDictionary()


def _versions(session: Session, *, committed: bool = True) -> dict[str, int]:
    """Every counter as of this transaction's snapshot (read-only: the same dict may serve many requests).
    Counters that a transaction's own writes moved (`committed` False) are neither reused nor remembered: a
    rollback would leave behind a digest that later commits can reach with other counters.

    Core on the session's connection (its transaction), not `session.execute`: the ORM's execution path cost five
    times the query itself, and this one runs on every request. One row (the digest) while nothing was written,
    a hundred (every counter) after a write: turning the rows into a dict was most of this query's cost."""
    connection = session.connection()
    if committed:
        last = _LAST_READ.get(connection.engine)
        count, total = connection.execute(_VERSIONS_DIGEST).one()
        if last is not None and last[0] == (int(count), int(total)):
            return last[1]
    versions = {str(name): int(version) for name, version in connection.execute(_ALL_VERSIONS).all()}
    if committed:
        _LAST_READ[connection.engine] = ((len(versions), sum(versions.values())), versions)
    return versions


# Per engine: whether its database has the counters (one migrated before them has none).
_TRACKED: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def _tracked(session: Session) -> bool:
    engine = session.get_bind().engine
    known = _TRACKED.get(engine)
    if known is None:
        try:
            known = inspect(session.connection()).has_table(DataVersion.__tablename__)
        except SQLAlchemyError:
            known = False
        _TRACKED[engine] = known
    return known


def data_versions(session: Session) -> dict[str, int] | None:
    """Every table's counter, read once per transaction by one query and then reused by whoever asks in it (the
    sign-in check and the response cache of the same request); None when the database keeps no counters.

    Meant to be read first: a write committed after it shows as a newer counter to the next transaction, never as
    an older answer under a newer counter. A transaction that has written reads afresh (on SQLite its own
    uncommitted writes move the counters it reads)."""
    if not _tracked(session):
        return None
    if wrote(session):
        return _versions(session, committed=False)
    snapshot: dict[str, int] | None = session.info.get(_SNAPSHOT)
    if snapshot is None:
        snapshot = session.info[_SNAPSHOT] = _versions(session)
    return snapshot


def adopt_versions(session: Session, versions: dict[str, int]) -> None:
    """Take `versions`, read on another connection just before `session`'s transaction read anything, as that
    transaction's own: read earlier than its data, they keep `data_versions`' promise."""
    session.info[_SNAPSHOT] = versions


def wrote(session: Session) -> bool:
    """Whether the session's transaction has written (flushed, executed DML) or holds changes it will flush."""
    return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


@dataclass(frozen=True)
class _Entry:
    versions: tuple[tuple[str, int], ...]  # sorted (table, version) of every table the answer read
    body: bytes
    etag: str
    stored_at: float


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


class ResponseCache:
    """The answers of one process (one per app: `kit.runtime`), least recently used out first."""

    def __init__(self, max_entries: int = 1024, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        # Keys whose `max_age` lapsed with their tables unchanged, being rendered anew by one request.
        self._renewing: set[Hashable] = set()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    async def answer_async(
        self,
        session: Session,
        key: Hashable,
        render: Callable[[], bytes],
        *,
        max_age: float | None = None,
    ) -> tuple[bytes, str]:
        """`answer` for an `async def` route: a stored answer that the counters this transaction already holds
        (`adopt_versions`) vouch for is returned on the event loop, with no query and no thread; anything that
        needs the database (a miss, counters not yet read) runs `answer` in the threadpool."""
        snapshot: dict[str, int] | None = session.info.get(_SNAPSHOT)
        if snapshot is not None and not wrote(session):
            with self._lock:
                entry = self._entries.get(key)
                renewing = key in self._renewing
            if entry is not None and self._reusable(entry, snapshot, max_age, time.monotonic(), renewing):
                self._hit(key)
                return entry.body, entry.etag
        return await run_in_threadpool(self.answer, session, key, render, max_age=max_age)

    @staticmethod
    def _reusable(entry: _Entry, snapshot: dict[str, int], max_age: float | None, now: float, renewing: bool) -> bool:
        """Whether `entry` may answer: every table it read unchanged, and young enough or being renewed."""
        fresh = max_age is None or now - entry.stored_at <= max_age or renewing
        return fresh and all(snapshot.get(name) == version for name, version in entry.versions)

    def _claim_renewal(self, key: Hashable, entry: _Entry, snapshot: dict[str, int]) -> bool:
        """Whether this request renders `key` anew because only its age lapsed (the others keep the old answer
        meanwhile); False when the data moved, so every request renders as on any miss."""
        if any(snapshot.get(name) != version for name, version in entry.versions):
            return False
        with self._lock:
            self._renewing.add(key)
        return True

    def _hit(self, key: Hashable) -> None:
        with self._lock:
            self.hits += 1
            if key in self._entries:
                self._entries.move_to_end(key)

    def answer(
        self,
        session: Session,
        key: Hashable,
        render: Callable[[], bytes],
        *,
        max_age: float | None = None,
    ) -> tuple[bytes, str]:
        """The body and ETag for `key`: the stored one while every table it read is unchanged (and it is younger
        than `max_age` seconds), else `render()`'s, stored when it may be reused.

        The counters come from `data_versions`: the request's one query, shared with its sign-in check."""
        # Read before the data: see the module's note on why this order never stores an older answer as newer.
        snapshot = data_versions(session)
        if snapshot is None:
            body = render()
            return body, etag_of(body)
        with self._lock:
            entry = self._entries.get(key)
            renewing = key in self._renewing
        now = time.monotonic()
        if entry is not None and self._reusable(entry, snapshot, max_age, now, renewing):
            self._hit(key)
            return entry.body, entry.etag
        renewal = entry is not None and self._claim_renewal(key, entry, snapshot)
        try:
            with _tracking(session) as reads:
                body = render()
            return self._store(session, key, body, snapshot, reads, now)
        finally:
            if renewal:
                with self._lock:
                    self._renewing.discard(key)

    def _store(
        self, session: Session, key: Hashable, body: bytes, snapshot: dict[str, int], reads: _Reads, now: float
    ) -> tuple[bytes, str]:
        etag = etag_of(body)
        with self._lock:
            self.misses += 1
        writes_pending = wrote(session)
        # Every table it read must have a counter read before it (one created after the triggers has none):
        # otherwise it could change unseen.
        counted = bool(reads.tables) and reads.tables <= snapshot.keys()
        if reads.cacheable and counted and not writes_pending and len(body) <= MAX_BODY_BYTES:
            versions = tuple(sorted((name, snapshot[name]) for name in reads.tables))
            with self._lock:
                replaced = self._entries.pop(key, None)
                self._bytes += len(body) - (len(replaced.body) if replaced is not None else 0)
                self._entries[key] = _Entry(versions, body, etag, now)
                while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                    _, dropped = self._entries.popitem(last=False)
                    self._bytes -= len(dropped.body)
        return body, etag


def json_bytes(value: Any) -> bytes:
    """JSON as FastAPI's own responses write it (UTF-8, no ASCII escapes), from pydantic-core's serializer; NumPy
    scalars as the Python numbers they hold."""
    return to_json(value, fallback=_plain)


def _plain(value: Any) -> Any:
    item = getattr(value, "item", None)
    if callable(item):
        return item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_response(request: Request, body: bytes, etag: str) -> Response:
    """The body with its ETag; a 304 without it when the client already holds this very answer."""
    # `private`: the answer is one reader's scope; `no-cache`: a client asks again each time, and a 304 is cheap.
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    match = request.headers.get("if-none-match")
    if match is not None and (match.strip() == "*" or etag in (tag.strip() for tag in match.split(","))):
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=JSON, headers=headers)


def scope_key(principal: Any) -> Hashable:
    """Whose rows an answer holds: one key for every reader who sees everything, else the reader's identity and
    tenancy (a rule may read any of them)."""
    if getattr(principal, "sees_everything", False):
        return "everything"
    return (
        str(principal.role),
        principal.user_id,
        getattr(principal, "brand_id", None),
        getattr(principal, "mcn_id", None),
        getattr(principal, "creator_id", None),
    )


# One cache per app (per worker process): two apps over one database keep their own and agree through the versions.
RESPONSES = Warm("kit.responses", build=lambda settings: ResponseCache())

# The counters are bookkeeping of the cache, never read on anyone's behalf.
register_scopes({DataVersion: nobody})
