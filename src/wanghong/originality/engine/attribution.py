"""Attribution: who published first among copies of the same work.

Detectors of any medium (text MinHash today, video perceptual hashes later) report *confirmed
pairs* of content ids; :class:`AttributionGraph` joins them with union-find (Tarjan, "Efficiency of a
good but not linear set union algorithm", JACM 1975: union by size, path halving) into clusters,
and names as original the member published earliest, ties broken by the smaller id so the answer
never depends on arrival order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from wanghong.originality.engine.errors import OriginalityInputError


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A medium-independent content fingerprint: ``kind`` names the algorithm and version
    (``"text-minhash-v1"``, later e.g. ``"video-phash-v1"``), ``value`` holds its bytes."""

    kind: str
    value: bytes

    @property
    def hex(self) -> str:
        return self.value.hex()

    def sha256(self) -> str:
        """SHA-256 over kind and value, so equal bytes of different algorithms never coincide."""
        return hashlib.sha256(self.kind.encode("utf-8") + b"\x00" + self.value).hexdigest()


@dataclass(frozen=True, slots=True)
class ConfirmedPair:
    """Two content ids a detector has verified as near-duplicates, with its similarity score."""

    a: str
    b: str
    similarity: float
    method: str


@dataclass(frozen=True, slots=True)
class Cluster:
    """A group of two or more copies: ``copies`` sorted by (published_at, id)."""

    original: str
    copies: tuple[str, ...]


class AttributionGraph:
    """Union-find over content ids, tracking each cluster's earliest publication."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {}
        self._ids: list[str] = []
        self._published: list[datetime] = []
        self._parent: list[int] = []
        self._size: list[int] = []
        self._earliest: list[int] = []  # valid at roots: member with the smallest (time, id)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, content_id: object) -> bool:
        return content_id in self._index

    def add(self, content_id: str, published_at: datetime) -> None:
        """Register content; each id may be added once (re-adding would silently move attribution)."""
        if content_id in self._index:
            raise OriginalityInputError(f"内容 id 重复 / duplicate content id {content_id!r}")
        if published_at.tzinfo is None:
            raise OriginalityInputError(
                f"发布时间缺少时区 / published_at of {content_id!r} needs a UTC offset, e.g. +08:00"
            )
        number = len(self._ids)
        self._index[content_id] = number
        self._ids.append(content_id)
        self._published.append(published_at)
        self._parent.append(number)
        self._size.append(1)
        self._earliest.append(number)

    def _find(self, number: int) -> int:
        parent = self._parent
        while parent[number] != number:
            parent[number] = parent[parent[number]]
            number = parent[number]
        return number

    def _key(self, number: int) -> tuple[datetime, str]:
        return self._published[number], self._ids[number]

    def link(self, a: str, b: str) -> None:
        """Record that ``a`` and ``b`` are copies of one work."""
        try:
            ra, rb = self._find(self._index[a]), self._find(self._index[b])
        except KeyError as missing:
            raise OriginalityInputError(f"未登记的内容 / unknown content id {missing.args[0]!r}") from None
        if ra == rb:
            return
        if self._size[ra] < self._size[rb]:
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._size[ra] += self._size[rb]
        if self._key(self._earliest[rb]) < self._key(self._earliest[ra]):
            self._earliest[ra] = self._earliest[rb]

    def link_all(self, pairs: Iterable[ConfirmedPair]) -> None:
        for pair in pairs:
            self.link(pair.a, pair.b)

    def original_of(self, content_id: str) -> str:
        """The earliest-published member of ``content_id``'s cluster (itself when alone)."""
        return self._ids[self._earliest[self._find(self._index[content_id])]]

    def clusters(self, min_size: int = 2) -> Iterator[Cluster]:
        """Clusters with at least ``min_size`` members, ordered by their original's (time, id)."""
        members: dict[int, list[int]] = {}
        for number in range(len(self._ids)):
            root = self._find(number)
            if self._size[root] >= min_size:
                members.setdefault(root, []).append(number)
        ordered = sorted(members.items(), key=lambda item: self._key(self._earliest[item[0]]))
        for root, numbers in ordered:
            original = self._earliest[root]
            copies = sorted((n for n in numbers if n != original), key=self._key)
            yield Cluster(self._ids[original], tuple(self._ids[n] for n in copies))
