"""Payout batches and the payout report (issue 14, deliver 3): what fell due is paid once, whatever the reruns,
and the report tells on-time from late from still unpaid."""

from __future__ import annotations

import dataclasses
import itertools
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from wanghong.accounts.principal import CLI_OPERATOR, Principal
from wanghong.domain import Role
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.migrate import upgrade
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Forbidden
from wanghong.settlement import ledger, payouts
from wanghong.settlement.cli import app
from wanghong.settlement.engine import AccountRef, OwnerKind, Parties, Purpose, Terms, budget_freeze, fee_release
from wanghong.settlement.engine.punctuality import Earning, Payment, punctuality

_IDS = itertools.count(random.randrange(2_000_000_000, 2_100_000_000))
# A day of its own per run, so batches keyed by their day never meet another test's in the shared database.
DAY0 = datetime(2040, 1, 1, 4, tzinfo=UTC) + timedelta(days=random.randrange(0, 20_000))


def earn(db: Database, creator_id: int, fen: int, due_at: datetime) -> None:
    """A settled fee of `fen`, all of it the creator's (no service fee, no MCN), due at `due_at`."""
    p = Parties(next(_IDS), next(_IDS), creator_id)
    with db.transaction() as s:
        ledger.post_many(
            s, [budget_freeze(p, fen), dataclasses.replace(fee_release(p, fen, Terms.of(0)), due_at=due_at)]
        )


def test_punctuality_matches_payments_to_the_oldest_earnings_first() -> None:
    t = datetime(2026, 1, 1, tzinfo=UTC)
    day = timedelta(days=1)
    earnings = [Earning(t + 3 * day, 500), Earning(t + day, 1_000), Earning(t + 10 * day, 700)]
    payments = [Payment(t + day, 600), Payment(t + 5 * day, 600)]
    judged = punctuality(earnings, payments, as_of=t + 6 * day)
    # 1,000 due day 1: 600 paid on time, 400 paid late on day 5; 500 due day 3: 200 late, 300 unpaid; 700 not due.
    assert (judged.due_fen, judged.on_time_fen, judged.late_paid_fen, judged.overdue_fen) == (1_500, 600, 600, 300)
    assert judged.oldest_overdue == t + 3 * day
    assert punctuality([], [], as_of=t).due_fen == 0


def test_a_batch_pays_what_is_due_once_and_the_report_tells_late_from_on_time(db: Database) -> None:
    creator, other = next(_IDS), next(_IDS)
    week = timedelta(days=7)
    earn(db, creator, 80_000, DAY0)
    earn(db, creator, 20_000, DAY0 + week)
    earn(db, other, 5_000, DAY0)
    ours = [creator, other]

    with db.transaction() as s:
        assert payouts.due_now(s, DAY0, ours) == {creator: 80_000, other: 5_000}
        with pytest.raises(Forbidden):
            payouts.run_batch(s, Principal(user_id=1, username="b", role=Role.BRAND_MANAGER, brand_id=1), DAY0, ours)
        first = payouts.run_batch(s, CLI_OPERATOR, DAY0, [creator])
    assert first.paid == {creator: 80_000}
    with db.transaction() as s:
        # Rerun the same day: nothing is owed twice.
        assert payouts.run_batch(s, CLI_OPERATOR, DAY0, [creator]).paid == {}
        assert ledger.balance(s, AccountRef(OwnerKind.CREATOR, creator, Purpose.PAID)) == 80_000
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == payouts.PAYOUT_RUN)).first() is not None

    # A week and a day on: the second earning is a day overdue, the other creator's a week.
    later = DAY0 + week + timedelta(days=1)
    with db.transaction() as s:
        seen = payouts.report(s, later, ours)
    assert (seen.due_fen, seen.on_time_fen, seen.overdue_fen) == (105_000, 80_000, 25_000)
    assert [line.creator_id for line in seen.lines] == [creator, other]  # most overdue first
    late = {line["creator_id"]: line for line in seen.as_dict()["late"]}
    assert late[other]["overdue_fen"] == 5_000 and late[creator]["overdue_fen"] == 20_000

    with db.transaction() as s:
        assert payouts.run_batch(s, CLI_OPERATOR, later, ours).paid == {creator: 20_000, other: 5_000}
    with db.transaction() as s:
        settled = payouts.report(s, later, ours)
    # Paid now, but after the due dates: late, not overdue.
    assert (settled.overdue_fen, settled.late_paid_fen, settled.on_time_fen) == (0, 25_000, 80_000)
    assert settled.on_time_share == pytest.approx(80_000 / 105_000)


def test_the_payout_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    upgrade(url)
    database = Database(url)
    creator = next(_IDS)
    earn(database, creator, 12_345, datetime(2026, 3, 1, tzinfo=UTC))
    database.dispose()
    runner = CliRunner()

    paid = runner.invoke(app, ["payout", "--as-of", "2026-03-02", "--json", "--database-url", url])
    assert paid.exit_code == 0, paid.output
    assert json.loads(paid.output) == {"batch": "2026-03-02", "creators": 1, "fen": 12_345}
    again = runner.invoke(app, ["payout", "--as-of", "2026-03-02", "--json", "--database-url", url])
    assert json.loads(again.output)["fen"] == 0

    report = runner.invoke(app, ["payouts", "--as-of", "2026-03-05", "--json", "--database-url", url])
    body = json.loads(report.output)
    # Due on 1 March, paid as of the 2nd: late, though nothing is still owed.
    assert (body["due_fen"], body["overdue_fen"], body["late_paid_fen"]) == (12_345, 0, 12_345)
    assert [line["creator_id"] for line in body["late"]] == [creator]

    text = runner.invoke(app, ["payouts", "--as-of", "2026-03-05", "--database-url", url])
    assert text.exit_code == 0 and "按期" in text.output
    bad = runner.invoke(app, ["payout", "--as-of", "March", "--database-url", url])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
