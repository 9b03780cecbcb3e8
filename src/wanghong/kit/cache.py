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

Answers that also depend on the clock (a window that closes, "recent" violations) take a `max_age`.

Kit knows no capability: the routes say what the key is (route, the reader's scope, the normalised query) and how
to render the body; which tables it depends on is found from the statements themselves.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, Response
from pydantic_core import to_json
from sqlalchemy import BigInteger, String, Table, TextClause, bindparam, event, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column
from sqlalchemy.sql import visitors

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


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _ended(session: Session) -> None:
    session.info.pop(_WROTE, None)


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
_SOME_VERSIONS = _ALL_VERSIONS.where(DataVersion.__table__.c.table_name.in_(bindparam("names", expanding=True)))


def _versions(session: Session, tables: frozenset[str] | None = None) -> dict[str, int]:
    # Core on the session's connection (its transaction), not `session.execute`: the ORM's execution path cost
    # five times the query itself, and this one runs on every request.
    connection = session.connection()
    if tables is None:
        result = connection.execute(_ALL_VERSIONS)
    else:
        result = connection.execute(_SOME_VERSIONS, {"names": sorted(tables)})
    return {str(name): int(version) for name, version in result.all()}


@dataclass(frozen=True)
class _Entry:
    versions: tuple[tuple[str, int], ...]  # sorted (table, version) of every table the answer read
    body: bytes
    etag: str
    stored_at: float

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.versions)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


class ResponseCache:
    """The answers of one process (one per app: `kit.runtime`), least recently used out first."""

    def __init__(self, max_entries: int = 1024, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._bytes = 0
        # Per family of keys (a route): the tables its answers read last time, so a miss reads only their versions.
        self._learned: dict[Hashable, frozenset[str]] = {}
        self._lock = threading.Lock()
        # Per database URL: whether its schema has the counters (a database migrated before them has none).
        self._tracked: dict[str, bool] = {}
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _enabled(self, session: Session) -> bool:
        url = str(session.get_bind().engine.url)
        known = self._tracked.get(url)
        if known is None:
            try:
                known = inspect(session.connection()).has_table(DataVersion.__tablename__)
            except SQLAlchemyError:
                known = False
            self._tracked[url] = known
        return known

    def answer(
        self,
        session: Session,
        key: Hashable,
        render: Callable[[], bytes],
        *,
        max_age: float | None = None,
        family: Hashable = None,
    ) -> tuple[bytes, str]:
        """The body and ETag for `key`: the stored one while every table it read is unchanged (and it is younger
        than `max_age` seconds), else `render()`'s, stored when it may be reused.

        `family` names the keys whose answers read the same tables (one route): a miss then reads the versions of
        those tables only, rather than of every table, and learns them anew when an answer read more."""
        if not self._enabled(session):
            body = render()
            return body, etag_of(body)
        with self._lock:
            entry = self._entries.get(key)
        now = time.monotonic()
        if entry is not None and (max_age is None or now - entry.stored_at <= max_age):
            current = _versions(session, entry.tables)
            if tuple(sorted(current.items())) == entry.versions:
                with self._lock:
                    self.hits += 1
                    if key in self._entries:
                        self._entries.move_to_end(key)
                return entry.body, entry.etag
        # Before the data: see the module's note on why this order never stores an older answer as newer.
        expected = self._learned.get(family) if family is not None else None
        before = _versions(session, expected)
        with _tracking(session) as reads:
            body = render()
        etag = etag_of(body)
        with self._lock:
            self.misses += 1
        writes_pending = bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)
        if family is not None and reads.cacheable:
            with self._lock:
                self._learned[family] = frozenset(reads.tables) | (expected or frozenset())
        # Every table it read must have a counter read before it (one created after the triggers has none, and a
        # family's first answer may read a table it had not learned): otherwise it could change unseen.
        counted = bool(reads.tables) and reads.tables <= before.keys()
        if reads.cacheable and counted and not writes_pending and len(body) <= MAX_BODY_BYTES:
            versions = tuple(sorted((name, before[name]) for name in reads.tables))
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
