"""The demo's brand proposes 美妆 offers, a restricted category: staged work goes through once the brand is a
verified subject with a cosmetics filing, and is refused before (what `demo.stage_work` needs from governance)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from sqlalchemy import select
from typer.testing import CliRunner

from wanghong.accounts.models import User
from wanghong.accounts.principal import Principal
from wanghong.demo import stage_work
from wanghong.domain import Role
from wanghong.governance import (
    gate,  # noqa: F401  (the gate the demo's proposals pass)
    subjects,
)
from wanghong.governance.engine.subjects import SubjectKind, SubjectState
from wanghong.governance.schemas import SubjectIn
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Conflict
from wanghong.simulator.cli import simulate
from wanghong.simulator.demo import ensure_demo_accounts

USCC = "91110108551385082Q"


def test_the_demo_brand_stages_its_offers_once_verified(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    command = typer.Typer()
    command.command()(simulate)
    args = ["--creators", "30", "--days", "7", "--no-behaviour", "--end-date", "yesterday", "--database-url", url]
    assert CliRunner().invoke(command, args).exit_code == 0
    db = Database(url)
    try:
        with pytest.raises(Conflict, match="主体未通过核验"), db.transaction() as session:
            stage_work(session, ensure_demo_accounts(session))
        with db.transaction() as session:
            accounts = ensure_demo_accounts(session)
            admin = Principal.of(session.scalars(select(User).where(User.role == Role.ADMIN)).first())  # type: ignore[arg-type]
            brand = Principal.of(session.scalars(select(User).where(User.role == Role.BRAND_MANAGER)).first())  # type: ignore[arg-type]
            record = {
                "kind": "brand",
                "org_id": brand.brand_id,
                "legal_name": "演示品牌有限公司",
                "uscc": USCC,
                "categories": ["beauty", "food"],
                "documents": [
                    {"kind": "business_licence", "number": USCC, "valid_from": "2015-01-01"},
                    {"kind": "cosmetics_filing", "number": "京G妆网备字2024000001", "valid_from": "2024-01-01"},
                    {"kind": "food_business_licence", "number": "JY11101080000001", "valid_from": "2024-01-01"},
                ],
            }
            subjects.enrol_verified(session, admin, SubjectIn.model_validate(record))
            work = stage_work(session, accounts)
            assert work.offers >= 2 and work.submitted == 1
            assert subjects.state_of(session, SubjectKind.BRAND, brand.brand_id or 0) is SubjectState.VERIFIED
    finally:
        db.dispose()
