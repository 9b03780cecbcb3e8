"""打款 page (issue 14, deliver 3): an operator sees what fell due and who is late, and runs the day's batch from
the page; nobody else may. A database of its own: the batch pays every creator it finds."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from wanghong.accounts.users import create_user
from wanghong.app import create_app
from wanghong.commerce.models import Creator
from wanghong.config import Settings
from wanghong.domain import FollowerTier, Role
from wanghong.kit.db.migrate import upgrade
from wanghong.kit.db.session import Database
from wanghong.settlement import ledger
from wanghong.settlement.engine import AccountRef, OwnerKind, Parties, Purpose, Terms, budget_freeze, fee_release

PASSWORD = "correct-horse-42"
SAME_ORIGIN = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}


def _signed_in(client: TestClient, username: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    form = {"username": username, "password": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/login", data=form, headers=SAME_ORIGIN, follow_redirects=False).status_code == 303
    return token.group(1)


def test_the_operator_sees_who_waits_and_pays_them_from_the_page(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'payouts.db'}"
    upgrade(url)
    db = Database(url)
    with db.transaction() as s:
        creator = Creator(handle="late", display_name="迟到的达人", followers=10, follower_tier=FollowerTier.NANO)
        s.add(creator)
        s.flush()
        p = Parties(1, 1, creator.id)
        release = dataclasses.replace(fee_release(p, 880_000, Terms.of(0)), due_at=datetime(2026, 1, 8, tzinfo=UTC))
        ledger.post_many(s, [budget_freeze(p, 880_000), release])
        create_user(s, username="operator", password=PASSWORD, role=Role.ADMIN)
        create_user(s, username="creator", password=PASSWORD, role=Role.CREATOR, creator_id=creator.id)
        creator_id = creator.id
    app = create_app(Settings(database_url=url), db=db)
    with TestClient(app) as client:
        token = _signed_in(client, "operator")
        page = client.get("/workspace/payouts")
        assert page.status_code == 200
        assert "迟到的达人" in page.text and "¥8,800.00" in page.text and "2026-01-08 08:00" in page.text

        paid = client.post(
            "/workspace/payouts", data={"csrf_token": token}, headers=SAME_ORIGIN, follow_redirects=False
        )
        assert paid.status_code == 303
        client.cookies.set("lang", "en")
        after = client.get("/workspace/payouts")
        assert "Paid late" in after.text and "0.0%" in after.text  # paid, but long after its due date
        with db.transaction() as s:
            assert ledger.balance(s, AccountRef(OwnerKind.CREATOR, creator_id, Purpose.PAID)) == 880_000

    with TestClient(app) as client:
        token = _signed_in(client, "creator")
        refused = client.post("/workspace/payouts", data={"csrf_token": token}, headers=SAME_ORIGIN)
        assert refused.status_code == 403 and "text/html" in refused.headers["content-type"]
    db.dispose()
