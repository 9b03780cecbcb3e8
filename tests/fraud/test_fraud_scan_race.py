"""Two runs of one day's fraud scan at once on PostgreSQL: the second waits on the first's claim of the day, then
gets a 409 instead of writing a second scan of that day."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from tests.fixtures.databases import migrated_database

from wanghong.accounts.principal import CLI_OPERATOR
from wanghong.fraud import service
from wanghong.fraud.models import FraudScan
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Conflict
from wanghong.settlement.engine import Policy

pytestmark = pytest.mark.postgres

DAY = date(2026, 12, 1)
POLICY = Policy.of(0.05, 0.3, True, 7)


def _blocked_on_a_lock(db: Database, deadline: float) -> bool:
    """Whether another backend of this database is waiting on a lock (the second run's INSERT of the day)."""
    while time.monotonic() < deadline:
        with db.sessions() as session:
            waiting = session.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
        if waiting:
            return True
        time.sleep(0.05)
    return False


def test_a_second_run_of_the_same_day_at_once_is_a_conflict(tmp_path: Path) -> None:
    with migrated_database("postgresql", tmp_path) as url:
        db = Database(url)
        claimed, release = threading.Event(), threading.Event()
        outcome: dict[str, object] = {}

        def first() -> None:
            with db.transaction() as session:
                outcome["first"] = service.scan(session, CLI_OPERATOR, DAY, POLICY).replaced
                claimed.set()
                release.wait(30)

        def second() -> None:
            try:
                with db.transaction() as session:
                    outcome["second"] = service.scan(session, CLI_OPERATOR, DAY, POLICY).replaced
            except Conflict as exc:
                outcome["second"] = exc

        try:
            a = threading.Thread(target=first)
            a.start()
            assert claimed.wait(30)
            b = threading.Thread(target=second)
            b.start()
            # The first holds its transaction open until the second is seen waiting on it: an overlap, not a race
            # left to the scheduler.
            blocked = _blocked_on_a_lock(db, time.monotonic() + 30)
            release.set()
            a.join(30)
            b.join(30)
            assert blocked
            assert outcome["first"] is False
            assert isinstance(outcome["second"], Conflict) and outcome["second"].status == 409
            with db.sessions() as session:
                assert session.execute(select(func.count()).select_from(FraudScan)).scalar_one() == 1
            # Once the first has committed, running the day again is a rescan, not a conflict.
            with db.transaction() as session:
                assert service.scan(session, CLI_OPERATOR, DAY, POLICY).replaced is True
        finally:
            release.set()
            db.dispose()
