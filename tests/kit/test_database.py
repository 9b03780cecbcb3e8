"""Migrations, the append-only audit log and time zones, on every configured database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from tests.fixtures.databases import migrated_database
from tests.fixtures.world import World

from wanghong.commerce.models import Video
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database


def test_audit_log_refuses_update_and_delete(db: Database, world: World) -> None:
    with db.transaction() as s:
        s.add(AuditEntry(action="probe", entity="test", entity_id="1"))
    for statement in ("UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), db.transaction() as s:
            s.execute(text(statement))


def test_timestamps_come_back_aware_in_utc(db: Database, world: World) -> None:
    beijing = timezone(timedelta(hours=8))
    published = datetime(2026, 11, 11, 20, 0, tzinfo=beijing)
    with db.transaction() as s:
        video = Video(creator_id=world["creatorA1"], title="零点开抢", published_at=published)
        s.add(video)
        s.flush()
        video_id = video.id
    with db.transaction() as s:
        loaded = s.get(Video, video_id)
        assert loaded is not None
        assert loaded.published_at == published and loaded.published_at.tzinfo == UTC
    with pytest.raises(Exception, match="naive"), db.transaction() as s:
        s.add(Video(creator_id=world["creatorA1"], title="x", published_at=datetime(2026, 1, 1)))
        s.flush()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_go_down_and_up_again(backend: str, tmp_path: Path) -> None:
    # A database of its own: going down to base drops every table, and the session's shared database is read by
    # other tests through per-engine caches (the ledger's account ids) that a dropped table would make stale.
    from wanghong.kit.db.migrate import downgrade, upgrade

    with migrated_database(backend, tmp_path, prefix="wanghong_migrate") as url:
        downgrade(url, "base")
        upgrade(url)
        database = Database(url)
        try:
            with database.engine.connect() as connection:
                assert connection.execute(text("SELECT count(*) FROM ledger_accounts")).scalar_one() == 0
        finally:
            database.dispose()
