"""The transparency log in the database, on SQLite and PostgreSQL: capture by trigger in the writer's transaction,
sealing, proofs, and detection of every kind of tampering with the stored log."""

from __future__ import annotations

import base64
import json
import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from tests.fixtures.world import World, build_world
from tests.governance.test_transparency_merkle import independent_consistency, root_from_path

from wanghong.compliance.models import CompliancePenalty, Violation
from wanghong.domain import PenaltyKind, Severity, ViolationStatus
from wanghong.governance import transparency
from wanghong.governance.engine.merkle import MerkleTree, compact_append, leaf_hash
from wanghong.governance.models import TransparencyEntry
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database
from wanghong.kit.errors import InvalidInput, NotFound


def add_violation(session: Session, creator_id: int, category: str = "absolute_terms") -> Violation:
    violation = Violation(
        creator_id=creator_id, subject_type="video", category=category, severity=Severity.LOW, description="最好"
    )
    session.add(violation)
    session.flush()
    return violation


def entries_of(session: Session, record: str) -> list[TransparencyEntry]:
    return list(
        session.scalars(
            select(TransparencyEntry).where(TransparencyEntry.record == record).order_by(TransparencyEntry.id)
        )
    )


@pytest.fixture(scope="module")
def world(db: Database) -> World:
    """One world for the module: these tests only need creators to hang records on."""
    return build_world(db, uuid.uuid4().hex[:8])


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    """A transaction rolled back at the end: tampering stays inside the test."""
    with db.sessions() as s:
        s.begin()
        # Leftovers of other tests (or bulk loads) are sealed first, so that this test checks a whole log.
        transparency.seal(s)
        s.commit()
        s.begin()
        yield s
        s.rollback()


def test_every_write_of_a_captured_record_is_logged_and_sealed_at_commit(db: Database, world: World) -> None:
    with db.transaction() as s:
        violation = add_violation(s, world["creatorA1"])
        violation.status = ViolationStatus.CONFIRMED
        s.flush()
        penalty = CompliancePenalty(creator_id=world["creatorA1"], violation_id=violation.id, kind=PenaltyKind.WARNING)
        s.add(penalty)
        s.flush()
        vid, pid = violation.id, penalty.id
    with db.transaction() as s:
        logged = entries_of(s, f"violations:{vid}")
        assert [e.kind for e in logged] == ["violation.created", "violation.updated"]
        assert json.loads(logged[-1].content)["status"] == "confirmed"
        assert [e.kind for e in entries_of(s, f"compliance_penalties:{pid}")] == ["penalty.created"]
        # Sealed in the writer's own transaction: consecutive leaves, leaf data as documented.
        assert [e.leaf_index for e in logged] == [logged[0].leaf_index, logged[0].leaf_index + 1]
        for e in logged:
            assert e.entry == transparency.entry_bytes(e.entry_id, e.kind, e.record, e.content, e.recorded_at)
            assert e.leaf_hash == leaf_hash(e.entry)
        body = json.loads(logged[0].entry)
        assert set(body) == {"content_sha256", "entry_id", "kind", "record", "recorded_at", "v"}
        s.delete(s.get(CompliancePenalty, pid))
    with db.transaction() as s:
        assert [e.kind for e in entries_of(s, f"compliance_penalties:{pid}")] == ["penalty.created", "penalty.deleted"]
        assert transparency.verify(s).ok


def test_a_rolled_back_write_leaves_no_entry(db: Database, world: World) -> None:
    with db.transaction() as s:
        before = s.scalar(select(func.count()).select_from(TransparencyEntry))
    with pytest.raises(RuntimeError), db.transaction() as s:
        add_violation(s, world["creatorA1"])
        raise RuntimeError("the request fails after the violation was flushed")
    with db.transaction() as s:
        with s.begin_nested():
            add_violation(s, world["creatorA1"])
        savepoint = s.begin_nested()
        add_violation(s, world["creatorA1"])
        savepoint.rollback()
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(TransparencyEntry)) == before + 1
        assert transparency.pending_count(s) == 0


def test_writes_over_a_bare_connection_are_captured_and_sealed_later(db: Database, world: World) -> None:
    with db.engine.begin() as connection:  # a bulk loader's path: no ORM session, so nothing seals at commit
        connection.execute(
            Violation.__table__.insert(),
            [
                {
                    "creator_id": world["creatorB1"],
                    "subject_type": "live",
                    "category": "off_platform",
                    "severity": "high",
                    "description": "",
                    "status": "open",
                    "created_at": utcnow(),
                }
            ],
        )
    with db.transaction() as s:
        assert transparency.pending_count(s) >= 1
        assert transparency.seal(s) >= 1
        assert transparency.pending_count(s) == 0 and transparency.verify(s).ok


def test_proofs_verify_independently(db: Database, world: World) -> None:
    key = transparency.LogKey.generate()
    with db.transaction() as s:
        first = transparency.sign_head(s, key)
        ids = [add_violation(s, world["creatorA2"]).id for _ in range(5)]
    with db.transaction() as s:
        second = transparency.sign_head(s, key)
        assert second.tree_size >= first.tree_size + 5 and second.signed_by(key.public)
        entry = entries_of(s, f"violations:{ids[2]}")[0]
        proof = transparency.prove(s, entry.entry_id)
        assert proof.tree_size == second.tree_size and proof.root_hash == second.root_hash
        assert proof.leaf_hash == leaf_hash(proof.entry) and proof.entry == entry.entry
        assert root_from_path(proof.leaf_hash, proof.leaf_index, proof.tree_size, proof.audit_path) == proof.root_hash
        if first.tree_size:
            c = transparency.consistency(s, first.tree_size, second.tree_size)
            assert c.first_root == first.root_hash and c.second_root == second.root_hash
            assert independent_consistency(c.first_size, c.second_size, c.first_root, c.second_root, c.proof)
        with pytest.raises(NotFound):
            transparency.prove(s, "0" * 32)
        with pytest.raises(InvalidInput):
            transparency.consistency(s, 0, second.tree_size)
        with pytest.raises(InvalidInput):
            transparency.consistency(s, 2, second.tree_size + 1)
        assert transparency.verify(s, key.public).ok
        assert not transparency.verify(s, transparency.LogKey.generate().public).ok  # someone else's heads


def _logged(session: Session, world: World, n: int = 4) -> list[int]:
    """Leaf indexes of ``n`` fresh entries, sealed and covered by a signed head."""
    ids = [add_violation(session, world["creatorA1"]).id for _ in range(n)]
    session.flush()
    transparency.seal(session)
    transparency.sign_head(session, transparency.LogKey.generate())
    return [entries_of(session, f"violations:{i}")[0].leaf_index or 0 for i in ids]


TAMPERING = {
    "alter content": "UPDATE transparency_entries SET content = replace(content, 'absolute_terms', 'absolute_termz') "
    "WHERE leaf_index = :a",
    "alter kind": "UPDATE transparency_entries SET kind = 'violation.deleted' WHERE leaf_index = :a",
    "alter leaf hash": "UPDATE transparency_entries SET leaf_hash = entry WHERE leaf_index = :a",
    "remove middle": "DELETE FROM transparency_entries WHERE leaf_index = :a",
    "remove last": "DELETE FROM transparency_entries WHERE leaf_index = :last",
    # Two leaves swapped through a free index, so that the unique constraint holds at every statement.
    "reorder": "UPDATE transparency_entries SET leaf_index = -1 WHERE leaf_index = :a; "
    "UPDATE transparency_entries SET leaf_index = :a WHERE leaf_index = :b; "
    "UPDATE transparency_entries SET leaf_index = :b WHERE leaf_index = -1",
}


@pytest.mark.parametrize("tamper", list(TAMPERING))
def test_tampering_is_detected(session: Session, world: World, tamper: str) -> None:
    indexes = _logged(session, world)
    assert transparency.verify(session).ok
    a, b, last = indexes[1], indexes[2], indexes[-1]
    for statement in TAMPERING[tamper].split("; "):
        session.execute(text(statement), {"a": a, "b": b, "last": last})
    audit = transparency.verify(session)
    assert not audit.ok, tamper


def test_removing_the_tail_and_rewriting_the_state_is_caught_by_the_signed_head(session: Session, world: World) -> None:
    indexes = _logged(session, world, 3)
    session.execute(text("DELETE FROM transparency_entries WHERE leaf_index = :i"), {"i": indexes[-1]})
    # The attacker also rewinds the unsigned state row to the shortened tree.
    shortened = MerkleTree(
        [
            bytes(h)
            for h in session.scalars(select(TransparencyEntry.leaf_hash).order_by(TransparencyEntry.leaf_index))
            if h
        ]
    )
    compact, _ = compact_append([], 0, [shortened.leaf(i) for i in range(shortened.size)])
    session.execute(
        text("UPDATE transparency_state SET tree_size = :n, root_hash = :r, compact_range = :c"),
        {"n": shortened.size, "r": shortened.root(), "c": b"".join(compact)},
    )
    audit = transparency.verify(session)
    assert not audit.ok and any("trailing entries were removed" in p for p in audit.problems)


@pytest.mark.slow  # one full verification per byte of the entry
def test_every_single_byte_change_of_a_stored_entry_is_detected(session: Session, world: World) -> None:
    (index,) = _logged(session, world, 1)
    stored = session.scalar(select(TransparencyEntry.entry).where(TransparencyEntry.leaf_index == index))
    assert stored is not None
    for position in range(len(stored)):
        changed = stored[:position] + bytes([stored[position] ^ 0x20]) + stored[position + 1 :]
        savepoint = session.begin_nested()
        session.execute(
            text("UPDATE transparency_entries SET entry = :e WHERE leaf_index = :i"), {"e": changed, "i": index}
        )
        assert not transparency.verify(session).ok, position
        savepoint.rollback()
    assert transparency.verify(session).ok


def test_concurrent_writers_get_gap_free_unique_leaves(db: Database, world: World) -> None:
    writers, each = 6, 5
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(each):
                with db.transaction() as s:
                    add_violation(s, world["creatorA2"], "concurrent")
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with db.transaction() as s:
        transparency.seal(s)
        indexes = list(s.scalars(select(TransparencyEntry.leaf_index).order_by(TransparencyEntry.leaf_index)))
        assert indexes == list(range(len(indexes)))
        audit = transparency.verify(s)
        assert audit.ok and audit.checked == len(indexes)


def test_entry_data_decodes_to_what_the_row_says(db: Database, world: World) -> None:
    with db.transaction() as s:
        vid = add_violation(s, world["creatorA1"]).id
    with db.transaction() as s:
        (entry,) = entries_of(s, f"violations:{vid}")
        proof = transparency.prove(s, entry.entry_id)
    body = json.loads(base64.b64decode(base64.b64encode(proof.entry)))
    assert body["entry_id"] == entry.entry_id and body["record"] == f"violations:{vid}"
    assert body["kind"] == "violation.created" and body["v"] == transparency.ENTRY_VERSION


def test_append_logs_a_record_without_a_trigger(db: Database) -> None:
    with db.transaction() as s:
        entry_id = transparency.append(s, "subject_verification.created", "subjects:7", {"uscc": "91330106MA2XXXXX1X"})
    with db.transaction() as s:
        assert transparency.prove(s, entry_id).leaf_index >= 0
        with pytest.raises(InvalidInput):
            transparency.append(s, "Bad Kind", "x:1", {})
