"""Fresh boards: the database's writes reach the event store within seconds, and each board says as of when.

The server runs `BoardSync` beside the requests: every `Settings.board_sync_seconds` it runs the incremental
`sync_database` (rows above the watermarks, dimension snapshots rewritten only when they changed), so an order,
an event batch or a workflow step is on the boards a second or two after it commits.  ``wanghong analytics
sync`` stays for bulk backfill.  (Ledger postings, refunds and 客诉 need no copy: the boards read them from the
database itself, see `boards.aftersales_cards` and `boards.ledger_cards`.)

Workers (``wanghong serve --workers N``) share one store directory, so they share one lock on it: an exclusive
`flock` on ``<store>/_state/sync.lock``.  A worker whose tick finds it held skips that tick, since the holder is
copying the same rows; the CLI's sync waits for it.  Batch ids already make a sync idempotent; the lock keeps
two syncs from writing one batch at once (the store allows one writer per batch id) and an older reading of
PostgreSQL's horizon from overwriting a newer one.  The kernel drops the lock with the process, so a worker
that dies holding it blocks nobody.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from wanghong.analytics.engine.store import KINDS, EventStore
from wanghong.analytics.options import DEFAULT_CHUNK_ROWS
from wanghong.analytics.sync import SYNCED_STATE, SYNCED_TABLES, SyncResult, late_rows_settled, sync_database
from wanghong.config import Settings
from wanghong.kit.cache import data_versions
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database
from wanghong.kit.instants import parse_instant

_log = logging.getLogger(__name__)


@contextmanager
def store_lock(store: EventStore, *, wait: bool) -> Iterator[bool]:
    """Hold the store's sync lock for the block; yields False at once, holding nothing, if not `wait` and taken."""
    path = store.root / "_state" / "sync.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def sync_locked(
    db: Database,
    store: EventStore,
    *,
    wait: bool,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    quiet_versions: dict[str, int] | None = None,
) -> SyncResult | None:
    """One sync under the store's lock, in one read transaction; None when not `wait` and another holds it.

    Given the `quiet_versions` of an earlier result, a sync that finds the synced tables' counters where they
    were only moves the store's "as of" stamp: no commit has reached those tables since, so there is nothing to
    copy (a server's tick costs one small query instead of re-reading every dimension table each second)."""
    with store_lock(store, wait=wait) as held:
        if not held:
            return None
        with db.transaction() as session:
            started = utcnow()
            versions = _synced_versions(session)
            if versions is not None and versions == quiet_versions:
                store.write_state(SYNCED_STATE, {"as_of": started.isoformat()})
                return SyncResult(dimensions={}, batches=[], quiet_versions=versions)
            result = sync_database(session, store, chunk_rows=chunk_rows)
            if versions is None or not late_rows_settled(session, store):
                return result
            return replace(result, quiet_versions=versions)


def _synced_versions(session: Session) -> dict[str, int] | None:
    """The counters of every table a sync reads, read before any of them; None when one has no counter."""
    versions = data_versions(session)
    if versions is None or not SYNCED_TABLES.issubset(versions):
        return None
    return {name: versions[name] for name in sorted(SYNCED_TABLES)}


def last_updated(store: EventStore) -> datetime | None:
    """Until when the store holds the database's writes: the last sync's start, else its newest batch's commit
    (a store filled by `ingest-sim` has no sync); None for an empty store."""
    state = store.read_state(SYNCED_STATE)
    if state is not None:
        return parse_instant(str(state["as_of"]), naive_as=None)
    stamps = [manifest["committed_at"] for kind in KINDS for manifest in store.manifests(kind)]
    return parse_instant(max(stamps), naive_as=None) if stamps else None


class BoardSync:
    """A daemon thread syncing the database into the store every `interval` seconds, for as long as the app runs."""

    def __init__(self, db: Database, store: EventStore, interval: float) -> None:
        if interval <= 0:
            raise ValueError(f"the board sync interval must be positive, got {interval}")
        self.db = db
        self.store = store
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wanghong-board-sync", daemon=True)
        self._failing: str | None = None
        self._quiet_versions: dict[str, int] | None = None
        # Ticks finished (synced, skipped or failed), so that a caller can wait for the first one to begin after
        # its write instead of guessing how long to sleep.
        self.ticks = 0
        self._ticked = threading.Condition()

    def start(self) -> BoardSync:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to end and wait for the sync in progress, so shutdown leaves no half-written batch."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def tick(self) -> SyncResult | None:
        """One sync, unless another worker holds the lock; a failure is logged once, until a sync succeeds again,
        and shows on the boards as a "last updated" stamp that stops moving."""
        try:
            result = sync_locked(self.db, self.store, wait=False, quiet_versions=self._quiet_versions)
        except Exception as error:  # the server keeps serving while the store cannot be synced
            if str(error) != self._failing:
                _log.exception("board sync into %s failed; retrying every %.1f s", self.store.root, self.interval)
            self._failing = str(error)
            return None
        finally:
            with self._ticked:
                self.ticks += 1
                self._ticked.notify_all()
        if self._failing is not None:
            _log.warning("board sync into %s works again", self.store.root)
            self._failing = None
        if result is not None:
            self._quiet_versions = result.quiet_versions
        return result

    def wait_past(self, ticks: int, timeout: float | None = None) -> bool:
        """Wait until more than `ticks` ticks have finished; False if `timeout` seconds pass first.  A write
        committed when `ticks` were done is in the store once `ticks + 2` are: the tick running at the time
        may have read the database before the write, the one after it cannot have."""
        with self._ticked:
            return self._ticked.wait_for(lambda: self.ticks > ticks, timeout)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.tick()


def start_board_sync(settings: Settings, db: Database) -> BoardSync | None:
    """The server's background sync per its settings, started; None when `board_sync_seconds` turns it off."""
    if settings.board_sync_seconds <= 0:
        return None
    return BoardSync(db, EventStore(settings.event_store_dir), settings.board_sync_seconds).start()
