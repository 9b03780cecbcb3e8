"""The access-rule registry itself: every table has a rule, and a missing or doubled rule fails loudly."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil

import pytest
from sqlalchemy import false, true

from wanghong.accounts.principal import CLI_OPERATOR, Principal
from wanghong.commerce.models import IngestedEvent, Mcn, Video
from wanghong.domain import Role
from wanghong.kit import access
from wanghong.kit.db.base import Base

# Ingested event ids are the ingestion job's bookkeeping, never read on anyone's behalf.
UNSCOPED = {IngestedEvent}


def test_every_table_has_a_row_scope() -> None:
    import wanghong

    for package in pkgutil.iter_modules(wanghong.__path__):
        if package.ispkg and importlib.util.find_spec(f"wanghong.{package.name}.models") is not None:
            importlib.import_module(f"wanghong.{package.name}.models")
    models = {mapper.class_ for mapper in Base.registry.mappers}
    missing = sorted(m.__name__ for m in models - UNSCOPED if m not in access._SCOPES)
    assert not missing


def test_a_model_without_a_rule_fails_loudly_naming_where_rules_live() -> None:
    reviewer = Principal(user_id=1, username="r", role=Role.REVIEWER)
    with pytest.raises(NotImplementedError, match=r"no access rule for IngestedEvent; .*wanghong\.commerce\.models"):
        access.scope_condition(IngestedEvent, reviewer)


def test_the_administrator_sees_everything_even_without_a_rule() -> None:
    assert access.scope_condition(IngestedEvent, CLI_OPERATOR).compare(true())


def test_a_second_rule_for_a_model_is_refused() -> None:
    with pytest.raises(ValueError, match="Mcn already has an access rule"):
        access.register_scopes({Mcn: access.nobody})
    with pytest.raises(ValueError, match="Video already has a reference rule for creator"):
        access.register_reference(Video, creator=access.everyone)


def test_by_role_falls_back_to_otherwise() -> None:
    rule = access.by_role(reviewer=access.everyone)
    creator = Principal(user_id=2, username="c", role=Role.CREATOR, creator_id=7)
    reviewer = Principal(user_id=1, username="r", role=Role.REVIEWER)
    assert rule(reviewer).compare(true())
    assert rule(creator).compare(false())
    assert access.by_role(otherwise=access.everyone)(creator).compare(true())
