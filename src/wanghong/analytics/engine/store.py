"""Append-only event store: behaviour events, livestream sessions and minute stats, and orders as Parquet.

Layout under the store root (``Settings.event_store_dir``, ``var/events/`` unless configured)::

    <root>/<kind>/day=YYYY-MM-DD/part-<batch-id>.parquet   event rows, one file per batch and China-time day
    <root>/_manifest/<kind>/<batch-id>.json                the commit record of one batch
    <root>/dim/<table>.parquet                             dimension snapshots (creators, products, …)
    <root>/_state/<name>.json                              a writer's bookkeeping (the database sync's horizon)

Ingestion is idempotent and crash-safe:

* A batch's files are named after its batch id, so a retry of the same batch overwrites, never duplicates.
* Each file is written to a hidden temporary file in the same directory, fsync'ed, then atomically renamed
  (POSIX ``rename`` within one file system), and the directory is fsync'ed so the rename survives power loss.
* The manifest file is written (the same way) only after every day file of the batch is in place; readers
  read only the files named by manifests, so a crash mid-batch leaves nothing visible, and the re-ingested batch
  replaces the orphans. ``vacuum()`` deletes what a crash left behind.
* A batch whose manifest exists is skipped: re-ingesting it writes nothing.

Days are calendar days in China Standard Time (UTC+8), the business day of Chinese platforms; timestamps are
stored in UTC.  One writer per batch id at a time is assumed (batches of different ids may be written in
parallel).
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

CHINA_UTC_OFFSET_S = 8 * 3600
TIMESTAMP = pa.timestamp("us", tz="UTC")
# Snappy, the default of Spark, DuckDB and pyarrow alike: every job reads the event files again, and Snappy
# decodes faster than zstd.  Measured on the analytics bench (100M events): the daily job 7% faster for files
# 40% larger (2.0 instead of 1.4 GB).
PARQUET_COMPRESSION = "snappy"


class EventStoreError(ValueError):
    """Bad input to the event store; the message says what to fix."""


class UnknownKind(EventStoreError):
    pass


class BadBatch(EventStoreError):
    pass


@dataclass(frozen=True)
class EventKind:
    """One event table: its Arrow schema, the column that decides its day, and its row key."""

    name: str
    schema: pa.Schema
    time_column: str
    key: tuple[str, ...]


def _schema(*columns: tuple[str, pa.DataType, bool]) -> pa.Schema:
    return pa.schema([pa.field(name, dtype, nullable=nullable) for name, dtype, nullable in columns])


# Money is integer cents everywhere: sums stay exact, so every engine returns the same numbers.
KINDS: dict[str, EventKind] = {
    kind.name: kind
    for kind in (
        EventKind(
            "behaviour",
            _schema(
                ("event_id", pa.int64(), False),
                ("viewer_id", pa.int64(), False),
                ("creator_id", pa.int64(), False),
                ("video_id", pa.int64(), True),
                ("livestream_id", pa.int64(), True),
                ("action", pa.string(), False),  # a wanghong.domain.ViewerAction value
                ("value_cents", pa.int64(), False),  # the tip for TIP events, 0 otherwise
                ("at", TIMESTAMP, False),
            ),
            "at",
            ("event_id",),
        ),
        EventKind(
            "sessions",
            _schema(
                ("livestream_id", pa.int64(), False),
                ("creator_id", pa.int64(), False),
                ("collaboration_id", pa.int64(), True),  # the commerce deal the session sells, if any
                ("started_at", TIMESTAMP, False),
                ("ended_at", TIMESTAMP, False),
                ("unique_viewers", pa.int64(), False),  # 观看人数, as the platform reports it
                ("views", pa.int64(), False),  # 观看人次: entries, re-entries included
            ),
            "started_at",
            ("livestream_id",),
        ),
        EventKind(
            "minute_stats",
            _schema(
                ("livestream_id", pa.int64(), False),
                ("minute_at", TIMESTAMP, False),
                ("viewers", pa.int64(), False),  # online at the bucket start
                ("orders", pa.int64(), False),
                ("gmv_cents", pa.int64(), False),
                ("tip_cents", pa.int64(), False),
                ("comments", pa.int64(), False),
            ),
            "minute_at",
            ("livestream_id", "minute_at"),
        ),
        EventKind(
            "orders",
            _schema(
                ("order_id", pa.int64(), False),
                ("viewer_id", pa.int64(), True),
                ("creator_id", pa.int64(), True),
                ("product_id", pa.int64(), False),
                ("collaboration_id", pa.int64(), True),
                ("livestream_id", pa.int64(), True),
                ("video_id", pa.int64(), True),
                ("quantity", pa.int64(), False),
                ("amount_cents", pa.int64(), False),
                ("ordered_at", TIMESTAMP, False),
            ),
            "ordered_at",
            ("order_id",),
        ),
    )
}

# Dimension snapshots the jobs join to; replaced whole, since they are small and change in place in the OLTP db.
DIMENSIONS: dict[str, pa.Schema] = {
    "creators": _schema(
        ("creator_id", pa.int64(), False),
        ("handle", pa.string(), False),
        ("display_name", pa.string(), False),
        ("followers", pa.int64(), False),
        ("follower_tier", pa.string(), False),  # a wanghong.domain.FollowerTier value
        ("mcn_id", pa.int64(), True),
    ),
    "mcns": _schema(("mcn_id", pa.int64(), False), ("name", pa.string(), False)),
    "brands": _schema(("brand_id", pa.int64(), False), ("name", pa.string(), False)),
    "products": _schema(
        ("product_id", pa.int64(), False),
        ("brand_id", pa.int64(), False),
        ("name", pa.string(), False),
        ("category", pa.string(), False),
        ("price_cents", pa.int64(), False),
    ),
    "campaigns": _schema(
        ("campaign_id", pa.int64(), False),
        ("brand_id", pa.int64(), False),
        ("name", pa.string(), False),
        ("budget_cents", pa.int64(), False),
    ),
    "collaborations": _schema(
        ("collaboration_id", pa.int64(), False),
        ("campaign_id", pa.int64(), False),
        ("creator_id", pa.int64(), False),
        ("product_id", pa.int64(), True),
        ("fee_cents", pa.int64(), False),
        ("commission_bp", pa.int64(), False),  # creator's commission in basis points of GMV
        ("live_at", TIMESTAMP, True),  # when the content went live; null if it never did
    ),
}

_BATCH_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


@dataclass(frozen=True)
class IngestResult:
    kind: str
    batch_id: str
    rows: int
    files: int
    skipped: bool  # True when the batch had been committed before and nothing was written


def china_day(timestamps: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """The China Standard Time calendar day of each UTC timestamp, as numpy datetime64[D]."""
    micros = pc.cast(timestamps, pa.int64()).to_numpy(zero_copy_only=False)
    return ((micros // 1_000_000 + CHINA_UTC_OFFSET_S) // 86_400).astype("datetime64[D]")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_write(path: Path, write: Any) -> None:
    """Write via `write(tmp_path)` to a hidden temp file beside `path`, fsync it, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _write_parquet(table: pa.Table, path: Path) -> None:
    _atomic_write(path, lambda tmp: pq.write_table(table, tmp, compression=PARQUET_COMPRESSION, row_group_size=1 << 20))


def _conform(table: pa.Table | Mapping[str, Any], schema: pa.Schema, what: str) -> pa.Table:
    """The rows as exactly `schema` (column order and types), or a BadBatch naming what is wrong."""
    if not isinstance(table, pa.Table):
        try:
            table = pa.table(dict(table))
        except (TypeError, ValueError, pa.ArrowException) as exc:
            raise BadBatch(f"{what}: cannot read the rows as columns ({exc})") from exc
    missing = [name for name in schema.names if name not in table.column_names]
    if missing:
        raise BadBatch(f"{what}: missing columns {missing}; expected {schema.names}")
    try:
        conformed = table.select(schema.names).cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError) as exc:
        raise BadBatch(f"{what}: a column has the wrong type or nulls where none are allowed ({exc})") from exc
    for field in schema:
        if not field.nullable and conformed.column(field.name).null_count:
            raise BadBatch(f"{what}: column '{field.name}' must not contain nulls")
    return conformed


class EventStore:
    """The Parquet event store under one root directory."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        # Parsed manifests by kind and file name: a committed manifest is never rewritten, so each is read once
        # and a reader polled every second (the boards' background sync) only lists the folder.
        self._manifest_cache: dict[str, dict[str, dict[str, Any]]] = {}

    # ------------------------------------------------------------------------------------------ paths

    def _kind(self, kind: str) -> EventKind:
        try:
            return KINDS[kind]
        except KeyError:
            raise UnknownKind(f"unknown event kind '{kind}'; use one of {sorted(KINDS)}") from None

    def kind_dir(self, kind: str) -> Path:
        return self.root / self._kind(kind).name

    def _manifest_path(self, kind: str, batch_id: str) -> Path:
        return self.root / "_manifest" / kind / f"{batch_id}.json"

    def dimension_path(self, name: str) -> Path:
        if name not in DIMENSIONS:
            raise UnknownKind(f"unknown dimension '{name}'; use one of {sorted(DIMENSIONS)}")
        return self.root / "dim" / f"{name}.parquet"

    # ------------------------------------------------------------------------------------------ writes

    def is_committed(self, kind: str, batch_id: str) -> bool:
        self._kind(kind)
        return self._manifest_path(kind, batch_id).exists()

    def ingest(self, kind: str, batch_id: str, rows: pa.Table | Mapping[str, Any]) -> IngestResult:
        """Store one batch of `kind` rows under `batch_id`; a batch already committed is skipped.

        Raises BadBatch if the rows do not fit the kind's schema or repeat a row key within the batch.
        """
        spec = self._kind(kind)
        if not _BATCH_ID.fullmatch(batch_id):
            raise BadBatch(
                f"batch id {batch_id!r} must be 1–128 characters of letters, digits, '.', '_' or '-', "
                "starting with a letter or digit"
            )
        if self.is_committed(kind, batch_id):
            return IngestResult(kind, batch_id, rows=0, files=0, skipped=True)
        table = _conform(rows, spec.schema, f"{kind} batch {batch_id}")
        self._check_unique_keys(table, spec, batch_id)

        days = china_day(table.column(spec.time_column))
        written: list[dict[str, Any]] = []
        if table.num_rows:
            order = np.argsort(days, kind="stable")
            sorted_days = days[order]
            boundaries = np.flatnonzero(sorted_days[1:] != sorted_days[:-1]) + 1
            starts = np.concatenate(([0], boundaries))
            ends = np.concatenate((boundaries, [len(sorted_days)]))
            for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
                day = str(sorted_days[start])
                part = table.take(pa.array(order[start:end]))
                relative = f"{kind}/day={day}/part-{batch_id}.parquet"
                _write_parquet(part, self.root / relative)
                written.append({"day": day, "path": relative, "rows": part.num_rows})
        manifest = {
            "kind": kind,
            "batch_id": batch_id,
            "rows": table.num_rows,
            "files": written,
            "committed_at": datetime.now(UTC).isoformat(),
        }
        # The commit point: only now do readers see the batch.
        body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        _atomic_write(self._manifest_path(kind, batch_id), lambda tmp: tmp.write_bytes(body))
        return IngestResult(kind, batch_id, rows=table.num_rows, files=len(written), skipped=False)

    @staticmethod
    def _check_unique_keys(table: pa.Table, spec: EventKind, batch_id: str) -> None:
        if not table.num_rows:
            return
        distinct = table.group_by(list(spec.key)).aggregate([]).num_rows
        if distinct != table.num_rows:
            raise BadBatch(
                f"{spec.name} batch {batch_id}: {table.num_rows - distinct} rows repeat a key {list(spec.key)}; "
                "each event must appear once per batch"
            )

    def write_dimension(self, name: str, rows: pa.Table | Mapping[str, Any]) -> int:
        """Replace the snapshot of one dimension table atomically; returns its row count.

        A snapshot equal to the stored one is not rewritten: readers cache job tables until a dimension file
        changes, and a sync that runs every second must not throw those caches away when nothing changed."""
        path = self.dimension_path(name)
        table = _conform(rows, DIMENSIONS[name], f"dimension {name}")
        if not (path.exists() and pq.read_table(path, schema=DIMENSIONS[name]).equals(table)):
            _write_parquet(table, path)
        return table.num_rows

    # ------------------------------------------------------------------------------------------ reads

    def manifests(self, kind: str) -> list[dict[str, Any]]:
        directory = self.root / "_manifest" / self._kind(kind).name
        if not directory.is_dir():
            return []
        cached = self._manifest_cache.setdefault(kind, {})
        names = sorted(entry.name for entry in os.scandir(directory) if entry.name.endswith(".json"))
        found: dict[str, dict[str, Any]] = {}
        for name in names:
            manifest = cached.get(name)
            found[name] = manifest if manifest is not None else json.loads((directory / name).read_text())
        # Rebuilt, not updated, so a manifest that left the folder leaves the cache too.
        self._manifest_cache[kind] = found
        return list(found.values())

    def committed_files(self, kind: str, since: date | None = None, until: date | None = None) -> list[Path]:
        """Files of committed batches whose day lies in [since, until] (either bound may be open)."""
        files: list[Path] = []
        for manifest in self.manifests(kind):
            for entry in manifest["files"]:
                day = date.fromisoformat(entry["day"])
                if (since is None or day >= since) and (until is None or day <= until):
                    files.append(self.root / entry["path"])
        return sorted(files)

    def committed_batches(self, kind: str) -> list[str]:
        return [m["batch_id"] for m in self.manifests(kind)]

    def days(self, kind: str) -> list[date]:
        return sorted({date.fromisoformat(e["day"]) for m in self.manifests(kind) for e in m["files"]})

    def read(self, kind: str, since: date | None = None, until: date | None = None) -> pa.Table:
        """Committed rows of one kind as one Arrow table with its `day` column (small data, tests, exports)."""
        spec = self._kind(kind)
        tables = []
        for path in self.committed_files(kind, since, until):
            part = pq.read_table(path, schema=spec.schema)
            day = date.fromisoformat(path.parent.name.removeprefix("day="))
            tables.append(part.append_column("day", pa.array([day] * part.num_rows, pa.date32())))
        if not tables:
            return spec.schema.append(pa.field("day", pa.date32())).empty_table()
        return pa.concat_tables(tables)

    def keys(self, kind: str, days: Iterable[date]) -> set[tuple[int, ...]]:
        """The row keys committed on the given days, timestamps as integer microseconds (one column read)."""
        spec = self._kind(kind)
        wanted = set(days)
        found: set[tuple[int, ...]] = set()
        for path in self.committed_files(kind, min(wanted, default=None), max(wanted, default=None)):
            if wanted and date.fromisoformat(path.parent.name.removeprefix("day=")) not in wanted:
                continue
            part = pq.read_table(path, columns=list(spec.key), schema=spec.schema)
            columns = [pc.cast(part.column(name), pa.int64()).to_pylist() for name in spec.key]
            found.update(zip(*columns, strict=True))
        return found

    def _state_path(self, name: str) -> Path:
        if not _BATCH_ID.fullmatch(name):
            raise EventStoreError(f"state name {name!r} must look like a batch id")
        return self.root / "_state" / f"{name}.json"

    def read_state(self, name: str) -> dict[str, Any] | None:
        """A writer's bookkeeping saved by `write_state`, or None if there is none."""
        path = self._state_path(name)
        return json.loads(path.read_text()) if path.exists() else None

    def write_state(self, name: str, state: Mapping[str, Any]) -> None:
        """Replace a writer's bookkeeping atomically; readers of event rows never look at it."""
        body = json.dumps(dict(state), indent=1).encode()
        _atomic_write(self._state_path(name), lambda tmp: tmp.write_bytes(body))

    def read_dimension(self, name: str) -> pa.Table:
        path = self.dimension_path(name)
        if not path.exists():
            return DIMENSIONS[name].empty_table()
        return pq.read_table(path, schema=DIMENSIONS[name])

    # ------------------------------------------------------------------------------------------ upkeep

    def vacuum(self) -> list[Path]:
        """Delete temp files and part files no manifest names (what a crash mid-batch leaves); returns them."""
        removed: list[Path] = []
        if not self.root.is_dir():
            return removed
        for tmp in self.root.rglob(".*.tmp"):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
        for kind in KINDS:
            named = set(self.committed_files(kind))
            directory = self.root / kind
            if directory.is_dir():
                for part in directory.glob("day=*/part-*.parquet"):
                    if part not in named:
                        part.unlink()
                        removed.append(part)
        return removed


def to_timestamps(epoch_seconds: Iterable[int] | np.ndarray) -> pa.Array:
    """UTC timestamps from integer epoch seconds."""
    seconds = np.asarray(epoch_seconds, dtype=np.int64)
    return pa.array(seconds * 1_000_000, type=pa.int64()).cast(TIMESTAMP)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants at which a China-time day starts and ends."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(seconds=CHINA_UTC_OFFSET_S)
    return start, start + timedelta(days=1)
