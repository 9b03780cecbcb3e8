"""The Merkle tree of RFC 9162 (Certificate Transparency 2.0), §2.1, and nothing else.

* leaf hash ``SHA-256(0x00 ‖ entry)``, node hash ``SHA-256(0x01 ‖ left ‖ right)``, ``MTH({}) = SHA-256()``;
* ``MTH(D[n])`` splits at ``k``, the largest power of two smaller than ``n`` (§2.1.1);
* inclusion proofs ``PATH(m, D[n])`` (§2.1.3.1) and their verification (§2.1.3.2);
* consistency proofs ``PROOF(m, D[n])`` (§2.1.4.1) and their verification (§2.1.4.2).

:class:`MerkleTree` keeps every *complete* subtree (``2^h`` leaves starting at a multiple of ``2^h``) level by
level in flat ``bytearray`` buffers (32 bytes a node, about 64 bytes a leaf in all), so any RFC subtree hash is a
lookup or a fold of O(log n) lookups and a proof costs O(log² n) at worst; appending a leaf costs amortised two
hashes. A *compact range* (:func:`compact_append`, :func:`compact_root`) is the O(log n) right edge a writer keeps
to know the root of a growing tree without the tree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """k, the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH over already-hashed leaves, straight from the RFC's recursive definition (used to cross-check)."""
    n = len(leaf_hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hashes[0]
    k = _split(n)
    return node_hash(root_of(leaf_hashes[:k]), root_of(leaf_hashes[k:]))


class ProofError(ValueError):
    """Sizes or indexes for which no proof exists."""


class MerkleTree:
    """An append-only tree of leaf hashes with every complete subtree kept, for O(log n) roots and proofs."""

    __slots__ = ("_levels", "_size")

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self._levels: list[bytearray] = [bytearray()]
        self._size = 0
        self.extend(leaf_hashes)

    def __len__(self) -> int:
        return self._size

    @property
    def size(self) -> int:
        return self._size

    def append(self, leaf: bytes) -> None:
        if len(leaf) != HASH_SIZE:
            raise ValueError(f"a leaf hash has {HASH_SIZE} bytes, not {len(leaf)}")
        levels = self._levels
        levels[0] += leaf
        index, height, current = self._size, 0, leaf
        # Each odd index closes a complete pair: its parent is complete too, one level up.
        while index & 1:
            left = bytes(levels[height][(index - 1) * HASH_SIZE : index * HASH_SIZE])
            current = node_hash(left, current)
            height, index = height + 1, index >> 1
            if height == len(levels):
                levels.append(bytearray())
            levels[height] += current
        self._size += 1

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        for leaf in leaf_hashes:
            self.append(leaf)

    def leaf(self, index: int) -> bytes:
        if not 0 <= index < self._size:
            raise ProofError(f"no leaf {index} in a tree of {self._size}")
        return self._node(0, index)

    def _node(self, height: int, index: int) -> bytes:
        return bytes(self._levels[height][index * HASH_SIZE : (index + 1) * HASH_SIZE])

    def subtree(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range the RFC recursion produces (``start`` a multiple of the largest power of
        two not above ``end - start``, which every range of that recursion is)."""
        width = end - start
        if width <= 0:
            return EMPTY_ROOT
        if width & (width - 1) == 0 and start % width == 0:
            return self._node(width.bit_length() - 1, start // width)
        k = _split(width)
        return node_hash(self.subtree(start, start + k), self.subtree(start + k, end))

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first ``size`` leaves (all of them by default)."""
        size = self._size if size is None else size
        if not 0 <= size <= self._size:
            raise ProofError(f"no tree of size {size}: the log holds {self._size} entries")
        # The complete subtrees of the binary decomposition of `size`, largest first, are that tree's compact
        # range; its root is theirs folded right to left.
        hashes = []
        start = 0
        for height in reversed(range(size.bit_length())):
            if size >> height & 1:
                hashes.append(self._node(height, start >> height))
                start += 1 << height
        return compact_root(hashes)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[size]), the audit path of leaf ``index`` in the tree of the first ``size`` leaves."""
        size = self._size if size is None else size
        if not 0 < size <= self._size:
            raise ProofError(f"no tree of size {size}: the log holds {self._size} entries")
        if not 0 <= index < size:
            raise ProofError(f"leaf {index} is not in a tree of size {size}")
        path: list[bytes] = []
        start, end = 0, size
        # Walk down from the root; the RFC lists the siblings from the leaf up, hence the reversal at the end.
        while end - start > 1:
            k = _split(end - start)
            if index < start + k:
                path.append(self.subtree(start + k, end))
                end = start + k
            else:
                path.append(self.subtree(start, start + k))
                start += k
        path.reverse()
        return path

    def consistency_proof(self, first: int, second: int | None = None) -> list[bytes]:
        """PROOF(first, D[second]): the hashes proving the tree of ``first`` leaves is a prefix of ``second``."""
        second = self._size if second is None else second
        if not 0 < first <= second <= self._size:
            raise ProofError(f"no consistency proof from {first} to {second}: need 0 < first ≤ second ≤ {self._size}")
        proof: list[bytes] = []
        # SUBPROOF(m, D[start:end], b), unrolled: the RFC recursion only ever descends into one side.
        m, start, end, complete = first, 0, second, True
        while True:
            width = end - start
            if m == width:
                if not complete:
                    proof.append(self.subtree(start, end))
                break
            k = _split(width)
            if m <= k:
                proof.append(self.subtree(start + k, end))
                end = start + k
            else:
                proof.append(self.subtree(start, start + k))
                m -= k
                start += k
                complete = False
        proof.reverse()
        return proof


def verify_inclusion(leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does ``path`` prove ``leaf`` is entry ``index`` of the tree of ``size`` with ``root``?"""
    if not 0 <= index < size or any(len(h) != HASH_SIZE for h in path):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: does ``proof`` show the tree (``first``, ``first_root``) is a prefix of (``second``,
    ``second_root``)? Equal sizes need an empty proof and equal roots."""
    if not 0 < first <= second or any(len(h) != HASH_SIZE for h in proof):
        return False
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the first tree is itself a node of the second
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


def compact_append(compact: Sequence[bytes], size: int, leaves: Iterable[bytes]) -> tuple[list[bytes], int]:
    """The compact range (roots of the complete subtrees of the binary decomposition of ``size``, largest first)
    after appending ``leaves``; returns it with the new size."""
    stack = list(compact)
    if len(stack) != size.bit_count():
        raise ValueError(f"a compact range of a tree of {size} has {size.bit_count()} hashes, not {len(stack)}")
    for leaf in leaves:
        stack.append(leaf)
        merged = size
        # Like a binary counter: every trailing 1 bit of the old size merges two equal subtrees.
        while merged & 1:
            right = stack.pop()
            stack[-1] = node_hash(stack[-1], right)
            merged >>= 1
        size += 1
    return stack, size


def compact_root(compact: Sequence[bytes]) -> bytes:
    """The root of a tree given as its compact range (complete subtree roots, largest first): folded right to left."""
    if not compact:
        return EMPTY_ROOT
    current = compact[-1]
    for left in reversed(compact[:-1]):
        current = node_hash(left, current)
    return current
