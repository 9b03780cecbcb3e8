"""The RFC 9162 Merkle tree against a second implementation written here from the RFC's definitions.

The engine verifies proofs with the iterative algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2; the verifiers below
instead rebuild the roots by recursion over the *definitions* of PATH (§2.1.3.1) and PROOF/SUBPROOF (§2.1.4.1),
so the two share no code and no derivation.
"""

from __future__ import annotations

import hashlib
import os

import pytest

from wanghong.governance.engine.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    ProofError,
    compact_append,
    compact_root,
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)


def H(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def mth(entries: list[bytes]) -> bytes:
    """§2.1.1 MTH over the raw entries."""
    if not entries:
        return H(b"")
    if len(entries) == 1:
        return H(b"\x00" + entries[0])
    k = 1
    while k * 2 < len(entries):
        k *= 2
    return H(b"\x01" + mth(entries[:k]) + mth(entries[k:]))


def largest_power_below(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root_from_path(leaf: bytes, m: int, n: int, path: list[bytes]) -> bytes | None:
    """Invert PATH(m, D[n]): the last element of the path is the sibling at the top split."""
    if n == 1:
        return leaf if not path else None
    if not path:
        return None
    k = largest_power_below(n)
    *inner, sibling = path
    if m < k:
        left = root_from_path(leaf, m, k, inner)
        return None if left is None else H(b"\x01" + left + sibling)
    right = root_from_path(leaf, m - k, n - k, inner)
    return None if right is None else H(b"\x01" + sibling + right)


def roots_from_subproof(m: int, n: int, proof: list[bytes], whole: bool, first_root: bytes) -> tuple[bytes, bytes]:
    """Invert SUBPROOF(m, D[n], b): the (old, new) roots of the range it covers."""
    if m == n:
        if whole:
            assert not proof
            return first_root, first_root
        (node,) = proof
        return node, node
    k = largest_power_below(n)
    *inner, last = proof
    if m <= k:
        old, new = roots_from_subproof(m, k, inner, whole, first_root)
        return old, H(b"\x01" + new + last)
    old, new = roots_from_subproof(m - k, n - k, inner, False, first_root)
    return H(b"\x01" + last + old), H(b"\x01" + last + new)


def independent_consistency(m: int, n: int, first_root: bytes, second_root: bytes, proof: list[bytes]) -> bool:
    try:
        old, new = roots_from_subproof(m, n, list(proof), True, first_root)
    except (AssertionError, ValueError):
        return False
    return old == first_root and new == second_root


ENTRIES = [os.urandom(3 + i % 7) for i in range(41)]
LEAVES = [leaf_hash(e) for e in ENTRIES]
TREE = MerkleTree(LEAVES)


def test_hashes_and_roots_follow_the_rfc() -> None:
    assert leaf_hash(b"abc") == H(b"\x00abc")
    assert MerkleTree().root() == EMPTY_ROOT == H(b"")
    for n in range(len(ENTRIES) + 1):
        assert TREE.root(n) == mth(ENTRIES[:n]) == root_of(LEAVES[:n])
        compact, size = compact_append([], 0, LEAVES[:n])
        assert size == n and compact_root(compact) == TREE.root(n)


def test_compact_range_grows_in_steps() -> None:
    compact, size = compact_append([], 0, LEAVES[:5])
    compact, size = compact_append(compact, size, LEAVES[5:23])
    assert size == 23 and compact_root(compact) == TREE.root(23)
    with pytest.raises(ValueError):
        compact_append(compact[:-1], size, LEAVES[:1])


def test_every_inclusion_proof_satisfies_both_verifiers() -> None:
    for n in range(1, len(ENTRIES) + 1):
        root = TREE.root(n)
        for m in range(n):
            path = TREE.inclusion_proof(m, n)
            assert verify_inclusion(LEAVES[m], m, n, path, root)
            assert root_from_path(LEAVES[m], m, n, path) == root
            # The wrong leaf, index or size fails both.
            other = (m + 1) % n
            if other != m:
                assert not verify_inclusion(LEAVES[other], m, n, path, root)
                assert root_from_path(LEAVES[other], m, n, path) != root
            if n < len(ENTRIES):  # the path of the smaller tree does not reach the larger tree's root
                assert not verify_inclusion(LEAVES[m], m, n + 1, path, TREE.root(n + 1))


def test_every_consistency_proof_satisfies_both_verifiers() -> None:
    for n in range(1, len(ENTRIES) + 1):
        for m in range(1, n + 1):
            proof = TREE.consistency_proof(m, n)
            assert verify_consistency(m, n, TREE.root(m), TREE.root(n), proof), (m, n)
            assert independent_consistency(m, n, TREE.root(m), TREE.root(n), proof), (m, n)
            if m < n:
                assert not verify_consistency(m, n, TREE.root(m), TREE.root(n - 1), proof)
                assert not verify_consistency(m, n, TREE.root(m), TREE.root(n), proof[:-1])
                wrong_first = H(b"not the first root")
                assert not verify_consistency(m, n, wrong_first, TREE.root(n), proof)


def test_every_single_byte_change_of_an_entry_breaks_its_proof() -> None:
    index, size = 13, len(ENTRIES)
    entry = b'{"content_sha256":"' + b"ab" * 32 + b'","entry_id":"x","kind":"violation.created","v":1}'
    leaves = [*LEAVES[:index], leaf_hash(entry), *LEAVES[index + 1 :]]
    tree = MerkleTree(leaves)
    root, path = tree.root(), tree.inclusion_proof(index)
    assert verify_inclusion(leaf_hash(entry), index, size, path, root)
    for position in range(len(entry)):
        for value in range(256):
            if value == entry[position]:
                continue
            changed = entry[:position] + bytes([value]) + entry[position + 1 :]
            assert not verify_inclusion(leaf_hash(changed), index, size, path, root)
    # A path with one byte changed anywhere fails too.
    for step, node in enumerate(path):
        for position in range(len(node)):
            bad = [
                *path[:step],
                node[:position] + bytes([node[position] ^ 1]) + node[position + 1 :],
                *path[step + 1 :],
            ]
            assert not verify_inclusion(leaf_hash(entry), index, size, bad, root)


def test_impossible_proofs_are_refused() -> None:
    with pytest.raises(ProofError):
        TREE.inclusion_proof(5, 5)
    with pytest.raises(ProofError):
        TREE.inclusion_proof(0, len(ENTRIES) + 1)
    with pytest.raises(ProofError):
        TREE.consistency_proof(0, 3)
    with pytest.raises(ProofError):
        TREE.consistency_proof(4, 3)
    assert TREE.consistency_proof(7, 7) == []
    assert verify_consistency(7, 7, TREE.root(7), TREE.root(7), [])
    assert not verify_consistency(7, 8, TREE.root(7), TREE.root(8), [])
    assert not verify_inclusion(LEAVES[0], 0, 0, [], EMPTY_ROOT)
