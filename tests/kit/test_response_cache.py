"""kit.cache: an answer is reused only while every table it read is at the version it was read at."""

from __future__ import annotations

import asyncio
import threading
import uuid

from sqlalchemy import event, select, text

from wanghong.kit.audit import AuditEntry
from wanghong.kit.cache import DataVersion, ResponseCache, adopt_versions, data_versions, json_bytes, tables_read
from wanghong.kit.db.session import Database
from wanghong.kit.idempotency import IdempotencyKey


def _entries(session, tag: str) -> bytes:  # type: ignore[no-untyped-def]
    rows = session.scalars(select(AuditEntry.entity_id).where(AuditEntry.entity == tag).order_by(AuditEntry.id))
    return json_bytes(list(rows))


def _add(db: Database, tag: str, n: int) -> None:
    with db.transaction() as s:
        s.add(AuditEntry(action="probe", entity=tag, entity_id=str(n)))


def test_tables_read_include_subqueries_and_refuse_plain_text() -> None:
    inner = select(AuditEntry.id).where(AuditEntry.entity == "x").scalar_subquery()
    assert tables_read(select(AuditEntry).where(AuditEntry.id == inner)) == {"audit_log"}
    assert tables_read(select(text("1"))) is None


def test_a_write_between_the_data_and_the_store_is_read_next(db: Database) -> None:
    tag, responses = f"cache-{uuid.uuid4().hex[:8]}", ResponseCache()
    _add(db, tag, 1)

    def answer_in_a_request(during: object = None) -> bytes:
        with db.sessions() as session, session.begin():

            def render() -> bytes:
                body = _entries(session, tag)
                if callable(during):
                    during()  # another worker commits after this answer's data was read, before it is stored
                return body

            return responses.answer(session, "key", render)[0]

    assert answer_in_a_request(lambda: _add(db, tag, 2)) == b'["1"]'
    # Stored under the versions read before its data, the old answer is not reused now that a newer one exists.
    assert answer_in_a_request() == b'["1","2"]'
    hits = responses.hits
    assert answer_in_a_request() == b'["1","2"]'
    assert responses.hits == hits + 1


def test_nothing_is_stored_from_a_transaction_that_wrote_or_from_plain_sql(db: Database) -> None:
    tag, responses = f"cache-{uuid.uuid4().hex[:8]}", ResponseCache()
    with db.sessions() as session, session.begin():
        session.add(AuditEntry(action="probe", entity=tag, entity_id="own"))
        session.flush()
        # Its own uncommitted row (and version): stored, it would outlive a rollback.
        assert responses.answer(session, "own", lambda: _entries(session, tag))[0] == b'["own"]'
        session.rollback()
    with db.sessions() as session, session.begin():
        raw = lambda: json_bytes(session.execute(text("SELECT 1")).scalar())  # noqa: E731
        assert responses.answer(session, "raw", raw)[0] == b"1"
    assert len(responses) == 0


def test_least_recently_used_answers_leave_first(db: Database) -> None:
    responses = ResponseCache(max_entries=2)
    with db.sessions() as session, session.begin():
        for key in ("a", "b", "a", "c"):
            responses.answer(session, key, lambda: _entries(session, "nobody"))
    assert len(responses) == 2 and responses.hits == 1


def test_the_byte_budget_bounds_what_is_kept(db: Database) -> None:
    responses = ResponseCache(max_bytes=10)
    with db.sessions() as session, session.begin():
        responses.answer(session, "small", lambda: _entries(session, "nobody") + b" " * 5)  # 7 bytes
        responses.answer(session, "other", lambda: _entries(session, "nobody2") + b" " * 5)  # 7 more: over 10
    assert len(responses) == 1


def _version(db: Database, table: str) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(DataVersion.version).where(DataVersion.table_name == table)) or 0)


def test_writers_of_two_tables_in_opposite_orders_both_commit(db: Database) -> None:
    """The counters are taken only at commit, in name order: two transactions that write the same two tables in
    opposite orders neither wait on each other while they work nor deadlock (a 500) when they commit."""
    tag = f"order-{uuid.uuid4().hex[:8]}"
    before = {table: _version(db, table) for table in ("audit_log", "idempotency_keys")}
    first, second = db.sessions(), db.sessions()
    try:
        if db.engine.dialect.name == "sqlite":
            # One writer at a time on SQLite (its own lock): the two run one after the other.
            _audit_then_key(first, tag, "1")
            first.commit()
            _key_then_audit(second, tag, "2")
            second.commit()
        else:
            # A wait would be on this one test thread, forever: a lock timeout turns it into a failure.
            first.execute(text("SET LOCAL lock_timeout = '5s'"))
            first.add(AuditEntry(action="probe", entity=tag, entity_id="1"))
            first.flush()
            second.add(_key(tag, "2"))
            second.flush()
            first.add(_key(tag, "1"))
            first.flush()  # would wait on `second` here if the counters were taken as each table is written
            second.add(AuditEntry(action="probe", entity=tag, entity_id="2"))
            second.flush()
            first.commit()
            second.commit()
    finally:
        first.close()
        second.close()
    assert {table: _version(db, table) - before[table] for table in before} == ({"audit_log": 2, "idempotency_keys": 2})


def _key(tag: str, n: str) -> IdempotencyKey:
    return IdempotencyKey(actor=tag, scope="test", key=f"{tag}-{n}", request_sha256="0" * 64)


def _audit_then_key(session, tag: str, n: str) -> None:  # type: ignore[no-untyped-def]
    session.add(AuditEntry(action="probe", entity=tag, entity_id=n))
    session.flush()
    session.add(_key(tag, n))
    session.flush()


def _key_then_audit(session, tag: str, n: str) -> None:  # type: ignore[no-untyped-def]
    session.add(_key(tag, n))
    session.flush()
    session.add(AuditEntry(action="probe", entity=tag, entity_id=n))
    session.flush()


def test_an_answer_over_two_tables_is_kept_at_once_and_moved_by_either(db: Database) -> None:
    responses, tag = ResponseCache(), f"family-{uuid.uuid4().hex[:8]}"

    def both(session) -> bytes:  # type: ignore[no-untyped-def]
        keys = session.scalars(select(IdempotencyKey.key).where(IdempotencyKey.actor == tag))
        return _entries(session, tag) + json_bytes(list(keys))

    with db.sessions() as session, session.begin():
        responses.answer(session, "one", lambda: _entries(session, tag))
        # Every counter was read before either answer, idempotency_keys' too: the second is kept at its first render.
        responses.answer(session, "two", lambda: both(session))
        assert len(responses) == 2
    _add(db, tag, 1)
    with db.sessions() as session, session.begin():
        assert responses.answer(session, "two", lambda: both(session))[0] == b'["1"][]'
    with db.transaction() as s:
        s.add(_key(tag, "new"))
    with db.sessions() as session, session.begin():
        assert responses.answer(session, "two", lambda: both(session))[0] == (f'["1"]["{tag}-new"]'.encode())


def test_adopted_counters_answer_a_stored_page_on_the_loop_with_no_query(db: Database) -> None:
    """The sign-in check's counters, read on another connection first, are the page's: a stored answer costs no
    statement of the request's own, and a write makes the next request render again (in the threadpool)."""
    responses, tag = ResponseCache(), f"adopt-{uuid.uuid4().hex[:8]}"
    _add(db, tag, 1)
    statements: list[str] = []

    def counted(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    def request(expected: bytes, *, queries: int | None) -> None:
        with db.sessions() as apart, apart.begin():
            versions = data_versions(apart)
        assert versions is not None
        with db.sessions() as session, session.begin():
            adopt_versions(session, versions)
            statements.clear()
            event.listen(db.engine, "before_cursor_execute", counted)
            try:
                body, _ = asyncio.run(responses.answer_async(session, "page", lambda: _entries(session, tag)))
            finally:
                event.remove(db.engine, "before_cursor_execute", counted)
            assert body == expected
            if queries is not None:
                assert len(statements) == queries

    request(b'["1"]', queries=None)  # a miss: rendered, and kept
    request(b'["1"]', queries=0)
    _add(db, tag, 2)
    request(b'["1","2"]', queries=None)
    assert (responses.hits, responses.misses) == (1, 2)


def test_a_lapsed_answer_is_rendered_once_while_the_others_keep_it(db: Database) -> None:
    """max_age lapsed, tables unchanged: the first request renders anew, a request arriving meanwhile gets the
    answer it replaces instead of rendering too; once stored, the new one answers."""
    tag, responses = f"cache-{uuid.uuid4().hex[:8]}", ResponseCache()
    _add(db, tag, 1)
    renders: list[str] = []
    rendering, release = threading.Event(), threading.Event()

    def answer(version: str, *, block: bool = False) -> bytes:
        with db.sessions() as session, session.begin():

            def render() -> bytes:
                renders.append(version)
                if block:
                    rendering.set()
                    release.wait(timeout=10)
                return _entries(session, tag) + version.encode()

            return responses.answer(session, "lapsing", render, max_age=0.0)[0]

    assert answer("first") == b'["1"]first'
    renewer = threading.Thread(target=answer, args=("second",), kwargs={"block": True})
    renewer.start()
    assert rendering.wait(timeout=10)
    assert answer("third") == b'["1"]first'  # served the lapsed answer; did not render
    release.set()
    renewer.join(timeout=10)
    assert renders == ["first", "second"]
    assert answer("fourth") == b'["1"]fourth'  # no renewal in flight: a lapsed answer renders again


def test_a_lapsed_answer_whose_data_moved_is_never_served_stale(db: Database) -> None:
    tag, responses = f"cache-{uuid.uuid4().hex[:8]}", ResponseCache()
    _add(db, tag, 1)
    rendering, release = threading.Event(), threading.Event()

    def answer(*, block: bool = False) -> bytes:
        with db.sessions() as session, session.begin():

            def render() -> bytes:
                if block:
                    rendering.set()
                    release.wait(timeout=10)
                return _entries(session, tag)

            return responses.answer(session, "moving", render, max_age=0.0)[0]

    assert answer() == b'["1"]'
    renewer = threading.Thread(target=answer, kwargs={"block": True})
    renewer.start()
    assert rendering.wait(timeout=10)
    _add(db, tag, 2)  # a write lands while the renewal renders
    assert answer() == b'["1","2"]'
    release.set()
    renewer.join(timeout=10)


def _counters(db: Database) -> dict[str, int]:
    """Every counter as the table holds it, read without kit.cache's reuse."""
    with db.sessions() as session, session.begin():
        rows = session.execute(select(DataVersion.table_name, DataVersion.version)).all()
    return {name: int(version) for name, version in rows}


def _fresh_snapshot(db: Database) -> dict[str, int]:
    with db.sessions() as session, session.begin():
        versions = data_versions(session)
    assert versions is not None
    return versions


def test_counters_reused_by_their_digest_follow_every_commit_and_no_rollback(db: Database) -> None:
    """The counters are re-read in full only when their count or sum moved. A transaction that wrote (on SQLite its
    uncommitted rows move its counters) and rolled back leaves nothing behind: a later commit to another table
    reaches the same count and sum with other counters, and must be read anew."""
    tag = f"cache-{uuid.uuid4().hex[:8]}"
    assert _fresh_snapshot(db) == _counters(db)
    assert _fresh_snapshot(db) is _fresh_snapshot(db)  # nothing moved: the one dict, reused
    with db.sessions() as session, session.begin():
        session.add(AuditEntry(action="probe", entity=tag, entity_id="rolled back"))
        session.flush()
        assert data_versions(session) is not None
        session.rollback()
    with db.transaction() as s:
        s.add(_key(tag, "after the rollback"))
    assert _fresh_snapshot(db) == _counters(db)
    _add(db, tag, 1)
    assert _fresh_snapshot(db) == _counters(db)
