"""Offline tamper-evident evidence file of a ``wanghong originality dedup`` run: a hash chain stored as JSON lines.

Only for batch runs outside the platform (no database): the platform's own records — originality claims
included — are proven by the RFC 9162 transparency log in the database (``governance.transparency``).

Each entry holds its sequence number, a UTC timestamp, the content id, the fingerprint kind, the
SHA-256 of the content fingerprint, a small JSON payload (what was matched, how similar), the
SHA-256 of the previous entry and its own SHA-256 over all of that (canonical JSON). Altering,
removing or reordering any entry breaks the chain at that point (Haber & Stornetta, "How to
time-stamp a digital document", J. Cryptology 1991). Removing *trailing* entries cannot be seen
from the chain alone, so the store keeps the last (seq, hash) in a ``.head`` sidecar; for stronger
guarantees publish that head elsewhere (e.g. an RFC 3161 time-stamping authority) and pass it as
``expected_head``.

The chain logic (:func:`make_entry`, :func:`verify_chain`) is pure; :class:`EvidenceLog` is the
file-backed store (append + fsync, an exclusive ``flock`` against concurrent writers).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wanghong.originality.engine.attribution import Fingerprint
from wanghong.originality.engine.errors import EvidenceChainError

GENESIS_HASH = "0" * 64
_FIELDS = ("seq", "timestamp", "content_id", "fingerprint_kind", "fingerprint_sha256", "payload", "prev_hash")


@dataclass(frozen=True, slots=True)
class EvidenceEntry:
    seq: int
    timestamp: str
    content_id: str
    fingerprint_kind: str
    fingerprint_sha256: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class ChainReport:
    """``ok`` or the first bad entry: its 0-based position (line number − 1) and why."""

    ok: bool
    checked: int
    head_seq: int | None = None
    head_hash: str | None = None
    bad_position: int | None = None
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def entry_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of an entry's fields, ``hash`` itself excluded."""
    body = {name: fields[name] for name in _FIELDS}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def make_entry(
    previous: EvidenceEntry | None,
    content_id: str,
    fingerprint: Fingerprint,
    payload: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> EvidenceEntry:
    """The entry that follows ``previous`` (None for the first entry of a log)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    fields: dict[str, Any] = {
        "seq": 0 if previous is None else previous.seq + 1,
        "timestamp": moment.isoformat(timespec="microseconds"),
        "content_id": content_id,
        "fingerprint_kind": fingerprint.kind,
        "fingerprint_sha256": fingerprint.sha256(),
        "payload": dict(payload or {}),
        "prev_hash": GENESIS_HASH if previous is None else previous.hash,
    }
    # Round-trip the payload through JSON now, so the hash covers exactly what will be stored.
    fields["payload"] = json.loads(json.dumps(fields["payload"], ensure_ascii=False))
    return EvidenceEntry(**fields, hash=entry_hash(fields))


def verify_chain(
    entries: Iterable[Mapping[str, Any] | EvidenceEntry | None],
    expected_head: tuple[int, str] | None = None,
) -> ChainReport:
    """Check every link; report the first entry that was altered, removed, inserted or reordered.

    ``None`` items stand for unreadable records (e.g. a line that is not JSON). ``expected_head``
    (seq, hash) catches removal of trailing entries.
    """
    previous_hash = GENESIS_HASH
    last: tuple[int, str] | None = None
    position = -1
    for position, raw in enumerate(entries):
        record = asdict(raw) if isinstance(raw, EvidenceEntry) else raw
        if record is None or any(name not in record for name in (*_FIELDS, "hash")):
            return ChainReport(
                False, position, *_split(last), position, "记录无法解析或缺少字段 / unreadable or incomplete entry"
            )
        expected_seq = position  # seq numbers start at 0 and have no gaps
        if not isinstance(record["seq"], int) or record["seq"] != expected_seq:
            reason = (
                f"序号应为 {expected_seq}，实为 {record['seq']}：前面的条目被删除、插入或调换 / "
                f"sequence number {record['seq']} where {expected_seq} was due: an entry was removed, "
                "inserted or reordered"
            )
            return ChainReport(False, position, *_split(last), position, reason)
        if record["prev_hash"] != previous_hash:
            reason = (
                "前一条目的哈希不符：前面的条目被改动或删除 / "
                "previous-hash link broken: an earlier entry was altered or removed"
            )
            return ChainReport(False, position, *_split(last), position, reason)
        if entry_hash(record) != record["hash"]:
            reason = (
                "条目内容与其哈希不符：该条目被改动 / entry content does not match its hash: this entry was altered"
            )
            return ChainReport(False, position, *_split(last), position, reason)
        previous_hash = record["hash"]
        last = (record["seq"], record["hash"])
    checked = position + 1
    if expected_head is not None and last != tuple(expected_head):
        reason = (
            f"日志末尾与记录的头部不符（头部 seq={expected_head[0]}，"
            f"日志末尾 seq={None if last is None else last[0]}）：末尾条目被删除或改动 / "
            "the log does not end at the recorded head: trailing entries were removed or altered"
        )
        return ChainReport(False, checked, *_split(last), checked, reason, {"expected_head": list(expected_head)})
    return ChainReport(True, checked, *_split(last))


def _split(last: tuple[int, str] | None) -> tuple[int | None, str | None]:
    return (None, None) if last is None else last


class EvidenceLog:
    """Append-only JSONL file of :class:`EvidenceEntry`, with a ``<path>.head`` sidecar."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.head_path = self.path.with_name(self.path.name + ".head")

    def read_head(self) -> tuple[int, str] | None:
        if not self.head_path.exists():
            return None
        data = json.loads(self.head_path.read_text("utf-8"))
        return int(data["seq"]), str(data["hash"])

    def records(self) -> Iterator[dict[str, Any] | None]:
        """Stored records in file order; None for a line that is not a JSON object."""
        if not self.path.exists():
            return
        with self.path.open("r", encoding="utf-8") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    yield None
                    continue
                yield record if isinstance(record, dict) else None

    def verify(self, expected_head: tuple[int, str] | None = None) -> ChainReport:
        return verify_chain(self.records(), expected_head or self.read_head())

    def _last_entry(self) -> EvidenceEntry | None:
        last = None
        for record in self.records():
            last = record
        if last is None:
            return None
        return EvidenceEntry(**{name: last[name] for name in (*_FIELDS, "hash")})

    def append(
        self,
        content_id: str,
        fingerprint: Fingerprint,
        payload: Mapping[str, Any] | None = None,
        now: datetime | None = None,
    ) -> EvidenceEntry:
        """Append one entry (fsync'd) after checking the existing chain is intact."""
        return self.append_many([(content_id, fingerprint, payload)], now)[0]

    def append_many(
        self,
        items: Iterable[tuple[str, Fingerprint, Mapping[str, Any] | None]],
        now: datetime | None = None,
    ) -> list[EvidenceEntry]:
        """Append entries in order under one lock, one chain check and one fsync."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        written: list[EvidenceEntry] = []
        with self.path.open("a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                report = self.verify()
                if not report.ok:
                    raise EvidenceChainError(
                        f"证据日志已损坏，拒绝追加 / evidence log {self.path} is broken at line "
                        f"{(report.bad_position or 0) + 1}: {report.reason}"
                    )
                previous = self._last_entry()
                for content_id, fingerprint, payload in items:
                    previous = make_entry(previous, content_id, fingerprint, payload, now)
                    handle.write(previous.to_json() + "\n")
                    written.append(previous)
                handle.flush()
                os.fsync(handle.fileno())
                if written:
                    self._write_head(written[-1])
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return written

    def _write_head(self, entry: EvidenceEntry) -> None:
        temporary = self.head_path.with_name(self.head_path.name + ".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(json.dumps({"seq": entry.seq, "hash": entry.hash}) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.head_path)
